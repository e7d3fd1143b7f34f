/// The outcome of one online placement request: the host the scheduler picks (the top of the ranking that
/// `Placer.place` lists in full) and how many hosts were feasible.
public struct PlacementDecision: Sendable, Hashable {
    public var vm: Int32
    /// The best feasible host (fewest soft violations, then lowest load, then host id); nil when none is.
    public var host: Int32?
    public var feasibleHosts: Int
    /// Soft violations and load score of the chosen host (0 when none).
    public var softViolations: Int
    public var score: Double
}
