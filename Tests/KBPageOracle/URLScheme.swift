/// The scheme a browser finds in an attribute's URL (its value with character
/// references already decoded), by the WHATWG URL parser's first steps:
/// leading and trailing C0 controls and spaces are stripped, tabs and newlines
/// removed anywhere, the scheme is ASCII case-insensitive and ends at `:`.
public enum URLScheme {
    public static func of(_ url: String) -> String? {
        var scalars = Array(url.unicodeScalars)
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = scalars.first, first.isASCII, first.properties.isAlphabetic else { return nil }
        var scheme = ""
        for scalar in scalars {
            if scalar == ":" { return scheme.isEmpty ? nil : scheme }
            guard scalar.isASCII,
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar)
            else { return nil }
            scheme.unicodeScalars.append(HTMLTokenizer.lowered(scalar))
        }
        return nil
    }

    /// Schemes that run code, or carry a document that can, when followed.
    public static let dangerous: Set<String> = ["javascript", "vbscript", "data", "livescript", "mocha"]

    /// Attributes a browser reads as URLs.
    public static let attributes: Set<String> = [
        "href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data", "srcset",
        "ping", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest", "icon", "profile", "usemap", "archive",
        "classid", "itemtype", "imagesrcset",
    ]

    /// The URLs of an attribute: `srcset` holds several, comma-separated, each
    /// followed by its descriptor.
    public static func urls(in attribute: String, value: String) -> [String] {
        guard attribute == "srcset" || attribute == "imagesrcset" else { return [value] }
        return value.split(separator: ",").map { candidate in
            let trimmed = candidate.drop { $0.isWhitespace }
            return String(trimmed.prefix { !$0.isWhitespace })
        }
    }
}
