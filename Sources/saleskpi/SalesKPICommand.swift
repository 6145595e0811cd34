import ArgumentParser

@main
struct SalesKPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "saleskpi",
        abstract: "KPIs for B2B sales departments: import CRM data, compute every rep's KPIs against plan, score them.",
        discussion: """
            Start with the demo, which generates a company into a SQLite file and shows its scorecards:
              saleskpi demo
            Then try your own data:
              saleskpi import --db sales.sqlite --preset maven-crm ../shared/datasets/maven-crm
              saleskpi report --db sales.sqlite --period 2017-Q2 --by rep --kpis deals_won,revenue,win_rate
              saleskpi scorecard --db sales.sqlite --period 2017-Q2
            Every command explains itself with --help. Messages are in Russian or English (--lang, or \
            the SALESKPI_LANG / LANG environment variables).
            """,
        subcommands: [
            DemoCommand.self, CallsCommand.self, GenerateCommand.self, ImportCommand.self, ReportCommand.self,
            ScorecardCommand.self, KPIsCommand.self, LintCommand.self, ServeCommand.self, UserCommand.self,
            MigrateCommand.self, BenchCommand.self, ForecastCommand.self, AdviseCommand.self, WhatIfCommand.self,
            BacktestCommand.self, ConnectCommand.self, SyncCommand.self,
        ])
}
