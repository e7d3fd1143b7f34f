# Shared by the API scripts (sourced): a scratch directory, the examples imported into a database, and
# `start_server CONFIG` that runs `vigil serve` on a free port and sets PID and PORT once it is ready.
WORK=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
import_examples() {  # DB
    "$VIGIL" import --db "$1" --at 2026-11-21T10:00:00Z examples/inventory.yaml examples/policies.yaml \
        examples/vulnerabilities.yaml examples/playbooks.yaml examples/events.jsonl >/dev/null
}
start_server() {  # DB CONFIG [extra readiness test]
    "$VIGIL" serve --db "$1" --config "$2" 2> "$WORK/serve.log" &
    PID=$!
    PORT=""
    for _ in $(seq 1 200); do
        PORT=$(sed -n 's/^vigil serve: ready on port //p' "$WORK/serve.log")
        [ -n "$PORT" ] && { [ -z "${3:-}" ] || [ -e "$3" ]; } && return 0
        sleep 0.1
    done
    echo "$(basename "$0"): FAIL: the server did not become ready" >&2; cat "$WORK/serve.log" >&2; exit 1
}
