/** Times in Tor documents: `YYYY-MM-DD HH:MM:SS` (UTC), file names carrying the time, ISO text for evidence. */
const RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})Z?$/;

/** `YYYY-MM-DD HH:MM:SS` (UTC) → epoch ms, or NaN (also for impossible dates such as 2023-02-30). */
export function parseTorTime(s: string): number {
  const m = RE.exec(s.trim());
  if (!m) return NaN;
  return utc(m);
}

/**
 * Time from a file name, or NaN: `2018-11-01-00-02-01` (CollecTor exit list), `2018-06-01-00-00-00-consensus`,
 * `2023-06-01T07-30-07Z.lst` (bulk snapshot). Only the last path component counts.
 */
export function timeFromFileName(path: string): number {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('!')) + 1);
  const m = /(\d{4})-(\d{2})-(\d{2})[T-](\d{2})[-:](\d{2})[-:](\d{2})/.exec(name);
  return m ? utc(m) : NaN;
}

function utc(m: RegExpExecArray): number {
  const [y, mo, d, h, mi, s] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 60) return NaN;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(ms).getUTCDate() === d ? ms : NaN;
}

/** epoch ms → `2023-06-01T07:30:07Z` (milliseconds shown only when not zero) */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
