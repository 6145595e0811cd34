import Foundation

/// The parts of a `multipart/form-data` body (RFC 7578): what a form with file inputs sends.
/// Files stay bytes: a CRM export may be in Windows-1251, which the importer decodes.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        var filename: String?
        var data: Data
    }
    var parts: [Part] = []

    /// Nil when the content type is not multipart or names no boundary.
    init?(body: Data, contentType: String) {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let raw = contentType.split(separator: ";").lazy.map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count)
        else { return nil }
        let boundary = Data(("--" + raw.trimmingCharacters(in: CharacterSet(charactersIn: "\""))).utf8)
        let crlf = Data("\r\n".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var cursor = body.startIndex
        guard let first = body.range(of: boundary, in: cursor..<body.endIndex) else { return nil }
        cursor = first.upperBound
        // Each part: CRLF, headers, CRLF CRLF, content, CRLF, boundary; the last boundary ends with "--".
        while body[cursor...].starts(with: crlf) {
            let headersStart = cursor + crlf.count
            guard let end = body.range(of: headerEnd, in: headersStart..<body.endIndex),
                let next = body.range(of: crlf + boundary, in: end.upperBound..<body.endIndex)
            else { return nil }
            let headers = String(decoding: body[headersStart..<end.lowerBound], as: UTF8.self)
            if let disposition = headers.split(separator: "\r\n").first(where: {
                $0.lowercased().hasPrefix("content-disposition:")
            }),
                let name = Self.parameter("name", in: disposition)
            {
                parts.append(
                    Part(
                        name: name, filename: Self.parameter("filename", in: disposition),
                        data: body[end.upperBound..<next.lowerBound]))
            }
            cursor = next.upperBound
        }
        guard body[cursor...].starts(with: Data("--".utf8)) else { return nil }
    }

    /// A text field's value.
    subscript(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }.map { String(decoding: $0.data, as: UTF8.self) }
    }

    var files: [Part] { parts.filter { $0.filename?.isEmpty == false } }

    /// `name="value"` from a Content-Disposition header (quoted, as browsers send it).
    private static func parameter(_ key: String, in header: Substring) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, kv[0].lowercased() == key else { continue }
            return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
