/// Why a connector cannot go on, in terms a user can act on.
public enum ConnectorError: Error, Sendable, Equatable, CustomStringConvertible {
    case badURL(String)
    /// The CRM answered something that is not its documented JSON.
    case badAnswer(path: String, reason: String)
    /// Stage names neither the preset nor the connection's stage map knows.
    case unknownStages([String])
    case unknownStatus(Int64)
    case noRate(currency: String, day: String)
    /// The CRM's daily API budget is nearly spent (Salesforce's is shared by every integration of the org).
    case budgetSpent(used: Int, limit: Int)

    public var description: String {
        switch self {
        case .badURL(let u): "'\(u)' is not a URL (https://firm.amocrm.ru)"
        case .badAnswer(let path, let reason): "\(path) answered what its API does not document: \(reason)"
        case .unknownStages(let names):
            "the CRM has stages SalesKPI does not know: \(names.joined(separator: ", ")). Say which stage each is "
                + "(new, contacted, meeting, proposal, contract, won, lost) in a file and pass it to saleskpi connect "
                + "with --stage-map:\nstages:\n" + names.map { "  \"\($0)\": \"\"" }.joined(separator: "\n")
        case .unknownStatus(let id): "a deal is in status \(id), which no pipeline lists"
        case .noRate(let currency, let day): "no exchange rate for \(currency) on or before \(day): give --rates"
        case .budgetSpent(let used, let limit):
            "the org has used \(used) of its \(limit) API calls of the last 24 hours: the sync stops to leave the rest "
                + "to its other integrations and resumes from here next time"
        }
    }
}
