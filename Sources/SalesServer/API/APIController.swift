import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SalesCore
import SalesImport
import SalesSpeech
import SalesStorage

/// `/api/v1`: JSON for scripts and BI tools, described by `/api/v1/openapi.yaml`. Every route but the
/// document itself needs a signed-in user; what each returns is limited to what the user may see.
struct APIController {
    let services: AppServices
    var live: LiveEngine { services.live }

    func register(on groups: RouteGroups) {
        let api = groups.api
        api.get(Route.apiOpenAPI.pattern) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(data: Assets.openAPI)))
        }
        api.get(Route.apiMe.pattern, use: me)
        api.get(Route.apiCatalog.pattern, use: cached(catalog))
        api.get(Route.apiReports.pattern, use: cached(report))
        api.get(Route.apiScorecards.pattern, use: cached(scorecards))
        api.get(Route.apiPlans.pattern, use: cached(plans))
        api.get(Route.apiDeals.pattern, use: cached(deals))
        api.get(Route.apiActivities.pattern, use: cached(activities))
        api.get(Route.apiCalls.pattern, use: cached(calls))
        api.get(Route.apiCall.pattern, use: call)
        groups.adminAPI(
            sending: LocalizedText("api.admins_only.sending.events"),
            integration: LocalizedText("api.admins_only.integration.crm")
        )
        .post(Route.apiEvents.pattern, use: postEvents)
        groups.adminAPI(
            sending: LocalizedText("api.admins_only.sending.transcripts"),
            integration: LocalizedText("api.admins_only.integration.telephony")
        ).post(Route.apiCalls.pattern, use: postCall)
        // Heads and admins; `correctCall` tells who may correct which call.
        api.post(Route.apiCallCorrections.pattern, use: postCorrection)
        registerInsights(on: api)
    }

    /// A GET handler of a decoded query whose answers are kept until the numbers change, per user, language
    /// and URI. A bad parameter is refused before the cache is asked.
    func cached<Query: RequestQuery>(
        _ handler: @escaping @Sendable (Query, SignedInContext) throws -> Payload
    ) -> @Sendable (Request, SignedInContext) throws -> Response {
        { [services] request, context in
            let query = try request.decode(Query.self)
            // Today is in the key: a request without a period means the current quarter.
            let key = [
                "\(context.viewer.user.id)", context.language.rawValue, "\(services.today)", "\(request.uri)",
            ].joined(separator: "\u{1}")
            return try services.responses.payload(key, version: services.live.version, for: request) {
                try handler(query, context)
            }.response
        }
    }

    struct Me: ResponseEncodable {
        var login: String, name: String, role: String, language: String
        var rep: String?, team: String?
    }

    @Sendable func me(_ request: Request, context: SignedInContext) throws -> Me {
        let v = context.viewer
        return live.read { e in
            Me(
                login: v.user.login, name: v.user.name, role: v.user.role.rawValue, language: context.language.rawValue,
                rep: v.repID.flatMap { e.reps[$0]?.name }, team: v.teamID.flatMap { e.teams[$0]?.name })
        }
    }

    struct CatalogEntry: Encodable {
        var id: String, name: String, formula: String, unit: String, higherIsBetter: Bool
        var category: String, nature: String, roles: [String], seedTarget: String?
    }

    @Sendable func catalog(_: NoQuery, context: SignedInContext) throws -> Payload {
        let entries = live.catalog.kpis.map { k in
            CatalogEntry(
                id: k.id.rawValue, name: k.name(context.language), formula: k.formulaText, unit: k.unit.rawValue,
                higherIsBetter: k.higherIsBetter, category: k.category.rawValue, nature: k.nature.rawValue,
                roles: k.roles.map(\.rawValue).sorted(), seedTarget: k.seedTarget)
        }
        return try json(entries)
    }

    /// `GET /reports?by=rep&kpis=a,b&period=2017-Q2&format=csv`: the same table as `saleskpi report`,
    /// with only the rows the user may see.
    @Sendable func report(_ query: ReportQuery, context: SignedInContext) throws -> Payload {
        let viewer = context.viewer
        let by = query.by
        let catalog = live.catalog
        let kpis = try query.kpis.map(services.kpis) ?? catalog.kpis(at: .defaultReport)
        let (table, label) = try live.read { engine -> (ReportTable, String) in
            let question = KPIReportQuestion(kpis: kpis, by: by, period: try services.period(query.period, engine))
            let report = question.answer(engine, catalog: catalog, lang: context.language) {
                viewer.canSee($0, engine: engine)
            }
            if report.rows.isEmpty && viewer.user.role != .admin { throw Self.notYours(by) }
            return (ReportTable(report, by: by), question.label)
        }
        return try table.payload(format: query.format, name: label)
    }

    static func notYours(_ kind: Slice.Kind) -> APIError {
        APIError(
            .forbidden,
            LocalizedText("api.error.not_yours", ["by": .text(kind.rawValue)]))
    }

    /// `GET /scorecards?period=…&rep=<external id>&format=…`: every visible person's scorecard.
    @Sendable func scorecards(_ query: TableQuery, context: SignedInContext) throws -> Payload {
        let viewer = context.viewer
        let (cards, label) = try live.read { engine -> ([Scorecard], String) in
            let period = try services.period(query.period, engine)
            let builder = ScorecardBuilder(engine: engine, system: live.system, catalog: live.catalog)
            var reps = visibleReps(viewer, engine)
            // `rep`, `team` or `role` narrows the list (and is refused if the viewer may not see it).
            if query.slice.isGiven {
                switch try services.slice(query.slice, engine, viewer) {
                case .rep(let id): reps = [id]
                case .team(let team): reps.removeAll { engine.reps[$0]?.teamID != team }
                case .role(let role): reps.removeAll { engine.reps[$0]?.role != role }
                case .company: break
                }
            }
            return (reps.compactMap { builder.scorecard(rep: $0, period: period) }, period.label)
        }
        if query.format != .json {
            return try ReportTable(scorecards: cards, lang: context.language, grouped: false).payload(
                format: query.format, name: "scorecards-\(label)")
        }
        return try json(cards.map { ScorecardJSON($0, lang: context.language) })
    }

    /// Reps whose scorecards the viewer may open, in listing order.
    func visibleReps(_ viewer: Viewer, _ engine: SalesEngine) -> [Int64] {
        engine.repsByTeam.map(\.id).filter { viewer.canSee(.rep($0), engine: engine) }
    }

    /// `GET /deals?set=won&rep=<external id>&period=…&format=…`: the deals behind a number.
    @Sendable func deals(_ query: DealsQuery, context: SignedInContext) throws -> Payload {
        let viewer = context.viewer
        let set = query.set
        let (table, label) = try live.readWithStore { engine, store -> (ReportTable, String) in
            let slice = try services.slice(query.table.slice, engine, viewer)
            let period = try services.period(query.table.period, engine)
            return (
                try DrillDownTables(engine: engine, store: store, calendar: live.calendar).deals(
                    set, of: slice, in: period),
                "deals-\(set.rawValue)-\(period.label)"
            )
        }
        return try table.payload(format: query.table.format, name: label)
    }

    /// `GET /activities?type=call&rep=…&period=…&limit=1000`: the latest activities, newest first;
    /// `X-Total-Count` says how many the period holds.
    @Sendable func activities(_ query: ActivitiesQuery, context: SignedInContext) throws -> Payload {
        let viewer = context.viewer
        let (type, limit, table) = (query.type, query.list.limit, query.list.table)
        let (list, label) = try live.readWithStore { engine, store -> ((table: ReportTable, total: Int), String) in
            let slice = try services.slice(table.slice, engine, viewer)
            let period = try services.period(table.period, engine)
            return (
                try DrillDownTables(engine: engine, store: store, calendar: live.calendar).activities(
                    type, of: slice, in: period, limit: limit),
                "activities-\(type?.rawValue ?? "all")-\(period.label)"
            )
        }
        var payload = try list.table.payload(format: table.format, name: label)
        payload.headers[.totalCount] = String(list.total)
        return payload
    }

    /// `GET /calls?rep=…&period=…&limit=1000`: calls analysed from transcripts, newest first;
    /// `X-Total-Count` says how many the period holds.
    @Sendable func calls(_ query: ListQuery, context: SignedInContext) throws -> Payload {
        let viewer = context.viewer
        let (limit, table) = (query.limit, query.table)
        let (list, label) = try live.readWithStore { engine, store -> ((table: ReportTable, total: Int), String) in
            let slice = try services.slice(table.slice, engine, viewer)
            let period = try services.period(table.period, engine)
            return (
                try DrillDownTables(engine: engine, store: store, calendar: live.calendar).calls(
                    of: slice, in: period, limit: limit),
                "calls-\(period.label)"
            )
        }
        var payload = try list.table.payload(format: table.format, name: label)
        payload.headers[.totalCount] = String(list.total)
        return payload
    }

    struct CallJSON: ResponseEncodable {
        var analysisID: Int64, call: String, rep: String, at: String, file: String
        var analysis: CallAnalysis, transcript: Transcript
        /// What reviewers corrected, oldest first; the analysis includes it.
        var corrections: [CorrectionJSON]
    }

    struct CorrectionJSON: Encodable {
        var at: String, by: String?, correction: CallCorrection
    }

    /// `GET /calls/<analysis id>`: one analysed call, its analysis and transcript.
    @Sendable func call(_ request: Request, context: SignedInContext) throws -> CallJSON {
        let viewer = context.viewer
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw APIError(.badRequest, LocalizedText("api.error.id_not_a_number"))
        }
        return try live.readWithStore { engine, store in
            guard let (call, record) = try store.analyzedCall(evaluationID: id) else {
                throw APIError(
                    .notFound, LocalizedText("api.error.no_analysed_call", ["id": .text(String(id))]))
            }
            guard viewer.canSee(.rep(call.rep), engine: engine) else { throw Self.notYours(.rep) }
            let (transcript, analysis) = try record.decoded()
            let corrections = try store.callCorrections(evaluationID: id).map {
                CorrectionJSON(
                    at: live.calendar.localMinute($0.at), by: $0.login,
                    correction: try $0.decoded())
            }
            return CallJSON(
                analysisID: id, call: call.call, rep: engine.reps[call.rep]?.externalID ?? "",
                at: live.calendar.localMinute(call.at),
                file: record.file, analysis: analysis, transcript: transcript, corrections: corrections)
        }
    }

    /// `POST /calls?call=<activity id>&file=<name.vtt>&source=crm`: one transcript file as the body (JSON,
    /// WebVTT or SRT, told by the name or the content); analysed, stored beside its call, counted in the
    /// KPIs. A call already analysed is not counted again.
    @Sendable func postCall(_ request: Request, context: SignedInContext) async throws -> Response {
        let query = try request.decode(CallUploadQuery.self)
        var request = request
        let body = try await request.collectBody(upTo: 16 << 20)
        let input = CallImporter.Input(file: query.file, data: Data(buffer: body), call: query.call)
        let lang = context.language
        do {
            let report = try live.ingestCalls(
                source: query.source, skipInvalid: false, lexicon: services.settings.lexicon, [input])
            guard let r = report.results.first else {
                throw APIError(.unprocessableContent, LocalizedText("api.error.nothing_to_analyse"))
            }
            struct Result: Encodable {
                var call: String, stored: Bool, analysisID: Int64?, score: Int, objectionsRaised: Int,
                    objectionsHandled: Int
                var scriptCompliance: Double, nextStepAgreed: Bool, notes: [String]
            }
            let a = r.analysis
            let answer = Result(
                call: r.call, stored: r.evaluationID != nil, analysisID: r.evaluationID, score: a.argumentationScore,
                objectionsRaised: a.objections.count, objectionsHandled: a.objectionsHandled,
                scriptCompliance: a.scriptCompliance,
                nextStepAgreed: a.nextStepAgreed, notes: report.notes.map { $0.note(lang) })
            return Response(
                status: r.evaluationID == nil ? .ok : .created,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(data: try MachineJSON.encoder().encode(answer))))
        } catch let f as ImportFailure {
            let error = APIError(
                .unprocessableContent,
                LocalizedText("api.error.transcript_not_stored", ["count": .count(f.total)]),
                items: f.issues.map { APIError.Item(index: nil, field: $0.field, message: $0.message(lang)) })
            return Response(
                status: .unprocessableContent, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(data: try error.body(lang))))
        }
    }

    struct PlanJSON: Encodable {
        var externalID: String, scope: String, owner: String?, kpi: String, periodStart: String, periodEnd: String,
            target: Double
    }

    @Sendable func plans(_ query: PlansQuery, context: SignedInContext) throws -> Payload {
        let viewer = context.viewer
        let plans = try live.read { engine -> [PlanJSON] in
            let period = try services.period(query, engine)
            return engine.plans.all.filter { p in
                guard p.period.intersection(period) != nil else { return false }
                switch p.scope {
                case .rep: return viewer.canSee(.rep(p.owner?.id ?? 0), engine: engine)
                case .team: return viewer.canSee(.team(p.owner?.id ?? 0), engine: engine)
                case .company: return viewer.user.role != .rep
                }
            }.map { p in
                let owner: String? =
                    switch p.scope {
                    case .rep: engine.reps[p.owner?.id ?? 0]?.externalID
                    case .team: engine.teams[p.owner?.id ?? 0]?.externalID
                    case .company: nil
                    }
                return PlanJSON(
                    externalID: p.externalID, scope: p.scope.rawValue, owner: owner, kpi: p.kpi,
                    periodStart: "\(CivilDate(p.period.start))", periodEnd: "\(CivilDate(p.period.end))",
                    target: p.target)
            }
        }
        return try json(plans)
    }

    /// `POST /events`: a batch of CRM events, all or nothing (`?skip_invalid=true` keeps the good ones).
    /// Events already stored (same source and external id) are ignored, and a retried request with the
    /// same `Idempotency-Key` gets the first answer again without touching the store.
    @Sendable func postEvents(_ request: Request, context: SignedInContext) async throws -> Response {
        let viewer = context.viewer
        let query = try request.decode(EventBatchQuery.self)
        var request = request
        let body = try await request.collectBody(upTo: 64 << 20)
        let key = request.headers[.idempotencyKey]
        if let key, key.utf8.count > 255 {
            throw APIError(
                .badRequest,
                LocalizedText("api.error.idempotency_key_too_long"))
        }
        let bodyHash = Secrets.hex(SHA256.hash(data: body.readableBytesView))
        let responses = services.stores.storedResponses
        if let key, let stored = try responses.response(userID: viewer.user.id, key: key, now: services.now) {
            guard stored.requestHash == bodyHash else {
                throw APIError(
                    .unprocessableContent,
                    LocalizedText("api.error.idempotency_key_reused", ["key": .text(key)]))
            }
            return Response(
                status: .init(code: stored.status),
                headers: [.contentType: "application/json; charset=utf-8", .idempotentReplayed: "true"],
                body: .init(byteBuffer: ByteBuffer(bytes: stored.body)))
        }
        let items: [Importer.Item]
        switch JSONEventBatch.read(Data(buffer: body), calendar: live.calendar) {
        case .failure(let f):
            throw APIError(.badRequest, f.issues.first?.problem ?? LocalizedText("api.error.bad_request"))
        case .success(let read): items = read
        }
        let (status, answer) = try ingest(
            items, source: query.source, skipInvalid: query.skipInvalid, lang: context.language)
        if let key {
            let stored = StoredResponse(status: Int(status.code), body: Array(answer), requestHash: bodyHash)
            try responses.keep(stored, userID: viewer.user.id, key: key, at: services.now)
        }
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(data: answer)))
    }

    /// Stores the batch; the answer is the counts, or 422 with every problem if nothing was stored.
    private func ingest(_ items: [Importer.Item], source: String, skipInvalid: Bool, lang: Language) throws -> (
        HTTPResponse.Status, Data
    ) {
        do {
            let report = try live.ingest(source: source, skipInvalid: skipInvalid, items: items)
            services.metrics.eventsIngested.increment(by: Int64(report.totalInserted))
            struct Result: Encodable {
                var received: Int
                var inserted: Int
                var duplicates: Int
                var skipped: [APIError.Item]
            }
            return (
                .ok,
                try MachineJSON.encoder().encode(
                    Result(
                        received: items.count, inserted: report.totalInserted, duplicates: report.duplicates,
                        skipped: report.skipped.map { Self.item($0, lang) }))
            )
        } catch let f as ImportFailure {
            return (
                .unprocessableContent,
                try APIError(
                    .unprocessableContent,
                    LocalizedText("api.error.batch_not_stored", ["count": .count(f.total)]),
                    items: f.issues.map { Self.item($0, lang) }
                ).body(lang)
            )
        }
    }

    static func item(_ issue: ImportIssue, _ lang: Language) -> APIError.Item {
        APIError.Item(index: JSONEventBatch.index(of: issue), field: issue.field, message: issue.message(lang))
    }

}

extension HTTPField.Name {
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    static let totalCount = HTTPField.Name("X-Total-Count")!
}

/// JSON of any Encodable value.
func json(_ value: some Encodable) throws -> Payload {
    let encoder = MachineJSON.encoder()
    return Payload(
        headers: [.contentType: "application/json; charset=utf-8"], body: ByteBuffer(data: try encoder.encode(value)))
}

/// A scorecard for scripts: numbers as numbers, names in the user's language.
struct ScorecardJSON: Encodable {
    struct Line: Encodable {
        var kpi: String, name: String, unit: String
        var actual: Double?, plan: Double?, fulfillment: Double?, weight: Double, score: Double
    }
    var person: String, role: String, team: String?, periodStart: String, periodEnd: String
    var kpiIndex: Double, bonusCoefficient: Double
    var lines: [Line]

    init(_ c: Scorecard, lang: Language) {
        person = c.name
        role = c.role.rawValue
        team = c.team
        periodStart = "\(CivilDate(c.period.start))"
        periodEnd = "\(CivilDate(c.period.end))"
        kpiIndex = c.index
        bonusCoefficient = c.bonusCoefficient
        lines = c.lines.map {
            Line(
                kpi: $0.kpi.id.rawValue, name: $0.kpi.name(lang), unit: $0.kpi.unit.rawValue, actual: $0.actual,
                plan: $0.plan,
                fulfillment: $0.fulfillment, weight: $0.weight, score: $0.score)
        }
    }
}
