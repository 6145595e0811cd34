import Foundation
import SalesCore
import Yams

/// A problem in a YAML config file, with its line.
public struct ConfigError: Error, Sendable {
    public var file: String
    public var line: Int
    public var problem: LocalizedText
    public func message(_ lang: Language) -> String { "\(file):\(line): \(problem(lang))" }
}

/// Walks a YAML tree keeping line numbers for messages.
struct YAMLNode {
    let node: Node
    let file: String
    var line: Int { (node.mark?.line ?? 0) }

    func fail(_ en: String, _ ru: String) -> ConfigError {
        ConfigError(file: file, line: line, problem: .init(en: en, ru: ru))
    }

    subscript(key: String) -> YAMLNode? {
        guard let map = node.mapping else { return nil }
        return map[Node(key)].map { YAMLNode(node: $0, file: file) }
    }
    var string: String? { node.scalar?.string }
    var double: Double? {
        string.flatMap { Double($0.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: " ", with: "")) }
    }
    var bool: Bool? { string.map { ["true", "yes", "1", "да"].contains($0.lowercased()) } }
    var array: [YAMLNode] { node.sequence.map { $0.map { YAMLNode(node: $0, file: file) } } ?? [] }
    var entries: [(String, YAMLNode)] {
        node.mapping.map { $0.map { ($0.key.string ?? "", YAMLNode(node: $0.value, file: file)) } } ?? []
    }

    func require(_ key: String) throws -> YAMLNode {
        guard let v = self[key] else { throw fail("'\(key)' is required here", "здесь нужен ключ «\(key)»") }
        return v
    }
    func requireString(_ key: String) throws -> String {
        guard let s = try require(key).string, !s.isEmpty else {
            throw fail("'\(key)' must be a text", "«\(key)» должно быть текстом")
        }
        return s
    }
    func requireDouble(_ key: String) throws -> Double {
        let v = try require(key)
        guard let d = v.double else {
            throw v.fail(
                "'\(key)' must be a number, not '\(v.string ?? "")'",
                "«\(key)» должно быть числом, а не «\(v.string ?? "")»")
        }
        return d
    }

    static func load(_ path: String) throws -> YAMLNode {
        let name = (path as NSString).lastPathComponent
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(
                file: name, line: 0,
                problem: .init(
                    en: "cannot read the file (missing, or not UTF-8)",
                    ru: "не удаётся прочитать файл (нет файла или не UTF-8)"))
        }
        return try parse(text, file: name)
    }

    static func parse(_ text: String, file: String) throws -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(file: file, line: 1, problem: .init(en: "the file is empty", ru: "файл пуст"))
            }
            return YAMLNode(node: node, file: file)
        } catch let e as YamlError {
            throw ConfigError(
                file: file, line: 0, problem: .init(en: "not valid YAML: \(e)", ru: "некорректный YAML: \(e)"))
        }
    }
}
