import FuzzSupport
import VigilIngest

/// Any bytes as suricata alert lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEVE(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzAlertLines(data, size, format: .suricata)
}

@_cdecl("FuzzEVE_main")
public func fuzzEVEMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzEVE(data, size) }
}
