import VigilIngest

/// Any bytes as suricata alert lines: each line is an alert, a skipped record or a malformed line, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEVE(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var count = 0
    AlertParser.parseLines(text, format: .suricata) { _, _ in count += 1 }
    return count >= 0 ? 0 : 1
}

/// libFuzzer's driver: SwiftPM links an executable's entry point as `FuzzEVE_main`, so that symbol hands over
/// to libFuzzer instead of libFuzzer's own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzEVE_main")
public func fuzzEVEMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv) { data, size in fuzzEVE(data, size) }
}
