/// A text in every language: written inline as a pair (`LocalizedText(en:ru:)`, for text that comes from data
/// such as a YAML file) or read from the message catalog by key (`LocalizedText("catalog.cycle", ["kpi": id])`).
public struct LocalizedText: Sendable, Hashable, Codable, CustomStringConvertible {
    private var texts: [Language: String]

    public init(en: String, ru: String) {
        texts = [.en: en, .ru: ru]
    }

    /// The catalog's message in every language, its placeholders filled from `arguments`.
    public init(_ key: MessageKey, _ arguments: MessageArguments = [:]) {
        texts = [:]
        for language in Language.allCases {
            texts[language] = MessageCatalog.shared.text(key, arguments, in: language)
        }
    }

    /// A text that reads the same in every language (a name, a number, a dash).
    public init(verbatim text: String) {
        texts = [:]
        for language in Language.allCases {
            texts[language] = text
        }
    }

    public var en: String {
        get { self(.en) }
        set { texts[.en] = newValue }
    }

    public var ru: String {
        get { self(.ru) }
        set { texts[.ru] = newValue }
    }

    /// The text in `lang`, else in English.
    public func callAsFunction(_ lang: Language) -> String { texts[lang] ?? texts[.en] ?? "" }

    public var description: String { en }

    /// Encoded as `{"en": …, "ru": …}`, one member per language in the order of their codes, as before the catalog.
    private struct LanguageKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: LanguageKey.self)
        texts = [:]
        for key in container.allKeys {
            texts[Language(code: key.stringValue)] = try container.decode(String.self, forKey: key)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: LanguageKey.self)
        for (language, text) in texts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try container.encode(text, forKey: LanguageKey(stringValue: language.rawValue))
        }
    }
}

extension LocalizedText {
    /// A value shown as it is in every language, a dash when empty.
    public static func shown(_ value: String) -> LocalizedText {
        LocalizedText(verbatim: value.isEmpty ? "—" : value)
    }

    public static func yesOrNo(_ yes: Bool) -> LocalizedText { LocalizedText(yes ? "value.yes" : "value.no") }
}
