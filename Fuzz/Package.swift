// swift-tools-version: 6.2
import PackageDescription

// libFuzzer harnesses for the readers that take untrusted input. Build and run (see
// docs/fuzzing.md):
//
//   cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   .build/release/SMILESFuzzer -max_len=4096 -max_total_time=600 corpus/
let package = Package(
    name: "BulkPredictFuzz",
    dependencies: [.package(name: "BulkPredict", path: "..")],
    targets: [
        .executableTarget(
            name: "SMILESFuzzer", dependencies: [.product(name: "Chemistry", package: "BulkPredict")])
    ]
)
