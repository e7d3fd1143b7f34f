import VigilCore
import VigilDrivers
import VigilIngest

/// Which hypervisor driver carries actions out (DESIGN §4, §9), chosen by configuration. Without a hypervisor
/// connection it is the built-in simulator, holding the CMDB's placement.
public struct DriverConfiguration: Sendable {
    /// Steps the simulator fails once each: a test configuration (`simulator: {failNext: […]}`).
    public var simulatorFailNext: [DriverStep]
    /// A driver to use instead of building one (tests hand in a driver holding a prepared state).
    public var given: (any HypervisorDriver)?

    /// How long a simulated migration takes.
    public var simulatorMigration: Duration

    public init(
        simulatorFailNext: [DriverStep] = [], simulatorMigration: Duration = .zero, given: (any HypervisorDriver)? = nil
    ) {
        self.simulatorFailNext = simulatorFailNext
        self.simulatorMigration = simulatorMigration
        self.given = given
    }

    /// The driver choice a configuration document makes.
    public init(_ configuration: VigilConfiguration) {
        self.init(
            simulatorFailNext: configuration.simulatorFailNext.compactMap(DriverStep.init(rawValue:)),
            simulatorMigration: .milliseconds(configuration.simulatorMigrationMillis))
    }

    /// The driver for a session that starts from `cmdb` at `now`.
    public func makeDriver(for cmdb: Cmdb, now: Timestamp) async -> any HypervisorDriver {
        if let given { return given }
        let driver = SimulatedDriver(inventory: cmdb.inventory, migrationDuration: simulatorMigration, now: { now })
        for step in simulatorFailNext { await driver.failNext(step) }
        return driver
    }
}

extension Cmdb {
    /// The CMDB as an inventory (hosts and VMs by id), e.g. to start a simulator holding it.
    var inventory: Inventory {
        Inventory(
            sites: Array(sites.values), networks: Array(networks.values), hosts: hosts.values.sorted { $0.id < $1.id },
            tenants: Array(tenants.values), vms: vms.values.sorted { $0.id < $1.id })
    }
}
