#!/usr/bin/env bash
# The adaptive loop end to end (issue 4, item 6) on examples/: replaying an EVE file whose alert names a
# production VM as attacker produces a snapshot, a quarantine migration (a standard change that moves the VM's
# anti-spoofing rules), problem records with exposure, new maxIncidents violations for the neighbours of the
# attacked VM, and a remediation plan that moves a protected VM away. Exact outcomes are asserted.
# Usage: Tests/e2e/adaptive-loop.sh path/to/vigil
set -euo pipefail
VIGIL=${1:?usage: adaptive-loop.sh path/to/vigil}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/loop.db"
# Every time is pinned: the policies' windows (maxNew, maxIncidents) move with "now", so the outcome must not
# depend on the day the test runs (Tests/run.sh also runs this script 45 days ahead under faketime).
T_IMPORT=2026-11-21T10:00:00Z
T_INGEST=2026-11-21T10:16:00Z
T_CAB=2026-11-21T10:30:00Z
cd "$(dirname "$0")/../.."
"$VIGIL" import --at "$T_IMPORT" --db "$DB" examples/inventory.yaml examples/policies.yaml examples/vulnerabilities.yaml examples/playbooks.yaml examples/events.jsonl >/dev/null
"$VIGIL" ingest --at "$T_INGEST" --db "$DB" --format suricata --json examples/alerts/eve-attack.jsonl > "$WORK/ingest.json"
"$VIGIL" incidents --db "$DB" --json > "$WORK/incidents.json"
"$VIGIL" changes --db "$DB" --json > "$WORK/changes.json"
"$VIGIL" show vm vm-acme-web-1 --db "$DB" --json > "$WORK/web1.json"
# Hard violations exist, so audit exits 1 (DESIGN §6); any other status is a failure.
rc=0; "$VIGIL" audit --db "$DB" --at "$T_INGEST" --json > "$WORK/audit.json" || rc=$?
[ "$rc" = 1 ] || { echo "adaptive-loop: FAIL: audit exited $rc, expected 1" >&2; exit 1; }
"$VIGIL" plan --db "$DB" --at "$T_INGEST" --json > "$WORK/plan.json"
"$VIGIL" antispoof --db "$DB" --host h-muc-q1 --format nft > "$WORK/q1.nft"
"$VIGIL" ingest --at "$T_INGEST" --db "$DB" --format suricata --json examples/alerts/eve-attack.jsonl > "$WORK/again.json"
"$VIGIL" verify --db "$DB" >/dev/null
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
load = lambda n: json.load(open(f"{w}/{n}"))
ing = load("ingest.json")
assert (ing["lines"], ing["alerts"], ing["incidents"], ing["unmatched"], ing["skipped"]) == (5, 4, 5, 0, {"dns": 1}), ing
assert [(r["playbooks"], r["steps"]) for r in ing["responses"]] == [
    (["snapshot-victim"], ["snapshot", "exposure"]),
    (["contain-vm"], ["snapshot", "quarantine", "exposure"]),
    (["snapshot-victim"], ["snapshot", "exposure"]),
], ing["responses"]
inc = {i["id"]: i for i in load("incidents.json")["incidents"] if i["id"].startswith("eve-")}
attack = [i for i in inc.values() if i["severity"] == "high"]
assert len(attack) == 1 and attack[0]["subject"] == {"vm": "vm-acme-web-1"} and attack[0]["role"] == "attacker"
assert [(a["kind"], a["state"], a["change"]) for a in attack[0]["actions"]] == [
    ("snapshot", "done", None), ("quarantine", "done", "chg-000001"), ("exposure", "done", None)], attack[0]["actions"]
victims = sorted((i["subject"]["vm"], [a["kind"] for a in i["actions"]]) for i in inc.values() if i["role"] == "victim")
assert victims == [("vm-acme-cache-1", ["snapshot", "exposure"]), ("vm-acme-web-1", ["snapshot", "exposure"])], victims
ch = load("changes.json")["changes"]
spoof = ch[0].pop("antiSpoofing")
assert (spoof["source"], spoof["target"]) == ("h-muc-01", "h-muc-q1"), spoof
rule = {"vm": "vm-acme-web-1", "interface": spoof["add"][0]["interface"], "mac": "52:54:00:0a:01:0b", "ips": ["10.10.1.11"]}
assert spoof["add"] == [rule] and spoof["remove"] == [rule], spoof
assert ch == [{"id": "chg-000001", "kind": "migration", "vm": "vm-acme-web-1", "from": "h-muc-01", "to": "h-muc-q1",
               "reason": f"quarantine after incident {attack[0]['id']}", "state": "done", "standard": True,
               "approvals": ["standard"]}], ch
web1 = load("web1.json")
assert (web1["state"], web1["host"], web1["neighbours"]) == ("quarantined", "h-muc-q1", []), web1
aud = load("audit.json")["violations"]
hard = sorted((v["vm"], v["policy"], v["rule"], tuple(v["related"])) for v in aud if v["enforcement"] == "hard")
assert hard == [
    ("vm-acme-worker-1", "gold-production", "neighbours.maxIncidents", ("vm-acme-cache-1",)),
    ("vm-umbrella-api-1", "gold-production", "neighbours.maxIncidents", ("vm-acme-cache-1",)),
    ("vm-umbrella-dr-1", "gold-production", "neighbours.forbid", ("vm-initech-qa-1",)),
    ("vm-umbrella-portal-1", "gold-production", "neighbours.maxIncidents", ("vm-acme-cache-1",)),
], hard
plan = load("plan.json")
moves = [(m["vm"], m["from"], m["to"]) for m in plan["migrations"]]
assert moves == [("vm-acme-worker-1", "h-muc-01", "h-muc-02"), ("vm-initech-qa-1", "h-fra-02", "h-fra-03")], moves
assert sorted(u["vm"] for u in plan["unrepaired"]) == ["vm-umbrella-api-1", "vm-umbrella-portal-1"], plan["unrepaired"]
again = load("again.json")
assert (again["incidents"], again["duplicates"]) == (0, 5), again
nft = open(f"{w}/q1.nft").read()
assert "52:54:00:0a:01:0b" in nft and "10.10.1.11" in nft, nft
print("adaptive-loop: PASS (snapshot, quarantine chg-000001, 3 problem records, 3 new maxIncidents violations, plan of 2)")
PY
# CAB path: plan --apply proposes changes; one is approved and carried out, one rejected.
"$VIGIL" plan --db "$DB" --at "$T_INGEST" --apply >/dev/null 2>&1
"$VIGIL" changes --db "$DB" --state proposed --json > "$WORK/proposed.json"
python3 - "$WORK" <<'PY'
import json, sys
p = json.load(open(f"{sys.argv[1]}/proposed.json"))["changes"]
assert [(c["id"], c["vm"], c["from"], c["to"], c["standard"]) for c in p] == [
    ("chg-000002", "vm-acme-worker-1", "h-muc-01", "h-muc-02", False),
    ("chg-000003", "vm-initech-qa-1", "h-fra-02", "h-fra-03", False)], p
PY
"$VIGIL" approve chg-000002 --at "$T_CAB" --as alice --db "$DB" >/dev/null
"$VIGIL" reject chg-000003 --at "$T_CAB" --as bob --db "$DB" >/dev/null
"$VIGIL" changes --db "$DB" --json > "$WORK/after.json"
"$VIGIL" show vm vm-acme-worker-1 --db "$DB" --json > "$WORK/worker.json"
"$VIGIL" show vm vm-initech-qa-1 --db "$DB" --json > "$WORK/qa.json"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
ch = {c["id"]: c for c in json.load(open(f"{w}/after.json"))["changes"]}
assert (ch["chg-000002"]["state"], ch["chg-000002"]["approvals"]) == ("done", ["alice"]), ch["chg-000002"]
assert (ch["chg-000003"]["state"], ch["chg-000003"]["approvals"]) == ("rejected", ["rejected by bob"]), ch["chg-000003"]
assert json.load(open(f"{w}/worker.json"))["host"] == "h-muc-02"
assert json.load(open(f"{w}/qa.json"))["host"] == "h-fra-02"
print("adaptive-loop: CAB path PASS (chg-000002 approved and done, chg-000003 rejected, CMDB follows)")
PY
rc=0; "$VIGIL" approve chg-000003 --at "$T_CAB" --as carol --db "$DB" 2> "$WORK/approve.err" || rc=$?
[ "$rc" = 2 ] || { echo "adaptive-loop: FAIL: approving a rejected change exited $rc, expected 2" >&2; exit 1; }
grep -qx "chg-000003 is rejected; only proposed changes can be approved" "$WORK/approve.err" \
    || { echo "adaptive-loop: FAIL: unexpected message: $(cat "$WORK/approve.err")" >&2; exit 1; }
"$VIGIL" verify --db "$DB" >/dev/null
# A migration that fails in the driver: the change ends rolled-back, the VM stays (quarantined, isolated by
# its filter where it runs) and the CMDB says so.
DB2="$WORK/fail.db"
"$VIGIL" import --at "$T_IMPORT" --db "$DB2" examples/inventory.yaml examples/policies.yaml examples/vulnerabilities.yaml examples/playbooks.yaml examples/events.jsonl >/dev/null
# Failure injection is a test configuration of the simulator (a Configuration document), not an environment
# variable product code reads.
cat > "$WORK/fail-migrate.yaml" <<'YAML'
apiVersion: vigil/v1
kind: Configuration
simulator: {failNext: [migrate]}
YAML
"$VIGIL" ingest --at "$T_INGEST" --db "$DB2" --config "$WORK/fail-migrate.yaml" --format suricata examples/alerts/eve-attack.jsonl >/dev/null
"$VIGIL" changes --db "$DB2" --json > "$WORK/fail-changes.json"
"$VIGIL" show vm vm-acme-web-1 --db "$DB2" --json > "$WORK/fail-web1.json"
"$VIGIL" incidents --db "$DB2" --json > "$WORK/fail-incidents.json"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
ch = json.load(open(f"{w}/fail-changes.json"))["changes"]
assert [(c["id"], c["state"]) for c in ch] == [("chg-000001", "rolled-back")], ch
web1 = json.load(open(f"{w}/fail-web1.json"))
assert (web1["state"], web1["host"]) == ("quarantined", "h-muc-01"), web1
acts = [(a["kind"], a["state"]) for i in json.load(open(f"{w}/fail-incidents.json"))["incidents"] if i["severity"] == "high" for a in i["actions"]]
assert acts == [("snapshot", "done"), ("quarantine", "failed"), ("isolate", "isolated"), ("exposure", "done")], acts
print("adaptive-loop: failed migration PASS (change rolled-back, VM quarantined and isolated on its host)")
PY
"$VIGIL" verify --db "$DB2" >/dev/null
# A pre-authorised plan: the same two moves run at once as standard changes, one after the other against one
# loaded world, each re-checked where the previous one left the VMs.
DB3="$WORK/pre.db"
"$VIGIL" import --at "$T_IMPORT" --db "$DB3" examples/inventory.yaml examples/policies.yaml examples/vulnerabilities.yaml examples/playbooks.yaml examples/events.jsonl >/dev/null
"$VIGIL" ingest --at "$T_INGEST" --db "$DB3" --format suricata examples/alerts/eve-attack.jsonl >/dev/null
"$VIGIL" plan --db "$DB3" --at "$T_INGEST" --apply --pre-authorised > /dev/null 2> "$WORK/pre.err"
"$VIGIL" changes --db "$DB3" --json > "$WORK/pre-changes.json"
"$VIGIL" show vm vm-acme-worker-1 --db "$DB3" --json > "$WORK/pre-worker.json"
"$VIGIL" show vm vm-initech-qa-1 --db "$DB3" --json > "$WORK/pre-qa.json"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
ch = [(c["id"], c["state"], c["standard"]) for c in json.load(open(f"{w}/pre-changes.json"))["changes"]]
assert ch == [("chg-000001", "done", True), ("chg-000002", "done", True), ("chg-000003", "done", True)], ch
assert open(f"{w}/pre.err").read().splitlines() == ["chg-000002: done", "chg-000003: done"]
assert json.load(open(f"{w}/pre-worker.json"))["host"] == "h-muc-02"
assert json.load(open(f"{w}/pre-qa.json"))["host"] == "h-fra-03"
print("adaptive-loop: pre-authorised plan PASS (chg-000002 and chg-000003 done at once, CMDB follows)")
PY
"$VIGIL" verify --db "$DB3" >/dev/null
if command -v nft >/dev/null; then
    if out=$(nft -c -f "$WORK/q1.nft" 2>&1); then echo "adaptive-loop: nft -c accepts the quarantine host's ruleset"
    elif echo "$out" | grep -qiE "operation not permitted|permission denied"; then echo "adaptive-loop: nft -c skipped here ($out)"
    else echo "adaptive-loop: FAIL: nft -c rejected the ruleset: $out" >&2; exit 1; fi
fi
