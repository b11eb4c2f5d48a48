#!/usr/bin/env bash
# Local ClickHouse server: Debian's clickhouse-server package (18.16, the only server available offline) with its
# own config, users and data under tmp/services/clickhouse, on 127.0.0.1 only. For the HTTP transport path
# (inserts, queries, error mapping, auth, retries against a real server); schema and SQL run on chDB.
#
#   bash scripts/clickhouse-server.sh start|stop|status|reset
#
#   start   installs clickhouse-server when missing, writes config.xml/users.xml from scripts/clickhouse-server/,
#           starts the server in the background and waits for /ping. Already running: says so, exits 0.
#   stop    SIGTERM, SIGKILL after 30 s. Not running: says so, exits 0.
#   status  exit 0 when running and answering /ping, 3 when not.
#   reset   stop and delete its data (tables, logs).
#
# Environment: TORLOGS_CH_HTTP_PORT (38123), TORLOGS_CH_TCP_PORT (39000), TORLOGS_CH_START_TIMEOUT (60 s),
# TORLOGS_CH_STATE_DIR (tmp/services/clickhouse: config, data, logs, pid; a second instance needs its own, e.g. the
# outage test's server that it stops and starts itself).
# Users: default (no password, localhost), torlogs_ingest / ingest-secret, torlogs_reader / reader-secret (readonly=1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
HOST=127.0.0.1
HTTP_PORT=${TORLOGS_CH_HTTP_PORT:-38123}
TCP_PORT=${TORLOGS_CH_TCP_PORT:-39000}
TIMEOUT=${TORLOGS_CH_START_TIMEOUT:-60}
STATE=${TORLOGS_CH_STATE_DIR:-$ROOT/tmp/services/clickhouse}
PIDFILE=$STATE/clickhouse.pid
ERRLOG=$STATE/log/clickhouse-server.err.log
LOG=$STATE/log/clickhouse-server.log
OUT=$STATE/log/stdout.log
BIN=
for b in /usr/bin/clickhouse-server /usr/sbin/clickhouse-server; do [ -x "$b" ] && BIN=$b && break; done

SERVICE=clickhouse
CMDLINE_RE="clickhouse.*$STATE/config.xml" # our server, with this state's config
# shellcheck source=scripts/service-lib.sh
. scripts/service-lib.sh
ping_ok() { [ "$(curl -fsS --max-time 2 "http://$HOST:$HTTP_PORT/ping" 2>/dev/null)" = "Ok." ]; }
version() { curl -fsS --max-time 2 "http://$HOST:$HTTP_PORT/?query=SELECT%20version()" 2>/dev/null || echo '?'; }

install_prereqs() {
  local need=() sudo=()
  [ -n "$BIN" ] || need+=(clickhouse-server)
  command -v curl >/dev/null || need+=(curl)
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    say "installing ${need[*]} (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    # the package's postinst may try to start the system service; that instance (ports 8123/9000) is not ours
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}" ||
      { "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"; }
    for b in /usr/bin/clickhouse-server /usr/sbin/clickhouse-server; do [ -x "$b" ] && BIN=$b && break; done
    [ -n "$BIN" ] || { say "clickhouse-server is not installed and could not be installed"; exit 1; }
  fi
}

start() {
  lock_state
  if running && ping_ok; then say "already running (pid $(cat "$PIDFILE")) on http://$HOST:$HTTP_PORT"; return 0; fi
  if running; then say "pid $(cat "$PIDFILE") does not answer /ping: restarting it"; stop_process >/dev/null; fi
  rm -f "$PIDFILE"
  require_free_ports "TORLOGS_CH_HTTP_PORT / TORLOGS_CH_TCP_PORT" "$HTTP_PORT" "$TCP_PORT"
  local t0=$SECONDS
  install_prereqs
  mkdir -p "$STATE"/{data,tmp,log,user_files,format_schemas}
  sed -e "s#@STATE@#$STATE#g" -e "s#@HTTP_PORT@#$HTTP_PORT#g" -e "s#@TCP_PORT@#$TCP_PORT#g" \
    scripts/clickhouse-server/config.xml.in >"$STATE/config.xml"
  cp scripts/clickhouse-server/users.xml.in "$STATE/users.xml"
  local err_offset; err_offset=$(stat -c %s "$ERRLOG" 2>/dev/null || echo 0) # the error log is appended to
  # setsid: outlives the shell that started it; the inner shell writes its pid, which `exec` hands to the server
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; cd "$1"; shift; exec "$@"' "$PIDFILE" "$STATE" \
    "$BIN" --config-file="$STATE/config.xml" </dev/null >"$OUT" 2>&1 9>&- &
  local deadline=$((SECONDS + TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    if ping_ok; then
      say "ClickHouse $(version) ready on http://$HOST:$HTTP_PORT (native $HOST:$TCP_PORT) in $((SECONDS - t0)) s (pid $(cat "$PIDFILE"), data $STATE/data, log $LOG)"
      return 0
    fi
    if [ -s "$PIDFILE" ] && ! running; then say "the server exited during start"; break; fi
    sleep 0.3
  done
  say "not ready within ${TIMEOUT} s or exited; what this start wrote to $ERRLOG and $OUT:"
  tail -c +"$((err_offset + 1))" "$ERRLOG" 2>/dev/null | grep -v '^[0-9]*\. /' | tail -n 30 || true
  tail -n 20 "$OUT" 2>/dev/null || true
  stop_process >/dev/null
  exit 1
}

stop() {
  lock_state
  stop_process
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running && ping_ok; then say "running (pid $(cat "$PIDFILE")) on http://$HOST:$HTTP_PORT, ClickHouse $(version)"; else say "not running"; exit 3; fi ;;
  reset) stop; rm -rf "$STATE"; say "state deleted ($STATE)" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
