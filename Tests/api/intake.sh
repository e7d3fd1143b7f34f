#!/usr/bin/env bash
# Alert intake of a running `vigil serve` (issue 10): Suricata EVE lines over the Unix stream socket that
# `eve-log` with `filetype: unix_stream` connects to; an eve.json followed across rotation; and a real Wazuh
# alert delivered by integrations/custom-vigil as integratord runs it. Exact incident counts are asserted.
# Usage: Tests/api/intake.sh path/to/vigil
set -euo pipefail
VIGIL=${1:?usage: intake.sh path/to/vigil}
VIGIL=$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")
cd "$(dirname "$0")/../.."
source Tests/api/server.sh
import_examples "$WORK/i.db"
"$VIGIL" token create --name sensor --role ids > "$WORK/ids.txt"
"$VIGIL" token create --name auditor --role auditor > "$WORK/auditor.txt"
IDS=$(sed -n 's/^token: //p' "$WORK/ids.txt")
AUDITOR=$(sed -n 's/^token: //p' "$WORK/auditor.txt")
cat > "$WORK/vigil.yaml" <<YAML
apiVersion: vigil/v1
kind: Configuration
listen: 127.0.0.1:0
tokens:
$(tail -1 "$WORK/ids.txt")
$(tail -1 "$WORK/auditor.txt")
intake:
  suricata: {socket: $WORK/eve.sock, file: $WORK/eve.json}
YAML
start_server "$WORK/i.db" "$WORK/vigil.yaml" "$WORK/eve.sock"
count() {
    curl -sf -H "Authorization: Bearer $AUDITOR" "http://127.0.0.1:$PORT/v1/incidents" \
        | python3 -c "import json,sys; print(sum(1 for i in json.load(sys.stdin)['incidents'] if i['source'] == '$1'))"
}
wait_for() {  # source, expected count
    for _ in $(seq 1 100); do [ "$(count "$1")" = "$2" ] && return 0; sleep 0.1; done
    echo "intake: FAIL: expected $2 $1 incidents, have $(count "$1")" >&2; exit 1
}
BEFORE=$(count suricata)
# 1. The socket, as Suricata writes it: EVE lines, the last one split across two writes.
python3 - "$WORK/eve.sock" examples/alerts/eve-attack.jsonl <<'PY'
import socket, sys, time
data = open(sys.argv[2], "rb").read()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(data[:-40]); time.sleep(0.2); s.sendall(data[-40:]); s.close()
PY
wait_for suricata $((BEFORE + 5))
# 2. The followed file: lines appended, then the file rotated (renamed, a new one created) and appended again.
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
def line(flow, sec):
    return json.dumps({"timestamp": "2026-11-21T10:30:%02d.000000+0000" % sec, "flow_id": flow, "event_type": "alert",
        "src_ip": "203.0.113.7", "src_port": 4444, "dest_ip": "10.10.2.22", "dest_port": 22, "proto": "TCP",
        "alert": {"action": "allowed", "gid": 1, "signature_id": 2001219, "rev": 20,
                  "signature": "ET SCAN Potential SSH Scan", "category": "Attempted Information Leak", "severity": 3}})
open(f"{w}/first.jsonl", "w").write("\n".join(line(7000 + k, k) for k in range(3)) + "\n")
open(f"{w}/second.jsonl", "w").write("\n".join(line(8000 + k, 10 + k) for k in range(2)) + "\n")
PY
cat "$WORK/first.jsonl" >> "$WORK/eve.json"
wait_for suricata $((BEFORE + 8))
mv "$WORK/eve.json" "$WORK/eve.json.1"
cat "$WORK/second.jsonl" >> "$WORK/eve.json"
wait_for suricata $((BEFORE + 10))
# 3. Wazuh: integratord runs `custom-vigil ALERT_FILE API_KEY HOOK_URL` with one real alert.
head -1 Tests/Fixtures/real/wazuh_falco/wazuh-integratord-alert-samples.jsonl | python3 -m json.tool > "$WORK/alert.json"
W_BEFORE=$(count wazuh)
integrations/custom-vigil "$WORK/alert.json" "$IDS" "http://127.0.0.1:$PORT/v1/alerts/wazuh" > "$WORK/wazuh.out"
wait_for wazuh $((W_BEFORE + 1))
if integrations/custom-vigil "$WORK/alert.json" "wrong-key" "http://127.0.0.1:$PORT/v1/alerts/wazuh" 2>/dev/null; then
    echo "intake: FAIL: a wrong API key was accepted" >&2; exit 1
fi
kill -TERM "$PID"; wait "$PID"; PID=""
"$VIGIL" verify --db "$WORK/i.db" | grep -q "chain intact"
echo "intake: PASS (5 EVE lines over the Unix socket, 5 through a followed and rotated eve.json, 1 Wazuh alert via custom-vigil)"
