import FuzzSupport
import VigilIngest

/// Any bytes as suricata alert lines: each line is an alert, a skipped record or a malformed line, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEVE(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var count = 0
    AlertParser.parseLines(text, format: .suricata) { _, _ in count += 1 }
    return count >= 0 ? 0 : 1
}

@_cdecl("FuzzEVE_main")
public func fuzzEVEMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzEVE(data, size) }
}
