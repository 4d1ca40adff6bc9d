import KBFacts

/// A fact's badge: its status, linked to its claim on the claims page, and
/// to the section that demonstrates the claim.
enum FactBadge {
    static func html(_ fact: FactResult, claimsPage: String, resolveDemonstration: (String) -> String?) -> String {
        let status = fact.status.rawValue
        var badge = ""
        if let claim = fact.claim {
            badge +=
                " <a class=\"badge fact-badge status-\(status)\" href=\"\(HTML.attribute(claimsPage))#claim-\(HTML.attribute(claim))\" title=\"claim \(HTML.attribute(claim))\">\(status)</a>"
        } else {
            badge +=
                " <span class=\"badge fact-badge status-\(status)\" title=\"no claim of the knowledge base states this\">\(status)</span>"
        }
        if let demonstration = fact.demonstration, let href = resolveDemonstration(demonstration) {
            badge += " <a class=\"fact-demo\" href=\"\(HTML.attribute(href))\">demonstration</a>"
        }
        return badge
    }
}
