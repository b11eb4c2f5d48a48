/**
 * The encoded `requests` rows of one batch, as UTF-8 TabSeparated bytes in one growing Buffer (off the JS heap),
 * with the end offset of every row. The insert takes the bytes as they are (chDB wants large payloads as
 * Buffers), and a refused batch is bisected by row ranges of the same bytes.
 *
 * Rows are written field by field (`text`, `uint`, `byte`, `endRow`, each with the separator that follows it) straight into the bytes: ASCII text is copied
 * by a loop, anything else goes through Buffer's UTF-8 writer. Measured on parse + enrich: building a row as one
 * JS string and writing it cost ~40 % of the time (the string of ~25 pieces is flattened into a fresh heap copy,
 * then encoded again); and rows kept as strings until their batch was written survived young collections.
 */
export class RowBuffer {
  private buf: Buffer;
  private len = 0;
  private ends: number[] = [];

  constructor(initialBytes = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** number of rows */
  get count(): number {
    return this.ends.length;
  }

  /** bytes reserved (held and free) */
  get capacity(): number {
    return this.buf.length;
  }

  /** bytes held */
  get byteLength(): number {
    return this.len;
  }

  /** room for `bytes` more bytes */
  private reserve(bytes: number): void {
    if (this.len + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + bytes));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** appends text as UTF-8 (the caller escapes it), then the byte `sep` unless it is -1 */
  text(s: string, sep = -1): void {
    const n = s.length;
    this.reserve(n * 3 + 1); // a UTF-16 unit is at most 3 UTF-8 bytes
    const buf = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // from the first non-ASCII unit on (a high surrogate starts its pair, so pairs stay whole)
        p += buf.write(i === 0 ? s : s.slice(i), p);
        break;
      }
      buf[p++] = c;
    }
    if (sep >= 0) buf[p++] = sep;
    this.len = p;
  }

  /** appends a non-negative integer below 2^53 in decimal, at least `width` digits (zero-padded), then `sep` unless -1 */
  uint(v: number, sep = -1, width = 1): void {
    this.reserve(18);
    const buf = this.buf;
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    if (digits < width) digits = width;
    let p = this.len + digits;
    const end = p;
    for (let x = v; p > this.len; x = Math.floor(x / 10)) buf[--p] = 48 + (x % 10);
    this.len = end;
    if (sep >= 0) buf[this.len++] = sep;
  }

  /** appends one ASCII byte (a tab between fields, a dot, …) */
  byte(c: number): void {
    this.reserve(1);
    this.buf[this.len++] = c;
  }

  /** ends the row written since the last endRow (or push) with its newline */
  endRow(): void {
    this.byte(10);
    this.ends.push(this.len);
  }

  /** appends one encoded row (ending with its newline) as a whole */
  push(row: string): void {
    this.reserve(row.length * 3);
    this.len += this.buf.write(row, this.len);
    this.ends.push(this.len);
  }

  /**
   * Gives back the room grown for rows that never came (up to half of the buffer, as it doubles): for a batch
   * that is complete and waits for its insert. Rows can still be appended afterwards. A buffer sized ahead for its
   * rows (newBatch's `rowBytes`) is left as it is when less than an eighth of it is unused: copying it would cost more.
   */
  compact(): void {
    if (this.buf.length - this.len < Math.max(64 * 1024, this.buf.length >> 3)) return;
    const exact = Buffer.allocUnsafe(Math.max(this.len, 1));
    this.buf.copy(exact, 0, 0, this.len);
    this.buf = exact;
  }

  /** the bytes of rows [lo, hi) (a view, not a copy) */
  bytes(lo = 0, hi = this.ends.length): Buffer {
    if (hi <= lo) return this.buf.subarray(0, 0);
    return this.buf.subarray(lo === 0 ? 0 : this.ends[lo - 1]!, this.ends[hi - 1]!);
  }

  /** row i as text (tests, diagnostics) */
  row(i: number): string {
    return this.bytes(i, i + 1).toString('utf8');
  }
}
