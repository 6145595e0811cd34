/// A formula whose names are resolved against a catalog once, so that evaluating it indexes arrays
/// instead of hashing names: a department scorecard evaluates thousands of formulas.
indirect enum LinkedFormula: Sendable {
    enum Variable: Sendable { case days, workdays, weeks, months }

    case number(Double)
    case measure(BaseMeasure)
    case variable(Variable)
    /// Another KPI, by its position in the catalog.
    case kpi(Int)
    /// A name the catalog does not know: no value.
    case unknown
    case negate(LinkedFormula)
    case binary(Character, LinkedFormula, LinkedFormula)
    case plan(Int)
    case previous(LinkedFormula)
    case toDate(LinkedFormula)

    /// Names resolve as measures first, then period variables, then KPIs.
    init(_ f: Formula, positions: [KPI.ID: Int]) {
        switch f {
        case .number(let v): self = .number(v)
        case .name(let n):
            if let m = BaseMeasure.byID[n] {
                self = .measure(m)
                return
            }
            switch n {
            case "days": self = .variable(.days)
            case "workdays": self = .variable(.workdays)
            case "weeks": self = .variable(.weeks)
            case "months": self = .variable(.months)
            default: self = positions[KPI.ID(n)].map { .kpi($0) } ?? .unknown
            }
        case .negate(let a): self = .negate(LinkedFormula(a, positions: positions))
        case .binary(let op, let a, let b):
            self = .binary(op, LinkedFormula(a, positions: positions), LinkedFormula(b, positions: positions))
        case .plan(let k): self = positions[KPI.ID(k)].map { .plan($0) } ?? .unknown
        case .previous(let a): self = .previous(LinkedFormula(a, positions: positions))
        case .toDate(let a): self = .toDate(LinkedFormula(a, positions: positions))
        }
    }
}
