/// A KPI formula: arithmetic over base measures, other KPIs, the period's length and plans.
///
///     revenue / plan(revenue) * 100
///     (net_profit / prev(net_profit) - 1) * 100
///     todate(invoiced) - todate(paid)
///
/// Grammar: `expr := term (('+'|'-') term)*`, `term := unary (('*'|'/') unary)*`,
/// `unary := '-' unary | atom`, `atom := number | name | name '(' expr ')' | '(' expr ')'`.
/// Names are base measures, KPI ids, or `days`, `workdays`, `weeks`, `months` of the period.
/// Functions: `plan(kpi)` — the target; `prev(expr)` — the value over the previous period;
/// `todate(expr)` — the value from the beginning of history to the period's end (stocks such as
/// open deals or receivables). A division by zero makes the KPI "no value", never infinity.
public indirect enum Formula: Sendable, Hashable {
    case number(Double)
    case name(String)
    case negate(Formula)
    case binary(Character, Formula, Formula)
    case plan(String)
    case previous(Formula)
    case toDate(Formula)

    /// The names the formula mentions (measures, KPIs, variables), for validation and dependency order.
    public var names: Set<String> {
        switch self {
        case .number: []
        case .name(let n): [n]
        case .negate(let f), .previous(let f), .toDate(let f): f.names
        case .binary(_, let a, let b): a.names.union(b.names)
        case .plan(let k): [k]
        }
    }

    /// True if the formula is a plain sum or difference of counts and amounts (no ratio or stock):
    /// such KPIs add up over periods and slices, so their plans are prorated and summed.
    public var isAdditive: Bool {
        switch self {
        case .number, .name: true
        case .negate(let f): f.isAdditive
        case .binary(let op, let a, let b): (op == "+" || op == "-") && a.isAdditive && b.isAdditive
        case .plan, .previous, .toDate: false
        }
    }

    /// True if the value grows as the period runs: a sum of counts and amounts, or one scaled by a number or a
    /// plan (`revenue / plan(revenue) * 100`). Halfway through a quarter such a KPI stands near half its plan.
    public var accumulates: Bool {
        func isScale(_ f: Formula) -> Bool {
            switch f {
            case .number, .plan: true
            default: false
            }
        }
        return switch self {
        case .binary("*", let a, let b): a.accumulates && isScale(b) || isScale(a) && b.accumulates
        case .binary("/", let a, let b): a.accumulates && isScale(b)
        default: isAdditive
        }
    }
}

public struct FormulaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based column in the formula text.
    public var column: Int
    public var message: LocalizedText
    public var description: String { message.en + " (column \(column))" }
}

extension Formula {
    public static let variables: Set<String> = ["days", "workdays", "weeks", "months"]

    public static func parse(_ text: String) throws(FormulaError) -> Formula {
        var parser = FormulaParser(Array(text))
        let f = try parser.expression()
        parser.skipSpaces()
        if parser.pos < parser.chars.count {
            throw parser.error(
                LocalizedText("formula.unexpected_character", ["character": "\(parser.chars[parser.pos])"]))
        }
        return f
    }
}

private struct FormulaParser {
    let chars: [Character]
    var pos = 0
    init(_ chars: [Character]) { self.chars = chars }

    func error(_ m: LocalizedText, at p: Int? = nil) -> FormulaError {
        FormulaError(column: (p ?? pos) + 1, message: m)
    }

    mutating func skipSpaces() { while pos < chars.count, chars[pos].isWhitespace { pos += 1 } }

    mutating func peek() -> Character? {
        skipSpaces()
        return pos < chars.count ? chars[pos] : nil
    }

    mutating func expression() throws(FormulaError) -> Formula {
        var lhs = try term()
        while let op = peek(), op == "+" || op == "-" {
            pos += 1
            lhs = .binary(op, lhs, try term())
        }
        return lhs
    }

    mutating func term() throws(FormulaError) -> Formula {
        var lhs = try unary()
        while var op = peek(), op == "*" || op == "/" || op == "×" || op == "÷" {
            pos += 1
            op = op == "×" ? "*" : op == "÷" ? "/" : op
            lhs = .binary(op, lhs, try unary())
        }
        return lhs
    }

    /// How deep brackets, functions and signs may nest: every level is a call of the parser's (and later
    /// of the evaluator's), and a formula sent from the admin page must not exhaust the stack.
    static let maxDepth = 64
    var depth = 0

    mutating func unary() throws(FormulaError) -> Formula {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw error(
                LocalizedText("formula.too_deep", ["count": .count(Self.maxDepth)]))
        }
        if peek() == "-" || peek() == "−" {
            pos += 1
            return .negate(try unary())
        }
        return try atom()
    }

    mutating func atom() throws(FormulaError) -> Formula {
        guard let c = peek() else {
            throw error(
                LocalizedText("formula.ends_early"))
        }
        if c == "(" {
            pos += 1
            let inner = try expression()
            guard peek() == ")" else { throw error(LocalizedText("formula.closing_parenthesis_expected")) }
            pos += 1
            return inner
        }
        if c.isNumber || c == "." {
            let start = pos
            while pos < chars.count, chars[pos].isNumber || chars[pos] == "." { pos += 1 }
            guard let v = Double(String(chars[start..<pos])) else {
                throw error(LocalizedText("formula.bad_number"), at: start)
            }
            return .number(v)
        }
        if c.isLetter || c == "_" {
            let start = pos
            while pos < chars.count, chars[pos].isLetter || chars[pos].isNumber || chars[pos] == "_" { pos += 1 }
            let name = String(chars[start..<pos])
            guard peek() == "(" else { return .name(name) }
            pos += 1
            let argStart = pos
            let arg = try expression()
            guard peek() == ")" else { throw error(LocalizedText("formula.closing_parenthesis_expected")) }
            pos += 1
            switch name {
            case "prev": return .previous(arg)
            case "todate": return .toDate(arg)
            case "plan":
                guard case .name(let kpi) = arg else {
                    throw error(
                        LocalizedText("formula.plan_takes_kpi"), at: argStart)
                }
                return .plan(kpi)
            default:
                throw error(
                    LocalizedText("formula.unknown_function", ["name": "\(name)"]), at: start)
            }
        }
        throw error(LocalizedText("formula.unexpected_character", ["character": "\(c)"]))
    }
}
