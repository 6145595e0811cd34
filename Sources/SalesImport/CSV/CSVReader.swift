import Foundation
import SalesCore

/// A fast RFC 4180 reader over bytes: quoted fields with doubled quotes and line breaks, CRLF or
/// LF, a UTF-8 byte-order mark, any one-byte delimiter. Text is decoded per field with the file's
/// encoding (UTF-8 or Windows-1251); invalid UTF-8 is reported with its line.
public struct CSVReader {
    public enum Encoding: String, Sendable, Codable {
        case utf8 = "utf-8"
        case windows1251 = "windows-1251"
    }

    public struct Row {
        /// 1-based line where the row starts.
        public var line: Int
        public var fields: [String]
    }

    public enum Failure: Error {
        case invalidUTF8(line: Int)
        case unterminatedQuote(line: Int)
    }

    private let bytes: Data
    public let delimiter: UInt8
    public let encoding: Encoding

    public init(data: Data, delimiter: UInt8? = nil, encoding: Encoding = .utf8) {
        var d = data
        if d.starts(with: [0xEF, 0xBB, 0xBF]) { d = d.dropFirst(3) }
        bytes = d
        self.encoding = encoding
        self.delimiter = delimiter ?? Self.sniffDelimiter(d)
    }

    /// The most frequent of `,` `;` tab in the first line.
    static func sniffDelimiter(_ d: Data) -> UInt8 {
        let firstLine = d.prefix { $0 != 0x0A }
        let candidates: [UInt8] = [0x2C, 0x3B, 0x09]
        return candidates.max { a, b in
            firstLine.lazy.filter { $0 == a }.count < firstLine.lazy.filter { $0 == b }.count
        } ?? 0x2C
    }

    /// Calls `body` for every row; stops early if it returns false.
    public func forEachRow(_ body: (Row) throws -> Bool) throws {
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let p = raw.bindMemory(to: UInt8.self)
            let n = p.count
            var i = 0
            var line = 1
            var fields: [String] = []
            var field: [UInt8] = []
            field.reserveCapacity(64)
            while i < n {
                let rowLine = line
                fields.removeAll(keepingCapacity: true)
                var endOfRow = false
                while !endOfRow {
                    field.removeAll(keepingCapacity: true)
                    if i < n && p[i] == 0x22 {  // quoted
                        i += 1
                        while true {
                            guard i < n else { throw Failure.unterminatedQuote(line: rowLine) }
                            let c = p[i]
                            if c == 0x22 {
                                if i + 1 < n && p[i + 1] == 0x22 {
                                    field.append(0x22)
                                    i += 2
                                    continue
                                }
                                i += 1
                                break
                            }
                            if c == 0x0A { line += 1 }
                            field.append(c)
                            i += 1
                        }
                        while i < n && p[i] != delimiter && p[i] != 0x0A && p[i] != 0x0D {
                            field.append(p[i])
                            i += 1
                        }
                    } else {
                        let start = i
                        while i < n && p[i] != delimiter && p[i] != 0x0A && p[i] != 0x0D { i += 1 }
                        field.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
                    }
                    fields.append(try decode(field, line: line))
                    if i < n && p[i] == delimiter {
                        i += 1
                        continue
                    }
                    if i < n && p[i] == 0x0D { i += 1 }
                    if i < n && p[i] == 0x0A { i += 1 }
                    line += 1
                    endOfRow = true
                }
                if fields.count == 1 && fields[0].isEmpty { continue }  // blank line
                if try !body(Row(line: rowLine, fields: fields)) { return }
            }
        }
    }

    private func decode(_ b: [UInt8], line: Int) throws -> String {
        switch encoding {
        case .utf8:
            // ASCII (most fields: ids, dates, numbers) needs no validation.
            if b.allSatisfy({ $0 < 0x80 }) { return String(decoding: b, as: UTF8.self) }
            guard let s = String(validating: b, as: UTF8.self) else { throw Failure.invalidUTF8(line: line) }
            return s
        case .windows1251:
            return Windows1251.decode(b)
        }
    }

}
