/// The words that name a speaker's role in a transcript's voice names ("Менеджер Ольга", "Agent 2"): speech
/// vocabulary, in Russian and English, like the lexicons'.
extension TranscriptReader {
    static let repWords: Set<String> = [
        "менеджер", "продавец", "оператор", "сотрудник", "агент", "консультант",
        "agent", "rep", "manager", "sales", "seller", "operator", "representative", "salesperson",
    ]
    static let clientWords: Set<String> = [
        "клиент", "покупатель", "заказчик", "абонент", "собеседник",
        "customer", "client", "prospect", "buyer", "caller", "lead",
    ]
}
