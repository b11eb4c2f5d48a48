#!/usr/bin/env bash
# Local Apache Kafka 4.x broker (single-node KRaft on 127.0.0.1) for development, tests and benchmarks.
#   bash scripts/kafka.sh start|stop|status
# Installs what is missing (Java 17, Maven), fetches the broker jars from Maven Central once (cached), formats the
# storage once, starts the broker with a bounded heap, and waits until it answers metadata requests. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT=${TORLOGS_KAFKA_PORT:-39092}
CONTROLLER_PORT=${TORLOGS_KAFKA_CONTROLLER_PORT:-39093}
VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' scripts/kafka/pom.xml)
LIBS=${KAFKA_LIBS_CACHE:-$ROOT/tmp/cache/kafka-$VERSION/libs}
STATE=$ROOT/tmp/services/kafka
PIDFILE=$STATE/kafka.pid
LOG=$STATE/server.log
HEAP=${TORLOGS_KAFKA_HEAP:--Xms256m -Xmx512m}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

install_prereqs() {
  local need=()
  command -v java >/dev/null || need+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || need+=(maven)
  if [ ${#need[@]} -gt 0 ]; then
    echo "kafka: installing ${need[*]}"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
}

fetch_libs() {
  if [ -f "$LIBS/.complete" ]; then return; fi
  echo "kafka: fetching Apache Kafka $VERSION and its dependencies from Maven Central into $LIBS"
  mkdir -p "$LIBS"
  mvn -q -B -f scripts/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$LIBS" -DincludeScope=runtime
  touch "$LIBS/.complete"
}

start() {
  if running; then echo "kafka: already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"; return 0; fi
  install_prereqs
  fetch_libs
  mkdir -p "$STATE/data"
  sed -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$STATE/data#g" scripts/kafka/server.properties.in > "$STATE/server.properties"
  if [ ! -f "$STATE/data/meta.properties" ]; then
    local id
    id=$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    java -cp "$LIBS/*" kafka.tools.StorageTool format -t "$id" -c "$STATE/server.properties" >"$STATE/format.log" 2>&1 || { cat "$STATE/format.log"; exit 1; }
  fi
  # shellcheck disable=SC2086
  nohup java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true -Dlog4j.configuration=file:$ROOT/scripts/kafka/log4j.properties -cp "$LIBS/*" kafka.Kafka "$STATE/server.properties" >"$LOG" 2>&1 &
  echo $! > "$PIDFILE"
  if ! node scripts/kafka/wait-ready.mjs "127.0.0.1:$PORT" "${TORLOGS_KAFKA_START_TIMEOUT:-120}"; then
    echo "kafka: failed to become ready; last log lines:"; tail -n 40 "$LOG" || true
    stop; exit 1
  fi
  echo "kafka: Apache Kafka $VERSION (KRaft) listening on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"), data $STATE/data, log $LOG)"
}

stop() {
  if ! running; then echo "kafka: not running"; rm -f "$PIDFILE"; return 0; fi
  local pid; pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  echo "kafka: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "kafka: running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"; else echo "kafka: not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
