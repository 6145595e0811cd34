import SalesCore

/// A call model the company trained on its reviewed calls (`saleskpi calls retrain`).
public struct StoredCallModel: Sendable, Hashable {
    public var trainedAt: Timestamp
    /// The model, as JSON that SalesSpeech writes and reads.
    public var model: String
    /// What the training reported (calls, figures before and after), as JSON.
    public var report: String
    public init(trainedAt: Timestamp, model: String, report: String) {
        self.trainedAt = trainedAt
        self.model = model
        self.report = report
    }
}

/// The company's call models, newest last; the latest is the one calls are analysed with.
public protocol CallModelStore: Sendable {
    func latest() throws -> StoredCallModel?
    func save(_ model: StoredCallModel) throws
}
