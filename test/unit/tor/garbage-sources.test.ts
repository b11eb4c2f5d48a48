/**
 * Documents that are not what they claim are refused as a whole (TorlogsError tor_source_invalid) so they can
 * never erase history or fake coverage. The texts are the kinds seen in real archives: dan.me.uk's rate-limit
 * sentence committed in place of a list (SecOps-Institute/Tor-IP-Addresses), HTTP error pages, empty bodies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TorlogsError } from '../../../shared/core/errors.js';
import { parseTorSource, type TorSourceInput } from '../../../shared/tor/parse-tor-source.js';
import { detectKind } from '../../../shared/tor/source-kind.js';
import { DEFAULT_TOR_POLICY as P } from '../../../shared/tor/tor-policy.js';
import { fixture } from '../../helpers/fixtures.js';

const exitList = readFileSync(fixture('tor', 'collector-exit-lists', '2018-11-01-00-02-01'), 'utf8');
const at = Date.parse('2024-01-01T00:00:00Z');

const cases: Array<[string, Omit<TorSourceInput, 'source'>, string, RegExp]> = [
  ['an empty body', { text: '' }, 'empty', /empty document/],
  ['whitespace only', { text: ' \r\n\n\t\n' }, 'empty', /empty document/],
  ['an empty body claimed as bulk', { text: '', kind: 'bulk', observedAtMs: at }, 'empty', /empty document/],
  ['an HTML error page', { text: '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n' }, 'html', /an HTML page/],
  ['an HTML page claimed as an exit list', { text: '\n<html><body>Maintenance</body></html>', kind: 'tordnsel', fetchedAtMs: at }, 'html', /an HTML page/],
  ['"429 Too Many Requests" text', { text: '429 Too Many Requests\n', kind: 'bulk', observedAtMs: at }, 'error_text', /rate-limit or error message/],
  ['dan.me.uk rate-limit text', { text: 'Umm... You can only fetch the data every 30 minutes - sorry.\n', kind: 'bulk', observedAtMs: at }, 'error_text', /rate-limit or error message/],
  ['plain prose', { text: 'Hello world\nthis is not a list\n' }, 'unknown_kind', /not a Tor document of any known kind/],
  ['JSON that is not Onionoo', { text: '{"error": "bad request"}' }, 'unknown_kind', /not a Tor document of any known kind/],
  ['a vote, not a consensus', { text: '@type network-status-vote-3 1.0\nnetwork-status-version 3\nvote-status vote\n' }, 'unknown_kind', /not a Tor document/],
  ['an exit list claimed to be a bulk list', { text: exitList, kind: 'bulk', observedAtMs: at }, 'kind_mismatch', /claimed to be bulk but the content is tordnsel/],
  ['a bulk list of mostly junk', { text: '1.2.3.4\nnot-an-ip\nalso junk\nmore junk\n', observedAtMs: at }, 'mostly_invalid', /3 invalid lines against 1 entries; first: line 2/],
  ['an exit list without entries', { text: '@type tordnsel 1.0\nDownloaded 2018-11-01 00:02:01\n' }, 'no_entries', /no tordnsel entries/],
  ['a consensus without relays', { text: '@type network-status-consensus-3 1.0\nnetwork-status-version 3\nvote-status consensus\nvalid-after 2018-06-01 00:00:00\n' }, 'mostly_invalid', /no r lines/],
  ['an Onionoo document without relays_published', { text: '{"version":"8.0","relays":[]}' }, '', /without Onionoo's relays_published/],
];
for (const [name, input, reason, message] of cases) {
  test(`refused: ${name}`, () => {
    assert.throws(
      () => parseTorSource({ source: 'https://example.test/list', ...input }, P),
      (e: unknown) => e instanceof TorlogsError && e.code === 'tor_source_invalid' && message.test(e.message) && (reason === '' || e.details.reason === reason),
    );
  });
}

test('kind detection by content', () => {
  assert.equal(detectKind(exitList), 'tordnsel');
  assert.equal(detectKind(exitList.split('\n').slice(2).join('\n')), 'tordnsel');
  assert.equal(detectKind(exitList.replace('@type tordnsel 1.0', '@type torperf 1.0')), 'tordnsel', "CollecTor's mislabelled 2016-10..2017-01 exit lists");
  assert.equal(detectKind(readFileSync(fixture('tor', 'collector-consensuses', '2018-06-01-00-00-00-consensus'), 'utf8')), 'consensus');
  assert.equal(detectKind(readFileSync(fixture('tor', 'onionoo', 'details-2021-10-09T14-excerpt.json'), 'utf8')), 'onionoo');
  assert.equal(detectKind('2001:0470:0001:0908:0000:0000:0000:9001\n1.2.3.4\n'), 'bulk');
  assert.equal(detectKind('# TorBulkExitList\n1.2.3.4\n'), 'bulk');
  assert.equal(detectKind('Umm... You can only fetch the data every 30 minutes - sorry.'), null);
});
