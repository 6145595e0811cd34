import Foundation
import SalesCore
import SalesImport

/// Numbers as people read them: grouped thousands, the currency sign, a decimal comma in Russian.
enum Show {
    static func number(_ v: Double?, _ unit: KPIDefinition.Unit, _ lang: Language) -> String {
        guard let v, v.isFinite else { return "—" }
        let decimals: Int
        switch unit {
        case .money, .moneyPerDay: decimals = abs(v) >= 1000 ? 0 : 2
        default: decimals = unit.decimals
        }
        let s = decimal(v, decimals, lang)
        switch unit {
        case .money: return s + " ₽"
        case .moneyPerDay: return lang.message("page.unit.money_per_day", ["value": .text(s)])
        case .percent: return s + " %"
        case .days: return lang.message("value.days", ["days": .text(s)])
        case .minutes: return lang.message("value.minutes", ["minutes": .text(s)])
        default: return s
        }
    }

    static func percent(_ v: Double?, _ lang: Language) -> String { number(v, .percent, lang) }

    /// A plain number with `decimals` places: grouped thousands, a decimal comma in Russian.
    static func decimal(_ v: Double, _ decimals: Int, _ lang: Language) -> String {
        let s = ReportTable.human(v, decimals)
        return lang == .ru ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    /// A machine-readable value for `data-value`: exactly what `saleskpi report --format csv` prints.
    static func plain(_ v: Double?, _ unit: KPIDefinition.Unit) -> String {
        v.map { ReportTable.plain($0, unit.decimals) } ?? ""
    }

    /// The state of a fulfillment: below the threshold, below plan, at plan or above.
    static func tone(_ fulfillment: Double?, threshold: Double = 70) -> String {
        guard let f = fulfillment else { return "none" }
        return f >= 100 ? "good" : f >= threshold ? "warn" : "bad"
    }
}

/// Server-rendered SVG charts: no scripts, crisp on a phone, printed as they are.
enum Chart {
    /// A half-circle gauge of fulfillment (0–150 %) with the value in the middle.
    static func gauge(_ fulfillment: Double?, tone: String) -> HTML {
        let f = min(150, max(0, fulfillment ?? 0)) / 150
        let angle = Double.pi * (1 - f)
        let x = 60 + 48 * cos(angle)
        let y = 60 - 48 * sin(angle)
        let plan = Double.pi * (1 - 100.0 / 150)
        let px = 60 + 48 * cos(plan)
        let py = 60 - 48 * sin(plan)
        let px2 = 60 + 56 * cos(plan)
        let py2 = 60 - 56 * sin(plan)
        let arc =
            f > 0 ? HTML(raw: "<path class=\"g-val \(tone)\" d=\"M12 60 A48 48 0 0 1 \(fmt(x)) \(fmt(y))\"/>") : ""
        let label = fulfillment.map { String(format: "%.0f %%", $0) } ?? "—"
        return HTML(
            raw: """
                <svg class="gauge" viewBox="0 0 120 66" role="img" aria-label="\(label)">\
                <path class="g-bg" d="M12 60 A48 48 0 0 1 108 60"/>\(arc.text)\
                <line class="g-plan" x1="\(fmt(px))" y1="\(fmt(py))" x2="\(fmt(px2))" y2="\(fmt(py2))"/></svg>
                """)
    }

    /// Vertical bars with labels under them; `highlight` marks the last (current) bar.
    static func bars(_ values: [Double], labels: [String], unit: KPIDefinition.Unit, lang: Language) -> HTML {
        let w = 28.0
        let gap = 8.0
        let h = 90.0
        let top = max(values.max() ?? 0, 1)
        let width = fmt(Double(values.count) * (w + gap))
        var out = "<svg class=\"bars\" viewBox=\"0 0 \(width) \(fmt(h + 30))\" preserveAspectRatio=\"xMinYMin meet\">"
        for (i, v) in values.enumerated() {
            let bh = max(v > 0 ? 2 : 0, v / top * h)
            let x = Double(i) * (w + gap)
            out += "<g><title>\(HTML.escape(labels[i])): \(HTML.escape(Show.number(v, unit, lang)))</title>"
            out += "<rect class=\"bar\(i == values.count - 1 ? " now" : "")\" x=\"\(fmt(x))\" y=\"\(fmt(h - bh))\""
            out += " width=\"\(fmt(w))\" height=\"\(fmt(bh))\" rx=\"3\"/>"
            out += "<text x=\"\(fmt(x + w / 2))\" y=\"\(fmt(h + 14))\">\(HTML.escape(labels[i]))</text></g>"
        }
        return HTML(raw: out + "</svg>")
    }

    /// A horizontal progress bar with a plan mark at 100 %.
    static func progress(_ fulfillment: Double?, tone: String) -> HTML {
        let f = min(150, max(0, fulfillment ?? 0))
        return HTML(
            raw: """
                <div class="progress"><div class="fill \(tone)" style="width:\(fmt(f / 1.5))%"></div>\
                <div class="plan-mark"></div></div>
                """)
    }

    private static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
}
