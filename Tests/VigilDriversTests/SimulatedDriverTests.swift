import Testing
import VigilCore
import VigilDrivers

@Suite struct SimulatedDriverTests {
    static func host(_ id: String) -> Host {
        Host(
            id: id, site: "muc-1", networks: ["dmz-a"],
            hypervisor: Hypervisor(product: "kvm", version: Version("8.2")!, virtualization: "hvm"),
            capacity: Resources(vcpus: 64, memoryMiB: 262_144))
    }

    static func vm(_ id: String, host: String?, nics: Int) -> VM {
        VM(
            id: id, tenant: "acme", environment: "production", securityLevel: 3,
            resources: Resources(vcpus: 2, memoryMiB: 4096), template: Template(id: "ubuntu", patchLevel: "2026.10"),
            nics: (0..<nics).map {
                NIC(mac: "52:54:00:00:\(id.suffix(1)):0\($0)", ip: "10.0.\($0).\(id.suffix(1))", network: "dmz-a")
            },
            host: host)
    }

    /// h-1 runs vm-1 (two NICs) and vm-2; h-2 runs vm-4 (no NICs); vm-3 is not placed; h-3 is empty.
    static let inventory = Inventory(
        hosts: [host("h-1"), host("h-2"), host("h-3")],
        vms: [
            vm("vm-1", host: "h-1", nics: 2), vm("vm-2", host: "h-1", nics: 1), vm("vm-3", host: nil, nics: 1),
            vm("vm-4", host: "h-2", nics: 0),
        ])

    static let rules1 = AntiSpoofRule.rules(for: inventory.vms[0])
    static let rules2 = AntiSpoofRule.rules(for: inventory.vms[1])
    static let octoberFirst: Timestamp = 1_790_856_000

    static func driver(migrationDuration: Duration = .zero) -> SimulatedDriver {
        SimulatedDriver(inventory: inventory, migrationDuration: migrationDuration, now: { octoberFirst })
    }

    @Test func placedVMsStartWithTheirRulesOnTheirHost() async {
        let d = Self.driver()
        #expect(Self.rules1.count == 2)
        #expect(await d.filters(on: "h-1") == Self.rules1 + Self.rules2)
        #expect(await d.filters(on: "h-2") == [])
        #expect(await d.filters(on: "h-3") == [])
        #expect(await d.host(of: "vm-1") == "h-1")
        #expect(await d.host(of: "vm-3") == nil)
        #expect(await d.host(of: "vm-9") == nil)
    }

    @Test func successfulMigrationMovesVMAndRulesAndEmitsEvent() async {
        let d = Self.driver()
        let outcome = await runMigration(vm: "vm-1", from: "h-1", to: "h-3", rules: Self.rules1, driver: d)
        #expect(outcome == .done)
        #expect(await d.host(of: "vm-1") == "h-3")
        #expect(await d.filters(on: "h-3") == Self.rules1)
        #expect(await d.filters(on: "h-1") == Self.rules2)
        #expect(await d.inventory().vms.map(\.host) == ["h-3", "h-1", nil, "h-2"])
        var events = d.events().makeAsyncIterator()
        #expect(
            await events.next() == Event(time: Self.octoberFirst, body: .migrated(vm: "vm-1", from: "h-1", to: "h-3")))
    }

    @Test func migrationWithSimulatedDurationCompletes() async {
        let d = Self.driver(migrationDuration: .milliseconds(5))
        #expect(await runMigration(vm: "vm-2", from: "h-1", to: "h-2", rules: Self.rules2, driver: d) == .done)
        #expect(await d.host(of: "vm-2") == "h-2")
        #expect(await d.filters(on: "h-2") == Self.rules2)
    }

    @Test func injectedMigrateFailureRollsBack() async {
        let d = Self.driver()
        await d.failNext(.migrate)
        let outcome = await runMigration(vm: "vm-1", from: "h-1", to: "h-3", rules: Self.rules1, driver: d)
        #expect(outcome == .rolledBack(reason: DriverError.injectedFailure(.migrate).description))
        #expect(await d.host(of: "vm-1") == "h-1")
        #expect(await d.filters(on: "h-3") == [])
        #expect(await d.filters(on: "h-1") == Self.rules1 + Self.rules2)
        // The failure was used up: the next attempt succeeds.
        #expect(await runMigration(vm: "vm-1", from: "h-1", to: "h-3", rules: Self.rules1, driver: d) == .done)
    }

    @Test func injectedApplyFilterFailureChangesNothing() async {
        let d = Self.driver()
        await d.failNext(.applyFilter)
        let outcome = await runMigration(vm: "vm-1", from: "h-1", to: "h-3", rules: Self.rules1, driver: d)
        #expect(
            outcome
                == .failed(
                    reason: "injected failure of step applyFilter (SimulatedDriver.failNext); nothing was changed"))
        #expect(await d.host(of: "vm-1") == "h-1")
        #expect(await d.filters(on: "h-1") == Self.rules1 + Self.rules2)
        #expect(await d.filters(on: "h-3") == [])
    }

    @Test func sourceCleanupFailureLeavesVMMovedAndReportsLeftover() async throws {
        let d = Self.driver()
        await d.failNext(.removeFilter)
        let outcome = await runMigration(vm: "vm-1", from: "h-1", to: "h-3", rules: Self.rules1, driver: d)
        let leftover = LeftoverFilters(
            host: "h-1", vm: "vm-1", reason: DriverError.injectedFailure(.removeFilter).description)
        #expect(outcome == .doneWithLeftoverFilters(leftover))
        #expect(await d.host(of: "vm-1") == "h-3")
        #expect(await d.filters(on: "h-3") == Self.rules1)
        #expect(await d.filters(on: "h-1") == Self.rules1 + Self.rules2)
        try await d.removeFilter(host: leftover.host, vm: leftover.vm)
        #expect(await d.filters(on: "h-1") == Self.rules2)
    }

    @Test func rollbackCleanupFailureReportsLeftoverOnTarget() async {
        let d = Self.driver()
        await d.failNext(.migrate)
        await d.failNext(.removeFilter)
        let outcome = await runMigration(vm: "vm-1", from: "h-1", to: "h-3", rules: Self.rules1, driver: d)
        let injected = DriverError.injectedFailure(.removeFilter).description
        #expect(
            outcome
                == .rolledBackWithLeftoverFilters(
                    reason: DriverError.injectedFailure(.migrate).description,
                    LeftoverFilters(host: "h-3", vm: "vm-1", reason: injected)))
        #expect(await d.host(of: "vm-1") == "h-1")
        #expect(await d.filters(on: "h-3") == Self.rules1)
    }

    @Test func migrationWithoutTheVMsRulesIsRefusedAndRolledBack() async {
        let d = Self.driver()
        let outcome = await runMigration(vm: "vm-1", from: "h-1", to: "h-3", rules: [Self.rules1[0]], driver: d)
        #expect(
            outcome
                == .rolledBack(
                    reason: "h-3 lacks the anti-spoofing rules of vm-1; apply them (applyFilter) before migrating"))
        #expect(await d.host(of: "vm-1") == "h-1")
        #expect(await d.filters(on: "h-3") == [])
    }

    @Test func vmWithoutNICsMigratesWithAnEmptyRuleSet() async {
        let d = Self.driver()
        #expect(await runMigration(vm: "vm-4", from: "h-2", to: "h-3", rules: [], driver: d) == .done)
        #expect(await d.host(of: "vm-4") == "h-3")
        #expect(await d.filters(on: "h-3") == [])
    }

    @Test(arguments: [
        ("vm-9", "h-1", "h-3", DriverError.vmUnknown("vm-9")),
        ("vm-1", "h-9", "h-3", .hostUnknown("h-9")),
        ("vm-1", "h-1", "h-9", .hostUnknown("h-9")),
        ("vm-1", "h-1", "h-1", .sameHost(vm: "vm-1", host: "h-1")),
        ("vm-1", "h-2", "h-3", .vmNotOnHost(vm: "vm-1", host: "h-2", actual: "h-1")),
        ("vm-3", "h-1", "h-3", .vmNotOnHost(vm: "vm-3", host: "h-1", actual: nil)),
        ("vm-1", "h-1", "h-3", .filtersMissing(vm: "vm-1", host: "h-3")),
    ])
    func migrateRejects(vm: String, from: String, to: String, error: DriverError) async {
        let d = Self.driver()
        await #expect(throws: error) { try await d.migrate(vm: vm, from: from, to: to) }
        #expect(await d.host(of: "vm-1") == "h-1")
    }

    @Test func invalidRequestsFailTheRunnerBeforeAnyStep() async {
        let d = Self.driver()
        await d.failNext(.applyFilter)
        let outcome = await runMigration(vm: "vm-1", from: "h-1", to: "h-1", rules: Self.rules1, driver: d)
        #expect(outcome == .failed(reason: "vm-1 would migrate from h-1 to itself; choose a different target host"))
        // No step ran, so the injected failure is still pending.
        await #expect(throws: DriverError.injectedFailure(.applyFilter)) {
            try await d.applyFilter(host: "h-3", rules: Self.rules1)
        }
    }

    @Test func unknownVMAndHostFailTheRunner() async {
        let d = Self.driver()
        let unknownVM = AntiSpoofRule(vm: "vm-9", interface: "vg0-0", mac: "52:54:00:00:09:00", ips: ["10.9.9.9"])
        #expect(
            await runMigration(vm: "vm-9", from: "h-1", to: "h-3", rules: [unknownVM], driver: d)
                == .failed(
                    reason:
                        "unknown VM \"vm-9\": the hypervisor does not know it; check the id or refresh the inventory"))
        #expect(
            await runMigration(vm: "vm-1", from: "h-1", to: "h-9", rules: Self.rules1, driver: d)
                == .failed(
                    reason:
                        "unknown host \"h-9\": the hypervisor does not manage it; check the id or refresh the inventory"
                ))
    }

    @Test func filterCallsRejectUnknownsAndProtectRunningVMs() async throws {
        let d = Self.driver()
        await #expect(throws: DriverError.hostUnknown("h-9")) {
            try await d.applyFilter(host: "h-9", rules: Self.rules1)
        }
        await #expect(throws: DriverError.vmUnknown("vm-9")) {
            try await d.applyFilter(host: "h-3", rules: [AntiSpoofRule(vm: "vm-9", interface: "i", mac: "m", ips: [])])
        }
        await #expect(throws: DriverError.hostUnknown("h-9")) { try await d.removeFilter(host: "h-9", vm: "vm-1") }
        await #expect(throws: DriverError.vmRunsOnHost(vm: "vm-1", host: "h-1")) {
            try await d.removeFilter(host: "h-1", vm: "vm-1")
        }
        #expect(await d.filters(on: "h-1") == Self.rules1 + Self.rules2)
        // Removal is idempotent; applying replaces a VM's rules on the host.
        try await d.removeFilter(host: "h-3", vm: "vm-1")
        try await d.removeFilter(host: "h-3", vm: "vm-9")
        try await d.applyFilter(host: "h-3", rules: Self.rules1)
        try await d.applyFilter(host: "h-3", rules: [Self.rules1[1]])
        #expect(await d.filters(on: "h-3") == [Self.rules1[1]])
    }

    @Test func snapshotIsRecordedWithDeterministicDigest() async {
        let d = Self.driver()
        let outcome = await runSnapshot(vm: "vm-1", driver: d)
        let digest = SimulatedDriver.syntheticDigest(vm: "vm-1", sequence: 1)
        #expect(outcome == .recorded(SnapshotRecord(vm: "vm-1", snapshotID: "vm-1-snap-1", digest: digest)))
        #expect(digest.count == 64)
        #expect(SnapshotStateMachine.isSHA256Hex(digest))
        #expect(digest == "bfb0fade7ea9da01b1eac2190533f46282063f755acd318c2e7993249ccb0f33")
        // A fresh driver gives the same first snapshot; the next one of the VM, and other VMs, differ.
        #expect(await runSnapshot(vm: "vm-1", driver: Self.driver()) == outcome)
        let second = await runSnapshot(vm: "vm-1", driver: d)
        let secondRecord = SnapshotRecord(
            vm: "vm-1", snapshotID: "vm-1-snap-2", digest: SimulatedDriver.syntheticDigest(vm: "vm-1", sequence: 2))
        #expect(second == .recorded(secondRecord))
        #expect(secondRecord.digest != digest)
        #expect(SimulatedDriver.syntheticDigest(vm: "vm-2", sequence: 1) != digest)
    }

    @Test func snapshotRecordsThroughTheGivenStore() async {
        let d = Self.driver()
        let store = RecordStore()
        let outcome = await runSnapshot(vm: "vm-2", driver: d) { await store.append($0) }
        guard case .recorded(let record) = outcome else {
            Issue.record("expected a recorded snapshot, got \(outcome)")
            return
        }
        #expect(await store.records == [record])
    }

    @Test func snapshotFailuresAreOutcomes() async {
        let d = Self.driver()
        #expect(
            await runSnapshot(vm: "vm-9", driver: d)
                == .failed(reason: DriverError.vmUnknown("vm-9").description))
        #expect(
            await runSnapshot(vm: "vm-3", driver: d)
                == .failed(reason: "vm-3 runs on no host; only a placed VM can be snapshotted from outside"))
        await d.failNext(.snapshot)
        #expect(
            await runSnapshot(vm: "vm-1", driver: d)
                == .failed(reason: DriverError.injectedFailure(.snapshot).description))
        struct DiskFull: Error {}
        #expect(
            await runSnapshot(vm: "vm-1", driver: d) { _ in throw DiskFull() }
                == .failed(reason: "recording vm-1-snap-1 failed: DiskFull()"))
    }

    /// Every error: its stable code and the exact message, which says what to do.
    @Test(arguments: [
        (
            DriverError.vmUnknown("vm-9"), "driver.vm-unknown",
            "unknown VM \"vm-9\": the hypervisor does not know it; check the id or refresh the inventory"
        ),
        (
            .hostUnknown("h-9"), "driver.host-unknown",
            "unknown host \"h-9\": the hypervisor does not manage it; check the id or refresh the inventory"
        ),
        (
            .vmNotOnHost(vm: "vm-1", host: "h-2", actual: "h-1"), "driver.vm-not-on-host",
            "vm-1 does not run on h-2 but on h-1; refresh the inventory and plan again"
        ),
        (
            .vmNotOnHost(vm: "v", host: "h", actual: nil), "driver.vm-not-on-host",
            "v does not run on h but on no host; refresh the inventory and plan again"
        ),
        (
            .vmNotPlaced("v"), "driver.vm-not-placed",
            "v runs on no host; only a placed VM can be snapshotted from outside"
        ),
        (.sameHost(vm: "v", host: "h"), "driver.same-host", "v already runs on h; choose a different target host"),
        (
            .filtersMissing(vm: "v", host: "h"), "driver.filters-missing",
            "h lacks the anti-spoofing rules of v; apply them (applyFilter) before migrating"
        ),
        (
            .vmRunsOnHost(vm: "vm-1", host: "h-1"), "driver.vm-runs-on-host",
            "vm-1 still runs on h-1; removing its anti-spoofing rules would leave it unfiltered, migrate it first"
        ),
        (
            .injectedFailure(.migrate), "driver.injected-failure",
            "injected failure of step migrate (SimulatedDriver.failNext); nothing was changed"
        ),
        (
            .cancelled(.migrate), "driver.cancelled",
            "step migrate was cancelled before it took effect; nothing was changed"
        ),
        (
            .backend(step: .snapshot, message: "timeout"), "driver.backend",
            "hypervisor error during snapshot: timeout"
        ),
    ])
    func errorCodesAndMessages(error: DriverError, code: String, message: String) {
        #expect(error.code == code)
        #expect(error.description == message)
    }
}

/// Collects snapshot records the way a store would.
actor RecordStore {
    var records: [SnapshotRecord] = []
    func append(_ record: SnapshotRecord) { records.append(record) }
}
