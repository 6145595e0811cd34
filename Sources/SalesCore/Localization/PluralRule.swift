/// The CLDR plural categories a message can have a form for.
public enum PluralCategory: String, Sendable, CaseIterable, Codable {
    case zero, one, two, few, many, other
}

/// How a language picks a plural form for a number (CLDR cardinal rules). Languages whose rule is English's
/// (one / other) need nothing here; any other new language needs its rule added to `forLanguage`.
public struct PluralRule: Sendable {
    /// The categories the language distinguishes: each plural message has a form for every one of them.
    public let categories: [PluralCategory]
    private let select: @Sendable (_ integer: Int, _ isWhole: Bool) -> PluralCategory

    /// The category of `number`; a fractional number (1.5) is `other` in both rules.
    public func category(_ number: Double) -> PluralCategory {
        let magnitude = abs(number)
        let isWhole = magnitude.rounded(.towardZero) == magnitude
        let integer = magnitude < Double(Int.max) ? Int(magnitude) : Int.max
        return select(integer, isWhole)
    }

    /// English: one for exactly 1, other for everything else.
    public static let english = PluralRule(categories: [.one, .other]) { integer, isWhole in
        isWhole && integer == 1 ? .one : .other
    }

    /// Russian: one for 1, 21, 101 (not 11); few for 2–4, 22–24 (not 12–14); many for the other whole numbers.
    public static let russian = PluralRule(categories: [.one, .few, .many, .other]) { integer, isWhole in
        guard isWhole else { return .other }
        let lastDigit = integer % 10
        let lastTwo = integer % 100
        if lastDigit == 1 && lastTwo != 11 { return .one }
        if (2...4).contains(lastDigit) && !(12...14).contains(lastTwo) { return .few }
        return .many
    }

    public static func forLanguage(_ language: Language) -> PluralRule {
        switch language.rawValue {
        case "ru", "uk", "be": .russian
        default: .english
        }
    }
}
