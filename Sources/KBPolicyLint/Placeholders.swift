import Foundation
import KBPolicy

/// Recognises the stand-ins guides write where a real value belongs:
/// `<bucket-name>`, `${BUCKET}`, `ACCOUNT_ID`, `arn-of-the-KMS-key`, `your-bucket`.
/// Policy variables (`${aws:username}`) and AWS's documentation accounts are
/// real syntax and real examples, not placeholders.
public enum Placeholders {
    /// The placeholders inside a value, in order of appearance. Works on the
    /// value's bytes: it runs on every ARN and principal of every policy.
    public static func find(in value: String) -> [String] {
        // Most values (every action name) are ruled out without a copy.
        if value.utf8.withContiguousStorageIfAvailable({ mightHoldPlaceholder($0) }) == false { return [] }
        let bytes = Array(value.utf8)
        // Nearly every value is real: rule that out in one pass (an ARN's fields are
        // checked for words such as `region` and `account`).
        guard
            bytes.starts(with: "arn:".utf8)
                || bytes.contains(where: {
                    $0 == 0x3C || $0 == 0x24 || $0 == 0x5F || $0 == 0x2D || $0 == 0x7B || ($0 >= 0x41 && $0 <= 0x5A)
                })
        else { return [] }
        // A description where a value belongs: "A list of the resources the role may use".
        if !bytes.starts(with: "arn:".utf8), bytes.reduce(0, { $0 + ($1 == 0x20 ? 1 : 0) }) >= 3,
            bytes.first.map({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) == true
        {
            return [value]
        }
        var found: [String] = []
        // Which bytes a placeholder already took, kept only once one is found.
        var covered: [Bool] = []
        func record(_ range: Range<Int>) {
            found.append(String(decoding: bytes[range], as: UTF8.self))
            if covered.isEmpty { covered = [Bool](repeating: false, count: bytes.count) }
            for index in range { covered[index] = true }
        }
        func isCovered(_ range: Range<Int>) -> Bool { !covered.isEmpty && covered[range].contains(true) }
        // <...> and ${NAME} (policy variables always have a colon; ${*} ${?} ${$} are escapes)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x3C, let close = bytes[index...].firstIndex(of: 0x3E) {
                record(index..<close + 1)
                index = close + 1
            } else if bytes[index] == 0x24, index + 1 < bytes.count, bytes[index + 1] == 0x7B,
                let close = bytes[index...].firstIndex(of: 0x7D)
            {
                let name = bytes[(index + 2)..<close]
                let escape = name.count == 1 && (name.first == 0x2A || name.first == 0x3F || name.first == 0x24)
                // Policy variables have one colon (aws:username); CloudFormation's
                // pseudo parameters (${AWS::AccountId}) have two and are placeholders.
                let cloudFormation = name.starts(with: "AWS::".utf8)
                if !name.isEmpty, !name.contains(0x3A) || cloudFormation, !escape { record(index..<close + 1) }
                index = close + 1
            } else if bytes[index] == 0x7B, index == 0 || bytes[index - 1] != 0x24,
                let close = bytes[index...].firstIndex(of: 0x7D), close > index + 1,
                bytes[(index + 1)..<close].allSatisfy({ byte in
                    byte == 0x5F || byte == 0x2D || (byte >= 0x30 && byte <= 0x39)
                        || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
                })
            {
                // {SOURCE_BUCKET}, {manifest-key}: a name in braces, as S3's Batch Operations pages write.
                record(index..<close + 1)
                index = close + 1
            } else {
                index += 1
            }
        }
        // An ARN whose account is a word (`AccountB-ID`, `ACCOUNT`) rather than 12 digits.
        if bytes.starts(with: "arn:".utf8) {
            let fields = bytes.split(separator: 0x3A, maxSplits: 5, omittingEmptySubsequences: false)
            if fields.count == 6, let account = fields.dropFirst(4).first, !account.isEmpty,
                account.contains(where: { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }),
                !["aws", "cloudfront"].contains(String(decoding: account, as: UTF8.self)),
                !isCovered(account.startIndex..<account.endIndex)
            {
                record(account.startIndex..<account.endIndex)
            }
            // A Region or partition field that names itself (`arn:aws:ec2:region:…`,
            // `arn:partition:…`): no Region or partition is spelt that way.
            for (index, word) in [(1, "partition"), (3, "region")] where fields.count > index {
                let field = fields[fields.index(fields.startIndex, offsetBy: index)]
                if !field.isEmpty, String(decoding: field, as: UTF8.self).lowercased().containsBytes(word),
                    !isCovered(field.startIndex..<field.endIndex)
                {
                    record(field.startIndex..<field.endIndex)
                }
            }
        }
        // Words between ARN and path separators.
        @inline(__always) func isSeparator(_ byte: UInt8) -> Bool {
            byte == 0x3A || byte == 0x2F || byte == 0x2C || byte == 0x22 || byte == 0x27 || byte == 0x20
        }
        var start = 0
        for end in 0...bytes.count where end == bytes.count || isSeparator(bytes[end]) {
            defer { start = end + 1 }
            guard end > start, !isCovered(start..<end) else { continue }
            let word = bytes[start..<end]
            if isPlaceholderWord(word) { found.append(String(decoding: word, as: UTF8.self)) }
        }
        return found
    }

    /// False when no rule below can find a placeholder: not an ARN, none of `<`, `$`,
    /// `_`, `-`, fewer than three spaces, and no word that is a value's name
    /// (`Region`, `BucketName`), the only capitalised words taken for placeholders.
    static func mightHoldPlaceholder(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.starts(with: "arn:".utf8) { return true }
        var spaces = 0
        var seen: UInt8 = 0
        for byte in bytes {
            let kind = byteKinds[Int(byte)]
            seen |= kind
            spaces &+= Int(kind >> 1 & 1)
        }
        if seen & 1 != 0 || spaces >= 3 { return true }
        guard seen & 4 != 0 else { return false }
        var start = 0
        for end in 0...bytes.count
        where end == bytes.count || bytes[end] == 0x3A || bytes[end] == 0x2F || bytes[end] == 0x2C
            || bytes[end] == 0x22 || bytes[end] == 0x27 || bytes[end] == 0x20
        {
            let word = bytes[start..<end]
            if valueNames.contains(where: { name in
                name.count == word.count
                    && zip(name, word).allSatisfy { a, b in a == (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
            }) {
                return true
            }
            start = end + 1
        }
        return false
    }

    /// Per byte: 1 for `<`, `$`, `_`, `-` and `{`, 2 for a space, 4 for an upper-case letter.
    static let byteKinds: [UInt8] = (0..<256).map { byte in
        switch byte {
        case 0x3C, 0x24, 0x5F, 0x2D, 0x7B: 1
        case 0x20: 2
        case 0x41...0x5A: 4
        default: 0
        }
    }

    static func isPlaceholderWord(_ word: ArraySlice<UInt8>) -> Bool {
        let hasUnderscore = word.contains(0x5F)
        let hasHyphen = word.contains(0x2D)
        let hasUpper = word.contains { $0 >= 0x41 && $0 <= 0x5A }
        guard hasUnderscore || hasHyphen || hasUpper else { return false }
        if !hasUnderscore && !hasUpper && !hyphenatedPlaceholder(word) { return false }
        if !hasUnderscore && !hasHyphen {
            // A single capitalised word (`ReadOnly`, `AmazonSageMaker*`) is a name unless
            // it is one of the few that stand for a value (`Region`, `BucketName`).
            return valueNames.contains { name in equalFoldingCase(name, word) }
        }
        let text = String(decoding: word, as: UTF8.self)
        return isPlaceholderWord(text)
    }

    static let valueNames: [[UInt8]] = ["accountid", "region", "partition", "bucket", "bucketname"].map {
        Array($0.utf8)
    }

    /// Whether a lower-case name and a word are equal, folding the word's ASCII case.
    static func equalFoldingCase(_ name: [UInt8], _ word: ArraySlice<UInt8>) -> Bool {
        guard name.count == word.count else { return false }
        for (a, b) in zip(name, word) {
            let folded: UInt8 = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            if a != folded { return false }
        }
        return true
    }

    /// The lower-case, hyphenated placeholders (`your-bucket`, `arn-of-the-key`,
    /// `key-arn`), told apart from real names like `us-east-1` without building strings.
    static func hyphenatedPlaceholder(_ word: ArraySlice<UInt8>) -> Bool {
        // The hyphen-separated parts in one pass, without copies: their number, the
        // first, second and last, and whether "of" and "the" are among them.
        var count = 0
        var first = word[word.startIndex..<word.startIndex]
        var second = first
        var last = first
        var hasOf = false
        var hasThe = false
        var hasStem = false
        var start = word.startIndex
        for end in word.startIndex...word.endIndex where end == word.endIndex || word[end] == 0x2D {
            defer { start = end + 1 }
            guard end > start else { continue }
            let part = word[start..<end]
            count += 1
            if count == 1 { first = part } else if count == 2 { second = part }
            last = part
            hasOf = hasOf || part.elementsEqual("of".utf8)
            hasStem = hasStem || (end < word.endIndex && placeholderStems.contains { part.elementsEqual($0) })
            hasThe = hasThe || part.elementsEqual("the".utf8)
        }
        guard count >= 2 else { return false }
        func equals(_ part: ArraySlice<UInt8>, _ text: String) -> Bool { part.elementsEqual(text.utf8) }
        if equals(first, "your") || (equals(first, "arn") && equals(second, "of")) { return true }
        if hasOf && hasThe { return true }
        guard placeholderTails.contains(where: { last.elementsEqual($0) }) else { return false }
        // `account-id`, and longer descriptions ending so (`source-bucket-owner-account-id`).
        return placeholderStems.contains { first.elementsEqual($0) } || (count >= 4 && hasStem)
    }

    /// A service prefix that stands for any service (`service`, `someservice`,
    /// `service-prefix-1`): no AWS prefix is spelt so.
    public static func isServicePlaceholder(_ prefix: String) -> Bool {
        var word = prefix.lowercased()
        while let last = word.last, last.isNumber || last == "-" { word.removeLast() }
        return ["service", "someservice", "myservice", "yourservice", "service-prefix", "service-name", "servicename"]
            .contains(word)
    }

    static let placeholderStems: [[UInt8]] = ["arn", "account", "bucket", "key", "role", "user", "region", "my"].map {
        Array($0.utf8)
    }
    static let placeholderTails: [[UInt8]] = ["arn", "id", "name", "number"].map { Array($0.utf8) }

    static func isPlaceholderWord(_ word: String) -> Bool {
        let lowered = word.lowercased()
        if lowered.hasPrefix("your-") || lowered.hasPrefix("your_") || lowered.hasPrefix("arn-of")
            || lowered.containsBytes("-of-the-")
        {
            return true
        }
        // ACCOUNT_ID, BUCKET_NAME, KMS_KEY_ARN: shouting with underscores, ending in
        // what a value is (so enum values like SYMMETRIC_DEFAULT are not placeholders).
        let letters = word.unicodeScalars
        let shoutedParts = word.split(separator: "_").map(String.init)
        if shoutedParts.count >= 2,
            letters.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }),
            ["ID", "ARN", "NAME", "NUMBER", "REGION", "ACCOUNT"].contains(shoutedParts.last!)
                || ["YOUR", "MY", "REPLACE"].contains(shoutedParts.first!)
        {
            return true
        }
        // SNS-topic-ARN, SQS-queue-ARN: a description ending in a shouted ARN or ID.
        let written = word.split(whereSeparator: { $0 == "-" || $0 == "_" })
        if written.count >= 2, let tail = written.last, tail == "ARN" || tail == "ID" { return true }
        let stems = ["arn", "account", "bucket", "key", "role", "user", "region"]
        let tails = ["arn", "id", "name", "number"]
        let parts = lowered.split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
        if parts.count >= 2, let first = parts.first, let last = parts.last, stems.contains(first) || first == "my",
            tails.contains(last)
        {
            return true
        }
        // A longer description ending so: `source-bucket-owner-account-id` (not a
        // header in a condition key: `x-amz-server-side-encryption-aws-kms-key-id`).
        if parts.count >= 4, let last = parts.last, tails.contains(last),
            parts.dropLast().contains(where: stems.contains),
            !lowered.hasPrefix("x-amz-")
        {
            return true
        }
        if ["account_id", "accountid", "account-id", "region", "partition", "bucket", "bucketname"].contains(lowered)
            && word != lowered
        {
            return true
        }
        return false
    }

    /// What a placeholder most likely stands for, for the note.
    public static func meaning(of placeholder: String, context: String) -> String {
        let lowered = placeholder.lowercased()
        if lowered.contains("role") { return "an IAM role ARN" }
        if lowered.contains("user") { return "an IAM user ARN" }
        if lowered.contains("key") { return "a KMS key ARN" }
        if lowered.contains("bucket") { return "an S3 bucket name" }
        if lowered.contains("account") { return "a 12-digit AWS account id" }
        if lowered.contains("region") { return "an AWS Region such as us-east-1" }
        return context
    }
}
