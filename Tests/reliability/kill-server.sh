#!/usr/bin/env bash
# Reliability of `vigil serve` (issue 10): (1) SIGKILL it 20 times while alerts and events are POSTed; after
# each restart every acknowledged alert and event is in the log, `vigil verify` passes, and no change is left
# `executing`. (2) SIGTERM under load: exit 0 within 10 s, nothing acknowledged lost.
# Usage: Tests/reliability/kill-server.sh path/to/vigil [kills]
set -euo pipefail
VIGIL=${1:?usage: kill-server.sh path/to/vigil [kills]}
VIGIL=$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")
KILLS=${2:-20}
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d)
SERVER=""; LOAD=""
cleanup() { for p in $LOAD $SERVER; do kill -9 "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
DB="$WORK/r.db"
"$VIGIL" import --db "$DB" --at 2026-11-21T10:00:00Z examples/inventory.yaml examples/policies.yaml \
    examples/vulnerabilities.yaml examples/playbooks.yaml examples/events.jsonl >/dev/null
"$VIGIL" token create --name loader --role admin > "$WORK/token.txt"
TOKEN=$(sed -n 's/^token: //p' "$WORK/token.txt")
# Simulated migrations take 300 ms (a test configuration), so kills land between a change's intent and outcome.
{ printf 'apiVersion: vigil/v1\nkind: Configuration\nlisten: 127.0.0.1:0\nsimulator: {migrationMillis: 300}\ntokens:\n'
    tail -1 "$WORK/token.txt"; } > "$WORK/vigil.yaml"
: > "$WORK/acked.txt"
start_server() {
    cat "$WORK/serve.log" >> "$WORK/all.log" 2>/dev/null || true
    : > "$WORK/serve.log"
    "$VIGIL" serve --db "$DB" --config "$WORK/vigil.yaml" 2> "$WORK/serve.log" &
    SERVER=$!
    PORT=""
    for _ in $(seq 1 300); do
        PORT=$(sed -n 's/^vigil serve: ready on port //p' "$WORK/serve.log")
        [ -n "$PORT" ] && return 0
        sleep 0.05
    done
    echo "kill-server: FAIL: the server did not become ready" >&2; cat "$WORK/serve.log" >&2; exit 1
}
check() {  # every acknowledged id recorded, chain intact, nothing executing
    "$VIGIL" verify --db "$DB" | grep -q "chain intact" || { echo "kill-server: FAIL: chain broken" >&2; exit 1; }
    sqlite3 "$DB" "SELECT id FROM incidents" | sort > "$WORK/recorded.txt"
    sort -u "$WORK/acked.txt" > "$WORK/acked.sorted"
    missing=$(comm -23 "$WORK/acked.sorted" "$WORK/recorded.txt" | head -5)
    [ -z "$missing" ] || { echo "kill-server: FAIL: acknowledged but lost: $missing" >&2; exit 1; }
    executing=$(sqlite3 "$DB" "SELECT count(*) FROM changes WHERE state = 'executing'")
    [ "$executing" = 0 ] || { echo "kill-server: FAIL: $executing change(s) left executing after restart" >&2; exit 1; }
}
for k in $(seq 1 "$KILLS"); do
    start_server
    check  # the restart reconciled whatever the last kill left executing
    python3 Tests/reliability/load.py --port "$PORT" --token "$TOKEN" --acked "$WORK/acked.txt" --prefix "k$k" &
    LOAD=$!
    sleep "$(python3 -c "import random; print(round(random.uniform(0.3, 1.2), 2))")"
    kill -9 "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    wait "$LOAD" || { echo "kill-server: FAIL: the load generator failed" >&2; exit 1; }
    LOAD=""
done
start_server
check
reconciled=$(cat "$WORK/all.log" "$WORK/serve.log" | grep -c "reconciled a change left executing" || true)
echo "kill-server: $KILLS SIGKILLs under load: $(sort -u "$WORK/acked.txt" | wc -l) acknowledged incidents all recorded, chain intact, no change left executing ($reconciled reconciled at restart)"
# SIGTERM under load: graceful exit 0 within 10 s, nothing acknowledged lost.
python3 Tests/reliability/load.py --port "$PORT" --token "$TOKEN" --acked "$WORK/acked.txt" --prefix term &
LOAD=$!
sleep 1
T0=$(date +%s.%N)
kill -TERM "$SERVER"
rc=0; wait "$SERVER" || rc=$?
T1=$(date +%s.%N)
SERVER=""
wait "$LOAD" || true; LOAD=""
secs=$(python3 -c "print(round($T1 - $T0, 2))")
[ "$rc" = 0 ] || { echo "kill-server: FAIL: SIGTERM exit status $rc" >&2; exit 1; }
python3 -c "import sys; sys.exit(0 if $secs <= 10 else 1)" || { echo "kill-server: FAIL: SIGTERM took ${secs}s" >&2; exit 1; }
check
echo "kill-server: PASS (SIGTERM under load: exit 0 in ${secs}s, every acknowledged incident recorded)"
