/**
 * One paragraph per verdict for people who act on it (abuse teams, courts). It states what was observed, how strong
 * that is, and for `unknown` which data is missing, and never turns missing data into a "no".
 */
import type { Verdict, VerdictEvidence } from './verdict.js';

const STRENGTH_TEXT = {
  measured: 'measured exit connections from this address (Tor exit scanner)',
  listed: 'a published Tor exit list naming this address',
  or_address: 'the onion-routing address of a relay with the Exit flag (it may have exited from another address)',
} as const;

function kindsText(e: VerdictEvidence): string {
  const relays = e.relays.length === 0 ? '' : `; relay${e.relays.length > 1 ? 's' : ''} ${e.relays.slice(0, 5).join(', ')}${e.relays.length > 5 ? ` and ${e.relays.length - 5} more` : ''}`;
  return `${e.kinds.join(', ')}${relays}`;
}

export function verdictSummary(ip: string, at: string, v: Verdict, e: VerdictEvidence): string {
  switch (v) {
    case 'exit': {
      const iv = e.intervals[0]!;
      const strength = e.strength ? STRENGTH_TEXT[e.strength] : '';
      return `${ip} was a Tor exit at ${at}: inside the observed interval ${iv.from} – ${iv.to} (${iv.observations} observation${iv.observations === 1 ? "" : "s"}: ${kindsText(e)}). Evidence: ${strength}. Traffic from this address at that time may have come through the Tor network; then the address's operator relayed it and is not its origin.`;
    }
    case 'near': {
      const before = e.intervals.find((iv) => iv.relation === 'before');
      const after = e.intervals.find((iv) => iv.relation === 'after');
      const sides = [
        before && `${before.distanceMinutes} minutes earlier (interval ${before.from} – ${before.to})`,
        after && `${after.distanceMinutes} minutes later (interval ${after.from} – ${after.to})`,
      ].filter((x) => x !== undefined);
      const noData = e.coverage.atT ? '' : ' No exit-list data covers that instant itself.';
      return `${ip} was not observed as a Tor exit at ${at}, but it was ${sides.join(' and ')}; ${kindsText(e)}.${noData} Exit lists lag new relays and see them only at their snapshot or scan times, so Tor traffic from this address at ${at} is possible: treat it as possibly Tor, not as proof either way.`;
    }
    case 'not_exit':
      return `${ip} was not a Tor exit at ${at} according to the exit lists: they cover ${e.coverage.required[0]} – ${e.coverage.required[1]} for IPv${e.coverage.family} without a gap, and none lists this address within ${e.policy.marginMinutes as number} minutes of ${at}. Exit lists can miss a relay that exits from an address it never advertised or was never scanned at.`;
    case 'unknown': {
      const c = e.coverage;
      let why: string;
      if (c.history === null) why = `there is no exit-list data for IPv${c.family} addresses at all${c.family === 6 ? ' (measured exit lists are IPv4-only; only bulk lists that contain IPv6 cover IPv6)' : ''}`;
      else {
        const parts = c.missing.slice(0, 5).map(([f, t]) => `${f} – ${t}`);
        why = `exit-list data for IPv${c.family} is missing for ${parts.join(', ')}${c.missing.length > 5 ? ` and ${c.missing.length - 5} more stretches` : ''} (history covers ${c.history[0]} – ${c.history[1]}; a verdict needs ${c.required[0]} – ${c.required[1]})`;
      }
      return `Unknown: no Tor data covers ${at} well enough (${why}), so it cannot be said whether ${ip} was a Tor exit then. This is not a "no".`;
    }
  }
}
