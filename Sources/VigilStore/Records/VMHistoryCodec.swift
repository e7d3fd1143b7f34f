import VigilCore

/// The per-VM history kept in the VM's own row, so an import appends to it instead of maintaining two more
/// B-tree indexes keyed by VM (a million scattered index inserts per million events):
/// `vms.records` packs the sequence numbers of the log records naming the VM, `vms.past` its closed
/// placement intervals. Both are append-only byte strings; SQLite concatenates them on upsert.
enum VMHistoryCodec {
    /// Sequence numbers as 8-byte little-endian integers.
    static func packSeqs(_ seqs: [Int64]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(seqs.count * 8)
        for s in seqs { append(s, to: &out) }
        return out
    }

    static func unpackSeqs(_ bytes: [UInt8]) -> [Int64] {
        stride(from: 0, to: bytes.count - 7, by: 8).map { int64(bytes, at: $0) }
    }

    /// Closed intervals as `[u16 length][name UTF-8][i64 start][i64 end][u8 baseline]`, where the name is the
    /// host (a VM's `vms.past`) or the VM (a host's chunk in `host_intervals`).
    static func packIntervals(
        _ intervals: [PlacementInterval], naming name: KeyPath<PlacementInterval, String> = \.host
    )
        -> [UInt8]
    {
        var out: [UInt8] = []
        for i in intervals {
            let bytes = Array(i[keyPath: name].utf8)
            out.append(UInt8(bytes.count & 0xff))
            out.append(UInt8(bytes.count >> 8))
            out += bytes
            append(i.start, to: &out)
            append(i.end ?? 0, to: &out)
            out.append(i.baseline ? 1 : 0)
        }
        return out
    }

    /// Decodes a VM's `vms.past`; throws on a truncated or corrupt value.
    static func unpackIntervals(_ bytes: [UInt8], vm: String) throws -> [PlacementInterval] {
        try unpack(bytes, owner: "vms.past of \(vm)") {
            PlacementInterval(vm: vm, host: $0, start: $1, end: $2, baseline: $3)
        }
    }

    /// Decodes a host's chunk of `host_intervals`; throws on a truncated or corrupt value.
    static func unpackIntervals(_ bytes: [UInt8], host: String) throws -> [PlacementInterval] {
        try unpack(bytes, owner: "host_intervals of \(host)") {
            PlacementInterval(vm: $0, host: host, start: $1, end: $2, baseline: $3)
        }
    }

    static func unpack(
        _ bytes: [UInt8], owner: String, _ make: (String, Timestamp, Timestamp, Bool) -> PlacementInterval
    ) throws -> [PlacementInterval] {
        var out: [PlacementInterval] = []
        var k = 0
        while k < bytes.count {
            guard k + 2 <= bytes.count else { throw StoreError("\(owner) is corrupt at byte \(k)") }
            let n = Int(bytes[k]) | Int(bytes[k + 1]) << 8
            k += 2
            guard k + n + 17 <= bytes.count else { throw StoreError("\(owner) is corrupt at byte \(k)") }
            let name = String(decoding: bytes[k..<(k + n)], as: UTF8.self)
            k += n
            out.append(make(name, int64(bytes, at: k), int64(bytes, at: k + 8), bytes[k + 16] != 0))
            k += 17
        }
        return out
    }

    static func append(_ v: Int64, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    static func int64(_ bytes: [UInt8], at k: Int) -> Int64 {
        bytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: k, as: Int64.self)) }
    }
}
