import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An answer as bytes, so that it can be kept and sent again.
struct Payload: Sendable {
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields
    var body: ByteBuffer

    var response: Response { Response(status: status, headers: headers, body: .init(byteBuffer: body)) }
}

/// The API's answers to GET requests, kept until the numbers change (the live engine's version):
/// a wall screen or a BI tool asks the same question many times between two ingests. Keyed by the
/// user too, so an answer is only ever given to someone entitled to it. A request that says
/// `Cache-Control: no-cache` is answered afresh (and its answer kept).
final class ResponseCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (version: Int, payload: Payload)] = [:]
    private var version = 0
    let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    /// The kept answer to `key` at `version`, or `make`'s, kept. `version` must be read before `make`
    /// runs: an ingest in between then only makes the kept answer look older than it is.
    func payload(_ key: String, version current: Int, for request: Request, _ make: () throws -> Payload) rethrows -> Payload {
        let fresh = request.headers[.cacheControl]?.contains("no-cache") == true
        if let hit = lock.withLock({ () -> Payload? in
            if current != version { entries.removeAll(keepingCapacity: true); version = current }
            return fresh ? nil : entries[key]?.payload
        }) { return hit }
        let made = try make()
        lock.withLock {
            guard current == version else { return }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (current, made)
        }
        return made
    }
}
