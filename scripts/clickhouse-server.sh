#!/usr/bin/env bash
# Local ClickHouse server (Debian's clickhouse-server, 18.16) for the HTTP transport tests only.
#   bash scripts/clickhouse-server.sh start|stop|status
# Own config, users and data under tmp/services/clickhouse; listens on 127.0.0.1 only. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
HTTP_PORT=${TORLOGS_CH_HTTP_PORT:-38123}
TCP_PORT=${TORLOGS_CH_TCP_PORT:-39000}
STATE=$ROOT/tmp/services/clickhouse
PIDFILE=$STATE/clickhouse.pid
BIN=/usr/sbin/clickhouse-server

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
ping_ok() { curl -fsS "http://127.0.0.1:$HTTP_PORT/ping" 2>/dev/null | grep -q Ok; }

install_prereqs() {
  local need=()
  [ -x "$BIN" ] || need+=(clickhouse-server)
  command -v curl >/dev/null || need+=(curl)
  if [ ${#need[@]} -gt 0 ]; then
    echo "clickhouse: installing ${need[*]}"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
}

start() {
  if running && ping_ok; then echo "clickhouse: already running (pid $(cat "$PIDFILE")) on http://127.0.0.1:$HTTP_PORT"; return 0; fi
  install_prereqs
  mkdir -p "$STATE"/{data,tmp,log,user_files,format_schemas}
  sed -e "s#@STATE@#$STATE#g" -e "s#@HTTP_PORT@#$HTTP_PORT#g" -e "s#@TCP_PORT@#$TCP_PORT#g" scripts/clickhouse-server/config.xml.in > "$STATE/config.xml"
  cp scripts/clickhouse-server/users.xml.in "$STATE/users.xml"
  (cd "$STATE" && nohup "$BIN" --config-file="$STATE/config.xml" >"$STATE/log/stdout.log" 2>&1 & echo $! > "$PIDFILE")
  for _ in $(seq 1 120); do
    if ping_ok; then
      echo "clickhouse: $("$BIN" --version 2>/dev/null | head -1 || echo 'clickhouse-server') HTTP on http://127.0.0.1:$HTTP_PORT (pid $(cat "$PIDFILE"), data $STATE/data)"
      return 0
    fi
    if ! running; then break; fi
    sleep 0.5
  done
  echo "clickhouse: failed to become ready; last log lines:"
  tail -n 30 "$STATE/log/clickhouse-server.err.log" "$STATE/log/stdout.log" 2>/dev/null || true
  stop; exit 1
}

stop() {
  if ! running; then echo "clickhouse: not running"; rm -f "$PIDFILE"; return 0; fi
  local pid; pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  echo "clickhouse: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running && ping_ok; then echo "clickhouse: running (pid $(cat "$PIDFILE")) on http://127.0.0.1:$HTTP_PORT"; else echo "clickhouse: not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
