/// The KPI catalog: every KPI named in the seed documents, plus the user's own.
public struct KPICatalog: Sendable {
    public private(set) var kpis: [KPIDefinition]
    private var index: [KPI.ID: Int]
    /// Each KPI's formula with its names resolved, aligned with `kpis`.
    private(set) var linked: [LinkedFormula] = []

    public init(_ kpis: [KPIDefinition]) {
        self.kpis = kpis
        index = Dictionary(kpis.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        link()
    }

    private mutating func link() { linked = kpis.map { LinkedFormula($0.formula, positions: index) } }

    public subscript(id: KPI.ID) -> KPIDefinition? { index[id].map { kpis[$0] } }

    /// The KPI's position in `kpis`.
    public func position(of id: KPI.ID) -> Int? { index[id] }

    /// The KPIs shown at `place`, in their order there.
    public func kpis(at place: KPI.Place) -> [KPIDefinition] {
        kpis.compactMap { k in k.places[place].map { (k, $0) } }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// Adds a user KPI, or replaces a KPI of the same id; checks that its names exist and that it
    /// does not refer to itself.
    public mutating func define(_ kpi: KPIDefinition) throws(CatalogError) {
        let own = kpi.id.rawValue
        for name in kpi.formula.names
        where name != own && BaseMeasure.byID[name] == nil && !Formula.variables.contains(name)
            && self[KPI.ID(name)] == nil
        {
            throw .unknownName(kpi: own, name: name)
        }
        if kpi.formula.names.contains(own) { throw .cycle(kpi: own) }
        var next = self  // commit only a catalog without cycles
        if let i = next.index[kpi.id] {
            next.kpis[i] = kpi
        } else {
            next.index[kpi.id] = next.kpis.count
            next.kpis.append(kpi)
        }
        if next.dependsOn(own, kpi.formula, seen: []) { throw .cycle(kpi: own) }
        next.link()
        self = next
    }

    private func dependsOn(_ id: String, _ f: Formula, seen: Set<String>) -> Bool {
        for name in f.names {
            if name == id { return true }
            if let k = self[KPI.ID(name)], !seen.contains(name), dependsOn(id, k.formula, seen: seen.union([name])) {
                return true
            }
        }
        return false
    }

    public enum CatalogError: Error, Sendable, Equatable {
        case unknownName(kpi: String, name: String)
        case cycle(kpi: String)
        public var message: LocalizedText {
            switch self {
            case .unknownName(let k, let n):
                LocalizedText("catalog.unknown_name", ["kpi": "\(k)", "name": "\(n)"])
            case .cycle(let k):
                LocalizedText("catalog.cycle", ["kpi": "\(k)"])
            }
        }
    }
}
