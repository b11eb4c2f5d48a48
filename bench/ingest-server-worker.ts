/**
 * bench:ingest's worker for the server layout (the ClickHouse server is its own process, as in production): the
 * production ingest service (`startIngestService`: Kafka source, line stages, HTTP sink, partition writers) with a
 * server store, configured by the TORLOGS_* environment like `torlogs serve --only ingest`. Two differences, both
 * because the only server here is Debian's 18.16: the tables are created by the benchmark in types that server
 * supports (it cannot run the migrations), and the Tor index comes from a file the benchmark wrote
 * (BENCH_TOR_INDEX_FILE: the exit intervals and coverage of the fixture history, what production's loadTorIndex
 * reads from the store's tables, which 18.16 cannot hold).
 *
 * Prints `received` on stdout when the first line arrived (the benchmark's clock starts there) and stops cleanly
 * (drain, commit) on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../shared/config/load-config.js';
import { startIngestService } from '../shared/ingest/ingest-service.js';
import { createLogger } from '../shared/observability/logger.js';
import { createMetrics } from '../shared/observability/metrics.js';
import { openStore } from '../shared/store/open-store.js';
import type { Interval } from '../shared/tor/intervals.js';
import { TorIndex, type TorIndexInput } from '../shared/tor/tor-index.js';
import { DEFAULT_TOR_POLICY } from '../shared/tor/tor-policy.js';

/** the file bench:ingest writes (writeTorIndexFile) */
export interface TorIndexFile {
  version: number;
  exits: Array<[string, Interval[]]>;
  coverage: TorIndexInput['coverage'];
}

const config = loadConfig();
if (!config.clickhouseUrl) throw new Error('TORLOGS_CLICKHOUSE_URL must name the server');
const file = JSON.parse(readFileSync(process.env.BENCH_TOR_INDEX_FILE!, 'utf8')) as TorIndexFile;
const index = new TorIndex({ exits: new Map(file.exits), coverage: file.coverage, policy: DEFAULT_TOR_POLICY, version: file.version });
const store = openStore(config);
const metrics = createMetrics();
const logger = createLogger('warn');
const service = await startIngestService({ config, store, logger, metrics, tor: () => index, onFatal: (err) => {
  logger.error({ err }, 'ingest failed');
  process.exit(1);
} });
const poll = setInterval(() => {
  void metrics.value('lines_received_total').then((n) => {
    if (n > 0) {
      clearInterval(poll);
      process.stdout.write('received\n');
    }
  });
}, 10);
process.once('SIGTERM', () => {
  clearInterval(poll);
  void service
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0), (err: unknown) => {
      logger.error({ err }, 'stop failed');
      process.exit(1);
    });
});
// BENCH_DEBUG=1: the process's memory every 500 ms on stderr (bench:ingest prints it when the worker has stopped)
if (process.env.BENCH_DEBUG) {
  setInterval(() => {
    const u = process.memoryUsage();
    process.stderr.write(`memory: rss ${u.rss >> 20} MB, JS heap ${u.heapUsed >> 20} of ${u.heapTotal >> 20} MB, Buffers ${u.arrayBuffers >> 20} MB\n`);
  }, 500).unref();
}
