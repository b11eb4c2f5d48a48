/** The resolver on real nginx lines (test/fixtures/logs/elastic-beats-fixtures), parsed by the project's parser. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClientIpResolver } from '../../../shared/client-ip/client-ip-resolver.js';
import { getParser } from '../../../shared/parse/parser-registry.js';
import { fixtureLines } from '../../helpers/fixtures.js';

function resolveFile(file: string, trustedProxies: string[]): string[] {
  const parse = getParser('auto').parser;
  const resolve = createClientIpResolver({ trustedProxies });
  return fixtureLines('logs', 'elastic-beats-fixtures', file).map((l) => {
    const p = parse(l);
    assert.ok(p.ok, l);
    const r = resolve(p.value);
    return r.ok ? `${r.value.ip} via ${r.value.via}` : `${r.rejection.reason} (${r.rejection.field})`;
  });
}

const cases: Array<[string, string[], string[]]> = [
  ['nginx-access-test.log', ['10.0.0.0/8', '127.0.0.0/8'], [
    '10.0.0.2 via x-forwarded-for',
    '172.17.0.1 via remote_addr',
    '85.181.35.98 via remote_addr',
    '85.181.35.98 via remote_addr',
    '204.246.1.1 via x-forwarded-for',
    '2a03:0:10ff:f00f::8000 via x-forwarded-for',
    '127.0.0.1 via remote_addr',
  ]],
  ['nginx-access-test.log', [], [
    '127.0.0.1 via remote_addr',
    '172.17.0.1 via remote_addr',
    '85.181.35.98 via remote_addr',
    '85.181.35.98 via remote_addr',
    '10.2.1.185 via remote_addr',
    '10.2.2.121 via remote_addr',
    '127.0.0.1 via remote_addr',
  ]],
  ['nginx-access-test-with-host.log', ['10.0.0.0/8', '127.0.0.0/8', '204.246.0.0/16', 'unix'], [
    '10.0.0.2 via x-forwarded-for',
    '172.17.0.1 via remote_addr',
    '81.2.69.143 via remote_addr',
    '81.2.69.143 via remote_addr',
    '175.16.199.1 via x-forwarded-for',
    '2a02:cf40:10ff:f00f::8000 via x-forwarded-for',
    '127.0.0.1 via remote_addr',
    'bad_client_ip (remote_addr)',
    'bad_client_ip (remote_addr)',
    'bad_client_ip (remote_addr)',
  ]],
];
for (const [file, trusted, want] of cases) {
  test(`client IPs of ${file} with trusted [${trusted.join(', ')}]`, () => {
    assert.deepEqual(resolveFile(file, trusted), want);
  });
}
