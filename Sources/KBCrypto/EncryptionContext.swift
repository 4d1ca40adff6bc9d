/// KMS encryption context: non-secret string pairs bound to a ciphertext as
/// additional authenticated data. Decrypt needs exactly the same pairs.
public struct EncryptionContext: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public var pairs: [String: String]

    public init(_ pairs: [String: String] = [:]) {
        self.pairs = pairs
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.pairs = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The canonical byte form: pairs sorted by the UTF-8 bytes of their keys, each
    /// key and value prefixed with its length (4 bytes, big-endian). The prefixes
    /// keep `{"a":"bc"}` and `{"ab":"c"}` apart; the sort makes order irrelevant.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt32(pairs.count).bigEndian) { out.append(contentsOf: $0) }
        for (key, value) in pairs.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
            for text in [key, value] {
                let bytes = Array(text.utf8)
                withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { out.append(contentsOf: $0) }
                out.append(contentsOf: bytes)
            }
        }
        return out
    }
}
