#!/usr/bin/env python3
"""Exact remediation optimum with OR-Tools CP-SAT (peer of `vigil bench policy`, B2).

Reads Vigil's repair model: for each placed VM the hosts it may end on, pairs of VMs that may not share a
host, neighbour maxima and capacities. Minimises the number of VMs that end away from their current host
subject to every hard constraint. Prints {"moves": n, "status": ...}. Needs `pip install ortools`.
"""
import json
import sys

from ortools.sat.python import cp_model


def main():
    with open(sys.argv[1]) as f:
        m = json.load(f)
    hosts, vms = m["hosts"], m["vms"]
    model = cp_model.CpModel()
    x = {}
    for i, vm in enumerate(vms):
        for h in vm["allowed"]:
            x[i, h] = model.NewBoolVar(f"x{i}_{h}")
        model.AddExactlyOne(x[i, h] for h in vm["allowed"])
    for h, host in enumerate(hosts):
        on = [(i, x[i, h]) for i in range(len(vms)) if (i, h) in x]
        model.Add(sum(vms[i]["vcpus"] * b for i, b in on) <= host["vcpus"])
        model.Add(sum(vms[i]["memoryMiB"] * b for i, b in on) <= host["memoryMiB"])
        for i, b in on:
            limit = vms[i]["maxNeighbours"]
            if limit is not None:
                others = [c for j, c in on if j != i]
                model.Add(sum(others) <= limit).OnlyEnforceIf(b)
    for i, j in m["conflicts"]:
        for h in set(vms[i]["allowed"]) & set(vms[j]["allowed"]):
            model.AddBoolOr([x[i, h].Not(), x[j, h].Not()])
    moved = []
    for i, vm in enumerate(vms):
        cur = vm["current"]
        moved.append(1 - x[i, cur] if (i, cur) in x else 1)
    model.Minimize(sum(moved))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60
    solver.parameters.num_workers = 2
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        print(json.dumps({"status": solver.StatusName(status)}))
        sys.exit(1)
    print(json.dumps({"moves": int(round(solver.ObjectiveValue())), "status": solver.StatusName(status)}))


if __name__ == "__main__":
    main()
