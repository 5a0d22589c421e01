// swift-tools-version: 6.2
import PackageDescription

// Dependencies point one way: pure code (Core, Chemistry, Proteins, Parquet) ← Formats; Core, Chemistry and
// Proteins ← Models; Core ← JobQueue; Formats, Models and JobQueue ← Engine ← APIServer ← CLI. Of the
// product's modules only JobQueue imports a database module, and only APIServer imports Hummingbird.
let package = Package(
    name: "BulkPredict",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bulkpredict", targets: ["BulkPredictCLI"]),
        // For the fuzzing harnesses in Fuzz/, which build this target with sanitizers.
        .library(name: "Chemistry", targets: ["Chemistry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .target(name: "BulkPredictCore"),
        // The chemistry and Parquet code is compiled optimised in debug builds too: the test suite
        // runs every descriptor and writer over thousands of molecules and millions of rows, and
        // unoptimised it would take minutes of the suite's time.
        .target(name: "Chemistry", swiftSettings: optimisedInDebug),
        // Optimised in debug builds too, like Chemistry: the suite checks every property over
        // thousands of sequences and runs PCA over hundreds of dimensions.
        .target(name: "Proteins", swiftSettings: optimisedInDebug),
        // Writes results as Parquet; depends on nothing, so it can be tested and reused alone.
        .target(name: "Parquet", swiftSettings: optimisedInDebug),
        // The system zlib, for gzip-compressed uploads.
        .systemLibrary(name: "CZlib"),
        .target(
            name: "Formats",
            dependencies: [
                "BulkPredictCore", "Chemistry", "Proteins", "Parquet", "CZlib", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "Models", dependencies: ["BulkPredictCore", "Chemistry", "Proteins"]),
        .target(
            name: "JobQueue",
            dependencies: [
                "BulkPredictCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Engine",
            dependencies: [
                "BulkPredictCore", "Formats", "Models", "JobQueue", "Proteins", "Parquet",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "APIServer",
            dependencies: [
                "BulkPredictCore", "Formats", "Models", "JobQueue", "Engine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The web pages, served as they are.
            resources: [.copy("Web")]
        ),
        .executableTarget(
            name: "BulkPredictCLI",
            dependencies: [
                "BulkPredictCore", "Formats", "Models", "JobQueue", "Engine", "APIServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "BulkPredictCore", "Models", "JobQueue", "Engine", "APIServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "BulkPredictCoreTests", dependencies: ["BulkPredictCore"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "TestSupport"]),
        .testTarget(name: "ChemistryTests", dependencies: ["Chemistry"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ProteinsTests", dependencies: ["Proteins", "TestSupport"]),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "TestSupport"]),
        .testTarget(name: "JobQueueTests", dependencies: ["JobQueue", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "JobQueue", "TestSupport"]),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "APIServer", "Engine", "Models", "JobQueue", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "CLITests", dependencies: ["BulkPredictCLI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

var optimisedInDebug: [SwiftSetting] { [.unsafeFlags(["-O"], .when(configuration: .debug))] }
