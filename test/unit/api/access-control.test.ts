import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessControlStatements } from '../../../shared/api/access-control.js';
import { repoRoot } from '../../helpers/cli.js';

/** <grants> of each user in deploy/clickhouse/users.d/torlogs-users.xml */
function xmlGrants(): Record<string, string[]> {
  const xml = readFileSync(join(repoRoot, 'deploy', 'clickhouse', 'users.d', 'torlogs-users.xml'), 'utf8');
  const out: Record<string, string[]> = {};
  for (const m of xml.matchAll(/<(torlogs_[a-z]+)>([\s\S]*?)<\/\1>/g)) out[m[1]!] = [...m[2]!.matchAll(/<query>([^<]*)<\/query>/g)].map((q) => q[1]!);
  return out;
}

test('docker-compose users get exactly the privileges of the SQL roles (ingest, analyst, api)', () => {
  const xml = xmlGrants();
  const sql = accessControlStatements('torlogs').filter((s) => s.startsWith('GRANT'));
  for (const who of ['ingest', 'analyst', 'api']) {
    const role = sql.filter((s) => s.endsWith(` TO torlogs_${who}_role`)).map((s) => s.replace(` TO torlogs_${who}_role`, ''));
    assert.deepEqual([...xml[`torlogs_${who}`]!].sort(), [...role].sort(), who);
  }
  assert.deepEqual(xml.torlogs_admin, [], 'admin: every privilege');
});

test('the roles: ingest inserts only into what it writes, readers never write or read api_keys unless they are the API', () => {
  const sql = accessControlStatements('torlogs');
  for (const s of sql.filter((x) => x.startsWith('GRANT'))) assert.doesNotMatch(s, /\b(ALTER|CREATE|DROP|TRUNCATE|OPTIMIZE|ALL)\b/, s);
  assert.ok(!sql.some((s) => /INSERT ON torlogs\.(\*|api_keys|schema_migrations)/.test(s)));
  assert.ok(!sql.some((s) => /analyst_role/.test(s) && /api_keys|INSERT/.test(s)));
  assert.ok(sql.includes('GRANT SELECT ON torlogs.api_keys TO torlogs_api_role'));
  assert.throws(() => accessControlStatements('torlogs; DROP'), /not a lower-case identifier/);
});
