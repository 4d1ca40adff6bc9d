import KBAnalysis
import KBChecks
import KBDiagnostics
import KBFacts
import KBGuide
import KBPolicy
import KBPolicyLint
import KBSite
import KBTranscript

extension RuleRegistry {
    /// Every rule kbtool reports: each module's registration list, from the
    /// parser up to the site. A new module with rules adds its list here.
    public static let kbtool = RuleRegistry([
        GuideRules.all, CheckRules.all, TranscriptRules.all, AnalysisRules.all, FactRules.all,
        PolicyGrammarRules.all, PolicyLintRules.all, SiteRules.all,
    ])
}
