/**
 * What every parser does before and around its format: strip one trailing `\r` (CRLF files), reject blank lines
 * (`empty_line`) and lines over the byte limit (`line_too_long`), and — only when the line does not parse as it
 * is — retry a line that a shipper wrapped whole in double quotes: as a JSON string (`"1.2.3.4 - - [..] \"GET /
 * HTTP/1.1\" .."`) or, failing that, without the outer quotes. The unwrapped text must then parse on its own; a
 * line that legitimately starts and ends with a quote (a quoted X-Forwarded-For list first, a user agent last) is
 * tried as it is first, so it never changes meaning.
 */
import { deadLetter, type ParsedLine, type StageResult } from '../model/parsed-line.js';

export const DEFAULT_MAX_LINE_BYTES = 65_536;

export type CoreParser = (line: string) => StageResult<ParsedLine>;

/** `line_too_long` when the UTF-8 length of `line` exceeds `max` (exact count only when it could). */
export function tooLong(line: string, max: number): StageResult<ParsedLine> | null {
  if (line.length * 3 <= max) return null; // a UTF-16 unit is at most 3 UTF-8 bytes
  const bytes = Buffer.byteLength(line);
  if (bytes <= max) return null;
  return deadLetter('line_too_long', 'parse', 'line', `line is ${bytes} bytes, the limit is ${max} (maxLineBytes / TORLOGS_MAX_LINE_BYTES)`);
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 11 && c !== 12) return false;
  }
  return true;
}

function unwrapCandidates(line: string): string[] {
  const out: string[] = [];
  if (line.includes('\\')) {
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v === 'string') out.push(v);
    } catch {
      // not a JSON string: fall through to the plain strip
    }
  }
  out.push(line.slice(1, -1));
  return out;
}

/** Wraps a format's core parser with the common line handling above. */
export function guardParser(core: CoreParser, maxLineBytes: number): CoreParser {
  return (input) => {
    let line = input;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    const c0 = line.charCodeAt(0);
    if (line.length === 0 || (c0 <= 32 && isBlank(line))) return deadLetter('empty_line', 'parse', 'line', 'line is empty or only whitespace');
    const long = tooLong(line, maxLineBytes);
    if (long) return long;
    const r = core(line);
    if (r.ok || c0 !== 34 || line.length < 3 || line.charCodeAt(line.length - 1) !== 34) return r;
    for (const inner of unwrapCandidates(line)) {
      const again = core(inner);
      if (again.ok) return again;
    }
    return r;
  };
}
