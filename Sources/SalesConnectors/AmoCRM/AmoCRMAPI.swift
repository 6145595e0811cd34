import Foundation

/// The parts of amoCRM's REST API v4 (`/api/v4/…`, HAL JSON) a sync reads: users, pipelines with their statuses,
/// companies, leads (amoCRM's deals), `lead_status_changed` events, call notes (`call_in`, `call_out`) of leads
/// and contacts, and meeting tasks. Decoded with snake case converted: the
/// API's `responsible_user_id` is `responsibleUserId` here.
enum AmoCRMAPI {
    struct Page<Item: Decodable>: Decodable {
        var embedded: Item?
        var links: Links?
        enum CodingKeys: String, CodingKey {
            case embedded = "_embedded"
            case links = "_links"
        }
    }
    struct Links: Decodable {
        var next: Link?
    }
    struct Link: Decodable {
        var href: String
    }

    struct Users: Decodable { var users: [User] }
    struct User: Decodable {
        var id: Int64
        var name: String
        var email: String?
        var embedded: Groups?
        enum CodingKeys: String, CodingKey {
            case id, name, email
            case embedded = "_embedded"
        }
    }
    struct Groups: Decodable { var groups: [Group]? }
    struct Group: Decodable {
        var id: Int64
        var name: String
    }

    struct Pipelines: Decodable { var pipelines: [Pipeline] }
    struct Pipeline: Decodable {
        var id: Int64
        var name: String
        var embedded: Statuses
        enum CodingKeys: String, CodingKey {
            case id, name
            case embedded = "_embedded"
        }
    }
    struct Statuses: Decodable { var statuses: [Status] }
    struct Status: Decodable {
        var id: Int64
        var name: String
    }

    /// A page of a listing ordered by `updated_at`.
    protocol Listing: Decodable {
        var updatedAt: [Int64] { get }
    }

    struct Companies: Listing {
        var companies: [Company]
        var updatedAt: [Int64] { companies.map(\.updatedAt) }
    }
    struct Company: Decodable {
        var id: Int64
        var name: String?
        var updatedAt: Int64
    }

    struct Leads: Listing {
        var leads: [Lead]
        var updatedAt: [Int64] { leads.map(\.updatedAt) }
    }
    struct Lead: Decodable {
        var id: Int64
        var name: String?
        var price: Int64?
        var responsibleUserId: Int64
        var statusId: Int64
        var pipelineId: Int64
        var createdAt: Int64
        var updatedAt: Int64
        var closedAt: Int64?
        var embedded: LeadLinks?
        enum CodingKeys: String, CodingKey {
            case id, name, price, responsibleUserId, statusId, pipelineId, createdAt, updatedAt, closedAt
            case embedded = "_embedded"
        }
    }
    struct LeadLinks: Decodable {
        var companies: [Ref]?
        var lossReason: [LossReason]?
    }
    struct Ref: Decodable { var id: Int64 }
    struct LossReason: Decodable { var name: String }

    struct Notes: Listing {
        var notes: [Note]
        var updatedAt: [Int64] { notes.map(\.updatedAt) }
    }
    /// A call a telephony integration logged: `params.duration` in seconds, `params.call_status` 4 when talked.
    struct Note: Decodable {
        var id: Int64
        var entityId: Int64
        var responsibleUserId: Int64
        var noteType: String
        var createdAt: Int64
        var updatedAt: Int64
        var params: Params?
        struct Params: Decodable {
            var duration: Int?
            var callStatus: Int?
        }
    }

    struct Tasks: Listing {
        var tasks: [Task]
        var updatedAt: [Int64] { tasks.map(\.updatedAt) }
    }
    /// A task; type 2 is a meeting (the Russian UI says "Vstrecha"), due at `complete_till`.
    struct Task: Decodable {
        var id: Int64
        var responsibleUserId: Int64
        var entityId: Int64?
        var entityType: String?
        var taskTypeId: Int64
        var isCompleted: Bool
        var completeTill: Int64
        var createdAt: Int64
        var updatedAt: Int64
    }
    static let meetingTask: Int64 = 2

    struct Events: Decodable { var events: [Event] }
    struct Event: Decodable {
        var id: String
        var entityId: Int64
        var createdAt: Int64
        var valueAfter: [StatusValue]
    }
    struct StatusValue: Decodable { var leadStatus: LeadStatus? }
    struct LeadStatus: Decodable {
        var id: Int64
        var pipelineId: Int64
    }

    /// The system statuses every pipeline ends in.
    static let won: Int64 = 142
    static let lost: Int64 = 143
}
