/** The tor-sync service alone (one per container in server mode): `torlogs serve --only tor-sync`. */
import { runCli } from '../../shared/cli/command-context.js';
import { serve } from '../../shared/serve/serve.js';

await runCli((ctx) => serve(ctx, { only: 'tor-sync' }));
