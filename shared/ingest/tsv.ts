/** TabSeparated encoding for ClickHouse inserts: the cheapest text format to build in JS and to parse server-side. */

export const TSV_NEEDS_ESCAPE = /[\t\n\r\\\0]/;

/** Escapes a string value for TabSeparated (backslash, tab, newline, carriage return, NUL). */
export function tsvEscape(s: string): string {
  if (!TSV_NEEDS_ESCAPE.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) out += '\\\\';
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 0) out += '\\0';
    else out += s[i];
  }
  return out;
}

// Rows of a batch mostly share their second (and every row its geo database build): the text of the last second
// is kept, so most rows cost a string concatenation instead of a Date and toISOString.
let lastSec = NaN;
let lastSecText = '';
let lastBuild = NaN;
let lastBuildText = '';
const TWO = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));
// the text of recent days (direct-mapped by day number): rows mostly share their day, logs merged from several
// zones alternate between two
const dayTexts: string[] = Array.from({ length: 8 }, () => '');
const dayKeys: number[] = Array.from({ length: 8 }, () => NaN);

/** `YYYY-MM-DD ` (with the space) of a day number since the epoch, UTC */
export function tsvDay(day: number): string {
  const slot = day & 7;
  if (dayKeys[slot] !== day) {
    dayTexts[slot] = `${new Date(day * 86_400_000).toISOString().slice(0, 10)} `;
    dayKeys[slot] = day;
  }
  return dayTexts[slot]!;
}

/** `YYYY-MM-DD hh:mm:ss` in UTC of epoch seconds: the date part from tsvDay, the time from a table */
function secondText(sec: number): string {
  const day = Math.floor(sec / 86_400);
  const s = sec - day * 86_400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s - h * 3600) / 60);
  return `${tsvDay(day)}${TWO[h]}:${TWO[m]}:${TWO[s - h * 3600 - m * 60]}`;
}

/** `YYYY-MM-DD hh:mm:ss` in UTC of epoch seconds, kept for the next call (rows of a batch mostly share it) */
function tsvSecond(sec: number): string {
  if (sec !== lastSec) {
    lastSecText = secondText(sec);
    lastSec = sec;
  }
  return lastSecText;
}

/** DateTime64(3) text in UTC from epoch ms: `YYYY-MM-DD hh:mm:ss.mmm`. */
export function tsvDateTime64(ms: number): string {
  const whole = Math.trunc(ms); // as new Date(ms) does
  const sec = Math.floor(whole / 1000);
  const f = whole - sec * 1000;
  return `${tsvSecond(sec)}.${f < 10 ? '00' : f < 100 ? '0' : ''}${f}`;
}

/** DateTime text in UTC from epoch seconds (0 → 1970-01-01 00:00:00). */
export function tsvDateTime(sec: number): string {
  if (sec !== lastBuild) {
    lastBuildText = secondText(sec);
    lastBuild = sec;
  }
  return lastBuildText;
}
