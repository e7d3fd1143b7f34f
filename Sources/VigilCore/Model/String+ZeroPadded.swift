extension String {
    /// `value` in `radix` (lowercase digits), with leading zeros up to `width` digits: `String(7, zeroPaddedTo: 3)`
    /// is `"007"`, `String(255, radix: 16, zeroPaddedTo: 4)` is `"00ff"`. Longer numbers are not cut.
    public init(_ value: some BinaryInteger, radix: Int = 10, zeroPaddedTo width: Int) {
        let digits = String(value, radix: radix)
        self = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
