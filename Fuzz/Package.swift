// swift-tools-version:6.0
// libFuzzer targets for Vigil's parsers (issue 10). Built separately, with the fuzzer sanitizer:
//   cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   .build/release/FuzzDocuments -max_total_time=60 Corpus/documents
// Tests/fuzz/run.sh does both for every target.
import Foundation
import PackageDescription

/// The root package is a path dependency, whose identity is its folder's name (whatever the clone is called).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "VigilFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "VigilIngest", package: root)]),
        .executableTarget(
            name: "FuzzDocuments", dependencies: ["FuzzSupport", .product(name: "VigilIngest", package: root)]),
        .executableTarget(name: "FuzzEVE", dependencies: ["FuzzSupport", .product(name: "VigilIngest", package: root)]),
        .executableTarget(name: "FuzzWazuh", dependencies: ["FuzzSupport", .product(name: "VigilIngest", package: root)]),
    ]
)
