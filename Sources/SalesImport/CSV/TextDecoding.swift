import Foundation
import SalesCore

/// Turns a file's bytes, in whatever encoding a CRM or a spreadsheet program wrote them, into UTF-8 for the
/// readers: UTF-8 with or without its byte-order mark, UTF-16 with one, Windows-1251 (Russian Windows, boxed
/// Bitrix24, a Russian Excel re-save) or Windows-1252 / Latin-1 (Western Windows, Salesforce). A file that
/// mixes UTF-8 lines with others is read line by line, and says so.
public enum TextDecoding {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8 = "utf-8"
        case utf16 = "utf-16"
        case windows1251 = "windows-1251"
        case windows1252 = "windows-1252"

        /// The names people write: `cp1251`, `win-1251`, `latin1`, `iso-8859-1`, `UTF8`.
        public init?(name: String) {
            let n = name.lowercased().replacingOccurrences(of: "_", with: "-")
            switch n {
            case "utf-8", "utf8": self = .utf8
            case "utf-16", "utf16", "utf-16le", "utf-16be": self = .utf16
            case "windows-1251", "cp1251", "win-1251", "cp-1251": self = .windows1251
            case "windows-1252", "cp1252", "win-1252", "latin1", "latin-1", "iso-8859-1": self = .windows1252
            default: return nil
            }
        }
    }

    public struct Decoded: Sendable {
        /// The text as UTF-8, without a byte-order mark or NUL bytes.
        public var utf8: Data
        /// What the file was read as (for a mixed file, the encoding of its other lines).
        public var encoding: Encoding
        /// Lines that were not UTF-8 in a file that mostly is (1-based).
        public var otherLines: [Int] = []
        /// NUL bytes removed: some exports pad fields with them.
        public var nulBytes = 0
    }

    /// Reads `data` as `encoding`, or as the encoding its bytes show when nil.
    public static func decode(_ data: Data, as encoding: Encoding? = nil) -> Decoded {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return cleaned(Array(bytes.dropFirst(3)), .utf8)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || encoding == .utf16 {
            return cleaned(Array(utf16(bytes).utf8), .utf16)
        }
        let nul = bytes.count
        bytes.removeAll { $0 == 0 }
        var decoded: Decoded
        switch encoding {
        case .utf8?: decoded = Decoded(utf8: Data(bytes), encoding: .utf8)
        case .windows1251?, .windows1252?: decoded = Decoded(utf8: transcode(bytes, encoding!), encoding: encoding!)
        case .utf16?, nil: decoded = sniffed(bytes)
        }
        decoded.nulBytes = nul - bytes.count
        return decoded
    }

    private static func cleaned(_ bytes: [UInt8], _ encoding: Encoding) -> Decoded {
        let kept = bytes.filter { $0 != 0 }
        return Decoded(utf8: Data(kept), encoding: encoding, nulBytes: bytes.count - kept.count)
    }

    /// UTF-8 if it all is; otherwise each line that is not UTF-8 is read as the single-byte encoding
    /// its high bytes suggest.
    private static func sniffed(_ bytes: [UInt8]) -> Decoded {
        if String(validating: bytes, as: UTF8.self) != nil { return Decoded(utf8: Data(bytes), encoding: .utf8) }
        let single = singleByteEncoding(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4)
        var otherLines: [Int] = []
        var utf8Lines = 0
        var line = 1
        for piece in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line > 1 { out.append(0x0A) }
            if piece.allSatisfy({ $0 < 0x80 }) || String(validating: piece, as: UTF8.self) != nil {
                out.append(contentsOf: piece)
                if piece.contains(where: { $0 >= 0x80 }) { utf8Lines += 1 }
            } else {
                out.append(contentsOf: transcode(Array(piece), single))
                otherLines.append(line)
            }
            line += 1
        }
        // Only a file that also has UTF-8 lines with letters beyond ASCII is mixed; otherwise it is simply
        // in the single-byte encoding.
        return Decoded(utf8: Data(out), encoding: single, otherLines: utf8Lines > 0 ? otherLines : [])
    }

    /// Cyrillic words are runs of high bytes (Windows-1251 puts the alphabet at 0xC0–0xFF); Western text
    /// has an accented letter here and there between ASCII ones.
    static func singleByteEncoding(_ bytes: [UInt8]) -> Encoding {
        var high = 0
        var inRuns = 0
        for i in bytes.indices where bytes[i] >= 0x80 {
            high += 1
            if (i > 0 && bytes[i - 1] >= 0x80) || (i + 1 < bytes.count && bytes[i + 1] >= 0x80) { inRuns += 1 }
        }
        return high > 0 && inRuns * 2 > high ? .windows1251 : .windows1252
    }

    static func transcode(_ bytes: [UInt8], _ encoding: Encoding) -> Data {
        switch encoding {
        case .windows1251: Data(Windows1251.decode(bytes).utf8)
        case .windows1252: Data(windows1252(bytes).utf8)
        case .utf8, .utf16: Data(bytes)
        }
    }

    /// Windows-1252: Latin-1 with printable characters (€, quotes, dashes) where Latin-1 has controls.
    static func windows1252(_ bytes: [UInt8]) -> String {
        let block: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
            0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
            0x0153, 0x9D, 0x017E, 0x0178,
        ]
        var scalars = String.UnicodeScalarView()
        for b in bytes {
            let v = (0x80..<0xA0).contains(b) ? block[Int(b) - 0x80] : UInt32(b)
            scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    private static func utf16(_ bytes: [UInt8]) -> String {
        var big = bytes.starts(with: [0xFE, 0xFF])
        var body = bytes.starts(with: [0xFF, 0xFE]) || big ? Array(bytes.dropFirst(2)) : bytes
        if !bytes.starts(with: [0xFF, 0xFE]) && !big && body.count > 1 { big = body[0] == 0 && body[1] != 0 }
        if body.count % 2 == 1 { body.append(0) }
        var units: [UInt16] = []
        units.reserveCapacity(body.count / 2)
        for i in stride(from: 0, to: body.count, by: 2) {
            let (high, low) = big ? (body[i], body[i + 1]) : (body[i + 1], body[i])
            units.append(UInt16(high) << 8 | UInt16(low))
        }
        return String(decoding: units, as: UTF16.self)
    }
}
