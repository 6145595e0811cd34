import Foundation

/// Checks a KPI system against the mistakes the seeds warn about.
public struct KPISystemLinter {
    public struct Finding: Sendable, Equatable {
        public enum Severity: String, Sendable { case warning, error }
        public var id: String
        public var severity: Severity
        public var role: RepRole?
        public var line: Int?
        public var message: LocalizedText
        public init(id: String, severity: Severity, role: RepRole? = nil, line: Int? = nil, message: LocalizedText) {
            self.id = id
            self.severity = severity
            self.role = role
            self.line = line
            self.message = message
        }
    }

    public init() {}

    public func lint(_ system: KPISystem, catalog: KPICatalog) -> [Finding] {
        var out: [Finding] = []
        func add(_ id: String, _ sev: Finding.Severity, _ role: RepRole?, _ line: Int?, en: String, ru: String) {
            out.append(Finding(id: id, severity: sev, role: role, line: line, message: LocalizedText(en: en, ru: ru)))
        }
        let roles = RepRole.allCases.filter { system.roles[$0] != nil }
        for role in roles {
            let card = system.roles[role]!
            let r = role.rawValue
            let known = card.kpis.compactMap { catalog[$0.kpi] }
            for item in card.kpis where catalog[item.kpi] == nil {
                add(
                    "unknown-kpi", .error, role, item.line,
                    en:
                        "role \(r): unknown KPI '\(item.kpi)'. `saleskpi kpis` lists the catalog; define your own "
                        + "under custom_kpis.",
                    ru:
                        "роль \(r): неизвестный KPI «\(item.kpi)». Каталог — `saleskpi kpis`; свои KPI задаются в "
                        + "custom_kpis."
                )
            }
            let total = card.kpis.reduce(0) { $0 + $1.weight }
            if abs(total - 100) > 0.001 {
                add(
                    "weights-sum", .error, role, card.kpis.first?.line,
                    en: "role \(r): weights sum to \(Self.number(total)) %, not 100 %.",
                    ru: "роль \(r): сумма весов \(Self.number(total)) %, а не 100 %.")
            }
            if card.kpis.count > 5 {
                add(
                    "too-many-kpis", .warning, role, card.kpis.first?.line,
                    en:
                        "role \(r) has \(card.kpis.count) KPIs: with more than 5 people lose focus. Keep the 3–5 that "
                        + "drive the result.",
                    ru:
                        "у роли \(r) \(card.kpis.count) KPI: больше 5 — и сотрудник теряет фокус. Оставьте 3–5 "
                        + "ключевых."
                )
            } else if card.kpis.count < 3 {
                add(
                    "too-few-kpis", .warning, role, card.kpis.first?.line,
                    en:
                        "role \(r) has \(card.kpis.count) KPI(s): fewer than 3 leave whole parts of the job "
                        + "unmeasured. Use 3–5.",
                    ru: "у роли \(r) \(card.kpis.count) KPI: меньше 3 — часть работы не оценивается. Используйте 3–5.")
            }
            if !known.isEmpty, !known.contains(where: { $0.nature == .quality }) {
                add(
                    "no-quality-kpi", .warning, role, card.kpis.first?.line,
                    en:
                        "role \(r) has no qualitative KPI: add NPS, CSAT, objection handling or CRM discipline so "
                        + "volume does not crowd out quality.",
                    ru:
                        "у роли \(r) нет качественного KPI: добавьте NPS, CSAT, работу с возражениями или дисциплину "
                        + "CRM, чтобы объём не вытеснял качество."
                )
            }
            if !known.isEmpty, known.allSatisfy({ $0.nature == .activity }) {
                add(
                    "activity-only", .warning, role, card.kpis.first?.line,
                    en:
                        "role \(r) measures only activity: calls and meetings without a result KPI (conversion, deals, "
                        + "revenue) reward motion, not sales.",
                    ru:
                        "роль \(r) оценивается только по активности: звонки и встречи без KPI результата (конверсия, "
                        + "сделки, выручка) поощряют суету, а не продажи."
                )
            }
            for item in card.kpis {
                guard let kpi = catalog[item.kpi], !kpi.roles.contains(role) else { continue }
                let suits = kpi.roles.map(\.rawValue).sorted().joined(separator: ", ")
                add(
                    "kpi-not-for-role", .warning, role, item.line,
                    en: "role \(r): '\(kpi.id)' is a KPI for \(suits); check that it measures what this role controls.",
                    ru: "роль \(r): «\(kpi.id)» — KPI для \(suits); проверьте, что роль действительно на него влияет.")
            }
        }
        for (i, a) in roles.enumerated() {
            for b in roles[(i + 1)...]
            where Set(system.roles[a]!.kpis.map(\.kpi)) == Set(system.roles[b]!.kpis.map(\.kpi)) {
                add(
                    "same-set", .warning, b, system.roles[b]!.kpis.first?.line,
                    en:
                        "roles \(a.rawValue) and \(b.rawValue) have the same KPI set: each role needs metrics of its "
                        + "own job.",
                    ru:
                        "у ролей \(a.rawValue) и \(b.rawValue) одинаковый набор KPI: у каждой роли должны быть свои "
                        + "метрики."
                )
            }
        }
        return out
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
    }
}
