// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "SalesKPI",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "saleskpi", targets: ["saleskpi"]),
        .library(name: "SalesCore", targets: ["SalesCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Pure domain: model, measures, KPI catalog, formulas, engine, scoring, linter. No I/O.
        .target(name: "SalesCore", resources: [.copy("Resources/Messages")]),
        // Speech analytics: transcripts (JSON, WebVTT, SRT), Russian and English stemmers, call metrics,
        // script stages, objections, the argumentation score. Pure Swift, no I/O beyond reading a file.
        .target(name: "SalesSpeech", dependencies: ["SalesCore"], resources: [.copy("Resources/call-model.json")]),
        // Event stores: in-memory and SQLite (GRDB).
        .target(
            name: "SalesStorage",
            dependencies: [
                "SalesCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        // The PostgreSQL store (PostgresNIO): same schema and contract, several app instances in step.
        .target(
            name: "SalesPostgres",
            dependencies: [
                "SalesCore", "SalesStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Readers (CSV, encodings, mappings, CRM presets) into a store, KPI-system config, exports, demo data.
        .target(
            name: "SalesImport",
            dependencies: [
                "SalesCore", "SalesStorage", "SalesSpeech",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ], resources: [.copy("Resources")]),
        // Live CRM connectors: each CRM's REST API read incrementally into a store, within its rate limits.
        .target(
            name: "SalesConnectors",
            dependencies: [
                "SalesCore", "SalesStorage", "SalesImport", .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The web dashboard and the JSON API (Hummingbird 2): auth, live updates, ingestion, exports.
        .target(
            name: "SalesServer",
            dependencies: [
                "SalesCore", "SalesStorage", "SalesImport", "SalesSpeech", "SalesConnectors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ], resources: [.copy("Resources")]),
        .executableTarget(
            name: "saleskpi",
            dependencies: [
                "SalesCore", "SalesStorage", "SalesPostgres", "SalesImport", "SalesServer", "SalesSpeech",
                "SalesConnectors", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // `swift run -c release sync-bench [DEALS]`: the connectors against their simulators, without rate limits.
        .executableTarget(
            name: "sync-bench", dependencies: ["SalesConnectors", "TestSupport"], path: "benchmarks/sync-bench"),
        // What several test targets share: the test PostgreSQL server, the CRM simulators.
        .target(
            name: "TestSupport",
            dependencies: [
                "SalesCore", "SalesPostgres", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/TestSupport"),
        .testTarget(name: "SalesCoreTests", dependencies: ["SalesCore", "SalesStorage"]),
        .testTarget(
            name: "SalesSpeechTests", dependencies: ["SalesCore", "SalesSpeech"], resources: [.copy("Transcripts")]),
        .testTarget(
            name: "SalesStorageTests",
            dependencies: [
                "SalesCore", "SalesStorage", "SalesPostgres", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "SalesImportTests",
            dependencies: [
                "SalesCore", "SalesImport", "SalesSpeech", "SalesStorage", "SalesPostgres", "TestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SalesConnectorsTests",
            dependencies: ["SalesCore", "SalesStorage", "SalesImport", "SalesConnectors", "TestSupport"]),
        .testTarget(
            name: "SalesServerTests",
            dependencies: [
                "SalesCore", "SalesStorage", "SalesImport", "SalesServer", "SalesConnectors", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
    ]
)
