import KBAnalysis
import KBBlocks
import KBDiagnostics
import KBGuide
import KBPolicy
import KBPolicyLint
import KBShell
import KBTranscript

/// The guide's cross-account flow as the engine ran it: a table that needs no script.
enum FlowView {
    static func render(_ flow: FlowResult) -> String {
        var html = "<section class=\"flow\" aria-labelledby=\"cross-account-flow\">"
        html +=
            "<h2 id=\"cross-account-flow\">Cross-account flow <a class=\"hash-link\" href=\"#cross-account-flow\" aria-label=\"Link to this section: Cross-account flow\">#</a></h2>"
        guard flow.missing.isEmpty else {
            html +=
                "<p>kbtool could not run this guide's flow: it lacks \(HTML.escape(PolicySummary.join(flow.missing))).</p></section>\n"
            return html
        }
        html +=
            "<p>kbtool ran the guide's policies in its engine: the partner <code>\(HTML.escape(flow.partner))</code> "
        html +=
            "uses the bucket <code>\(HTML.escape(flow.bucket))</code>, encrypted with <code>\(HTML.escape(flow.keyARN))</code>. "
        html +=
            flow.works
            ? "<strong class=\"flow-verdict flow-works\">The flow works.</strong>"
            : "<strong class=\"flow-verdict flow-fails\">The flow fails.</strong>"
        html += "</p>"
        html +=
            "<table class=\"flow-table\"><thead><tr><th scope=\"col\">Request</th><th scope=\"col\">Result</th><th scope=\"col\">Why</th></tr></thead><tbody>"
        for step in flow.steps {
            let result = step.allowed ? "allowed" : step.intended ? "denied" : "denied (not granted by the guide)"
            html +=
                "<tr class=\"\(step.allowed ? "decision-allowed" : "decision-denied")\"><td><code>s3:\(HTML.escape(step.operation))</code></td><td>\(result)</td><td>"
            if !step.allowed {
                html += HTML.escape(step.denied ?? "")
                if !step.deniedBy.isEmpty {
                    html +=
                        " — change the " + HTML.escape(PolicySummary.join(step.deniedBy.map(\.rawValue), with: "or"))
                }
                if let reason = step.reason { html += "<br><span class=\"flow-reason\">\(HTML.escape(reason))</span>" }
                if !step.trace.isEmpty {
                    html +=
                        "<details><summary>Policy trace</summary><ul>"
                        + step.trace.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></details>"
                }
            }
            html += "</td></tr>"
        }
        html += "</tbody></table>"
        if !flow.substitutions.isEmpty {
            html += "<p class=\"flow-substitutions\">Placeholders ran as: "
            html += flow.substitutions.map {
                "<code>\(HTML.escape($0.placeholder))</code> (\(HTML.escape($0.actor))) = <code>\(HTML.escape($0.value))</code>"
            }.joined(separator: ", ")
            html += ".</p>"
        }
        return html + "</section>\n"
    }
}

/// The request explorer: its data embedded as inert JSON, and a form the script
/// fills in. Without a script only a note shows.
enum ExplorerView {
    static func render(_ data: ExplorerData) -> String {
        var html = "<section class=\"explorer\" id=\"request-explorer\" aria-labelledby=\"request-explorer-title\">"
        html +=
            "<h2 id=\"request-explorer-title\">Request explorer <a class=\"hash-link\" href=\"#request-explorer\" aria-label=\"Link to this section: Request explorer\">#</a></h2>"
        html +=
            "<p>Pick who asks, what and on which resource: the decision and its trace were computed by kbtool's engine with this guide's policies, for every combination.</p>"
        html +=
            "<noscript><p class=\"explorer-noscript\">The explorer needs JavaScript; the flow above shows the main requests.</p></noscript>"
        html += "<form class=\"explorer-form\" hidden>"
        html += "<label>Principal <select name=\"principal\"></select></label>"
        html += "<label>Action <select name=\"action\"></select></label>"
        html += "<label>Resource <select name=\"resource\"></select></label></form>"
        html += "<output class=\"explorer-result\" aria-live=\"polite\"></output>"
        html +=
            "<script type=\"application/json\" class=\"explorer-data\">\(HTML.scriptJSON(SiteJSON.encode(data)))</script>"
        return html + "</section>\n"
    }
}
