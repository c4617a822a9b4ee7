#!/usr/bin/env bash
# Side-by-side benchmark `idle` (issue #6): memory per idle WebSocket connection. For each server in
# turn, opens idle connections in steps up to what one process may hold here (20,000 open files)
# and, at 0 connections and at each count, forces a full GC and reads heap, RSS, kernel socket
# memory and open files. Writes bench/results/idle-<UTC timestamp>/ (git-ignored) and docs/BENCHMARKS-idle.md.
#
#   bench/idle.sh [--counts 1000,5000,10000,15000,19000] [--servers "herald raw-netty node-ws spring socketio"]
#                 [--connect-rate 1000] [--settle-seconds 6] [--port 18900] [--no-build] [--no-docs]
#
# The server runs on core 0 (taskset -c 0), the load generators and the measuring tools on core 1.
# Environment: BENCH_SERVER_JAVA_OPTS (JVM servers), BENCH_LOADGEN_JAVA_OPTS (load generators).
# Exit status: 0 when every server ran, 1 when one could not start or run, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

invocation="bench/idle.sh"
for a in "$@"; do # the command line as typed, for the report
  if [[ "$a" =~ ^[A-Za-z0-9_.,:/=+-]+$ ]]; then invocation+=" $a"; else invocation+=" \"$a\""; fi
done
counts="1000,5000,10000,15000,19000"
servers="herald raw-netty node-ws spring socketio"
connect_rate=1000
settle_seconds=6
port_base=18900
build=1
docs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --counts) counts="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --connect-rate) connect_rate="$2"; shift 2 ;;
    --settle-seconds) settle_seconds="$2"; shift 2 ;;
    --port) port_base="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-docs) docs=0; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "idle.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

# One server process holds every connection: the largest count must leave room below the hard limit
# of open files per process for the server's own files (jars, epoll, pipes, the listening socket).
hard_nofile=$(ulimit -Hn)
max_count=19000
if [[ "$hard_nofile" =~ ^[0-9]+$ ]] && [ $((hard_nofile - 1000)) -lt "$max_count" ]; then max_count=$((hard_nofile - 1000)); fi
count_list=()
prev=0
IFS=',' read -r -a requested_counts <<<"$counts"
for c in "${requested_counts[@]}"; do
  c=${c// /}
  [[ "$c" =~ ^[0-9]+$ ]] && [ "$c" -gt 0 ] || { echo "idle.sh: --counts must be positive whole numbers, got '$c'" >&2; exit 2; }
  [ "$c" -gt "$prev" ] || { echo "idle.sh: --counts must rise ($c after $prev)" >&2; exit 2; }
  if [ "$c" -gt "$max_count" ]; then
    echo "idle.sh: $c connections need as many sockets in the one server process, but one process may hold" \
      "$hard_nofile open files here (ulimit -Hn, a hard limit); the most this benchmark asks for is $max_count" >&2
    exit 2
  fi
  count_list+=("$c"); prev=$c
done
[ "${#count_list[@]}" -gt 0 ] || { echo "idle.sh: --counts is empty" >&2; exit 2; }
for name in $servers; do
  case "$name" in
    herald|raw-netty|node-ws|spring|socketio) ;;
    *) echo "idle.sh: unknown server '$name' (herald, raw-netty, node-ws, spring, socketio)" >&2; exit 2 ;;
  esac
done
[ -n "${servers// /}" ] || { echo "idle.sh: --servers is empty" >&2; exit 2; }
[[ "$connect_rate" =~ ^[0-9]+$ ]] && [ "$connect_rate" -gt 0 ] || { echo "idle.sh: --connect-rate must be a positive whole number" >&2; exit 2; }
[[ "$settle_seconds" =~ ^[0-9]+$ ]] || { echo "idle.sh: --settle-seconds must be a whole number" >&2; exit 2; }

ulimit -n "$hard_nofile" 2>/dev/null || true
server_jar=herald-server/target/herald.jar
bench_jar=bench/target/herald-bench.jar
spring_jar=bench/peers/spring/target/spring-peer.jar
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=bench/results/idle-$stamp
mkdir -p "$results"
server_java_opts=${BENCH_SERVER_JAVA_OPTS:-}
# Idle connections need little of the load generator: a small heap and the C1 compiler leave the machine quieter.
loadgen_java_opts=${BENCH_LOADGEN_JAVA_OPTS:--Xms64m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
server_cpu="taskset -c 0"
loadgen_cpu="taskset -c 1"
command -v taskset >/dev/null || { server_cpu=""; loadgen_cpu=""; echo "idle.sh: no taskset; nothing is pinned" >&2; }
[ "$(nproc)" -ge 2 ] || { server_cpu=""; loadgen_cpu=""; echo "idle.sh: fewer than 2 cores; nothing is pinned" >&2; }

server_pid=""
sub_pids=()
work=""
me=idle.sh
. bench/servers.sh
cleanup() {
  stop_all
  [ -n "$work" ] && rm -rf "$work"
  work=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$build" = 1 ]; then build_servers; fi
command -v curl >/dev/null || { echo "idle.sh: curl is needed to poll /health" >&2; exit 2; }
if needs herald || needs raw-netty || needs spring; then
  command -v jcmd >/dev/null && command -v jstat >/dev/null || { echo "idle.sh: jcmd and jstat (a JDK) are needed to read the JVM servers' heap" >&2; exit 2; }
fi

server_args() { # how server $1 was started, for the report
  local j=""; [ -n "$server_java_opts" ] && j=" $server_java_opts"
  case "$1" in
    herald) echo "HERALD_AUTH_ANONYMOUS=true java$j -jar herald.jar serve --log-level warn --set limits.maxConnectionsPerIp=100000" ;;
    raw-netty) echo "java$j -cp herald-bench.jar io.herald.bench.peers.RawNettyPeer" ;;
    spring) echo "java$j -jar spring-peer.jar (server.tomcat.max-connections=19000)" ;;
    node-ws) echo "node --expose-gc bench/peers/node-ws/server.js" ;;
    socketio) echo "node --expose-gc bench/peers/socketio/server.js" ;;
  esac
}

is_jvm() { case "$1" in herald|raw-netty|spring) return 0 ;; *) return 1 ;; esac; }

ws_path() {
  case "$1" in
    socketio) echo "/socket.io/?EIO=4&transport=websocket&channel=idle" ;;
    *) echo "/ws/idle" ;;
  esac
}

# --- measurements (each prints one value, -1 when it cannot be read, and never fails) ---

# "used committed" heap of JVM $1 in bytes after two full GCs: jstat's S0U + S1U + EU + OU and
# S0C + S1C + EC + OC (KiB).
jvm_heap() {
  local pid=$1
  { $loadgen_cpu jcmd "$pid" GC.run >/dev/null 2>&1 && $loadgen_cpu jcmd "$pid" GC.run >/dev/null 2>&1; } || { echo -1 -1; return 0; }
  { LC_ALL=C $loadgen_cpu jstat -gc "$pid" 2>/dev/null || true; } | awk '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { printf "%.0f %.0f\n", ($(col["S0U"]) + $(col["S1U"]) + $(col["EU"]) + $(col["OU"])) * 1024,
                                   ($(col["S0C"]) + $(col["S1C"]) + $(col["EC"]) + $(col["OC"])) * 1024; ok = 1 }
    END { if (!ok) print -1, -1 }'
}

# "heapUsed heapTotal" of the Node server on port $1 after global.gc() (GET /memory).
node_heap() {
  { curl -fsS --max-time 60 "http://127.0.0.1:$1/memory" 2>/dev/null || true; } \
    | sed -n 's/.*"heapUsed":\([0-9]*\),"heapTotal":\([0-9]*\).*/\1 \2/p' | awk '{ print; ok = 1 } END { if (!ok) print -1, -1 }'
}

rss_bytes() {
  if [ -r "/proc/$1/status" ]; then
    awk '/^VmRSS:/ { print $2 * 1024; ok = 1 } END { if (!ok) print -1 }' "/proc/$1/status" 2>/dev/null || true
  else
    echo -1
  fi
}

fd_count() { if [ -d "/proc/$1/fd" ]; then ls "/proc/$1/fd" 2>/dev/null | wc -l; else echo -1; fi; }

# "inuse mem" of the whole machine's TCP sockets: inuse of IPv4 (/proc/net/sockstat) plus IPv6
# (sockstat6: Java's sockets are dual-stack IPv6 ones), mem in pages (one pool for both).
tcp_sockstat() {
  local v6
  v6=$(awk '/^TCP6:/ { print $3 }' /proc/net/sockstat6 2>/dev/null || true)
  awk -v v6="${v6:-0}" '/^TCP:/ { for (i = 2; i < NF; i += 2) v[$i] = $(i + 1)
         print (v["inuse"] == "" ? -1 : v["inuse"] + v6), (v["mem"] == "" ? -1 : v["mem"]); ok = 1 }
       END { if (!ok) print -1, -1 }' /proc/net/sockstat 2>/dev/null || echo "-1 -1"
}

slab_caches="TCP TCPv6 sock_inode_cache filp dentry eventpoll_epi eventpoll_pwq"
# {"cache": active_objs × objsize, …} of the socket slab caches, whole machine; {} when slabinfo is unreadable (not root).
slab_json() {
  if [ -r /proc/slabinfo ]; then
    awk -v want="$slab_caches" 'BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) keep[w[i]] = 1; printf "{" }
      ($1 in keep) { printf "%s\"%s\":%.0f", sep, $1, $2 * $4; sep = "," } END { print "}" }' /proc/slabinfo 2>/dev/null || echo "{}"
  else
    echo "{}"
  fi
}

# cache=objsize,… of the socket slab caches (the per-socket minimum of the projection); empty when unreadable.
object_sizes() {
  if [ -r /proc/slabinfo ]; then
    awk -v want="$slab_caches" 'BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) keep[w[i]] = 1 }
      ($1 in keep) { printf "%s%s=%d", sep, $1, $4; sep = "," } END { print "" }' /proc/slabinfo 2>/dev/null || true
  fi
}

# Sum of top-level field $1 over the load generators' latest files (snapshot, else ready) in $work.
loadgen_sum() {
  local field=$1 total=0 f v id
  for ((id=0; id<${#sub_pids[@]}; id++)); do
    f="$work/sub-$id.snap.json"; [ -f "$f" ] || f="$work/sub-$id.ready.json"
    [ -f "$f" ] || continue
    v=$(sed -n "s/^  \"$field\" : \([0-9]*\).*/\1/p" "$f" 2>/dev/null | head -1)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# Takes one sample of server $1 (port $2) at target count $3 and appends its JSON to samples[].
sample() {
  local name=$1 port=$2 target=$3 heap committed rss fds inuse mem slab open closed failed
  if is_jvm "$name"; then read -r heap committed <<<"$(jvm_heap "$server_pid")"; else read -r heap committed <<<"$(node_heap "$port")"; fi
  rss=$(rss_bytes "$server_pid")
  fds=$(fd_count "$server_pid")
  read -r inuse mem <<<"$(tcp_sockstat)"
  slab=$(slab_json)
  open=$(loadgen_sum open); closed=$(loadgen_sum closedAfterOpen); failed=$(loadgen_sum failed)
  samples+=("$(printf '{"target":%d,"connections":%d,"failed":%d,"heapBytes":%s,"heapCommittedBytes":%s,"rssBytes":%s,"tcpMemPages":%s,"tcpInuse":%s,"fds":%s,"slab":%s}' \
    "$target" "$((open - closed))" "$failed" "$heap" "$committed" "$rss" "$mem" "$inuse" "$fds" "$slab")")
  printf 'idle.sh: %s: %6d connections (asked %d, %d failed): heap %s B (committed %s B), RSS %s B, fds %s, TCP mem %s pages, TCP sockets %s\n' \
    "$name" "$((open - closed))" "$target" "$failed" "$heap" "$committed" "$rss" "$fds" "$mem" "$inuse" >&2
}

json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# Writes server $1's results so far (samples[], error $2) to $results/$1.json.
write_result() {
  local name=$1 error=$2 heap_source=$3 joined
  joined=$(IFS=','; echo "${samples[*]-}")
  printf '{"scenario":"idle","server":%s,"serverArgs":%s,"heapSource":%s,"error":%s,"samples":[%s]}\n' \
    "$(json_string "$name")" "$(json_string "$(server_args "$name")")" "$(json_string "$heap_source")" \
    "$(json_string "$error")" "$joined" >"$results/$name.json"
}

total=${count_list[-1]}
run_timeout=$(( total / connect_rate + ${#count_list[@]} * (settle_seconds + 120) + 300 ))
status=0
port=$port_base
for name in $servers; do
  port=$(free_port "$port") || { echo "idle.sh: no free port from $port_base" >&2; exit 2; }
  work=$(mktemp -d "${TMPDIR:-/tmp}/herald-idle.XXXXXX")
  samples=()
  error=""
  echo "idle.sh: $name: starting on 127.0.0.1:$port" >&2
  if ! start_server "$name" "$port" "$results/$name.server.log"; then
    echo "idle.sh: $name did not start:" >&2; tail -n 20 "$results/$name.server.log" >&2 || true
    samples=(); write_result "$name" "did not start" ""
    status=1; rm -rf "$work"; work=""; port=$((port + 1)); continue
  fi
  if is_jvm "$name"; then
    gc=$($loadgen_cpu jcmd "$server_pid" VM.flags 2>/dev/null | grep -o 'Use[A-Za-z0-9]*GC' | head -1 || true)
    heap_source="used heap (jstat -gc: S0U + S1U + EU + OU) after two jcmd GC.run${gc:+, -XX:+$gc}"
  else
    heap_source="V8 heapUsed from GET /memory after global.gc() (node --expose-gc)"
  fi
  sleep "$settle_seconds"
  sample "$name" "$port" 0
  prev=0
  for ((i=0; i<${#count_list[@]}; i++)); do
    c=${count_list[i]}; n=$((c - prev))
    $loadgen_cpu java $loadgen_java_opts -cp "$bench_jar" io.herald.bench.load.LoadGen subscribe \
      --url "ws://127.0.0.1:$port$(ws_path "$name")" --connections "$n" --connect-rate "$connect_rate" \
      --dir "$work" --id "$i" --max-seconds "$run_timeout" >"$results/$name.loadgen-$i.log" 2>&1 &
    sub_pids+=($!)
    ready=0
    for _ in $(seq $(( (n / connect_rate + 90) * 10 ))); do # the load generator waits up to 20 s after its last attempt
      [ -f "$work/sub-$i.ready.json" ] && { ready=1; break; }
      kill -0 "${sub_pids[i]}" 2>/dev/null || break
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if ! kill -0 "$server_pid" 2>/dev/null; then
      error="the server exited while connections were opened towards $c"; break
    fi
    if [ "$ready" = 0 ]; then
      error="load generator $i (towards $c connections) did not report its connections; see $name.loadgen-$i.log"; break
    fi
    sleep "$settle_seconds"
    sample "$name" "$port" "$c"
    write_result "$name" "" "$heap_source"
    prev=$c
  done
  if [ -n "$error" ]; then
    echo "idle.sh: $name: $error" >&2
    status=1
  fi
  write_result "$name" "$error" "$heap_source"
  stop_all
  rm -rf "$work"; work=""
  port=$((port + 1))
  sleep 2 # let the closed sockets' TIME_WAIT and the memory settle between servers
done

read -r port_low port_high </proc/sys/net/ipv4/ip_local_port_range
nr_open=$(cat /proc/sys/fs/nr_open 2>/dev/null || echo -1)
file_max=$(cat /proc/sys/fs/file-max 2>/dev/null || echo -1)
tcp_mem=$(tr -s "\t " "  " </proc/sys/net/ipv4/tcp_mem 2>/dev/null || true)
machine="$results/machine.txt"
{
  describe_machine
  echo "open files: $hard_nofile per process (ulimit -Hn), fs.nr_open $nr_open, fs.file-max $file_max"
  echo "ephemeral ports: $port_low-$port_high; tcp_mem (pages): $tcp_mem; page size $(getconf PAGESIZE) B"
  echo "counts: ${count_list[*]} (one load generator process per step), $connect_rate connections/s, $settle_seconds s settle before each sample"
  echo "pinning: ${server_cpu:-none} (server), ${loadgen_cpu:-none} (load generators, jcmd, jstat)"
} >"$machine"
java -cp "$bench_jar" io.herald.bench.idle.IdleReport --out "$results/report.md" --summary "$results/summary.json" \
  --machine "$machine" --command "$invocation" --page-size "$(getconf PAGESIZE)" --nofile-hard "$hard_nofile" \
  --nr-open "$nr_open" --file-max "$file_max" --port-range "$port_low $port_high" --tcp-mem "$tcp_mem" \
  --object-sizes "$(object_sizes)" "$results" || status=1
if [ "$docs" = 1 ] && [ -f "$results/report.md" ]; then
  cp "$results/report.md" docs/BENCHMARKS-idle.md
fi
cat "$results/report.md" 2>/dev/null || true
echo "idle.sh: results in $results" >&2
exit $status
