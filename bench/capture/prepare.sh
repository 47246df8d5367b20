#!/usr/bin/env bash
# Prepares the inputs of the pcap/pcapng benchmark (see README.md, "pcap and
# pcapng: benchmark"). Not run by CI: it captures on loopback (needs root
# and tcpdump) and writes about 2 GiB.
#
#   bench/capture/prepare.sh [DIR]     # default: a new temporary directory
#
# Writes DIR/bulk.pcap   ~1 GiB: a real loopback capture of a 200 MB HTTP
#                        download (python3 -m http.server + curl, 127.0.0.1
#                        only), replicated with consecutive timestamps;
#        DIR/small.pcapng ~1 GiB: Ethernet frames of 60-200 bytes, mixed
#                        IPv4/IPv6/VLAN/ARP/TCP/UDP/ICMP/ICMPv6, written with
#                        zcpkt's pcap writer and converted by editcap.
# Environment: SIZE_MB (default 1074, i.e. 1 GiB), DOWNLOAD_MB (200),
# CARGO_TARGET_DIR (as for cargo).
set -euo pipefail

out=${1:-$(mktemp -d /tmp/zcpkt-capbench.XXXXXX)}
size_mb=${SIZE_MB:-1074}
download_mb=${DOWNLOAD_MB:-200}
root=$(cd "$(dirname "$0")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
mkdir -p "$out"
for tool in tcpdump editcap curl python3; do
    command -v "$tool" >/dev/null || { echo "prepare.sh: $tool is required" >&2; exit 2; }
done

(cd "$root" && cargo build --release -q -p zcpkt --example capture_inputs)
gen=$target/release/examples/capture_inputs

# (a) A real capture: bulk TCP on loopback, bounded in time and size.
www=$(mktemp -d /tmp/zcpkt-capbench-www.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$www"
}
trap cleanup EXIT
head -c "$((download_mb * 1000000))" /dev/urandom >"$www/blob"
port=$((20000 + RANDOM % 20000))
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$www" >/dev/null 2>&1 &
pids+=($!)
timeout 120 tcpdump -i lo -s 0 -B 262144 -Z root -w "$out/real.pcap" -c 2000000 \
    "host 127.0.0.1 and tcp port $port" 2>"$www/tcpdump.log" &
tcpdump_pid=$!
pids+=($tcpdump_pid)
for _ in $(seq 100); do
    grep -q listening "$www/tcpdump.log" 2>/dev/null && break
    sleep 0.1
done
for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.1
done
curl -s --max-time 60 --limit-rate 40M --max-filesize $((download_mb * 1000000 + 1)) \
    -o /dev/null "http://127.0.0.1:$port/blob"
sleep 1
kill -INT "$tcpdump_pid" 2>/dev/null || true
wait "$tcpdump_pid" 2>/dev/null || true
cat "$www/tcpdump.log" >&2
grep -q "^0 packets dropped by kernel" "$www/tcpdump.log" ||
    echo "prepare.sh: warning: tcpdump dropped packets (the capture is still valid)" >&2
"$gen" replicate "$out/real.pcap" "$out/bulk.pcap" "$size_mb"

# (b) Small frames, mixed protocols, as pcapng. A pcapng EPB costs ~17 bytes
# more per frame than a pcap record (32-byte block head and tail, padding),
# so the pcap is written ~10.7% smaller for the pcapng to reach the size.
"$gen" small "$out/small.pcap" "$((size_mb * 893 / 1000))" 1
editcap -F pcapng "$out/small.pcap" "$out/small.pcapng"
rm -f "$out/small.pcap"
ls -l "$out"
echo "$out"
