#!/usr/bin/env bash
# The pcap/pcapng benchmark of README.md ("pcap and pcapng: benchmark").
# Not run by CI. Inputs come from bench/capture/prepare.sh.
#
#   bench/capture/run.sh DIR          # DIR holds bulk.pcap and small.pcapng
#
# Every row runs RUNS times (default 5), each in a fresh process under
# /usr/bin/time; the table shows medians of wall time, CPU time (user +
# system) and peak RSS. Files are read from the page cache: with
# PAGE_CACHE=reread (the default) each file is first evicted and read back
# once, as a capture read from disk is cached (large folios, which a map
# takes in with one fault per 2 MiB; see crates/zcpkt-cli/src/cmd/bench/
# page_cache.rs); with PAGE_CACHE=keep it is only read once, its pages left
# as they were written. Environment: RUNS, FILES (default "bulk.pcap
# small.pcapng"), PAGE_CACHE, CARGO_TARGET_DIR (as for cargo).
set -euo pipefail

dir=${1:?usage: run.sh DIR}
runs=${RUNS:-5}
page_cache=${PAGE_CACHE:-reread}
files=${FILES:-bulk.pcap small.pcapng}
root=$(cd "$(dirname "$0")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
(cd "$root" && cargo build --release -q -p zcpkt-cli --bin zcpkt --example capture_bench)
zcpkt=$target/release/zcpkt
worker=$target/release/examples/capture_bench
work=$(mktemp -d "$dir/run.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The fields every `fields` row prints (zcpkt and tshark alike).
fields=(frame.number frame.time_epoch frame.len eth.src ip.src ip.dst ipv6.src ipv6.dst
    tcp.srcport tcp.dstport udp.srcport udp.dstport icmp.type)
eargs=()
for f in "${fields[@]}"; do eargs+=(-e "$f"); done
# tshark as shared/spec/fields.md fixes it; the aggregator given explicitly.
tshark_args=(-n -o tcp.desegment_tcp_streams:FALSE -o ip.defragment:FALSE
    -o ipv6.defragment:FALSE -T fields -E occurrence=a -E aggregator=,)
have_fields=false
if "$zcpkt" fields --help >/dev/null 2>&1; then have_fields=true; fi

# median of the numbers on stdin
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# measure NAME CMD... : RUNS runs; sets WALL CPU RSS_MB (medians) and OUT
# (the last run's standard output, in a file). Wall time is taken around
# /usr/bin/time (finer than its %e), CPU time and peak RSS from it.
measure() {
    local name=$1
    shift
    local times=$work/times
    : >"$times"
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s.%N)
        /usr/bin/time -f '%U %S %M' -o "$work/t" "$@" >"$work/out" 2>"$work/err" || {
            echo "run.sh: $name failed:" >&2
            cat "$work/err" >&2
            exit 1
        }
        end=$(date +%s.%N)
        echo "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}') $(tail -n 1 "$work/t")" >>"$times"
    done
    WALL=$(awk '{print $1}' "$times" | median)
    CPU=$(awk '{print $2 + $3}' "$times" | median)
    RSS_MB=$(awk '{print $4 / 1024}' "$times" | median)
    OUT=$work/out
}

echo "# pcap and pcapng benchmark"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "- load at start: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "- $runs runs per row, medians; tools: $(tshark --version 2>/dev/null | head -1 | cut -d' ' -f1-3), tcpdump $(tcpdump --version | head -1 | awk '{print $3}'), pcap-parser $(awk '/name = "pcap-parser"/ {getline; print $3}' "$root/Cargo.lock" | tr -d '"'), etherparse $(awk '/name = "etherparse"/ {getline; print $3}' "$root/Cargo.lock" | tr -d '"')"
echo "- fields: ${fields[*]}"
echo "- page cache: $page_cache ($([ "$page_cache" = reread ] && echo "each file evicted, then read back once, as after reading it from disk" || echo "as the files were written"))"

for name in $files; do
    file=$dir/$name
    size=$(stat -c %s "$file")
    if [ "$page_cache" = reread ]; then
        python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.fsync(fd)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$file"
    fi
    cat "$file" >/dev/null # (re)fill the page cache
    frames=$("$worker" zcpkt-count "$file" | awk '{print $2}')

    # tshark runs on the first 1/16 of the frames; its time for the whole
    # file is its start-up (measured on a one-frame file) plus the per-frame
    # time of the slice times the file's frames.
    ext=${name##*.}
    slice=$work/slice.$ext
    one=$work/one.$ext
    slice_frames=$((frames / 16))
    editcap -r "$file" "$slice" "1-$slice_frames"
    editcap -r "$file" "$one" 1

    echo
    echo "## $name: $(awk -v s="$size" 'BEGIN {printf "%.3f GiB", s / 2^30}'), $frames frames, $(awk -v s="$size" -v n="$frames" 'BEGIN {printf "%.0f", s / n}') bytes per frame on average"
    echo
    echo "| row | wall s | CPU s | GB/s | Mframes/s | peak RSS MB | frames | speed vs. reference |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"

    declare -A wall=() ref=()
    row() { # KEY LABEL REFKEY REFNAME COUNT_OR_DASH
        local key=$1 label=$2 refkey=$3 refname=$4 count=$5
        wall[$key]=$WALL
        local vs=""
        if [[ -n $refkey && -n ${wall[$refkey]:-} ]]; then
            vs=$(awk -v a="$WALL" -v b="${wall[$refkey]}" -v r="$refname" \
                'BEGIN {printf "**%.2fx** vs %s", b / a, r}')
        fi
        awk -v l="$label" -v w="$WALL" -v c="$CPU" -v s="$size" -v n="$frames" \
            -v m="$RSS_MB" -v k="$count" -v vs="$vs" \
            'BEGIN {printf "| %s | %.3f | %.2f | %.2f | %.2f | %.1f | %s | %s |\n", l, w, c, s / w / 1e9, n / w / 1e6, m, k, vs}'
    }
    worker_frames() { awk '{print $2}' "$OUT"; }

    # References first (the table's order is fixed below).
    measure pp-slice "$worker" pp-slice "$file"
    pp_slice=("$WALL" "$CPU" "$RSS_MB" "$(worker_frames)")
    measure pp-stream "$worker" pp-stream "$file"
    pp_stream=("$WALL" "$CPU" "$RSS_MB" "$(worker_frames)")
    measure pp-slice-l4 "$worker" pp-slice-l4 "$file"
    pp_slice_l4=("$WALL" "$CPU" "$RSS_MB" "$(worker_frames)")
    pp_sum=$(awk '{print $4}' "$OUT")
    measure pp-stream-l4 "$worker" pp-stream-l4 "$file"
    pp_stream_l4=("$WALL" "$CPU" "$RSS_MB" "$(worker_frames)")
    # pcap-parser's best mode, for counting and for decoding.
    best=$(awk -v a="${pp_slice[0]}" -v b="${pp_stream[0]}" 'BEGIN {print (a <= b) ? "slice" : "stream"}')
    best_l4=$(awk -v a="${pp_slice_l4[0]}" -v b="${pp_stream_l4[0]}" 'BEGIN {print (a <= b) ? "slice" : "stream"}')

    measure zcpkt-count "$worker" zcpkt-count "$file"
    WALL_PP=${pp_slice[0]}
    [[ $best == stream ]] && WALL_PP=${pp_stream[0]}
    wall[pp-count]=$WALL_PP
    row zcpkt-count "zcpkt: count frames (mmap, slice \`Frames\`)" pp-count "pcap-parser $best" "$(worker_frames)"
    if [[ $ext == pcap ]]; then
        measure zcpkt-headers "$worker" zcpkt-headers "$file"
        row zcpkt-headers "zcpkt: count frames (record headers by \`pread\`, no map)" pp-count "pcap-parser $best" "$(worker_frames)"
    fi
    measure zcpkt-par-count env ZCPKT_THREADS=2 "$worker" zcpkt-par-count "$file"
    row zcpkt-par-count "zcpkt: count frames, \`ParallelCapture\` (2 threads)" pp-count "pcap-parser $best" "$(worker_frames)"
    measure zcpkt-l4 "$worker" zcpkt-l4 "$file"
    WALL_PP=${pp_slice_l4[0]}
    [[ $best_l4 == stream ]] && WALL_PP=${pp_stream_l4[0]}
    wall[pp-l4]=$WALL_PP
    row zcpkt-l4 "zcpkt: decode every frame to L4 (\`Layers\`)" pp-l4 "pcap-parser $best_l4 + etherparse" "$(worker_frames)"
    zcpkt_sum=$(awk '{print $4}' "$OUT")
    measure zcpkt-par-l4 env ZCPKT_THREADS=2 "$worker" zcpkt-par-l4 "$file"
    row zcpkt-par-l4 "zcpkt: decode to L4, \`ParallelCapture\` (2 threads)" pp-l4 "pcap-parser $best_l4 + etherparse" "$(worker_frames)"
    par_sum=$(awk '{print $4}' "$OUT")

    measure capinfos-c capinfos -c -M "$file"
    capinfos_c=("$WALL" "$CPU" "$RSS_MB" "$(awk -F': *' '/Number of packets/ {print $2}' "$OUT")")
    wall[capinfos-c]=$WALL
    measure info "$zcpkt" info "$file"
    row info "\`zcpkt info FILE\`" capinfos-c "capinfos -c" "$(awk -F': *' '/^Number of packets/ {print $2}' "$OUT")"
    measure info-2 "$zcpkt" info "$file" --threads 2
    row info-2 "\`zcpkt info FILE --threads 2\`" capinfos-c "capinfos -c" "$(awk -F': *' '/^Number of packets/ {print $2}' "$OUT")"
    measure stats-1 "$zcpkt" stats "$file" --threads 1
    row stats-1 "\`zcpkt stats FILE --threads 1\`" "" "" "$(awk '/^frames / {print $2}' "$OUT")"
    measure stats-2 "$zcpkt" stats "$file" --threads 2
    row stats-2 "\`zcpkt stats FILE --threads 2\`" stats-1 "one thread" "$(awk '/^frames / {print $2}' "$OUT")"

    measure tshark-one tshark -r "$one" "${tshark_args[@]}" "${eargs[@]}"
    startup=$WALL startup_cpu=$CPU
    measure tshark tshark -r "$slice" "${tshark_args[@]}" "${eargs[@]}"
    tshark_slice=("$WALL" "$CPU" "$RSS_MB" "$(wc -l <"$OUT")")
    tshark_est=$(awk -v t="$WALL" -v s0="$startup" -v n="$frames" -v k="$slice_frames" \
        'BEGIN {print s0 + (t - s0) * n / k}')
    wall[tshark]=$tshark_est
    if $have_fields; then
        measure fields "$zcpkt" fields "$file" "${eargs[@]}" -E aggregator=,
        row fields "\`zcpkt fields FILE -e ...\` (${#fields[@]} fields)" tshark "tshark (est.)" "$(wc -l <"$OUT")"
        measure fields-1 "$zcpkt" fields "$file" "${eargs[@]}" -E aggregator=, --threads 1
        row fields-1 "\`zcpkt fields FILE -e ... --threads 1\`" tshark "tshark (est.)" "$(wc -l <"$OUT")"
    else
        echo "| \`zcpkt fields FILE -e ...\` | *not measured: \`fields\` is not merged into main yet* | | | | | | |"
    fi

    WALL=${pp_slice[0]} CPU=${pp_slice[1]} RSS_MB=${pp_slice[2]}
    row pp-slice "pcap-parser: slice over mmap, count" "" "" "${pp_slice[3]}"
    WALL=${pp_stream[0]} CPU=${pp_stream[1]} RSS_MB=${pp_stream[2]}
    row pp-stream "pcap-parser: streaming reader (1 MiB buffer), count" "" "" "${pp_stream[3]}"
    WALL=${pp_slice_l4[0]} CPU=${pp_slice_l4[1]} RSS_MB=${pp_slice_l4[2]}
    row pp-slice-l4 "pcap-parser slice + etherparse to L4" "" "" "${pp_slice_l4[3]}"
    WALL=${pp_stream_l4[0]} CPU=${pp_stream_l4[1]} RSS_MB=${pp_stream_l4[2]}
    row pp-stream-l4 "pcap-parser stream + etherparse to L4" "" "" "${pp_stream_l4[3]}"

    measure tcpdump tcpdump --count -r "$file"
    row tcpdump "\`tcpdump --count -r FILE\`" "" "" "$(awk '/packets/ {print $1}' "$OUT")"
    WALL=${capinfos_c[0]} CPU=${capinfos_c[1]} RSS_MB=${capinfos_c[2]}
    row capinfos-c "\`capinfos -c FILE\`" "" "" "${capinfos_c[3]}"
    measure capinfos capinfos -M "$file"
    row capinfos "\`capinfos FILE\` (every statistic, as \`zcpkt info\`)" "" "" "$(awk -F': *' '/Number of packets/ {print $2}' "$OUT")"
    WALL=$tshark_est CPU=$(awk -v t="${tshark_slice[1]}" -v s0="$startup_cpu" -v n="$frames" -v k="$slice_frames" \
        'BEGIN {print s0 + (t - s0) * n / k}') RSS_MB=${tshark_slice[2]}
    row tshark "\`tshark -T fields\` (${#fields[@]} fields), estimated from 1/16 of the frames*" "" "" "${tshark_slice[3]} (1/16)"

    if $have_fields; then
        "$zcpkt" fields "$slice" "${eargs[@]}" -E aggregator=, >"$work/zcpkt.txt"
        tshark -r "$slice" "${tshark_args[@]}" "${eargs[@]}" >"$work/tshark.txt" 2>/dev/null
        if cmp -s "$work/zcpkt.txt" "$work/tshark.txt"; then
            echo
            echo "\`zcpkt fields\` and \`tshark -T fields\` output on the slice: identical ($(wc -l <"$work/tshark.txt") lines)."
        else
            echo
            echo "\`zcpkt fields\` and \`tshark -T fields\` output on the slice: DIFFERENT"
            cmp "$work/zcpkt.txt" "$work/tshark.txt" || true
        fi
    fi
    echo
    if [[ $zcpkt_sum == "$pp_sum" && $par_sum == "$pp_sum" ]]; then
        echo "Decoding to L4: zcpkt (sequential and parallel) and etherparse read the same addresses, ports and ICMP types (checksum $zcpkt_sum)."
    else
        echo "Decoding to L4: checksums DIFFER (zcpkt $zcpkt_sum, parallel $par_sum, etherparse $pp_sum)."
    fi
    echo
    echo "\\* tshark: ${tshark_slice[0]} s for the first $slice_frames frames (\`editcap -r\`), $startup s for one frame; whole file estimated as start-up + per-frame time x $frames frames (CPU time likewise; RSS of the slice run)."
    unset wall ref
done
echo
echo "- load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
