import Foundation

/// JSON for scripts, from the CLI and the API alike: snake_case keys whatever the language or the Swift
/// property's name, sorted so that two runs compare line by line.
public enum MachineJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting =
            pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
