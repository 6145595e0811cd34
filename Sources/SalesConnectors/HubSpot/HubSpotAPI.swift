import Foundation

/// The parts of HubSpot's CRM API v3 a sync reads (../shared/design/crm-formats.md §3c): owners, deal pipelines,
/// the search endpoint (`POST /crm/v3/objects/{type}/search`, at most 200 a page and 10 000 a query), the batch
/// read that gives `propertiesWithHistory` (at most 100 ids), and the v4 association batch read. Property values
/// are strings; times ISO 8601 in UTC with milliseconds; the search filters on milliseconds since 1970.
enum HubSpotAPI {
    struct Paging: Decodable {
        var next: Next?
        struct Next: Decodable { var after: String }
    }
    struct Owners: Decodable {
        var results: [Owner]
        var paging: Paging?
    }
    struct Owner: Decodable {
        var id: String
        var email: String?
        var firstName: String?
        var lastName: String?
        var teams: [Team]?
        struct Team: Decodable {
            var id: String
            var name: String
            var primary: Bool?
        }
    }
    struct Pipelines: Decodable {
        var results: [Pipeline]
        struct Pipeline: Decodable {
            var id: String
            var stages: [Stage]
        }
        struct Stage: Decodable {
            var id: String
            var label: String
            var metadata: [String: String]
        }
    }
    /// A search's or a batch read's records.
    struct Objects: Decodable {
        var results: [Object]
        var paging: Paging?
        var total: Int?
    }
    struct Object: Decodable {
        var id: String
        var properties: [String: String?]
        var propertiesWithHistory: [String: [Version]]?

        func value(_ name: String) -> String? { properties[name].flatMap { $0 }.flatMap { $0.isEmpty ? nil : $0 } }
    }
    struct Version: Decodable {
        var value: String
        var timestamp: String
    }
    struct Associations: Decodable {
        var results: [Association]
        struct Association: Decodable {
            var from: From
            var to: [To]
            struct From: Decodable { var id: String }
            struct To: Decodable { var toObjectId: Int64 }
        }
    }

    /// `POST …/search`'s body: what changed at or after `from` (ms), oldest first.
    struct Search: Encodable {
        var filterGroups: [FilterGroup]
        var sorts: [Sort]
        var properties: [String]
        var limit: Int
        var after: String

        init(from: Int64, properties: [String], limit: Int, after: Int) {
            filterGroups = [
                FilterGroup(filters: [Filter(propertyName: HubSpotAPI.modified, operator: "GTE", value: "\(from)")])
            ]
            sorts = [Sort(propertyName: HubSpotAPI.modified, direction: "ASCENDING")]
            self.properties = properties
            self.limit = limit
            self.after = "\(after)"
        }
        struct FilterGroup: Encodable { var filters: [Filter] }
        struct Filter: Encodable {
            var propertyName: String
            var `operator`: String
            var value: String
        }
        struct Sort: Encodable {
            var propertyName: String
            var direction: String
        }
    }
    /// `POST …/batch/read`'s body.
    struct BatchRead: Encodable {
        var inputs: [ID]
        var properties: [String]
        var propertiesWithHistory: [String]
        struct ID: Encodable { var id: String }
    }

    static let modified = "hs_lastmodifieddate"

    /// The default call outcomes' ids (`hs_call_disposition`) and labels; a portal's own keep their id.
    static let dispositions = [
        "f240bbac-87c9-4f6e-bf70-924b57d47db7": "Connected", "73a0d17f-1163-4015-bdd5-ec830791da20": "No answer",
        "b2cf5968-551e-4856-9783-52b3da59a7d0": "Left voicemail",
        "a4c4c377-d246-4b32-a13b-75a56a4cd0ff": "Left live message", "9d9162e7-6cf3-4944-bf63-4dff82258764": "Busy",
        "17b47fee-58de-441e-a44c-c6300d46f273": "Wrong number",
    ]
}
