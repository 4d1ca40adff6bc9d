import Crypto
import Foundation
import Synchronization

/// Where the engine's random bytes come from: key material, nonces, salts, ids.
///
/// `SeededRandom` makes a whole run reproducible (the same guide gives the same
/// key ids and blobs every time). That is for reproducible examples and tests,
/// not secrecy: anyone with the seed can recompute every key.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

/// A cryptographically secure generator: the operating system's (`/dev/urandom`
/// on Linux, the same generator as getrandom(2); `arc4random_buf` elsewhere). Its output is drawn 4 KiB at a time into a
/// pool, so small requests (nonces, salts, data keys) do not each cost a system
/// call; bytes are handed out once.
public final class SystemRandom: RandomSource {
    private static let poolSize = 4096
    private let pool = Mutex<[UInt8]>([])

    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        if count > Self.poolSize { return Self.draw(count) }
        return pool.withLock { pool in
            if pool.count < count { pool = Self.draw(Self.poolSize) }
            let out = Array(pool.suffix(count))
            pool.removeLast(count)
            return out
        }
    }

    #if canImport(Glibc)
        private static let urandom: Int32 = {
            let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            precondition(descriptor >= 0, "cannot open /dev/urandom: errno \(errno)")
            return descriptor
        }()
    #endif

    /// One bulk read. (swift-crypto's `SymmetricKey(size:)` fills 8 bytes per
    /// system call, which was a seventh of an S3 PutObject's time.)
    private static func draw(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            #if canImport(Glibc)
                var filled = 0
                while filled < count {
                    let got = read(Self.urandom, buffer.baseAddress! + filled, count - filled)
                    // EINTR is the only failure a read of /dev/urandom has.
                    if got > 0 { filled += got } else { precondition(errno == EINTR, "/dev/urandom: errno \(errno)") }
                }
            #else
                arc4random_buf(buffer.baseAddress!, count)
            #endif
            initialized = count
        }
    }
}

/// SHA-256 in counter mode over a seed: block i is SHA256(seed ‖ i). Deterministic
/// across runs and platforms; thread-safe, so one world can be shared.
public final class SeededRandom: RandomSource {
    private let seed: [UInt8]
    private let state = Mutex<(counter: UInt64, buffer: [UInt8])>((0, []))

    public init(seed: String) {
        self.seed = Array(seed.utf8)
    }

    public func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return state.withLock { state in
            while state.buffer.count < count {
                var block = seed
                withUnsafeBytes(of: state.counter.bigEndian) { block.append(contentsOf: $0) }
                state.buffer.append(contentsOf: SHA256.hash(data: block))
                state.counter += 1
            }
            let out = Array(state.buffer.prefix(count))
            state.buffer.removeFirst(count)
            return out
        }
    }
}

extension RandomSource {
    /// A version-4-shaped UUID from this source, lower case, as KMS key ids are.
    public func uuid() -> String {
        var raw = bytes(16)
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        let hex = Hex.encode(raw)
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
            hex.dropFirst(20),
        ]
        return parts.joined(separator: "-")
    }

    /// 32 lower-case hex digits, as in a multi-Region key id after `mrk-`.
    public func hex(_ byteCount: Int) -> String {
        Hex.encode(bytes(byteCount))
    }
}

/// Lower-case hexadecimal without Foundation's format machinery (ETags, ids).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
