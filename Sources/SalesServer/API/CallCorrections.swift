import Foundation
import Hummingbird
import SalesCore
import SalesImport
import SalesSpeech
import SalesStorage

extension AppServices {
    /// A head's or an admin's correction of an analysed call (`LiveEngine.correctCall`), audited: refused to a
    /// rep, for a call of someone the viewer cannot see, and when it does not fit the call.
    func correctCall(_ id: Int64, _ correction: CallCorrection, by viewer: Viewer) throws -> CallReview.Outcome {
        let found = try live.readWithStore { engine, store -> (call: String, mayReview: Bool)? in
            try store.analyzedCall(evaluationID: id).map { call, _ in
                (call.call, viewer.mayReview(rep: call.rep, engine: engine))
            }
        }
        guard let found else {
            throw APIError(.notFound, LocalizedText("api.error.no_analysed_call", ["id": .text(String(id))]))
        }
        guard found.mayReview else { throw APIError(.forbidden, LocalizedText("api.error.reviewers_only")) }
        let outcome: CallReview.Outcome?
        do {
            outcome = try live.correctCall(
                evaluationID: id, correction, by: viewer.user.id, at: now, lexicon: settings.lexicon)
        } catch let refused as CallReview.Refused {
            throw APIError(.unprocessableContent, refused.reason)
        }
        guard let outcome else {
            throw APIError(.notFound, LocalizedText("api.error.no_analysed_call", ["id": .text(String(id))]))
        }
        let what = String(decoding: try MachineJSON.encoder().encode(correction), as: UTF8.self)
        try stores.audit.record(
            at: now, userID: viewer.user.id, action: "call.correct", detail: "\(found.call) \(what)")
        return outcome
    }
}

extension APIController {
    /// `POST /calls/<analysis id>/corrections`: a correction (JSON, `CallCorrection`) by a head of the rep's team
    /// or an admin; the answer is the call as `GET /calls/<id>` shows it, corrected.
    @Sendable func postCorrection(_ request: Request, context: SignedInContext) async throws -> CallJSON {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw APIError(.badRequest, LocalizedText("api.error.id_not_a_number"))
        }
        var request = request
        let body = try await request.collectBody(upTo: 64 << 10)
        let correction: CallCorrection
        do {
            correction = try JSONDecoder().decode(CallCorrection.self, from: Data(buffer: body))
        } catch {
            throw APIError(.badRequest, LocalizedText("api.error.correction_not_json"))
        }
        _ = try services.correctCall(id, correction, by: context.viewer)
        return try call(request, context: context)
    }
}
