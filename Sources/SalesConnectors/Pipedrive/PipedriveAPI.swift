import Foundation

/// The parts of Pipedrive's API a sync reads (../shared/design/crm-formats.md §4c), with the `x-api-token` header:
/// v1 `users` and `deals/{id}/flow` (offset pages: `additional_data.pagination`), v2 `stages`, `organizations`,
/// `deals` and `activities` (cursor pages: `additional_data.next_cursor`, `updated_since` with
/// `sort_by=update_time`, at most 500 a page). v2 writes times RFC 3339 in UTC, v1 `2026-01-01 10:00:00` (UTC).
enum PipedriveAPI {
    struct List<Item: Decodable>: Decodable {
        var success: Bool
        var data: [Item]?
        var additionalData: Additional?
    }
    struct Additional: Decodable {
        var nextCursor: String?
        var pagination: Pagination?
        struct Pagination: Decodable {
            var moreItemsInCollection: Bool?
            var nextStart: Int?
        }
    }

    struct User: Decodable {
        var id: Int64
        var name: String
        var email: String?
    }
    struct Stage: Updated {
        var id: Int64
        var name: String
        var updateTime: String?
    }
    /// A record of a listing by `update_time`.
    protocol Updated: Decodable {
        var id: Int64 { get }
        var updateTime: String? { get }
    }
    struct Organization: Updated {
        var id: Int64
        var name: String?
        var updateTime: String?
    }
    struct Deal: Updated {
        var id: Int64
        var title: String?
        var ownerId: Int64
        var orgId: Int64?
        var stageId: Int64
        var status: String
        var value: Double?
        var currency: String?
        var addTime: String
        var updateTime: String?
        var stageChangeTime: String?
        var wonTime: String?
        var lostTime: String?
        var lostReason: String?
    }
    struct Activity: Updated {
        var id: Int64
        var type: String
        var ownerId: Int64?
        var dealId: Int64?
        var orgId: Int64?
        var done: Bool?
        var dueDate: String?
        var dueTime: String?
        /// `HH:MM`.
        var duration: String?
        var addTime: String?
        var updateTime: String?
        var markedAsDoneTime: String?
    }
    /// One entry of a deal's flow: only field changes (`dealChange`) are read.
    struct Flow: Decodable {
        var object: String
        var data: Change?
        struct Change: Decodable {
            var id: Int64?
            var fieldKey: String?
            var oldValue: String?
            var newValue: String?
            var logTime: String?

            enum CodingKeys: String, CodingKey { case id, fieldKey, oldValue, newValue, logTime }

            /// A stage's id comes as a number or as text.
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                id = try c.decodeIfPresent(Int64.self, forKey: .id)
                fieldKey = try c.decodeIfPresent(String.self, forKey: .fieldKey)
                logTime = try c.decodeIfPresent(String.self, forKey: .logTime)
                let text = { (key: CodingKeys) in
                    (try? c.decodeIfPresent(String.self, forKey: key))
                        ?? (try? c.decodeIfPresent(Int64.self, forKey: key)).flatMap { $0.map(String.init) }
                }
                oldValue = text(.oldValue)
                newValue = text(.newValue)
            }
        }
    }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()
}
