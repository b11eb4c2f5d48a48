import type { Migration } from './migration.js';

/**
 * Every line that was not stored, with its original bytes, the reason code (closed list in
 * shared/ingest/reason-codes.ts), the stage, the error and where it came from. Counts reconcile:
 * lines received = requests rows + ingest_rejects rows.
 */
export const migration002: Migration = {
  version: 2,
  name: 'ingest_rejects',
  statements: [
    `CREATE TABLE IF NOT EXISTS \${DB}.ingest_rejects
(
    received_at         DateTime64(3, 'UTC'),
    reason              LowCardinality(String),
    stage               LowCardinality(String),
    field               LowCardinality(String),
    error               String CODEC(ZSTD(1)),
    site                LowCardinality(String),
    source              LowCardinality(String),
    source_partition    Int32,
    source_offset       Int64,
    line_index          UInt32,
    raw                 String CODEC(ZSTD(3))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (reason, received_at, source, source_partition, source_offset, line_index)
SETTINGS non_replicated_deduplication_window = 10000`,
  ],
};
