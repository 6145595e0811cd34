import Foundation
import SalesCore
import SalesImport
import SalesStorage

/// The admin pages: overview (KPI system, users, audit log), the KPI system's editor, plans and imports.
struct AdminView {
    let c: PageContext

    static func tabs(_ c: PageContext) -> HTML {
        let items: [(Route, String, String)] = [
            (.admin, "Overview", "Обзор"), (.adminKPISystem, "KPI system", "Система KPI"),
            (.adminPlans, "Plans", "Планы"), (.adminImport, "Import", "Импорт"),
        ]
        let links: [HTML] = items.map { route, en, ru in
            HTML("<a class=\"chip\(c.path == route.rawValue ? " on" : "")\" href=\"\(route)\">\(c.t(en, ru))</a>")
        }
        return HTML("<div class=\"bar-tools\" id=\"admin-tabs\">\(links)</div>")
    }

    private func notice(_ key: String?, _ texts: [String: (ok: Bool, en: String, ru: String)]) -> HTML {
        guard let key, let t = texts[key] else { return "" }
        return HTML("<div class=\"\(t.ok ? "notice" : "error")\" id=\"notice\">\(c.t(t.en, t.ru))</div>")
    }

    // MARK: Overview

    func overview(
        system: KPISystem, catalog: KPICatalog, users: [UserAccount], tokens: [APIToken], audit: [AuditEntry],
        notice key: String?
    ) -> HTML {
        let notices: [String: (ok: Bool, en: String, ru: String)] = [
            "added": (true, "The user was added.", "Пользователь добавлен."),
            "changed": (
                true, "Done: the user's sessions have ended where rights were taken away.",
                "Готово: там, где права отозваны, сессии пользователя завершены."
            ),
            "revoked": (true, "The token was revoked.", "Токен отозван."),
            "last-admin": (
                false, "That is the last active admin: add another one first.",
                "Это последний действующий администратор: сначала добавьте другого."
            ),
            "short-password": (
                false, "The password must have at least 8 characters.", "Пароль должен быть не короче 8 символов."
            ),
            "taken": (false, "That login is taken.", "Такой логин уже есть."),
            "invalid": (
                false, "Fill in the login, a role and a password of at least 8 characters.",
                "Укажите логин, роль и пароль не короче 8 символов."
            ),
        ]
        return HTML(
            """
            <h1>\(c.t("Administration", "Администрирование"))</h1>
            \(notice(key, notices))
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
                let target = item.target.map { Show.number($0, k?.unit ?? .count, c.lang) } ?? "—"
                let per = k?.isAdditive == true ? " / " + item.per.rawValue : ""
                let threshold = Show.number(item.threshold, .count, c.lang)
                let cap = Show.number(item.cap, .count, c.lang)
                return HTML(
                    """
                    <tr><td>\(k?.name(c.lang) ?? item.kpi.rawValue)</td>\
                    <td class="num">\(Show.number(item.weight, .count, c.lang)) %</td>
                    <td class="num">\(target)\(per)</td>
                    <td class="num">\(threshold)–\(cap) %</td></tr>
                    """)
            }
            let scope = card.scope == .team ? " · " + c.t("measured on the team", "по команде") : ""
            return HTML("<tr><th colspan=\"4\">\(Layout.repRoleName(role, c.lang))\(scope)</th></tr>\(rows)")
        }
        let steps = system.bonus.steps.map { "≥ \(Int($0.from)) % → \($0.coefficient)" }.joined(separator: " · ")
        let edit = c.t("Edit the KPI system", "Изменить систему KPI")
        let setPlans = c.t("Set plans", "Задать планы")
        return HTML(
            """
            <div class="card"><h2>\(c.t("KPI system", "Система KPI"))</h2><table id="kpi-system">
            <tr><th>KPI</th><th class="num">\(c.t("weight", "вес"))</th><th class="num">\(c.t("target", "цель"))</th>\
            <th class="num">\(c.t("threshold–cap", "порог–потолок"))</th></tr>\(roles)</table>
            <p class="muted">\(c.t("Bonus schedule", "Шкала премирования")): \(steps)</p>
            <p><a href="\(Route.adminKPISystem)">\(edit)</a> · <a href="\(Route.adminPlans)">\(setPlans)</a></p></div>
            """)
    }

    private func userList(_ users: [UserAccount]) -> HTML {
        let rows: [HTML] = users.map { u in
            HTML(
                """
                <tr class="\(u.disabledAt == nil ? "" : "muted")" data-login="\(u.login)">
                <td>\(u.login)</td><td>\(u.name)</td>
                <td>\(Layout.roleName(u.role, c.lang))</td><td>\(u.repExternalID ?? "—")</td>
                <td>\(userActions(u))</td></tr>
                """)
        }
        let roles: [HTML] = UserRole.allCases.map {
            HTML("<option value=\"\($0.rawValue)\">\(Layout.roleName($0, c.lang))</option>")
        }
        return HTML(
            """
            <div class="card"><h2>\(c.t("Users", "Пользователи"))</h2><div class="scroll"><table id="users">
            <tr><th>\(c.t("login", "логин"))</th><th>\(c.t("name", "имя"))</th><th>\(c.t("role", "роль"))</th>
            <th>\(c.t("rep (CRM id)", "сотрудник (id в CRM)"))</th><th></th></tr>\(rows)</table></div>
            <h2 style="margin-top:14px">\(c.t("Add a user", "Добавить пользователя"))</h2>
            <form class="inline" method="post" action="\(Route.adminUsers)">\(c.csrfField)
            <label>\(c.t("login", "логин"))<input name="login" required></label>\
            <label>\(c.t("name", "имя"))<input name="name"></label>
            <label>\(c.t("role", "роль"))<select name="role">\(roles)</select></label>\
            <label>\(c.t("rep (CRM id)", "сотрудник (id в CRM)"))<input name="rep"></label>
            <label>\(c.t("password (8+)", "пароль (от 8)"))\
            <input name="password" type="password" minlength="8" required></label>\
            <button class="btn">\(c.t("Add", "Добавить"))</button></form></div>
            """)
    }

    /// Disable or enable, a new password, remove: each a small form of its own.
    private func userActions(_ u: UserAccount) -> HTML {
        func button(_ action: String, _ en: String, _ ru: String, extra: HTML = "") -> HTML {
            HTML(
                """
                <form class="inline" method="post" action="\(Route.adminUserChange)">\(c.csrfField)
                <input type="hidden" name="login" value="\(u.login)">\(extra)
                <button class="btn" name="action" value="\(action)">\(c.t(en, ru))</button></form>
                """)
        }
        let password = HTML(
            """
            <input name="password" type="password" minlength="8" required
             aria-label="\(c.t("new password", "новый пароль"))"
             placeholder="\(c.t("new password", "новый пароль"))">
            """)
        return HTML(
            """
            \(u.disabledAt == nil ? button("disable", "Disable", "Отключить") : button("enable", "Enable", "Включить"))
            \(button("password", "Set password", "Сменить пароль", extra: password))
            \(button("remove", "Remove", "Удалить"))
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
                <button class="btn">\(c.t("Revoke", "Отозвать"))</button></form></td></tr>
                """)
        }
        return HTML(
            """
            <div class="card" style="margin-top:14px"><h2>\(c.t("API tokens", "API-токены"))</h2>
            <div class="scroll"><table id="tokens">
            <tr><th>id</th><th>\(c.t("login", "логин"))</th><th>\(c.t("name", "название"))</th>
            <th>\(c.t("created (UTC)", "создан (UTC)"))</th><th></th></tr>\(rows)</table></div>
            <p class="muted">\(c.t("New tokens: saleskpi user token --login <login> --name <what for>.",
                                   "Новый токен: saleskpi user token --login <логин> --name <назначение>."))</p></div>
            """)
    }

    private func auditLog(_ audit: [AuditEntry]) -> HTML {
        let rows: [HTML] = audit.map { a in
            let at = Date(timeIntervalSince1970: TimeInterval(a.at)).formatted(.iso8601)
            return HTML("<tr><td>\(at)</td><td>\(a.login ?? "—")</td><td>\(a.action)</td><td>\(a.detail)</td></tr>")
        }
        let title = c.t(
            "Audit log: plans, weights, users, imports", "Журнал изменений: планы, веса, пользователи, импорт")
        return HTML(
            """
            <div class="card" style="margin-top:14px"><h2>\(title)</h2>
            <div class="scroll"><table id="audit"><tr><th>\(c.t("when (UTC)", "когда (UTC)"))</th>\
            <th>\(c.t("who", "кто"))</th>\
            <th>\(c.t("what", "что"))</th><th></th></tr>\(rows)</table></div></div>
            """)
    }

    // MARK: The KPI system's editor

    func kpiSystemEditor(yaml: String, findings: [KPISystemLinter.Finding], checked: Bool, notice key: String?) -> HTML
    {
        let rows: [HTML] = findings.map { f in
            let error = f.severity == .error
            let severity = error ? c.t("error", "ошибка") : c.t("warning", "предупреждение")
            return HTML(
                """
                <tr class="finding \(f.severity.rawValue)">\
                <td><span class="pill \(error ? "bad" : "warn")">\(severity)</span></td>
                <td>\(f.line.map(String.init) ?? "—")</td><td><code>\(f.id)</code></td>\
                <td>\(f.message(c.lang))</td></tr>
                """)
        }
        let errors = findings.filter { $0.severity == .error }.count
        let clean = c.t("The linter has no findings.", "Замечаний линтера нет.")
        let canSave =
            errors > 0
            ? c.t(
                "Errors block saving; warnings are advice from the seeds.",
                "Ошибки не дают сохранить; предупреждения — советы из методики.")
            : c.t("Only warnings: the system can be saved.", "Только предупреждения: систему можно сохранить.")
        let verdict: HTML =
            findings.isEmpty
            ? HTML("<p class=\"notice\" id=\"lint-clean\">\(clean)</p>")
            : HTML(
                """
                <p class="muted">\(canSave)</p>
                <table id="findings"><tr><th></th><th>\(c.t("line", "строка"))</th>\
                <th>id</th><th>\(c.t("finding", "замечание"))</th></tr>\(rows)</table>
                """)
        let notices: [String: (ok: Bool, en: String, ru: String)] = [
            "saved": (
                true, "Saved and in force: open dashboards have been updated.",
                "Сохранено и действует: открытые дашборды обновлены."
            )
        ]
        let heading =
            checked
            ? c.t("Check result", "Результат проверки")
            : c.t("The linter on the system in force", "Линтер о действующей системе")
        let rules = c.t(
            "Per role 3–5 KPIs whose weights sum to 100 %, at least one result and one quality KPI; "
                + "targets per month (or day, week, quarter, year, period); a threshold below which a KPI scores 0 "
                + "and a cap. Your own KPIs go under custom_kpis as formulas. The comments of the built-in system "
                + "(saleskpi lint --print-default) explain every key.",
            "По каждой роли 3–5 KPI с суммой весов 100 %, хотя бы один результативный и один качественный; "
                + "цели на месяц (или день, неделю, квартал, год, период); порог, ниже которого KPI даёт 0, "
                + "и потолок. Свои KPI — в custom_kpis формулами. Ключи объяснены в комментариях встроенной "
                + "системы (saleskpi lint --print-default).")
        let kept = c.t(
            "Every save is kept in the store and written to the audit log.",
            "Каждое сохранение хранится в базе и попадает в журнал изменений.")
        return HTML(
            """
            <h1>\(c.t("KPI system", "Система KPI"))</h1>
            \(notice(key, notices))
            <div class="cols"><div class="card"><h2>\(heading)</h2>\(verdict)
            <p class="muted">\(rules)</p></div></div>
            <form method="post" action="\(Route.adminKPISystem)" class="card" id="kpi-editor">\(c.csrfField)
            <textarea name="yaml" id="yaml" rows="32" spellcheck="false">\(yaml)</textarea>
            <p><button class="btn" name="action" value="check" id="check">\(c.t("Check", "Проверить"))</button>
            <button class="btn" name="action" value="save" id="save">\
            \(c.t("Save and apply", "Сохранить и применить"))</button>
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
                <td>\(catalog[KPI.ID(p.kpi)]?.name(c.lang) ?? p.kpi)</td><td>\(p.period.label)</td>
                <td class="num">\(Show.number(p.target, unit, c.lang))</td></tr>
                """)
        }
        let reps: [HTML] = engine.repsByTeam.map {
            HTML("<option value=\"\($0.id)\">\($0.name) · \($0.role.rawValue)</option>")
        }
        let teams: [HTML] = engine.teams.values.sorted { $0.name < $1.name }.map {
            HTML("<option value=\"\($0.id)\">\($0.name)</option>")
        }
        let kpis: [HTML] = catalog.kpis.map {
            HTML("<option value=\"\($0.id)\"\($0.id == .revenue ? HTML(" selected") : "")>\($0.name(c.lang))</option>")
        }
        let scopes: [HTML] = PlanScope.allCases.map { s in
            let label =
                switch s {
                case .rep: c.t("a person", "сотрудник")
                case .team: c.t("a team", "команда")
                case .company: c.t("the company", "компания")
                }
            return HTML("<option value=\"\(s.rawValue)\">\(label)</option>")
        }
        let notices: [String: (ok: Bool, en: String, ru: String)] = [
            "saved": (true, "The plan is set; scorecards use it now.", "План задан; скоркарды уже его учитывают."),
            "invalid": (
                false, "Choose who, a KPI, a period (from before to) and a number for the target.",
                "Укажите, для кого, KPI, период (начало раньше конца) и число — цель."
            ),
        ]
        let firstDay = String(describing: CivilDate(period.start))
        let endDay = String(describing: CivilDate(period.end))
        let howPlansWork = c.t(
            "A plan replaces an earlier one for the same person, KPI and period; a change is written to the audit log. "
                + "Money in roubles, percent as 0–100.",
            "План заменяет прежний для того же сотрудника, KPI и периода; изменение попадает в журнал. "
                + "Деньги — в рублях, проценты — 0–100.")
        let noPlans = c.t(
            "No plans: scorecards use the KPI system's default targets.",
            "Планов нет: скоркарды берут цели по умолчанию из системы KPI.")
        let table: HTML =
            rows.isEmpty
            ? HTML("<p class=\"muted\">\(noPlans)</p>")
            : HTML(
                """
                <table id="plans"><tr><th>\(c.t("who", "кто"))</th><th>\(c.t("scope", "уровень"))</th><th>KPI</th>\
                <th>\(c.t("period", "период"))</th><th class="num">\(c.t("target", "цель"))</th></tr>\(rows)</table>
                """)
        return HTML(
            """
            <h1>\(c.t("Plans", "Планы"))</h1>
            \(notice(key, notices))
            <form class="card inline" method="post" action="\(Route.adminPlans)" id="plan-form">\(c.csrfField)
            <label>\(c.t("for", "для"))<select name="scope" id="plan-scope">\(scopes)</select></label>
            <label>\(c.t("person", "сотрудник"))<select name="owner" id="plan-rep">\(reps)</select></label>
            <label>\(c.t("or team", "или команда"))<select name="team" id="plan-team">\(teams)</select></label>
            <label>KPI<select name="kpi" id="plan-kpi">\(kpis)</select></label>
            <label>\(c.t("from", "с"))<input type="date" name="from" value="\(firstDay)" required></label>
            <label>\(c.t("to (exclusive)", "по (не включая)"))\
            <input type="date" name="to" value="\(endDay)" required></label>
            <label>\(c.t("target", "цель"))<input name="target" id="plan-target" inputmode="decimal" required></label>
            <button class="btn" id="plan-save">\(c.t("Set the plan", "Задать план"))</button></form>
            <p class="muted">\(howPlansWork)</p>
            <div class="card"><h2>\(c.t("Plans overlapping", "Планы, пересекающие")) \(period.label)</h2>
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
        let modes: [HTML] = Uploads.Mode.allCases.map { m in
            let label =
                switch m {
                case .bundle:
                    c.t(
                        "canonical bundle (teams.csv, reps.csv, deals.csv, …)",
                        "канонический набор (teams.csv, reps.csv, deals.csv, …)")
                case .mapping:
                    c.t("one CSV file with a column mapping (YAML)", "один CSV-файл с сопоставлением столбцов (YAML)")
                case .mavenCRM:
                    c.t(
                        "Maven CRM export (accounts, products, sales_pipeline, sales_teams)",
                        "выгрузка Maven CRM (accounts, products, sales_pipeline, sales_teams)")
                }
            return HTML("<option value=\"\(m.rawValue)\">\(label)</option>")
        }
        let notices: [String: (ok: Bool, en: String, ru: String)] = [
            "imported": (
                true, "Imported: \(inserted ?? "0") new records. Dashboards are up to date.",
                "Загружено новых записей: \(inserted ?? "0"). Дашборды обновлены."
            ),
            "no-files": (false, "Choose at least one file.", "Выберите хотя бы один файл."),
            "expired": (
                false, "That upload is gone (a day has passed or it was committed): upload the files again.",
                "Эта загрузка уже недоступна (прошли сутки или она уже применена): загрузите файлы снова."
            ),
        ]
        let dataFiles = c.t("Data files (CSV)", "Файлы данных (CSV)")
        let filesInput: HTML =
            "<input type=\"file\" name=\"files\" id=\"import-files\" multiple accept=\".csv,text/csv\">"
        let mapping = c.t("Column mapping (YAML), for one CSV", "Сопоставление столбцов (YAML) — для одного CSV")
        let unique = c.t(
            "ids are unique within a source; the same file twice adds nothing",
            "идентификаторы уникальны в пределах источника; повторная загрузка ничего не добавит")
        let skipInvalid = c.t(
            "store the valid rows and skip the invalid ones", "сохранить верные строки, пропустив ошибочные")
        let nothingYet = c.t(
            "Nothing is stored until you commit the report.", "Ничего не сохраняется, пока вы не подтвердите отчёт.")
        let formats = c.t(
            "Formats: docs/data-format.md. The same from the command line: saleskpi import --help.",
            "Форматы: docs/data-format.md. То же из командной строки: saleskpi import --help.")
        return HTML(
            """
            <h1>\(c.t("Import", "Импорт"))</h1>
            \(notice(key, notices))
            <form class="card" method="post" action="\(Route.adminImport)" enctype="multipart/form-data" \
            id="import-form">\
            \(c.csrfField)
            <p><label>\(c.t("What", "Что")) <select name="mode">\(modes)</select></label></p>
            <p><label>\(dataFiles) \(filesInput)</label></p>
            <p><label>\(mapping) <input type="file" name="mapping" accept=".yaml,.yml"></label></p>
            <p><label>\(c.t("Source", "Источник")) <input name="source" placeholder="crm"></label>
            <span class="muted">\(unique)</span></p>
            <p><label><input type="checkbox" name="skip_invalid" value="1"> \(skipInvalid)</label></p>
            <p><button class="btn" id="import-check">\(c.t("Check", "Проверить"))</button>
            <span class="muted">\(nothingYet)</span></p></form>
            <p class="muted">\(formats)</p>
            """)
    }

    func importReport(_ upload: Uploads.Upload, report outcome: AdminController.Outcome) -> HTML {
        let files = upload.files.joined(separator: ", ")
        let head = HTML(
            """
            <h1>\(c.t("Import check", "Проверка импорта"))</h1>\
            <div class="sub">\(files) · \(c.t("source", "источник")) «\(upload.source)»</div>
            """)
        guard let report = outcome.report else {
            let f = outcome.failure!
            let blocked = c.t(
                "Nothing can be stored: \(f.total) problem(s). Fix the files and upload them again, "
                    + "or tick “skip the invalid rows”.",
                "Сохранить нельзя: ошибок — \(f.total). Исправьте файлы и загрузите снова "
                    + "или отметьте «пропустить ошибочные строки».")
            return HTML(
                """
                \(head)<div class="error" id="import-blocked">\(blocked)</div>
                \(issueTable(f.issues, total: f.total))
                <p><a href="\(Route.adminImport)">\(c.t("Upload again", "Загрузить снова"))</a></p>
                """)
        }
        let kinds: [HTML] = report.inserted.sorted { $0.key < $1.key }.map {
            HTML("<tr><td>\($0.key.fileName)</td><td class=\"num\">\($0.value)</td></tr>")
        }
        let summary = c.t(
            "New records: \(report.totalInserted); already stored: \(report.duplicates); "
                + "skipped as invalid: \(report.skippedCount)",
            "Новых записей: \(report.totalInserted); уже были: \(report.duplicates); "
                + "пропущено с ошибками: \(report.skippedCount)")
        let commit = c.t("Commit the import", "Загрузить в базу")
        let cancel = c.t("Cancel", "Отмена")
        return HTML(
            """
            \(head)
            <div class="card"><h2 id="import-summary" data-inserted="\(report.totalInserted)">\(summary)</h2>
            <table><tr><th>\(c.t("file", "файл"))</th>\
            <th class="num">\(c.t("new records", "новых записей"))</th></tr>\(kinds)</table></div>
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
                <td>\(i.field ?? "")</td><td>\(i.problem(c.lang))</td></tr>
                """)
        }
        let andMore = c.t("… and \(total - rows.count) more", "… и ещё \(total - rows.count)")
        let more: HTML = total > rows.count ? HTML("<p class=\"muted\">\(andMore)</p>") : ""
        return HTML(
            """
            <div class="card"><h2>\(c.t("Problems", "Ошибки")) (\(total))</h2>\
            <div class="scroll"><table id="import-issues">
            <tr><th>\(c.t("file", "файл"))</th><th class="num">\(c.t("line", "строка"))</th>\
            <th>\(c.t("field", "поле"))</th><th>\(c.t("what is wrong", "что не так"))</th></tr>\(rows)</table></div>
            \(more)</div>
            """)
    }
}
