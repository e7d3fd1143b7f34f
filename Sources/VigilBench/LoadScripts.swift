/// The second process of `vigil bench serve`: small Python load generators (python3 is a CI dependency anyway),
/// written next to the bench's data and run with `python3 SCRIPT ARGS…`. Each prints one JSON object.
enum LoadScripts {
    /// Suricata alerts POSTed at a fixed rate from 32 keep-alive connections while one `/v1/stream` reader notes
    /// when each expected VM's first `change` event arrives. Input lines: `VM<TAB>EVE JSON` (`-`: no change
    /// expected). Args: port token file rate after-seq.
    static let alertLatency = #"""
        import http.client, json, socket, sys, threading, time
        port, token, path, rate, after = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
        items = [l.rstrip("\n").split("\t", 1) for l in open(path)]
        expected = {vm for vm, _ in items if vm != "-"}
        seen, sent, acks, errors = {}, {}, [], [0]
        live, lock = threading.Event(), threading.Lock()

        def stream():
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(("GET /v1/stream?after=%s HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\n"
                       "Accept: text/event-stream\r\n\r\n" % (after, token)).encode())
            buf, event = b"", None
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return
                now = time.monotonic()
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    line = line.rstrip(b"\r")
                    if line.startswith(b": live"):
                        live.set()
                    elif line.startswith(b"event: "):
                        event = line[7:]
                    elif line.startswith(b"data: ") and event == b"change":
                        vm = json.loads(line[6:]).get("vm")
                        if vm in expected and vm not in seen:
                            seen[vm] = now

        threading.Thread(target=stream, daemon=True).start()
        live.wait(30)
        t0, nxt = time.monotonic() + 0.1, [0]

        def sender():
            c = http.client.HTTPConnection("127.0.0.1", port)
            headers = {"Authorization": "Bearer " + token, "Content-Type": "application/x-ndjson"}
            while True:
                with lock:
                    i = nxt[0]
                    nxt[0] += 1
                if i >= len(items):
                    return
                wait = t0 + i / rate - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                vm, line = items[i]
                start = time.monotonic()
                if vm != "-":
                    sent[vm] = start
                c.request("POST", "/v1/alerts/suricata", body=line + "\n", headers=headers)
                r = c.getresponse()
                r.read()
                acks.append(time.monotonic() - start)
                if r.status != 200:
                    errors[0] += 1

        threads = [threading.Thread(target=sender) for _ in range(32)]
        for t in threads: t.start()
        for t in threads: t.join()
        elapsed = time.monotonic() - t0
        deadline = time.monotonic() + 10
        while len(seen) < len(expected) and time.monotonic() < deadline:
            time.sleep(0.05)

        def q(xs, p):
            xs = sorted(xs)
            return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else -1

        lat = [seen[v] - sent[v] for v in seen if v in sent]
        print(json.dumps({"rate": len(items) / elapsed, "errors": errors[0], "expected": len(expected),
                          "seen": len(seen), "ack_p50": q(acks, 0.5), "ack_p99": q(acks, 0.99),
                          "change_p50": q(lat, 0.5), "change_p99": q(lat, 0.99)}))
        """#

    /// POSTs every file named on the command line, in order, over one keep-alive connection, to the path given
    /// first. Args: port token path file… Prints seconds taken and non-2xx answers.
    static let postFiles = #"""
        import http.client, json, sys, time
        port, token, path, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        headers = {"Authorization": "Bearer " + token, "Content-Type": "application/x-ndjson"}
        bad, t0 = [], time.monotonic()
        for f in files:
            c.request("POST", path, body=open(f, "rb").read(), headers=headers)
            r = c.getresponse()
            body = r.read()
            if r.status // 100 != 2:
                bad.append("%s: %d %s" % (f, r.status, body[:300]))
        print(json.dumps({"seconds": time.monotonic() - t0, "errors": bad}))
        """#
}
