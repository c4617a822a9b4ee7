#!/usr/bin/env bash
# Issue 12's heap per history entry: a real Herald with its defaults (history 100 messages per
# channel, ttl 5 min) gets C channels × 1 plain message, then (M − 1) more each, of D bytes of data;
# the live heap after a full GC (jcmd GC.class_histogram, whose "Total" is the bytes of every live
# object) is read before, after the first message of each channel and after the last. Reports the
# bytes per history entry (all: (after − before) ÷ C×M; marginal: the second step ÷ C×(M − 1))
# against the target of 1.5 × D, and the classes that grew the most.
#
#   bench/history-heap.sh [--channels 10000] [--per-channel 100] [--data-bytes 200] [--threads 4]
#                         [--server-cpus 0] [--loadgen-cpus 1] [--port 18990] [--no-build] [--no-docs]
#
# Writes bench/results/history-heap-<UTC timestamp>/ (git-ignored: the three histograms, heap_info,
# report.md, server.log) and copies the report to docs/BENCHMARKS-history-heap.md unless --no-docs.
# Needs a JDK's jcmd. 127.0.0.1 only. Environment: BENCH_SERVER_JAVA_OPTS, BENCH_HERALD_JAR.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }
channels=10000; per_channel=100; data_bytes=200; threads=4; server_cpus=0; loadgen_cpus=1; port_base=18990; build=1; docs=1
command_line="bench/history-heap.sh${*:+ $*}"
while [ $# -gt 0 ]; do
  case "$1" in
    --channels) channels="$2"; shift 2 ;;
    --per-channel) per_channel="$2"; shift 2 ;;
    --data-bytes) data_bytes="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --server-cpus) server_cpus="$2"; shift 2 ;;
    --loadgen-cpus) loadgen_cpus="$2"; shift 2 ;;
    --port) port_base="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-docs) docs=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "history-heap.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$per_channel" =~ ^[1-9][0-9]*$ && "$per_channel" -ge 2 ]] || { echo "history-heap.sh: --per-channel must be at least 2" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "history-heap.sh: jcmd (a JDK) is needed" >&2; exit 2; }

server_jar=${BENCH_HERALD_JAR:-herald-server/target/herald.jar}
bench_jar=bench/target/herald-bench.jar
spring_jar=""
export HERALD_BENCH_API_KEY="${HERALD_BENCH_API_KEY:-bench-publish-key-$(date +%s)-$$}"
admin_key="bench-admin-key-$(date +%s)-$$" # GET /api/channels/{channel}/history needs an admin key
export HERALD_AUTH_API_KEYS_ADMIN="$admin_key"
results=bench/results/history-heap-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
server_java_opts=${BENCH_SERVER_JAVA_OPTS:-}
server_cpu="taskset -c $server_cpus"; loadgen_cpu="taskset -c $loadgen_cpus"
command -v taskset >/dev/null || { server_cpu=""; loadgen_cpu=""; }
[ "$(nproc)" -ge 2 ] || { server_cpu=""; loadgen_cpu=""; }
servers=herald; server_pid=""; sub_pids=(); me=history-heap.sh
. bench/servers.sh
trap stop_all EXIT
trap 'exit 130' INT TERM
if [ "$build" = 1 ]; then build_servers; fi

port=$(free_port "$port_base") || { echo "history-heap.sh: no free port" >&2; exit 2; }
start_server herald-defaults "$port" "$results/server.log" || { echo "history-heap.sh: Herald did not start" >&2; exit 2; }
sleep 3

sample() { # name: two full GCs, then the live histogram (itself after a full GC) and heap_info
  $loadgen_cpu jcmd "$server_pid" GC.run >/dev/null
  $loadgen_cpu jcmd "$server_pid" GC.run >/dev/null
  $loadgen_cpu jcmd "$server_pid" GC.class_histogram >"$results/histogram-$1.txt"
  $loadgen_cpu jcmd "$server_pid" GC.heap_info >"$results/heap_info-$1.txt"
  awk '/^Total/ { print $3 }' "$results/histogram-$1.txt"
}
fill() { # per-channel
  $loadgen_cpu java -Xmx1g -cp "$bench_jar" io.herald.bench.load.HistoryFill --publish-url "http://127.0.0.1:$port/api/publish" \
    --channels "$channels" --per-channel "$1" --data-bytes "$data_bytes" --threads "$threads" --prefix hist
}
before=$(sample before)
fill1=$(fill 1)
one=$(sample one)
fill2=$(fill $((per_channel - 1)))
after=$(sample after)
kept() { # the messages GET /api/channels/$1/history returns (its first page: at most 100)
  curl -fsS -H "X-Api-Key: $admin_key" "http://127.0.0.1:$port/api/channels/$1/history" >"$results/history-$1.json" 2>/dev/null || { echo '?'; return; }
  grep -o '"offset":' "$results/history-$1.json" | wc -l | awk '{ print $1 - 1 }' # minus the answer's own "offset"
}
kept_first=$(kept hist-0)
kept_last=$(kept "hist-$((channels - 1))")
set +o pipefail # sort | head below

entries=$((channels * per_channel))
{
  echo "# Heap per history entry (issue 12)"
  echo
  echo "Command: \`$command_line\` ($(date -u +%Y-%m-%dT%H:%MZ), checkout $(git rev-parse --short HEAD 2>/dev/null || echo '?'))."
  echo "Herald with its defaults (history 100 messages, ttl 5 min), server JVM options: ${server_java_opts:-none}."
  echo "Live heap: the \"Total\" bytes of \`jcmd <pid> GC.class_histogram\` (a full GC first), after two \`GC.run\`."
  echo
  echo "| step | publisher | live heap |"
  echo "|---|---|---|"
  echo "| before | – | $before B |"
  echo "| $channels channels × 1 message | $fill1 | $one B |"
  echo "| × $((per_channel - 1)) more each | $fill2 | $after B |"
  echo
  echo "History read back: \`GET /api/channels/hist-0/history\` has $kept_first messages, \`hist-$((channels - 1))\` $kept_last."
  echo
  awk -v b="$before" -v o="$one" -v a="$after" -v e="$entries" -v c="$channels" -v m="$per_channel" -v d="$data_bytes" 'BEGIN {
    all = (a - b) / e; marg = (a - o) / (c * (m - 1)); first = (o - b) / c
    printf "| figure | bytes | × data (%d B) | target ≤ 1.5× (%d B) |\n|---|---|---|---|\n", d, 1.5 * d
    printf "| per history entry, all: (after − before) ÷ %d | **%.0f** | %.2f× | %s |\n", e, all, all / d, all <= 1.5 * d ? "met" : "**not met**"
    printf "| per history entry, marginal: (after − one) ÷ %d | %.0f | %.2f× | %s |\n", c * (m - 1), marg, marg / d, marg <= 1.5 * d ? "met" : "not met"
    printf "| per channel with its first entry: (one − before) ÷ %d | %.0f | | |\n", c, first
  }'
  echo
  echo "Classes that grew the most, before → after (bytes and instances per history entry):"
  echo
  echo "| class | Δ bytes | Δ instances | B / entry | instances / entry |"
  echo "|---|---|---|---|---|"
  awk -v e="$entries" 'FNR == 1 { f++ } $1 ~ /^[0-9]+:$/ { k = $4; if (f == 1) { bb[k] = $3; bi[k] = $2 } else { ab[k] = $3; ai[k] = $2 } }
    END { for (k in ab) { db = ab[k] - bb[k]; if (db > 0) printf "%d\t%s\t%d\n", db, k, ai[k] - bi[k] } }' \
    "$results/histogram-before.txt" "$results/histogram-after.txt" | sort -rn | head -15 |
    awk -F'\t' -v e="$entries" '{ printf "| `%s` | %d | %d | %.1f | %.2f |\n", $2, $1, $3, $1 / e, $3 / e }'
  echo
  echo "heap_info after:"
  echo
  echo '```'
  cat "$results/heap_info-after.txt"
  echo '```'
} >"$results/report.md"
stop_all
cat "$results/report.md"
if [ "$docs" = 1 ]; then cp "$results/report.md" docs/BENCHMARKS-history-heap.md; fi
echo "history-heap.sh: results in $results" >&2
