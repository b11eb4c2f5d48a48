/** The `torlogs` command: wires the sub-commands from shared/cli. */
import { Command } from 'commander';
import { registerApiKeyCommand } from '../../shared/cli/api-key-command.js';
import { registerCheckCommand } from '../../shared/cli/check-command.js';
import { registerDemoCommand } from '../../shared/cli/demo-command.js';
import { registerIngestCommand } from '../../shared/cli/ingest-command.js';
import { registerMigrateCommand } from '../../shared/cli/migrate-command.js';
import { registerReportCommand } from '../../shared/cli/report-command.js';
import { registerServeCommand } from '../../shared/cli/serve-command.js';
import { registerSqlCommand } from '../../shared/cli/sql-command.js';
import { registerSummarizeCommand } from '../../shared/cli/summarize-command.js';
import { registerTorCommand } from '../../shared/cli/tor-command.js';

const program = new Command('torlogs')
  .description('Tor-aware access-log analytics: Kafka → parse → client IP → geo + Tor status → ClickHouse')
  .version('0.1.0')
  .showHelpAfterError()
  .addHelpText('after', '\nConfiguration comes from TORLOGS_* environment variables (see README). Every command has --help.');

registerMigrateCommand(program);
registerIngestCommand(program);
registerTorCommand(program);
registerServeCommand(program);
registerDemoCommand(program);
registerCheckCommand(program);
registerSqlCommand(program);
registerApiKeyCommand(program);
registerSummarizeCommand(program);
registerReportCommand(program);

await program.parseAsync(process.argv);
