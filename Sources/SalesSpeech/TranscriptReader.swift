import Foundation
import SalesCore

/// Reads the transcripts telephony and recording services produce (see docs/transcripts.md):
///
/// - JSON: `{"call": "CALL-1", "rep": "R-7", "speakers": {"Anna": "rep"}, "utterances": [{"speaker": "rep",
///   "start": 0.0, "end": 4.2, "text": "…"}]}` (or just the array of utterances);
/// - WebVTT with voices: `<v Anna>Good afternoon</v>`, or a "Manager: …" prefix;
/// - SRT with a speaker prefix: "Manager:", "Agent:", "Customer:", or the Russian role words (a cue without
///   one continues the voice before it).
///
/// Who is the rep: a role the file states; else a role word in the name (`SpeakerWords.swift`: agent, rep,
/// manager… / customer, client…, in Russian and English); else the voice named by `repSpeaker`; else, with two
/// voices of which one is known, the other one; else, with two unknown voices, the first to speak (an
/// outgoing call) — with a note. Text arrives as UTF-8 (a byte-order mark is fine), UTF-16 with a
/// byte-order mark, or Windows-1251 (read as such, with a note, when it is not UTF-8).
public struct TranscriptReader: Sendable {
    public enum Format: String, Sendable, CaseIterable { case json, vtt, srt }

    /// No call lasts a day: a later time is a broken file, and would overflow the call's whole seconds.
    public static let longestCall: Double = 86_400

    /// The name of the rep's voice, for files that only name people.
    public var repSpeaker: String?
    public init(repSpeaker: String? = nil) { self.repSpeaker = repSpeaker }

    public func read(contentsOf path: String) throws(TranscriptError) -> Transcript {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TranscriptError(
                file: name, message: LocalizedText("transcript.unreadable"))
        }
        let ext = (path as NSString).pathExtension.lowercased()
        return try read(data, file: name, format: Format(rawValue: ext == "webvtt" ? "vtt" : ext))
    }

    /// `format` nil: told by the content (`{`/`[` JSON, `WEBVTT`, else SRT).
    public func read(_ data: Data, file: String, format: Format? = nil) throws(TranscriptError) -> Transcript {
        var notes: [LocalizedText] = []
        let text = try Self.decode(data, file: file, notes: &notes)
        let trimmed = text.drop { $0.isWhitespace }
        let format =
            format
            ?? (trimmed.hasPrefix("{") || trimmed.hasPrefix("[") ? .json : trimmed.hasPrefix("WEBVTT") ? .vtt : .srt)
        var raw: Raw
        switch format {
        case .json: raw = try Self.json(text, file: file)
        case .vtt: raw = try Self.cues(text, file: file, webVTT: true)
        case .srt: raw = try Self.cues(text, file: file, webVTT: false)
        }
        raw.notes = notes + raw.notes
        return try finish(raw, file: file)
    }

    // MARK: - Text

    static func decode(_ data: Data, file: String, notes: inout [LocalizedText]) throws(TranscriptError) -> String {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            if let s = String(validating: bytes.dropFirst(3), as: UTF8.self) { return s }
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            if let s = String(data: data, encoding: .utf16) { return s }
        }
        if bytes.contains(0) {
            throw TranscriptError(
                file: file,
                message: LocalizedText("transcript.not_text"))
        }
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        notes.append(
            LocalizedText("transcript.read_as_windows_1251"))
        return Windows1251.decode(bytes)
    }

    /// Utterances as the file gave them, speakers not yet resolved.
    struct Raw {
        var call: String?, rep: String?
        var roles: [String: Transcript.Speaker] = [:]
        var utterances:
            [(name: String, role: Transcript.Speaker?, start: Double, end: Double, text: String, line: Int?)] = []
        var notes: [LocalizedText] = []
    }

    // MARK: - JSON

    static func json(_ text: String, file: String) throws(TranscriptError) -> Raw {
        func fail(_ field: String?, _ message: LocalizedText) -> TranscriptError {
            TranscriptError(file: file, field: field, message: message)
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            throw fail(
                nil, LocalizedText("transcript.invalid_json", ["error": "\(error.localizedDescription)"]))
        }
        var raw = Raw()
        let list: [Any]
        if let array = object as? [Any] {
            list = array
        } else if let dict = object as? [String: Any] {
            raw.call = dict["call"] as? String
            raw.rep = dict["rep"] as? String
            if let speakers = dict["speakers"] {
                guard let map = speakers as? [String: String] else {
                    throw fail(
                        "speakers", LocalizedText("transcript.json.bad_speakers"))
                }
                for (name, role) in map {
                    guard let r = Transcript.Speaker(rawValue: role.lowercased()), r != .unknown else {
                        throw fail(
                            "speakers.\(name)", LocalizedText("transcript.json.bad_role", ["role": "\(role)"]))
                    }
                    raw.roles[name] = r
                }
            }
            guard let u = dict["utterances"] as? [Any] else {
                throw fail("utterances", LocalizedText("transcript.json.no_utterances"))
            }
            list = u
        } else {
            throw fail(
                nil, LocalizedText("transcript.json.bad_root"))
        }
        for (i, item) in list.enumerated() {
            let at = "utterances[\(i)]"
            guard let u = item as? [String: Any] else {
                throw fail(
                    at, LocalizedText("transcript.json.bad_utterance"))
            }
            guard let speaker = u["speaker"] as? String, !speaker.isEmpty else {
                throw fail(
                    at + ".speaker", LocalizedText("transcript.json.no_speaker"))
            }
            // JSON's true is an NSNumber too (0 even casts to Bool): tell them apart by class.
            func seconds(_ key: String) throws(TranscriptError) -> Double {
                guard let n = u[key] as? NSNumber, !"\(type(of: n))".contains("Boolean"),
                    (0...TranscriptReader.longestCall).contains(n.doubleValue)
                else {
                    throw fail(
                        "\(at).\(key)", LocalizedText("transcript.json.bad_seconds"))
                }
                return n.doubleValue
            }
            let start = try seconds("start")
            let end = try seconds("end")
            guard let text = u["text"] as? String else {
                throw fail(at + ".text", LocalizedText("transcript.json.bad_text"))
            }
            guard end >= start else {
                throw fail(
                    at + ".end",
                    LocalizedText("transcript.json.ends_before_start", ["end": "\(end)", "start": "\(start)"]))
            }
            raw.utterances.append(
                (
                    speaker, Transcript.Speaker(rawValue: speaker.lowercased()).flatMap { $0 == .unknown ? nil : $0 },
                    start, end, text, nil
                ))
        }
        return raw
    }

    // MARK: - WebVTT and SRT

    /// Cues: an optional identifier, a `start --> end` line, text lines, a blank line.
    static func cues(_ text: String, file: String, webVTT: Bool) throws(TranscriptError) -> Raw {
        var raw = Raw()
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var i = 0
        var previousVoice: String?
        if webVTT { i = 1 }  // the WEBVTT header line
        while i < lines.count {
            let line = lines[i].trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                i += 1
                continue
            }
            // WebVTT's NOTE, STYLE and REGION blocks hold no speech.
            if webVTT, ["NOTE", "STYLE", "REGION"].contains(where: { line == $0 || line.hasPrefix($0 + " ") }) {
                while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty { i += 1 }
                continue
            }
            // An identifier line (SRT's counter) before the timing line.
            var timingLine = i
            if !line.contains("-->") { timingLine = i + 1 }
            guard timingLine < lines.count, lines[timingLine].contains("-->") else {
                throw TranscriptError(
                    file: file, line: i + 1,
                    message: LocalizedText(
                        "transcript.cue.no_timing",
                        ["separator": .text(webVTT ? "." : ","), "line": "\(line.prefix(60))"]))
            }
            let parts = lines[timingLine].components(separatedBy: "-->")
            let endField =
                parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
            guard let start = timestamp(parts[0].trimmingCharacters(in: .whitespaces)), let end = timestamp(endField)
            else {
                throw TranscriptError(
                    file: file, line: timingLine + 1, field: "timing",
                    message: LocalizedText(
                        "transcript.cue.bad_timing",
                        ["separator": .text(webVTT ? "." : ","), "line": "\(lines[timingLine])"]))
            }
            guard end >= start else {
                throw TranscriptError(
                    file: file, line: timingLine + 1, field: "timing",
                    message: LocalizedText("transcript.cue.ends_before_start", ["end": "\(endField)"]))
            }
            guard end <= Self.longestCall else {
                throw TranscriptError(
                    file: file, line: timingLine + 1, field: "timing",
                    message: LocalizedText("transcript.cue.too_long", ["end": "\(endField)"]))
            }
            var j = timingLine + 1
            var body: [String] = []
            while j < lines.count, !lines[j].trimmingCharacters(in: .whitespaces).isEmpty {
                body.append(lines[j])
                j += 1
            }
            var (voice, words) = webVTT ? vttVoice(body.joined(separator: " ")) : (nil, body.joined(separator: " "))
            if voice == nil, let (name, rest) = prefixedSpeaker(words) {
                voice = name
                words = rest
            }
            if voice == nil, previousVoice == nil {
                raw.notes.append(
                    LocalizedText("transcript.cue.no_speaker", ["line": "\(timingLine + 1)"]))
            }
            let name = voice ?? previousVoice ?? ""
            previousVoice = voice ?? previousVoice
            raw.utterances.append((name, nil, start, end, words.trimmingCharacters(in: .whitespaces), timingLine + 1))
            i = j
        }
        return raw
    }

    /// `01:02:03,500`, `01:02:03.500`, `02:03.500` → seconds.
    static func timestamp(_ s: String) -> Double? {
        let fields = s.replacingOccurrences(of: ",", with: ".").split(separator: ":")
        guard (2...3).contains(fields.count), fields.allSatisfy({ !$0.isEmpty }) else { return nil }
        var total = 0.0
        for (k, f) in fields.enumerated() {
            guard let v = Double(f), v >= 0, k == fields.count - 1 || (f.allSatisfy(\.isNumber) && (k == 0 || v < 60))
            else { return nil }
            if k == fields.count - 1, v >= 60 { return nil }
            total = total * 60 + v
        }
        return total
    }

    /// `<v Anna>text</v>` → ("Anna", "text"); other tags dropped.
    static func vttVoice(_ text: String) -> (String?, String) {
        var voice: String?
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                out += rest[open...]
                rest = ""
                break
            }
            let tag = rest[rest.index(after: open)..<close]
            if voice == nil, tag.hasPrefix("v"), let space = tag.firstIndex(of: " ") {
                voice = tag[tag.index(after: space)...].trimmingCharacters(in: .whitespaces)
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return (voice, out)
    }

    /// "Manager: text" → ("Manager", "text"): a short name (up to four words, no digits) before a colon.
    static func prefixedSpeaker(_ text: String) -> (String, String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 40, name.split(separator: " ").count <= 4, !name.contains(where: \.isNumber)
        else { return nil }
        return (
            name.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), String(text[text.index(after: colon)...])
        )
    }

    // MARK: - Speakers

    static func role(ofName name: String) -> Transcript.Speaker? {
        let words = name.lowercased().split { !$0.isLetter }.map(String.init)
        if words.contains(where: repWords.contains) { return .rep }
        if words.contains(where: clientWords.contains) { return .client }
        return nil
    }

    func finish(_ raw: Raw, file: String) throws(TranscriptError) -> Transcript {
        var notes = raw.notes
        var kept = raw.utterances.filter { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if kept.count < raw.utterances.count {
            notes.append(
                LocalizedText(
                    "transcript.empty_utterances_skipped", ["count": .count(raw.utterances.count - kept.count)]))
        }
        guard !kept.isEmpty else {
            throw TranscriptError(
                file: file,
                message: LocalizedText("transcript.no_speech"))
        }
        if zip(kept, kept.dropFirst()).contains(where: { $0.start > $1.start }) {
            kept.sort { $0.start < $1.start }
            notes.append(
                LocalizedText("transcript.sorted_by_start"))
        }
        // Roles by name: stated, mapped, by a role word, or the voice the user named.
        var roles: [String: Transcript.Speaker] = raw.roles
        for u in kept where roles[u.name] == nil {
            if let r = u.role ?? Self.role(ofName: u.name) {
                roles[u.name] = r
            } else if let repSpeaker, u.name.lowercased() == repSpeaker.lowercased() {
                roles[u.name] = .rep
            }
        }
        var unresolved: [String] = []
        for u in kept where roles[u.name] == nil && !u.name.isEmpty && !unresolved.contains(u.name) {
            unresolved.append(u.name)
        }
        let known = Set(roles.values)
        if unresolved.count == 1, known.count == 1 {
            roles[unresolved[0]] = known.contains(.rep) ? .client : .rep
        } else if unresolved.count == 2, known.isEmpty {
            roles[unresolved[0]] = .rep
            roles[unresolved[1]] = .client
            notes.append(
                LocalizedText("transcript.first_speaker_is_rep", ["speaker": "\(unresolved[0])"]))
        } else if !unresolved.isEmpty {
            notes.append(
                LocalizedText("transcript.unknown_speakers", ["speakers": "\(unresolved.joined(separator: ", "))"]))
        }
        let utterances = kept.map {
            Transcript.Utterance(
                speaker: roles[$0.name] ?? .unknown, name: $0.name, start: $0.start, end: $0.end, text: $0.text)
        }
        guard utterances.contains(where: { $0.speaker == .rep }) else {
            throw TranscriptError(
                file: file, field: "speaker",
                message: LocalizedText("transcript.no_rep"))
        }
        return Transcript(call: raw.call, rep: raw.rep, utterances: utterances, notes: notes)
    }
}
