#!/usr/bin/env bash
# The test command: unit and property tests (Swift Testing), the SIGKILL crash test, the end-to-end adaptive loop,
# the CLI's golden outputs, two concurrent writers, all three again 45 days ahead, and the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
swift test
Tests/crash/crash-test.sh .build/debug/vigil
Tests/e2e/adaptive-loop.sh .build/debug/vigil
Tests/e2e/cli-golden.sh .build/debug/vigil
Tests/concurrency/two-writers.sh .build/debug/vigil
Tests/reliability/kill-server.sh .build/debug/vigil 20
# The API against its OpenAPI document (schemathesis and openapi-spec-validator from pip; .ci/run installs them).
if command -v schemathesis >/dev/null && command -v openapi-spec-validator >/dev/null; then
    Tests/api/schemathesis.sh .build/debug/vigil
    Tests/api/intake.sh .build/debug/vigil
else
    echo "run.sh: FAIL: pip install schemathesis openapi-spec-validator (the API contract test needs them)" >&2
    exit 1
fi
# Timeless: the same script 45 days from now (every time in it is pinned). Swift Testing's runner hangs under
# libfaketime, so only the shell-level script runs under it.
if command -v faketime >/dev/null; then
    for script in Tests/e2e/adaptive-loop.sh Tests/e2e/cli-golden.sh Tests/concurrency/two-writers.sh; do
        faketime -f '+45d' "$script" .build/debug/vigil
    done
else
    echo "run.sh: faketime not installed (apt-get install faketime); the 45-days-ahead e2e run is skipped" >&2
fi
# The main job on the bundled examples: it imports all 47 records and ends with an intact chain of 72 (the
# response adds incidents, committed intents and outcomes of every driver call, snapshots and problem records).
DEMO_DB="${TMPDIR:-/tmp}/vigil-ci-demo.db"
DEMO_OUT="${TMPDIR:-/tmp}/vigil-ci-demo.txt"
.build/debug/vigil demo --db "$DEMO_DB" > "$DEMO_OUT"
grep -qx "ok: 47 log records, 43 events" "$DEMO_OUT"
grep -qx "ok: 72 records, chain intact" "$DEMO_OUT"
.build/debug/vigil verify --db "$DEMO_DB" >/dev/null
echo "all tests passed"
