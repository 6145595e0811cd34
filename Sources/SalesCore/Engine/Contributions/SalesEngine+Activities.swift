extension SalesEngine {
    /// The base measure that counts activities of this type.
    public static func measure(of type: ActivityType) -> BaseMeasure { activityMeasure[type]! }

    private static let activityMeasure: [ActivityType: BaseMeasure] = [
        .call: .calls, .email: .emails, .meetingBooked: .meetingsBooked, .meetingHeld: .meetingsHeld,
        .demo: .demos, .proposalSent: .proposalsSent, .proposalDiscussed: .proposalsDiscussed,
        .contractSent: .contractsSent, .contractSigned: .contractsSigned, .eventContact: .eventContacts,
    ]

    /// A call of at least this length counts as a quality contact.
    public static let qualityCallSeconds: Int32 = 120

    func apply(_ a: Activity) {
        let day = calendar.day(of: a.at)
        addOnDay(Self.measure(of: a.type), 1, rep: a.rep.id, day: day)
        if a.type == .call {
            addOnDay(.callSeconds, Int64(a.durationSeconds), rep: a.rep.id, day: day)
            if a.durationSeconds >= Self.qualityCallSeconds { addOnDay(.qualityCalls, 1, rep: a.rep.id, day: day) }
        }
    }
}
