#!/usr/bin/env bash
# Anti-spoofing namespace test (DESIGN §4): load a rendered nftables ruleset into a network namespace holding a
# bridge, plug a "VM" namespace into it through a veth pair named like the rule's interface, send real frames
# (Python raw AF_PACKET sockets, stdlib only) and show that spoofed ones are dropped, legitimate ones pass, and
# frames from an unguarded bridge port are untouched. The drop counters must equal the number of spoofed frames.
#
# Usage: Tests/antispoof/netns-test.sh RULESET TABLE IFACE MAC IPV4 IPV6
#   RULESET  file rendered by NftablesRenderer holding exactly one guarded interface, IFACE
#   TABLE    its table name (e.g. vigil_host_1)
# Exit status: 0 passed, 77 skipped (this machine allows no network namespaces; reason on stdout), else failed.
set -euo pipefail
RULESET=${1:?usage: netns-test.sh RULESET TABLE IFACE MAC IPV4 IPV6}
TABLE=${2:?table}
IFACE=${3:?interface}
MAC=${4:?mac}
IPV4=${5:?ipv4}
IPV6=${6:?ipv6}

skip() {
    echo "netns-test: skipped: $*"
    exit 77
}

[ "$(uname -s)" = Linux ] || skip "network namespaces need Linux"
[ "$(id -u)" = 0 ] || skip "network namespaces need root (uid is $(id -u))"
for tool in ip nft python3; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (apt-get install -y iproute2 nftables python3)"
done

NS="vgas$$"
HOST="$NS-host" VM="$NS-vm" PEER="$NS-peer"
cleanup() {
    for ns in "$HOST" "$VM" "$PEER"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT

if ! err=$(ip netns add "$HOST" 2>&1); then skip "ip netns add failed: $err"; fi
if ! err=$(ip netns exec "$HOST" true 2>&1); then skip "ip netns exec failed: $err"; fi
ip netns add "$VM"
ip netns add "$PEER"
for ns in "$HOST" "$VM" "$PEER"; do
    # No IPv6 autoconfiguration: the only frames on the bridge are the ones this test sends. (/proc/sys/net is
    # per namespace; without IPv6 in the kernel there is nothing to switch off.)
    ip netns exec "$ns" sh -c 'for f in /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6; do
        [ ! -e "$f" ] || echo 1 > "$f"; done'
done

# The bridge first, then the ports: the VM's tap (named like the rule's interface) and an unguarded peer port.
if ! err=$(ip -n "$HOST" link add br0 type bridge 2>&1); then skip "cannot create a bridge: $err"; fi
ip -n "$HOST" link set br0 up
ip -n "$HOST" link add "$IFACE" type veth peer name eth0 netns "$VM"
ip -n "$HOST" link add vgpeer type veth peer name eth0 netns "$PEER"
for port in "$IFACE" vgpeer; do
    ip -n "$HOST" link set "$port" master br0
    ip -n "$HOST" link set "$port" up
done
ip -n "$VM" link set eth0 address "$MAC"
ip -n "$VM" link set eth0 up
ip -n "$PEER" link set eth0 address 02:00:00:00:00:fe
ip -n "$PEER" link set eth0 up

if ! err=$(ip netns exec "$HOST" nft -f "$RULESET" 2>&1); then
    case "$err" in
        *"Operation not permitted"* | *"Permission denied"*) skip "nft cannot load rules here: $err" ;;
        *) echo "netns-test: nft -f $RULESET failed: $err"; exit 1 ;;
    esac
fi
# Loading twice must be idempotent.
ip netns exec "$HOST" nft -f "$RULESET"
sleep 0.3  # let the ports reach forwarding state

# Send each frame from the VM port and record which reach the peer; the script prints one line per frame.
status=0
out=$(python3 - "$VM" "$PEER" "$MAC" "$IPV4" "$IPV6" <<'PY'
import ctypes, os, socket, struct, sys, time

vm_ns, peer_ns, mac, ipv4, ipv6 = sys.argv[1:6]
libc = ctypes.CDLL(None, use_errno=True)

def enter(ns):
    fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
        raise OSError(ctypes.get_errno(), f"setns {ns}")
    os.close(fd)

def packet_socket(ns):
    enter(ns)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))  # ETH_P_ALL
    s.bind(("eth0", 0))
    s.setblocking(False)
    return s

def m(text): return bytes.fromhex(text.replace(":", ""))
def v4(text): return socket.inet_pton(socket.AF_INET, text)
def v6(text): return socket.inet_pton(socket.AF_INET6, text)
def csum(data):
    if len(data) % 2: data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16: total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF

BCAST = b"\xff" * 6
def eth(src, ethertype, payload, dst=BCAST): return dst + m(src) + struct.pack("!H", ethertype) + payload
def udp4(src, dst, sport, dport, data):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, v4(src), v4(dst))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + udp
def udp6(src, dst, data):
    udp = struct.pack("!HHHH", 40000, 9, 8 + len(data), 0) + data
    pseudo = v6(src) + v6(dst) + struct.pack("!IxxxB", len(udp), 17)
    udp = udp[:6] + struct.pack("!H", csum(pseudo + udp) or 0xFFFF) + udp[8:]
    return struct.pack("!IHBB", 6 << 28, len(udp), 17, 64) + v6(src) + v6(dst) + udp
def arp(sha, spa, tpa, data):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + m(sha) + v4(spa) + b"\0" * 6 + v4(tpa) + data

OTHER_MAC, OTHER_V4, OTHER_V6 = "02:00:00:00:00:66", "10.66.66.66", "2001:db8::66"
def tag(name): return b"VIGILAS:" + name.encode() + b";"
def frames():
    yield "ipv4-legit", True, eth(mac, 0x0800, udp4(ipv4, "10.255.255.255", 40000, 9, tag("ipv4-legit")))
    yield "ipv4-dhcp-discover", True, eth(mac, 0x0800, udp4("0.0.0.0", "255.255.255.255", 68, 67, tag("ipv4-dhcp-discover")))
    yield "mac-spoof", False, eth(OTHER_MAC, 0x0800, udp4(ipv4, "10.255.255.255", 40000, 9, tag("mac-spoof")))
    yield "ipv4-spoof", False, eth(mac, 0x0800, udp4(OTHER_V4, "10.255.255.255", 40000, 9, tag("ipv4-spoof")))
    yield "arp-legit", True, eth(mac, 0x0806, arp(mac, ipv4, "10.255.255.254", tag("arp-legit")))
    yield "arp-probe", True, eth(mac, 0x0806, arp(mac, "0.0.0.0", ipv4, tag("arp-probe")))
    yield "arp-ip-spoof", False, eth(mac, 0x0806, arp(mac, OTHER_V4, "10.255.255.254", tag("arp-ip-spoof")))
    yield "arp-mac-spoof", False, eth(mac, 0x0806, arp(OTHER_MAC, ipv4, "10.255.255.254", tag("arp-mac-spoof")))
    yield "ipv6-legit", True, eth(mac, 0x86DD, udp6(ipv6, "ff02::1", tag("ipv6-legit")))
    yield "ipv6-link-local", True, eth(mac, 0x86DD, udp6("fe80::1", "ff02::1", tag("ipv6-link-local")))
    yield "ipv6-spoof", False, eth(mac, 0x86DD, udp6(OTHER_V6, "ff02::1", tag("ipv6-spoof")))
    yield "vlan-tagged", False, eth(mac, 0x8100, struct.pack("!HH", 7, 0x0800) + udp4(OTHER_V4, "10.255.255.255", 40000, 9, tag("vlan-tagged")))
    yield "other-ethertype", False, eth(mac, 0x88B5, tag("other-ethertype"))

def drain(sock, seconds=0.5):
    seen, deadline = set(), time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            data = sock.recv(65535)
        except BlockingIOError:
            time.sleep(0.01)
            continue
        start = data.find(b"VIGILAS:")
        if start >= 0:
            seen.add(data[start + 8 : data.index(b";", start)].decode())
    return seen

try:
    peer_rx = packet_socket(peer_ns)
    vm_sock = packet_socket(vm_ns)
except PermissionError as e:
    print(f"netns-test: skipped: raw packet sockets or setns not permitted: {e}")
    sys.exit(77)
expected = {}
for name, passes, frame in frames():
    vm_sock.send(frame)
    expected[name] = passes
got = drain(peer_rx)

# A frame with any addresses from the unguarded peer port must reach the VM untouched.
drain(vm_sock, 0.05)
peer_tx = packet_socket(peer_ns)
peer_tx.send(eth(OTHER_MAC, 0x0800, udp4(OTHER_V4, "10.255.255.255", 40000, 9, tag("unguarded-port"))))
enter(vm_ns)
unguarded = "unguarded-port" in drain(vm_sock)

failed = False
for name, passes in expected.items():
    ok = (name in got) == passes
    failed |= not ok
    print(f"netns-test: {'ok  ' if ok else 'FAIL'} {name}: {'passed' if name in got else 'dropped'} (expected {'pass' if passes else 'drop'})")
print(f"netns-test: {'ok  ' if unguarded else 'FAIL'} unguarded-port: {'passed' if unguarded else 'dropped'} (expected pass)")
failed |= not unguarded
print(f"SPOOFED={sum(1 for p in expected.values() if not p)}")
sys.exit(1 if failed else 0)
PY
) || status=$?
echo "$out" | grep -v '^SPOOFED='
[ "$status" != 77 ] || exit 77
[ "$status" = 0 ] || { echo "netns-test: frames were not filtered as expected"; exit 1; }

# Every drop rule carries a counter: together they must have counted exactly the spoofed frames.
spoofed=$(echo "$out" | sed -n 's/^SPOOFED=//p')
dropped=$(ip netns exec "$HOST" nft list table bridge "$TABLE" | grep -o 'counter packets [0-9]*' | awk '{n += $3} END {print n + 0}')
echo "netns-test: nft drop counters: $dropped packets, spoofed frames sent: $spoofed"
[ "$dropped" = "$spoofed" ] || { echo "netns-test: drop counters do not match the spoofed frames"; exit 1; }
echo "netns-test: passed"
