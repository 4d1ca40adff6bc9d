import KBChecks
import KBDiagnostics
import KBGuide

/// The home page's list of guides: grouped by the sidebar's categories, each
/// guide with its status (verified, problems, not checked) and what was
/// checked in it, and totals that count only what was actually checked.
enum HomePage {
    /// The anchor of a category's group on the home page (where the sidebar's
    /// "… N more" links lead).
    static func sectionID(_ key: String) -> String {
        guard !key.isEmpty else { return "all-guides" }
        let slug = key.lowercased().unicodeScalars.map {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) ? String($0) : "-"
        }
        return "section-" + slug.joined()
    }

    /// The lead paragraph: how many guides, in which state, and what was checked.
    static func summary(tallies: [GuideTally]) -> String {
        var verified = 0
        var problems = 0
        var unchecked = 0
        var checked = CheckCounts()
        for status in tallies {
            checked = checked + status.checked
            switch status.status {
            case .verified: verified += 1
            case .problems: problems += 1
            case .notChecked: unchecked += 1
            }
        }
        let passed = tallies.map(\.passed).reduce(0, +)
        let failed = tallies.map(\.failed).reduce(0, +)
        var text =
            "\(tallies.count) guide\(tallies.count == 1 ? "" : "s"): \(verified) verified, \(problems) with problems, \(unchecked) with nothing kbtool can check."
        if checked.total > 0 {
            text +=
                " kbtool checked \(checked.words) against the policy model, the simulated AWS and the knowledge base's claims (with each guide's links and front matter: \(passed) checks passed, \(failed) failed)."
        } else {
            text += " No guide holds a policy, a command or a fact that kbtool checks."
        }
        return text
    }

    /// Every guide, grouped by category in sidebar order.
    static func list(navigation: SiteNavigation, tallies: [GuideTally]) -> String {
        var html = ""
        var loose: [Int] = []
        func group(_ category: SidebarTree.Category, level: Int) {
            var pages: [Int] = category.link.map { [$0] } ?? []
            var children: [SidebarTree.Category] = []
            for item in category.items {
                switch item {
                case .page(let index): pages.append(index)
                case .category(let child): children.append(child)
                }
            }
            let heading = min(level, 4)
            html +=
                "<section class=\"guide-group\" id=\"\(HTML.attribute(sectionID(category.key)))\"><h\(heading)>\(HTML.escape(category.label)) <span class=\"guide-group-count\">\(count(category)) guide\(count(category) == 1 ? "" : "s")</span></h\(heading)>\n"
            if !pages.isEmpty { html += cards(pages, navigation: navigation, tallies: tallies) }
            for child in children { group(child, level: level + 1) }
            html += "</section>\n"
        }
        var groups: [SidebarTree.Category] = []
        for item in navigation.tree.items {
            switch item {
            case .page(let index): loose.append(index)
            case .category(let category): groups.append(category)
            }
        }
        if !loose.isEmpty {
            html += "<section class=\"guide-group\" id=\"all-guides\">"
            if !groups.isEmpty { html += "<h2>Guides</h2>\n" }
            html += cards(loose, navigation: navigation, tallies: tallies) + "</section>\n"
        }
        for category in groups { group(category, level: 2) }
        return html
    }

    static func count(_ category: SidebarTree.Category) -> Int {
        category.items.reduce(category.link == nil ? 0 : 1) { total, item in
            switch item {
            case .page: return total + 1
            case .category(let child): return total + count(child)
            }
        }
    }

    static func cards(_ indexes: [Int], navigation: SiteNavigation, tallies: [GuideTally]) -> String {
        var html = "<ul class=\"guide-list\">"
        for index in indexes {
            let page = navigation.pages[index]
            let findings = tallies[index]
            let status = findings.status
            html +=
                "<li class=\"guide-entry\"><a href=\"\(HTML.attribute(SitePaths.href(page.outputPath)))\">\(HTML.escape(page.title))</a> "
            html += "<span class=\"badge badge-status status-\(status.cssClass)\">\(status.words)</span>"
            if findings.checked.total > 0 {
                html += " <span class=\"guide-counts\">\(findings.checked.words)</span>"
            }
            if let description = page.metadata.description {
                html += "<p class=\"guide-description\">\(HTML.escape(description))</p>"
            }
            html += "</li>"
        }
        return html + "</ul>\n"
    }
}
