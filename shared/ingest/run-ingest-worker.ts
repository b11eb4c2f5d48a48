/** Runs the Kafka ingest worker with its ops endpoints until SIGTERM/SIGINT, then drains and commits. */
import type { CommandContext } from '../cli/command-context.js';
import { createOpsServer } from '../http/ops-server.js';
import type { ClickHouseStore } from '../store/store.js';
import type { TorLookupHolder } from '../tor-store/tor-lookup-holder.js';
import { startIngestService } from './ingest-service.js';

export async function runIngestWorker(ctx: CommandContext, store: ClickHouseStore, tor: TorLookupHolder): Promise<number> {
  const log = ctx.logger.child({ component: 'ingest-worker' });
  const ops = createOpsServer(ctx.metrics, ctx.logger);
  let fatal: unknown = null;
  let stopping: Promise<void> | null = null;
  let service: Awaited<ReturnType<typeof startIngestService>> | null = null;
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (release = resolve));
  const stop = (why: string) => {
    if (stopping) {
      log.warn({ why }, 'second signal: exiting without waiting (uncommitted lines are re-read on restart)');
      process.exit(1);
    }
    log.info({ why }, 'stopping: draining buffered batches and committing');
    stopping = (service ? service.stop() : Promise.resolve()).finally(release);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  service = await startIngestService({
    config: ctx.config, store, logger: ctx.logger, metrics: ctx.metrics, tor: tor.current,
    onFatal: (err) => {
      if (fatal) return;
      fatal = err;
      stop(`fatal: ${(err as Error).message}`);
    },
  });
  const svc = service;
  ops.addHealth('ingest', () => svc.health());
  ops.addHealth('clickhouse', async () => {
    const h = await store.healthcheck();
    return { ok: h.ok, detail: h.detail ?? `${h.mode} ${h.version}` };
  });
  ops.addHealth('tor', () => tor.health());
  const statsTimer = setInterval(() => svc.stages.flushStats(), 1000);
  const where = await ops.listen(ctx.config.httpHost, ctx.config.httpPort);
  log.info({ metrics: `${where}/metrics` }, 'ingest worker running');
  await done;
  clearInterval(statsTimer);
  svc.stages.flushStats();
  await ops.close();
  await stopping;
  if (fatal) throw fatal;
  return 0;
}
