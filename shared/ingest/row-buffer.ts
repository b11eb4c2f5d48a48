/**
 * The encoded `requests` rows of one batch, as UTF-8 TabSeparated bytes in one growing Buffer (off the JS heap),
 * with the end offset of every row. Rows held as JS strings until their batch is written survived several young
 * collections and were copied into the old generation, which made garbage collection the largest cost of
 * parse + enrich; a row written here leaves its string garbage at once. The insert takes the bytes as they are
 * (chDB wants large payloads as Buffers), and a refused batch is bisected by row ranges of the same bytes.
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

  /** bytes held */
  get byteLength(): number {
    return this.len;
  }

  /** appends one encoded row (ending with its newline) */
  push(row: string): void {
    const max = row.length * 3; // a UTF-16 unit is at most 3 UTF-8 bytes
    if (this.len + max > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + max));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    this.len += this.buf.write(row, this.len);
    this.ends.push(this.len);
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
