/// The second process of `vigil bench serve`: small Python load generators (python3 is a CI dependency anyway),
/// written next to the bench's data and run with `python3 SCRIPT ARGS…`. Each prints one JSON object.
enum LoadScripts {
    /// Suricata alerts POSTed on a fixed schedule (asyncio, 32 keep-alive connections) while a `/v1/stream`
    /// reader in a process of its own notes when each expected VM's first `change` event arrives. Input lines: `VM<TAB>EVE JSON` (`-`: no change
    /// expected). Args: port token file rate after-seq.
    static let alertLatency = #"""
        import asyncio, json, socket, subprocess, sys, time
        port, token, path, rate, after = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
        items = [l.rstrip("\n").split("\t", 1) for l in open(path)]
        expected = {vm for vm, _ in items if vm != "-"}
        # The stream is read by a process of its own (no interpreter lock shared with the senders); it prints each
        # expected VM's first change event with its CLOCK_MONOTONIC time, comparable with this process's.
        reader = subprocess.Popen([sys.executable, "-c", r"""
        import json, socket, sys, time
        port, token, after, want = int(sys.argv[1]), sys.argv[2], sys.argv[3], set(sys.argv[4].split(","))
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(("GET /v1/stream?after=%s HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\n\r\n" % (after, token)).encode())
        buf, event, seen = b"", None, set()
        while len(seen) < len(want):
            chunk = s.recv(1 << 20)
            if not chunk: break
            now = time.monotonic()
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                line = line.rstrip(b"\r")
                if line.startswith(b": live"): print("live", flush=True)
                elif line.startswith(b"event: "): event = line[7:]
                elif line.startswith(b"data: ") and event == b"change":
                    vm = json.loads(line[6:]).get("vm")
                    if vm in want and vm not in seen:
                        seen.add(vm)
                        print(vm, now, flush=True)
        """, str(port), token, after, ",".join(sorted(expected))], stdout=subprocess.PIPE, text=True)
        assert reader.stdout.readline().strip() == "live"
        # One second of warm-up at the same rate (alerts from external addresses, not counted), then the alerts.
        warm = [("-", l.replace('"flow_id":', '"flow_id":7', 1)) for vm, l in items[:int(rate)] if vm == "-"]
        skip = len(warm)
        items = warm + items
        sent, acks, errors = {}, [], [0]

        async def connection(queue):
            r, w = await asyncio.open_connection("127.0.0.1", port)
            while True:
                i = await queue.get()
                if i is None: return
                vm, line = items[i]
                body = (line + "\n").encode()
                start = time.monotonic()
                if vm != "-": sent[vm] = start
                w.write(b"POST /v1/alerts/suricata HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer " + token.encode()
                        + b"\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + str(len(body)).encode()
                        + b"\r\n\r\n" + body)
                status = int((await r.readline()).split()[1])
                length = 0
                while (h := await r.readline()) not in (b"\r\n", b""):
                    if h.lower().startswith(b"content-length:"): length = int(h.split(b":")[1])
                await r.readexactly(length)
                if i >= skip: acks.append(time.monotonic() - start)
                if status != 200: errors[0] += 1

        async def main():
            queue = asyncio.Queue()
            workers = [asyncio.create_task(connection(queue)) for _ in range(32)]
            t0 = time.monotonic() + 0.1
            for i in range(len(items)):
                wait = t0 + i / rate - time.monotonic()
                if wait > 0: await asyncio.sleep(wait)
                queue.put_nowait(i)
            for _ in workers: queue.put_nowait(None)
            await asyncio.gather(*workers)
            return time.monotonic() - t0 - skip / rate

        elapsed = asyncio.run(main())
        seen = {}
        try:
            out, _ = reader.communicate(timeout=10)
            for l in out.split("\n"):
                if l.strip():
                    vm, t = l.split()
                    seen[vm] = float(t)
        except subprocess.TimeoutExpired:
            reader.kill()
            out, _ = reader.communicate()
            for l in out.split("\n"):
                if l.strip():
                    vm, t = l.split()
                    seen[vm] = float(t)

        def q(xs, p):
            xs = sorted(xs)
            return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else -1

        lat = [seen[v] - sent[v] for v in seen if v in sent]
        print(json.dumps({"rate": (len(items) - skip) / elapsed, "errors": errors[0], "expected": len(expected),
                          "seen": len(seen), "ack_p50": q(acks, 0.5), "ack_p99": q(acks, 0.99),
                          "change_p50": q(lat, 0.5), "change_p99": q(lat, 0.99),
                          "change_max": max(lat) * 1000 if lat else -1}))
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
        print(json.dumps({"seconds": time.monotonic() - t0, "failed": len(bad), "errors": bad}))
        """#
}
