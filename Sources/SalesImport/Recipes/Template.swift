import SalesCore

/// A value built from an input row: text with `{…}` parts, each a column (`{Deal owner}`), the first
/// non-empty of several (`{Company ?? Contact ?? "(no company)"}`), a column of a joined file
/// (`{leads.Source}`), then transformations in turn (`{Deal Stage | stages}`, `{Owner | lower}`).
struct Template: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case text(String)
        case value(Expression)
    }

    struct Expression: Sendable, Hashable {
        /// Tried in turn; the first that gives a non-empty value wins.
        var terms: [Term]
        /// A map of the recipe, or one of `Transform`'s words.
        var transforms: [String]
    }

    enum Term: Sendable, Hashable {
        /// A column by its name and its slot: the recipe numbers every name it uses, so that a reader finds a
        /// row's cell by an array index rather than hashing the name for every cell.
        case column(String, slot: Int)
        case literal(String)
    }

    var parts: [Part]
    let source: String

    /// Transformations that are not maps.
    static let builtIns: Set<String> = ["lower", "upper", "trim", "digits", "first_line"]

    /// `slots` numbers the column names of every template of a recipe; new names are added.
    init(_ source: String, slots: inout [String: Int]) throws(TemplateError) {
        self.source = source
        var parts: [Part] = []
        var text = ""
        var i = source.startIndex
        while i < source.endIndex {
            let ch = source[i]
            if ch == "{" {
                guard let close = source[i...].firstIndex(of: "}") else { throw TemplateError.unclosedBrace }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.value(try Self.expression(String(source[source.index(after: i)..<close]), &slots)))
                i = source.index(after: close)
            } else {
                text.append(ch)
                i = source.index(after: i)
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    private static func expression(_ body: String, _ slots: inout [String: Int]) throws(TemplateError) -> Expression {
        let pieces = body.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmedSpaces }
        var terms: [Term] = []
        for t in pieces[0].components(separatedBy: "??").map(\.trimmedSpaces) {
            if t.count >= 2 && t.hasPrefix("\"") && t.hasSuffix("\"") {
                terms.append(.literal(String(t.dropFirst().dropLast())))
            } else {
                guard !t.isEmpty else { throw TemplateError.emptyColumn }
                let slot = slots[t] ?? slots.count
                slots[t] = slot
                terms.append(.column(t, slot: slot))
            }
        }
        return Expression(terms: terms, transforms: Array(pieces.dropFirst()))
    }

    /// The columns the template reads, as written (`leads.Source` included).
    var columns: [String] {
        parts.flatMap { part -> [String] in
            guard case .value(let e) = part else { return [] }
            return e.terms.compactMap { if case .column(let c, _) = $0 { c } else { nil } }
        }
    }

    var maps: [String] {
        parts.flatMap { part -> [String] in
            guard case .value(let e) = part else { return [] }
            return e.transforms.filter { !Self.builtIns.contains($0) }
        }
    }

    /// The value for a row: `column` reads a column's text by its name and slot, `map` translates through a
    /// recipe's map (nil: the value is not in it). Empty when every part is empty.
    func evaluate(column: (String, Int) -> String?, map: (String, String) -> String?) -> Result<String, Miss> {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .value(let e):
                var value = ""
                for term in e.terms {
                    switch term {
                    case .literal(let l): value = l
                    case .column(let c, let slot): value = column(c, slot)?.trimmedSpaces ?? ""
                    }
                    if !value.isEmpty { break }
                }
                for t in e.transforms {
                    switch t {
                    case "lower": value = value.lowercased()
                    case "upper": value = value.uppercased()
                    case "trim": value = value.trimmedSpaces
                    case "digits": value = value.filter(\.isNumber)
                    case "first_line": value = String(value.prefix { $0 != "\n" && $0 != "\r" })
                    default:
                        if value.isEmpty { continue }
                        guard let mapped = map(t, value) else { return .failure(Miss(map: t, value: value)) }
                        value = mapped
                    }
                }
                out += value
            }
        }
        return .success(out)
    }

    /// A value a map does not know.
    struct Miss: Error, Hashable {
        var map: String
        var value: String
    }
}

enum TemplateError: Error {
    case unclosedBrace, emptyColumn
}
