#!/usr/bin/env bash
# The `scan` benchmark (shared/WORKLOADS.md): replays the 60 s scan job against one Herald server
# per configuration, with N WebSocket clients offering permessage-deflate and N not, and reports
# frames, wire bytes, messages by kind and the delivery checks as a Markdown table, printed and
# written to bench/results/scan-<timestamp>.md.
#
#   bench/scan.sh [--speed 10] [--clients 5] [--seed N] [--configs "passthrough standard large realtime"]
#                 [--port 18731] [--final-timeout 15] [--no-build]
#
# Environment: SCAN_SERVER_JAVA_OPTS (server JVM), SCAN_BENCH_JAVA_OPTS (client JVM).
#
# Exit status: 0 when every check passed, 1 when one failed, 2 on a usage or setup error.
set -euo pipefail
cd "$(dirname "$0")/.."

speed=10
clients=5
seed=""
configs="passthrough standard large realtime"
port_base=18731
final_timeout=15
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --speed) speed="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --port) port_base="$2"; shift 2 ;;
    --final-timeout) final_timeout="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scan.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

server_jar=herald-server/target/herald.jar
export HERALD_BENCH_API_KEY="${HERALD_BENCH_API_KEY:-bench-publish-key-$(date +%s)-$$}"
bench_jar=bench/target/herald-bench.jar
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-scan.XXXXXX")
server_pid=""
clock_ticks=$(getconf CLK_TCK 2>/dev/null || echo 100)
# The load generator shares the machine with the server: C1 only and the serial collector roughly
# halve its CPU time (JIT threads are most of it in a run this short), leaving more to the server.
bench_java_opts=${SCAN_BENCH_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}

# Stops the server this script started, if one is running: SIGTERM (graceful drain), then
# SIGKILL if it is still there after 15 s.
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 150); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$build" = 1 ]; then
  echo "scan: building..." >&2
  ./mvnw -q -B -DskipTests package >&2 || { echo "scan: the build failed" >&2; exit 2; }
fi
for jar in "$server_jar" "$bench_jar"; do
  [ -f "$jar" ] || { echo "scan: $jar is missing; run without --no-build" >&2; exit 2; }
done
command -v curl >/dev/null || { echo "scan: curl is needed to poll /health" >&2; exit 2; }

# A port on 127.0.0.1 that nothing listens on, from $1 upwards (at most 50 tries).
free_port() {
  local p=$1
  for _ in $(seq 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
    p=$((p + 1))
  done
  return 1
}

# Starts a server with the given arguments and waits until GET /health answers 200 (at most 30 s).
# Fails, leaving no process behind, when the server exits first (e.g. it rejects an argument).
start_server() {
  local port=$1 log=$2
  shift 2
  # Herald refuses anonymous clients and unauthenticated publishers by default: the benchmark's
  # clients connect anonymously and its publisher sends a publish API key.
  HERALD_AUTH_ANONYMOUS=true HERALD_AUTH_API_KEYS_PUBLISH="$HERALD_BENCH_API_KEY" \
    java ${SCAN_SERVER_JAVA_OPTS:-} -jar "$server_jar" serve --host 127.0.0.1 --port "$port" "$@" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" 2>/dev/null || true
      server_pid=""
      return 1
    fi
    if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "scan: the server on port $port was not ready after 30 s" >&2
  stop_server
  return 1
}

# Server arguments of a configuration: `standard` is the defaults, any other name a preset.
args_for() {
  if [ "$1" = standard ]; then echo ""; else echo "--preset $1"; fi
}

runs=()
index=0
port=$port_base
for config in $configs; do
  index=$((index + 1))
  port=$(free_port "$port") || { echo "scan: no free port from $port_base" >&2; exit 2; }
  log="$work/$config.log"
  note=""
  read -r -a args <<<"$(args_for "$config")"
  echo "scan: $config: starting the server on 127.0.0.1:$port ${args[*]:-}" >&2
  if ! start_server "$port" "$log" ${args[@]+"${args[@]}"}; then
    if [ "$config" != passthrough ]; then
      echo "scan: $config: the server did not start:" >&2
      tail -n 20 "$log" >&2
      exit 2
    fi
    # The passthrough preset is new; older servers get the same effect from explicit keys,
    # and the oldest only run with their defaults. The report says which one was used.
    rejected="$(grep -m1 -i -E 'invalid|unknown|error' "$log" || tail -n 1 "$log")"
    args=(--set defaults.batch.maxSize=1 --set defaults.throttle.rate=0)
    note="the server rejected \`--preset passthrough\` ($rejected); used \`${args[*]}\` instead"
    echo "scan: $config: --preset passthrough rejected; trying ${args[*]}" >&2
    if ! start_server "$port" "$log" "${args[@]}"; then
      rejected="$(grep -m1 -i -E 'invalid|unknown|error' "$log" || tail -n 1 "$log")"
      args=()
      note="the server rejected \`--preset passthrough\` and \`--set defaults.batch.maxSize=1 --set defaults.throttle.rate=0\` ($rejected); ran with the DEFAULTS, so this row is not a pass-through baseline"
      echo "scan: $config: rejected too; falling back to the defaults" >&2
      start_server "$port" "$log" || { echo "scan: $config: the server did not start" >&2; tail -n 20 "$log" >&2; exit 2; }
    fi
  fi
  out="$work/$(printf '%02d' "$index")-$config.json"
  run_args=(run --name "$config" --port "$port" --clients "$clients" --speed "$speed" --final-timeout "$final_timeout"
            --server-args "${args[*]:-}" --note "$note" --server-pid "$server_pid" --clock-ticks "$clock_ticks" --out "$out")
  [ -n "$seed" ] && run_args+=(--seed "$seed")
  # shellcheck disable=SC2086 # the options are words on purpose
  if ! java $bench_java_opts -cp "$bench_jar" io.herald.bench.scan.ScanBench "${run_args[@]}"; then
    echo "scan: $config: the run failed; last server log lines:" >&2
    tail -n 20 "$log" >&2
    exit 2
  fi
  stop_server
  runs+=("$out")
  port=$((port + 1))
done

mkdir -p bench/results
report="bench/results/scan-$(date -u +%Y%m%dT%H%M%SZ).md"
status=0
java $bench_java_opts -cp "$bench_jar" io.herald.bench.scan.ScanBench report --out "$report" "${runs[@]}" || status=$?
echo >&2
echo "scan: report written to $report" >&2
exit "$status"
