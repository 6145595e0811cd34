import ArgumentParser
import Foundation
import SalesCore
import SalesImport

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic demo company as a canonical CSV bundle.",
        discussion: """
            saleskpi generate --reps 40 --days 365 --seed 7 --out demo-bundle
            saleskpi import --db demo.sqlite demo-bundle
            Teams of about ten (a head, SDRs, sales managers, account managers), seasonality, per-rep \
            skill, funnel conversions near the methodology's norms, invoices paid late, surveys, \
            evaluations, CRM tasks and monthly revenue plans. The same seed and end date give the same files.
            """)

    @Option(help: "Number of people.") var reps = 40
    @Option(help: "Number of days of history.") var days = 365
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Last day, YYYY-MM-DD (default: today).") var end: String?
    @Option(help: "Output folder.") var out: String
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.language
        let endDate = try Self.endDate(end, lang: lang)
        let bar = ProgressBar(lang.message("cli.progress.generating"), lang: lang)
        let started = Date()
        let summary = try DemoGenerator(reps: reps, days: days, seed: seed, end: endDate).write(
            to: out, progress: bar.update)
        bar.finish()
        let s = Date().timeIntervalSince(started)
        print(
            lang.message(
                "cli.generate.wrote",
                ["count": .count(summary.events), "file": "\(out)", "seconds": .text(String(format: "%.1f", s))]))
    }

    static func endDate(_ text: String?, lang: Language) throws -> CivilDate {
        guard let text else { return CivilDate(CompanyCalendar().day(of: Timestamp(Date().timeIntervalSince1970))) }
        guard let d = CivilDate(iso: text) else {
            throw CLIError(lang.message("cli.generate.bad_end", ["text": "\(text)"]))
        }
        return d
    }
}
