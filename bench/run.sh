#!/usr/bin/env bash
# Side-by-side benchmarks of Herald and its peers (issue #6), one scenario per run:
#
#   fanout    N subscribers on one channel, 100-byte messages published over HTTP at rising rates
#             until delivery (< 95 %) or latency (p99 > 1 s) breaks, against each server in turn.
#   channels  the same with the N subscribers spread over C channels (subscriber i on ch-<i mod C>)
#             and message j published to ch-<j mod C>: N/C deliveries per message.
#   idle      bench/idle.sh with the remaining arguments (idle connections).
#   seeds     bench/scan.sh with the remaining arguments (the scan job replay: the job-progress workload).
#   overload  bench/overload.sh with the remaining arguments (issue 10: 2,000 subscribers on one channel,
#             some reading slowly, a publisher faster than fan-out; closes, lag accounting, memory).
#   storm     bench/storm.sh with the remaining arguments (issue 12: 10,000 clients reconnect at once with
#             ?since=epoch:offset after 100 missed messages; time to full recovery, server CPU per message).
#
# fanout and channels write their results to bench/results/<scenario>-<UTC timestamp>/ (git-ignored)
# and docs/BENCHMARKS-<scenario>.md + .svg (unless --no-docs).
#
#   bench/run.sh [fanout|channels] [--subscribers 10000] [--processes 1]
#                [--servers "herald-passthrough herald-defaults raw-netty node-ws spring socketio"]
#                [--rates fanout: 1,2,3,5,7,10,14,20,30,50,70,100,200; channels: 100,200,500,1000,2000,3000,5000,7000,10000,15000,20000]
#                [--channels 1000 (channels only)] [--publish-connections 1] [--step-seconds 10] [--drain-seconds 5]
#                [--rounds 1] [--warmup-seconds 20] [--warmup-rate fanout: 5; channels: 100] [--server-cpus 0]
#                [--loadgen-cpus 1] [--connect-rate 1000] [--port 18800] [--no-build] [--no-docs]
#   bench/run.sh idle [idle.sh's options]      bench/run.sh seeds [scan.sh's options]
#   bench/run.sh overload [overload.sh's options]    bench/run.sh storm [storm.sh's options]
#
# The server runs on core 0 (taskset -c 0), the load generator and the publisher on core 1
# (--server-cpus, --loadgen-cpus: taskset lists, e.g. 0,1 for both).
# Environment: BENCH_SERVER_JAVA_OPTS (JVM servers), BENCH_LOADGEN_JAVA_OPTS (load generator).
# Exit status: 0 when every server ran, 1 when one could not start or run, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

scenario=fanout
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then scenario="$1"; shift; fi
case "$scenario" in
  fanout|channels) ;;
  idle)
    if [ ! -f bench/idle.sh ]; then
      echo "run.sh: scenario 'idle' runs bench/idle.sh, which is not in this checkout" >&2
      exit 2
    fi
    if [ -x bench/idle.sh ]; then exec bench/idle.sh "$@"; else exec bash bench/idle.sh "$@"; fi ;;
  seeds) exec bench/scan.sh "$@" ;;
  overload) exec bench/overload.sh "$@" ;;
  storm) exec bench/storm.sh "$@" ;;
  *) echo "run.sh: unknown scenario '$scenario' (fanout, channels, idle, seeds, overload or storm; try --help)" >&2; exit 2 ;;
esac

subscribers=10000
processes=1
servers="herald-passthrough herald-defaults raw-netty node-ws spring socketio"
if [ "$scenario" = channels ]; then
  rates="100,200,500,1000,2000,3000,5000,7000,10000,15000,20000"
  warmup_rate=100
  channels=1000
  channel_template="ch-{c}" # {c}: the channel's number, filled in by the load generator
else
  rates="1,2,3,5,7,10,14,20,30,50,70,100,200"
  warmup_rate=5
  channels=1
  channel_template="fanout"
fi
channels_given=0
publish_connections=1
step_seconds=10
drain_seconds=5
warmup_seconds=20
server_cpus=0
loadgen_cpus=1
rounds=1
connect_rate=1000
port_base=18800
build=1
docs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --subscribers) subscribers="$2"; shift 2 ;;
    --processes) processes="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --channels) channels="$2"; channels_given=1; shift 2 ;;
    --publish-connections) publish_connections="$2"; shift 2 ;;
    --step-seconds) step_seconds="$2"; shift 2 ;;
    --drain-seconds) drain_seconds="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmup-seconds) warmup_seconds="$2"; shift 2 ;;
    --warmup-rate) warmup_rate="$2"; shift 2 ;;
    --server-cpus) server_cpus="$2"; shift 2 ;;
    --loadgen-cpus) loadgen_cpus="$2"; shift 2 ;;
    --connect-rate) connect_rate="$2"; shift 2 ;;
    --port) port_base="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-docs) docs=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if [ "$scenario" = fanout ] && [ "$channels_given" = 1 ]; then
  echo "run.sh: fanout has one channel; --channels is for the channels scenario" >&2
  exit 2
fi
for v in subscribers processes channels publish_connections; do
  if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: --${v//_/-} must be a whole number of at least 1, not '${!v}'" >&2
    exit 2
  fi
done
for s in $servers; do
  case "$s" in
    herald-passthrough|herald-defaults|raw-netty|node-ws|spring|socketio) ;;
    *) echo "run.sh: unknown server '$s' (known: herald-passthrough herald-defaults raw-netty node-ws spring socketio)" >&2; exit 2 ;;
  esac
done
per_process=$(( (subscribers + processes - 1) / processes ))
if [ "$per_process" -gt 19000 ]; then
  echo "run.sh: $per_process connections per load generator process is above the 20,000 open files one process may hold; use --processes" >&2
  exit 2
fi
if [ "$subscribers" -gt 19000 ]; then
  echo "run.sh: $subscribers subscribers need as many sockets in the one server process (limit 20,000 open files)" >&2
  exit 2
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
server_jar=herald-server/target/herald.jar
export HERALD_BENCH_API_KEY="${HERALD_BENCH_API_KEY:-bench-publish-key-$(date +%s)-$$}"
bench_jar=bench/target/herald-bench.jar
spring_jar=bench/peers/spring/target/spring-peer.jar
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=bench/results/$scenario-$stamp
mkdir -p "$results"
server_java_opts=${BENCH_SERVER_JAVA_OPTS:-}
loadgen_java_opts=${BENCH_LOADGEN_JAVA_OPTS:--Xms1g -Xmx2g}
server_cpu="taskset -c $server_cpus"
loadgen_cpu="taskset -c $loadgen_cpus"
command -v taskset >/dev/null || { server_cpu=""; loadgen_cpu=""; echo "run.sh: no taskset; nothing is pinned" >&2; }
[ "$(nproc)" -ge 2 ] || { server_cpu=""; loadgen_cpu=""; echo "run.sh: fewer than 2 cores; nothing is pinned" >&2; }

server_pid=""
sub_pids=()
me=run.sh
. bench/servers.sh
trap stop_all EXIT
trap 'exit 130' INT TERM

if [ "$build" = 1 ]; then build_servers; fi
command -v curl >/dev/null || { echo "run.sh: curl is needed to poll /health" >&2; exit 2; }

server_args() {
  case "$1" in
    herald-passthrough) echo "--preset passthrough" ;;
    herald-defaults) echo "(defaults: batch 100 ms / 50)" ;;
    *) echo "" ;;
  esac
}

# The subscribe path of server $1; the load generator fills in {c} per connection (channels).
ws_path() {
  case "$1" in
    socketio) echo "/socket.io/?EIO=4&transport=websocket&channel=$channel_template" ;;
    *) echo "/ws/$channel_template" ;;
  esac
}

order=()
for r in $(seq "$rounds"); do
  list=($servers)
  if [ $((r % 2)) = 0 ]; then # alternate: A B C, then C B A, so neither end always runs first
    rev=(); for ((i=${#list[@]}-1; i>=0; i--)); do rev+=("${list[i]}"); done; list=("${rev[@]}")
  fi
  for s in "${list[@]}"; do order+=("$r:$s"); done
done

n_rates=$(echo "$rates" | tr ',' '\n' | wc -l)
run_timeout=$(( subscribers / connect_rate + 60 + warmup_seconds + drain_seconds + n_rates * (step_seconds * 3 + drain_seconds + 15) + 60 ))
status=0
port=$port_base
for entry in "${order[@]}"; do
  round=${entry%%:*}; name=${entry#*:}
  label=$name; [ "$rounds" -gt 1 ] && label="$name#$round"
  port=$(free_port "$port") || { echo "run.sh: no free port from $port_base" >&2; exit 2; }
  work=$(mktemp -d "${TMPDIR:-/tmp}/herald-$scenario.XXXXXX")
  echo "run.sh: $label: starting on 127.0.0.1:$port" >&2
  if ! start_server "$name" "$port" "$results/$label.server.log"; then
    echo "run.sh: $label did not start:" >&2; tail -n 20 "$results/$label.server.log" >&2
    status=1; rm -rf "$work"; port=$((port + 1)); continue
  fi
  for ((i=0; i<processes; i++)); do
    n=$per_process; [ $(( (i + 1) * per_process )) -gt "$subscribers" ] && n=$(( subscribers - i * per_process ))
    # process i's connections have the global indexes i × per_process onwards (their channels)
    $loadgen_cpu java $loadgen_java_opts -cp "$bench_jar" io.herald.bench.load.LoadGen subscribe \
      --url "ws://127.0.0.1:$port$(ws_path "$name")" --channels "$channels" --first-index "$(( i * per_process ))" \
      --connections "$n" --connect-rate "$(( connect_rate / processes ))" \
      --dir "$work" --id "$i" --max-seconds "$run_timeout" >"$results/$label.loadgen-$i.log" 2>&1 &
    sub_pids+=($!)
  done
  if ! timeout "$run_timeout" $loadgen_cpu java $loadgen_java_opts -cp "$bench_jar" io.herald.bench.load.LoadGen "$scenario" \
      --publish-url "http://127.0.0.1:$port/api/publish" --channel "$channel_template" --channels "$channels" \
      --publish-connections "$publish_connections" --warmup-rate "$warmup_rate" --dir "$work" --processes "$processes" \
      --server-pid "$server_pid" --name "$label" --server-args="$(server_args "$name")" --rates "$rates" \
      --step-seconds "$step_seconds" --drain-seconds "$drain_seconds" --warmup-seconds "$warmup_seconds" --out "$results/$label.json"; then
    echo "run.sh: $label: the run failed" >&2; status=1
  fi
  stop_all
  rm -rf "$work"
  port=$((port + 1))
  sleep 2 # let the closed sockets' TIME_WAIT and the memory settle between servers
done

machine="$results/machine.txt"
{
  describe_machine
  echo "subscribers: $subscribers in $processes load generator process(es); rates $rates msg/s; $step_seconds s per step, drain up to $drain_seconds s"
  if [ "$scenario" = channels ]; then
    echo "channels: $channels ($channel_template, {c} = 0 … $((channels - 1))): subscriber i on channel i mod $channels, message j to channel j mod $channels; $publish_connections publish connection(s); warm-up $warmup_rate msg/s for $warmup_seconds s"
  fi
  echo "pinning: ${server_cpu:-none} (server), ${loadgen_cpu:-none} (load generator and publisher)"
} >"$machine"
report_args=(report --scenario "$scenario" --machine "$machine" --out "$results/report.md" --svg "$results/$scenario.svg")
java -cp "$bench_jar" io.herald.bench.load.LoadGen "${report_args[@]}" "$results"/*.json || status=1
if [ "$docs" = 1 ] && [ -f "$results/report.md" ]; then
  cp "$results/$scenario.svg" "docs/BENCHMARKS-$scenario.svg"
  sed "s#($scenario.svg)#(BENCHMARKS-$scenario.svg)#" "$results/report.md" >"docs/BENCHMARKS-$scenario.md"
fi
cat "$results/report.md" 2>/dev/null || true
echo "run.sh: results in $results" >&2
exit $status
