import SalesCore
import SalesImport

/// A list behind a number (deals or activities), with its downloads and the way back.
struct ListView {
    let c: PageContext

    /// Rows a page shows; the downloads hold them all.
    static let pageLimit = 1000
    /// Columns whose values are ids to translate.
    private static let termColumns: Set<String> = ["stage", "kind", "type", "next_step"]

    func render(title: String, of sliceName: String, period: Period, table: ReportTable, total: Int, download: String)
        -> HTML
    {
        let heads: [HTML] = table.columnIDs.map { col in
            HTML("<th\(numeric(col) ? HTML(" class=\"num\"") : "")>\(DrillDownTables.header(col, c.lang))</th>")
        }
        // An analysed call's row links to its call page.
        let evaluation = table.columnIDs.firstIndex(of: "evaluation")
        let rows: [HTML] = table.rows.map { row in
            var callPage: String?
            if let evaluation, case .number(let id?, _) = row[evaluation] { callPage = Route.call.path(id: Int64(id)) }
            let cells: [HTML] = zip(table.columnIDs, row).map { col, cell in
                switch cell {
                case .text(let t) where col == "call" && callPage != nil:
                    return HTML("<td data-col=\"\(col)\"><a href=\"\(callPage!)\">\(t)</a></td>")
                case .text(let t):
                    let shown = Self.termColumns.contains(col) ? DrillDownTables.term(t, c.lang) : t
                    return HTML("<td data-col=\"\(col)\">\(shown)</td>")
                case .number(let v, _):
                    return HTML(
                        "<td class=\"num\" data-col=\"\(col)\">\(c.number(v, Self.unit(col) ?? .count))</td>"
                    )
                }
            }
            return HTML("<tr>\(cells)</tr>")
        }
        let shown =
            table.rows.count < total
            ? c.t("page.list.latest_of_total", ["shown": .count(table.rows.count), "total": .count(total)])
            : c.t("page.list.total", ["count": .count(total)])
        let back = c.link(["set": nil, "type": nil], to: .dashboard)
        let list: HTML =
            table.rows.isEmpty
            ? HTML("<p class=\"muted\">\(c.t("page.list.nothing_in_this_period"))</p>")
            : HTML("<div class=\"scroll\"><table id=\"list\"><tr>\(heads)</tr>\(rows)</table></div>")
        return HTML(
            """
            <p><a href="\(back)">← \(c.t("page.common.back_to_the_dashboard"))</a></p>
            <h1>\(title)</h1><div class="sub">\(sliceName) · \(period.label)</div>
            <div class="card">\
            <span class="downloads">\(c.t("page.common.download")): <a href="\(download)&amp;format=csv">CSV</a>\
            <a href="\(download)&amp;format=xlsx">XLSX</a></span>
            <h2 id="list-count" data-count="\(total)">\(shown)</h2>\(list)</div>
            """)
    }

    private func numeric(_ column: String) -> Bool { Self.unit(column) != nil }

    private static func unit(_ column: String) -> KPIDefinition.Unit? {
        switch column {
        case "amount": .money
        case "duration_min": .minutes
        case "score", "questions", "evaluation", "script_pct", "talk_pct": .count
        default: nil
        }
    }
}
