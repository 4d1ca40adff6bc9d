import Crypto
import Foundation
import KBCrypto
import Testing

@Suite struct EnvelopeCipherTests {
    static let arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    static let material = SymmetricKey(data: SeededRandom(seed: "material").bytes(32))
    static let context: EncryptionContext = ["aws:s3:arn": "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"]

    static func seal(_ plaintext: String = "quarterly numbers", seed: String = "blob") -> CiphertextBlob {
        EnvelopeCipher.seal(
            Array(plaintext.utf8), material: material, keyARN: arn, version: 1, context: context,
            random: SeededRandom(seed: seed))
    }

    @Test func roundTrips() throws {
        let blob = Self.seal()
        let reread = try #require(CiphertextBlob(bytes: blob.bytes))
        #expect(reread == blob)
        #expect(reread.keyARN == Self.arn)
        let plaintext = try EnvelopeCipher.open(reread, material: Self.material, context: Self.context)
        #expect(String(decoding: plaintext, as: UTF8.self) == "quarterly numbers")
    }

    @Test func changingAnyByteIsRejected() {
        let bytes = Self.seal().bytes
        for index in bytes.indices {
            var tampered = bytes
            tampered[index] ^= 0x01
            if let blob = CiphertextBlob(bytes: tampered) {
                #expect(
                    throws: InvalidCiphertext.self, "byte \(index) changed and still opened",
                    performing: { try EnvelopeCipher.open(blob, material: Self.material, context: Self.context) })
            }
        }
    }

    @Test func truncatedOrExtendedBlobsAreRejected() {
        let bytes = Self.seal().bytes
        for length in [0, 1, 3, 20, bytes.count - 1] {
            let blob = CiphertextBlob(bytes: Array(bytes.prefix(length)))
            if let blob {
                #expect(throws: InvalidCiphertext.self) {
                    try EnvelopeCipher.open(blob, material: Self.material, context: Self.context)
                }
            }
        }
        let longer = CiphertextBlob(bytes: bytes + [0])!
        #expect(throws: InvalidCiphertext.self) {
            try EnvelopeCipher.open(longer, material: Self.material, context: Self.context)
        }
    }

    @Test(
        arguments: [
            EncryptionContext(),
            ["aws:s3:arn": "arn:aws:s3:::amzn-s3-demo-bucket/REPORT.csv"],
            ["AWS:S3:ARN": "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"],
            ["aws:s3:arn": "arn:aws:s3:::amzn-s3-demo-bucket/report.csv", "extra": "pair"],
            ["aws:s3:arn": "arn:aws:s3:::amzn-s3-demo-bucket"],
        ] as [EncryptionContext])
    func anyOtherContextIsRejected(_ context: EncryptionContext) {
        let blob = Self.seal()
        #expect(throws: InvalidCiphertext.self) {
            try EnvelopeCipher.open(blob, material: Self.material, context: context)
        }
    }

    @Test func contextOrderDoesNotMatterButBoundariesDo() {
        let ab: EncryptionContext = ["a": "1", "b": "2"]
        let ba = EncryptionContext(["b": "2", "a": "1"])
        #expect(ab.canonicalBytes == ba.canonicalBytes)
        let split1: EncryptionContext = ["a": "bc"]
        let split2: EncryptionContext = ["ab": "c"]
        #expect(split1.canonicalBytes != split2.canonicalBytes)
    }

    @Test func anotherKeyCannotOpen() {
        let blob = Self.seal()
        let other = SymmetricKey(data: SeededRandom(seed: "other").bytes(32))
        #expect(throws: InvalidCiphertext.self) {
            try EnvelopeCipher.open(blob, material: other, context: Self.context)
        }
    }

    @Test func aFixedSeedGivesAFixedBlob() {
        // Known answer: the blob format, HKDF and AES-GCM together. If this changes,
        // ciphertexts written by earlier versions no longer decrypt.
        let blob = Self.seal("kbtool", seed: "known-answer")
        let hex = blob.bytes.map { String(format: "%02x", $0) }.joined()
        #expect(hex.count == (1 + 2 + Self.arn.utf8.count + 4 + 16 + 12 + 6 + 16) * 2)
        #expect(hex == Self.knownAnswer)
    }

    static let knownAnswer =
        "01004b61726e3a6177733a6b6d733a75732d656173742d313a3131313132323232333333333a6b65792f31323334616263642d313261622d333463642d353665662d31323334353637383930616200000001c698e7b7cdae002e432510441bfd2e6b25b820036916c00cafb5396c5847c6b32b61f74cbf61002de003ddf7079827755cc0"

    @Test func systemRandomGivesTheRequestedBytesAndDiffers() {
        let random = SystemRandom()
        #expect(random.bytes(0).isEmpty)
        #expect(random.bytes(13).count == 13)
        #expect(random.bytes(32) != random.bytes(32))
    }

    @Test func seededRandomIsReproducibleAndSeedsDiffer() {
        #expect(SeededRandom(seed: "a").bytes(64) == SeededRandom(seed: "a").bytes(64))
        #expect(SeededRandom(seed: "a").bytes(32) != SeededRandom(seed: "b").bytes(32))
        let random = SeededRandom(seed: "ids")
        let id = random.uuid()
        #expect(id.count == 36)
        #expect(Array(id)[14] == "4")
        #expect(random.uuid() != id)
    }
}
