import KBAWSCLI
import KBCLIModel
import KBDiagnostics
import KBGuide

/// The world a guide's transcripts run in, from its front matter:
///
/// ```yaml
/// kbtool:
///   region: us-east-1
///   profiles:
///     owner-admin:
///       principal: arn:aws:iam::111122223333:role/KeyAdmin
///       policies: [admin-policy.json]
///     owner-root: arn:aws:iam::111122223333:root
///   default-profile: owner-admin
///   variables: {BUCKET: amzn-s3-demo-bucket}
///   encrypt-new-objects-by-default: false   # S3 before January 2023
///   grant-propagation-seconds: 300          # new KMS grants need their token until then
///   seed: partner-reports                   # key ids and blobs derive from it
/// ```
///
/// The seed defaults to the guide's `id`, else its file name, so ids do not
/// change with the folder kbtool is run from.
public struct TranscriptSetup: Sendable {
    public struct Profile: Sendable {
        public var principal: String
        /// Titles of the guide's JSON blocks attached as identity policies.
        public var policies: [(title: String, range: SourceRange)]
        public var region: String?
        public var range: SourceRange
    }

    public var region = "us-east-1"
    public var profiles: [String: Profile] = [:]
    public var defaultProfile: String?
    public var variables: [String: String] = [:]
    public var encryptNewObjectsByDefault = true
    /// How long KMS grants take to propagate (World.setGrantPropagationDelay).
    public var grantPropagationSeconds = 0
    public var seed: String?

    /// Reads `kbtool:`; problems are diagnostics located in the YAML.
    public static func read(_ frontMatter: FrontMatter?) -> (TranscriptSetup, [Diagnostic]) {
        var setup = TranscriptSetup()
        var diagnostics: [Diagnostic] = []
        guard let settings = frontMatter?.kbtool, let entries = settings.entries else { return (setup, []) }
        func complain(_ message: String, _ range: SourceRange, notes: [String] = []) {
            diagnostics.append(Diagnostic(.error, .transcriptSetup, message, at: range, notes: notes))
        }
        let known = [
            "region", "profiles", "default-profile", "variables", "encrypt-new-objects-by-default", "seed",
            "grant-propagation-seconds",
        ]
        for entry in entries {
            switch entry.key {
            case "region":
                if let region = entry.value.scalarText {
                    setup.region = region
                } else {
                    complain("'region' must be a Region name such as us-east-1", entry.value.range)
                }
            case "default-profile":
                setup.defaultProfile = entry.value.scalarText
            case "seed":
                setup.seed = entry.value.scalarText
            case "encrypt-new-objects-by-default":
                if case .bool(let on) = entry.value.kind {
                    setup.encryptNewObjectsByDefault = on
                } else {
                    complain("'encrypt-new-objects-by-default' must be true or false", entry.value.range)
                }
            case "grant-propagation-seconds":
                if let text = entry.value.scalarText, let seconds = Int(text), (0...3_600).contains(seconds) {
                    setup.grantPropagationSeconds = seconds
                } else {
                    complain(
                        "'grant-propagation-seconds' must be a whole number of seconds from 0 to 3600",
                        entry.value.range)
                }
            case "variables":
                guard let variables = entry.value.entries else {
                    complain("'variables' must map names to values", entry.value.range)
                    continue
                }
                for variable in variables {
                    guard let value = variable.value.scalarText else {
                        complain("variable '\(variable.key)' must be a single value", variable.value.range)
                        continue
                    }
                    setup.variables[variable.key] = value
                }
            case "profiles":
                guard let profiles = entry.value.entries else {
                    complain("'profiles' must map profile names to principals", entry.value.range)
                    continue
                }
                for profile in profiles {
                    if let principal = profile.value.string {
                        setup.profiles[profile.key] = Profile(
                            principal: principal, policies: [], region: nil, range: profile.keyRange)
                        continue
                    }
                    guard let principal = profile.value["principal"]?.scalarText else {
                        complain(
                            "profile '\(profile.key)' needs a principal ARN", profile.value.range,
                            notes: [
                                "write `\(profile.key): arn:aws:iam::ACCOUNT:role/NAME`, or a mapping with `principal:` and `policies:`"
                            ])
                        continue
                    }
                    var policies: [(String, SourceRange)] = []
                    if let list = profile.value["policies"] {
                        if let titles = list.sequence {
                            for title in titles {
                                if let text = title.scalarText { policies.append((text, title.range)) }
                            }
                        } else if let text = list.scalarText {
                            policies.append((text, list.range))
                        }
                    }
                    setup.profiles[profile.key] = Profile(
                        principal: principal, policies: policies, region: profile.value["region"]?.scalarText,
                        range: profile.keyRange)
                }
            default:
                let suggestion = Suggestion.closest(to: entry.key, in: known)
                complain(
                    "unknown kbtool setting '\(entry.key)'", entry.keyRange,
                    notes: suggestion.map { ["did you mean '\($0)'?"] } ?? [])
            }
        }
        if let name = setup.defaultProfile, setup.profiles[name] == nil,
            let entry = entries.first(where: { $0.key == "default-profile" })
        {
            complain("the default profile '\(name)' is not declared under 'profiles'", entry.value.range)
        }
        return (setup, diagnostics)
    }

    var cliProfiles: [String: CLIProfile] {
        profiles.mapValues { CLIProfile(principal: $0.principal, region: $0.region) }
    }
}
