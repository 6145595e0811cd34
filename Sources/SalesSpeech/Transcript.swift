import Foundation
import SalesCore

/// A call as the telephony or recording service transcribed it: who said what, and when.
public struct Transcript: Sendable, Equatable, Codable {
    public enum Speaker: String, Sendable, Codable { case rep, client, unknown }

    public struct Utterance: Sendable, Equatable, Codable {
        public var speaker: Speaker
        /// The name the file gave the voice ("Anna", "Agent"), if any.
        public var name: String
        /// Seconds from the start of the recording.
        public var start: Double
        public var end: Double
        public var text: String
        public init(speaker: Speaker, name: String = "", start: Double, end: Double, text: String) {
            self.speaker = speaker
            self.name = name
            self.start = start
            self.end = end
            self.text = text
        }
        public var duration: Double { end - start }
    }

    /// The call activity's external id, when the file names it.
    public var call: String?
    /// The rep's external id, when the file names it.
    public var rep: String?
    /// In time order.
    public var utterances: [Utterance]
    /// What the reader did about the file's quirks (unknown speakers, empty lines, a legacy encoding).
    public var notes: [LocalizedText] = []

    public init(call: String? = nil, rep: String? = nil, utterances: [Utterance], notes: [LocalizedText] = []) {
        self.call = call
        self.rep = rep
        self.utterances = utterances
        self.notes = notes
    }
}

/// A transcript that cannot be read, with the file, line and field at fault and what was expected.
public struct TranscriptError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String?
    public var message: LocalizedText

    public func text(_ lang: Language) -> String {
        let place = [file, line.map { lang.message("transcript.place.line", ["line": "\($0)"]) }, field].compactMap {
            $0
        }.joined(
            separator: ", ")
        return "\(place): \(message(lang))"
    }
    public var description: String { text(.en) }
}
