/// An integer of any size, because the reference implementation computes with
/// Python's unbounded `int`: `sum`, `abs`, `ceil` and `floor` print exact digits
/// where a 64-bit integer would overflow or a `Double` would round.
///
/// Only what those functions need: parsing, printing, addition, comparison and
/// exact conversion from a whole `Double`.
struct PythonInt: Hashable, Sendable {
    /// Base 10⁹ digits, least significant first, no leading zero limbs; zero is empty.
    private var limbs: [UInt32]
    private var negative: Bool

    private static let base: UInt64 = 1_000_000_000

    init(_ value: Int) {
        negative = value < 0
        limbs = []
        var rest = value.magnitude
        while rest > 0 {
            limbs.append(UInt32(rest % UInt(Self.base)))
            rest /= UInt(Self.base)
        }
    }

    /// Parses `-?[0-9]+` (leading zeros allowed); nil for anything else.
    init?(digits text: Substring) {
        var body = text
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        guard !body.isEmpty, body.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var limbs: [UInt32] = []
        var end = body.endIndex
        while end > body.startIndex {
            let start = body.index(end, offsetBy: -9, limitedBy: body.startIndex) ?? body.startIndex
            limbs.append(UInt32(body[start..<end])!)
            end = start
        }
        while limbs.last == 0 { limbs.removeLast() }
        self.limbs = limbs
        self.negative = negative && !limbs.isEmpty
    }

    /// The exact value of a finite whole `Double`; nil when it has a fraction or is not finite.
    init?(exactly double: Double) {
        guard double.isFinite, double == double.rounded(.towardZero) else { return nil }
        if let small = Int(exactly: double) {
            self.init(small)
            return
        }
        // Large doubles are significand × 2^exponent with a non-negative exponent.
        var result = PythonInt(Int(double.significandBitPattern | (1 << 52)))
        var shift = Int(double.exponent) - 52
        while shift > 0 {
            let step = min(shift, 29)
            result.multiply(by: UInt32(1) << UInt32(step))
            shift -= step
        }
        result.negative = double < 0
        self = result
    }

    var isZero: Bool { limbs.isEmpty }

    var magnitude: PythonInt {
        var copy = self
        copy.negative = false
        return copy
    }

    var negated: PythonInt {
        var copy = self
        copy.negative = !negative && !limbs.isEmpty
        return copy
    }

    var description: String {
        guard let top = limbs.last else { return "0" }
        var text = negative ? "-" : ""
        text += String(top)
        for limb in limbs.dropLast().reversed() {
            let digits = String(limb)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }

    /// The nearest `Double`, as Python's `float(int)` rounds; nil when it overflows
    /// (Python raises OverflowError there).
    var double: Double? {
        if limbs.count <= 2 {
            let value = limbs.reversed().reduce(0) { $0 * Int(Self.base) + Int($1) }
            return Double(negative ? -value : value)
        }
        guard let value = Double(description), value.isFinite else { return nil }
        return value
    }

    private mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(product % Self.base)
            carry = product / Self.base
        }
        while carry > 0 {
            limbs.append(UInt32(carry % Self.base))
            carry /= Self.base
        }
    }

    private static func compareMagnitudes(_ left: [UInt32], _ right: [UInt32]) -> Int {
        if left.count != right.count { return left.count < right.count ? -1 : 1 }
        for index in left.indices.reversed() where left[index] != right[index] {
            return left[index] < right[index] ? -1 : 1
        }
        return 0
    }

    /// -1, 0 or 1 as `left` is less than, equal to or greater than `right`.
    static func compare(_ left: PythonInt, _ right: PythonInt) -> Int {
        if left.negative != right.negative { return left.negative ? -1 : 1 }
        let order = compareMagnitudes(left.limbs, right.limbs)
        return left.negative ? -order : order
    }

    static func + (left: PythonInt, right: PythonInt) -> PythonInt {
        var result = PythonInt(0)
        if left.negative == right.negative {
            var carry: UInt64 = 0
            for index in 0..<max(left.limbs.count, right.limbs.count) {
                let sum =
                    UInt64(index < left.limbs.count ? left.limbs[index] : 0)
                    + UInt64(index < right.limbs.count ? right.limbs[index] : 0) + carry
                result.limbs.append(UInt32(sum % base))
                carry = sum / base
            }
            if carry > 0 { result.limbs.append(UInt32(carry)) }
            result.negative = left.negative
        } else {
            let leftLarger = compareMagnitudes(left.limbs, right.limbs) >= 0
            let (large, small) = leftLarger ? (left, right) : (right, left)
            var borrow: Int64 = 0
            for index in large.limbs.indices {
                var difference =
                    Int64(large.limbs[index]) - Int64(index < small.limbs.count ? small.limbs[index] : 0) - borrow
                borrow = difference < 0 ? 1 : 0
                if difference < 0 { difference += Int64(base) }
                result.limbs.append(UInt32(difference))
            }
            result.negative = large.negative
        }
        while result.limbs.last == 0 { result.limbs.removeLast() }
        if result.limbs.isEmpty { result.negative = false }
        return result
    }
}
