import type { Migration } from './migration.js';

/**
 * Tor history: append-only observations (what a source said about an IP and when), the time ranges each imported
 * document vouches for (coverage: lets a verdict tell `not_exit` from `unknown`), and one row per imported
 * document (re-importing the same bytes is a no-op; the newest import time is the history version).
 */
export const migration004: Migration = {
  version: 4,
  name: 'tor_history',
  statements: [
    `CREATE TABLE IF NOT EXISTS \${DB}.tor_observations
(
    ip            IPv6,
    observed_at   DateTime('UTC'),
    valid_from    DateTime('UTC'),
    valid_to      DateTime('UTC'),
    kind          LowCardinality(String),
    source        LowCardinality(String),
    source_id     String,
    fingerprint   String,
    published_at  DateTime('UTC'),
    downloaded_at DateTime('UTC'),
    learned_at    DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(valid_from)
ORDER BY (ip, valid_from, kind, fingerprint)
SETTINGS non_replicated_deduplication_window = 1000`,
    `CREATE TABLE IF NOT EXISTS \${DB}.tor_coverage
(
    kind          LowCardinality(String),
    source        LowCardinality(String),
    source_id     String,
    covered_from  DateTime('UTC'),
    covered_to    DateTime('UTC'),
    learned_at    DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (covered_from, kind, source_id)
SETTINGS non_replicated_deduplication_window = 1000`,
    `CREATE TABLE IF NOT EXISTS \${DB}.tor_imports
(
    source_id     String,
    source        String,
    kind          LowCardinality(String),
    observations  UInt32,
    ips           UInt32,
    rejected      UInt32,
    covered_from  DateTime('UTC'),
    covered_to    DateTime('UTC'),
    via           LowCardinality(String),
    imported_at   DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (source_id)
SETTINGS non_replicated_deduplication_window = 1000`,
    `CREATE TABLE IF NOT EXISTS \${DB}.tor_sync_runs
(
    started_at    DateTime64(3, 'UTC'),
    finished_at   DateTime64(3, 'UTC'),
    source        LowCardinality(String),
    url           String,
    outcome       LowCardinality(String),
    http_status   UInt16,
    detail        String,
    source_id     String,
    observations  UInt32,
    rejected      UInt32,
    etag          String,
    last_modified String
)
ENGINE = MergeTree
ORDER BY (source, started_at)`,
  ],
};
