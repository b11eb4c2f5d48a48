# Shared by scripts/kafka.sh and scripts/clickhouse-server.sh (sourced, not run): the pid-file, lock and port
# handling of a local service. The caller sets SERVICE (name in messages), HOST, STATE, PIDFILE and CMDLINE_RE (what
# the process's command line must match, so a recycled pid is never taken for ours).

say() { echo "$SERVICE: $*"; }

# our process: the pid file names a live process whose command line matches CMDLINE_RE
running() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$CMDLINE_RE"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# one start/stop at a time (two engineers, or CI and a shell); fd 9 must not be inherited by the service
lock_state() {
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  flock 9
}

# exits 1 when any of the ports is taken by a process this checkout did not start; $1 names the variables to change
require_free_ports() {
  local hint=$1; shift
  local p taken=0
  for p in "$@"; do if port_open "$p"; then taken=1; fi; done
  [ $taken -eq 0 ] && return 0
  say "$HOST:$(IFS=,; echo "$*") is taken by a process this checkout did not start:"
  (ss -ltnp 2>/dev/null | grep -E ":($(IFS='|'; echo "$*"))\b") || true
  say "stop it, or choose other ports with $hint"
  exit 1
}

# SIGTERM, SIGKILL after 30 s; not running: says so
stop_process() {
  if ! running; then rm -f "$PIDFILE"; say "not running"; return 0; fi
  local pid; pid=$(cat "$PIDFILE")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then say "no clean shutdown after 30 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
  say "stopped (pid $pid)"
}
