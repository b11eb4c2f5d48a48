/** docker-compose.yml is valid for users (validated with Debian's docker-compose; no engine runs here). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { repoRoot } from '../helpers/cli.js';

test('docker-compose config -q passes and defines the services', () => {
  const which = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  assert.equal(which.error, undefined, 'docker-compose is not installed (Debian package docker-compose): install it, the test does not skip');
  const check = spawnSync('docker-compose', ['config', '-q'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  const services = execFileSync('docker-compose', ['config', '--services'], { cwd: repoRoot, encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(services, ['clickhouse', 'ingest', 'kafka', 'migrate', 'tor-sync']);
  const full = execFileSync('docker-compose', ['config'], { cwd: repoRoot, encoding: 'utf8' });
  assert.match(full, /image: apache\/kafka:4\./);
  assert.match(full, /image: clickhouse\/clickhouse-server:25\./);
  assert.match(full, /TORLOGS_CLICKHOUSE_URL: http:\/\/clickhouse:8123/);
  assert.doesNotMatch(full, /container_name/, 'ingest must be scalable');
});
