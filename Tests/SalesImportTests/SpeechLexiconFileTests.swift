import Foundation
import SalesImport
import SalesSpeech
import Testing

/// A company's lexicon file: additions merged into the standard lists, mistakes named with their line.
@Suite struct SpeechLexiconFileTests {
    func write(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lexicon-\(UUID().uuidString).yaml")
            .path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func additionsJoinTheStandardLists() throws {
        let path = try write("objections:\n  price: [не потянем]\n  delivery: [долго везти]\nfillers: [значит]\n")
        let lexicon = try SpeechLexiconFile.load(path)
        #expect(lexicon.objections["price"] == SpeechLexicon.standard.objections["price"]! + ["не потянем"])
        #expect(lexicon.objections["delivery"] == ["долго везти"])
        #expect(lexicon.fillers.last == "значит" && lexicon.stages == SpeechLexicon.standard.stages)
    }

    @Test func aWrongTypeNamesTheKeyAndLine() throws {
        let path = try write("fillers: [значит]\nordered: maybe\n")
        do {
            _ = try SpeechLexiconFile.load(path)
            Issue.record("no error")
        } catch {
            #expect(error.line == 2)
            #expect(error.problem.en.hasPrefix("ordered:"))
        }
    }
}
