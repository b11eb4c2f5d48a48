/** TabSeparated encoding for ClickHouse inserts: the cheapest text format to build in JS and to parse server-side. */

const NEEDS_ESCAPE = /[\t\n\r\\\0]/;

/** Escapes a string value for TabSeparated (backslash, tab, newline, carriage return, NUL). */
export function tsvEscape(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
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

/** DateTime64(3) text in UTC from epoch ms: `YYYY-MM-DD hh:mm:ss.mmm`. */
export function tsvDateTime64(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-03-02T14:05:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** DateTime text in UTC from epoch seconds (0 → 1970-01-01 00:00:00). */
export function tsvDateTime(sec: number): string {
  const iso = new Date(sec * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
