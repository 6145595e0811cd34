import Foundation
import SalesCore
import SalesStorage

/// The admin page: the KPI system in force, the users and the audit log.
struct AdminView {
    let c: PageContext
    let system: KPISystem
    let catalog: KPICatalog
    let users: [UserAccount]
    let audit: [AuditEntry]
    let notice: String?

    func render() -> HTML {
        HTML("""
            <h1>\(c.t("Administration", "Администрирование"))</h1>\(noticeBanner)
            <div class="cols">\(kpiSystem)\(userList)</div>
            \(auditLog)
            """)
    }

    private var noticeBanner: HTML {
        switch notice {
        case "added": HTML("<div class=\"notice\">\(c.t("The user was added.", "Пользователь добавлен."))</div>")
        case "taken": HTML("<div class=\"error\">\(c.t("That login is taken.", "Такой логин уже есть."))</div>")
        case "invalid": HTML("<div class=\"error\">\(c.t("Fill in the login, a role and a password of at least 8 characters.", "Укажите логин, роль и пароль не короче 8 символов."))</div>")
        default: ""
        }
    }

    private var kpiSystem: HTML {
        let roles: [HTML] = RepRole.allCases.compactMap { role in
            guard let card = system.roles[role] else { return nil }
            let rows: [HTML] = card.kpis.map { item in
                let k = catalog[item.kpi]
                return HTML("""
                    <tr><td>\(k?.name(c.lang) ?? item.kpi)</td><td class="num">\(Show.number(item.weight, .count, c.lang)) %</td>
                    <td class="num">\(item.target.map { Show.number($0, k?.unit ?? .count, c.lang) } ?? "—")\(k?.isAdditive == true ? " / " + item.per.rawValue : "")</td>
                    <td class="num">\(Show.number(item.threshold, .count, c.lang))–\(Show.number(item.cap, .count, c.lang)) %</td></tr>
                    """)
            }
            return HTML("<tr><th colspan=\"4\">\(Layout.repRoleName(role, c.lang))\(card.scope == .team ? " · " + c.t("measured on the team", "по команде") : "")</th></tr>\(rows)")
        }
        let steps = system.bonus.steps.map { "≥ \(Int($0.from)) % → \($0.coefficient)" }.joined(separator: " · ")
        return HTML("""
            <div class="card"><h2>\(c.t("KPI system", "Система KPI"))</h2><table>
            <tr><th>KPI</th><th class="num">\(c.t("weight", "вес"))</th><th class="num">\(c.t("target", "цель"))</th><th class="num">\(c.t("threshold–cap", "порог–потолок"))</th></tr>\(roles)</table>
            <p class="muted">\(c.t("Bonus schedule", "Шкала премирования")): \(steps)</p>
            <p class="muted">\(c.t("Edit the YAML and check it with", "Правьте YAML и проверяйте командой")) <code>saleskpi lint</code>; \(c.t("plans per person come from plans.csv or POST /api/v1/events.", "планы по сотрудникам — из plans.csv или POST /api/v1/events."))</p></div>
            """)
    }

    private var userList: HTML {
        let rows: [HTML] = users.map { u in
            HTML("<tr><td>\(u.login)</td><td>\(u.name)</td><td>\(Layout.roleName(u.role, c.lang))</td><td>\(u.repExternalID ?? "—")</td></tr>")
        }
        let roles: [HTML] = UserRole.allCases.map { HTML("<option value=\"\($0.rawValue)\">\(Layout.roleName($0, c.lang))</option>") }
        return HTML("""
            <div class="card"><h2>\(c.t("Users", "Пользователи"))</h2><table id="users">
            <tr><th>\(c.t("login", "логин"))</th><th>\(c.t("name", "имя"))</th><th>\(c.t("role", "роль"))</th><th>\(c.t("rep (CRM id)", "сотрудник (id в CRM)"))</th></tr>\(rows)</table>
            <h2 style="margin-top:14px">\(c.t("Add a user", "Добавить пользователя"))</h2>
            <form class="inline" method="post" action="/admin/users">\(c.csrfField)
            <label>\(c.t("login", "логин"))<input name="login" required></label><label>\(c.t("name", "имя"))<input name="name"></label>
            <label>\(c.t("role", "роль"))<select name="role">\(roles)</select></label><label>\(c.t("rep (CRM id)", "сотрудник (id в CRM)"))<input name="rep"></label>
            <label>\(c.t("password (8+)", "пароль (от 8)"))<input name="password" type="password" minlength="8" required></label><button class="btn">\(c.t("Add", "Добавить"))</button></form></div>
            """)
    }

    private var auditLog: HTML {
        let rows: [HTML] = audit.map { a in
            let at = Date(timeIntervalSince1970: TimeInterval(a.at)).formatted(.iso8601)
            return HTML("<tr><td>\(at)</td><td>\(a.login ?? "—")</td><td>\(a.action)</td><td>\(a.detail)</td></tr>")
        }
        return HTML("""
            <div class="card" style="margin-top:14px"><h2>\(c.t("Audit log: plans, weights, users", "Журнал изменений: планы, веса, пользователи"))</h2>
            <table><tr><th>\(c.t("when (UTC)", "когда (UTC)"))</th><th>\(c.t("who", "кто"))</th><th>\(c.t("what", "что"))</th><th></th></tr>\(rows)</table></div>
            """)
    }
}
