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

    func fail(_ problem: LocalizedText) -> ConfigError {
        ConfigError(file: file, line: line, problem: problem)
    }

    subscript(key: String) -> YAMLNode? {
        guard let map = node.mapping else { return nil }
        return map[Node(key)].map { YAMLNode(node: $0, file: file) }
    }
    var string: String? { node.scalar?.string }
    var double: Double? {
        string.flatMap { Double($0.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: " ", with: "")) }
    }
    var bool: Bool? { string.map { RowReader.trueWords.contains($0.lowercased()) } }
    var array: [YAMLNode] { node.sequence.map { $0.map { YAMLNode(node: $0, file: file) } } ?? [] }
    var entries: [(String, YAMLNode)] {
        node.mapping.map { $0.map { ($0.key.string ?? "", YAMLNode(node: $0.value, file: file)) } } ?? []
    }

    func require(_ key: String) throws -> YAMLNode {
        guard let v = self[key] else { throw fail(LocalizedText("config.required_here", ["key": "\(key)"])) }
        return v
    }
    func requireString(_ key: String) throws -> String {
        guard let s = try require(key).string, !s.isEmpty else {
            throw fail(LocalizedText("config.not_text", ["key": "\(key)"]))
        }
        return s
    }
    func requireDouble(_ key: String) throws -> Double {
        let v = try require(key)
        guard let d = v.double else {
            throw v.fail(
                LocalizedText("config.not_a_number", ["key": "\(key)", "value": "\(v.string ?? "")"]))
        }
        return d
    }

    static func load(_ path: String) throws -> YAMLNode {
        let name = (path as NSString).lastPathComponent
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(
                file: name, line: 0,
                problem: LocalizedText("config.unreadable"))
        }
        return try parse(text, file: name)
    }

    static func parse(_ text: String, file: String) throws -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(file: file, line: 1, problem: LocalizedText("config.empty_file"))
            }
            return YAMLNode(node: node, file: file)
        } catch let e as YamlError {
            throw ConfigError(
                file: file, line: 0, problem: LocalizedText("config.invalid_yaml", ["error": "\(e)"]))
        }
    }
}
