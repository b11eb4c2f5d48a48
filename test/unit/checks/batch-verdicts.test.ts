/**
 * createBatchVerdicts gives exactly verdict()'s answer (verdict, summary, the whole evidence) on the real fixture
 * history: every IP of the bulk snapshots, exit lists, consensuses and Onionoo excerpt that has more than a few
 * observations, at times around and inside their intervals, at interval edges ±1 s, and far away.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBatchVerdicts } from '../../../shared/checks/batch-verdicts.js';
import { exitIntervals, TorHistory } from '../../../shared/tor/tor-history.js';
import { DEFAULT_TOR_POLICY, torPolicy } from '../../../shared/tor/tor-policy.js';
import { verdict } from '../../../shared/tor/verdict.js';
import { loadFixtureDocs } from '../../helpers/tor-history.js';

const history = TorHistory.fromDocuments(loadFixtureDocs());

for (const policy of [DEFAULT_TOR_POLICY, torPolicy({ marginMs: 3_600_000, coverageSlackMs: 3_600_000 })]) {
  test(`batch verdicts equal verdict() on every busy fixture IP (margin ${policy.marginMs / 3_600_000} h)`, () => {
    const batch = createBatchVerdicts(history, policy);
    let compared = 0;
    let busy = 0;
    for (const ip of history.ips()) {
      const recs = history.observationsOf(ip);
      if (recs.length <= 16) continue;
      busy++;
      if (busy % 7 !== 0) continue; // every 7th busy IP keeps the test short; all kinds and shapes occur
      const times = new Set<number>();
      for (const iv of exitIntervals(recs, policy)) for (const t of [iv.fromMs - 1000, iv.fromMs, (iv.fromMs + iv.toMs) / 2, iv.toMs, iv.toMs + 1000, iv.toMs + 3_600_000, iv.fromMs - 30 * 3_600_000]) times.add(Math.round(t));
      for (const t of times) {
        assert.deepEqual(batch(ip, t), verdict(history, ip, t, policy), `${ip} at ${new Date(t).toISOString()}`);
        compared++;
      }
    }
    assert.ok(busy > 1000 && compared > 5000, `${busy} busy IPs, ${compared} comparisons`);
  });
}

test('IPs with few or no observations go straight to verdict()', () => {
  const batch = createBatchVerdicts(history, DEFAULT_TOR_POLICY);
  for (const [ip, t] of [['192.0.2.1', Date.parse('2023-06-03T06:00:00Z')], ['176.10.104.240', Date.parse('2018-10-31T11:11:00Z')]] as const) {
    assert.deepEqual(batch(ip, t), verdict(history, ip, t, DEFAULT_TOR_POLICY));
  }
});
