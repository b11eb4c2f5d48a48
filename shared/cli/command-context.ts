/**
 * What every CLI command gets: validated config, a logger, metrics, and a lazily opened store.
 * `runCli` turns failures into a message on stderr and a non-zero exit code (2: bad usage/config, 1: failure).
 */
import { loadConfig, type Config } from '../config/load-config.js';
import { TorlogsError } from '../core/errors.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { openStore } from '../store/open-store.js';
import type { ClickHouseStore } from '../store/store.js';

export interface CommandContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  store(): ClickHouseStore;
  /** true when stderr is a terminal (progress bars) */
  interactive: boolean;
}

/** `processMetrics`: also export the process's own metrics (memory, CPU, GC, event-loop delay) as torlogs_process_* (long-running commands) */
export async function runCli(action: (ctx: CommandContext) => Promise<number | void>, opts: { processMetrics?: boolean } = {}): Promise<void> {
  let store: ClickHouseStore | null = null;
  let code: number;
  try {
    const config = loadConfig();
    const ctx: CommandContext = {
      config,
      logger: createLogger(config.logLevel),
      metrics: createMetrics({ defaultMetrics: opts.processMetrics === true }),
      store: () => (store ??= openStore(config)),
      interactive: Boolean(process.stderr.isTTY),
    };
    code = (await action(ctx)) ?? 0;
  } catch (err) {
    code = reportError(err);
  } finally {
    if (store) await (store as ClickHouseStore).close().catch(() => undefined);
  }
  process.exitCode = code;
}

export function reportError(err: unknown): number {
  if (err instanceof TorlogsError) {
    process.stderr.write(`torlogs: ${err.code}: ${err.message}\n`);
    return err.code === 'config_invalid' || err.code === 'usage_invalid' ? 2 : 1;
  }
  process.stderr.write(`torlogs: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}
