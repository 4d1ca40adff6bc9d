// swift-tools-version: 6.0
// libFuzzer targets for kbtool's parsers. A package of its own, so the root
// package's `swift build` and `swift test` never compile them. Build and run
// them with scripts/fuzz (Linux only: it needs `-sanitize=fuzzer`).
import PackageDescription

let package = Package(
    name: "kbtool-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "kbtool", path: "..")
    ],
    targets: [
        // Declares LLVMFuzzerRunDriver, which every target's main calls.
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "FuzzJSON",
            dependencies: [
                "CFuzzDriver",
                .product(name: "KBJSON", package: "kbtool"),
                .product(name: "KBDiagnostics", package: "kbtool"),
            ]
        ),
        .executableTarget(
            name: "FuzzGuide",
            dependencies: [
                "CFuzzDriver",
                .product(name: "KBGuide", package: "kbtool"),
                .product(name: "KBDiagnostics", package: "kbtool"),
            ]
        ),
        .executableTarget(
            name: "FuzzPolicy",
            dependencies: [
                "CFuzzDriver",
                .product(name: "KBJSON", package: "kbtool"),
                .product(name: "KBPolicy", package: "kbtool"),
                .product(name: "KBPolicyLint", package: "kbtool"),
                .product(name: "KBDiagnostics", package: "kbtool"),
            ]
        ),
        .executableTarget(
            name: "FuzzTranscript",
            dependencies: [
                "CFuzzDriver",
                .product(name: "KBShell", package: "kbtool"),
            ]
        ),
        .executableTarget(
            name: "FuzzCommands",
            dependencies: [
                "CFuzzDriver",
                .product(name: "KBShell", package: "kbtool"),
                .product(name: "KBCommandCheck", package: "kbtool"),
                .product(name: "KBDiagnostics", package: "kbtool"),
            ]
        ),
        .executableTarget(
            name: "FuzzPage",
            dependencies: [
                "CFuzzDriver",
                .product(name: "KBPageOracle", package: "kbtool"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
