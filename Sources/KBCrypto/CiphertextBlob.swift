import Crypto
import Foundation

/// The engine's ciphertext blob: what KMS hands back from Encrypt and
/// GenerateDataKey, and what Decrypt reads its key from.
///
/// Layout (all integers big-endian):
///
///     0x01                       format version
///     u16  n, n bytes            the key ARN (UTF-8)
///     u32                        the key material version that encrypted
///     16 bytes                   HKDF salt
///     12 bytes                   AES-GCM nonce
///     …                          ciphertext
///     16 bytes                   AES-GCM tag
///
/// Each blob has its own AES-256 key, derived with HKDF-SHA256 from the backing
/// key material, the salt, and the key ARN and version as `info`. The header and
/// the canonical encryption context are the additional authenticated data, so
/// changing any byte, or the context, makes decryption fail.
public struct CiphertextBlob: Hashable, Sendable {
    public static let formatVersion: UInt8 = 1
    static let saltSize = 16
    static let nonceSize = 12
    static let tagSize = 16

    public var keyARN: String
    public var materialVersion: UInt32
    public var salt: [UInt8]
    public var nonce: [UInt8]
    public var ciphertext: [UInt8]
    public var tag: [UInt8]

    /// The bytes authenticated besides the context: everything before the ciphertext.
    var header: [UInt8] {
        var out: [UInt8] = [Self.formatVersion]
        let arn = Array(keyARN.utf8)
        withUnsafeBytes(of: UInt16(arn.count).bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: arn)
        withUnsafeBytes(of: materialVersion.bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: salt)
        out.append(contentsOf: nonce)
        return out
    }

    public var bytes: [UInt8] { header + ciphertext + tag }

    /// Reads a blob; nil when the bytes cannot be one (KMS answers InvalidCiphertextException).
    public init?(bytes: [UInt8]) {
        var index = 0
        func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, index + count <= bytes.count else { return nil }
            defer { index += count }
            return bytes[index..<index + count]
        }
        guard let version = take(1), version.first == Self.formatVersion, let length = take(2) else { return nil }
        let arnLength = Int(length.first!) << 8 | Int(length.last!)
        guard let arn = take(arnLength), let keyARN = String(validating: arn, as: UTF8.self), let material = take(4),
            let salt = take(Self.saltSize), let nonce = take(Self.nonceSize), bytes.count - index >= Self.tagSize
        else { return nil }
        self.keyARN = keyARN
        self.materialVersion = material.reduce(0) { $0 << 8 | UInt32($1) }
        self.salt = Array(salt)
        self.nonce = Array(nonce)
        self.ciphertext = Array(bytes[index..<(bytes.count - Self.tagSize)])
        self.tag = Array(bytes[(bytes.count - Self.tagSize)...])
    }

    init(keyARN: String, materialVersion: UInt32, salt: [UInt8], nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
        self.keyARN = keyARN
        self.materialVersion = materialVersion
        self.salt = salt
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.tag = tag
    }
}

/// Failure to open a blob: tampered bytes, the wrong context, the wrong key.
public struct InvalidCiphertext: Error, Hashable, Sendable {}

/// Seals and opens blobs with real AES-256-GCM from swift-crypto.
public enum EnvelopeCipher {
    /// The per-blob key: HKDF-SHA256 over the backing key material.
    static func derivedKey(material: SymmetricKey, salt: [UInt8], keyARN: String, version: UInt32) -> SymmetricKey {
        var info = Array("kbtool kms blob v1".utf8)
        info.append(contentsOf: keyARN.utf8)
        withUnsafeBytes(of: version.bigEndian) { info.append(contentsOf: $0) }
        return HKDF<SHA256>.deriveKey(inputKeyMaterial: material, salt: salt, info: info, outputByteCount: 32)
    }

    public static func seal(
        _ plaintext: [UInt8], material: SymmetricKey, keyARN: String, version: UInt32, context: EncryptionContext,
        random: any RandomSource
    ) -> CiphertextBlob {
        var blob = CiphertextBlob(
            keyARN: keyARN, materialVersion: version, salt: random.bytes(CiphertextBlob.saltSize),
            nonce: random.bytes(CiphertextBlob.nonceSize), ciphertext: [], tag: [])
        let key = derivedKey(material: material, salt: blob.salt, keyARN: keyARN, version: version)
        // A 12-byte nonce is always valid for AES.GCM.Nonce, and sealing with a
        // valid key and nonce cannot fail.
        let nonce = try! AES.GCM.Nonce(data: blob.nonce)
        let sealed = try! AES.GCM.seal(
            plaintext, using: key, nonce: nonce, authenticating: blob.header + context.canonicalBytes)
        blob.ciphertext = Array(sealed.ciphertext)
        blob.tag = Array(sealed.tag)
        return blob
    }

    public static func open(_ blob: CiphertextBlob, material: SymmetricKey, context: EncryptionContext)
        throws(InvalidCiphertext)
        -> [UInt8]
    {
        let key = derivedKey(material: material, salt: blob.salt, keyARN: blob.keyARN, version: blob.materialVersion)
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: blob.nonce), ciphertext: blob.ciphertext, tag: blob.tag)
            return Array(try AES.GCM.open(box, using: key, authenticating: blob.header + context.canonicalBytes))
        } catch {
            throw InvalidCiphertext()
        }
    }
}
