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
        /// A finding whose message is `linter.<id>` (dashes as underscores) in the message files.
        func add(_ id: String, _ sev: Finding.Severity, _ role: RepRole?, _ line: Int?, _ arguments: MessageArguments) {
            let message = LocalizedText("linter.\(id.replacingOccurrences(of: "-", with: "_"))", arguments)
            out.append(Finding(id: id, severity: sev, role: role, line: line, message: message))
        }
        let roles = RepRole.allCases.filter { system.roles[$0] != nil }
        for role in roles {
            let card = system.roles[role]!
            let r = role.rawValue
            let known = card.kpis.compactMap { catalog[$0.kpi] }
            for item in card.kpis where catalog[item.kpi] == nil {
                add(
                    "unknown-kpi", .error, role, item.line, ["role": .text(r), "kpi": "\(item.kpi)"])
            }
            let total = card.kpis.reduce(0) { $0 + $1.weight }
            if abs(total - 100) > 0.001 {
                add(
                    "weights-sum", .error, role, card.kpis.first?.line,
                    ["role": .text(r), "total": "\(Self.number(total))"])
            }
            if card.kpis.count > 5 {
                add(
                    "too-many-kpis", .warning, role, card.kpis.first?.line,
                    ["role": .text(r), "count": .count(card.kpis.count)])
            } else if card.kpis.count < 3 {
                add(
                    "too-few-kpis", .warning, role, card.kpis.first?.line,
                    ["role": .text(r), "count": .count(card.kpis.count)])
            }
            if !known.isEmpty, !known.contains(where: { $0.nature == .quality }) {
                add(
                    "no-quality-kpi", .warning, role, card.kpis.first?.line, ["role": .text(r)])
            }
            if !known.isEmpty, known.allSatisfy({ $0.nature == .activity }) {
                add(
                    "activity-only", .warning, role, card.kpis.first?.line, ["role": .text(r)])
            }
            for item in card.kpis {
                guard let kpi = catalog[item.kpi], !kpi.roles.contains(role) else { continue }
                let suits = kpi.roles.map(\.rawValue).sorted().joined(separator: ", ")
                add(
                    "kpi-not-for-role", .warning, role, item.line,
                    ["role": .text(r), "kpi": "\(kpi.id)", "roles": "\(suits)"])
            }
        }
        for (i, a) in roles.enumerated() {
            for b in roles[(i + 1)...]
            where Set(system.roles[a]!.kpis.map(\.kpi)) == Set(system.roles[b]!.kpis.map(\.kpi)) {
                add(
                    "same-set", .warning, b, system.roles[b]!.kpis.first?.line,
                    ["role": .text(a.rawValue), "other_role": .text(b.rawValue)])
            }
        }
        return out
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
    }
}
