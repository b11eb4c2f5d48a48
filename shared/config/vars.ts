/**
 * Every configuration variable, in one table: env name, zod schema (with default), and its documentation.
 * README's configuration table is checked against this list (test/unit/config-readme.test.ts).
 */
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));
const cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression with 5 or 6 fields');

export interface VarDef {
  env: string;
  schema: z.ZodType;
  doc: string;
  /** default shown in docs (string form), or undefined when the variable is optional with no default */
  def?: string;
}

function v<S extends z.ZodType>(env: string, schema: S, doc: string, def?: string): VarDef & { schema: S } {
  return { env, schema, doc, def };
}

export const VARS = {
  configFile: v('TORLOGS_CONFIG_FILE', z.string().optional(), 'Optional JSON file with the same TORLOGS_* keys; environment variables win.'),
  dataDir: v('TORLOGS_DATA_DIR', z.string().min(1).default('./data'), 'Embedded store directory (chDB). One process owns it.', './data'),
  logLevel: v('TORLOGS_LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), 'pino log level (JSON logs on stderr).', 'info'),

  clickhouseUrl: v('TORLOGS_CLICKHOUSE_URL', z.string().url().optional(), 'ClickHouse server HTTP URL. Unset: the embedded store in TORLOGS_DATA_DIR.'),
  clickhouseUser: v('TORLOGS_CLICKHOUSE_USER', z.string().min(1).default('default'), 'ClickHouse server user (server mode).', 'default'),
  clickhousePassword: v('TORLOGS_CLICKHOUSE_PASSWORD', z.string().default(''), 'ClickHouse server password (server mode).', ''),
  clickhouseDatabase: v('TORLOGS_CLICKHOUSE_DATABASE', z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case identifier').default('torlogs'), 'Database holding every torlogs table.', 'torlogs'),
  clickhouseTimeoutMs: v('TORLOGS_CLICKHOUSE_TIMEOUT_MS', int(1000, 3_600_000).default(60_000), 'Request timeout for ClickHouse calls (ms).', '60000'),

  kafkaBrokers: v('TORLOGS_KAFKA_BROKERS', csv.optional(), 'Comma-separated Kafka brokers. Unset: no Kafka ingest.'),
  kafkaClientId: v('TORLOGS_KAFKA_CLIENT_ID', z.string().min(1).default('torlogs'), 'Kafka client id.', 'torlogs'),
  kafkaGroupId: v('TORLOGS_KAFKA_GROUP_ID', z.string().min(1).default('torlogs-ingest'), 'Consumer group shared by all ingest workers.', 'torlogs-ingest'),
  kafkaTopics: v('TORLOGS_KAFKA_TOPICS', csv.default(['access-logs']), 'Comma-separated topics to consume.', 'access-logs'),
  kafkaTopicSites: v('TORLOGS_KAFKA_TOPIC_SITES', csv.default([]), 'Per-topic default site, `topic=site,...` (used when the line, header `site` and key give none).', ''),
  kafkaDlqTopic: v('TORLOGS_KAFKA_DLQ_TOPIC', z.string().min(1).default('access-logs-dlq'), 'Dead-letter topic (original bytes + reason).', 'access-logs-dlq'),

  logFormat: v('TORLOGS_LOG_FORMAT', z.string().min(1).default('auto'), 'Log format: auto, combined, common, vhost_combined, json, caddy, traefik, nginx:<log_format>, apache:<LogFormat>.', 'auto'),
  defaultSite: v('TORLOGS_DEFAULT_SITE', z.string().default(''), 'Site used when nothing else names one.', ''),
  trustedProxies: v('TORLOGS_TRUSTED_PROXIES', csv.default([]), 'CIDRs of proxies whose X-Forwarded-For / Forwarded / X-Real-IP are believed (`unix` for unix sockets).', ''),
  maxLineBytes: v('TORLOGS_MAX_LINE_BYTES', int(256, 16 * 1024 * 1024).default(65_536), 'Longer lines are dead-lettered as line_too_long.', '65536'),

  geoCityDb: v('TORLOGS_GEO_CITY_DB', z.string().optional(), 'MaxMind City database (.mmdb); hot-reloaded on atomic replace.'),
  geoCountryDb: v('TORLOGS_GEO_COUNTRY_DB', z.string().optional(), 'MaxMind Country database, used when no City database is set.'),
  geoAsnDb: v('TORLOGS_GEO_ASN_DB', z.string().optional(), 'MaxMind ASN database (.mmdb).'),

  batchMaxRows: v('TORLOGS_BATCH_MAX_ROWS', int(1, 1_000_000).default(20_000), 'Rows per ClickHouse insert (per partition); with TORLOGS_MAX_INFLIGHT_BATCHES it bounds the memory of rows waiting for their insert.', '20000'),
  batchMaxMs: v('TORLOGS_BATCH_MAX_MS', int(10, 600_000).default(1000), 'Flush a partial batch after this many ms.', '1000'),
  maxInflightBatches: v('TORLOGS_MAX_INFLIGHT_BATCHES', int(1, 64).default(4), 'Batches buffered or in flight before the consumer pauses.', '4'),

  httpHost: v('TORLOGS_HTTP_HOST', z.string().default('127.0.0.1'), 'Address for /metrics, /healthz and the API.', '127.0.0.1'),
  httpPort: v('TORLOGS_HTTP_PORT', int(0, 65535).default(8080), 'Port for /metrics, /healthz and the API.', '8080'),

  torSyncCron: v('TORLOGS_TOR_SYNC_CRON', cron.default('*/30 * * * *'), 'Tor sync schedule (UTC).', '*/30 * * * *'),
  torSources: v('TORLOGS_TOR_SOURCES', csv.default(['tordnsel=https://check.torproject.org/exit-addresses', 'bulk=https://check.torproject.org/torbulkexitlist']), 'Live Tor sources, `kind=url,...`.', 'tordnsel=https://check.torproject.org/exit-addresses,bulk=https://check.torproject.org/torbulkexitlist'),
  torStaleHours: v('TORLOGS_TOR_STALE_HOURS', int(1, 24 * 30).default(3), 'Tor data counts as stale after this many hours without a successful sync.', '3'),
  torMarginMinutes: v('TORLOGS_TOR_MARGIN_MINUTES', int(0, 7 * 24 * 60).default(24 * 60), 'Verdict margin around observed intervals (`near`).', '1440'),
  torPollSeconds: v('TORLOGS_TOR_POLL_SECONDS', int(1, 3600).default(30), 'How often workers check for a new Tor history version.', '30'),

  // --- summaries and reports (issue 6): add summary variables below this line ---
  summaryHourlyCron: v('TORLOGS_SUMMARY_HOURLY_CRON', cron.default('5 * * * *'), 'Hourly summaries schedule (UTC): every hour that ended, and hours made dirty by late rows or Tor imports.', '5 * * * *'),
  summaryDailyCron: v('TORLOGS_SUMMARY_DAILY_CRON', cron.default('15 0 * * *'), 'Daily summaries and reports schedule (UTC).', '15 0 * * *'),
  summaryMaxWindows: v('TORLOGS_SUMMARY_MAX_WINDOWS', int(1, 100_000).default(48), 'Windows (hours or days) computed per scheduled run at most; the rest waits for the next run.', '48'),
  reportWebhookUrl: v('TORLOGS_REPORT_WEBHOOK_URL', z.string().url().optional(), 'Optional URL each daily report (JSON) is POSTed to, with retries.'),
  reportWebhookRetries: v('TORLOGS_REPORT_WEBHOOK_RETRIES', int(0, 10).default(3), 'Retries of a failed report webhook POST (exponential backoff).', '3'),

  // --- checks and API (issue 5): add API variables below this line ---
  apiRateLimitPerMinute: v('TORLOGS_API_RATE_LIMIT_PER_MINUTE', int(1, 1_000_000).default(120), 'API requests per minute per key (token bucket, burst = the same number); over it: 429 with Retry-After.', '120'),
  apiBodyLimitBytes: v('TORLOGS_API_BODY_LIMIT_BYTES', int(1024, 64 * 1024 * 1024).default(4 * 1024 * 1024), 'Largest API request body (bytes); larger: 413.', '4194304'),
  apiMaxBatch: v('TORLOGS_API_MAX_BATCH', int(1, 10_000).default(10_000), 'Most items in one POST /v1/checks.', '10000'),
  apiUrl: v('TORLOGS_API_URL', z.string().url().optional(), '`torlogs sql` in embedded mode: URL of the running `torlogs serve` (default http://TORLOGS_HTTP_HOST:TORLOGS_HTTP_PORT).'),
  apiKey: v('TORLOGS_API_KEY', z.string().optional(), '`torlogs sql` in embedded mode: an analyst API key for the running `torlogs serve` (`torlogs api-key create`).'),
  sqlUser: v('TORLOGS_SQL_USER', z.string().optional(), '`torlogs sql` in server mode: the read-only ClickHouse user (default TORLOGS_CLICKHOUSE_USER).'),
  sqlPassword: v('TORLOGS_SQL_PASSWORD', z.string().optional(), 'Password of TORLOGS_SQL_USER.'),
  sqlMaxRows: v('TORLOGS_SQL_MAX_ROWS', int(1, 100_000_000).default(1_000_000), 'Most result rows of one analyst query (embedded; server: the user profile).', '1000000'),
  sqlTimeoutSeconds: v('TORLOGS_SQL_TIMEOUT_SECONDS', int(1, 3600).default(60), 'Longest analyst query (embedded; server: the user profile).', '60'),

  reportsDir: v('TORLOGS_REPORTS_DIR', z.string().min(1).default('./reports'), 'Where summary reports are written.', './reports'),
} satisfies Record<string, VarDef>;

export type VarKey = keyof typeof VARS;
