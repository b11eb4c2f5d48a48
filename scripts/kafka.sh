#!/usr/bin/env bash
# Local Apache Kafka broker (single-node KRaft, combined broker+controller on 127.0.0.1) for development, tests
# and benchmarks. No Docker: the broker's jars come from Maven Central (scripts/kafka/pom.xml) and run on Java 17.
#
#   bash scripts/kafka.sh start|stop|status|reset
#
#   start   installs what is missing (Java 17, Maven: Debian packages), fetches the jars once (cached), formats the
#           storage once (random cluster id), starts the broker in the background and waits until it answers
#           metadata requests. Already running: says so, exits 0.
#   stop    SIGTERM (controlled shutdown), SIGKILL after 30 s. Not running: says so, exits 0.
#   status  exit 0 when running, 3 when not.
#   reset   stop and delete the broker's state (topics, offsets, cluster id). The jar cache stays.
#
# Environment: TORLOGS_KAFKA_PORT (39092), TORLOGS_KAFKA_CONTROLLER_PORT (39093), TORLOGS_KAFKA_VERSION (from
# pom.xml), KAFKA_LIBS_CACHE (cache root, default <repo>/tmp/cache; e.g. ~/.cache/torlogs for a machine-wide one),
# TORLOGS_KAFKA_HEAP ("-Xms256m -Xmx512m"), TORLOGS_KAFKA_START_TIMEOUT (90 s). See docs/local-services.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
HOST=127.0.0.1
PORT=${TORLOGS_KAFKA_PORT:-39092}
CONTROLLER_PORT=${TORLOGS_KAFKA_CONTROLLER_PORT:-39093}
VERSION=${TORLOGS_KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' scripts/kafka/pom.xml)}
CACHE=${KAFKA_LIBS_CACHE:-$ROOT/tmp/cache}
LIBS=$CACHE/kafka-$VERSION/libs
STATE=$ROOT/tmp/services/kafka
DATA=$STATE/data
PIDFILE=$STATE/kafka.pid
LOG=$STATE/server.log
OUT=$STATE/stdout.log
HEAP=${TORLOGS_KAFKA_HEAP:--Xms256m -Xmx512m}
TIMEOUT=${TORLOGS_KAFKA_START_TIMEOUT:-90}

SERVICE=kafka
CMDLINE_RE='kafka\.Kafka ' # a live JVM running kafka.Kafka
# shellcheck source=scripts/service-lib.sh
. scripts/service-lib.sh

install_prereqs() {
  local need=() sudo=()
  command -v java >/dev/null || need+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || need+=(maven)
  command -v node >/dev/null || { say "node is required (Node 20, the project's runtime)"; exit 1; }
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    say "installing ${need[*]} (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}" ||
      { "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"; }
  fi
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  if [ "${major:-0}" -lt 17 ]; then say "Apache Kafka 4 needs Java 17 or newer; 'java' is version ${major:-unknown}"; exit 1; fi
}

# Maven Central -> $LIBS, once per (version, pom). Fetched into a scratch directory and renamed, under a lock, so an
# interrupted or concurrent run never leaves a half-filled cache behind.
fetch_libs() {
  local stamp; stamp="$VERSION $(sha256sum scripts/kafka/pom.xml | cut -c1-16)"
  if [ "$(cat "$LIBS/.complete" 2>/dev/null)" = "$stamp" ]; then return; fi
  mkdir -p "$CACHE/kafka-$VERSION"
  exec 8>"$CACHE/kafka-$VERSION/.lock"
  flock 8
  if [ "$(cat "$LIBS/.complete" 2>/dev/null)" != "$stamp" ]; then
    say "fetching Apache Kafka $VERSION and its runtime dependencies from Maven Central into $LIBS"
    local t0=$SECONDS scratch="$CACHE/kafka-$VERSION/libs.partial"
    rm -rf "$scratch"
    # (sed: Maven 3.8's jansi prints colour resets even in batch mode)
    if ! mvn -q -B -Dstyle.color=never -f scripts/kafka/pom.xml -Dkafka.version="$VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$scratch" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'; then
      say "Maven could not fetch org.apache.kafka:kafka_2.13:$VERSION (see above)"; exit 1
    fi
    echo "$stamp" >"$scratch/.complete"
    rm -rf "$LIBS" && mv "$scratch" "$LIBS"
    say "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $((SECONDS - t0)) s"
  fi
  flock -u 8
}

java_logging() { echo "-Dkafka.logs.dir=$STATE" "-Dlog4j2.configurationFile=$ROOT/scripts/kafka/log4j2.properties"; }

# a Kafka cluster id: 16 random bytes, URL-safe base64 without padding, not starting with '-' (as Uuid.randomUuid)
new_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    case $id in -*) ;; *) echo "$id"; return ;; esac
  done
}

format_storage() {
  [ -f "$DATA/meta.properties" ] && return
  local id; id=$(new_cluster_id)
  say "formatting $DATA (cluster id $id)"
  # shellcheck disable=SC2046
  if ! java -Xmx256m $(java_logging) -cp "$LIBS/*" kafka.tools.StorageTool format -t "$id" -c "$STATE/server.properties" \
    >"$STATE/format.log" 2>&1; then
    cat "$STATE/format.log"; say "storage format failed"; exit 1
  fi
  echo "$id" >"$STATE/cluster.id"
}

wait_ready() {
  node scripts/kafka/wait-ready.mjs "$HOST:$PORT" "$TIMEOUT" "$(cat "$PIDFILE")"
}

start() {
  lock_state
  if running; then say "already running (pid $(cat "$PIDFILE")) on $HOST:$PORT"; return 0; fi
  rm -f "$PIDFILE"
  require_free_ports "TORLOGS_KAFKA_PORT / TORLOGS_KAFKA_CONTROLLER_PORT" "$PORT" "$CONTROLLER_PORT"
  local t0=$SECONDS
  install_prereqs
  fetch_libs
  mkdir -p "$DATA"
  sed -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$DATA#g" \
    scripts/kafka/server.properties.in >"$STATE/server.properties"
  format_storage
  local log_offset; log_offset=$(stat -c %s "$LOG" 2>/dev/null || echo 0) # server.log is appended to: show only this start's lines
  # setsid: the broker outlives the shell, terminal and CI step that started it; the inner shell writes its own
  # pid, which `exec` hands to the JVM. 8>&- 9>&-: the broker must not inherit (and hold) the locks.
  # shellcheck disable=SC2016,SC2046,SC2086
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" \
    java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExitOnOutOfMemoryError -XX:MaxDirectMemorySize=256m -Djava.awt.headless=true $(java_logging) \
    -cp "$LIBS/*" kafka.Kafka "$STATE/server.properties" </dev/null >"$OUT" 2>&1 8>&- 9>&- &
  for _ in $(seq 1 50); do [ -s "$PIDFILE" ] && break; sleep 0.1; done
  local rc=0
  wait_ready || rc=$?
  if [ $rc -ne 0 ]; then
    if [ $rc -eq 2 ]; then say "the broker exited during start"; else say "not ready within ${TIMEOUT} s"; fi
    say "what this start wrote to $LOG and $OUT:"
    tail -c +"$((log_offset + 1))" "$LOG" 2>/dev/null | tail -n 40 || true
    tail -n 20 "$OUT" 2>/dev/null || true
    say "(data formatted by another Kafka version, or a corrupt state? 'bash scripts/kafka.sh reset' starts afresh)"
    stop_process >/dev/null
    exit 1
  fi
  say "Apache Kafka $VERSION (KRaft) ready on $HOST:$PORT in $((SECONDS - t0)) s (pid $(cat "$PIDFILE"), controller $HOST:$CONTROLLER_PORT, data $DATA, log $LOG)"
}

stop() {
  lock_state
  stop_process
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running; then say "running (pid $(cat "$PIDFILE")) on $HOST:$PORT, Apache Kafka $VERSION"; else say "not running"; exit 3; fi ;;
  reset) stop; rm -rf "$STATE"; say "state deleted ($STATE)" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
