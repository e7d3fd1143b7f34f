/// The outcome of one online placement request: the host the scheduler picks (the top of the ranking that
/// `Placer.place` lists in full) and how many hosts were feasible.
public struct PlacementDecision: Sendable, Hashable {
    /// The VM placed (dense index in the world).
    public var vm: Int32
    /// The best feasible host (fewest soft violations, then lowest load, then host id); nil when none is.
    public var host: Int32?
    /// How many hosts could take the VM.
    public var feasibleHosts: Int
    /// Soft violations of the chosen host (0 when none).
    public var softViolations: Int
    /// Load score of the chosen host (0 when none).
    public var score: Double
}
