/// Maps strings to dense integers so hot paths compare ints, not strings.
public struct Interner: Sendable {
    var ids: [String: Int32] = [:]
    public private(set) var strings: [String] = []

    public init() {}

    /// The id of `s`, adding it when new.
    public mutating func intern(_ s: String) -> Int32 {
        if let id = ids[s] { return id }
        let id = Int32(strings.count)
        ids[s] = id
        strings.append(s)
        return id
    }
}
