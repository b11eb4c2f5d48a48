import type { Command } from 'commander';
import { TorlogsError } from '../core/errors.js';
import { ingestFile } from '../ingest/file-ingest.js';
import { createClickHouseSink } from '../ingest/clickhouse-sink.js';
import { buildLineStages } from '../ingest/line-stages.js';
import { serve } from '../serve/serve.js';
import { ensureSchema } from '../store/ensure-schema.js';
import { openTorLookup } from '../tor-store/tor-lookup-holder.js';
import { runCli } from './command-context.js';
import { createProgress } from './progress.js';

interface IngestOpts {
  file?: string;
  format?: string;
  site?: string;
  json?: boolean;
}

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('ingest access logs: from a file or stdin (--file), otherwise run a Kafka ingest worker until SIGTERM')
    .option('--file <path>', "plain or gzip log file, or '-' for stdin (backfill, archives)")
    .option('--format <format>', 'log format (default: TORLOGS_LOG_FORMAT): auto, combined, common, vhost_combined, json, caddy, traefik, json:{...}, nginx:<log_format>, apache:<LogFormat>')
    .option('--site <site>', 'site the lines belong to when a line names none (default: TORLOGS_DEFAULT_SITE)')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', `
Re-ingesting the same file stores nothing twice (deterministic batches + insert deduplication tokens).
Every line is either stored or dead-lettered to ingest_rejects with a reason code; the summary counts both.
Kafka mode reads TORLOGS_KAFKA_* and serves /metrics, /healthz, /readyz on TORLOGS_HTTP_HOST:TORLOGS_HTTP_PORT.`)
    .action((opts: IngestOpts) =>
      runCli(async (ctx) => {
        const config = opts.format ? { ...ctx.config, logFormat: opts.format } : ctx.config;
        const store = ctx.store();
        await ensureSchema(store, config);
        if (!opts.file) return serve({ ...ctx, config }, { only: 'ingest' });
        const tor = await openTorLookup(store, config, ctx.logger, { poll: false });
        const stages = await buildLineStages(config, ctx.logger, ctx.metrics, tor.current);
        const progress = createProgress(`ingest ${opts.file}`, { interactive: ctx.interactive, unit: ' lines' });
        try {
          const res = await ingestFile({
            path: opts.file,
            site: opts.site ?? config.defaultSite,
            processor: stages.processor,
            sink: createClickHouseSink({ store, logger: ctx.logger.child({ component: 'sink' }), metrics: ctx.metrics }),
            batchMaxRows: config.batchMaxRows,
            maxInflightBatches: config.maxInflightBatches,
            logger: ctx.logger,
            metrics: ctx.metrics,
            onProgress: (p) => progress.update(p.totalBytes > 0 ? p.bytesRead : p.lines, p.totalBytes, `${p.stored} stored, ${p.rejected} dead-lettered`),
          });
          progress.finish();
          if (res.lines !== res.stored + res.rejected) throw new TorlogsError('internal', `counts do not reconcile: ${res.lines} lines, ${res.stored} stored, ${res.rejected} dead-lettered`);
          const summary = { file: opts.file, lines: res.lines, stored: res.stored, dead_lettered: res.rejected, dead_lettered_by_reason: res.rejectedByReason, seconds: Number(res.seconds.toFixed(2)), tor_history_version: tor.current().version };
          if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
          else {
            process.stdout.write(`${res.lines} lines: ${res.stored} stored, ${res.rejected} dead-lettered${res.rejected ? ` (${Object.entries(res.rejectedByReason).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''} in ${res.seconds.toFixed(1)}s\n`);
            if (res.rejected) process.stdout.write(`dead letters: SELECT * FROM ${store.database}.ingest_rejects WHERE source = 'file:…'\n`);
          }
        } finally {
          await stages.close();
          tor.close();
        }
      }),
    );
}
