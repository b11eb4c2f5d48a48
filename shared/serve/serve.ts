/**
 * `torlogs serve`: the services of one process. All-in-one on the embedded store (one process owns the data
 * directory): ingest from Kafka when TORLOGS_KAFKA_BROKERS is set, Tor sync, summaries, the API, and the ops
 * endpoints (/metrics, /healthz, /readyz: one combined health) on TORLOGS_HTTP_HOST:TORLOGS_HTTP_PORT. With a ClickHouse server each service can run alone
 * (`--only`), which is what docker-compose does. SIGTERM/SIGINT drain and commit; a second signal exits at once.
 */
import type { CommandContext } from '../cli/command-context.js';
import { TorlogsError } from '../core/errors.js';
import { registerApiRoutes } from '../api/register-api.js';
import { createOpsServer } from '../http/ops-server.js';
import { startIngestService, type IngestService } from '../ingest/ingest-service.js';
import { ensureSchema } from '../store/ensure-schema.js';
import { openTorLookup } from '../tor-store/tor-lookup-holder.js';
import { startTorSyncService, type TorSyncService } from '../tor-sync/tor-sync-service.js';
import { startSummariesService, type SummariesService } from '../summaries/summaries-service.js';

export const SERVICES = ['ingest', 'tor-sync', 'summaries', 'api'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ServeOptions {
  only?: ServiceName;
  /** run one Tor sync at start (default true when tor-sync runs) */
  syncOnStart?: boolean;
  /** catch up on due summary windows at start (default true when summaries run) */
  summariesOnStart?: boolean;
  /** resolves with the listening URL once everything started (tests) */
  onReady?: (url: string) => void;
}

export async function serve(ctx: CommandContext, o: ServeOptions = {}): Promise<number> {
  const log = ctx.logger.child({ component: 'serve' });
  const store = ctx.store();
  await ensureSchema(store, ctx.config);
  const wants = (s: ServiceName) => o.only === undefined || o.only === s;
  if (o.only === 'ingest' && !ctx.config.kafkaBrokers) throw new TorlogsError('usage_invalid', 'serve --only ingest needs TORLOGS_KAFKA_BROKERS');
  const tor = await openTorLookup(store, ctx.config, ctx.logger);
  const ops = createOpsServer(ctx.metrics, ctx.logger);
  ops.addHealth('clickhouse', async () => {
    const h = await store.healthcheck();
    return { ok: h.ok, detail: h.detail ?? `${h.mode} ${h.version}` };
  });
  ops.addHealth('tor_index', () => tor.health());
  if (wants('api')) registerApiRoutes(ops.app, { store, config: ctx.config, logger: ctx.logger, metrics: ctx.metrics });

  let ingest: IngestService | null = null;
  let sync: TorSyncService | null = null;
  let summaries: SummariesService | null = null;
  let fatal: unknown = null;
  let release: () => void = () => undefined;
  const done = new Promise<void>((r) => (release = r));
  let stopping = false;
  const stop = (why: string, signal: boolean) => {
    if (stopping) {
      if (!signal) return;
      log.warn({ why }, 'second signal: exiting now (uncommitted lines are re-read on restart)');
      process.exit(1);
    }
    stopping = true;
    log.info({ why }, 'stopping');
    release();
  };
  const onTerm = () => stop('SIGTERM', true);
  const onInt = () => stop('SIGINT', true);
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);

  if (wants('tor-sync')) {
    sync = startTorSyncService({ store, config: ctx.config, logger: ctx.logger, metrics: ctx.metrics }, () => void tor.refresh());
    ops.addHealth('tor_sync', () => sync!.health());
    if (o.syncOnStart !== false) void sync.runNow();
  }
  if (wants('summaries')) {
    summaries = startSummariesService({ store, config: ctx.config, logger: ctx.logger, metrics: ctx.metrics });
    ops.addHealth('summaries', () => summaries!.health());
    // catch up on windows missed while the process was down (bounded per run; the schedule does the rest)
    if (o.summariesOnStart !== false) void summaries.runNow().catch((err: unknown) => log.error({ err: (err as Error).message }, 'summaries catch-up failed'));
  }
  if (wants('ingest') && ctx.config.kafkaBrokers) {
    ingest = await startIngestService({
      config: ctx.config, store, logger: ctx.logger, metrics: ctx.metrics, tor: tor.current,
      onFatal: (err) => {
        fatal ??= err;
        stop(`fatal: ${(err as Error).message}`, false);
      },
    });
    ops.addHealth('ingest', () => ingest!.health());
  } else if (wants('ingest')) log.info('TORLOGS_KAFKA_BROKERS unset: no Kafka ingest in this process');
  const statsTimer = setInterval(() => ingest?.stages.flushStats(), 1000);
  const url = await ops.listen(ctx.config.httpHost, ctx.config.httpPort);
  log.info({ url, services: SERVICES.filter((s) => wants(s)) }, 'serving');
  o.onReady?.(url);

  await done;
  clearInterval(statsTimer);
  const failures: unknown[] = [];
  if (ingest) await ingest.stop().catch((e: unknown) => failures.push(e));
  ingest?.stages.flushStats();
  if (sync) await sync.stop().catch((e: unknown) => failures.push(e));
  if (summaries) await summaries.stop().catch((e: unknown) => failures.push(e));
  tor.close();
  await ops.close();
  process.off('SIGTERM', onTerm);
  process.off('SIGINT', onInt);
  if (fatal) throw fatal;
  if (failures.length) throw failures[0];
  log.info('stopped cleanly');
  return 0;
}
