import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SalesCore
import SalesImport

extension AppServices {
    /// The longest period a request may ask for: every number of a longer one is read under the engine's lock.
    static let maxPeriodYears = 10

    /// The period a request asks for; by default the quarter of the latest data up to today — a store
    /// of old history opens on its last quarter.
    func period(_ query: PeriodQuery, _ engine: SalesEngine) throws -> Period {
        try period(query, latest: engine.lastDay)
    }

    func period(_ query: PeriodQuery, latest: Day) throws -> Period {
        let fallback = Period.quarter(containing: latest < today && latest != .min ? latest : today)
        do {
            return try Period.resolve(
                period: query.period, from: query.from, to: query.to, fallback: fallback, maxYears: Self.maxPeriodYears)
        } catch {
            throw APIError(.badRequest, error.message)
        }
    }

    /// Refuses a bad or too long period before the engine's lock is taken: forecasts train a model
    /// under it, and a refusal must not wait for that.
    func checkPeriod(_ query: PeriodQuery) throws {
        _ = try period(query, latest: today)
    }

    /// Whose records a request asks for, else the viewer's own (an admin's: the company). 404 for an unknown
    /// id, 403 for someone the viewer may not see.
    func slice(_ query: SliceQuery, _ engine: SalesEngine, _ viewer: Viewer) throws -> Slice {
        let slice: Slice
        if let id = query.rep {
            guard let rep = engine.rep(externalID: id) else {
                throw APIError(.notFound, LocalizedText("api.error.no_rep", ["id": .text(id)]))
            }
            slice = .rep(rep.id)
        } else if let id = query.team {
            guard let team = engine.teams.values.first(where: { $0.externalID == id }) else {
                throw APIError(.notFound, LocalizedText("api.error.no_team", ["id": .text(id)]))
            }
            slice = .team(team.id)
        } else if let role = query.role {
            slice = .role(role)
        } else {
            guard let home = viewer.home else { throw APIController.notYours(.rep) }
            slice = home
        }
        guard viewer.canSee(slice, engine: engine) else { throw APIController.notYours(slice.kind) }
        return slice
    }

    /// KPI ids from a comma-separated list; 400 naming an unknown one.
    func kpis(_ list: String) throws -> [KPIDefinition] {
        do {
            return try KPIReportQuestion.kpis(list, in: live.catalog)
        } catch {
            throw APIError(.badRequest, LocalizedText("api.error.unknown_kpi", ["kpi": .text(error.id)]))
        }
    }
}

extension ReportTable {
    /// The table in the format a request asks for, downloads named `name`.
    func payload(format: TableFormat, name: String) throws -> Payload {
        let (body, type, ext): (Data, String, String?)
        switch format {
        case .json: (body, type, ext) = (Data(json().utf8), "application/json; charset=utf-8", nil)
        case .csv: (body, type, ext) = (Data(csv().utf8), "text/csv; charset=utf-8", "csv")
        case .xlsx:
            (body, type, ext) = (
                try xlsx(sheet: name), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
            )
        }
        var headers: HTTPFields = [.contentType: type]
        let file = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" })
        if let ext { headers[.contentDisposition] = "attachment; filename=\"saleskpi-\(file).\(ext)\"" }
        return Payload(headers: headers, body: ByteBuffer(data: body))
    }
}
