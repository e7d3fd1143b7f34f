import Testing
import VigilCore

@Suite struct PlacementTrackerTests {
    func tracker() -> PlacementTracker {
        var t = PlacementTracker(tracks: [:], hosts: ["h1", "h2", "h3"])
        t.introduce(vm: "a", host: "h1", state: .running, at: 0, baseline: true)
        t.introduce(vm: "b", host: nil, state: .running, at: 0, baseline: true)
        return t
    }

    @Test func migrationsCloseAndOpenIntervals() throws {
        var t = tracker()
        try t.apply(Event(time: 10, body: .migrated(vm: "a", from: "h1", to: "h2")))
        try t.apply(Event(time: 20, body: .placed(vm: "b", host: "h2")))
        try t.apply(Event(time: 30, body: .stateChanged(vm: "a", state: .stopped)))
        try t.apply(Event(time: 40, body: .stateChanged(vm: "a", state: .running)))
        try t.apply(Event(time: 50, body: .removed(vm: "b")))
        #expect(
            t.closed == [
                PlacementInterval(vm: "a", host: "h1", start: 0, end: 10, baseline: true),
                PlacementInterval(vm: "a", host: "h2", start: 10, end: 30),
                PlacementInterval(vm: "b", host: "h2", start: 20, end: 50),
            ])
        #expect(t.openIntervalsOfTouched == [PlacementInterval(vm: "a", host: "h2", start: 40, end: nil)])
    }

    @Test(arguments: [
        (Event(time: -1, body: .migrated(vm: "a", from: "h1", to: "h2")), "older than a's last recorded event"),
        (Event(time: 5, body: .migrated(vm: "a", from: "h2", to: "h3")), "a is on h1, not on h2"),
        (Event(time: 5, body: .migrated(vm: "a", from: "h1", to: "h1")), "to itself"),
        (Event(time: 5, body: .migrated(vm: "a", from: "h1", to: "h9")), "unknown host \"h9\""),
        (Event(time: 5, body: .placed(vm: "a", host: "h2")), "already placed on h1"),
        (Event(time: 5, body: .placed(vm: "zz", host: "h2")), "unknown vm \"zz\""),
        (Event(time: 5, body: .removed(vm: "b")), "not placed"),
    ])
    func rejectsEventsThatDoNotFit(event: Event, message: String) {
        var t = tracker()
        let error = #expect(throws: HistoryError.self) { try t.apply(event) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }
}
