/**
 * Apache `%{format}t` times: the strftime format is compiled once into a reader of that exact shape.
 * Supported: %Y %y %m %d %e %H %M %S %z %Z(UTC/GMT/Z) %b %h %B %a %A %T %F %D %R %s %% and literal text.
 * A time without %z is taken as UTC (the server's local zone is not in the line: log with %z).
 */
import { TorlogsError } from '../core/errors.js';
import { utcDay, type TimeResult } from './clf-time.js';

const MON = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_LONG = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

type Tok = { lit: string } | { conv: string };

const EXPAND: Record<string, string> = { T: '%H:%M:%S', F: '%Y-%m-%d', D: '%m/%d/%y', R: '%H:%M' };

function tokenize(fmt: string): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') {
      const last = out[out.length - 1];
      if (last && 'lit' in last) last.lit += c;
      else out.push({ lit: c });
      continue;
    }
    const conv = fmt[++i];
    if (conv === undefined) throw new TorlogsError('usage_invalid', `strftime format ${JSON.stringify(fmt)} ends with "%"`);
    if (conv === '%') out.push({ lit: '%' });
    else if (EXPAND[conv]) out.push(...tokenize(EXPAND[conv]));
    else if ('YymdeHMSzZbhBaAs'.includes(conv)) out.push({ conv });
    else throw new TorlogsError('usage_invalid', `strftime format ${JSON.stringify(fmt)}: %${conv} is not supported (use %Y %m %d %H %M %S %z %b ...)`);
  }
  return out;
}

function digits(s: string, i: number, n: number, spaceOk: boolean): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (spaceOk && k === 0 && c === 32) continue;
    if (c < 48 || c > 57) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

function word(s: string, i: number): string {
  let j = i;
  while (j < s.length && ((s.charCodeAt(j) | 32) >= 97 && (s.charCodeAt(j) | 32) <= 122)) j++;
  return s.slice(i, j);
}

/** Compiles a strftime format into a function reading a whole value of that shape. Throws on an unsupported conversion. */
export function compileStrftime(fmt: string): (s: string) => TimeResult {
  const toks = tokenize(fmt);
  return (s) => {
    let y = -1, mo = -1, d = -1, h = 0, mi = 0, se = 0, off = 0, epoch = -1;
    let i = 0;
    const bad = (what: string): TimeResult => ({ ok: false, error: `"${s}": ${what} at column ${i + 1} (format "${fmt}")` });
    for (const t of toks) {
      if ('lit' in t) {
        if (!s.startsWith(t.lit, i)) return bad(`expected "${t.lit}"`);
        i += t.lit.length;
        continue;
      }
      const c = t.conv;
      let n = 2;
      let v: number;
      if (c === 'Y') { n = 4; v = digits(s, i, 4, false); y = v; }
      else if (c === 'y') { v = digits(s, i, 2, false); y = v < 0 ? -1 : v < 69 ? 2000 + v : 1900 + v; }
      else if (c === 'm') { v = digits(s, i, 2, false); mo = v - 1; }
      else if (c === 'd' || c === 'e') { v = digits(s, i, 2, c === 'e'); d = v; }
      else if (c === 'H') { v = h = digits(s, i, 2, false); if (h > 23) return bad('hour out of range'); }
      else if (c === 'M') { v = mi = digits(s, i, 2, false); if (mi > 59) return bad('minute out of range'); }
      else if (c === 'S') { v = se = digits(s, i, 2, false); if (se > 60) return bad('second out of range'); }
      else if (c === 'z') {
        const sign = s[i] === '+' ? 1 : s[i] === '-' ? -1 : 0;
        const colon = s[i + 3] === ':' ? 1 : 0;
        const zh = digits(s, i + 1, 2, false), zm = digits(s, i + 3 + colon, 2, false);
        if (sign === 0 || zh < 0 || zm < 0 || zh > 15 || zm > 59) return bad('bad zone offset');
        off = sign * (zh * 60 + zm) * 60_000;
        n = 5 + colon;
        v = 0;
      } else if (c === 's') {
        let j = i;
        while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
        if (j === i) return bad('expected epoch seconds');
        epoch = Number(s.slice(i, j));
        n = j - i;
        v = 0;
      } else {
        const w = word(s, i);
        n = w.length;
        const lw = w.toLowerCase();
        if (c === 'Z') { if (lw !== 'utc' && lw !== 'gmt' && lw !== 'z') return bad(`zone name "${w}" (only UTC/GMT; log %z)`); v = 0; }
        else if (c === 'b' || c === 'h') { v = mo = MON.indexOf(lw); if (v < 0) return bad(`unknown month "${w}"`); }
        else if (c === 'B') { v = mo = MONTH_LONG.indexOf(lw); if (v < 0) return bad(`unknown month "${w}"`); }
        else v = w.length > 0 ? 0 : -1; // %a %A: weekday name, not checked
      }
      if (v < 0) return bad(`expected %${c}`);
      i += n;
    }
    if (i !== s.length) return bad('unexpected text');
    if (epoch >= 0) return { ok: true, ms: epoch * 1000 };
    if (y < 0 || mo < 0 || d < 0) return { ok: false, error: `"${s}": format "${fmt}" lacks a year, month or day` };
    const day = utcDay(y, mo, d);
    if (typeof day === 'string') return { ok: false, error: `"${s}": ${day}` };
    return { ok: true, ms: day + ((h * 60 + mi) * 60 + se) * 1000 - off };
  };
}
