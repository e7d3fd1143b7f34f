// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        // For the fuzz targets in Fuzz/ (a package of their own, built with the fuzzer sanitizer).
        .library(name: "VigilIngest", targets: ["VigilIngest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "VigilCore", dependencies: [.product(name: "HeapModule", package: "swift-collections")]),
        .target(
            name: "VigilStore",
            dependencies: [
                "VigilCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "VigilDrivers", dependencies: ["VigilCore"]),
        .target(
            name: "VigilIngest",
            dependencies: ["VigilCore", .product(name: "Yams", package: "Yams")]
        ),
        // The application layer both front ends (CLI, server) share (DESIGN §1).
        .target(name: "VigilService", dependencies: ["VigilCore", "VigilStore", "VigilIngest", "VigilDrivers"]),
        // `vigil serve`: the HTTP API over the live state (DESIGN §8).
        .target(
            name: "VigilServer",
            dependencies: [
                "VigilService", "VigilCore", "VigilStore", "VigilIngest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("OpenAPI/openapi.yaml")]
        ),
        // Test and bench support, not product API: the datacenter generator and the reference evaluator.
        .target(name: "VigilTestSupport", dependencies: ["VigilCore"]),
        // `vigil bench …`: benchmarks and their peers.
        .target(
            name: "VigilBench",
            dependencies: [
                "VigilService", "VigilServer", "VigilTestSupport", "VigilCore", "VigilStore", "VigilIngest",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilService", "VigilServer", "VigilBench", "VigilTestSupport", "VigilCore", "VigilStore",
                "VigilIngest", "VigilDrivers", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore", "VigilTestSupport"]),
        .testTarget(
            name: "VigilServerTests",
            dependencies: [
                "VigilServer", "VigilService", "VigilCore", "VigilStore", "VigilIngest", "VigilTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "VigilServiceTests",
            dependencies: [
                "VigilService", "VigilCore", "VigilStore", "VigilIngest", "VigilDrivers", "VigilTestFixtures",
            ]
        ),
        .target(name: "VigilTestFixtures", path: "Tests/Fixtures", exclude: ["real"]),
        .testTarget(
            name: "VigilStoreTests",
            dependencies: [
                "VigilStore", "VigilCore", "VigilIngest", "VigilTestFixtures", "VigilTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "VigilIngestTests",
            dependencies: ["VigilIngest", "VigilCore", "VigilTestFixtures", "VigilTestSupport"]),
        .testTarget(name: "VigilDriversTests", dependencies: ["VigilDrivers", "VigilCore"]),
    ]
)
