#!/usr/bin/env bash
# Crash test (issue 2, item 3): kill `vigil import` with SIGKILL at random moments, ≥ 20 times, over a
# history of ≥ 200k events, and show that every reopen finds a valid hash chain holding a prefix of whole
# imports — nothing half-applied — and that the final state equals a clean import of the same files.
# Then alter one row with sqlite3 and show that `vigil verify` names it.
# Usage: Tests/crash/crash-test.sh path/to/vigil [kills]
set -euo pipefail
VIGIL=${1:?usage: crash-test.sh path/to/vigil [kills]}
KILLS=${2:-24}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
command -v sqlite3 >/dev/null || { echo "crash-test: sqlite3 is required (apt-get install -y sqlite3)"; exit 1; }

"$VIGIL" generate --sites 3 --hosts 200 --vms 5000 --tenants 40 --days 60 --events 240000 --seed 5 --out "$WORK/gen" >/dev/null
split -l 10000 -d -a 2 --additional-suffix=.jsonl "$WORK/gen/events.jsonl" "$WORK/chunk-"
CHUNKS=("$WORK"/chunk-*.jsonl)
TOTAL=$(cat "$WORK/gen/events.jsonl" | wc -l)
echo "crash-test: $TOTAL events in ${#CHUNKS[@]} imports"

# Valid record counts: 3 documents, then each whole chunk.
declare -A VALID=([0]=1)
n=3; VALID[$n]=1
for c in "${CHUNKS[@]}"; do n=$((n + $(wc -l < "$c"))); VALID[$n]=1; done

DB="$WORK/crash.db"
"$VIGIL" import --db "$DB" "$WORK/gen/inventory.json" "$WORK/gen/policies.json" "$WORK/gen/vulnerabilities.json" >/dev/null

# How long one chunk import takes here, to aim the kills inside it, and how long its writing takes once the
# file is parsed and the state loaded (from the steps `--progress` prints).
"$VIGIL" import --db "$WORK/probe.db" "$WORK/gen/inventory.json" >/dev/null
start=$(date +%s%N); "$VIGIL" import --progress --db "$WORK/probe.db" "${CHUNKS[0]}" >/dev/null 2>"$WORK/steps.txt"
end=$(date +%s%N)
IMPORT_MS=$(( (end - start) / 1000000 ))
SPAN_MS=$(( IMPORT_MS + 20 ))
WRITE_MS=$(awk '/^import: / { gsub(/[()]/, ""); if (seen) ms += $(NF-1) } /parse/ { seen = 1 } END { printf "%d", ms + 20 }' "$WORK/steps.txt")
echo "crash-test: one import takes ~$IMPORT_MS ms, ~$WRITE_MS ms of it writing after parsing; kills land in 0..${SPAN_MS} ms"

check() {
    local records
    "$VIGIL" verify --db "$DB" >/dev/null || { echo >&2 "crash-test: FAIL: chain invalid after kill $1"; "$VIGIL" verify --db "$DB"; exit 1; }
    records=$(sqlite3 "$DB" "SELECT count(*) FROM events")
    [[ -n "${VALID[$records]:-}" ]] || { echo >&2 "crash-test: FAIL: $records records is not a prefix of whole imports"; exit 1; }
    local last; last=$(sqlite3 "$DB" "SELECT coalesce(max(last_seq), 0) FROM imports")
    [[ "$last" == "$records" ]] || { echo >&2 "crash-test: FAIL: imports table ends at $last but log has $records"; exit 1; }
    # Every chunk of closed intervals belongs to a whole import; every placed VM has its open interval.
    local stray; stray=$(sqlite3 "$DB" "SELECT count(*) FROM host_intervals WHERE seq NOT IN (SELECT last_seq FROM imports)")
    [[ "$stray" == 0 ]] || { echo >&2 "crash-test: FAIL: $stray interval chunks outside any import"; exit 1; }
    local unopened; unopened=$(sqlite3 "$DB" "SELECT count(*) FROM vms WHERE host IS NOT NULL AND state != 'stopped' AND open_start IS NULL")
    [[ "$unopened" == 0 ]] || { echo >&2 "crash-test: FAIL: $unopened placed VMs without an open interval"; exit 1; }
    echo "$records"
}

kills=0; attempts=0; next=0; rolled_back=0; before=3; in_write=0
while (( next < ${#CHUNKS[@]} )); do
    if (( kills < KILLS )); then
        : > "$WORK/progress.txt"
        "$VIGIL" import --progress --db "$DB" "${CHUNKS[$next]}" >/dev/null 2>"$WORK/progress.txt" &
        pid=$!
        in_write=0
        if (( attempts % 2 == 1 )); then
            # Every other kill is aimed inside the write, where atomicity is at stake: after the import reports
            # that parsing is done, within the time its writing takes.
            until grep -q "^import: parse" "$WORK/progress.txt" || ! kill -0 "$pid" 2>/dev/null; do
                sleep 0.002
            done
            grep -q "^import: parse" "$WORK/progress.txt" && in_write=1
            span=$WRITE_MS
        else
            span=$SPAN_MS
        fi
        attempts=$((attempts + 1))
        delay_ms=$(awk -v s=$RANDOM -v b="$span" 'BEGIN { srand(s); printf "%d", rand() * b }')
        sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
        if kill -9 "$pid" 2>/dev/null; then
            kills=$((kills + 1))
        else
            # The import finished first: aim the next kills earlier, so that they keep landing on a slow or
            # fast machine alike.
            in_write=0
            if (( attempts % 2 == 0 )); then
                WRITE_MS=$(( WRITE_MS * 3 / 4 > 10 ? WRITE_MS * 3 / 4 : 10 ))
            else
                SPAN_MS=$(( SPAN_MS * 3 / 4 > 50 ? SPAN_MS * 3 / 4 : 50 ))
            fi
        fi
        wait "$pid" 2>/dev/null || true
    else
        "$VIGIL" import --db "$DB" "${CHUNKS[$next]}" >/dev/null
    fi
    records=$(check "$kills")
    # Killed after the import said parsing was done, yet nothing of it is there: it was cut inside the write and
    # rolled back.
    if (( records == before && in_write == 1 )); then rolled_back=$((rolled_back + 1)); fi
    in_write=0
    before=$records
    # Work out how many chunks are in: the import either landed whole or not at all.
    applied=3; next=0
    for c in "${CHUNKS[@]}"; do
        (( applied < records )) || break
        applied=$((applied + $(wc -l < "$c"))); next=$((next + 1))
    done
    [[ "$applied" == "$records" ]] || { echo >&2 "crash-test: FAIL: $records records do not end on an import boundary"; exit 1; }
done
(( kills >= 20 )) || { echo >&2 "crash-test: FAIL: only $kills kills landed"; exit 1; }
final=$(check final)
echo "crash-test: $kills SIGKILLs ($rolled_back of them after parsing, inside the write, rolled back whole), every reopen valid; final log $final records"
(( rolled_back >= 5 )) || { echo >&2 "crash-test: FAIL: only $rolled_back kills landed inside an import's write"; exit 1; }

# The final state equals a clean import of the same files.
CLEAN="$WORK/clean.db"
"$VIGIL" import --db "$CLEAN" "$WORK/gen/inventory.json" "$WORK/gen/policies.json" "$WORK/gen/vulnerabilities.json" >/dev/null
for c in "${CHUNKS[@]}"; do "$VIGIL" import --db "$CLEAN" "$c" >/dev/null; done
q="SELECT host, seq, first_start, last_end, hex(data) FROM host_intervals ORDER BY host, seq"
[[ "$(sqlite3 "$DB" "$q" | sha256sum)" == "$(sqlite3 "$CLEAN" "$q" | sha256sum)" ]] || { echo >&2 "crash-test: FAIL: intervals differ from a clean import"; exit 1; }
q="SELECT id, host, state, last_event, open_start, hex(records), hex(past) FROM vms ORDER BY id"
[[ "$(sqlite3 "$DB" "$q" | sha256sum)" == "$(sqlite3 "$CLEAN" "$q" | sha256sum)" ]] || { echo >&2 "crash-test: FAIL: VM state differs from a clean import"; exit 1; }
echo "crash-test: final state equals a clean import ($(sqlite3 "$DB" "SELECT count(*) FROM host_intervals") chunks of closed intervals)"

# Tamper with one row using sqlite3: verify must name it.
sqlite3 "$DB" "UPDATE events SET body = replace(body, '\"vm.migrated\"', '\"vm.placed\"') WHERE seq = 123456"
if out=$("$VIGIL" verify --db "$DB"); then echo >&2 "crash-test: FAIL: tampering not detected"; exit 1; fi
echo "$out" | grep -q "record 123456 was altered" || { echo >&2 "crash-test: FAIL: verify said: $out"; exit 1; }
echo "crash-test: altered record detected: $out"
sqlite3 "$DB" "DELETE FROM events WHERE seq = 200000"
out=$("$VIGIL" verify --db "$DB" || true)
echo "$out" | grep -q "record 123456 was altered" || { echo >&2 "crash-test: FAIL: verify said: $out"; exit 1; }
echo "crash-test: PASS"
