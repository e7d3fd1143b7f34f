import FuzzSupport
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

@_cdecl("FuzzDocuments_main")
public func fuzzDocumentsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzDocuments(data, size) }
}
