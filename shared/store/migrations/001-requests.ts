import type { Migration } from './migration.js';

/**
 * The hot table: one row per stored request. Facts only: the Tor status evaluated at query time lives in the
 * Tor history tables; the row keeps what ingest knew (`tor_at_ingest`, `tor_history_version`) for provenance.
 * No Nullable columns; IPv4 is stored IPv4-mapped in IPv6 columns; UTC everywhere.
 */
export const migration001: Migration = {
  version: 1,
  name: 'requests',
  statements: [
    `CREATE TABLE IF NOT EXISTS \${DB}.requests
(
    ts                  DateTime64(3, 'UTC') CODEC(Delta(8), ZSTD(1)),
    site                LowCardinality(String),
    ip                  IPv6,
    ip_source           Enum8('remote_addr' = 1, 'x-forwarded-for' = 2, 'forwarded' = 3, 'x-real-ip' = 4),
    peer_ip             IPv6,
    method              LowCardinality(String),
    path                String CODEC(ZSTD(1)),
    protocol            LowCardinality(String),
    status              UInt16,
    bytes               UInt64,
    duration_ms         UInt32,
    referer             String CODEC(ZSTD(1)),
    user_agent          String CODEC(ZSTD(1)),
    remote_user         String CODEC(ZSTD(1)),
    country             LowCardinality(String),
    city                LowCardinality(String),
    geoname_id          UInt32,
    asn                 UInt32,
    as_org              LowCardinality(String),
    geo_db_build        DateTime('UTC'),
    tor_at_ingest       Enum8('unknown' = 0, 'exit' = 1, 'near' = 2, 'not_exit' = 3),
    tor_history_version UInt64,
    source              LowCardinality(String),
    source_partition    Int32,
    source_offset       Int64,
    line_index          UInt32,
    event_id            UInt64 MATERIALIZED cityHash64(source, source_partition, source_offset, line_index),
    ingested_at         DateTime('UTC') DEFAULT now(),
    PROJECTION by_ip
    (
        SELECT ip, ts, site, method, path, status, bytes
        ORDER BY ip, ts
    )
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site, toStartOfHour(ts), ip, ts)
SETTINGS non_replicated_deduplication_window = 10000, index_granularity = 8192`,
  ],
};
