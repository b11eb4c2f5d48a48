import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReportsCsv, resultsToCsv, splitCsvLine } from '../../../shared/checks/reports-csv.js';
import type { CheckResult } from '../../../shared/checks/run-checks.js';

test('CSV records: quoted commas, doubled quotes, empty fields, unclosed quotes', () => {
  assert.deepEqual(splitCsvLine('1.2.3.4,"Wed, 31 Oct 2018 11:11:00 +0000",shop'), ['1.2.3.4', 'Wed, 31 Oct 2018 11:11:00 +0000', 'shop']);
  assert.deepEqual(splitCsvLine('a,"say ""hi""",'), ['a', 'say "hi"', '']);
  assert.equal(splitCsvLine('a,"open'), null);
  assert.equal(splitCsvLine('a,"x"y'), null);
});

test('a batch with a header in another column order: good rows become items, every bad row is reported by line and field', () => {
  const text = [
    'time,ip,site',
    '2018-10-31T11:11:00Z,176.10.104.240,shop.example',
    '"Wed, 31 Oct 2018 11:11:00 +0000",::ffff:176.10.104.240,',
    '',
    '# a comment',
    '2018-10-31T11:11:00,176.10.104.240,shop.example',
    '2018-10-31T11:11:00Z,999.1.1.1,shop.example',
    '2018-10-31T11:11:00Z,1.2.3.4,bad site',
    '1540984260,2001:0470:0001:0908:0000:0000:0000:9001,',
    '"unclosed,1.2.3.4',
    'onlyonecolumn',
  ].join('\r\n');
  const b = parseReportsCsv(text);
  assert.deepEqual(b.items.map((i) => [i.ip, i.atMs, i.site]), [
    ['176.10.104.240', Date.parse('2018-10-31T11:11:00Z'), 'shop.example'],
    ['176.10.104.240', Date.parse('2018-10-31T11:11:00Z'), null],
    ['2001:470:1:908::9001', 1540984260000, null],
  ]);
  assert.deepEqual(b.lines, [2, 3, 9]);
  assert.deepEqual(b.errors.map((e) => [e.line, e.field]), [[6, 'time'], [7, 'ip'], [8, 'site'], [10, 'line'], [11, 'time']]);
  assert.match(b.errors[0]!.message, /ambiguous/);
  assert.match(b.errors[1]!.message, /"999.1.1.1" is not an IPv4 or IPv6 address/);
});

test('without a header the columns are ip,time[,site]', () => {
  const b = parseReportsCsv('176.10.104.240,2018-10-31T11:11:00Z\n');
  assert.equal(b.errors.length, 0);
  assert.equal(b.items[0]!.ip, '176.10.104.240');
});

test('results as CSV: one line per item, quoted summary, no spreadsheet formulas', () => {
  const r = {
    ip: '1.2.3.4', at: '2018-10-31T11:11:00Z', site: null, verdict: 'unknown', summary: 'Unknown: no "data", here',
    evidence: { relays: [], strength: null },
    geo: { country: '', city: '', source: 'none', note: '' }, asn: { number: 0, organization: '', source: 'none' },
    activity: { window: { from: '', to: '' }, requests: 1, firstRequest: 'x', lastRequest: 'y', topPaths: [{ path: '=HYPERLINK("x")', requests: 1 }], statuses: [], sites: [] },
  } as unknown as CheckResult;
  const csv = resultsToCsv([r]).split('\n');
  assert.equal(csv[0], 'ip,at,site,verdict,relays,evidence_strength,country,city,asn,as_org,geo_source,requests,first_request,last_request,top_paths,statuses,summary');
  assert.equal(csv[1], '1.2.3.4,2018-10-31T11:11:00Z,,unknown,,,,,,,none,1,x,y,"\'=HYPERLINK(""x"") (1)",,"Unknown: no ""data"", here"');
});
