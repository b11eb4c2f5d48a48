#!/usr/bin/env bash
# Every local service for development, tests and benchmarks (no Docker on our machines):
#   Apache Kafka 4 (KRaft, from Maven Central)  127.0.0.1:39092          scripts/kafka.sh
#   ClickHouse server (Debian's 18.16)          http://127.0.0.1:38123   scripts/clickhouse-server.sh
#
#   bash scripts/services.sh start|stop|status|reset    (npm run services:start / npm run services:stop)
#
# start is idempotent (running services are left alone) and exits non-zero when a service did not become ready
# (its script prints the tail of its log). stop exits 0 when nothing runs. reset stops both and deletes their state.
# Details: docs/local-services.md.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
cmd=${1:-}
case "$cmd" in
  start|stop|status|reset) ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
failed=()
t0=$SECONDS
bash scripts/kafka.sh "$cmd" || failed+=(kafka)
bash scripts/clickhouse-server.sh "$cmd" || failed+=(clickhouse)
if [ ${#failed[@]} -gt 0 ]; then
  echo "services: $cmd failed for: ${failed[*]}" >&2
  exit 1
fi
if [ "$cmd" = start ]; then
  echo "services: ready in $((SECONDS - t0)) s: TORLOGS_TEST_KAFKA_BROKERS=127.0.0.1:${TORLOGS_KAFKA_PORT:-39092} TORLOGS_TEST_CLICKHOUSE_URL=http://127.0.0.1:${TORLOGS_CH_HTTP_PORT:-38123}"
fi
