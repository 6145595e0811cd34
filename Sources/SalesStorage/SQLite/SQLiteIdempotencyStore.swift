import Foundation
import GRDB
import SalesCore

/// The `idempotency_keys` table (primary key: user and key), deleted with its user.
struct SQLiteIdempotencyStore: IdempotencyStore {
    let db: DatabaseQueue

    func response(userID: Int64, key: String, now: Timestamp) throws -> StoredResponse? {
        try db.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT status, body, request_hash FROM idempotency_keys
                    WHERE user_id = ? AND key = ? AND created_at > ?
                    """, arguments: [userID, key, now - StoredResponse.lifetime]
            )
            .map { StoredResponse(status: $0[0], body: [UInt8]($0[1] as Data), requestHash: $0[2]) }
        }
    }

    func keep(_ response: StoredResponse, userID: Int64, key: String, at: Timestamp) throws {
        try db.write { db in
            try db.execute(
                sql: "DELETE FROM idempotency_keys WHERE created_at <= ?",
                arguments: [at - StoredResponse.lifetime])
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO idempotency_keys (user_id, key, status, body, request_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [userID, key, response.status, Data(response.body), response.requestHash, at])
        }
    }
}
