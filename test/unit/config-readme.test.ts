import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VARS } from '../../shared/config/vars.js';
import { repoRoot } from '../helpers/cli.js';

test('every configuration variable in the README exists in the config schema and the other way round', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = /<!-- config-table:start -->([\s\S]*?)<!-- config-table:end -->/.exec(readme);
  assert.ok(block, 'README has the config table markers');
  const inReadme = [...block[1]!.matchAll(/^\| `(TORLOGS_[A-Z0-9_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()] as const);
  const schema = Object.values(VARS).map((d) => d.env);
  assert.deepEqual(inReadme.map(([n]) => n).sort(), [...schema].sort());
  for (const [name, shown] of inReadme) {
    const def = Object.values(VARS).find((d) => d.env === name)!.def;
    const expected = def === undefined ? '(unset)' : def === '' ? '(empty)' : `\`${def}\``;
    assert.equal(shown, expected, `default of ${name} in README`);
  }
});
