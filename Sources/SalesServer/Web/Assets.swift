import Foundation

/// Files shipped with the server, read once.
enum Assets {
    static let css: String = load("dashboard", "css")
    static let openAPI: Data = Data(load("openapi", "yaml").utf8)

    private static func load(_ name: String, _ ext: String) -> String {
        guard
            let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources")
                ?? Bundle.module.url(forResource: name, withExtension: ext),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("SalesServer resource \(name).\(ext) is missing") }
        return text
    }
}
