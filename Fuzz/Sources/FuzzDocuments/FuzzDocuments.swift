import VigilIngest

/// Any bytes as a Vigil document (YAML or JSON) and as JSON Lines history: the loader may reject them with a
/// `DocumentError`, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocuments(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? DocumentLoader.load(file: "fuzz.yaml", text: text)
    _ = try? DocumentLoader.load(file: "fuzz.jsonl", text: text)
    _ = try? ConfigurationLoader.load(file: "fuzz.yaml", text: text)
    return 0
}

/// libFuzzer's driver: SwiftPM links an executable's entry point as `FuzzDocuments_main`, so that symbol hands over
/// to libFuzzer instead of libFuzzer's own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzDocuments_main")
public func fuzzDocumentsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv) { data, size in fuzzDocuments(data, size) }
}
