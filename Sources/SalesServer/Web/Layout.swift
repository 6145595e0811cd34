import Foundation
import SalesCore
import SalesStorage

/// What every page knows about the request: who, in which language, which period and slice.
struct PageContext {
    let lang: Language
    let viewer: Viewer
    let csrf: String?
    /// The page's path and the query that chose its period and slice, for links that keep them.
    let path: String
    let query: [String: String]
    let company: String
    let version: Int

    /// The catalog's message in the page's language: pages name their texts by key, never inline.
    func t(_ key: MessageKey, _ arguments: MessageArguments = [:]) -> String { lang.message(key, arguments) }

    // A component is given the page's context once and never names the language: these say everything
    // in the page's.

    /// A text in the page's language: a KPI's, a stage's or a reason's.
    func t(_ text: LocalizedText) -> String { text(lang) }
    func t(_ text: LocalizedText?) -> String? { text.map { $0(lang) } }

    func number(_ v: Double?, _ unit: KPIDefinition.Unit) -> String { Show.number(v, unit, lang) }
    func percent(_ v: Double?) -> String { Show.percent(v, lang) }
    func decimal(_ v: Double, _ decimals: Int) -> String { Show.decimal(v, decimals, lang) }
    func roleName(_ role: UserRole) -> String { Layout.roleName(role, lang) }
    func roleName(_ role: RepRole) -> String { Layout.repRoleName(role, lang) }

    /// This page's link, or `route`'s, keeping the page's query with some parameters changed (nil removes one).
    func link(_ changes: [String: String?], to route: Route? = nil) -> String {
        var q = query
        for (k, v) in changes { q[k] = v }
        let parts = q.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map {
            "\($0.key)=\(Route.encode($0.value))"
        }
        return (route?.rawValue ?? path) + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
    }

    var csrfField: HTML { HTML("<input type=\"hidden\" name=\"_csrf\" value=\"\(csrf ?? "")\">") }
}

enum Layout {
    /// The whole page: top bar, tools (period and slice pickers), the main part and the live-update script.
    static func page(_ title: String, _ c: PageContext, tools: HTML, main: HTML) -> HTML {
        // A link of the top bar, marked when it is the page's own.
        func navLink(_ href: String, _ route: Route, _ label: String) -> HTML {
            HTML("<a href=\"\(href)\"\(c.path == route.rawValue ? HTML(" class=\"on\"") : "")>\(label)</a>")
        }
        let nav: [HTML] = [
            navLink(Route.dashboard.rawValue, .dashboard, c.t("page.layout.dashboard")),
            navLink(c.link([:], to: .forecast), .forecast, c.t("page.common.forecast")),
            c.viewer.user.role == .admin
                ? navLink(Route.admin.rawValue, .admin, c.t("page.layout.admin")) : "",
        ]
        let other: Language = c.lang == .ru ? .en : .ru
        return HTML(
            """
            <!doctype html><html lang="\(c.lang.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · SalesKPI</title><style>\(HTML(raw: Assets.css))</style></head><body>
            <header class="top"><a class="brand" href="\(Route.dashboard)">SalesKPI</a><nav>\(nav)</nav>
            <div class="right"><span class="who">\(c.viewer.user.name) · \(c.roleName(c.viewer.user.role))</span>
            <form method="post" action="\(Route.language)">\(c.csrfField)\
            <input type="hidden" name="lang" value="\(other.rawValue)">\
            <input type="hidden" name="back" value="\(c.link([:]))">
            <button id="lang-switch" title="\(c.t("page.layout.switch_language"))">\
            \(other == .ru ? "RU" : "EN")</button></form>
            <form method="post" action="\(Route.logout)">\(c.csrfField)\
            <button>\(c.t("page.layout.sign_out"))</button></form></div></header>
            \(tools)
            <main data-version="\(c.version)">\(main)</main>
            <script>\(HTML(raw: liveScript))</script>
            </body></html>
            """)
    }

    /// On each server-sent update the page fetches its own main part again and swaps it in. The
    /// stream is closed when the page is left: a browser holds six connections per server, and
    /// pages kept for the back button would otherwise hold them all. Pickers marked `data-submit` send
    /// their form when changed (heard in the capture phase: a `change` need not bubble). The page's only
    /// script, allowed by its hash (`SecurityHeaders`).
    static let liveScript = """
        (function(){var es=null,busy=false,again=false;
        function refresh(){if(busy){again=true;return}busy=true;
        fetch(location.href,{headers:{'X-Fragment':'1'}}).then(function(r){return r.ok?r.text():null})
        .then(function(t){if(t!==null){document.querySelector('main').outerHTML=t}})
        .finally(function(){busy=false;if(again){again=false;refresh()}})}
        function open(){if(!es){es=new EventSource('/live');es.addEventListener('update',refresh)}}
        addEventListener('pagehide',function(){if(es){es.close();es=null}});
        addEventListener('pageshow',function(e){open();if(e.persisted){refresh()}});open();
        document.addEventListener('change',function(e){var t=e.target;\
        if(t.hasAttribute('data-submit')&&t.form){t.form.submit()}},true);
        document.addEventListener('input',function(e){var t=e.target,u=t.getAttribute('data-unit');
        if(u!==null){t.previousElementSibling.value=(t.value>=0?'+':'')+t.value+' '+u}},true);})();
        """

    static func roleName(_ role: UserRole, _ lang: Language) -> String {
        lang.message("page.user_role.\(role.rawValue)")
    }

    static func repRoleName(_ role: RepRole, _ lang: Language) -> String {
        lang.message("page.rep_role.\(role.rawValue)")
    }

    /// Period chips (month, quarter, year around the chosen period) and a custom range; the slice picker.
    static func tools(_ c: PageContext, period: Period, slices: [(String, String)], current: String) -> HTML {
        let s = CivilDate(period.start)
        let month = Period.month(s.year, s.month)
        let quarter = Period.quarter(containing: period.start)
        let year = Period.year(s.year)
        func chip(_ p: Period, _ label: String) -> HTML {
            let href = c.link(["period": p.label, "from": nil, "to": nil])
            return HTML("<a class=\"chip\(p == period ? " on" : "")\" href=\"\(href)\">\(label)</a>")
        }
        let prevQ = quarter.previous
        let nextQ = Period(start: quarter.end, end: Period.quarter(containing: quarter.end).end)
        let chips: [HTML] = [
            chip(prevQ, "← " + prevQ.label), chip(month, month.label), chip(quarter, quarter.label),
            chip(year, year.label), chip(nextQ, nextQ.label + " →"),
        ]
        let options: [HTML] = slices.map { key, name in
            HTML("<option value=\"\(key)\"\(key == current ? HTML(" selected") : "")>\(name)</option>")
        }
        let hidden: [HTML] = c.query.filter { $0.key != "from" && $0.key != "to" && $0.key != "period" }.sorted {
            $0.key < $1.key
        }
        .map { HTML("<input type=\"hidden\" name=\"\($0.key)\" value=\"\($0.value)\">") }
        let sliceHidden: [HTML] = c.query.filter { $0.key != "slice" }.sorted { $0.key < $1.key }
            .map { HTML("<input type=\"hidden\" name=\"\($0.key)\" value=\"\($0.value)\">") }
        let slicePicker: HTML =
            slices.count > 1
            ? HTML(
                """
                <form method="get" action="\(c.path)">\(sliceHidden)
                <select name="slice" id="slice" data-submit>\(options)</select></form>
                """) : ""
        let firstDay = String(describing: CivilDate(period.start))
        let endDay = String(describing: CivilDate(period.end))
        return HTML(
            """
            <div class="bar-tools">\(chips)
            <form method="get" action="\(c.path)">\(hidden)\
            <input type="date" name="from" value="\(firstDay)" aria-label="\(c.t("page.common.from"))">
            <input type="date" name="to" value="\(endDay)" aria-label="\(c.t("page.common.to_exclusive"))">\
            <button class="btn">\(c.t("page.layout.apply"))</button></form>
            \(slicePicker)
            <span class="live"><span class="dot"></span>\(c.t("page.layout.live"))</span></div>
            """)
    }
}
