// swift-tools-version: 6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The commit `kbtool --version` names, from the environment of the build
/// (reading git here would be cached with the manifest and go stale).
let buildCommit = String(
    (Context.environment["KBTOOL_COMMIT"] ?? "unknown").filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
        .prefix(64))

let package = Package(
    name: "kbtool",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kbtool", targets: ["kbtool"]),
        // Libraries for the fuzz targets in Fuzz/ (a separate package).
        .library(name: "KBDiagnostics", targets: ["KBDiagnostics"]),
        .library(name: "KBJSON", targets: ["KBJSON"]),
        .library(name: "KBGuide", targets: ["KBGuide"]),
        .library(name: "KBPolicy", targets: ["KBPolicy"]),
        .library(name: "KBPolicyLint", targets: ["KBPolicyLint"]),
        .library(name: "KBShell", targets: ["KBShell"]),
        .library(name: "KBCommandCheck", targets: ["KBCommandCheck"]),
        // The page oracle: the sanitiser's fuzz target (FuzzPage) and KBSiteTests share it.
        .library(name: "KBPageOracle", targets: ["KBPageOracle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // libcmark from Debian's libcmark-dev. KBGuide links its static library
        // (libcmark.a), so kbtool does not need libcmark.so where it runs.
        .systemLibrary(
            name: "CCmark",
            providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
        ),
        // The data kbtool needs at run time (catalogue, theme, built-in knowledge
        // base), compiled in as Swift source by scripts/embed.
        .target(name: "KBEmbedded", exclude: ["embedded-files.txt"], swiftSettings: strictSettings),
        // The git commit kbtool was built from: scripts/install and the GitHub
        // Action set KBTOOL_COMMIT; a plain `swift build` says "unknown".
        .target(
            name: "CKBBuildInfo",
            cSettings: [.define("KBTOOL_COMMIT", to: "\"\(buildCommit)\"")]
        ),
        // Source files, positions and diagnostics as data, plus their renderers.
        .target(name: "KBDiagnostics", swiftSettings: strictSettings),
        // A strict RFC 8259 parser that keeps every value's source range.
        .target(name: "KBJSON", swiftSettings: strictSettings),
        // Markdown guides (front matter, cmark tree) as immutable values.
        .target(
            name: "KBGuide",
            dependencies: [
                "CCmark", "KBDiagnostics",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: [
                // `-l:libcmark.a`: the static library, even where libcmark.so is installed too.
                .linkedLibrary(":libcmark.a", .when(platforms: [.linux])),
                .linkedLibrary("cmark", .when(platforms: [.macOS])),
            ]
        ),
        // IAM policies: grammar, the AWS action catalogue and the evaluation logic.
        .target(
            name: "KBPolicy",
            dependencies: ["KBDiagnostics", "KBJSON", "KBEmbedded"],
            // The catalogue's data file is compiled in through KBEmbedded.
            exclude: ["Resources"],
            swiftSettings: strictSettings
        ),
        // Access-Analyzer-style checks of policy documents against the catalogue.
        .target(
            name: "KBPolicyLint",
            dependencies: ["KBDiagnostics", "KBPolicy"],
            swiftSettings: strictSettings
        ),
        // What each code block of a guide is (policy, JSON data, transcript, shell
        // commands, configuration, other), with its JSON and policy parsed once.
        .target(
            name: "KBBlocks",
            dependencies: ["KBDiagnostics", "KBGuide", "KBJSON", "KBPolicy", "KBPolicyLint"],
            swiftSettings: strictSettings
        ),
        // KMS-style envelope encryption with real AES-GCM (swift-crypto).
        .target(
            name: "KBCrypto",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The simulated AWS world: KMS and S3 authorized by the policy model.
        .target(
            name: "KBCloud",
            dependencies: [
                "KBCrypto", "KBPolicy", "KBJSON", "KBDiagnostics",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The shell subset of guides' terminal sessions: parsing and a small interpreter.
        .target(name: "KBShell", swiftSettings: strictSettings),
        // JMESPath, for the AWS CLI's --query.
        .target(name: "KBJMESPath", dependencies: ["KBJSON"], swiftSettings: strictSettings),
        // AWS CLI v2's json, text and table output.
        .target(name: "KBCLIOutput", dependencies: ["KBJSON"], swiftSettings: strictSettings),
        // The AWS CLI's grammar, with no engine: the command model the parser
        // reads (the hand-written table of the commands kbtool runs), options,
        // global options and parsing; and the CLI v2's every command and option
        // as data (botocore + awscli), loaded lazily per service.
        .target(
            name: "KBCLIModel",
            dependencies: [
                "KBDiagnostics", "KBJSON", "KBJMESPath", "KBCLIOutput", "KBPolicy", "KBPolicyLint", "KBEmbedded",
            ],
            // The data file is compiled in through KBEmbedded.
            exclude: ["Resources"],
            swiftSettings: strictSettings
        ),
        // The AWS CLI, offline: parsed commands run against the simulated world.
        .target(
            name: "KBAWSCLI",
            dependencies: [
                "KBCLIModel", "KBCloud", "KBCrypto", "KBDiagnostics", "KBJSON", "KBJMESPath", "KBCLIOutput", "KBPolicy",
            ],
            swiftSettings: strictSettings
        ),
        // Every `aws` command of a guide, wherever it stands (transcripts, shell
        // and untagged blocks), checked against the CLI model: the command rules.
        .target(
            name: "KBCommandCheck",
            dependencies: ["KBBlocks", "KBCLIModel", "KBDiagnostics", "KBGuide", "KBShell"],
            swiftSettings: strictSettings
        ),
        // Guides' terminal sessions, run against the simulated world and checked.
        .target(
            name: "KBTranscript",
            dependencies: [
                "KBAWSCLI", "KBBlocks", "KBCLIModel", "KBCloud", "KBCommandCheck", "KBDiagnostics", "KBGuide", "KBJSON",
                "KBPolicy", "KBShell",
            ],
            swiftSettings: strictSettings
        ),
        // Understanding a guide as a whole: block kinds, the world its blocks
        // describe, consistency across blocks, the cross-account flow, facts.
        .target(
            name: "KBAnalysis",
            dependencies: ["KBBlocks", "KBDiagnostics", "KBGuide", "KBJSON", "KBPolicy", "KBPolicyLint", "KBCloud"],
            swiftSettings: strictSettings
        ),
        // The knowledge base's claims and prose rules, and the facts guides state.
        .target(
            name: "KBFacts",
            dependencies: ["KBDiagnostics", "KBGuide", "KBEmbedded", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // The checks `kbtool verify` runs over guides.
        .target(
            name: "KBChecks",
            dependencies: [
                "KBBlocks", "KBDiagnostics", "KBJSON", "KBGuide", "KBPolicy", "KBPolicyLint", "KBTranscript",
                "KBAnalysis", "KBFacts", "KBCommandCheck",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Reports for CI (SARIF, GitHub annotations, JUnit) and the rules' documentation.
        .target(name: "KBReporting", dependencies: ["KBChecks", "KBDiagnostics"], swiftSettings: strictSettings),
        // The static site `kbtool build` renders: pages, annotated examples, search.
        .target(
            name: "KBSite",
            dependencies: [
                "KBBlocks", "KBChecks", "KBDiagnostics", "KBGuide", "KBPolicy", "KBPolicyLint", "KBAnalysis",
                "KBFacts", "KBTranscript", "KBShell", "KBEmbedded", "KBJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // `kbtool serve`: a local HTTP server that rebuilds on change.
        .target(name: "KBServe", dependencies: ["KBSite"], swiftSettings: strictSettings),
        // The command-line interface, as a library so it can be tested.
        .target(
            name: "KBCommands",
            dependencies: [
                "KBChecks", "KBDiagnostics", "KBJSON", "KBPolicy", "KBPolicyLint", "KBReporting", "KBAnalysis",
                "KBFacts", "KBGuide", "KBTranscript", "KBSite", "KBServe", "KBEmbedded", "CKBBuildInfo",
                "KBCommandCheck",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "kbtool", dependencies: ["KBCommands"], swiftSettings: strictSettings),
        // Micro-benchmarks: `swift run -c release kbtool-bench`.
        .executableTarget(
            name: "kbtool-bench",
            dependencies: [
                "KBPolicy", "KBPolicyLint", "KBJSON", "KBDiagnostics", "KBCloud", "KBCrypto", "KBCLIModel",
                "KBGuide", "KBBlocks", "KBCommandCheck", .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/kbtool-bench",
            swiftSettings: strictSettings
        ),

        // Fixtures the tests share: temporary folders they remove, the repository's
        // inputs found from the package (not the working folder), and sites built from guides.
        .target(
            name: "KBTestSupport", dependencies: ["KBSite", "KBChecks", "KBDiagnostics"], path: "Tests/KBTestSupport",
            swiftSettings: strictSettings),
        // An independent judge of built pages: a tolerant HTML tokenizer, and the
        // checks that a guide's markup cannot run script or break out of its article.
        .target(
            name: "KBPageOracle", dependencies: ["KBSite", "KBChecks"], path: "Tests/KBPageOracle",
            swiftSettings: strictSettings),
        .testTarget(
            name: "KBEmbeddedTests",
            dependencies: ["KBEmbedded", "KBPolicy", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "KBDiagnosticsTests", dependencies: ["KBDiagnostics"], swiftSettings: strictSettings),
        .testTarget(
            name: "KBJSONTests", dependencies: ["KBJSON"], resources: [.copy("Cases")], swiftSettings: strictSettings),
        .testTarget(
            name: "KBPolicyTests",
            dependencies: ["KBPolicy", "KBJSON", "KBDiagnostics"],
            resources: [.copy("Cases")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KBPolicyLintTests",
            dependencies: ["KBPolicyLint", "KBPolicy", "KBJSON", "KBDiagnostics"],
            resources: [.copy("Cases")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "KBShellTests", dependencies: ["KBShell"], swiftSettings: strictSettings),
        .testTarget(
            name: "KBBlocksTests", dependencies: ["KBBlocks", "KBGuide", "KBJSON", "KBPolicy", "KBPolicyLint"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "KBAnalysisTests",
            dependencies: ["KBAnalysis", "KBBlocks", "KBGuide", "KBDiagnostics", "KBPolicyLint", "KBTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "KBFactsTests",
            dependencies: ["KBFacts", "KBGuide", "KBDiagnostics", .product(name: "Yams", package: "Yams")],
            // DevSet/dev.yml: the matcher's development set (KnowledgeBase/README.md).
            // HeldOut/: the held-out test set, never tuned on (HeldOut/README.md).
            resources: [.copy("DevSet"), .copy("HeldOut")], swiftSettings: strictSettings),
        .testTarget(
            name: "KBJMESPathTests",
            dependencies: ["KBJMESPath", "KBJSON"],
            resources: [.copy("Cases")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KBCLIOutputTests",
            dependencies: ["KBCLIOutput", "KBJSON"],
            resources: [.copy("Cases")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KBAWSCLITests", dependencies: ["KBAWSCLI", "KBCLIModel", "KBCloud", "KBJSON"],
            resources: [.copy("Cases")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "KBCLIModelTests",
            dependencies: ["KBCLIModel", "KBCLIOutput", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KBCommandCheckTests",
            dependencies: ["KBCommandCheck", "KBCLIModel", "KBBlocks", "KBGuide", "KBDiagnostics", "KBShell"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KBTranscriptTests",
            dependencies: ["KBTranscript", "KBGuide", "KBDiagnostics", "KBShell", "KBBlocks", "KBCommandCheck"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "KBCryptoTests", dependencies: ["KBCrypto"], swiftSettings: strictSettings),
        .testTarget(
            name: "KBCloudTests", dependencies: ["KBCloud", "KBCrypto", "KBPolicy"], swiftSettings: strictSettings),
        .testTarget(name: "KBGuideTests", dependencies: ["KBGuide", "KBDiagnostics"], swiftSettings: strictSettings),
        .testTarget(
            name: "KBChecksTests",
            dependencies: [
                "KBChecks", "KBBlocks", "KBGuide", "KBDiagnostics", "KBAnalysis", "KBTranscript", "KBTestSupport",
                "KBCommandCheck",
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KBSiteTests",
            dependencies: [
                "KBSite", "KBBlocks", "KBChecks", "KBAnalysis", "KBGuide", "KBPolicy", "KBPolicyLint", "KBJSON",
                "KBDiagnostics", "KBTestSupport", "KBPageOracle",
            ],
            exclude: ["Golden"], swiftSettings: strictSettings),
        .testTarget(
            name: "KBCommandsTests",
            dependencies: [
                "kbtool", "KBCommands", "KBServe", "KBDiagnostics", "KBReporting", "KBTestSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Schemas"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
