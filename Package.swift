// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vigil", targets: ["vigil"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
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
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilCore", "VigilStore", "VigilIngest", "VigilDrivers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .target(name: "VigilTestFixtures", path: "Tests/Fixtures", exclude: ["real"]),
        .testTarget(
            name: "VigilStoreTests",
            dependencies: [
                "VigilStore", "VigilCore", "VigilIngest", "VigilTestFixtures",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "VigilIngestTests", dependencies: ["VigilIngest", "VigilCore", "VigilTestFixtures"]),
        .testTarget(name: "VigilDriversTests", dependencies: ["VigilDrivers", "VigilCore"]),
    ]
)
