import Foundation
import Hummingbird

/// Files uploaded for an import, kept in a folder of their own between the check and the commit.
/// The folder's name is a random token, so one admin's upload cannot be guessed by another request.
enum Uploads {
    static let maxBytes = 256 << 20
    /// Uploads never committed are removed after a day.
    static let lifetime: TimeInterval = 86_400

    enum Mode: String, Codable, CaseIterable {
        case bundle
        /// A CRM's own export, read by a preset (`Upload.preset`: its name, or `auto`).
        case crm
        /// Any export, read by an uploaded recipe.
        case recipe
        case mapping
        case mavenCRM = "maven-crm"
    }

    struct Upload: Codable {
        var id: String
        var mode: Mode
        var source: String
        var skipInvalid: Bool
        /// The data files' names, as uploaded (made safe for a file system).
        var files: [String]
        /// The mapping's file name, for `mapping` mode, or the recipe's for `recipe` mode.
        var mappingFile: String?
        /// For `crm` mode: the preset's name, or `auto`.
        var preset: String?
        /// Exchange rates and a stage map, where given.
        var ratesFile: String?
        var stageMapFile: String?

        var dir: String { Uploads.root + "/" + id }
        var mapping: String? { mappingFile.map { dir + "/" + $0 } }
        var rates: String? { ratesFile.map { dir + "/" + $0 } }
        var stageMap: String? { stageMapFile.map { dir + "/" + $0 } }
        var dataFiles: [String] { files.map { dir + "/" + $0 } }
    }

    static var root: String { NSTemporaryDirectory() + "saleskpi-uploads" }

    /// Writes a request's body to a new file as it arrives, refusing it past `limit` bytes (413).
    static func spool(_ body: RequestBody, limit: Int) async throws -> String {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = root + "/.body-" + Secrets.randomToken()
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let file = FileHandle(forWritingAtPath: path)
        else {
            throw HTTPError(.internalServerError)
        }
        defer { try? file.close() }
        var written = 0
        do {
            for try await chunk in body {
                written += chunk.readableBytes
                guard written <= limit else { throw HTTPError(.contentTooLarge) }
                try file.write(contentsOf: chunk.readableBytesView)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return path
    }

    /// The spooled body, mapped from its file rather than read into memory.
    static func spooled(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    }

    /// Writes the form's files (`files`; `mapping` — a mapping or a recipe —, `rates`, `stage_map`) and settings
    /// (`mode`: `bundle`, `crm:<preset>` or `crm:auto`, `recipe`, `mapping`, `maven-crm`; `source`; `skip_invalid`).
    static func keep(_ form: MultipartForm) throws -> Upload {
        removeStale()
        let raw = form["mode"] ?? "bundle"
        let preset = raw.hasPrefix("crm:") ? String(raw.dropFirst(4)) : nil
        let mode = preset != nil ? .crm : Mode(rawValue: raw) ?? .bundle
        let source =
            form["source"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? (mode == .mavenCRM ? "maven-crm" : preset.flatMap { $0 == "auto" ? nil : $0 } ?? "crm")
        var upload = Upload(
            id: Secrets.randomToken(), mode: mode, source: source, skipInvalid: form["skip_invalid"] == "1", files: [],
            preset: preset)
        try FileManager.default.createDirectory(atPath: upload.dir, withIntermediateDirectories: true)
        for part in form.files {
            let name = safeName(part.filename ?? "file.csv")
            try part.data.write(to: URL(fileURLWithPath: upload.dir + "/" + name))
            switch part.name {
            case "mapping": upload.mappingFile = name
            case "rates": upload.ratesFile = name
            case "stage_map": upload.stageMapFile = name
            default: upload.files.append(name)
            }
        }
        try JSONEncoder().encode(upload).write(to: URL(fileURLWithPath: upload.dir + "/.upload.json"))
        return upload
    }

    static func find(_ id: String) -> Upload? {
        guard id.count == 64, id.allSatisfy(\.isHexDigit),
            let data = FileManager.default.contents(atPath: root + "/" + id + "/.upload.json")
        else { return nil }
        return try? JSONDecoder().decode(Upload.self, from: data)
    }

    static func remove(_ upload: Upload) { try? FileManager.default.removeItem(atPath: upload.dir) }

    /// The last path component, with anything but letters, digits, `.`, `-` and `_` replaced.
    static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? "file"
        let cleaned = String(last.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
        return cleaned.hasPrefix(".") ? "_" + cleaned : cleaned
    }

    private static func removeStale() {
        let fm = FileManager.default
        for id in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
            let path = root + "/" + id
            if let modified = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                -modified.timeIntervalSinceNow > lifetime
            {
                try? fm.removeItem(atPath: path)
            }
        }
    }
}
