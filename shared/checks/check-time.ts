/**
 * Times in abuse reports: ISO 8601 with an offset or Z, RFC 2822 (`Wed, 31 Oct 2018 11:11:00 +0000`), CLF with
 * its zone (`31/Oct/2018:11:11:00 +0000`), epoch seconds or ms. A time without an offset is refused: a report
 * written in local time read as UTC points at the wrong hour, and a verdict about the wrong hour is worse than none.
 * Also durations for the activity window (`90s`, `30m`, `1h`, `2d`, or plain seconds).
 */
import { parseAnyTime, parseEpochTime, utcDay, type TimeResult } from '../parse/clf-time.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const RFC2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|GMT|UTC|UT|Z)$/;
const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?$/;
const CLF_NO_ZONE = /^\[?\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2}\]?$/;

const fail = (error: string): TimeResult => ({ ok: false, error });

function parseRfc2822(m: RegExpExecArray, s: string): TimeResult {
  const [, d, mon, y, hh, mm, ss = '0', zone] = m;
  const month0 = MONTHS.indexOf(mon!.toLowerCase());
  if (month0 < 0) return fail(`"${s}": unknown month "${mon}"`);
  const day = utcDay(+y!, month0, +d!);
  if (typeof day === 'string') return fail(`"${s}": ${day}`);
  if (+hh! > 23 || +mm! > 59 || +ss > 60) return fail(`"${s}": time of day out of range`);
  let off = 0;
  if (zone!.startsWith('+') || zone!.startsWith('-')) {
    const zh = +zone!.slice(1, 3), zm = +zone!.slice(3, 5);
    if (zh > 15 || zm > 59) return fail(`"${s}": bad zone offset "${zone}"`);
    off = (zone![0] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
  }
  return { ok: true, ms: day + ((+hh! * 60 + +mm!) * 60 + +ss) * 1000 - off };
}

/** A report time as epoch ms, or a precise reason it is refused (also when it has no offset: ambiguous). */
export function parseCheckTime(v: string | number): TimeResult {
  if (typeof v === 'number') return parseEpochTime(v);
  const s = v.trim();
  if (s === '') return fail('empty time');
  if (s.length > 64) return fail(`time too long (${s.length} characters)`);
  const rfc = RFC2822.exec(s);
  if (rfc) return parseRfc2822(rfc, s);
  if (ISO_NO_ZONE.test(s)) {
    return fail(`"${s}": no UTC offset, so the time is ambiguous (local time where?); add Z or ±hh:mm, e.g. ${s.replace(' ', 'T')}Z`);
  }
  if (CLF_NO_ZONE.test(s)) return fail(`"${s}": no UTC offset, so the time is ambiguous; add the zone, e.g. ${s.replace(/[[\]]/g, '')} +0000`);
  if (/^\d+(\.\d+)?$/.test(s)) return parseEpochTime(s);
  const r = parseAnyTime(s);
  if (!r.ok && !/: (not an? |expected dd)/.test(r.error)) return r; // a recognised shape with a precise fault (Feb 30, hour 25)
  if (!r.ok) return fail(`"${s}": not a time with an offset (ISO 8601 like 2018-10-31T11:11:00Z or +01:00, RFC 2822 like "Wed, 31 Oct 2018 11:11:00 +0000", CLF like 31/Oct/2018:11:11:00 +0000, or epoch seconds/ms)`);
  return r;
}

const DURATION = /^(\d{1,7})\s*(ms|s|m|min|h|d)?$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `1h`, `2d`, `90s`, `500ms` or plain seconds → ms; null when not a duration. */
export function parseDuration(v: string): number | null {
  const m = DURATION.exec(v.trim());
  if (!m) return null;
  return +m[1]! * UNIT_MS[(m[2] ?? 's').toLowerCase()]!;
}
