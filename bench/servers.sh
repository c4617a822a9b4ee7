# Shared by bench/run.sh and bench/idle.sh (sourced, not run): building the servers, starting one
# on its core and stopping it. The caller sets: me (its name, for messages), servers, server_cpu,
# server_java_opts, server_jar, bench_jar, spring_jar, and for Herald's publisher
# HERALD_BENCH_API_KEY. start_server sets server_pid.

stop_pid() { # pid: SIGTERM, then SIGKILL after 15 s
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}

# Stops the load generator processes in sub_pids (the stop file in $work makes them close their
# connections with 1000 and exit; they get 25 s), then the server.
stop_all() {
  [ -n "${work:-}" ] && [ -d "$work" ] && touch "$work/stop"
  for p in ${sub_pids[@]+"${sub_pids[@]}"}; do
    for _ in $(seq 250); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  for p in ${sub_pids[@]+"${sub_pids[@]}"}; do stop_pid "$p"; done
  sub_pids=()
  stop_pid "$server_pid"
  server_pid=""
}

needs() { case " $servers " in *" $1"*) return 0 ;; *) return 1 ;; esac; }

# Builds Herald, the load generator and the peers in $servers; exits 2 when a build fails.
build_servers() {
  echo "$me: building Herald and the load generator..." >&2
  ./mvnw -q -B -DskipTests package >&2 || { echo "$me: the build failed" >&2; exit 2; }
  if needs spring; then
    echo "$me: building the Spring peer..." >&2
    ./mvnw -q -B -DskipTests -f bench/peers/spring/pom.xml package >&2 || { echo "$me: the Spring peer's build failed" >&2; exit 2; }
  fi
  for peer in node-ws socketio; do
    if needs "$peer"; then
      echo "$me: npm ci in bench/peers/$peer..." >&2
      (cd "bench/peers/$peer" && npm ci --no-audit --no-fund --loglevel=error >&2) || { echo "$me: npm ci failed for $peer" >&2; exit 2; }
    fi
  done
}

free_port() {
  local p=$1
  for _ in $(seq 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    p=$((p + 1))
  done
  return 1
}

# Starts server $1 on port $2 (log $3) with $server_cpu and waits for GET /health (at most 60 s).
# Herald refuses anonymous clients and keyless publishers by default; the peers check nothing, so
# the benchmark lets anonymous subscribers in and gives the publisher a key. Per-connection log
# lines are off (10,000 of them would be measured too). `herald` is the defaults (for idle).
start_server() {
  local name=$1 port=$2 log=$3 preset=() keys=()
  case "$name" in
    herald|herald-defaults|herald-passthrough)
      [ "$name" = herald-passthrough ] && preset=(--preset passthrough)
      [ -n "${HERALD_BENCH_API_KEY:-}" ] && keys=("HERALD_AUTH_API_KEYS_PUBLISH=$HERALD_BENCH_API_KEY")
      env HERALD_AUTH_ANONYMOUS=true ${keys[@]+"${keys[@]}"} \
        $server_cpu java $server_java_opts -jar "$server_jar" serve --host 127.0.0.1 --port "$port" ${preset[@]+"${preset[@]}"} \
        --log-level warn --set limits.maxConnectionsPerIp=100000 >"$log" 2>&1 & ;;
    raw-netty) $server_cpu java $server_java_opts -cp "$bench_jar" io.herald.bench.peers.RawNettyPeer "$port" 127.0.0.1 >"$log" 2>&1 & ;;
    spring) $server_cpu java $server_java_opts -jar "$spring_jar" --server.port="$port" >"$log" 2>&1 & ;;
    # --expose-gc: GET /memory (idle) runs a full GC before it reads the heap
    node-ws) $server_cpu node --expose-gc bench/peers/node-ws/server.js "$port" 127.0.0.1 >"$log" 2>&1 & ;;
    socketio) $server_cpu node --expose-gc bench/peers/socketio/server.js "$port" 127.0.0.1 >"$log" 2>&1 & ;;
    *) echo "$me: unknown server '$name'" >&2; return 1 ;;
  esac
  server_pid=$!
  for _ in $(seq 600); do
    kill -0 "$server_pid" 2>/dev/null || { server_pid=""; return 1; }
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" 2>/dev/null && return 0
    sleep 0.1
  done
  stop_pid "$server_pid"; server_pid=""
  return 1
}

# The machine and the servers' versions, one "name: value" line each, for a report's Machine section.
describe_machine() {
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -sr)"
  echo "java: $(java -version 2>&1 | sed -n 2p)"
  echo "node: $(node -v 2>/dev/null || echo none)"
  echo "ws: $(node -p "require('./bench/peers/node-ws/node_modules/ws/package.json').version" 2>/dev/null || echo '?')"
  echo "socket.io: $(node -p "require('./bench/peers/socketio/node_modules/socket.io/package.json').version" 2>/dev/null || echo '?')"
  echo "spring boot: $(sed -n 's/.*<version>\(3[^<]*\)<\/version>.*/\1/p' bench/peers/spring/pom.xml | head -1)"
}
