/** `YYYY-MM-DD HH:MM:SS` (UTC, as Tor documents write it) → epoch ms, or NaN. */
const RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

export function parseTorTime(s: string): number {
  const m = RE.exec(s.trim());
  if (!m) return NaN;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const d = new Date(ms);
  return d.getUTCDate() === +m[3]! && +m[4]! < 24 && +m[5]! < 60 && +m[6]! < 61 ? ms : NaN;
}

/** time from a file name: `2018-11-01-00-02-01`, `2023-06-01T07-30-07Z.lst`, `2018-06-01-00-00-00-consensus` */
export function timeFromFileName(name: string): number {
  const m = /(\d{4})-(\d{2})-(\d{2})[T-](\d{2})-(\d{2})-(\d{2})/.exec(name);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}
