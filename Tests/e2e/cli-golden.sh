#!/usr/bin/env bash
# The CLI's outputs, byte for byte: runs a fixed list of commands (every time pinned) on the bundled examples and
# compares stdout and the exit status of each with Tests/e2e/golden/. The golden files were written by the
# `vigil` of commit 6cc3c5f, before the application logic moved into VigilService, so this shows the move left
# every output unchanged. One file was changed on purpose since: 42.out (`verify`) counts 79 records instead of
# 70, because every driver call is now preceded by a committed intent (a change `executing`, an action
# `started`) and snapshots get records of their own (issue 9, item 3).
# Usage: Tests/e2e/cli-golden.sh path/to/vigil [--update]
set -euo pipefail
VIGIL=${1:?usage: cli-golden.sh path/to/vigil [--update]}
VIGIL=$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")
cd "$(dirname "$0")/../.."
GOLDEN=Tests/e2e/golden
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
OUT="$WORK/out"
mkdir -p "$OUT"
DB="$WORK/g.db"
T0=2026-11-21T10:00:00Z
T1=2026-11-21T10:16:00Z
T2=2026-11-21T10:30:00Z
n=0
run() {
    n=$((n + 1))
    local name
    name=$(printf '%02d' "$n")
    local rc=0
    "$VIGIL" "$@" > "$OUT/$name.out" 2>/dev/null || rc=$?
    echo "\$ vigil $* → exit $rc" | sed "s#$WORK#WORK#g" >> "$OUT/commands.txt"
}
run import --db "$DB" --at "$T0" examples/inventory.yaml examples/policies.yaml examples/vulnerabilities.yaml \
    examples/playbooks.yaml examples/events.jsonl
for what in sites hosts vms tenants; do
    run show "$what" --db "$DB"
    run show "$what" --db "$DB" --json
done
run show vm vm-acme-web-1 --db "$DB"
run show vm vm-acme-web-1 --db "$DB" --json
run show host h-muc-01 --db "$DB" --json
run show vms --db "$DB" --at 2026-10-15T00:00:00Z --json
run history --vm vm-acme-web-1 --db "$DB"
run history --vm vm-acme-web-1 --db "$DB" --json
run exposure --vm vm-acme-web-1 --since 2026-10-20T00:00:00Z --until 2026-11-20T00:00:00Z --db "$DB"
run exposure --vm vm-acme-web-1 --since 2026-10-20T00:00:00Z --until 2026-11-20T00:00:00Z --db "$DB" --json
run exposure --host h-fra-01 --since 2026-11-17T00:00:00Z --until 2026-11-18T00:00:00Z --db "$DB" --json
run audit --db "$DB" --at "$T0"
run audit --db "$DB" --at "$T0" --json
run place --vm vm-initech-qa-1 --all --db "$DB" --at "$T0"
run place --vm vm-initech-qa-1 --all --db "$DB" --at "$T0" --json
run place --vm vm-initech-qa-1 --db "$DB" --at "$T0" --json
run plan --db "$DB" --at "$T0"
run plan --db "$DB" --at "$T0" --json
run ingest --db "$DB" --at "$T1" --format suricata examples/alerts/eve-attack.jsonl
run incidents --db "$DB"
run incidents --db "$DB" --json
run changes --db "$DB"
run changes --db "$DB" --json
run antispoof --host h-muc-q1 --format nft --db "$DB"
run antispoof --host h-muc-q1 --format libvirt --db "$DB"
run audit --db "$DB" --at "$T1" --json
run plan --db "$DB" --at "$T1" --apply
run changes --db "$DB" --state proposed --json
run approve chg-000002 --as alice --db "$DB" --at "$T2"
run reject chg-000003 --as bob --db "$DB" --at "$T2"
run approve chg-000003 --as carol --db "$DB" --at "$T2"
run reject chg-000099 --db "$DB" --at "$T2"
run changes --db "$DB" --json
run show hosts --db "$DB" --json
run verify --db "$DB"
DB2="$WORK/w.db"
run import --db "$DB2" --at "$T0" examples/inventory.yaml examples/policies.yaml examples/playbooks.yaml
run ingest --db "$DB2" --at "$T1" --format suricata --json examples/alerts/eve-attack.jsonl
run incidents --db "$DB2" --json
if [ "${2:-}" = "--update" ]; then
    rm -rf "$GOLDEN"
    mkdir -p "$GOLDEN"
    cp "$OUT"/* "$GOLDEN"/
    echo "cli-golden: wrote $n outputs to $GOLDEN"
    exit 0
fi
if diff -r "$GOLDEN" "$OUT" > "$WORK/diff.txt"; then
    echo "cli-golden: PASS ($n commands, stdout and exit status byte-identical to $GOLDEN)"
else
    cat "$WORK/diff.txt" >&2
    echo "cli-golden: FAIL: outputs differ from $GOLDEN" >&2
    exit 1
fi
