import Foundation

/// The parts of Bitrix24's REST API a sync reads through an inbound webhook
/// (`https://PORTAL/rest/USER/SECRET/METHOD.json`): `user.get`, `department.get`, `crm.status.list`,
/// `crm.company.list`, `crm.deal.list`, `crm.stagehistory.list` and `crm.activity.list`. Every list answers 50
/// items a page with `next` (the `start` of the next page) and `total`; values come as strings, times as ISO 8601
/// with an offset. Keys are upper snake case (`ASSIGNED_BY_ID`), decoded as lower camel case (`assignedById`).
enum Bitrix24API {
    struct Page<Item: Decodable>: Decodable {
        var result: [Item]
        var next: Int?
        var total: Int?
    }
    /// `crm.stagehistory.list` nests its items: `result.items`.
    struct HistoryPage: Decodable {
        var result: Items
        var next: Int?
        struct Items: Decodable { var items: [HistoryItem] }
    }

    struct User: Decodable {
        var id: String
        var name: String?
        var lastName: String?
        var email: String?
        var ufDepartment: [Int]?
    }
    struct Department: Decodable {
        var id: String
        var name: String
    }
    struct Status: Decodable {
        var entityId: String
        var statusId: String
        var name: String
        var extra: Extra?
        struct Extra: Decodable { var semantics: String? }
    }
    /// A record of a listing ordered by its modification time (`DATE_MODIFY`, an activity's `LAST_UPDATED`).
    protocol Modified: Decodable {
        static var modifiedField: String { get }
        var dateModify: String { get }
    }

    struct Company: Modified {
        static let modifiedField = "DATE_MODIFY"
        var id: String
        var title: String?
        var dateModify: String
    }
    struct Deal: Modified {
        static let modifiedField = "DATE_MODIFY"
        var id: String
        var title: String?
        var stageId: String
        var opportunity: String?
        var currencyId: String?
        var assignedById: String
        var companyId: String?
        var dateCreate: String
        var dateModify: String
    }
    /// `crm.activity.list`: `TYPE_ID` 1 a meeting, 2 a call; `OWNER_TYPE_ID` 2 a deal.
    struct Activity: Modified {
        static let modifiedField = "LAST_UPDATED"
        var id: String
        var ownerId: String?
        var ownerTypeId: String?
        var typeId: String
        var completed: String?
        var responsibleId: String
        var startTime: String?
        var endTime: String?
        var created: String
        var lastUpdated: String
        var dateModify: String { lastUpdated }
    }
    struct HistoryItem: Decodable {
        var id: String
        var typeId: String
        var ownerId: String
        var createdTime: String
        var stageId: String
        var stageSemanticId: String?
    }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .custom { path in
            let parts = (path.last?.stringValue ?? "").lowercased().split(separator: "_").map(String.init)
            return APIKey(stringValue: (parts.first ?? "") + parts.dropFirst().map(\.capitalized).joined())
        }
        return d
    }()
}
