import Foundation
import KBPolicy

extension Verifier {
    /// kbtool's version, for cache keys (the command layer owns the displayed one).
    public static let version = "0.1.0"

    /// What every cached result depends on beyond its guide: kbtool itself (its
    /// version and the binary's size and time), the AWS catalogue, and how
    /// strictly it runs.
    public var cacheKey: String { "\(binaryKey) strict \(strict)" }

    /// kbtool itself: its version, the binary's size and time, and the AWS catalogue.
    var binaryKey: String {
        let path =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let executable = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let binary =
            "\((executable[.size] as? NSNumber)?.intValue ?? 0)@\((executable[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        return "kbtool \(Self.version) \(binary) catalogue \(ServiceCatalogue.shippedFingerprint)"
    }
}
