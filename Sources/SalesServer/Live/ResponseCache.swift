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
    private var bytes = 0
    /// Bounded by size: a department's scorecards are near a megabyte each.
    let capacity: Int

    init(capacityBytes: Int = 256 << 20) { capacity = capacityBytes }

    /// The kept answer to `key` at `version`, or `make`'s, kept. `version` must be read before `make`
    /// runs: an ingest in between then only makes the kept answer look older than it is.
    func payload(_ key: String, version current: Int, for request: Request, _ make: () throws -> Payload) rethrows
        -> Payload
    {
        let fresh = request.headers[.cacheControl]?.contains("no-cache") == true
        if let hit = lock.withLock({ () -> Payload? in
            // Versions only grow; a request that read an older one is answered afresh.
            if current > version {
                entries.removeAll(keepingCapacity: true)
                bytes = 0
                version = current
            }
            return fresh || current != version ? nil : entries[key]?.payload
        }) {
            return hit
        }
        let made = try make()
        lock.withLock {
            guard current == version, made.body.readableBytes <= capacity / 4 else { return }
            if bytes + made.body.readableBytes > capacity {
                entries.removeAll(keepingCapacity: true)
                bytes = 0
            }
            if let old = entries.updateValue((current, made), forKey: key) { bytes -= old.payload.body.readableBytes }
            bytes += made.body.readableBytes
        }
        return made
    }
}
