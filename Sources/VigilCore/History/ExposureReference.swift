/// The exposure semantics of DESIGN §3 written straight, with no index: the oracle for `IntervalIndex`.
public enum ExposureReference {
    /// Every other VM sharing a host with `vm` for a non-empty time inside [since, until).
    public static func exposure(
        of vm: String, in intervals: [PlacementInterval], since: Timestamp, until: Timestamp
    ) -> [ExposureEntry] {
        var hits: [(vm: String, host: String, range: TimeRange)] = []
        for a in intervals where a.vm == vm {
            let s = max(a.start, since)
            let e = min(a.end ?? Int64.max, until)
            if s >= e { continue }
            for b in intervals where b.host == a.host && b.vm != vm {
                let from = max(s, b.start)
                let to = min(e, b.end ?? Int64.max)
                if from < to { hits.append((b.vm, b.host, TimeRange(from: from, to: to))) }
            }
        }
        return ExposureGrouping.group(hits)
    }

    /// Every VM placed on `host` inside [since, until).
    public static func exposure(
        ofHost host: String, in intervals: [PlacementInterval], since: Timestamp, until: Timestamp
    ) -> [ExposureEntry] {
        var hits: [(vm: String, host: String, range: TimeRange)] = []
        for b in intervals where b.host == host {
            let from = max(since, b.start)
            let to = min(until, b.end ?? Int64.max)
            if from < to { hits.append((b.vm, b.host, TimeRange(from: from, to: to))) }
        }
        return ExposureGrouping.group(hits)
    }
}
