/// The names people read for the codes records carry.
extension DealStage {
    public var name: LocalizedText {
        switch self {
        case .new: .init(en: "new", ru: "новая")
        case .contacted: .init(en: "contacted", ru: "контакт")
        case .meeting: .init(en: "meeting", ru: "встреча")
        case .proposal: .init(en: "proposal", ru: "КП")
        case .contract: .init(en: "contract", ru: "договор")
        case .won: .init(en: "won", ru: "выиграна")
        case .lost: .init(en: "lost", ru: "проиграна")
        }
    }
}

extension DealKind {
    public var name: LocalizedText {
        switch self {
        case .new: .init(en: "new", ru: "новая")
        case .repeat: .init(en: "repeat", ru: "повторная")
        case .upsell: .init(en: "upsell", ru: "допродажа")
        case .renewal: .init(en: "renewal", ru: "продление")
        }
    }
}

extension ActivityType {
    public var name: LocalizedText {
        switch self {
        case .call: .init(en: "call", ru: "звонок")
        case .email: .init(en: "e-mail", ru: "письмо")
        case .meetingBooked: .init(en: "meeting booked", ru: "назначена встреча")
        case .meetingHeld: .init(en: "meeting held", ru: "проведена встреча")
        case .demo: .init(en: "demo", ru: "демонстрация")
        case .proposalSent: .init(en: "proposal sent", ru: "отправлено КП")
        case .proposalDiscussed: .init(en: "proposal discussed", ru: "обсуждено КП")
        case .contractSent: .init(en: "contract sent", ru: "отправлен договор")
        case .contractSigned: .init(en: "contract signed", ru: "подписан договор")
        case .eventContact: .init(en: "event contact", ru: "контакт на мероприятии")
        }
    }
}
