/**
 * Timestamps as web servers write them, to UTC epoch ms:
 *  - CLF `10/Oct/2000:13:55:36 -0700` (Apache %t, nginx $time_local): day epochs and zone offsets are cached,
 *    since consecutive lines share both; validated field by field with a precise error.
 *  - ISO 8601 with offset (`$time_iso8601`, JSON logs), and epoch seconds or milliseconds.
 */
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export type TimeResult = { ok: true; ms: number } | { ok: false; error: string };

let cachedDayKey = '';
let cachedDayMs = 0;
let cachedZoneKey = '';
let cachedZoneMs = 0;

const d2 = (s: string, i: number): number => {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/** `10/Oct/2000:13:55:36 -0700` (exactly 26 chars); the zone may be missing (then UTC). */
export function parseClfTime(s: string): TimeResult {
  if (s.length !== 26 && s.length !== 20) return { ok: false, error: `"${s}": expected dd/Mon/yyyy:HH:MM:SS +zzzz` };
  const dayKey = s.slice(0, 11);
  let dayMs: number;
  if (dayKey === cachedDayKey) dayMs = cachedDayMs;
  else {
    const day = d2(s, 0);
    const mon = MONTHS[s.slice(3, 6)];
    const year = d2(s, 7) * 100 + d2(s, 9);
    if (s[2] !== '/' || s[6] !== '/' || s[11] !== ':') return { ok: false, error: `"${s}": expected dd/Mon/yyyy:HH:MM:SS` };
    if (mon === undefined) return { ok: false, error: `"${s}": unknown month "${s.slice(3, 6)}"` };
    if (year < 1970 || year > 2200 || d2(s, 7) < 0) return { ok: false, error: `"${s}": year out of range` };
    if (day < 1 || day > DAYS_IN_MONTH[mon]! || (mon === 1 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))) {
      return { ok: false, error: `"${s}": day ${s.slice(0, 2)} does not exist in ${s.slice(3, 6)} ${year}` };
    }
    dayMs = Date.UTC(year, mon, day);
    cachedDayKey = dayKey;
    cachedDayMs = dayMs;
  }
  const hh = d2(s, 12), mm = d2(s, 15), ss = d2(s, 18);
  if (s[14] !== ':' || s[17] !== ':' || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return { ok: false, error: `"${s}": bad time of day` };
  let zoneMs = 0;
  if (s.length === 26) {
    const zoneKey = s.slice(20);
    if (zoneKey === cachedZoneKey) zoneMs = cachedZoneMs;
    else {
      const sign = s[21] === '+' ? 1 : s[21] === '-' ? -1 : 0;
      const zh = d2(s, 22), zm = d2(s, 24);
      if (s[20] !== ' ' || sign === 0 || zh < 0 || zh > 18 || zm < 0 || zm > 59) return { ok: false, error: `"${s}": bad zone offset "${zoneKey.trim()}"` };
      zoneMs = sign * (zh * 60 + zm) * 60_000;
      cachedZoneKey = zoneKey;
      cachedZoneMs = zoneMs;
    }
  }
  return { ok: true, ms: dayMs + ((hh * 60 + mm) * 60 + ss) * 1000 - zoneMs };
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;

/** ISO 8601 (`2019-03-12T14:05:00+01:00`, `...Z`, fractional seconds); no offset means UTC. */
export function parseIsoTime(s: string): TimeResult {
  const m = ISO.exec(s.trim());
  if (!m) return { ok: false, error: `"${s}": not an ISO 8601 time` };
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +se!, frac ? Math.floor(Number(`0${frac}`) * 1000) : 0);
  const check = new Date(ms);
  if (check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h! > 23 || +mi! > 59 || +se! > 60) return { ok: false, error: `"${s}": date or time out of range` };
  let off = 0;
  if (zone && zone !== 'Z') {
    const z = zone.replace(':', '');
    off = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
  }
  return { ok: true, ms: ms - off };
}

/** Epoch seconds (`1700000000.123`, nginx $msec) or milliseconds (13+ digits). */
export function parseEpochTime(s: string | number): TimeResult {
  const n = typeof s === 'number' ? s : Number(s);
  if (!Number.isFinite(n) || n <= 0) return { ok: false, error: `"${s}": not an epoch time` };
  const ms = n >= 1e12 ? n : n * 1000;
  if (ms > Date.UTC(2200, 0, 1)) return { ok: false, error: `"${s}": epoch time out of range` };
  return { ok: true, ms: Math.round(ms) };
}

/** Any of the above, chosen by shape. */
export function parseAnyTime(s: string | number): TimeResult {
  if (typeof s === 'number') return parseEpochTime(s);
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return parseEpochTime(t);
  if (/^\d{2}\/[A-Za-z]{3}\//.test(t)) return parseClfTime(t.startsWith('[') ? t.slice(1, -1) : t);
  return parseIsoTime(t);
}
