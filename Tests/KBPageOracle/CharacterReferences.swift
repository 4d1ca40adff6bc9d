/// Character references in an attribute value, decoded as the WHATWG tokenizer
/// decodes them: numeric ones with or without `;` (C1 numbers mapped as
/// windows-1252, invalid ones to U+FFFD), named ones case-sensitively. The
/// oracle knows the named references that spell URL syntax (`&colon;`,
/// `&Tab;`, `&sol;`…) and the legacy ones without `;`; any other name is
/// reported as undecoded rather than guessed, so a URL holding one is judged
/// unreadable instead of safe.
enum CharacterReferences {
    static let named: [String: String] = [
        "amp": "&", "AMP": "&", "lt": "<", "LT": "<", "gt": ">", "GT": ">", "quot": "\"", "QUOT": "\"",
        "apos": "'", "nbsp": "\u{A0}", "colon": ":", "Tab": "\t", "NewLine": "\n", "excl": "!", "num": "#",
        "dollar": "$", "percnt": "%", "lpar": "(", "rpar": ")", "ast": "*", "midast": "*", "plus": "+",
        "comma": ",", "period": ".", "sol": "/", "semi": ";", "equals": "=", "quest": "?", "commat": "@",
        "lsqb": "[", "lbrack": "[", "bsol": "\\", "rsqb": "]", "rbrack": "]", "lowbar": "_", "UnderBar": "_",
        "grave": "`", "DiacriticalGrave": "`", "lcub": "{", "lbrace": "{", "verbar": "|", "vert": "|",
        "VerticalLine": "|", "rcub": "}", "rbrace": "}", "hyphen": "\u{2010}", "dash": "\u{2010}",
        "copy": "©", "reg": "®", "mdash": "—", "ndash": "–", "hellip": "…", "rarr": "→", "larr": "←",
        "middot": "·", "zwj": "\u{200D}", "zwnj": "\u{200C}", "shy": "\u{AD}",
    ]
    /// Named references a browser decodes without their `;`.
    static let legacy: Set<String> = [
        "amp", "AMP", "lt", "LT", "gt", "GT", "quot", "QUOT", "nbsp", "copy", "reg", "shy",
    ]

    /// windows-1252 for numeric references 0x80–0x9F, as browsers map them.
    static let c1: [UInt32: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
        0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
        0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
        0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ]

    static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }

    /// The decoded value, and whether a reference was left undecoded.
    static func decodeAttribute(_ raw: String) -> (String, Bool) {
        guard raw.unicodeScalars.contains("&") || raw.unicodeScalars.contains("\u{0}") else { return (raw, false) }
        let s = Array(raw.unicodeScalars)
        var out = ""
        var undecoded = false
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\u{0}" {
                out.unicodeScalars.append("\u{FFFD}")
                i += 1
                continue
            }
            guard c == "&", i + 1 < s.count else {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            if s[i + 1] == "#" {
                var j = i + 2
                let hex = j < s.count && (s[j] == "x" || s[j] == "X")
                if hex { j += 1 }
                let digitsStart = j
                var value: UInt32 = 0
                while j < s.count,
                    hex ? (s[j].properties.isASCIIHexDigit) : ("0"..."9").contains(s[j])
                {
                    let digit = UInt32(String(s[j]), radix: hex ? 16 : 10)!
                    value = min(value &* (hex ? 16 : 10) &+ digit, 0x11_0000)
                    j += 1
                }
                guard j > digitsStart else {
                    out.unicodeScalars.append(c)
                    i += 1
                    continue
                }
                if j < s.count, s[j] == ";" { j += 1 }
                let mapped = c1[value] ?? value
                let scalar =
                    (mapped == 0 || mapped > 0x10FFFF || (0xD800...0xDFFF).contains(mapped))
                    ? "\u{FFFD}" : Unicode.Scalar(mapped)!
                out.unicodeScalars.append(scalar)
                i = j
                continue
            }
            var j = i + 1
            var name = ""
            while j < s.count, isAlphanumeric(s[j]), name.unicodeScalars.count < 40 {
                name.unicodeScalars.append(s[j])
                j += 1
            }
            guard !name.isEmpty else {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            if j < s.count, s[j] == ";", let decoded = named[name] {
                out += decoded
                i = j + 1
                continue
            }
            // Without `;`: the longest legacy name that prefixes it, unless `=`
            // or an alphanumeric follows (then a browser keeps the text as it is).
            if let prefix = legacy.filter({ name.hasPrefix($0) }).max(by: { $0.count < $1.count }) {
                let after = i + 1 + prefix.unicodeScalars.count
                if after < s.count, s[after] == "=" || isAlphanumeric(s[after]) {
                    out.unicodeScalars.append(c)
                    i += 1
                    continue
                }
                out += named[prefix]!
                i = after
                continue
            }
            // A name this table does not hold: a browser may decode it.
            if j < s.count, s[j] == ";" { undecoded = true }
            out.unicodeScalars.append(c)
            i += 1
        }
        return (out, undecoded)
    }
}
