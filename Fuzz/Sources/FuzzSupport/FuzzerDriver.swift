import VigilIngest

/// libFuzzer's driver, for the fuzz targets: SwiftPM links an executable's entry point as `<Target>_main`, so each
/// target defines that symbol and hands over here instead of using libFuzzer's own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the command line, calling `target` with each input.
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ target: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, target)
}

/// One fuzz input as alert lines of `format`: each line is an alert, a skipped record or a malformed line, never a
/// crash.
public func fuzzAlertLines(_ data: UnsafePointer<UInt8>, _ size: Int, format: AlertFormat) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var count = 0
    AlertParser.parseLines(text, format: format) { _, _ in count += 1 }
    return count >= 0 ? 0 : 1
}
