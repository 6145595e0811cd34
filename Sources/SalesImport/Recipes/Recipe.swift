import Foundation
import SalesCore
import SalesStorage

/// How a CRM's export becomes SalesKPI's records, declared in YAML (docs/recipes.md): which files it has,
/// how values are written, which records each row yields and how values translate. The presets are recipes
/// shipped with the program (`Resources/Recipes/`); `saleskpi import --recipe FILE` reads anyone's.
public struct Recipe: Sendable {
    public struct Input: Sendable {
        public var name: String
        /// Which of the given files this is: a pattern of its name (`*deal*`, `Opportunity.csv`); `*` takes them all.
        public var file: String
        /// Headers the file must have (also how `--preset auto` recognises the export).
        public var needs: [String]
        /// A row's key, for joins from other inputs.
        var key: Template?
        public var optional: Bool
    }

    /// One kind of record built from the rows of one input.
    struct Rule: Sendable {
        var kind: EventKind
        var from: String
        var fields: [(String, Template)]
        /// One record per distinct external id (a rep or an account named on many deal rows).
        var distinct: Bool
        /// Rows yield the record only when every template's value is one of the listed values (kept as `mapKey`s)…
        var when: [(Template, Set<String>)]
        /// …and none of these.
        var unless: [(Template, Set<String>)]
        /// Other inputs' rows this row sees as `{input.Column}`: the row whose key equals the template's value.
        var joins: [(String, Template)]
        /// Rows are read in the order of this value (ISO times sort as text): a history's first entry into a
        /// stage is the one the funnel dates.
        var order: Template?
        let line: Int
    }

    public var name: String
    public var about: String
    public var inputs: [Input]
    var rules: [Rule]
    /// Named value maps (`stages`, `currencies`, …); keys compared without case.
    var maps: [String: [String: String]]
    public var datePatterns: [String]
    public var eitherDecimalSeparator: Bool
    public var decimalSeparator: Character
    public var encoding: TextDecoding.Encoding?
    /// Values that mean "none" (Salesforce's `000000000000000AAA` for an empty lookup).
    var emptyValues: Set<String> = []
    /// Every column name the templates use, by slot.
    var columnNames: [String] = []
    /// The map whose unknown values get a ready-to-edit stub in the error.
    static let stageMap = "stages"

    /// Adds a user's stage names (`--stage-map FILE`) over the recipe's.
    public mutating func addStages(_ stages: [String: String]) {
        for (k, v) in stages { maps[Self.stageMap, default: [:]][Self.mapKey(k)] = v }
    }

    /// The SalesKPI stage a CRM's stage name maps to, as the recipe's stage map says (a connector reads the same
    /// names through the CRM's API as its export preset does in the file).
    public func stage(named name: String) -> DealStage? {
        maps[Self.stageMap]?[Self.mapKey(name)].flatMap(DealStage.init(rawValue:))
    }

    static func mapKey(_ s: String) -> String { s.trimmedSpaces.lowercased() }
}

extension Recipe {
    public static func load(_ path: String) throws -> Recipe { try read(YAMLNode.load(path)) }

    public static func parse(_ text: String, file: String) throws -> Recipe {
        try read(YAMLNode.parse(text, file: file))
    }

    /// The presets shipped with the program, by name.
    public static let presetNames = [
        "amocrm", "bitrix24", "hubspot", "pipedrive", "salesforce-report", "salesforce-export",
    ]

    public static func preset(_ name: String) throws -> Recipe? {
        guard let parsed = shipped[name] else { return nil }
        return try parsed.get()
    }

    /// The presets, parsed once: the import form lists them on every visit, `auto` tries each in turn.
    private static let shipped: [String: Result<Recipe, ConfigError>] = Dictionary(
        uniqueKeysWithValues: presetNames.compactMap { name in
            guard let path = Bundle.module.path(forResource: name, ofType: "yaml", inDirectory: "Resources/Recipes")
            else { return nil }
            let file = "\(name).yaml"
            do {
                return (name, .success(try parse(String(contentsOfFile: path, encoding: .utf8), file: file)))
            } catch let e as ConfigError {
                return (name, .failure(e))
            } catch {
                return (name, .failure(ConfigError(file: file, line: 0, problem: LocalizedText("config.unreadable"))))
            }
        })

    static func read(_ root: YAMLNode) throws -> Recipe {
        var slots: [String: Int] = [:]
        func template(_ node: YAMLNode) throws -> Template {
            guard let text = node.string else { throw node.fail(LocalizedText("recipe.not_text")) }
            do {
                return try Template(text, slots: &slots)
            } catch {
                let example = "{Column}, {A ?? B}, {Column | map}"
                throw node.fail(
                    LocalizedText("recipe.bad_template", ["template": .text(text), "example": .text(example)]))
            }
        }
        func strings(_ node: YAMLNode?) -> [String] {
            guard let node else { return [] }
            return node.array.isEmpty ? [node.string].compactMap { $0 } : node.array.compactMap(\.string)
        }
        func conditions(_ node: YAMLNode?) throws -> [(Template, Set<String>)] {
            try (node?.entries ?? []).map { key, values in
                (try template(YAMLNode(node: .init(key), file: root.file)), Set(strings(values).map(mapKey)))
            }
        }
        var inputs: [Input] = []
        for node in (try root.require("inputs")).array {
            inputs.append(
                Input(
                    name: try node.requireString("name"), file: node["file"]?.string ?? "*",
                    needs: strings(node["needs"]),
                    key: try node["key"].map(template), optional: node["optional"]?.bool ?? false))
        }
        let inputNames = Set(inputs.map(\.name))
        var maps: [String: [String: String]] = [:]
        for (name, node) in root["maps"]?.entries ?? [] {
            maps[name] = Dictionary(
                node.entries.map { (mapKey($0.0), $0.1.string ?? "") }, uniquingKeysWith: { first, _ in first })
        }
        var rules: [Rule] = []
        for node in (try root.require("records")).array {
            let kindName = try node.requireString("kind")
            guard let kind = EventKind.allCases.first(where: { $0.rawValue == kindName }) else {
                throw node.fail(
                    LocalizedText(
                        "config.bad_kind", ["values": .text(EventKind.allCases.map(\.rawValue).joined(separator: ", "))]
                    ))
            }
            let from = node["from"]?.string ?? inputs.first?.name ?? ""
            guard inputNames.contains(from) else {
                throw node.fail(LocalizedText("recipe.unknown_input", ["input": .text(from)]))
            }
            let known = Set(CanonicalSchema.fields(kind).map(\.name))
            var fields: [(String, Template)] = []
            for (field, value) in try node.require("fields").entries {
                guard known.contains(field) else {
                    throw value.fail(
                        LocalizedText(
                            "config.unknown_field",
                            [
                                "field": .text(field), "kind": .text(kind.rawValue),
                                "fields": .text(known.sorted().joined(separator: ", ")),
                            ]))
                }
                fields.append((field, try template(value)))
            }
            var joins: [(String, Template)] = []
            for (input, key) in node["join"]?.entries ?? [] {
                guard inputs.contains(where: { $0.name == input && $0.key != nil }) else {
                    throw key.fail(
                        LocalizedText("recipe.join_without_key", ["input": .text(input), "example": "key: \"{ID}\""]))
                }
                joins.append((input, try template(key)))
            }
            let rule = Rule(
                kind: kind, from: from, fields: fields, distinct: node["distinct"]?.bool ?? false,
                when: try conditions(node["when"]), unless: try conditions(node["unless"]), joins: joins,
                order: try node["order_by"].map(template), line: node.line)
            for (_, t) in rule.fields {
                for m in t.maps where maps[m] == nil {
                    throw node.fail(LocalizedText("recipe.unknown_map", ["map": .text(m)]))
                }
            }
            rules.append(rule)
        }
        var recipe = Recipe(
            name: root["name"]?.string ?? root.file, about: root["about"]?.string ?? "", inputs: inputs, rules: rules,
            maps: maps, datePatterns: strings(root["dates"]), eitherDecimalSeparator: false, decimalSeparator: ".",
            encoding: nil)
        recipe.emptyValues = Set(strings(root["empty_values"]))
        recipe.columnNames = Array(repeating: "", count: slots.count)
        for (name, slot) in slots { recipe.columnNames[slot] = name }
        switch root["decimal"]?.string ?? "." {
        case "auto", "either": recipe.eitherDecimalSeparator = true
        case let d where d.count == 1: recipe.decimalSeparator = d.first!
        default: throw root["decimal"]!.fail(LocalizedText("config.bad_decimal"))
        }
        if let e = root["encoding"] {
            guard let encoding = TextDecoding.Encoding(name: e.string ?? "") else {
                throw e.fail(LocalizedText("config.bad_encoding"))
            }
            recipe.encoding = encoding
        }
        return recipe
    }
}

/// A user's stage names (`--stage-map FILE`): `"Stage name": won`, at the top or under `stages:`, as the
/// stub in the unknown-stages error is written.
public enum StageMapFile {
    public static func load(_ path: String) throws -> [String: String] {
        let root = try YAMLNode.load(path)
        var stages: [String: String] = [:]
        for (name, node) in (root["stages"] ?? root).entries {
            guard let value = node.string, DealStage(rawValue: value.lowercased()) != nil else {
                let values = DealStage.allCases.map(\.rawValue).joined(separator: ", ")
                throw node.fail(
                    LocalizedText(
                        "recipe.bad_stage",
                        ["name": .text(name), "value": .text(node.string ?? ""), "values": .text(values)]))
            }
            stages[name] = value.lowercased()
        }
        return stages
    }
}

/// A connection's rep map (`saleskpi connect --rep-map FILE`): the CRM's users, by their id or e-mail, each to the
/// SalesKPI rep (by id) it is, when the reps came first from an export or by hand.
/// `reps: {"6871234": R-01, "anna@firm.ru": R-02}`.
public enum RepMapFile {
    public static func load(_ path: String) throws -> [String: String] {
        let root = try YAMLNode.load(path)
        var reps: [String: String] = [:]
        for (user, node) in (root["reps"] ?? root).entries {
            guard let rep = node.string, !rep.isEmpty else {
                throw node.fail(LocalizedText("connect.bad_rep", ["name": .text(user)]))
            }
            reps[user] = rep
        }
        return reps
    }
}
