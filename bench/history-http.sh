#!/usr/bin/env bash
# Publishes/s over HTTP with the disk history store against memory (issue 12): for each engine,
# starts Herald (history.store=memory, then disk with its flush interval), and for each count runs
# that many concurrent keep-alive publishers (io.herald.bench.HttpPublishLoad), each waiting for its
# answer before the next publish. Server on core 0, publishers on core 1 when taskset exists.
#   bench/history-http.sh [seconds 10] [connections "1 16 64 256 1024"] [flushMillis 100] [channels 100] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
counts=${2:-"1 16 64 256 1024"}
flush=${3:-100}
channels=${4:-100}
[ "${5:-}" = --no-build ] || ./mvnw -B -ntp -q -o package -pl herald-server,bench -am -DskipTests -Dfuzz.skip=true
server_cpu=() load_cpu=()
if command -v taskset >/dev/null; then server_cpu=(taskset -c 0); load_cpu=(taskset -c 1); fi
export HERALD_BENCH_API_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d " \n")
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
port=18780
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $seconds s per step after a 3 s warm-up; $channels channels"
for engine in memory disk; do
  store=(--set history.store=memory)
  label=memory
  if [ "$engine" = disk ]; then
    store=(--set history.store=disk --set "history.dir=$work/data" --set "history.flushInterval=${flush}ms")
    label="disk (flush $flush ms)"
  fi
  env HERALD_AUTH_ANONYMOUS=true HERALD_AUTH_API_KEYS_PUBLISH="$HERALD_BENCH_API_KEY" \
    ${server_cpu[@]+"${server_cpu[@]}"} java -jar herald-server/target/herald.jar serve --port "$port" --log-level warn \
    --set limits.maxConnectionsPerIp=100000 --set limits.maxConnections=100000 "${store[@]}" >"$work/server-$engine.log" 2>&1 &
  server_pid=$!
  up=""
  for _ in $(seq 1200); do
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" 2>/dev/null && { up=1; break; }
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$up" ] || { echo "history-http: the $engine server did not start:"; cat "$work/server-$engine.log"; exit 1; }
  for c in $counts; do
    printf '%-22s ' "$label"
    ${load_cpu[@]+"${load_cpu[@]}"} java -cp bench/target/herald-bench.jar io.herald.bench.HttpPublishLoad \
      "127.0.0.1:$port" "$c" "$seconds" 3 "$channels" "$server_pid"
  done
  if [ "$engine" = disk ]; then
    echo "  disk writes by the server: $(awk '/^write_bytes/ {printf "%.0f MB", $2 / 1e6}' /proc/$server_pid/io 2>/dev/null); file: $(du -m "$work/data/history.mv.db" | cut -f1) MB"
  fi
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
