import Foundation
import NIOCore
import NIOSSL

/// One SMTP reply: its code and the text of each line — a multi-line reply (`250-…` lines, then `250 …`) is one.
struct SMTPReply: Sendable, CustomStringConvertible {
    var code: Int
    var lines: [String]
    var description: String { "\(code) " + lines.joined(separator: " / ") }
}

/// What went wrong below the dialog; `SMTPClient` turns it into an `SMTPError` naming the server.
enum SMTPConnectionError: Error {
    case closed
    case timedOut
    case malformedReply(String)
    /// Plain-text bytes after the answer to STARTTLS would be read as if they came over TLS (response injection),
    /// so they end the connection.
    case dataAfterSTARTTLS
}

/// A connected channel and its reply handler: sends commands and waits for replies, each within `timeout`.
struct SMTPConnection: Sendable {
    let channel: any Channel
    let replies: NIOLoopBound<SMTPReplyHandler>
    let timeout: TimeAmount

    /// Takes the `SMTPReplyHandler` the channel was initialised with.
    init(channel: any Channel, timeout: TimeAmount) async throws {
        self.channel = channel
        self.timeout = timeout
        replies = try await channel.eventLoop.submit {
            let handler = try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self)
            return NIOLoopBound(handler, eventLoop: channel.eventLoop)
        }.get()
    }

    /// Sends a command line (if any) and waits for the next reply.
    func exchange(_ command: String?) async throws -> SMTPReply {
        if let command {
            channel.writeAndFlush(ByteBuffer(string: command + "\r\n"), promise: nil)
        }
        let reply = channel.eventLoop.flatSubmit { [replies, timeout] in replies.value.next(within: timeout) }
        return try await reply.get()
    }

    /// Puts TLS under the dialog (after the server's 220 to STARTTLS); the handshake runs before the next write.
    func startTLS(_ context: NIOSSLContext, serverHostname: String?) async throws {
        try await channel.eventLoop.submit { [channel, replies] in
            guard replies.value.isIdle else { throw SMTPConnectionError.dataAfterSTARTTLS }
            let tls = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
            try channel.pipeline.syncOperations.addHandler(tls, position: .first)
        }.get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// Splits what the server sends into replies and hands them out in order to whoever waits; an error or a closed
/// connection fails the wait, and so does a deadline (closing the connection).
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// Longer lines than RFC 5321's 512 octets, with room to spare, mean this is not an SMTP server.
    static let maximumLine = 4096

    private let eventLoop: any EventLoop
    private var buffer = ByteBuffer()
    private var lines: [String] = []
    private var ready: CircularBuffer<SMTPReply> = []
    private var waiter: (promise: EventLoopPromise<SMTPReply>, deadline: Scheduled<Void>)?
    private var failure: (any Error)?
    /// Set while in the pipeline: a deadline closes the connection through it.
    private var context: ChannelHandlerContext?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Nothing received and not yet taken: the moment STARTTLS may begin.
    var isIdle: Bool { buffer.readableBytes == 0 && lines.isEmpty && ready.isEmpty }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// The next reply; fails once the connection failed, or after `timeout` without one.
    func next(within timeout: TimeAmount) -> EventLoopFuture<SMTPReply> {
        if let reply = ready.popFirst() {
            return eventLoop.makeSucceededFuture(reply)
        }
        if let failure {
            return eventLoop.makeFailedFuture(failure)
        }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let deadline = eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.fail(SMTPConnectionError.timedOut)
            self.context?.close(promise: nil)
        }
        waiter = (promise, deadline)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while failure == nil, let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let line = buffer.readString(length: newline - buffer.readerIndex + 1) ?? ""
            take(line.trimmingCharacters(in: .whitespacesAndNewlines), context: context)
        }
        buffer.discardReadBytes()
        if buffer.readableBytes > Self.maximumLine {
            let start = String(String(buffer: buffer).prefix(80))
            errorCaught(context: context, error: SMTPConnectionError.malformedReply(start))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPConnectionError.closed)
        context.fireChannelInactive()
    }

    /// Adds a line to the reply being read; `250-` continues it, `250 ` (or a bare `250`) ends it.
    private func take(_ line: String, context: ChannelHandlerContext) {
        guard let code = Int(line.prefix(3)), (200...599).contains(code) else {
            return errorCaught(context: context, error: SMTPConnectionError.malformedReply(line))
        }
        lines.append(String(line.dropFirst(4)))
        guard line.dropFirst(3).first != "-" else { return }
        let reply = SMTPReply(code: code, lines: lines)
        lines = []
        guard let waiter else { return ready.append(reply) }
        self.waiter = nil
        waiter.deadline.cancel()
        waiter.promise.succeed(reply)
    }

    /// Keeps the first failure — a TLS error, say, not the closed connection that follows it — and fails the wait.
    private func fail(_ error: any Error) {
        if failure == nil {
            failure = error
        }
        guard let waiter else { return }
        self.waiter = nil
        waiter.deadline.cancel()
        waiter.promise.fail(failure ?? error)
    }
}
