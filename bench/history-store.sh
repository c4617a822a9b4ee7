#!/usr/bin/env bash
# Publishes/s with the disk history store against memory (issue 12); see HistoryStoreThroughput.
#   bench/history-store.sh [seconds 10] [threads 4] [channels 100] [inFlight 1000] [flushMillis 100] [engines memory,disk]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -o package -pl bench -am -DskipTests -Dfuzz.skip=true
exec java -cp bench/target/herald-bench.jar io.herald.bench.HistoryStoreThroughput "$@"
