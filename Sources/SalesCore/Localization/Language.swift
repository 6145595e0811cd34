import Foundation

/// A language people read SalesKPI in, named by its ISO 639-1 code. The languages are the message catalog's
/// files (`Resources/Messages/<code>.json`): adding one is adding a file, and, unless its plural forms are
/// English's (one / other), a rule in `PluralRule.forLanguage`.
public struct Language: RawRepresentable, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// A language the catalog has a file for; nil for any other code.
    public init?(rawValue: String) {
        guard MessageCatalog.shared.languages.contains(where: { $0.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    init(code: String) { rawValue = code }

    public static let en = Language(code: "en")
    public static let ru = Language(code: "ru")

    /// Every language the catalog has a file for, English first.
    public static var allCases: [Language] { MessageCatalog.shared.languages }

    public var description: String { rawValue }

    /// From `SALESKPI_LANG`, then `LC_ALL`, `LC_MESSAGES` and `LANG` (`ru_RU.UTF-8` → ru); English otherwise.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for key in ["SALESKPI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = env[key], !value.isEmpty else { continue }
            let code = value.lowercased().prefix { $0.isLetter }
            return allCases.first { $0.rawValue == code } ?? .en
        }
        return .en
    }
}

extension Language {
    /// The catalog's message in this language, its placeholders filled from `arguments`.
    public func message(_ key: MessageKey, _ arguments: MessageArguments = [:]) -> String {
        MessageCatalog.shared.text(key, arguments, in: self)
    }
}
