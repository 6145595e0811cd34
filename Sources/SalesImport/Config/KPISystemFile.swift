import Foundation
import SalesCore

/// Reads the KPI system from YAML (see `Resources/default-kpi-system.yaml`, the seeds' default).
public enum KPISystemFile {
    public static func load(_ path: String) throws -> KPISystem { try read(YAMLNode.load(path)) }
    public static func parse(_ text: String, file: String = "kpi-system.yaml") throws -> KPISystem {
        try read(YAMLNode.parse(text, file: file))
    }

    /// The default KPI system shipped with SalesKPI.
    public static var defaultPath: String {
        Bundle.module.path(forResource: "default-kpi-system", ofType: "yaml", inDirectory: "Resources")!
    }
    public static func standard() throws -> KPISystem { try load(defaultPath) }

    /// Reads and lints a KPI system's text: the system and its catalog if it reads, and every finding,
    /// a syntax or formula error being one more error.
    public static func check(_ text: String, file: String) -> (
        read: (system: KPISystem, catalog: KPICatalog)?, findings: [KPISystemLinter.Finding]
    ) {
        do {
            let system = try parse(text, file: file)
            let catalog = try system.catalog()
            return ((system, catalog), KPISystemLinter().lint(system, catalog: catalog))
        } catch let e as ConfigError {
            return (nil, [.init(id: "syntax", severity: .error, line: e.line, message: e.problem)])
        } catch let e as KPICatalog.CatalogError {
            return (nil, [.init(id: "formula", severity: .error, message: e.message)])
        } catch {
            return (nil, [.init(id: "syntax", severity: .error, message: LocalizedText(verbatim: "\(error)"))])
        }
    }
    /// How messages name the version saved on the admin page.
    public static let savedName = "kpi-system (admin page)"
    public static var defaultText: String { (try? String(contentsOfFile: defaultPath, encoding: .utf8)) ?? "" }

    static func read(_ root: YAMLNode) throws -> KPISystem {
        var system = KPISystem()
        if let c = root["currency"]?.string { system.currency = c.uppercased() }
        if let tz = root["time_zone"] {
            guard let name = tz.string, TimeZone(identifier: name) != nil else {
                throw tz.fail(
                    LocalizedText("config.unknown_time_zone", ["zone": "\(tz.string ?? "")"]))
            }
            system.timeZone = name
        }
        if let country = root["country"] {
            guard let holidays = country.string.flatMap(PublicHolidays.init(country:)) else {
                throw country.fail(
                    LocalizedText(
                        "config.unknown_country",
                        [
                            "country": "\(country.string ?? "")",
                            "known": "\(PublicHolidays.countries.joined(separator: ", "))",
                        ]))
            }
            system.holidays = holidays
        }
        if let bonus = root["bonus"] {
            system.bonus = BonusSchedule(
                steps: try bonus.array.map {
                    .init(from: try $0.requireDouble("from"), coefficient: try $0.requireDouble("coefficient"))
                })
        }
        for node in root["custom_kpis"]?.array ?? [] {
            let id = try node.requireString("id")
            func choice<E: RawRepresentable>(_ key: String, _ fallback: E) throws -> E where E.RawValue == String {
                guard let v = node[key] else { return fallback }
                guard let s = v.string, let e = E(rawValue: s) else {
                    throw v.fail(
                        LocalizedText("config.unknown_value", ["key": "\(key)", "value": "\(v.string ?? "")"]))
                }
                return e
            }
            let formulaNode = try node.require("formula")
            let roles = try (node["roles"]?.array ?? []).map { r -> RepRole in
                guard let role = r.string.flatMap(RepRole.init(rawValue:)) else {
                    throw r.fail(
                        LocalizedText("config.unknown_role", ["role": "\(r.string ?? "")"]))
                }
                return role
            }
            do {
                let def = try KPIDefinition(
                    KPI.ID(id), en: node["name_en"]?.string ?? id,
                    ru: node["name_ru"]?.string ?? node["name_en"]?.string ?? id,
                    formula: formulaNode.string ?? "", unit: try choice("unit", KPIDefinition.Unit.count),
                    higherIsBetter: node["higher_is_better"]?.bool ?? true,
                    category: try choice("category", KPIDefinition.Category.extra),
                    nature: try choice("nature", KPIDefinition.Nature.result), roles: Set(roles))
                system.customKPIs.append(CustomKPI(definition: def, line: node.line))
            } catch let e as FormulaError {
                throw formulaNode.fail(
                    LocalizedText(
                        "config.formula_error",
                        ["id": "\(id)", "column": "\(e.column)", "message": .localized(e.message)]))
            }
        }
        for (name, node) in root["roles"]?.entries ?? [] {
            guard let role = RepRole(rawValue: name) else {
                throw node.fail(
                    LocalizedText("config.unknown_role", ["role": "\(name)"]))
            }
            var card = RoleScorecard(kpis: [])
            if let s = node["scope"] {
                guard let scope = s.string.flatMap(RoleScorecard.Scope.init(rawValue:)) else {
                    throw s.fail(LocalizedText("config.bad_scope"))
                }
                card.scope = scope
            }
            for k in try node.require("kpis").array {
                var item = ScorecardKPI(
                    kpi: KPI.ID(try k.requireString("kpi")), weight: try k.requireDouble("weight"), line: k.line)
                item.target = k["target"]?.double
                if let p = k["per"] {
                    guard let per = p.string.flatMap(ScorecardKPI.Per.init(rawValue:)) else {
                        throw p.fail(
                            LocalizedText(
                                "config.bad_per",
                                ["values": "\(ScorecardKPI.Per.allCases.map(\.rawValue).joined(separator: ", "))"]))
                    }
                    item.per = per
                }
                if let t = k["threshold"]?.double { item.threshold = t }
                if let c = k["cap"]?.double { item.cap = c }
                card.kpis.append(item)
            }
            system.roles[role] = card
        }
        return system
    }
}
