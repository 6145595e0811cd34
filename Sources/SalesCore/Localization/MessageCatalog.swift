import Foundation

/// A message's key, named by where it is read: `report.unknown_kpi`, `kpi.win_rate.name`, `measure.calls.meaning`.
public struct MessageKey: RawRepresentable, Hashable, Sendable, ExpressibleByStringInterpolation,
    CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
}

/// A value for a message's placeholder, written `{name}` in the catalog.
public enum MessageArgument: Sendable, Hashable, ExpressibleByStringInterpolation {
    case text(String)
    /// A text that itself differs by language, such as a KPI's name.
    case localized(LocalizedText)
    /// A number: `shown` is what the text reads, `value` picks the plural form when the placeholder is `count`.
    case number(Double, shown: String)

    public init(stringLiteral value: String) { self = .text(value) }

    public static func count(_ n: Int) -> MessageArgument { .number(Double(n), shown: String(n)) }

    func shown(in language: Language) -> String {
        switch self {
        case .text(let text): text
        case .localized(let text): text(language)
        case .number(_, let shown): shown
        }
    }
}

public typealias MessageArguments = [String: MessageArgument]

/// Every text a person reads, by key, in every language: one JSON file per language in `Resources/Messages`, each
/// member a text or, for a message with a `{count}`, an object with a form per plural category of the language
/// (`{"one": "{count} call", "other": "{count} calls"}`; Russian has one, few, many and other).
/// Loaded once, on first use, and never changed: it can be read from any thread.
public struct MessageCatalog: Sendable {
    public enum Entry: Sendable, Hashable, Decodable {
        case text(String)
        case plural([PluralCategory: String])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
                return
            }
            let forms = try container.decode([String: String].self)
            var byCategory: [PluralCategory: String] = [:]
            for (name, text) in forms {
                guard let category = PluralCategory(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "unknown plural category \(name)")
                }
                byCategory[category] = text
            }
            self = .plural(byCategory)
        }
    }

    /// The argument whose number picks a plural message's form.
    public static let countArgument = "count"

    /// The languages, English first (the fallback), then by code.
    public let languages: [Language]
    public let entries: [Language: [MessageKey: Entry]]

    public static let shared: MessageCatalog = {
        do {
            return try MessageCatalog(directory: bundledDirectory)
        } catch {
            fatalError("the message catalog in \(bundledDirectory.path) cannot be read: \(error)")
        }
    }()

    public static var bundledDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Messages", isDirectory: true)
    }

    /// Reads every `<language code>.json` in `directory`.
    public init(directory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        var entries: [Language: [MessageKey: Entry]] = [:]
        for file in files {
            let members = try JSONDecoder().decode([String: Entry].self, from: Data(contentsOf: file))
            let language = Language(code: file.deletingPathExtension().lastPathComponent)
            entries[language] = Dictionary(
                uniqueKeysWithValues: members.map { (MessageKey(rawValue: $0.key), $0.value) })
        }
        self.entries = entries
        languages = entries.keys.sorted { ($0 != .en ? 1 : 0, $0.rawValue) < ($1 != .en ? 1 : 0, $1.rawValue) }
    }

    /// The message in `language` (else in English, else its key), its placeholders filled from `arguments`.
    public func text(_ key: MessageKey, _ arguments: MessageArguments = [:], in language: Language) -> String {
        guard let entry = entries[language]?[key] ?? entries[.en]?[key] else { return key.rawValue }
        let template: String
        switch entry {
        case .text(let text):
            template = text
        case .plural(let forms):
            let category: PluralCategory
            if case .number(let value, _) = arguments[Self.countArgument] {
                category = PluralRule.forLanguage(language).category(value)
            } else {
                category = .other
            }
            template = forms[category] ?? forms[.other] ?? key.rawValue
        }
        return Self.fill(template, arguments, in: language)
    }

    /// The names between braces in `template`: `{kpi}` → `kpi`.
    public static func placeholders(_ template: String) -> Set<String> {
        Set(pieces(template).compactMap { $0.placeholder })
    }

    private static func fill(_ template: String, _ arguments: MessageArguments, in language: Language) -> String {
        pieces(template).map { piece in
            guard let name = piece.placeholder else { return piece.text }
            return arguments[name]?.shown(in: language) ?? piece.text
        }.joined()
    }

    /// The template cut into literal runs and `{name}` placeholders (a name is letters, digits and `_`).
    private static func pieces(_ template: String) -> [(text: String, placeholder: String?)] {
        var pieces: [(text: String, placeholder: String?)] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            let name = rest[afterOpen...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            let close = name.endIndex
            guard !name.isEmpty, close < rest.endIndex, rest[close] == "}" else {
                pieces.append((String(rest[...open]), nil))
                rest = rest[afterOpen...]
                continue
            }
            pieces.append((String(rest[..<open]), nil))
            pieces.append((String(rest[open...close]), String(name)))
            rest = rest[rest.index(after: close)...]
        }
        pieces.append((String(rest), nil))
        return pieces
    }
}
