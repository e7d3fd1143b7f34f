/// Exports of a world for the side-by-side peers of `vigil bench policy` (bench/peers/).
extension PolicyWorld {
    func str(_ id: Int32) -> String { interner.strings[Int(id)] }

    func labels(_ l: [Int32: Int32]) -> JSONValue {
        .object(l.map { (str($0.key), JSONValue.string(str($0.value))) }.sorted { $0.0 < $1.0 })
    }

    /// The raw instance for the Nova-style filter-and-weigh peer: hosts, VMs and the policy document; the peer
    /// evaluates every rule itself.
    public func placementPeerInstance(policies: PolicySet, requests: [Int32]) -> JSONValue {
        let hostsJSON: [JSONValue] = hosts.indices.map { i in
            let h = hosts[i]
            return .object([
                ("id", .string(h.id)), ("tier", .int(Int64(h.tier))), ("jurisdiction", .string(str(h.jurisdiction))),
                ("zones", .strings(h.zones.map(str))), ("networks", .strings(h.networks.map(str).sorted())),
                ("product", .string(str(h.product))), ("version", .string(h.version.text)),
                ("virtualization", .string(str(h.virtualization))), ("maxCvss", .double(h.maxCvss)),
                ("vcpus", .int(Int64(h.capacity.vcpus))), ("memoryMiB", .int(Int64(h.capacity.memoryMiB))),
                ("role", .string(h.role.rawValue)), ("state", .string(h.state.rawValue)),
                ("vms", .array(vmsOn[i].map { .int(Int64($0)) })),
            ])
        }
        let vmsJSON: [JSONValue] = vms.indices.map { i in
            let v = vms[i]
            return .object([
                ("id", .string(v.id)), ("tenant", .string(str(v.tenant))), ("environment", .string(str(v.environment))),
                ("securityLevel", .int(Int64(v.securityLevel))), ("vcpus", .int(Int64(v.resources.vcpus))),
                ("memoryMiB", .int(Int64(v.resources.memoryMiB))), ("networks", .strings(v.networks.map(str))),
                ("labels", labels(v.labels)), ("tenantLabels", labels(v.tenantLabels)),
                ("state", .string(v.state.rawValue)),
                ("host", .int(Int64(hostOf[i]))), ("incidents", .array(incidents[i].map { .int($0) })),
                (
                    "coResidencies",
                    .array(
                        coResidencies[i].sorted { $0.key < $1.key }.map {
                            .array([.int(Int64($0.key)), .int($0.value)])
                        })
                ),
            ])
        }
        return .object([
            ("now", .int(now)), ("hosts", .array(hostsJSON)), ("vms", .array(vmsJSON)),
            ("policies", DocumentEncoder.policies(policies)), ("requests", .array(requests.map { .int(Int64($0)) })),
        ])
    }

    /// The end-state repair model for the CP-SAT peer: for each placed VM the hosts it may end on (host rules,
    /// base constraints), pairs that may not share a host (forbid, minSecurityLevel, maxIncidents, both ways),
    /// neighbour maxima and capacities. The peer minimises the number of VMs not on their current host.
    public func repairModel() -> JSONValue {
        let cache = HostVerdictCache(self)
        let placed = (0..<Int32(vmCount)).filter { hostOf[Int($0)] >= 0 }
        var allowed: [JSONValue] = []
        var maxima: [JSONValue] = []
        for v in placed {
            var ok: [JSONValue] = []
            for h in 0..<Int32(hostCount) {
                let here = h == hostOf[Int(v)]
                if !here && !HostStateRule.acceptsNewVMs(host: h, world: self) { continue }
                if HostStateRule.check(host: h, world: self) != nil { continue }
                if RoleRule.check(vm: v, host: h, world: self) != nil { continue }
                if NetworkAttachmentRule.check(vm: v, host: h, world: self) != nil { continue }
                let hostRulesHold = binding[Int(v)].allSatisfy { p in
                    policies[Int(p)].enforcement == .soft || cache.firstFail[Int(p)][Int(h)] < 0
                }
                if hostRulesHold { ok.append(.int(Int64(h))) }
            }
            allowed.append(.array(ok))
            let m = binding[Int(v)].filter { policies[Int($0)].enforcement == .hard }.flatMap {
                policies[Int($0)].rules
            }
            .compactMap { r -> Int? in if case .maxNeighbours(let x) = r.kind { x } else { nil } }.min()
            maxima.append(m.map { .int(Int64($0)) } ?? .null)
        }
        var conflicts: [JSONValue] = []
        for (i, u) in placed.enumerated() {
            for (j, v) in placed.enumerated() where j > i {
                if rejects(u, v) || rejects(v, u) { conflicts.append(.array([.int(Int64(i)), .int(Int64(j))])) }
            }
        }
        return .object([
            (
                "hosts",
                .array(
                    hosts.map {
                        .object([
                            ("vcpus", .int(Int64($0.capacity.vcpus))),
                            ("memoryMiB", .int(Int64($0.capacity.memoryMiB))),
                        ])
                    })
            ),
            (
                "vms",
                .array(
                    placed.enumerated().map { i, v in
                        .object([
                            ("current", .int(Int64(hostOf[Int(v)]))),
                            ("vcpus", .int(Int64(vms[Int(v)].resources.vcpus))),
                            ("memoryMiB", .int(Int64(vms[Int(v)].resources.memoryMiB))), ("allowed", allowed[i]),
                            ("maxNeighbours", maxima[i]),
                        ])
                    })
            ),
            ("conflicts", .array(conflicts)),
        ])
    }

    /// Whether a hard neighbour rule binding `u` rejects `c` as a neighbour (max excepted).
    func rejects(_ u: Int32, _ c: Int32) -> Bool {
        for p in binding[Int(u)] where policies[Int(p)].enforcement == .hard {
            for r in policies[Int(p)].rules {
                switch r.kind {
                case .forbid, .minSecurityLevel, .maxIncidents:
                    if r.joinBreaks(bound: u, joining: c, neighboursBefore: 0, world: self) { return true }
                default: break
                }
            }
        }
        return false
    }
}
