#!/usr/bin/env bash
# Two processes write one database at once (issue 9, item 2): one applies remediation plans (`plan --apply`,
# each run proposing changes), the other ingests Suricata alert streams whose playbooks take snapshots, open
# problem records and quarantine VMs through standard changes. Ids are allocated inside the writing
# transactions, so afterwards: every change and problem id is used exactly once with no gap, every change a
# process reported exists as it reported it, nothing is lost, and the hash chain is intact.
# Usage: Tests/concurrency/two-writers.sh path/to/vigil [rounds]
set -euo pipefail
VIGIL=${1:?usage: two-writers.sh path/to/vigil [rounds]}
ROUNDS=${2:-8}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/c.db"
cd "$(dirname "$0")/../.."
"$VIGIL" import --db "$DB" --at 2026-11-21T10:00:00Z examples/inventory.yaml examples/policies.yaml \
    examples/vulnerabilities.yaml examples/playbooks.yaml examples/events.jsonl >/dev/null
python3 - "$WORK" "$ROUNDS" <<'PY'
import json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
# Attackers (contain-vm: snapshot, quarantine, exposure) and victims (snapshot-victim: snapshot, exposure).
attackers = ["10.10.1.11", "10.10.2.21", "10.20.1.11", "10.10.1.41", "10.20.2.11", "10.10.2.51", "10.20.2.41",
             "10.10.1.51"]
victims = ["10.10.2.22", "10.10.1.12", "10.20.1.12", "10.10.2.61", "10.20.2.43", "10.10.2.35"]
for r in range(rounds):
    lines = []
    for k in range(3):
        sev, src, dst = (1, attackers[r % len(attackers)], "198.51.100.9") if k == 0 else \
            (2, "203.0.113.%d" % (r + 1), victims[(r + k) % len(victims)])
        lines.append(json.dumps({
            "timestamp": "2026-11-21T10:20:%02d.000000+0000" % (r * 3 + k), "flow_id": 900000 + r * 10 + k,
            "event_type": "alert", "src_ip": src, "src_port": 40000 + k, "dest_ip": dst, "dest_port": 443,
            "proto": "TCP", "alert": {"action": "allowed", "gid": 1, "signature_id": 2000000 + k, "rev": 1,
                                      "signature": "concurrency test %d/%d" % (r, k), "category": "test",
                                      "severity": sev}}))
    open(f"{work}/alerts-{r}.jsonl", "w").write("\n".join(lines) + "\n")
PY
planner() {
    for r in $(seq 1 "$ROUNDS"); do
        "$VIGIL" plan --db "$DB" --at 2026-11-21T11:00:00Z --apply >/dev/null 2>> "$WORK/planner.err"
    done
}
ingester() {
    for r in $(seq 0 $((ROUNDS - 1))); do
        "$VIGIL" ingest --db "$DB" --at 2026-11-21T11:00:00Z --format suricata --json "$WORK/alerts-$r.jsonl" \
            > "$WORK/ingest-$r.json"
    done
}
planner & P=$!
ingester & I=$!
rc=0
wait $P || rc=$?
[ "$rc" = 0 ] || { echo "two-writers: FAIL: the planning process exited $rc: $(cat "$WORK/planner.err")" >&2; exit 1; }
wait $I || rc=$?
[ "$rc" = 0 ] || { echo "two-writers: FAIL: the ingesting process exited $rc" >&2; exit 1; }
"$VIGIL" changes --db "$DB" --json > "$WORK/changes.json"
"$VIGIL" incidents --db "$DB" --json > "$WORK/incidents.json"
"$VIGIL" verify --db "$DB" > "$WORK/verify.txt"
sqlite3 "$DB" "SELECT id FROM problems ORDER BY id" > "$WORK/problems.txt"
python3 - "$WORK" "$ROUNDS" <<'PY'
import json, re, sys
work, rounds = sys.argv[1], int(sys.argv[2])
changes = json.load(open(f"{work}/changes.json"))["changes"]
ids = [c["id"] for c in changes]
assert ids == ["chg-%06d" % (k + 1) for k in range(len(ids))], ("change ids not 1..N", ids)
proposed = [l for l in open(f"{work}/planner.err").read().splitlines() if l.strip()]
said = {}
for l in proposed:
    m = re.match(r"(chg-\d{6}): proposed \((\S+) (\S+) → (\S+)\)", l)
    assert m, ("unexpected planner line", l)
    assert m.group(1) not in said, ("id reported twice", m.group(1))
    said[m.group(1)] = (m.group(2), m.group(3), m.group(4))
by_id = {c["id"]: c for c in changes}
for cid, (vm, frm, to) in said.items():
    c = by_id.get(cid)
    assert c is not None, ("a proposed change was lost", cid)
    assert (c["vm"], c["from"], c["to"], c["standard"]) == (vm, frm, to, False), (cid, c)
incidents = json.load(open(f"{work}/incidents.json"))["incidents"]
response_changes = sorted(a["change"] for i in incidents for a in i["actions"] if a["change"])
assert len(response_changes) == len(set(response_changes)), ("a change id used twice", response_changes)
assert sorted(response_changes + list(said)) == ids, ("changes neither proposed nor responses",
                                                      sorted(set(ids) - set(response_changes) - set(said)))
assert all(by_id[c]["standard"] for c in response_changes)
problems = open(f"{work}/problems.txt").read().split()
assert problems == ["prb-%06d" % (k + 1) for k in range(len(problems))], ("problem ids not 1..N", problems)
exposures = [a for i in incidents for a in i["actions"] if a["kind"] == "exposure"]
assert len(exposures) == len(problems), (len(exposures), len(problems))
new = sum(json.load(open(f"{work}/ingest-{r}.json"))["incidents"] for r in range(rounds))
assert new == len([i for i in incidents if i["signature"].startswith("concurrency test")]), new
assert len(said) >= rounds and response_changes, (len(said), response_changes)
print(f"two-writers: PASS ({len(ids)} changes: {len(said)} proposed by plan --apply, {len(response_changes)} "
      f"by incident response; {len(problems)} problem records; ids 1..N, none lost or repeated)")
PY
grep -q "chain intact" "$WORK/verify.txt" || { echo "two-writers: FAIL: $(cat "$WORK/verify.txt")" >&2; exit 1; }
