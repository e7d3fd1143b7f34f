#!/usr/bin/env bash
# The test command: unit and property tests (Swift Testing), the SIGKILL crash test, and a small bench smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
swift test
Tests/crash/crash-test.sh .build/debug/vigil
Tests/e2e/adaptive-loop.sh .build/debug/vigil
.build/debug/vigil demo --db "${TMPDIR:-/tmp}/vigil-ci-demo.db" >/dev/null
echo "all tests passed"
