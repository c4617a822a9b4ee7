#!/usr/bin/env bash
# Issue 10's overload scenario: N WebSocket subscribers on ONE channel of a Herald server, some of
# them reading slowly, and a publisher of plain messages faster than the server can fan out.
# Reports per class of subscriber the closes by code (4002, 4003, 1006, others), messages, lag
# frames and their skipped counts, any offset missed without a lag frame (silent loss), and the
# server's RSS and heap over time. Pass: no 4002 among reading clients, no silent loss, RSS growth
# within subscribers × (outbound buffer + 64 KiB).
#
#   bench/overload.sh [--subscribers 2000] [--slow-fraction 0.25] [--slow-read-ms 100] [--slow-read-bytes 8192]
#                     [--slow-socket-buffer 65536] [--rate 2000] [--per-request 10] [--data-bytes 200]
#                     [--seconds 60] [--drain-seconds 30] [--preset NAME] [--memory-bound-mib M]
#                     [--server-cpus 0] [--loadgen-cpus 1] [--connect-rate 1000] [--port 18950]
#                     [--no-build] [--no-docs]
#   (also: bench/run.sh overload [the same options])
#
# Writes bench/results/overload-<UTC timestamp>/ (git-ignored: overload.json with every client,
# report.md, server.log, loadgen.log, machine.txt) and copies the report to docs/BENCHMARKS-overload.md
# unless --no-docs. Server on core 0, load generator and publisher on core 1. Nothing listens beyond
# 127.0.0.1. Environment: BENCH_SERVER_JAVA_OPTS, BENCH_LOADGEN_JAVA_OPTS, BENCH_HERALD_JAR (the server jar,
# default herald-server/target/herald.jar: e.g. an older build, to compare).
# Exit status: 0 when the pass criteria hold, 1 when one does not (or the run failed), 2 on a usage
# error or a server that did not start.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

subscribers=2000
slow_fraction=0.25
slow_read_ms=100
slow_read_bytes=8192
slow_socket_buffer=65536
rate=2000
per_request=10
data_bytes=200
seconds=60
drain_seconds=30
preset=""
memory_bound=()
server_cpus=0
loadgen_cpus=1
connect_rate=1000
port_base=18950
build=1
docs=1
command_line="bench/run.sh overload${*:+ $*}"
while [ $# -gt 0 ]; do
  case "$1" in
    --subscribers) subscribers="$2"; shift 2 ;;
    --slow-fraction) slow_fraction="$2"; shift 2 ;;
    --slow-read-ms) slow_read_ms="$2"; shift 2 ;;
    --slow-read-bytes) slow_read_bytes="$2"; shift 2 ;;
    --slow-socket-buffer) slow_socket_buffer="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --per-request) per_request="$2"; shift 2 ;;
    --data-bytes) data_bytes="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --drain-seconds) drain_seconds="$2"; shift 2 ;;
    --preset) preset="$2"; shift 2 ;;
    --memory-bound-mib) memory_bound=(--memory-bound-mib "$2"); shift 2 ;;
    --server-cpus) server_cpus="$2"; shift 2 ;;
    --loadgen-cpus) loadgen_cpus="$2"; shift 2 ;;
    --connect-rate) connect_rate="$2"; shift 2 ;;
    --port) port_base="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-docs) docs=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "overload.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
for v in subscribers rate per_request seconds; do
  if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then
    echo "overload.sh: --${v//_/-} must be a whole number of at least 1, not '${!v}'" >&2
    exit 2
  fi
done
if [ "$subscribers" -gt 19000 ]; then
  echo "overload.sh: $subscribers subscribers need as many sockets in one process (limit 20,000 open files)" >&2
  exit 2
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
server_jar=${BENCH_HERALD_JAR:-herald-server/target/herald.jar} # another build of Herald to compare
bench_jar=bench/target/herald-bench.jar
spring_jar=""
export HERALD_BENCH_API_KEY="${HERALD_BENCH_API_KEY:-bench-publish-key-$(date +%s)-$$}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=bench/results/overload-$stamp
mkdir -p "$results"
server_java_opts=${BENCH_SERVER_JAVA_OPTS:-}
loadgen_java_opts=${BENCH_LOADGEN_JAVA_OPTS:--Xms512m -Xmx2g}
server_cpu="taskset -c $server_cpus"
loadgen_cpu="taskset -c $loadgen_cpus"
command -v taskset >/dev/null || { server_cpu=""; loadgen_cpu=""; echo "overload.sh: no taskset; nothing is pinned" >&2; }
[ "$(nproc)" -ge 2 ] || { server_cpu=""; loadgen_cpu=""; echo "overload.sh: fewer than 2 cores; nothing is pinned" >&2; }

servers=herald
server_pid=""
sub_pids=()
me=overload.sh
. bench/servers.sh
trap stop_all EXIT
trap 'exit 130' INT TERM

if [ "$build" = 1 ]; then build_servers; fi
command -v curl >/dev/null || { echo "overload.sh: curl is needed to poll /health" >&2; exit 2; }

name=herald-defaults
server_args="(defaults)"
if [ -n "$preset" ]; then
  if [ "$preset" = passthrough ]; then name=herald-passthrough; server_args="--preset passthrough"
  else echo "overload.sh: --preset: only passthrough is wired (the defaults otherwise)" >&2; exit 2; fi
fi
port=$(free_port "$port_base") || { echo "overload.sh: no free port from $port_base" >&2; exit 2; }
echo "overload.sh: starting Herald on 127.0.0.1:$port" >&2
if ! start_server "$name" "$port" "$results/server.log"; then
  echo "overload.sh: Herald did not start:" >&2; tail -n 20 "$results/server.log" >&2
  exit 2
fi

{
  describe_machine | grep -Ev '^(node|ws|socket.io|spring boot):'
  echo "pinning: ${server_cpu:-none} (server), ${loadgen_cpu:-none} (load generator and publisher)"
  echo "server JVM options: ${server_java_opts:-none}; load generator: $loadgen_java_opts"
  echo "server jar: $server_jar ($(date -u -r "$server_jar" +%Y-%m-%dT%H:%MZ)); checkout: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
} >"$results/machine.txt"

status=0
run_timeout=$(( subscribers / connect_rate + 60 + seconds + 60 + ${drain_seconds%.*} + 60 ))
timeout "$run_timeout" $loadgen_cpu java $loadgen_java_opts -cp "$bench_jar" io.herald.bench.load.OverloadBench \
  --url "ws://127.0.0.1:$port/ws/overload" --publish-url "http://127.0.0.1:$port/api/publish" \
  --metrics-url "http://127.0.0.1:$port/metrics" --channel overload --server-pid "$server_pid" \
  --subscribers "$subscribers" --slow-fraction "$slow_fraction" --slow-read-ms "$slow_read_ms" \
  --slow-read-bytes "$slow_read_bytes" --slow-socket-buffer "$slow_socket_buffer" --rate "$rate" \
  --per-request "$per_request" --data-bytes "$data_bytes" --seconds "$seconds" --drain-seconds "$drain_seconds" \
  --connect-rate "$connect_rate" ${memory_bound[@]+"${memory_bound[@]}"} --server-args="$server_args" \
  --machine "$results/machine.txt" --command "$command_line" \
  --out "$results/overload.json" --report "$results/report.md" 2>"$results/loadgen.log" || status=$?
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "overload.sh: the server exited during the run (see $results/server.log)" >&2
  status=1
fi
stop_all
if [ "$status" -ge 2 ] || [ ! -f "$results/report.md" ]; then
  echo "overload.sh: the run failed (exit $status):" >&2; tail -n 20 "$results/loadgen.log" >&2
  exit 1
fi
# (the load generator printed the report)
if [ "$docs" = 1 ]; then cp "$results/report.md" docs/BENCHMARKS-overload.md; fi
echo "overload.sh: results in $results" >&2
exit "$status"
