/** The API service alone (one per container in server mode): `torlogs serve --only api`. */
import { runCli } from '../../shared/cli/command-context.js';
import { serve } from '../../shared/serve/serve.js';

await runCli((ctx) => serve(ctx, { only: 'api' }));
