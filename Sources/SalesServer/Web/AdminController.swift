import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SalesCore
import SalesImport
import SalesStorage

/// The admin pages: the KPI system (edited and checked by the linter), plans, users, imports
/// (checked before they are committed) and the audit log. Every change is audited.
struct AdminController {
    let services: AppServices
    var live: LiveEngine { services.live }

    func register(on groups: RouteGroups) {
        let admin = groups.adminPages(refusal: forbidden)
        admin.get(Route.admin.pattern, use: overview)
        admin.post(Route.adminUsers.pattern, use: addUser)
        admin.post(Route.adminUserChange.pattern, use: changeUser)
        admin.post(Route.adminTokenRevoke.pattern, use: revokeToken)
        admin.get(Route.adminKPISystem.pattern, use: kpiSystem)
        admin.post(Route.adminKPISystem.pattern, use: saveKPISystem)
        admin.get(Route.adminPlans.pattern, use: plans)
        admin.post(Route.adminPlans.pattern, use: setPlan)
        admin.get(Route.adminImport.pattern, use: importForm)
        admin.post(Route.adminImport.pattern, use: checkImport)
        admin.post(Route.adminImportCommit.pattern, use: commitImport)
        admin.get(Route.adminConnections.pattern, use: connections)
        admin.post(Route.adminConnectionSync.pattern, use: syncNow)
    }

    /// What anyone but an admin gets: a 403 page in their language.
    @Sendable private func forbidden(_ context: SignedInContext) -> Response {
        let c = pageContext(context, route: .admin)
        let onlyAdmins = c.t("page.admin.only_admins")
        return page(
            Layout.page(
                "403", c, tools: "", main: HTML("<h1>403</h1><p class=\"error\" id=\"forbidden\">\(onlyAdmins)</p>")),
            status: .forbidden)
    }

    private func pageContext(_ context: SignedInContext, route: Route) -> PageContext {
        PageContext(
            lang: context.language, viewer: context.viewer, csrf: context.csrf, path: route.rawValue, query: [:],
            company: services.settings.companyName, version: live.version)
    }

    /// Runs `body` with the page's context (the admin route group has let only admins in).
    func adminPage(
        _ request: Request, _ context: SignedInContext, route: Route,
        _ body: (Viewer, PageContext) async throws -> Response
    ) async throws -> Response {
        try await body(context.viewer, pageContext(context, route: route))
    }

    func show(_ c: PageContext, _ title: MessageKey, _ main: HTML, status: HTTPResponse.Status = .ok)
        -> Response
    {
        page(Layout.page(c.t(title), c, tools: AdminView.tabs(c), main: main), status: status)
    }

    static func back(_ route: Route, notice: String) -> Response {
        Response(status: .seeOther, headers: [.location: route.path(["notice": notice])])
    }

    // MARK: Overview and users

    @Sendable func overview(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .admin) { _, c in
            show(
                c, "page.layout.admin",
                AdminView(c: c).overview(
                    system: live.system, catalog: live.catalog, users: try services.stores.users.all(),
                    tokens: try services.stores.apiTokens.list(userID: nil),
                    audit: try services.stores.audit.latest(limit: 50),
                    notice: try request.decode(NoticeQuery.self).notice))
        }
    }

    @Sendable func addUser(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .admin) { viewer, _ in
            var request = request
            let form = try await request.formFields()
            guard let login = form["login"], !login.isEmpty, let password = form["password"], password.count >= 8,
                let role = form["role"].flatMap(UserRole.init(rawValue:))
            else {
                return Self.back(.admin, notice: "invalid")
            }
            let rep = form["rep"].flatMap { $0.isEmpty ? nil : $0 }
            do {
                _ = try services.stores.users.add(
                    UserAccount(
                        login: login, name: form["name"].flatMap { $0.isEmpty ? nil : $0 } ?? login, role: role,
                        repExternalID: rep, passwordHash: services.passwords.hash(password)))
            } catch AccountError.loginTaken {
                return Self.back(.admin, notice: "taken")
            }
            services.audit(viewer, "user.add", "\(login) as \(role.rawValue)\(rep.map { ", rep \($0)" } ?? "")")
            return Self.back(.admin, notice: "added")
        }
    }

    /// `action=disable|enable|remove|password` for the form's `login`: through `AccountAdministration`
    /// (sessions ended, audited); this server forgets the user's cached credentials at once.
    @Sendable func changeUser(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .admin) { viewer, _ in
            var request = request
            let form = try await request.formFields()
            let login = form["login"] ?? ""
            let admin = services.administration(by: viewer.user)
            let changed: UserAccount?
            do {
                changed = try services.stores.users.user(login: login)
                switch form["action"] {
                case "disable": try admin.disable(login)
                case "enable": try admin.enable(login)
                case "remove": try admin.remove(login)
                case "password": try admin.setPassword(login, to: form["password"] ?? "")
                default: return Self.back(.admin, notice: "invalid")
                }
            } catch let failure as AccountAdministration.Failure {
                switch failure {
                case .lastAdmin: return Self.back(.admin, notice: "last-admin")
                case .shortPassword: return Self.back(.admin, notice: "short-password")
                case .noSuchUser, .noSuchToken: return Self.back(.admin, notice: "invalid")
                }
            }
            if let changed { services.credentials.forget(userID: changed.id) }
            return Self.back(.admin, notice: "changed")
        }
    }

    @Sendable func revokeToken(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .admin) { viewer, _ in
            var request = request
            let form = try await request.formFields()
            let admin = services.administration(by: viewer.user)
            guard let id = form["id"].flatMap(Int64.init), let token = try? admin.revokeToken(id: id) else {
                return Self.back(.admin, notice: "invalid")
            }
            services.credentials.forget(userID: token.userID)
            return Self.back(.admin, notice: "revoked")
        }
    }

    // MARK: The KPI system

    @Sendable func kpiSystem(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .adminKPISystem) { _, c in
            let yaml = live.systemYAML
            let findings = KPISystemFile.check(yaml, file: KPISystemFile.savedName).findings
            return show(
                c, "page.admin.kpi_system",
                AdminView(c: c).kpiSystemEditor(
                    yaml: yaml, findings: findings, checked: false,
                    notice: try request.decode(NoticeQuery.self).notice))
        }
    }

    /// `action=check` lints the text; `action=save` also puts it in force, unless the linter finds an error.
    @Sendable func saveKPISystem(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .adminKPISystem) { viewer, c in
            var request = request
            let form = try await request.formFields()
            let yaml = (form["yaml"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            var (read, findings) = KPISystemFile.check(yaml, file: KPISystemFile.savedName)
            if form["action"] == "save", let read, !findings.contains(where: { $0.severity == .error }) {
                let changes = read.system.changes(from: live.system)
                do {
                    try live.replaceSystem(read.system, yaml: yaml)
                    try services.stores.kpiSystems.save(yaml: yaml, userID: viewer.user.id, at: services.now)
                    services.audit(
                        viewer, "kpi_system.save",
                        changes.isEmpty ? "no change in roles, weights or targets" : changes.joined(separator: "; "))
                    return Self.back(.adminKPISystem, notice: "saved")
                } catch let e as LiveEngine.TimeZoneChange {
                    findings.append(
                        .init(
                            id: "time-zone", severity: .error,
                            message: LocalizedText(
                                "page.admin.kpi_system.time_zone_change",
                                ["from": .text("\(e.from)"), "to": .text("\(e.to)")])))
                }
            }
            let blocked = findings.contains { $0.severity == .error }
            return show(
                c, "page.admin.kpi_system",
                AdminView(c: c).kpiSystemEditor(yaml: yaml, findings: findings, checked: true, notice: nil),
                status: blocked ? .unprocessableContent : .ok)
        }
    }

    // MARK: Plans

    @Sendable func plans(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .adminPlans) { _, c in
            let main = try live.read { engine in
                AdminView(c: c).plans(
                    engine: engine, catalog: live.catalog,
                    period: try services.period(request.decode(PeriodQuery.self), engine),
                    notice: try request.decode(NoticeQuery.self).notice)
            }
            return show(c, "page.admin.plans", main)
        }
    }

    /// Sets a target: a new plan record for the owner, KPI and period, which replaces an earlier one
    /// for the same period. Stored in the owner's source so that it refers to them.
    @Sendable func setPlan(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .adminPlans) { viewer, _ in
            var request = request
            let form = try await request.formFields()
            guard let scope = form["scope"].flatMap(PlanScope.init(rawValue:)), let kpi = form["kpi"],
                live.catalog[KPI.ID(kpi)] != nil,
                let from = form["from"].flatMap(CivilDate.init(iso:)),
                let to = form["to"].flatMap(CivilDate.init(iso:)), from < to,
                let target = form["target"].flatMap({
                    Double($0.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: ""))
                }),
                target.isFinite
            else {
                return Self.back(.adminPlans, notice: "invalid")
            }
            let period = Period(from: from, to: to)
            let id = Int64(form[scope == .team ? "team" : "owner"] ?? "") ?? 0
            let owner: (kind: EventKind, id: Int64, external: String, name: String)? = live.read { engine in
                switch scope {
                case .rep: engine.reps[id].map { (.rep, id, $0.externalID, $0.name) }
                case .team: engine.teams[id].map { (.team, id, $0.externalID, $0.name) }
                case .company: nil
                }
            }
            if scope != .company && owner == nil { return Self.back(.adminPlans, notice: "invalid") }
            let source = try owner.flatMap { try live.source(of: $0.kind, id: $0.id) } ?? "admin"
            let previous = live.read { e in
                e.plans.all.first {
                    $0.scope == scope && $0.owner?.id == owner?.id && $0.kpi == kpi && $0.period == period
                }?.target
            }
            let plan = Plan(
                externalID: "admin-plan-\(UUID().uuidString.lowercased())", scope: scope,
                owner: owner.map { EntityRef($0.external) },
                kpi: kpi, period: period, target: target)
            _ = try live.ingest(source: source, skipInvalid: false, items: [("admin", 1, .success(.plan(plan)))])
            let who = owner.map { "\($0.kind.rawValue) \($0.external) (\($0.name))" } ?? "company"
            let targets = (previous.map { ReportTable.plain($0, 2) + " → " } ?? "") + ReportTable.plain(target, 2)
            services.audit(viewer, "plan.set", "\(who) \(kpi) \(period.label): \(targets)")
            return Self.back(.adminPlans, notice: "saved")
        }
    }

    // MARK: Imports

    @Sendable func importForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .adminImport) { _, c in
            let query = try request.decode(NoticeQuery.self)
            return show(
                c, "page.admin.import", AdminView(c: c).importForm(notice: query.notice, inserted: query.inserted))
        }
    }

    /// Keeps the uploaded files, imports them in a transaction that is rolled back, and shows the
    /// report with a button that commits the same files.
    @Sendable func checkImport(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .adminImport) { _, c in
            var form = context.request.uploadedForm
            if form == nil {  // signed in by a token: no CSRF check has read the body
                var request = request
                let body = Data(buffer: try await request.collectBody(upTo: Uploads.maxBytes))
                form = MultipartForm(body: body, contentType: request.headers[.contentType] ?? "")
            }
            guard let form, !form.files.isEmpty else {
                return Self.back(.adminImport, notice: "no-files")
            }
            let upload = try Uploads.keep(form)
            let outcome = try runImport(upload, dryRun: true)
            return show(
                c, "page.admin.import", AdminView(c: c).importReport(upload, report: outcome),
                status: outcome.failure == nil ? .ok : .unprocessableContent)
        }
    }

    @Sendable func commitImport(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .adminImport) { viewer, c in
            var request = request
            let form = try await request.formFields()
            guard let upload = form["upload"].flatMap(Uploads.find) else {
                return Self.back(.adminImport, notice: "expired")
            }
            let outcome = try runImport(upload, dryRun: false)
            guard let report = outcome.report else {
                // The store changed between the check and the commit (another import, say): the new report.
                return show(
                    c, "page.admin.import", AdminView(c: c).importReport(upload, report: outcome),
                    status: .unprocessableContent)
            }
            Uploads.remove(upload)
            services.metrics.eventsIngested.increment(by: Int64(report.totalInserted))
            services.audit(
                viewer, "import",
                "\(upload.mode.rawValue) \(upload.files.joined(separator: ", ")) from source '\(upload.source)': "
                    + "\(report.totalInserted) stored, \(report.duplicates) already there, "
                    + "\(report.skippedCount) skipped"
            )
            return Response(
                status: .seeOther,
                headers: [
                    .location: Route.adminImport.rawValue + "?notice=imported&inserted=\(report.totalInserted)"
                ])
        }
    }

    /// The import's report, or why nothing would be stored; for an export read by a recipe, which one, the
    /// stage names met and what was set aside.
    struct Outcome {
        var report: ImportReport?
        var failure: ImportFailure?
        var recipe: String?
        var stages: [String: (stage: String, rows: Int)] = [:]
        var notes: [(file: String, note: LocalizedText)] = []
    }

    private func runImport(_ upload: Uploads.Upload, dryRun: Bool) throws -> Outcome {
        var outcome = Outcome()
        do {
            let report = try live.ingest(source: upload.source, skipInvalid: upload.skipInvalid, dryRun: dryRun) {
                importer in
                if let rates = upload.rates {
                    importer.conversion.rates.merge(
                        try ExchangeRates.read(path: rates, company: importer.conversion.rates.company))
                }
                switch upload.mode {
                case .crm, .recipe:
                    var recipe: Recipe
                    if upload.mode == .recipe, let file = upload.mapping {
                        recipe = try Recipe.load(file)
                    } else if upload.preset == "auto" || upload.preset == nil {
                        guard let found = try Recipe.detect(upload.dataFiles) else {
                            let presets = Recipe.presetNames.joined(separator: ", ")
                            throw ImportFailure(issues: [
                                ImportIssue(
                                    file: upload.files.first ?? "", line: 0,
                                    LocalizedText("cli.import.not_recognised", ["presets": .text(presets)]))
                            ])
                        }
                        recipe = found
                    } else if let preset = try Recipe.preset(upload.preset!) {
                        recipe = preset
                    } else {
                        throw ImportFailure(issues: [
                            ImportIssue(
                                file: upload.files.first ?? "", line: 0,
                                LocalizedText(
                                    "cli.import.unknown_preset",
                                    [
                                        "preset": .text(upload.preset!),
                                        "presets": .text(Recipe.presetNames.joined(separator: ", ")),
                                    ]))
                        ])
                    }
                    if let stageMap = upload.stageMap { recipe.addStages(try StageMapFile.load(stageMap)) }
                    outcome.recipe = recipe.name
                    let reader = try RecipeReader(
                        recipe: recipe, filesAndRatesIn: upload.dataFiles, calendar: live.calendar,
                        conversion: importer.conversion)
                    defer { (outcome.stages, outcome.notes) = (reader.stagesMet, reader.notes) }
                    return try importer.run { try reader.records(emit: $0) }
                case .bundle: return try importer.run(bundle: upload.dir)
                case .mapping:
                    guard let csv = upload.files.first(where: { $0.lowercased().hasSuffix(".csv") }),
                        let mapping = upload.mapping
                    else {
                        throw ImportFailure(issues: [
                            ImportIssue(
                                file: upload.files.first ?? "", line: 0,
                                LocalizedText("page.admin.import.mapping_needs_csv"))
                        ])
                    }
                    return try importer.run(files: [
                        ColumnMapping.load(mapping, file: (upload.dir as NSString).appendingPathComponent(csv))
                    ])
                case .mavenCRM:
                    return try importer.run { emit in
                        try MavenCRMPreset(dir: upload.dir).records(calendar: live.calendar, emit: emit)
                    }
                }
            }
            outcome.report = report
        } catch let f as ImportFailure {
            outcome.failure = f
        } catch let e as ConfigError {
            outcome.failure = ImportFailure(issues: [ImportIssue(file: e.file, line: e.line, e.problem)])
        }
        return outcome
    }
}
