import Foundation
import SalesCore
import SalesSpeech
import Yams

/// A company's additions to the speech lexicon, in YAML (or JSON):
///
///     objections:
///       price: [дороговато будет, не потянем]
///       delivery: [долго везти, сроки поставки]     # a category of its own
///     fillers: [значит]
///     ordered: true                                # the stages below must come in this order
///     stages:                                      # replaces the standard script when given
///       - {id: greeting, name: {en: Greeting, ru: Приветствие}, phrases: [добрый день, hello]}
///
/// Keys: `stages`, `ordered`, `objections`, `argument_markers`, `open_question_words`, `fillers`;
/// every one optional. Objection phrases and the lists are added to the standard ones.
public enum SpeechLexiconFile {
    struct Additions: Decodable {
        var stages: [SpeechLexicon.Stage]?
        var ordered: Bool?
        var objections: [String: [String]]?
        var argumentMarkers: [String]?
        var openQuestionWords: [String]?
        var fillers: [String]?

        enum CodingKeys: String, CodingKey {
            case stages, ordered, objections
            case argumentMarkers = "argument_markers"
            case openQuestionWords = "open_question_words"
            case fillers
        }
    }

    public static func load(_ path: String) throws(ConfigError) -> SpeechLexicon {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw ConfigError(
                file: path, line: 1,
                problem: LocalizedText("config.lexicon.unreadable"))
        }
        let a: Additions
        do { a = try YAMLDecoder().decode(Additions.self, from: text) } catch let DecodingError.typeMismatch(_, c), let
            DecodingError.keyNotFound(_, c),
            let DecodingError.valueNotFound(_, c), let DecodingError.dataCorrupted(c)
        {
            let field = String(
                c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined(separator: "").drop {
                    $0 == "."
                })
            throw ConfigError(
                file: path, line: Self.line(of: c.codingPath, in: text),
                problem: LocalizedText(
                    "config.lexicon.bad_key", ["field": "\(field)", "problem": "\(c.debugDescription)"]))
        } catch {
            throw ConfigError(
                file: path, line: 1, problem: LocalizedText("config.invalid_yaml", ["error": "\(error)"]))
        }
        return SpeechLexicon.standard.extended(
            with: SpeechLexicon(
                stages: a.stages ?? [], ordered: a.ordered ?? false, objections: a.objections ?? [:],
                argumentMarkers: a.argumentMarkers ?? [], openQuestionWords: a.openQuestionWords ?? [],
                fillers: a.fillers ?? []))
    }

    /// The line of the first key on the path that the text names: good enough to point at the entry.
    static func line(of path: [any CodingKey], in text: String) -> Int {
        guard let key = path.last(where: { $0.intValue == nil })?.stringValue else { return 1 }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") } ?? 0) + 1
    }
}
