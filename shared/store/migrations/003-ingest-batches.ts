import type { Migration } from './migration.js';

/**
 * The batch plan log: before a batch of one Kafka partition is inserted, its offset range is recorded here.
 * A worker that takes over the partition (restart, crash, rebalance) replays exactly the recorded ranges from the
 * committed offset, so every retried insert carries the same deduplication token as the first attempt.
 */
export const migration003: Migration = {
  version: 3,
  name: 'ingest_batches',
  statements: [
    `CREATE TABLE IF NOT EXISTS \${DB}.ingest_batches
(
    source       LowCardinality(String),
    partition    Int32,
    first_offset Int64,
    last_offset  Int64,
    planned_at   DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (source, partition, first_offset)
TTL toDateTime(planned_at) + INTERVAL 30 DAY`,
  ],
};
