#!/usr/bin/env python3
"""Nova-style filter-and-weigh scheduler for Vigil's placement rules (peer of `vigil bench policy`, B1).

Reads the instance Vigil exports (hosts, VMs, the PolicySet document), then for each request runs every host
through a chain of filters (base constraints, then each hard rule of each policy binding the VM, then the
rules of the VMs already on the host) and weighs the survivors (soft violations, then load), like OpenStack
Nova's FilterScheduler. Prints {"requestsPerSecond", "feasible": [count per request]}.
"""
import json
import sys
import time


def version_key(text):
    out = []
    for part in text.split("."):
        if part.isdigit():
            out.append((0, int(part), ""))
        else:
            i = 0
            while i < len(part) and part[i].isdigit():
                i += 1
            if i > 0:
                out.append((1, int(part[:i]), part[i:]))
            else:
                out.append((2, 0, part))
    while len(out) > 1 and out[-1] == (0, 0, ""):
        out.pop()
    return out


def version_cmp(a, b):
    ka, kb = version_key(a), version_key(b)
    n = max(len(ka), len(kb))
    for i in range(n):
        x = ka[i] if i < len(ka) else (0, 0, "")
        y = kb[i] if i < len(kb) else (0, 0, "")
        if x[0] == 1 and y[0] == 0:
            c = -1 if x[1] < y[1] else 1
        elif x[0] == 0 and y[0] == 1:
            c = -1 if x[1] <= y[1] else 1
        elif x[0] != y[0]:
            c = -1 if x[0] < y[0] else 1
        else:
            c = (x > y) - (x < y)
        if c:
            return c
    return 0


def parse_duration(text):
    return int(text[:-1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[text[-1]]


def field_match(spec, value, own):
    if isinstance(spec, list):
        return value is not None and value in spec
    if spec == "self":
        return value is not None and value == own
    if spec == "!self":
        return value != own
    if spec.startswith("!"):
        return value != spec[1:]
    return value == spec


def selects(sel, vm, own):
    if sel is None:
        return True
    if "id" in sel and not field_match(sel["id"], vm["id"], own["id"]):
        return False
    if "tenant" in sel and not field_match(sel["tenant"], vm["tenant"], own["tenant"]):
        return False
    if "environment" in sel and not field_match(sel["environment"], vm["environment"], own["environment"]):
        return False
    for k, spec in sel.get("labels", {}).items():
        if not field_match(spec, vm["labels"].get(k), own["labels"].get(k)):
            return False
    for k, spec in sel.get("tenantLabels", {}).items():
        if not field_match(spec, vm["tenantLabels"].get(k), own["tenantLabels"].get(k)):
            return False
    return True


class Scheduler:
    def __init__(self, inst):
        self.now = inst["now"]
        self.hosts = inst["hosts"]
        self.vms = inst["vms"]
        self.policies = inst["policies"]["policies"]
        for p in self.policies:
            n = p["rules"].get("neighbours", {})
            for key in ("maxIncidents", "maxNew"):
                if key in n:
                    n[key]["seconds"] = parse_duration(n[key]["within"])
        self.binding = [[p for p in self.policies if selects(p.get("selector"), vm, vm)] for vm in self.vms]
        self.used = []
        for h in self.hosts:
            self.used.append((sum(self.vms[v]["vcpus"] for v in h["vms"]), sum(self.vms[v]["memoryMiB"] for v in h["vms"])))

    def incidents(self, v, within):
        return sum(1 for t in self.vms[v]["incidents"] if self.now - within < t <= self.now)

    def fresh(self, v, within):
        return {u for u, b in self.vms[v]["coResidencies"] if self.now - within < b <= self.now}

    # --- filters: each returns True when the host passes ---
    def host_rule(self, rule, params, h):
        host = self.hosts[h]
        if rule == "minTier":
            return host["tier"] >= params
        if rule == "jurisdictions":
            return host["jurisdiction"] in params
        if rule == "zones":
            return all(z in params for z in host["zones"])
        if rule == "products":
            return host["product"] in params
        if rule == "virtualization":
            return host["virtualization"] in params
        if rule == "minVersion":
            m = params.get(host["product"])
            return m is None or version_cmp(host["version"], m) >= 0
        if rule == "maxCvss":
            return host["maxCvss"] <= params
        return True

    def own_rules(self, p):
        r = p["rules"]
        out = []
        for k in ("minTier", "jurisdictions"):
            if k in r.get("site", {}):
                out.append((k, r["site"][k]))
        if "zones" in r.get("networks", {}):
            out.append(("zones", r["networks"]["zones"]))
        for k in ("products", "virtualization", "minVersion", "maxCvss"):
            if k in r.get("hypervisor", {}):
                out.append((k, r["hypervisor"][k]))
        for k in ("max", "forbid", "minSecurityLevel", "maxIncidents", "maxNew"):
            if k in r.get("neighbours", {}):
                out.append((k, r["neighbours"][k]))
        return out

    def neighbour_rule(self, rule, params, v, residents):
        vm = self.vms[v]
        if rule == "max":
            return len(residents) <= params
        if rule == "forbid":
            return not any(selects(s, self.vms[u], vm) for u in residents for s in params)
        if rule == "minSecurityLevel":
            return all(self.vms[u]["securityLevel"] >= params for u in residents)
        if rule == "maxIncidents":
            return all(self.incidents(u, params["seconds"]) <= params["count"] for u in residents)
        if rule == "maxNew":
            return len(self.fresh(v, params["seconds"]) | set(residents)) <= params["count"]
        return True

    def join_breaks(self, rule, params, u, c, before):
        if rule == "max":
            return before + 1 > params
        if rule == "forbid":
            return any(selects(s, self.vms[c], self.vms[u]) for s in params)
        if rule == "minSecurityLevel":
            return self.vms[c]["securityLevel"] < params
        if rule == "maxIncidents":
            return self.incidents(c, params["seconds"]) > params["count"]
        if rule == "maxNew":
            return len(self.fresh(u, params["seconds"]) | {c}) > params["count"]
        return False

    def schedule(self, v):
        vm = self.vms[v]
        weighed = []
        for h, host in enumerate(self.hosts):
            if h == vm["host"] or host["state"] != "active":
                continue
            if (vm["state"] == "quarantined") != (host["role"] == "quarantine"):
                continue
            uv, um = self.used[h]
            if uv + vm["vcpus"] > host["vcpus"] or um + vm["memoryMiB"] > host["memoryMiB"]:
                continue
            if not all(n in host["networks"] for n in vm["networks"]):
                continue
            residents = host["vms"]
            ok = True
            soft = 0
            for p in self.binding[v]:
                for rule, params in self.own_rules(p):
                    if rule in ("max", "forbid", "minSecurityLevel", "maxIncidents", "maxNew"):
                        holds = self.neighbour_rule(rule, params, v, residents)
                    else:
                        holds = self.host_rule(rule, params, h)
                    if not holds:
                        if p["enforcement"] == "hard":
                            ok = False
                            break
                        soft += 1
                if not ok:
                    break
            if not ok:
                continue
            for u in residents:
                for p in self.binding[u]:
                    if p["enforcement"] != "hard":
                        continue
                    for rule, params in self.own_rules(p):
                        if self.join_breaks(rule, params, u, v, len(residents) - 1):
                            ok = False
                            break
                    if not ok:
                        break
                if not ok:
                    break
            if not ok:
                continue
            load = max((uv + vm["vcpus"]) / host["vcpus"], (um + vm["memoryMiB"]) / host["memoryMiB"])
            weighed.append((soft, round(load, 4), host["id"]))
        weighed.sort()
        return weighed


def main():
    with open(sys.argv[1]) as f:
        inst = json.load(f)
    s = Scheduler(inst)
    start = time.perf_counter()
    feasible = [len(s.schedule(v)) for v in inst["requests"]]
    elapsed = time.perf_counter() - start
    print(json.dumps({"requestsPerSecond": len(feasible) / elapsed, "feasible": feasible}))


if __name__ == "__main__":
    main()
