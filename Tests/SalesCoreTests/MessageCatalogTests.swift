import Foundation
import SalesCore
import Testing

/// The message catalog: complete in every language, plural forms picked by CLDR rules, and no Russian text left
/// in Swift outside the speech analytics' own words.
@Suite struct MessageCatalogTests {
    static let catalog = MessageCatalog.shared

    @Test func everyKeyIsInEveryLanguageWithTheSamePlaceholders() {
        let english = Self.catalog.entries[.en] ?? [:]
        #expect(english.count > 100)
        for language in Self.catalog.languages {
            let entries = Self.catalog.entries[language] ?? [:]
            let missing = Set(english.keys).subtracting(entries.keys).map(\.rawValue).sorted()
            let extra = Set(entries.keys).subtracting(english.keys).map(\.rawValue).sorted()
            #expect(missing.isEmpty, "\(language).json lacks \(missing)")
            #expect(extra.isEmpty, "\(language).json has keys English lacks: \(extra)")
            let categories = Set(PluralRule.forLanguage(language).categories)
            for (key, entry) in entries {
                guard let reference = english[key] else { continue }
                let expected = Self.placeholders(reference).first ?? []
                for found in Self.placeholders(entry) {
                    #expect(found == expected, "\(language) \(key): placeholders \(found), English has \(expected)")
                }
                if case .plural(let forms) = entry {
                    #expect(
                        Set(forms.keys) == categories, "\(language) \(key): forms \(forms.keys), needs \(categories)")
                    #expect(expected.contains(MessageCatalog.countArgument), "\(key) is plural without {count}")
                }
            }
        }
    }

    /// A line break is a line break: a backslash and an `n` escaped twice in the JSON printed as such (the demo's
    /// banner did, under the README's first command).
    @Test func noMessageHoldsAnEscapedLineBreak() {
        for language in Self.catalog.languages {
            for (key, entry) in Self.catalog.entries[language] ?? [:] {
                let forms: [String] =
                    switch entry {
                    case .text(let text): [text]
                    case .plural(let forms): Array(forms.values)
                    }
                #expect(!forms.contains { $0.contains("\\n") }, "\(language) \(key)")
            }
        }
    }

    /// The placeholders of each form of an entry.
    static func placeholders(_ entry: MessageCatalog.Entry) -> [Set<String>] {
        switch entry {
        case .text(let text): [MessageCatalog.placeholders(text)]
        case .plural(let forms): forms.values.map(MessageCatalog.placeholders)
        }
    }

    @Test func russianPluralFormsFollowCLDR() {
        let expected: [(Double, PluralCategory)] = [
            (0, .many), (1, .one), (2, .few), (4, .few), (5, .many), (11, .many), (12, .many), (14, .many),
            (21, .one), (22, .few), (25, .many), (101, .one), (111, .many), (112, .many), (1.5, .other),
        ]
        for (number, category) in expected {
            #expect(PluralRule.russian.category(number) == category, "\(number)")
        }
        #expect(PluralRule.english.category(1) == .one)
        #expect(PluralRule.english.category(2) == .other)
        #expect(PluralRule.english.category(0) == .other)
        #expect(PluralRule.english.category(1.5) == .other)
    }

    @Test func aCountPicksTheFormOfTheNumber() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("messages-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let calls = #"{"calls": {"one": "{count} call by {rep}", "other": "{count} calls by {rep}"}}"#
        try Data(calls.utf8).write(to: directory.appendingPathComponent("en.json"))
        let russian =
            #"{"calls": {"one": "{count} звонок {rep}", "few": "{count} звонка {rep}", "#
            + #""many": "{count} звонков {rep}", "other": "{count} звонка {rep}"}}"#
        try Data(russian.utf8).write(to: directory.appendingPathComponent("ru.json"))
        let catalog = try MessageCatalog(directory: directory)
        func text(_ n: Double, _ language: Language) -> String {
            catalog.text(
                "calls", ["count": .number(n, shown: "\(n)".replacingOccurrences(of: ".0", with: "")), "rep": "A"],
                in: language)
        }
        #expect(text(1, .ru) == "1 звонок A")
        #expect(text(2, .ru) == "2 звонка A")
        #expect(text(5, .ru) == "5 звонков A")
        #expect(text(11, .ru) == "11 звонков A")
        #expect(text(12, .ru) == "12 звонков A")
        #expect(text(21, .ru) == "21 звонок A")
        #expect(text(22, .ru) == "22 звонка A")
        #expect(text(25, .ru) == "25 звонков A")
        #expect(text(111, .ru) == "111 звонков A")
        #expect(text(1.5, .ru) == "1.5 звонка A")
        #expect(text(1, .en) == "1 call by A")
        #expect(text(2, .en) == "2 calls by A")
        #expect(catalog.text("missing.key", in: .ru) == "missing.key")
    }

    /// A new language is a new file: it is listed after English, reads its own texts and English where it has none.
    @Test func aThirdLanguageIsAFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("messages-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [
            "en": #"{"greeting": "Hello, {name}", "calls": {"one": "{count} call", "other": "{count} calls"}}"#,
            "de": #"{"greeting": "Hallo, {name}"}"#,
        ]
        for (code, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent("\(code).json"))
        }
        let catalog = try MessageCatalog(directory: directory)
        #expect(catalog.languages.map(\.rawValue) == ["en", "de"])
        let german = try #require(catalog.languages.last)
        #expect(catalog.text("greeting", ["name": "Anna"], in: german) == "Hallo, Anna")
        #expect(catalog.text("calls", ["count": .count(3)], in: german) == "3 calls")
        #expect(PluralRule.forLanguage(german).categories == [.one, .other])
    }

    @Test func aLocalizedTextFromAKeyReadsInEveryLanguage() throws {
        let winRate = LocalizedText("kpi.win_rate.name")
        #expect(winRate.en == "Win rate")
        #expect(winRate(.ru) == "Доля выигранных сделок (win rate)")
        #expect(LocalizedText(en: "a", ru: "б")(.en) == "a")
        let decoded = try JSONDecoder().decode(LocalizedText.self, from: JSONEncoder().encode(winRate))
        #expect(decoded == winRate)
        let pair = try JSONEncoder().encode(LocalizedText(en: "a", ru: "б"))
        #expect(try JSONDecoder().decode([String: String].self, from: pair) == ["en": "a", "ru": "б"])
        #expect(Language(rawValue: "ru") == .ru)
        #expect(Language(rawValue: "xx") == nil)
        #expect(Language.fromEnvironment(["LANG": "ru_RU.UTF-8"]) == .ru)
        #expect(Language.fromEnvironment(["LANG": "de_DE.UTF-8"]) == .en)
    }

    /// Keys built from ids: every catalog KPI, base measure, record code, rep role and deal set has its text.
    @Test func everyKeyBuiltFromAnIdExists() {
        let english = Self.catalog.entries[.en] ?? [:]
        var keys: [MessageKey] = KPICatalog.standard.kpis.map { "kpi.\($0.id.rawValue).name" }
        keys += BaseMeasure.allCases.map { "measure.\($0.id).meaning" }
        keys += DealStage.allCases.map { "deal_stage.\($0.rawValue).name" }
        keys += DealKind.allCases.map { "deal_kind.\($0.rawValue).name" }
        keys += ActivityType.allCases.map { "activity_type.\($0.rawValue).name" }
        keys += RepRole.allCases.map { "page.rep_role.\($0.rawValue)" }
        keys += SalesEngine.DealSet.allCases.map { "list.deal_set.\($0.rawValue)" }
        for key in keys {
            #expect(english[key] != nil, "no message \(key)")
        }
    }

    /// Every key written as a literal in the sources exists: one read (`LocalizedText("a.b", …)`,
    /// `lang.message("a.b", …)`, a page's `c.t("a.b", …)`) or handed on (a page title `"page.admin.plans"`).
    @Test func everyKeyWrittenInTheSourcesExists() throws {
        let english = Self.catalog.entries[.en] ?? [:]
        let literal = try Regex(
            #"(?:(?:LocalizedText|message|\bt)\(|(?="(?:page|api|explain|list|alert|account)\.))"#
                + #""([a-z0-9_]+(?:\.[a-z0-9_]+)+)""#)
        var checked = 0
        for (path, source) in try SwiftSources.all() {
            for match in source.matches(of: literal) {
                let key = MessageKey(rawValue: String(match.output[1].substring ?? ""))
                checked += 1
                #expect(english[key] != nil, "\(path) reads \(key), which no message file has")
            }
        }
        #expect(checked > 0)
    }

    @Test func noRussianInSwiftOutsideTheSpeechWordsAndDemoData() throws {
        var stray: [String] = []
        for (path, source) in try SwiftSources.all() {
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                .filter { $0.element.unicodeScalars.contains(where: Self.isCyrillic) }
            if SwiftSources.mayHoldRussian(path) { continue }
            stray += lines.map { "\(path):\($0.offset + 1): \($0.element.trimmingCharacters(in: .whitespaces))" }
        }
        #expect(
            stray.isEmpty,
            """
            Russian text in Swift belongs in Sources/SalesCore/Resources/Messages:
            \(stray.prefix(40).joined(separator: "\n"))
            """)
    }

    static func isCyrillic(_ scalar: Unicode.Scalar) -> Bool {
        (0x0400...0x052F).contains(scalar.value) || (0x1C80...0x1C8F).contains(scalar.value)
            || (0x2DE0...0x2DFF).contains(scalar.value) || (0xA640...0xA69F).contains(scalar.value)
    }
}

/// The Swift files under Sources/, by path from the package root.
enum SwiftSources {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func all() throws -> [(String, String)] {
        let sources = root.appendingPathComponent("Sources")
        let files =
            FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 100, "the sources are not at \(sources.path)")
        return try files.map { file in
            let path = String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            return (path, try String(contentsOf: file, encoding: .utf8))
        }.sorted { $0.0 < $1.0 }
    }

    /// Speech analytics reads Russian speech, so its lexicons, stemmers and words carry Russian, and so do the
    /// demo company's names and synthetic calls.
    static func mayHoldRussian(_ path: String) -> Bool {
        let speechWords = [
            "SpeechLexicon.swift", "RussianStemmer.swift", "EnglishStemmer.swift", "SyntheticCalls.swift",
            "CallWords.swift", "Words.swift", "CallAnalyzer.swift", "SpeakerWords.swift",
        ]
        // A speech lexicon file's documentation shows the phrases it holds.
        if path == "Sources/SalesImport/Config/SpeechLexiconFile.swift" { return true }
        return path.hasPrefix("Sources/SalesImport/Demo/")
            || (path.hasPrefix("Sources/SalesSpeech/") && speechWords.contains { path.hasSuffix("/" + $0) })
    }
}
