#!/usr/bin/env bash
# The OpenAPI document is the contract (issue 10): validate /openapi.yaml as served, then run schemathesis
# against a running `vigil serve` over the examples with an admin token. Passes only with 0 server errors and
# 0 responses that do not conform to the document; afterwards the hash chain must still be intact.
# Needs: pip install schemathesis openapi-spec-validator. Usage: Tests/api/schemathesis.sh path/to/vigil
set -euo pipefail
VIGIL=${1:?usage: schemathesis.sh path/to/vigil}
VIGIL=$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")
cd "$(dirname "$0")/../.."
source Tests/api/server.sh
import_examples "$WORK/api.db"
"$VIGIL" token create --name admin --role admin > "$WORK/token.txt"
TOKEN=$(sed -n 's/^token: //p' "$WORK/token.txt")
{ printf 'apiVersion: vigil/v1\nkind: Configuration\nlisten: 127.0.0.1:0\ntokens:\n'; tail -1 "$WORK/token.txt"; } \
    > "$WORK/vigil.yaml"
start_server "$WORK/api.db" "$WORK/vigil.yaml"
curl -sf "http://127.0.0.1:$PORT/openapi.yaml" > "$WORK/openapi.yaml"
openapi-spec-validator "$WORK/openapi.yaml"
schemathesis run "http://127.0.0.1:$PORT/openapi.yaml" -H "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,response_schema_conformance --max-examples "${MAX_EXAMPLES:-50}" --seed 1 \
    > "$WORK/st.txt" 2>&1 || { cat "$WORK/st.txt" >&2; echo "schemathesis: FAIL" >&2; exit 1; }
grep -E "generated|passed" "$WORK/st.txt" | tail -2
kill -TERM "$PID"
wait "$PID" || { echo "schemathesis: FAIL: the server did not exit 0 on SIGTERM" >&2; exit 1; }
PID=""
"$VIGIL" verify --db "$WORK/api.db" | grep -q "chain intact" || { echo "schemathesis: FAIL: chain" >&2; exit 1; }
echo "schemathesis: PASS (0 server errors, 0 non-conforming responses; SIGTERM exit 0; chain intact)"
