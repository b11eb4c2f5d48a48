import { Option, type Command } from 'commander';
import { serve, SERVICES, type ServiceName } from '../serve/serve.js';
import { runCli } from './command-context.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the services: Kafka ingest (when TORLOGS_KAFKA_BROKERS is set), Tor sync, summaries, the API, /metrics, /healthz, /readyz')
    .addOption(new Option('--only <service>', 'run one service (server mode: one per container)').choices([...SERVICES]))
    .option('--no-sync-on-start', 'do not fetch the Tor lists at start (wait for the schedule)')
    .addHelpText('after', '\nEmbedded store: everything runs in this one process (it owns TORLOGS_DATA_DIR). SIGTERM drains and commits.')
    .action((opts: { only?: ServiceName; syncOnStart?: boolean }) => runCli((ctx) => serve(ctx, { only: opts.only, syncOnStart: opts.syncOnStart }), { processMetrics: true }));
}
