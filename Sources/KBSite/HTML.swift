import Foundation

/// Escaping for the three places untrusted text lands in a page: element
/// content, attribute values, and JSON inside a `<script>` element.
public enum HTML {
    /// Text as element content: `&`, `<` and `>` escaped, so no markup starts.
    public static func escape(_ text: some StringProtocol) -> String {
        escaping(text, quotes: false)
    }

    /// Text as a double-quoted attribute value: quotes escaped too, so the value
    /// cannot end early and start another attribute.
    public static func attribute(_ text: some StringProtocol) -> String {
        escaping(text, quotes: true)
    }

    private static func escaping(_ text: some StringProtocol, quotes: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quotes: result += "&quot;"
            case "'" where quotes: result += "&#39;"
            case "\u{0}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// JSON made safe to embed in `<script type="application/json">`: `<` is
    /// written as `\u003c`, so `</script>` or `<!--` inside a string cannot close
    /// or confuse the element. U+2028/2029 are escaped for older parsers.
    public static func scriptJSON(_ json: String) -> String {
        var result = ""
        result.reserveCapacity(json.utf8.count)
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": result += "\\u003c"
            case ">": result += "\\u003e"
            case "&": result += "\\u0026"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Which link targets a page may carry. Schemes that run code or smuggle content
/// (`javascript:`, `vbscript:`, `data:` for links) are refused; browsers ignore
/// control characters and case inside a scheme, so those are folded first.
public enum SafeURL {
    static let allowedSchemes: Set<String> = ["http", "https", "mailto", "ftp"]

    /// The scheme of a destination, normalised as a browser reads it, or nil for
    /// a relative reference.
    static func scheme(of destination: String) -> String? {
        var scheme = ""
        for scalar in destination.unicodeScalars {
            if scalar.value <= 0x20 || scalar == "\u{7F}" { continue }
            if scalar == ":" { return scheme.lowercased() }
            guard scalar.isASCII,
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar)
            else {
                return nil
            }
            scheme.unicodeScalars.append(scalar)
        }
        return nil
    }

    /// Whether a link may point there: relative references, fragments and the
    /// allowed schemes.
    public static func isSafeLink(_ destination: String) -> Bool {
        guard let scheme = scheme(of: destination) else { return true }
        return allowedSchemes.contains(scheme)
    }

    /// The host of an absolute URL (`docs.aws.amazon.com`), or the text itself.
    public static func host(of url: String) -> String {
        guard let range = url.range(of: "://") else { return url }
        return String(url[range.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" })
    }

    /// Whether a destination leaves the site (and so is shown as a link, never loaded).
    public static func isRemote(_ destination: String) -> Bool {
        guard let scheme = scheme(of: destination) else { return destination.hasPrefix("//") }
        return scheme != "file"
    }
}
