/**
 * A Kafka message value → its lines: split on \n, one trailing \r stripped per line (CRLF), a final newline does
 * not make an extra empty line. Bytes that are not valid UTF-8 are never silently replaced by U+FFFD:
 *  - `escape` (default): each invalid byte becomes the text `\xHH`, exactly as Apache and nginx escape
 *    non-printable bytes in their own logs, so the line parses and the bytes stay recoverable;
 *  - `reject`: the line is reported as invalid (the decoder dead-letters it as `bad_encoding`).
 */
import { isUtf8 } from 'node:buffer';

export type InvalidUtf8Policy = 'escape' | 'reject';

export interface SplitLine {
  text: string;
  /** number of bytes that were not valid UTF-8 (escaped as \xHH in `text`) */
  invalidBytes: number;
  /** byte offset of the first invalid byte inside the line, -1 when none */
  firstInvalid: number;
}

/** Length of the valid UTF-8 sequence at i (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF), 0 if invalid. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const n = b.length;
  const cont = (k: number) => i + k < n && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const c1 = i + 1 < n ? b[i + 1]! : 0;
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const c1 = i + 1 < n ? b[i + 1]! : 0;
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Decodes UTF-8, writing each invalid byte as `\xHH`. */
export function decodeUtf8Escaped(b: Uint8Array): SplitLine {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  let out = '';
  let run = 0;
  let invalid = 0;
  let first = -1;
  for (let i = 0; i < buf.length; ) {
    const len = sequenceLength(buf, i);
    if (len > 0) {
      i += len;
      continue;
    }
    out += buf.toString('utf8', run, i) + `\\x${buf[i]!.toString(16).padStart(2, '0')}`;
    if (first < 0) first = i;
    invalid++;
    i++;
    run = i;
  }
  out += buf.toString('utf8', run, buf.length);
  return { text: out, invalidBytes: invalid, firstInvalid: first };
}

function pushText(out: SplitLine[], text: string): void {
  let start = 0;
  const n = text.length;
  for (;;) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = n;
    const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    out.push({ text: text.slice(start, end), invalidBytes: 0, firstInvalid: -1 });
    if (nl >= n - 1) break; // last line, or only the final newline is left
    start = nl + 1;
  }
}

/** The lines of a message value. An empty value is one empty line. */
export function splitMessageLines(value: Buffer | string): SplitLine[] {
  const out: SplitLine[] = [];
  if (typeof value === 'string') {
    pushText(out, value);
    return out;
  }
  if (isUtf8(value)) {
    pushText(out, value.toString('utf8'));
    return out;
  }
  // slow path: some bytes are not UTF-8; split on 0x0A first (never part of a multi-byte sequence)
  let start = 0;
  const n = value.length;
  for (;;) {
    let nl = value.indexOf(10, start);
    if (nl < 0) nl = n;
    const end = nl > start && value[nl - 1] === 13 ? nl - 1 : nl;
    const seg = value.subarray(start, end);
    out.push(isUtf8(seg) ? { text: seg.toString('utf8'), invalidBytes: 0, firstInvalid: -1 } : decodeUtf8Escaped(seg));
    if (nl >= n - 1) break;
    start = nl + 1;
  }
  return out;
}
