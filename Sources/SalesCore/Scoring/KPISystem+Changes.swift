extension KPISystem {
    /// What changed from `old`, one line per change, for the audit log: a KPI added to or removed from
    /// a role, a weight, target, threshold or cap changed, the bonus schedule, time zone or currency.
    public func changes(from old: KPISystem) -> [String] {
        var out: [String] = []
        func num(_ v: Double?) -> String { v.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "—" }
        for role in RepRole.allCases {
            let before = old.roles[role]?.kpis ?? []
            let after = roles[role]?.kpis ?? []
            for k in before where !after.contains(where: { $0.kpi == k.kpi }) {
                out.append("\(role.rawValue): − \(k.kpi) (weight \(num(k.weight)))")
            }
            for k in after {
                guard let was = before.first(where: { $0.kpi == k.kpi }) else {
                    out.append("\(role.rawValue): + \(k.kpi) (weight \(num(k.weight)), target \(num(k.target)))")
                    continue
                }
                var parts: [String] = []
                if was.weight != k.weight { parts.append("weight \(num(was.weight)) → \(num(k.weight))") }
                if was.target != k.target || was.per != k.per {
                    parts.append("target \(num(was.target))/\(was.per.rawValue) → \(num(k.target))/\(k.per.rawValue)")
                }
                if was.threshold != k.threshold {
                    parts.append("threshold \(num(was.threshold)) → \(num(k.threshold))")
                }
                if was.cap != k.cap { parts.append("cap \(num(was.cap)) → \(num(k.cap))") }
                if !parts.isEmpty { out.append("\(role.rawValue): \(k.kpi) " + parts.joined(separator: ", ")) }
            }
            if let a = old.roles[role]?.scope, let b = roles[role]?.scope, a != b {
                out.append("\(role.rawValue): scope \(a.rawValue) → \(b.rawValue)")
            }
        }
        if bonus != old.bonus {
            out.append(
                "bonus: " + bonus.steps.map { "≥\(num($0.from)) → \(num($0.coefficient))" }.joined(separator: ", "))
        }
        let oldCustom = Set(old.customKPIs.map { "\($0.definition.id) = \($0.definition.formulaText)" })
        for k in customKPIs where !oldCustom.contains("\(k.definition.id) = \(k.definition.formulaText)") {
            out.append("kpi \(k.definition.id) = \(k.definition.formulaText)")
        }
        if timeZone != old.timeZone { out.append("time zone \(old.timeZone) → \(timeZone)") }
        if currency != old.currency { out.append("currency \(old.currency) → \(currency)") }
        return out
    }
}
