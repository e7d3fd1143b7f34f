#!/usr/bin/env python3
"""Load for the reliability tests: POSTs alerts (Vigil's incident form, and Suricata EVE lines whose attacker is a
production VM, so playbooks run changes) and incident events to a running `vigil serve`, as fast as it answers,
until killed or until --seconds pass. Every acknowledged (HTTP 200) incident id is appended to ACKED and flushed
before the next request, so the file lists exactly what the server acknowledged."""
import argparse, http.client, json, os, sys, time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--token", required=True)
p.add_argument("--acked", required=True)
p.add_argument("--prefix", required=True)
p.add_argument("--seconds", type=float, default=3600)
a = p.parse_args()
vms = ["vm-acme-web-1", "vm-acme-cache-1", "vm-acme-worker-1", "vm-umbrella-api-1", "vm-initech-qa-1"]
attackers = ["10.10.2.21", "10.20.1.11", "10.10.1.41", "10.20.2.11", "10.10.2.51"]
out = open(a.acked, "a")
end = time.time() + a.seconds
n = 0
headers = {"Authorization": "Bearer " + a.token}
conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
while time.time() < end:
    n += 1
    t = "2026-11-21T11:%02d:%02d.%06dZ" % ((n // 60) % 60, n % 60, n)
    ids = []
    if n % 3 == 0:
        iid = "%s-ev-%d" % (a.prefix, n)
        path, body = "/v1/events", json.dumps({"time": t[:19] + "Z", "type": "incident", "incident": {
            "id": iid, "subject": {"vm": vms[n % len(vms)]}, "severity": "low", "source": "load", "signature": "load"}})
        ids = [iid]
    elif n % 7 == 0:
        path = "/v1/alerts/suricata"
        body = json.dumps({"timestamp": "2026-11-21T11:00:%02d.%06d+0000" % (n % 60, n), "flow_id": hash((a.prefix, n)) & 0xffffffffffff,
            "event_type": "alert", "src_ip": attackers[n % len(attackers)], "src_port": 1000 + n % 50000,
            "dest_ip": "198.51.100.%d" % (n % 250 + 1), "dest_port": 443, "proto": "TCP",
            "alert": {"action": "allowed", "gid": 1, "signature_id": 2000000 + n, "rev": 1,
                      "signature": "load %s %d" % (a.prefix, n), "category": "test", "severity": 1}})
    else:
        iid = "%s-al-%d" % (a.prefix, n)
        path, body = "/v1/alerts", json.dumps({"time": t[:19] + "Z", "type": "incident", "incident": {
            "id": iid, "subject": {"vm": vms[n % len(vms)]}, "severity": "medium", "source": "load",
            "signature": "load"}})
        ids = [iid]
    try:
        conn.request("POST", path, body=body + "\n", headers=headers)
        r = conn.getresponse()
        r.read()
    except (OSError, http.client.HTTPException):
        sys.exit(0)  # the server went away: stop, as a client would
    if r.status != 200:
        print("load: %s answered %d" % (path, r.status), file=sys.stderr)
        sys.exit(1)
    for i in ids:
        out.write(i + "\n")
    out.flush()
    os.fsync(out.fileno())
