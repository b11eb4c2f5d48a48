/**
 * The summaries service alone: hourly and daily rollups plus daily reports on the configured schedule, until
 * SIGTERM/SIGINT. `torlogs serve` runs the same service next to ingest and tor-sync.
 */
import { runCli } from '../../shared/cli/command-context.js';
import { ensureSchema } from '../../shared/store/ensure-schema.js';
import { startSummariesService } from '../../shared/summaries/summaries-service.js';

await runCli(async (ctx) => {
  const store = ctx.store();
  await ensureSchema(store, ctx.config);
  const service = startSummariesService({ store, config: ctx.config, logger: ctx.logger, metrics: ctx.metrics });
  ctx.logger.info({ hourly: ctx.config.summaryHourlyCron, daily: ctx.config.summaryDailyCron }, 'summaries service started');
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  await service.stop();
});
