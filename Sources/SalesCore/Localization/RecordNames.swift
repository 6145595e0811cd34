/// The names people read for the codes records carry (`deal_stage.<code>.name`, … in the message files).
extension DealStage {
    public var name: LocalizedText { LocalizedText("deal_stage.\(rawValue).name") }
}

extension DealKind {
    public var name: LocalizedText { LocalizedText("deal_kind.\(rawValue).name") }
}

extension ActivityType {
    public var name: LocalizedText { LocalizedText("activity_type.\(rawValue).name") }
}
