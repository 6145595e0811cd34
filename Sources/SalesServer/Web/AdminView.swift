import Foundation
import SalesCore
import SalesImport
import SalesStorage

/// The admin pages: overview (KPI system, users, audit log), the KPI system's editor, plans and imports.
struct AdminView {
    let c: PageContext

    static func tabs(_ c: PageContext) -> HTML {
        let items: [(Route, MessageKey)] = [
            (.admin, "page.admin.overview"), (.adminKPISystem, "page.admin.kpi_system"),
            (.adminPlans, "page.admin.plans"), (.adminImport, "page.admin.import"),
            (.adminConnections, "page.admin.connections"),
        ]
        let links: [HTML] = items.map { route, title in
            HTML("<a class=\"chip\(c.path == route.rawValue ? " on" : "")\" href=\"\(route)\">\(c.t(title))</a>")
        }
        return HTML("<div class=\"bar-tools\" id=\"admin-tabs\">\(links)</div>")
    }

    /// The notice a redirect names (`?notice=no-files`): whether it is good news by code, its text the message
    /// `page.admin.<page>.notice.<code>` (hyphens as underscores).
    private func notice(
        _ code: String?, _ page: String, _ good: [String: Bool], _ arguments: MessageArguments = [:]
    ) -> HTML {
        guard let code, let ok = good[code] else { return "" }
        let text = c.t("page.admin.\(page).notice.\(code.replacingOccurrences(of: "-", with: "_"))", arguments)
        return HTML("<div class=\"\(ok ? "notice" : "error")\" id=\"notice\">\(text)</div>")
    }

    // MARK: Overview

    func overview(
        system: KPISystem, catalog: KPICatalog, users: [UserAccount], tokens: [APIToken], audit: [AuditEntry],
        notice key: String?
    ) -> HTML {
        let notices: [String: Bool] = [
            "added": true, "changed": true, "revoked": true, "last-admin": false, "short-password": false,
            "taken": false, "invalid": false,
        ]
        return HTML(
            """
            <h1>\(c.t("page.admin.administration"))</h1>
            \(notice(key, "overview", notices))
            <div class="cols">\(kpiTable(system, catalog))\(userList(users))</div>
            \(tokenList(tokens))
            \(auditLog(audit))
            """)
    }

    private func kpiTable(_ system: KPISystem, _ catalog: KPICatalog) -> HTML {
        let roles: [HTML] = RepRole.allCases.compactMap { role in
            guard let card = system.roles[role] else { return nil }
            let rows: [HTML] = card.kpis.map { item in
                let k = catalog[item.kpi]
                let target = item.target.map { c.number($0, k?.unit ?? .count) } ?? "—"
                let per = k?.isAdditive == true ? " / " + item.per.rawValue : ""
                let threshold = c.number(item.threshold, .count)
                let cap = c.number(item.cap, .count)
                return HTML(
                    """
                    <tr><td>\(c.t(k?.name) ?? item.kpi.rawValue)</td>\
                    <td class="num">\(c.number(item.weight, .count)) %</td>
                    <td class="num">\(target)\(per)</td>
                    <td class="num">\(threshold)–\(cap) %</td></tr>
                    """)
            }
            let scope = card.scope == .team ? " · " + c.t("page.admin.measured_on_the_team") : ""
            return HTML("<tr><th colspan=\"4\">\(c.roleName(role))\(scope)</th></tr>\(rows)")
        }
        let steps = system.bonus.steps.map { "≥ \(Int($0.from)) % → \($0.coefficient)" }.joined(separator: " · ")
        let edit = c.t("page.admin.edit_the_kpi_system")
        let setPlans = c.t("page.admin.set_plans")
        return HTML(
            """
            <div class="card"><h2>\(c.t("page.admin.kpi_system"))</h2><table id="kpi-system">
            <tr><th>KPI</th><th class="num">\(c.t("page.common.weight"))</th>\
            <th class="num">\(c.t("page.admin.target"))</th>\
            <th class="num">\(c.t("page.admin.threshold_cap"))</th></tr>\(roles)</table>
            <p class="muted">\(c.t("page.admin.bonus_schedule")): \(steps)</p>
            <p><a href="\(Route.adminKPISystem)">\(edit)</a> · <a href="\(Route.adminPlans)">\(setPlans)</a></p></div>
            """)
    }

    private func userList(_ users: [UserAccount]) -> HTML {
        let rows: [HTML] = users.map { u in
            HTML(
                """
                <tr class="\(u.disabledAt == nil ? "" : "muted")" data-login="\(u.login)">
                <td>\(u.login)</td><td>\(u.name)</td>
                <td>\(c.roleName(u.role))</td><td>\(u.repExternalID ?? "—")</td>
                <td>\(userActions(u))</td></tr>
                """)
        }
        let roles: [HTML] = UserRole.allCases.map {
            HTML("<option value=\"\($0.rawValue)\">\(c.roleName($0))</option>")
        }
        return HTML(
            """
            <div class="card"><h2>\(c.t("page.admin.users"))</h2><div class="scroll"><table id="users">
            <tr><th>\(c.t("page.admin.login"))</th><th>\(c.t("page.admin.name"))</th><th>\(c.t("page.common.role"))</th>
            <th>\(c.t("page.admin.rep_crm_id"))</th><th></th></tr>\(rows)</table></div>
            <h2 style="margin-top:14px">\(c.t("page.admin.add_a_user"))</h2>
            <form class="inline" method="post" action="\(Route.adminUsers)">\(c.csrfField)
            <label>\(c.t("page.admin.login"))<input name="login" required></label>\
            <label>\(c.t("page.admin.name"))<input name="name"></label>
            <label>\(c.t("page.common.role"))<select name="role">\(roles)</select></label>\
            <label>\(c.t("page.admin.rep_crm_id"))<input name="rep"></label>
            <label>\(c.t("page.admin.password_8"))\
            <input name="password" type="password" minlength="8" required></label>\
            <button class="btn">\(c.t("page.admin.add"))</button></form></div>
            """)
    }

    /// Disable or enable, a new password, remove: each a small form of its own.
    private func userActions(_ u: UserAccount) -> HTML {
        func button(_ action: String, _ label: MessageKey, extra: HTML = "") -> HTML {
            HTML(
                """
                <form class="inline" method="post" action="\(Route.adminUserChange)">\(c.csrfField)
                <input type="hidden" name="login" value="\(u.login)">\(extra)
                <button class="btn" name="action" value="\(action)">\(c.t(label))</button></form>
                """)
        }
        let password = HTML(
            """
            <input name="password" type="password" minlength="8" required
             aria-label="\(c.t("page.admin.new_password"))"
             placeholder="\(c.t("page.admin.new_password"))">
            """)
        return HTML(
            """
            \(u.disabledAt == nil ? button("disable", "page.admin.disable") : button("enable", "page.admin.enable"))
            \(button("password", "page.admin.set_password", extra: password))
            \(button("remove", "page.admin.remove"))
            """)
    }

    /// API tokens by their names (never the tokens), each with a button that revokes it.
    private func tokenList(_ tokens: [APIToken]) -> HTML {
        let rows: [HTML] = tokens.map { t in
            let at = Date(timeIntervalSince1970: TimeInterval(t.createdAt)).formatted(.iso8601)
            return HTML(
                """
                <tr data-token="\(t.id)"><td>\(t.id)</td><td>\(t.login)</td><td>\(t.name)</td><td>\(at)</td>
                <td><form class="inline" method="post" action="\(Route.adminTokenRevoke)">\(c.csrfField)
                <input type="hidden" name="id" value="\(t.id)">
                <button class="btn">\(c.t("page.admin.revoke"))</button></form></td></tr>
                """)
        }
        return HTML(
            """
            <div class="card" style="margin-top:14px"><h2>\(c.t("page.admin.api_tokens"))</h2>
            <div class="scroll"><table id="tokens">
            <tr><th>id</th><th>\(c.t("page.admin.login"))</th><th>\(c.t("page.admin.token_name"))</th>
            <th>\(c.t("page.admin.created_utc"))</th><th></th></tr>\(rows)</table></div>
            <p class="muted">\(c.t("page.admin.new_token_hint"))</p></div>
            """)
    }

    private func auditLog(_ audit: [AuditEntry]) -> HTML {
        let rows: [HTML] = audit.map { a in
            let at = Date(timeIntervalSince1970: TimeInterval(a.at)).formatted(.iso8601)
            return HTML("<tr><td>\(at)</td><td>\(a.login ?? "—")</td><td>\(a.action)</td><td>\(a.detail)</td></tr>")
        }
        let title = c.t("page.admin.audit_log")
        return HTML(
            """
            <div class="card" style="margin-top:14px"><h2>\(title)</h2>
            <div class="scroll"><table id="audit"><tr><th>\(c.t("page.admin.when_utc"))</th>\
            <th>\(c.t("page.common.who"))</th>\
            <th>\(c.t("page.admin.what"))</th><th></th></tr>\(rows)</table></div></div>
            """)
    }

    // MARK: The KPI system's editor

    func kpiSystemEditor(yaml: String, findings: [KPISystemLinter.Finding], checked: Bool, notice key: String?) -> HTML
    {
        let rows: [HTML] = findings.map { f in
            let error = f.severity == .error
            let severity = error ? c.t("page.admin.error") : c.t("page.admin.warning")
            return HTML(
                """
                <tr class="finding \(f.severity.rawValue)">\
                <td><span class="pill \(error ? "bad" : "warn")">\(severity)</span></td>
                <td>\(f.line.map(String.init) ?? "—")</td><td><code>\(f.id)</code></td>\
                <td>\(f.message(c.lang))</td></tr>
                """)
        }
        let errors = findings.filter { $0.severity == .error }.count
        let clean = c.t("page.admin.kpi_system.no_findings")
        let canSave =
            errors > 0
            ? c.t("page.admin.kpi_system.errors_block_saving")
            : c.t("page.admin.kpi_system.only_warnings")
        let verdict: HTML =
            findings.isEmpty
            ? HTML("<p class=\"notice\" id=\"lint-clean\">\(clean)</p>")
            : HTML(
                """
                <p class="muted">\(canSave)</p>
                <table id="findings"><tr><th></th><th>\(c.t("page.admin.line"))</th>\
                <th>id</th><th>\(c.t("page.admin.finding"))</th></tr>\(rows)</table>
                """)
        let notices = ["saved": true]
        let heading =
            checked
            ? c.t("page.admin.check_result")
            : c.t("page.admin.kpi_system.linter_in_force")
        let rules = c.t("page.admin.kpi_system.help")
        let kept = c.t("page.admin.kpi_system.saves_kept")
        return HTML(
            """
            <h1>\(c.t("page.admin.kpi_system"))</h1>
            \(notice(key, "kpi_system", notices))
            <div class="cols"><div class="card"><h2>\(heading)</h2>\(verdict)
            <p class="muted">\(rules)</p></div></div>
            <form method="post" action="\(Route.adminKPISystem)" class="card" id="kpi-editor">\(c.csrfField)
            <textarea name="yaml" id="yaml" rows="32" spellcheck="false">\(yaml)</textarea>
            <p><button class="btn" name="action" value="check" id="check">\(c.t("page.admin.check"))</button>
            <button class="btn" name="action" value="save" id="save">\
            \(c.t("page.admin.save_and_apply"))</button>
            <span class="muted">\(kept)</span></p></form>
            """)
    }

    // MARK: Plans

    func plans(engine: SalesEngine, catalog: KPICatalog, period: Period, notice key: String?) -> HTML {
        func owner(_ p: Plan) -> String {
            switch p.scope {
            case .rep: engine.reps[p.owner?.id ?? 0]?.name ?? "?"
            case .team: engine.teams[p.owner?.id ?? 0]?.name ?? "?"
            case .company: c.company
            }
        }
        let plans = engine.plans.all.filter { $0.period.intersection(period) != nil }
            .sorted { (owner($0), $0.kpi, $0.period.start) < (owner($1), $1.kpi, $1.period.start) }
        let rows: [HTML] = plans.map { p in
            let unit = catalog[KPI.ID(p.kpi)]?.unit ?? .count
            return HTML(
                """
                <tr><td>\(owner(p))</td><td>\(p.scope.rawValue)</td>\
                <td>\(c.t(catalog[KPI.ID(p.kpi)]?.name) ?? p.kpi)</td><td>\(p.period.label)</td>
                <td class="num">\(c.number(p.target, unit))</td></tr>
                """)
        }
        let reps: [HTML] = engine.repsByTeam.map {
            HTML("<option value=\"\($0.id)\">\($0.name) · \($0.role.rawValue)</option>")
        }
        let teams: [HTML] = engine.teams.values.sorted { $0.name < $1.name }.map {
            HTML("<option value=\"\($0.id)\">\($0.name)</option>")
        }
        let kpis: [HTML] = catalog.kpis.map {
            HTML("<option value=\"\($0.id)\"\($0.id == .revenue ? HTML(" selected") : "")>\(c.t($0.name))</option>")
        }
        let scopes: [HTML] = PlanScope.allCases.map { s in
            let label =
                switch s {
                case .rep: c.t("page.admin.a_person")
                case .team: c.t("page.admin.a_team")
                case .company: c.t("page.admin.the_company")
                }
            return HTML("<option value=\"\(s.rawValue)\">\(label)</option>")
        }
        let notices = ["saved": true, "invalid": false]
        let firstDay = String(describing: CivilDate(period.start))
        let endDay = String(describing: CivilDate(period.end))
        let howPlansWork = c.t("page.admin.plans.replaces")
        let noPlans = c.t("page.admin.plans.none")
        let table: HTML =
            rows.isEmpty
            ? HTML("<p class=\"muted\">\(noPlans)</p>")
            : HTML(
                """
                <table id="plans"><tr><th>\(c.t("page.common.who"))</th><th>\(c.t("page.admin.scope"))</th><th>KPI</th>\
                <th>\(c.t("page.admin.period"))</th><th class="num">\(c.t("page.admin.target"))</th></tr>\(rows)</table>
                """)
        return HTML(
            """
            <h1>\(c.t("page.admin.plans"))</h1>
            \(notice(key, "plans", notices))
            <form class="card inline" method="post" action="\(Route.adminPlans)" id="plan-form">\(c.csrfField)
            <label>\(c.t("page.admin.for"))<select name="scope" id="plan-scope">\(scopes)</select></label>
            <label>\(c.t("page.common.person"))<select name="owner" id="plan-rep">\(reps)</select></label>
            <label>\(c.t("page.admin.or_team"))<select name="team" id="plan-team">\(teams)</select></label>
            <label>KPI<select name="kpi" id="plan-kpi">\(kpis)</select></label>
            <label>\(c.t("page.common.from"))<input type="date" name="from" value="\(firstDay)" required></label>
            <label>\(c.t("page.common.to_exclusive"))\
            <input type="date" name="to" value="\(endDay)" required></label>
            <label>\(c.t("page.admin.target"))\
            <input name="target" id="plan-target" inputmode="decimal" required></label>
            <button class="btn" id="plan-save">\(c.t("page.admin.set_the_plan"))</button></form>
            <p class="muted">\(howPlansWork)</p>
            <div class="card"><h2>\(c.t("page.admin.plans_overlapping")) \(period.label)</h2>
            \(table)</div>
            <script>\(HTML(raw: Self.planScript))</script>
            """)
    }

    /// Only the picker the scope uses is enabled (the server reads `owner` for a person, `team` for a team).
    static let planScript = """
        (function(){var s=document.getElementById('plan-scope'),\
        r=document.getElementById('plan-rep'),t=document.getElementById('plan-team');
        function sync(){r.disabled=s.value!=='rep';t.disabled=s.value!=='team'}
        s.addEventListener('change',sync);sync();})();
        """

    // MARK: Imports

    func importForm(notice key: String?, inserted: String?) -> HTML {
        // A CRM's own export first: what most departments have.
        let presets: [(String, String)] =
            [("crm:auto", c.t("page.admin.import.mode_auto"))]
            + Recipe.presetNames.compactMap { name in
                (try? Recipe.preset(name)).flatMap { $0 }.map { ("crm:\(name)", $0.about) }
            }
        let others: [(String, String)] = [
            ("bundle", c.t("page.admin.import.mode_canonical")), ("recipe", c.t("page.admin.import.mode_recipe")),
            ("mapping", c.t("page.admin.import.mode_mapping")), ("maven-crm", c.t("page.admin.import.mode_maven_crm")),
        ]
        let modes: [HTML] = (presets + others).map { value, label in
            HTML("<option value=\"\(value)\">\(label)</option>")
        }
        let notices = ["imported": true, "no-files": false, "expired": false]
        let dataFiles = c.t("page.admin.data_files_csv")
        let filesInput: HTML =
            "<input type=\"file\" name=\"files\" id=\"import-files\" multiple accept=\".csv,.txt,.tsv,.xls,text/csv\">"
        let mapping = c.t("page.admin.import.mapping_file")
        let unique = c.t("page.admin.import.source_hint")
        let skipInvalid = c.t("page.admin.import.skip_invalid")
        let nothingYet = c.t("page.admin.import.nothing_stored_yet")
        let formats = c.t("page.admin.import.formats")
        return HTML(
            """
            <h1>\(c.t("page.admin.import"))</h1>
            \(notice(key, "import", notices, ["count": .count(Int(inserted ?? "") ?? 0)]))
            <form class="card" method="post" action="\(Route.adminImport)" enctype="multipart/form-data" \
            id="import-form">\
            \(c.csrfField)
            <p><label>\(c.t("page.admin.import_mode")) <select name="mode">\(modes)</select></label></p>
            <p><label>\(dataFiles) \(filesInput)</label></p>
            <p><label>\(mapping) <input type="file" name="mapping" accept=".yaml,.yml"></label></p>
            <p><label>\(c.t("page.admin.import.rates_file")) <input type="file" name="rates" accept=".csv,.xml"></label>
            <span class="muted">\(c.t("page.admin.import.rates_hint"))</span></p>
            <p><label>\(c.t("page.admin.import.stage_map_file")) \
            <input type="file" name="stage_map" accept=".yaml,.yml"></label></p>
            <p><label>\(c.t("page.admin.source")) <input name="source" placeholder="crm"></label>
            <span class="muted">\(unique)</span></p>
            <p><label><input type="checkbox" name="skip_invalid" value="1"> \(skipInvalid)</label></p>
            <p><button class="btn" id="import-check">\(c.t("page.admin.check"))</button>
            <span class="muted">\(nothingYet)</span></p></form>
            <p class="muted">\(formats)</p>
            """)
    }

    func importReport(_ upload: Uploads.Upload, report outcome: AdminController.Outcome) -> HTML {
        let files = upload.files.joined(separator: ", ")
        let head = HTML(
            """
            <h1>\(c.t("page.admin.import_check"))</h1>\
            <div class="sub">\(files) · \(c.t("page.admin.import_source")) «\(upload.source)»</div>
            """)
        guard let report = outcome.report else {
            let f = outcome.failure!
            let blocked = c.t("page.admin.import.blocked", ["count": .count(f.total)])
            return HTML(
                """
                \(head)<div class="error" id="import-blocked">\(blocked)</div>
                \(issueTable(f.issues, total: f.total))
                <p><a href="\(Route.adminImport)">\(c.t("page.admin.upload_again"))</a></p>
                """)
        }
        let kinds: [HTML] = Set(report.inserted.keys).union(report.updated.keys).sorted().map {
            HTML(
                """
                <tr><td>\($0.fileName)</td><td class="num">\(report.inserted[$0] ?? 0)</td>\
                <td class="num">\(report.updated[$0] ?? 0)</td></tr>
                """)
        }
        let byCurrency = c.t("page.admin.import.currencies", ["currencies": .text(report.currencyList)])
        let currencies: HTML = report.currencies.isEmpty ? "" : HTML("<p id=\"import-currencies\">\(byCurrency)</p>")
        let summary = c.t(
            "page.admin.import.summary",
            [
                "inserted": .count(report.totalInserted), "duplicates": .count(report.duplicates),
                "skipped": .count(report.skippedCount),
            ])
        let commit = c.t("page.admin.commit_the_import")
        let readAs: HTML =
            outcome.recipe.map {
                HTML("<p id=\"import-recipe\">\(c.t("page.admin.import.read_as", ["recipe": .text($0)]))</p>")
            } ?? ""
        let stageRows: [HTML] = outcome.stages.sorted { $0.value.rows > $1.value.rows }.map { name, met in
            let stage = DealStage(rawValue: met.stage).map { c.t($0.name) } ?? met.stage
            return HTML("<tr><td>\(name)</td><td>\(stage)</td><td class=\"num\">\(met.rows)</td></tr>")
        }
        let stages: HTML =
            stageRows.isEmpty
            ? ""
            : HTML(
                """
                <div class="card"><h2>\(c.t("page.admin.import.stage_map"))</h2><table id="import-stages">\
                <tr><th>\(c.t("page.admin.import.stage_in_file"))</th><th>\(c.t("page.admin.import.stage_here"))</th>\
                <th class="num">\(c.t("page.admin.import.rows"))</th></tr>\(stageRows)</table></div>
                """)
        let notes: [HTML] = outcome.notes.map { HTML("<li>\($0.file): \(c.t($0.note))</li>") }
        let notesList: HTML = notes.isEmpty ? "" : HTML("<ul class=\"muted\" id=\"import-notes\">\(notes)</ul>")
        let cancel = c.t("page.admin.cancel")
        return HTML(
            """
            \(head)\(readAs)\(notesList)
            <div class="card"><h2 id="import-summary" data-inserted="\(report.totalInserted)">\(summary)</h2>
            <table id="import-kinds"><tr><th>\(c.t("page.admin.file"))</th>\
            <th class="num">\(c.t("page.admin.new_records"))</th>\
            <th class="num">\(c.t("page.admin.changed_records"))</th></tr>\(kinds)</table>\(currencies)</div>
            \(stages)
            \(report.skippedCount > 0 ? issueTable(report.skipped, total: report.skippedCount) : "")
            <form method="post" action="\(Route.adminImportCommit)">\(c.csrfField)\
            <input type="hidden" name="upload" value="\(upload.id)">
            <button class="btn" id="import-commit">\(commit)</button> \
            <a href="\(Route.adminImport)">\(cancel)</a></form>
            """)
    }

    private func issueTable(_ issues: [ImportIssue], total: Int) -> HTML {
        let rows: [HTML] = issues.prefix(200).map { i in
            HTML(
                """
                <tr><td>\(i.file)</td><td class="num">\(i.line)</td>\
                <td>\(i.field ?? "")</td><td>\(c.t(i.problem))</td></tr>
                """)
        }
        let andMore = c.t("page.admin.import.and_more", ["count": .count(total - rows.count)])
        let more: HTML = total > rows.count ? HTML("<p class=\"muted\">\(andMore)</p>") : ""
        return HTML(
            """
            <div class="card"><h2>\(c.t("page.admin.problems")) (\(total))</h2>\
            <div class="scroll"><table id="import-issues">
            <tr><th>\(c.t("page.admin.file"))</th><th class="num">\(c.t("page.admin.line"))</th>\
            <th>\(c.t("page.admin.field"))</th><th>\(c.t("page.admin.what_is_wrong"))</th></tr>\(rows)</table></div>
            \(more)</div>
            """)
    }
}
