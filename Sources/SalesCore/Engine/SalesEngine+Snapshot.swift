import Foundation

/// The engine's aggregates as bytes, so that a process can start from them instead of replaying every
/// event: the day and month rows and the per-deal facts are plain integers, copied as they lie in memory.
///
/// A snapshot is only valid for the build that wrote it (the layout of those rows is the code's): the
/// header carries a layout fingerprint and the calendar's zone, and `init(snapshot:)` refuses any other.
extension SalesEngine {
    static let snapshotMagic = Array("SKPIENG1".utf8)

    /// What must match for the memory images to be read back as written.
    static var layoutFingerprint: [Int] {
        [
            BaseMeasure.count, MemoryLayout<DealFact>.stride, MemoryLayout<AccountFact>.stride,
            MemoryLayout<InvoiceFact>.stride,
            MemoryLayout<Day>.stride, MemoryLayout<Timestamp>.stride,
        ]
    }

    public func snapshot() -> [UInt8] {
        var w = ByteWriter()
        w.bytes(Self.snapshotMagic)
        w.ints(Self.layoutFingerprint.map(Int64.init))
        w.string(calendar.timeZone.identifier)
        w.int(Int64(eventCount))
        w.int(Int64(firstDay))
        w.int(Int64(lastDay))
        w.int(Int64(teams.count))
        for t in teams.values.sorted(by: { $0.id < $1.id }) {
            w.int(t.id)
            w.string(t.externalID)
            w.string(t.name)
        }
        w.int(Int64(reps.count))
        for r in reps.values.sorted(by: { $0.id < $1.id }) {
            w.int(r.id)
            w.string(r.externalID)
            w.string(r.name)
            w.string(r.role.rawValue)
            w.int(r.teamID ?? -1)
            w.int(r.managerID ?? -1)
        }
        // Team members in the order they arrived (listings keep it).
        w.int(Int64(teamMembers.count))
        for (team, members) in teamMembers.sorted(by: { $0.key < $1.key }) {
            w.int(team)
            w.ints(members)
        }
        w.int(Int64(cells.count))
        for (rep, c) in cells.sorted(by: { $0.key < $1.key }) {
            w.int(rep)
            w.cells(c)
        }
        w.cells(unassigned)
        w.pod(accounts)
        w.pod(deals)
        w.pod(invoices)
        let plans = plans.all
        w.int(Int64(plans.count))
        for p in plans {
            w.int(p.id)
            w.string(p.externalID)
            w.string(p.scope.rawValue)
            w.int(p.owner?.id ?? -1)
            w.string(p.kpi)
            w.int(Int64(p.period.start))
            w.int(Int64(p.period.end))
            w.int(Int64(bitPattern: p.target.bitPattern))
        }
        return w.buffer
    }

    public struct SnapshotMismatch: Error, Sendable, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// An engine as `snapshot()` left it; throws `SnapshotMismatch` for bytes of another build, zone or a damaged file.
    public convenience init(snapshot bytes: UnsafeRawBufferPointer, calendar: CompanyCalendar) throws {
        self.init(calendar: calendar)
        var r = ByteReader(bytes)
        guard try r.bytes(Self.snapshotMagic.count) == Self.snapshotMagic else {
            throw SnapshotMismatch(description: "not an engine snapshot")
        }
        guard try r.ints() == Self.layoutFingerprint.map(Int64.init) else {
            throw SnapshotMismatch(description: "written by another build")
        }
        guard try r.string() == calendar.timeZone.identifier else {
            throw SnapshotMismatch(description: "another time zone")
        }
        eventCount = Int(try r.int())
        firstDay = Day(try r.int())
        lastDay = Day(try r.int())
        for _ in 0..<(try r.int()) {
            let id = try r.int()
            teams[id] = TeamInfo(id: id, externalID: try r.string(), name: try r.string())
        }
        for _ in 0..<(try r.int()) {
            let id = try r.int()
            let ext = try r.string()
            let name = try r.string()
            let role = RepRole(rawValue: try r.string()) ?? .ae
            let team = try r.int()
            let manager = try r.int()
            reps[id] = RepInfo(
                id: id, externalID: ext, name: name, role: role, teamID: team < 0 ? nil : team,
                managerID: manager < 0 ? nil : manager)
            if repsByExternalID[ext] == nil { repsByExternalID[ext] = id }
        }
        for _ in 0..<(try r.int()) {
            let team = try r.int()
            teamMembers[team] = try r.ints()
        }
        for _ in 0..<(try r.int()) {
            let rep = try r.int()
            cells[rep] = try r.cells()
        }
        unassigned = try r.cells()
        accounts = try r.pod()
        deals = try r.pod()
        invoices = try r.pod()
        for _ in 0..<(try r.int()) {
            let id = try r.int()
            let ext = try r.string()
            let scope = PlanScope(rawValue: try r.string()) ?? .company
            let owner = try r.int()
            var plan = Plan(
                externalID: ext, scope: scope, owner: owner < 0 ? nil : EntityRef("", id: owner), kpi: try r.string(),
                period: Period(start: Day(try r.int()), end: Day(try r.int())),
                target: Double(bitPattern: UInt64(bitPattern: try r.int())))
            plan.id = id
            plans.add(plan)
        }
        guard r.atEnd else { throw SnapshotMismatch(description: "trailing bytes") }
    }
}

/// Appends integers, strings and memory images of plain arrays, little-endian as the machine is.
struct ByteWriter {
    var buffer: [UInt8] = []
    mutating func bytes(_ b: [UInt8]) { buffer.append(contentsOf: b) }
    mutating func int(_ v: Int64) { withUnsafeBytes(of: v) { buffer.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        let u = Array(s.utf8)
        int(Int64(u.count))
        bytes(u)
    }
    mutating func ints(_ v: [Int64]) { pod(v) }
    /// An array of plain values (no references inside), as it lies in memory.
    mutating func pod<T>(_ v: [T]) {
        precondition(_isPOD(T.self))
        int(Int64(v.count))
        v.withUnsafeBytes { buffer.append(contentsOf: $0) }
    }
    mutating func cells(_ c: DayCells) {
        int(Int64(c.firstMonth))
        int(Int64(c.firstDay))
        pod(c.dayRows)
        pod(c.monthRows)
    }
}

struct ByteReader {
    let base: UnsafeRawBufferPointer
    var offset = 0
    init(_ base: UnsafeRawBufferPointer) { self.base = base }
    var atEnd: Bool { offset == base.count }

    struct Truncated: Error {}
    mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, offset + n <= base.count else { throw Truncated() }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<offset + n])
    }
    mutating func bytes(_ n: Int) throws -> [UInt8] { Array(try take(n)) }
    mutating func int() throws -> Int64 { try take(8).loadUnaligned(as: Int64.self) }
    mutating func string() throws -> String { String(decoding: try take(Int(try int())), as: UTF8.self) }
    mutating func ints() throws -> [Int64] { try pod() }
    mutating func pod<T>() throws -> [T] {
        precondition(_isPOD(T.self))
        let count = Int(try int())
        let raw = try take(count * MemoryLayout<T>.stride)
        return [T](unsafeUninitializedCapacity: count) { out, n in
            UnsafeMutableRawBufferPointer(out).copyMemory(from: raw)
            n = count
        }
    }
    mutating func cells() throws -> DayCells {
        var c = DayCells()
        c.firstMonth = Int32(try int())
        c.firstDay = Day(try int())
        c.dayRows = try pod()
        c.monthRows = try pod()
        return c
    }
}
