import Dispatch

/// Runs `body(0) … body(count − 1)` on every core at once and returns when all are done. The
/// caller promises that the calls touch disjoint memory (a chunk of rows each, their own sums):
/// that is what makes sharing raw pointers with them safe, which the compiler cannot check.
func concurrently(_ count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
        if count == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: count) { shared.value($0) }
    }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
