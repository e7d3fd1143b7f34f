import FuzzSupport
import VigilIngest

/// Any bytes as wazuh alert lines: each line is an alert, a skipped record or a malformed line, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWazuh(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var count = 0
    AlertParser.parseLines(text, format: .wazuh) { _, _ in count += 1 }
    return count >= 0 ? 0 : 1
}

@_cdecl("FuzzWazuh_main")
public func fuzzWazuhMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzWazuh(data, size) }
}
