/// A JSON key renamed on the way in: CRMs whose field names are not Swift's (`ASSIGNED_BY_ID`, `OwnerId`).
struct APIKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
