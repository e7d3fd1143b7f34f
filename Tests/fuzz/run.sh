#!/usr/bin/env bash
# libFuzzer (issue 10): builds the fuzz targets in Fuzz/ with the fuzzer and address sanitizers and runs each
# for SECONDS (default 60) on its committed corpus (Fuzz/Corpus/*), which grows as new inputs are found. Any
# crash, leak or sanitizer report fails the run and leaves the input in Fuzz/crashes/.
# Usage: Tests/fuzz/run.sh [SECONDS]
set -euo pipefail
SECONDS_EACH=${1:-60}
cd "$(dirname "$0")/../../Fuzz"
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library > build.log 2>&1 \
    || { grep -E "error" build.log >&2; echo "fuzz: FAIL: build" >&2; exit 1; }
mkdir -p crashes
for pair in FuzzDocuments:documents FuzzEVE:eve FuzzWazuh:wazuh; do
    target=${pair%%:*}
    corpus=Corpus/${pair##*:}
    echo "== $target ($SECONDS_EACH s on $corpus)"
    rc=0
    ".build/release/$target" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix=crashes/ -print_final_stats=1 "$corpus" > "crashes/$target.log" 2>&1 || rc=$?
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "crashes/$target.log" || true
    rm -f "crashes/$target.log.keep"
    if [ "$rc" != 0 ] || ls crashes/ | grep -qv "\.log$"; then
        tail -30 "crashes/$target.log" >&2; echo "fuzz: FAIL: $target (exit $rc): $(ls crashes)" >&2; exit 1
    fi
    rm -f "crashes/$target.log"
done
echo "fuzz: PASS (no crash in any target)"
