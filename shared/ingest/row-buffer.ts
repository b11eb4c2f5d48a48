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
  /** rows not yet encoded: written together (one native call per ~64 KB instead of one per row) */
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(initialBytes = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** number of rows */
  get count(): number {
    return this.ends.length + this.pending.length;
  }

  /** bytes held */
  get byteLength(): number {
    this.flush();
    return this.len;
  }

  /** appends one encoded row (ending with its newline) */
  push(row: string): void {
    this.pending.push(row);
    this.pendingChars += row.length;
    if (this.pendingChars >= 64 * 1024) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    const max = text.length * 3; // a UTF-16 unit is at most 3 UTF-8 bytes
    if (this.len + max > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + max));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    const written = this.buf.write(text, this.len);
    // as many bytes as UTF-16 units ⇔ all ASCII: each row's bytes are its length; otherwise measure each row
    const size = written === text.length ? (r: string) => r.length : (r: string) => Buffer.byteLength(r);
    let end = this.len;
    for (const r of this.pending) this.ends.push((end += size(r)));
    this.len += written;
    this.pending = [];
    this.pendingChars = 0;
  }

  /** the bytes of rows [lo, hi) (a view, not a copy) */
  bytes(lo = 0, hi = this.count): Buffer {
    this.flush();
    if (hi <= lo) return this.buf.subarray(0, 0);
    return this.buf.subarray(lo === 0 ? 0 : this.ends[lo - 1]!, this.ends[hi - 1]!);
  }

  /** row i as text (tests, diagnostics) */
  row(i: number): string {
    return this.bytes(i, i + 1).toString('utf8');
  }
}
