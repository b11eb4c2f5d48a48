import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config/load-config.js';
import { TorlogsError } from '../../shared/core/errors.js';

test('defaults run on one machine: embedded store in ./data', () => {
  const c = loadConfig({});
  assert.equal(c.storeMode, 'embedded');
  assert.equal(c.dataDir, './data');
  assert.equal(c.clickhouseDatabase, 'torlogs');
  assert.deepEqual(c.kafkaTopics, ['access-logs']);
  assert.equal(c.kafkaBrokers, undefined);
  assert.equal(c.batchMaxRows, 20_000);
});

test('a server URL selects server mode; lists are split', () => {
  const c = loadConfig({ TORLOGS_CLICKHOUSE_URL: 'http://127.0.0.1:8123', TORLOGS_KAFKA_BROKERS: 'a:9092, b:9092', TORLOGS_TRUSTED_PROXIES: '10.0.0.0/8,::1' });
  assert.equal(c.storeMode, 'server');
  assert.deepEqual(c.kafkaBrokers, ['a:9092', 'b:9092']);
  assert.deepEqual(c.trustedProxies, ['10.0.0.0/8', '::1']);
});

const bad: Array<[Record<string, string>, string[]]> = [
  [{ TORLOGS_HTTP_PORT: 'abc' }, ['TORLOGS_HTTP_PORT']],
  [{ TORLOGS_HTTP_PORT: '70000', TORLOGS_BATCH_MAX_ROWS: '0' }, ['TORLOGS_HTTP_PORT', 'TORLOGS_BATCH_MAX_ROWS']],
  [{ TORLOGS_CLICKHOUSE_URL: 'not a url' }, ['TORLOGS_CLICKHOUSE_URL']],
  [{ TORLOGS_CLICKHOUSE_DATABASE: 'drop table;' }, ['TORLOGS_CLICKHOUSE_DATABASE']],
  [{ TORLOGS_LOG_LEVEL: 'loud' }, ['TORLOGS_LOG_LEVEL']],
  [{ TORLOGS_KAFKA_TOPIC_SITES: 'topic-without-site' }, ['TORLOGS_KAFKA_TOPIC_SITES']],
  [{ TORLOGS_TOR_SOURCES: 'tordnsel=ftp://x' }, ['TORLOGS_TOR_SOURCES']],
  [{ TORLOGS_TOR_SYNC_CRON: 'every hour' }, ['TORLOGS_TOR_SYNC_CRON']],
  [{ TORLOGS_SUMMARY_HOURLY_CRON: '61 * * * *', TORLOGS_SUMMARY_DAILY_CRON: '0 25 * * *' }, ['TORLOGS_SUMMARY_HOURLY_CRON', 'TORLOGS_SUMMARY_DAILY_CRON']],
  [{ TORLOGS_DATADIR: '/x' }, ['TORLOGS_DATADIR']],
];
for (const [env, names] of bad) {
  test(`rejects ${Object.keys(env).join(', ')} naming every bad variable`, () => {
    assert.throws(
      () => loadConfig(env),
      (err: unknown) => {
        assert.ok(err instanceof TorlogsError);
        assert.equal(err.code, 'config_invalid');
        for (const n of names) assert.match(err.message, new RegExp(n));
        assert.deepEqual([...(err.details.variables as string[])].sort(), [...names].sort());
        return true;
      },
    );
  });
}

test('config file supplies values; environment wins; unknown keys in the file are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-cfg-'));
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ TORLOGS_DATA_DIR: '/srv/t', TORLOGS_HTTP_PORT: 9000, TORLOGS_KAFKA_TOPICS: ['a', 'b'] }));
  const c = loadConfig({ TORLOGS_CONFIG_FILE: file, TORLOGS_HTTP_PORT: '9100' });
  assert.equal(c.dataDir, '/srv/t');
  assert.equal(c.httpPort, 9100);
  assert.deepEqual(c.kafkaTopics, ['a', 'b']);
  writeFileSync(file, JSON.stringify({ TORLOGS_NOPE: 1 }));
  assert.throws(() => loadConfig({ TORLOGS_CONFIG_FILE: file }), /TORLOGS_NOPE/);
});

test('TORLOGS_TEST_* belongs to the test harness and is ignored', () => {
  assert.doesNotThrow(() => loadConfig({ TORLOGS_TEST_KAFKA_BROKERS: 'x' }));
});
