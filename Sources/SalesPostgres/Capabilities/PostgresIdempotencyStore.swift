import Foundation
import PostgresNIO
import SalesCore
import SalesStorage

/// The `idempotency_keys` table (primary key: user and key), deleted with its user.
struct PostgresIdempotencyStore: IdempotencyStore {
    let pool: PostgresPool

    func response(userID: Int64, key: String, now: Timestamp) throws -> StoredResponse? {
        try pool.withConnection { c in
            try c.run(
                """
                SELECT status, body, request_hash FROM idempotency_keys
                WHERE user_id = \(userID) AND key = \(key) AND created_at > \(now - StoredResponse.lifetime)
                """, logger: pool.logger
            ).first.map {
                StoredResponse(
                    status: Int(PostgresColumns($0).int(0)), body: Array((try $0[1].decode(Data.self))),
                    requestHash: PostgresColumns($0).text(2))
            }
        }
    }

    func keep(_ response: StoredResponse, userID: Int64, key: String, at: Timestamp) throws {
        try pool.run("DELETE FROM idempotency_keys WHERE created_at <= \(at - StoredResponse.lifetime)")
        try pool.run(
            """
            INSERT INTO idempotency_keys (user_id, key, status, body, request_hash, created_at)
            VALUES (\(userID), \(key), \(Int64(response.status)), \(Data(response.body)),
                \(response.requestHash), \(at))
            ON CONFLICT DO NOTHING
            """)
    }
}
