import SalesCore
import SalesStorage
import Testing

/// `BaseMeasure.feed` is what `saleskpi kpis --explain` and docs/kpis.md tell users; these tests hold it to
/// what the engine does.
@Suite struct MeasureFeedTests {
    /// Replays the hand-made company one record at a time: every measure a record changes must say that
    /// its kind feeds it, and every kind that feeds measures must change at least one of them.
    @Test func eachMeasureIsChangedOnlyByTheKindItNames() throws {
        let (_, store) = try HandMadeCompany.engine()
        let engine = SalesEngine(calendar: HandMadeCompany.calendar)
        var wrong: [String] = []
        var fed: Set<EventKind> = []
        try store.replay { event in
            let before = engine.measures(.company, Day.min, Day.max)
            engine.apply(event)
            let after = engine.measures(.company, Day.min, Day.max)
            for m in BaseMeasure.allCases where before[m] != after[m] {
                fed.insert(event.kind)
                if m.feed.kind != event.kind { wrong.append("\(m.id) changed by \(event.kind), says \(m.feed.kind)") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        let declared = Set(BaseMeasure.allCases.map(\.feed.kind))
        #expect(declared.subtracting(fed).isEmpty, "kinds that fed nothing: \(declared.subtracting(fed))")
    }

    /// Every measure means something in both languages, and the Russian is Russian.
    @Test func everyMeasureIsExplainedInBothLanguages() {
        for m in BaseMeasure.allCases {
            #expect(!m.feed.meaning.en.isEmpty && !m.feed.owner.isEmpty && !m.feed.day.isEmpty, "\(m.id)")
            #expect(m.feed.meaning.ru.contains { ("а"..."я").contains($0) || $0 == "ё" }, "\(m.id)")
        }
    }
}
