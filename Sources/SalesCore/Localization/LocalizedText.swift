import Foundation

/// The user's language: Russian or English.
public enum Language: String, Sendable, CaseIterable, Codable {
    case ru, en

    /// From `SALESKPI_LANG`, then `LC_ALL`, `LC_MESSAGES` and `LANG` (`ru_RU.UTF-8` → ru); English otherwise.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for key in ["SALESKPI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[key], !v.isEmpty { return v.lowercased().hasPrefix("ru") ? .ru : .en }
        }
        return .en
    }
}

/// A text in both languages.
public struct LocalizedText: Sendable, Hashable, Codable, CustomStringConvertible {
    public var en: String
    public var ru: String
    public init(en: String, ru: String) {
        self.en = en
        self.ru = ru
    }
    public func callAsFunction(_ lang: Language) -> String { lang == .ru ? ru : en }
    public var description: String { en }
}
