import ArgumentParser
import Foundation
import SalesCore
import SalesImport

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a KPI system for the mistakes the methodology warns about.",
        discussion: """
            saleskpi lint kpi-system.yaml
            saleskpi lint --print-default > kpi-system.yaml     start from the built-in system
            Warnings: too-many-kpis (over 5 a role), too-few-kpis (under 3), no-quality-kpi, \
            same-set (two roles with the same KPIs), activity-only (no result KPI), kpi-not-for-role. \
            Errors (exit code 1): weights-sum (not 100 %), unknown-kpi.
            """)

    @Argument(help: "The KPI system file (YAML).")
    var config: String?
    @Flag(help: "Print the built-in KPI system and exit.")
    var printDefault = false
    @OptionGroup var language: LanguageOption
    @Option(help: "table or json.")
    var format: ReportTable.Format = .table

    func run() throws {
        let lang = language.language
        if printDefault {
            print(KPISystemFile.defaultText, terminator: "")
            return
        }
        guard let config else {
            throw ValidationError(lang.message("cli.lint.no_file"))
        }
        let system = try reportFailures(lang) { try KPISystemFile.load(config) }
        let catalog: KPICatalog
        do { catalog = try system.catalog() } catch {
            printError("\(config): \(error.message(lang))")
            throw ExitCode(1)
        }
        let findings = KPISystemLinter().lint(system, catalog: catalog)
        let name = (config as NSString).lastPathComponent
        if format == .json {
            var t = ReportTable(columns: ["id", "severity", "role", "line", "message"])
            t.rows = findings.map {
                [
                    .text($0.id), .text($0.severity.rawValue), .text($0.role?.rawValue ?? ""),
                    .number($0.line.map(Double.init), decimals: 0), .text($0.message(lang)),
                ]
            }
            print(t.json(), terminator: "")
        } else if findings.isEmpty {
            print(lang.message("cli.lint.no_findings", ["name": "\(name)"]))
        } else {
            for f in findings {
                let sev = lang.message("cli.lint.severity.\(f.severity.rawValue)")
                print("\(name):\(f.line.map(String.init) ?? "-"): \(sev) [\(f.id)] \(f.message(lang))")
            }
        }
        if findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}
