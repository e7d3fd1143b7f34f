import FuzzSupport
import VigilIngest

/// Any bytes as wazuh alert lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWazuh(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzAlertLines(data, size, format: .wazuh)
}

@_cdecl("FuzzWazuh_main")
public func fuzzWazuhMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, size in fuzzWazuh(data, size) }
}
