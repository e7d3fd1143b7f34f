/// A time range [from, to) during which two VMs shared a host (or a VM sat on a host).
public struct TimeRange: Sendable, Hashable {
    public var from: Timestamp
    public var to: Timestamp

    public init(from: Timestamp, to: Timestamp) {
        self.from = from
        self.to = to
    }
}

/// One exposed VM on one host with the overlapping time ranges, clipped to the window.
public struct ExposureEntry: Sendable, Hashable {
    public var vm: String
    public var host: String
    public var intervals: [TimeRange]

    public init(vm: String, host: String, intervals: [TimeRange]) {
        self.vm = vm
        self.host = host
        self.intervals = intervals
    }
}

/// Raw overlap found by an exposure query, before grouping (`vm`, `host` are dense indexes).
public struct ExposureHit: Sendable, Hashable {
    public var vm: Int32
    public var host: Int32
    public var from: Timestamp
    public var to: Timestamp
}

/// Groups overlaps per (vm, host), sorted by vm then host then time, merging ranges that touch.
public enum ExposureGrouping {
    /// Groups string-keyed overlaps; `(vm, host, range)` in any order.
    public static func group(_ hits: [(vm: String, host: String, range: TimeRange)]) -> [ExposureEntry] {
        let sorted = hits.sorted {
            ($0.vm, $0.host, $0.range.from, $0.range.to) < ($1.vm, $1.host, $1.range.from, $1.range.to)
        }
        var out: [ExposureEntry] = []
        for h in sorted {
            if var last = out.last, last.vm == h.vm, last.host == h.host {
                if var r = last.intervals.last, h.range.from <= r.to {
                    r.to = max(r.to, h.range.to)
                    last.intervals[last.intervals.count - 1] = r
                } else {
                    last.intervals.append(h.range)
                }
                out[out.count - 1] = last
            } else {
                out.append(ExposureEntry(vm: h.vm, host: h.host, intervals: [h.range]))
            }
        }
        return out
    }
}
