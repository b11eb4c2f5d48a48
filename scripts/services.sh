#!/usr/bin/env bash
# Starts / stops every local service used by development, tests and benchmarks:
#   Apache Kafka (KRaft) on 127.0.0.1:39092 and Debian's ClickHouse server on http://127.0.0.1:38123.
#   bash scripts/services.sh start|stop|status   (npm run services:start / services:stop)
set -uo pipefail
cd "$(dirname "$0")/.."
cmd=${1:-}
case "$cmd" in
  start|stop|status) ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
rc=0
bash scripts/kafka.sh "$cmd" || rc=1
bash scripts/clickhouse-server.sh "$cmd" || rc=1
if [ "$cmd" = start ] && [ $rc -eq 0 ]; then
  echo "services ready: TORLOGS_TEST_KAFKA_BROKERS=127.0.0.1:${TORLOGS_KAFKA_PORT:-39092} TORLOGS_TEST_CLICKHOUSE_URL=http://127.0.0.1:${TORLOGS_CH_HTTP_PORT:-38123}"
fi
exit $rc
