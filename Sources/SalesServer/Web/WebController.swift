import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SalesCore
import SalesImport
import SalesSpeech
import SalesStorage
import ServiceLifecycle

/// The HTML dashboards: sign-in, the role's dashboard, live updates and the admin page.
struct WebController {
    let services: AppServices
    var live: LiveEngine { services.live }

    func register(on groups: RouteGroups) {
        groups.anyone.get(Route.login.pattern, use: loginPage)
        groups.anyone.post(Route.login.pattern, use: login)
        groups.anyone.post(Route.logout.pattern, use: logout)
        groups.anyone.post(Route.language.pattern, use: language)
        groups.pages.get(Route.dashboard.pattern, use: dashboard)
        groups.pages.get(Route.deals.pattern, use: deals)
        groups.pages.get(Route.activities.pattern, use: activities)
        groups.pages.get(Route.calls.pattern, use: calls)
        groups.pages.get(Route.call.pattern, use: call)
        groups.pages.post(Route.callCorrections.pattern, use: correctCall)
        groups.pages.get(Route.forecast.pattern, use: forecast)
        groups.streams.get(Route.live.pattern, use: liveStream)
    }

    // MARK: Signing in

    @Sendable func loginPage(_ request: Request, context: AppContext) throws -> Response {
        page(loginForm(context.language, error: nil, next: Self.safeNext(try request.decode(SignInQuery.self).next)))
    }

    private func loginForm(_ lang: Language, error: String?, next: String) -> HTML {
        let t = { (key: MessageKey) in lang.message(key) }
        return HTML(
            """
            <!doctype html><html lang="\(lang.rawValue)"><head><meta charset="utf-8">\
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>SalesKPI</title><style>\(HTML(raw: Assets.css))</style></head><body>
            <form class="login" method="post" action="\(Route.login)"><h1>SalesKPI</h1>\
            <p class="muted">\(t("page.sign_in.kpis_of_the_sales_department"))</p>
            \(error.map { HTML("<div class=\"error\" id=\"login-error\">\($0)</div>") } ?? "")
            <input type="hidden" name="next" value="\(next)">
            <label>\(t("page.sign_in.login"))\
            <input name="login" id="login" autocomplete="username" autofocus required></label>
            <label>\(t("page.sign_in.password"))\
            <input name="password" id="password" type="password" autocomplete="current-password" required></label>
            <button id="sign-in">\(t("page.sign_in.sign_in"))</button></form></body></html>
            """)
    }

    /// Checks a password: the try is counted first (`LoginThrottle`), an unknown or disabled login costs
    /// the same bcrypt as a known one, and a form from another site is refused (login CSRF).
    @Sendable func login(_ request: Request, context: AppContext) async throws -> Response {
        var request = request
        let lang = context.language
        guard Self.fromThisSite(request) else {
            return page(
                loginForm(
                    lang,
                    error: lang.message("page.sign_in.from_another_site"),
                    next: "/"), status: .forbidden)
        }
        // A sign-in form is a few hundred bytes: a longer body is refused unread, and its connection closed.
        let limit = 16 << 10
        let tooLarge = LocalizedText("page.sign_in.too_large")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return context.refusal(.contentTooLarge, tooLarge)
        }
        let form: FormFields
        do {
            form = try await request.formFields(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return context.refusal(.contentTooLarge, tooLarge)
        }
        let login = form["login"] ?? ""
        let password = form["password"] ?? ""
        let next = Self.safeNext(form["next"])
        let now = services.now
        let wrong = lang.message("page.sign_in.wrong_login_or_password")
        // Longer than any login or password we keep: refused before it costs a throttle key or a bcrypt.
        guard login.utf8.count <= LoginThrottle.maxLoginLength, password.utf8.count <= 1_024 else {
            return page(loginForm(lang, error: wrong, next: next), status: .unauthorized)
        }
        if let wait = services.throttle.begin(login: login, address: context.remoteAddress, now: now) {
            let text = lang.message("page.sign_in.throttled", ["count": .count(Int(wait))])
            var r = page(loginForm(lang, error: text, next: next), status: .tooManyRequests)
            r.headers[.retryAfter] = String(wait)
            return r
        }
        let found = try services.stores.users.user(login: login)
        guard let user = found, services.passwords.verify(password, hash: user.passwordHash),
            user.disabledAt == nil
        else {
            if found == nil { services.passwords.verifyNothing(password) }
            return page(loginForm(lang, error: wrong, next: next), status: .unauthorized)
        }
        services.throttle.succeed(login: login, address: context.remoteAddress)
        let token = Secrets.randomToken()
        let maxAge = services.settings.sessionHours * 3600
        try services.stores.sessions.create(
            tokenHash: Secrets.hash(token: token), userID: user.id,
            csrf: Secrets.randomToken(), expiresAt: now + Int64(maxAge))
        var r = Response(status: .seeOther, headers: [.location: next])
        r.setCookie(
            Cookie(
                name: Authentication.cookieName, value: token, maxAge: maxAge, path: "/",
                secure: services.settings.secureCookies, httpOnly: true, sameSite: .lax))
        return r
    }

    /// False for a form a browser sent from another site (`Sec-Fetch-Site`, or an `Origin` that is not
    /// this host); scripts send neither header and are let through.
    static func fromThisSite(_ request: Request) -> Bool {
        if let site = request.headers[.secFetchSite], site == "cross-site" || site == "same-site" { return false }
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority,
            let url = URL(string: origin), let originHost = url.host
        else { return false }
        return originHost + (url.port.map { ":\($0)" } ?? "") == host
    }

    /// Only local paths: a sign-in link must not send the user to another site. Browsers read `/\\host`
    /// and `/<TAB>/host` as `//host`, so a backslash, a control character or a space anywhere is refused too.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.dropFirst().hasPrefix("/"),
            !next.unicodeScalars.contains(where: { $0 == "\\" || $0.value <= 0x20 || $0.value >= 0x7F })
        else { return "/" }
        return next
    }

    @Sendable func logout(_ request: Request, context: AppContext) throws -> Response {
        if let hash = context.sessionHash {
            try services.stores.sessions.delete(tokenHash: hash)
            services.credentials.forget(hash: hash)
        }
        var r = Response(status: .seeOther, headers: [.location: Route.login.rawValue])
        r.setCookie(
            Cookie(
                name: Authentication.cookieName, value: "", maxAge: 0, path: "/",
                secure: services.settings.secureCookies, httpOnly: true, sameSite: .lax))
        return r
    }

    /// Remembers the user's language and goes back to the page.
    @Sendable func language(_ request: Request, context: AppContext) async throws -> Response {
        guard let viewer = context.viewer else {
            return Response(status: .seeOther, headers: [.location: Route.login.rawValue])
        }
        var request = request
        let form = try await request.formFields()
        var user = viewer.user
        user.language = form["lang"].flatMap(Language.init(rawValue:))
        try services.stores.users.update(user)
        services.credentials.forget(userID: user.id)
        return Response(status: .seeOther, headers: [.location: Self.safeNext(form["back"])])
    }

    // MARK: Dashboards

    @Sendable func dashboard(_ request: Request, context: SignedInContext) throws -> Response {
        try slicePage(request, context, path: Route.dashboard.rawValue) { page in
            let view = DashboardView(
                engine: page.engine, system: live.system, catalog: live.catalog, c: page.c, period: page.period,
                insights: page.insights(live))
            return render(view, page.slice, page.engine, page.c)
        }
    }

    /// `/deals?slice=…&set=won&period=…`: the deals behind a number.
    @Sendable func deals(_ request: Request, context: SignedInContext) throws -> Response {
        let set = try request.decode(DealSetQuery.self).set
        return try slicePage(request, context, path: Route.deals.rawValue) { page in
            let table = try DrillDownTables(engine: page.engine, store: page.store, calendar: live.calendar).deals(
                set, of: page.slice, in: page.period)
            let title = page.c.t(DrillDownTables.dealSetName(set))
            return (
                ListView(c: page.c).render(
                    title: title, of: page.sliceName, period: page.period, table: table, total: table.rows.count,
                    download: Route.apiDeals.rawValue + "?" + page.apiQuery(["set": set.rawValue])), title
            )
        }
    }

    /// `/activities?slice=…&type=call&period=…`: the latest activities behind a number.
    @Sendable func activities(_ request: Request, context: SignedInContext) throws -> Response {
        let type = try request.decode(ActivityTypeQuery.self).type
        return try slicePage(request, context, path: Route.activities.rawValue) { page in
            let list = try DrillDownTables(engine: page.engine, store: page.store, calendar: live.calendar)
                .activities(type, of: page.slice, in: page.period, limit: ListView.pageLimit)
            let title = type.map { page.c.t($0.name) } ?? page.c.t("page.list.activities")
            return (
                ListView(c: page.c).render(
                    title: title, of: page.sliceName, period: page.period, table: list.table, total: list.total,
                    download: Route.apiActivities.rawValue + "?"
                        + page.apiQuery(["type": type?.rawValue, "limit": "100000"])), title
            )
        }
    }

    /// `/calls?slice=…&period=…`: the calls analysed from transcripts, latest first.
    @Sendable func calls(_ request: Request, context: SignedInContext) throws -> Response {
        try slicePage(request, context, path: Route.calls.rawValue) { page in
            let list = try DrillDownTables(engine: page.engine, store: page.store, calendar: live.calendar).calls(
                of: page.slice, in: page.period, limit: ListView.pageLimit)
            let title = page.c.t("page.list.analysed_calls")
            let view = DashboardView(
                engine: page.engine, system: live.system, catalog: live.catalog, c: page.c, period: page.period,
                insights: page.insights(live))
            let callList = ListView(c: page.c).render(
                title: title, of: page.sliceName, period: page.period, table: list.table, total: list.total,
                download: Route.apiCalls.rawValue + "?" + page.apiQuery(["limit": "100000"]))
            return (
                HTML(
                    """
                    \(callList)
                    <div class="cols" style="margin-top:14px">\(view.callQuality(page.slice, trend: true))</div>
                    """), title
            )
        }
    }

    /// `/calls/<analysis id>`: one call's numbers, transcript and marks, and its rep's trend.
    @Sendable func call(_ request: Request, context: SignedInContext) throws -> Response {
        let viewer = context.viewer
        guard let id = context.parameters.get("id", as: Int64.self),
            let (found, review) = try live.readWithStore({ engine, store in
                try store.analyzedCall(evaluationID: id).map { call in
                    let review = CallView.Review(
                        corrections: try store.callCorrections(evaluationID: id).map {
                            (live.calendar.localMinute($0.at), $0.login, try $0.decoded())
                        },
                        mayCorrect: viewer.mayReview(rep: call.0.rep, engine: engine))
                    return (call, review)
                }
            })
        else {
            throw HTTPError(.notFound)
        }
        return try slicePage(request, context, path: Route.call.path(id: id), slice: .rep(found.0.rep)) { page in
            let name = page.engine.reps[found.0.rep]?.name ?? ""
            let view = DashboardView(
                engine: page.engine, system: live.system, catalog: live.catalog, c: page.c, period: page.period,
                insights: page.insights(live))
            return (
                try CallView(c: page.c, lexicon: services.settings.lexicon).render(
                    found.0, found.1, repName: name, at: live.calendar.localMinute(found.0.at),
                    quality: view.callQuality(.rep(found.0.rep), trend: true), review: review),
                page.c.t("page.common.call") + " " + found.0.call
            )
        }
    }

    /// `POST /calls/<analysis id>/corrections`: the call page's correction forms (`AppServices.correctCall`); back
    /// to the utterance corrected.
    @Sendable func correctCall(_ request: Request, context: SignedInContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw HTTPError(.notFound) }
        var request = request
        let form = try await request.formFields(upTo: 16 << 10)
        let correction = Self.correction(form, lexicon: services.settings.lexicon)
        do {
            _ = try services.correctCall(id, correction, by: context.viewer)
        } catch let error as APIError {
            throw HTTPError(error.status, message: error.message(context.language))
        }
        let anchor = correction.utterance.map { "#u\($0)" } ?? ""
        return Response(status: .seeOther, headers: [.location: Route.call.path(id: id) + anchor])
    }

    /// A correction form's fields: `utterance` and `speaker`, then a client's `objection.<kind>`,
    /// `handled.<kind>` and `next_step`, or a rep's `stage.<id>`; or the call's `next_step_agreed` (yes / no).
    static func correction(_ form: FormFields, lexicon: SpeechLexicon) -> CallCorrection {
        var x = CallCorrection(utterance: form["utterance"].flatMap { Int($0) })
        switch form["speaker"] {
        case "client":
            x.objections = [:]
            for kind in lexicon.objections.keys where form["objection.\(kind)"] != nil {
                x.objections![kind] = form["handled.\(kind)"] != nil
            }
            x.nextStep = form["next_step"] ?? ""
        case "rep": x.stages = lexicon.stages.map(\.id).filter { form["stage.\($0)"] != nil }
        default: break
        }
        if let agreed = form["next_step_agreed"] { x.nextStepAgreed = agreed == "yes" }
        return x
    }

    /// `/forecast?slice=…&period=…&stage=…&conversion=…`: forecast by slice, what-if, open deals, advice.
    @Sendable func forecast(_ request: Request, context: SignedInContext) throws -> Response {
        let change = try request.decode(ChangeQuery.self).change
        return try slicePage(request, context, path: Route.forecast.rawValue) { page in
            let view = ForecastView(c: page.c, period: page.period, insights: page.insights(live))
            return (
                view.page(slice: page.slice, sliceName: page.sliceName, change: change),
                page.c.t("page.common.forecast")
            )
        }
    }

    /// What a page about one slice and period is drawn from.
    struct SlicePage {
        let engine: SalesEngine
        let store: any EventStore
        let forecaster: SalesForecaster
        let c: PageContext
        let slice: Slice
        let period: Period

        func insights(_ live: LiveEngine) -> InsightTables {
            InsightTables(
                engine: engine, forecaster: forecaster, system: live.system, catalog: live.catalog, lang: c.lang)
        }

        var sliceName: String {
            switch slice {
            case .rep(let id): engine.reps[id]?.name ?? ""
            case .team(let id): engine.teams[id]?.name ?? ""
            case .role(let role): c.roleName(role)
            case .company: c.company
            }
        }

        /// The API's query for the same slice and period, plus `extra`.
        func apiQuery(_ extra: [String: String?]) -> String {
            var q: [(String, String)] = [("from", "\(CivilDate(period.start))"), ("to", "\(CivilDate(period.end))")]
            switch slice {
            case .rep(let id): q.append(("rep", engine.reps[id]?.externalID ?? ""))
            case .team(let id): q.append(("team", engine.teams[id]?.externalID ?? ""))
            case .role(let role): q.append(("role", role.rawValue))
            case .company: break
            }
            q += extra.compactMap { k, v in v.map { (k, $0) } }.sorted { $0.0 < $1.0 }
            let allowed = CharacterSet.alphanumerics.union(.init(charactersIn: "-._"))
            return q.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&")
        }
    }

    /// A page about a slice (`slice=rep:12`, by default the viewer's own) and a period: signs in, refuses
    /// what the viewer may not see, adds the pickers, and answers live updates with just the main part.
    private func slicePage(
        _ request: Request, _ context: SignedInContext, path: String, slice fixed: Slice? = nil,
        _ body: (SlicePage) throws -> (HTML, String)
    ) throws -> Response {
        let viewer = context.viewer
        let query = Dictionary(
            request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { _, b in b })
        let version = live.version
        let c = PageContext(
            lang: context.language, viewer: viewer, csrf: context.csrf, path: path, query: query,
            company: services.settings.companyName, version: version)
        let periodQuery = try request.decode(PeriodQuery.self)
        try services.checkPeriod(periodQuery)
        let fragment = request.headers[.fragment] == "1"
        // Kept until the numbers change, per session (the page carries its CSRF token): every open
        // dashboard asks again after each live update.
        let key =
            "page\u{1}\(viewer.user.id)\u{1}\(context.request.sessionHash ?? "")\u{1}\(context.language.rawValue)"
            + "\u{1}\(services.today)\u{1}\(fragment)\u{1}\(request.uri)"
        return try services.responses.payload(key, version: version, for: request) {
            let (status, main, tools, title) = try live.readInsights(now: services.forecastInstant) {
                engine, store, forecaster -> (HTTPResponse.Status, HTML, HTML, String) in
                let period = try services.period(periodQuery, engine)
                guard let slice = fixed ?? query["slice"].flatMap(Self.slice) ?? viewer.home else {
                    let notLinked = c.t("page.access.not_linked")
                    let askAnAdmin = c.t("page.access.ask_an_admin")
                    return (.forbidden, HTML("<h1>\(notLinked)</h1><p>\(askAnAdmin)</p>"), "", "SalesKPI")
                }
                guard viewer.canSee(slice, engine: engine) else {
                    let onlyYours = c.t("page.access.only_yours")
                    let back = c.t("page.access.back_to_my_dashboard")
                    return (
                        .forbidden,
                        HTML(
                            """
                            <h1>403</h1><p class="error" id="forbidden">\(onlyYours)</p>\
                            <p><a href="\(Route.dashboard)">\(back)</a></p>
                            """), "", "403"
                    )
                }
                let (main, title) = try body(
                    SlicePage(engine: engine, store: store, forecaster: forecaster, c: c, slice: slice, period: period))
                let tools = Layout.tools(
                    c, period: period, slices: sliceChoices(viewer, engine, c), current: Self.key(slice))
                return (.ok, main, tools, title)
            }
            let html =
                fragment
                ? HTML("<main data-version=\"\(version)\">\(main)</main>")
                : Layout.page(title, c, tools: tools, main: main)
            return Payload(status: status, headers: Self.htmlHeaders, body: ByteBuffer(string: html.text))
        }.response
    }

    static let htmlHeaders: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]

    private func render(_ view: DashboardView, _ slice: Slice, _ engine: SalesEngine, _ c: PageContext) -> (
        HTML, String
    ) {
        switch slice {
        case .rep(let id): return (view.rep(id), engine.reps[id]?.name ?? "")
        case .team(let id):
            let name = engine.teams[id]?.name ?? ""
            return (
                view.team(
                    slice, title: name, members: engine.repsByTeam.map(\.id).filter { engine.reps[$0]?.teamID == id }),
                name
            )
        case .role(let role):
            let name = c.roleName(role)
            return (
                view.team(slice, title: name, members: engine.repsByTeam.filter { $0.role == role }.map(\.id)), name
            )
        case .company:
            let name = services.settings.companyName
            return (view.team(slice, title: name, members: engine.repsByTeam.map(\.id)), name)
        }
    }

    static func slice(_ key: String) -> Slice? {
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count > 1 ? parts[1] : nil) {
        case ("company", _): return .company
        case ("team", let id?): return Int64(id).map(Slice.team)
        case ("rep", let id?): return Int64(id).map(Slice.rep)
        case ("role", let r?): return RepRole(rawValue: r).map(Slice.role)
        default: return nil
        }
    }

    static func key(_ slice: Slice) -> String {
        switch slice {
        case .company: "company"
        case .team(let id): "team:\(id)"
        case .rep(let id): "rep:\(id)"
        case .role(let r): "role:\(r.rawValue)"
        }
    }

    /// What the slice picker offers: an admin the company, teams and roles; a head the team and its people.
    private func sliceChoices(_ viewer: Viewer, _ engine: SalesEngine, _ c: PageContext) -> [(String, String)] {
        switch viewer.user.role {
        case .admin:
            return [("company", c.company)]
                + engine.teams.values.sorted { $0.name < $1.name }.map { ("team:\($0.id)", $0.name) }
                + RepRole.allCases.map { ("role:\($0.rawValue)", c.roleName($0)) }
        case .head:
            guard let team = viewer.teamID else { return [] }
            return [("team:\(team)", engine.teams[team]?.name ?? "")]
                + engine.repsByTeam.filter { $0.teamID == team }.map { ("rep:\($0.id)", "· " + $0.name) }
        case .rep: return []
        }
    }

    /// Server-sent events: `update` with the new version whenever an ingest changed the numbers, and a
    /// comment line at each heartbeat (which ends the stream of a client that went away). Over the limits
    /// the answer is a 429 (this user's streams) or a 503 (the server's), and the connection is closed.
    @Sendable func liveStream(_ request: Request, context: SignedInContext) throws -> Response {
        let viewer = context.viewer
        let updates: AsyncStream<Int>
        do {
            updates = try live.updates.subscribe(userID: viewer.user.id)
        } catch {
            return refusedStream(error, context.request)
        }
        let current = live.version
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\nevent: hello\ndata: \(current)\n\n"))
            var sent = current
            // Ends when a write fails (the page went away) or the server shuts down gracefully.
            for await version in updates.cancelOnGracefulShutdown() {
                let line = version == sent ? ": beat\n\n" : "event: update\ndata: \(version)\n\n"
                sent = version
                try await writer.write(ByteBuffer(string: line))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: body)
    }

    private func refusedStream(_ refusal: LiveUpdates.Refusal, _ context: AppContext) -> Response {
        let message: LocalizedText
        let status: HTTPResponse.Status
        switch refusal {
        case .tooManyForUser(let limit):
            status = .tooManyRequests
            message = LocalizedText("page.live.too_many_for_user", ["count": .count(limit)])
        case .serverFull(let limit):
            status = .serviceUnavailable
            message = LocalizedText("page.live.server_full", ["count": .count(limit)])
        }
        return context.refusal(status, message, headers: [.retryAfter: "30"])
    }

}

/// An HTML page; never cached, since it shows one user's numbers.
func page(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
    Payload(status: status, headers: WebController.htmlHeaders, body: ByteBuffer(string: html.text)).response
}

/// To the sign-in page, which comes back to this request's page.
func toSignIn(_ request: Request) -> Response {
    let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
    return Response(
        status: .seeOther,
        headers: [
            .location: Route.login.rawValue + "?next="
                + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
        ])
}

extension HTTPField.Name {
    static let fragment = HTTPField.Name("X-Fragment")!
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
