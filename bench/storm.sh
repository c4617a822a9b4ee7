#!/usr/bin/env bash
# Issue 12's reconnect storm: N WebSocket clients subscribed to one channel (or spread over C),
# each sees a few warm-up messages and disconnects; M plain messages are published while they are
# away; then all N reconnect at once with /ws/<channel>?since=<epoch>:<offset> (the position each
# last saw). Measures the time until every client has recovered:true and all M missed messages,
# the server's CPU per recovered message (/proc/<pid>/stat over the storm ÷ N × M), and counts
# clients answered recovered:false, with a gap or a repeat.
#
#   bench/storm.sh [--clients 10000] [--channels 1] [--missed 100] [--warmup 10] [--data-bytes 200]
#                  [--connect-rate 1000] [--timeout-seconds 120] [--server-cpus 0] [--loadgen-cpus 1]
#                  [--port 18970] [--no-build] [--no-docs]
#   (also: bench/run.sh storm [the same options])
#
# Writes bench/results/storm-<UTC timestamp>/ (git-ignored: report.md, server.log, loadgen.log,
# machine.txt) and copies the report to docs/BENCHMARKS-storm.md unless --no-docs. Herald with its
# defaults (history 100 messages, 5 min) on core 0, the clients on core 1, 127.0.0.1 only.
# Environment: BENCH_SERVER_JAVA_OPTS, BENCH_LOADGEN_JAVA_OPTS (default -Xms512m -Xmx2g), BENCH_HERALD_JAR.
# Exit status: 0 when every client recovered everything, 1 otherwise or on a failed run, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

clients=10000; channels=1; missed=100; warmup=10; data_bytes=200; connect_rate=1000; timeout_seconds=120
server_cpus=0; loadgen_cpus=1; port_base=18970; build=1; docs=1
command_line="bench/run.sh storm${*:+ $*}"
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --channels) channels="$2"; shift 2 ;;
    --missed) missed="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --data-bytes) data_bytes="$2"; shift 2 ;;
    --connect-rate) connect_rate="$2"; shift 2 ;;
    --timeout-seconds) timeout_seconds="$2"; shift 2 ;;
    --server-cpus) server_cpus="$2"; shift 2 ;;
    --loadgen-cpus) loadgen_cpus="$2"; shift 2 ;;
    --port) port_base="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-docs) docs=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "storm.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
for v in clients channels missed warmup timeout_seconds; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "storm.sh: --${v//_/-} must be a whole number of at least 1" >&2; exit 2; }
done
[ "$clients" -le 19000 ] || { echo "storm.sh: $clients clients need as many sockets in one process (limit 20,000 open files)" >&2; exit 2; }

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
server_jar=${BENCH_HERALD_JAR:-herald-server/target/herald.jar}
bench_jar=bench/target/herald-bench.jar
spring_jar=""
export HERALD_BENCH_API_KEY="${HERALD_BENCH_API_KEY:-bench-publish-key-$(date +%s)-$$}"
results=bench/results/storm-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
server_java_opts=${BENCH_SERVER_JAVA_OPTS:-}
loadgen_java_opts=${BENCH_LOADGEN_JAVA_OPTS:--Xms512m -Xmx2g}
server_cpu="taskset -c $server_cpus"; loadgen_cpu="taskset -c $loadgen_cpus"
command -v taskset >/dev/null || { server_cpu=""; loadgen_cpu=""; }
[ "$(nproc)" -ge 2 ] || { server_cpu=""; loadgen_cpu=""; }

servers=herald; server_pid=""; sub_pids=(); me=storm.sh
. bench/servers.sh
trap stop_all EXIT
trap 'exit 130' INT TERM
if [ "$build" = 1 ]; then build_servers; fi

port=$(free_port "$port_base") || { echo "storm.sh: no free port from $port_base" >&2; exit 2; }
echo "storm.sh: starting Herald (defaults) on 127.0.0.1:$port" >&2
start_server herald-defaults "$port" "$results/server.log" || { echo "storm.sh: Herald did not start" >&2; tail -n 20 "$results/server.log" >&2; exit 2; }
{
  describe_machine | grep -Ev '^(node|ws|socket.io|spring boot):'
  echo "pinning: ${server_cpu:-none} (server), ${loadgen_cpu:-none} (clients and publisher)"
  echo "server JVM options: ${server_java_opts:-none}; load generator: $loadgen_java_opts"
  echo "checkout: $(git rev-parse --short HEAD 2>/dev/null || echo '?'); started $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$results/machine.txt"

listen_drops() { awk '/^TcpExt:/ { if (!h) { split($0, n); h = 1 } else { for (i = 2; i <= NF; i++) if (n[i] == "ListenDrops") print $i } }' /proc/net/netstat 2>/dev/null || echo '?'; }
drops0=$(listen_drops)
status=0
timeout $(( clients / connect_rate + timeout_seconds + 240 )) $loadgen_cpu java $loadgen_java_opts -cp "$bench_jar" io.herald.bench.load.StormBench \
  --url "ws://127.0.0.1:$port/ws" --publish-url "http://127.0.0.1:$port/api/publish" --channel storm \
  --channels "$channels" --clients "$clients" --missed "$missed" --warmup "$warmup" --data-bytes "$data_bytes" \
  --connect-rate "$connect_rate" --timeout-seconds "$timeout_seconds" --server-pid "$server_pid" \
  --machine "$results/machine.txt" --command "$command_line" --report "$results/report.md" 2>"$results/loadgen.log" || status=$?
drops1=$(listen_drops)
[ -f "$results/report.md" ] && printf '\nKernel: TcpExt ListenDrops (SYNs dropped at a full accept queue, the whole machine) over the run: %s → %s; somaxconn %s.\n' \
  "$drops0" "$drops1" "$(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo '?')" >>"$results/report.md"
kill -0 "$server_pid" 2>/dev/null || { echo "storm.sh: the server exited during the run" >&2; status=1; }
stop_all
[ -f "$results/report.md" ] || { echo "storm.sh: no report (exit $status):" >&2; tail -n 20 "$results/loadgen.log" >&2; exit 1; }
if [ "$docs" = 1 ]; then cp "$results/report.md" docs/BENCHMARKS-storm.md; fi
echo "storm.sh: results in $results" >&2
[ "$status" = 0 ] || exit 1
