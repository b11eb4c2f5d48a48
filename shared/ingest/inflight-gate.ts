/** Bounds the batches buffered or in flight across all partitions; producers wait (the consumer pauses) when full. */
export class InflightGate {
  private count = 0;
  private waiters: Array<() => void> = [];
  constructor(readonly max: number, private readonly onChange?: (count: number) => void) {}

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.max;
  }

  acquire(): void {
    this.count++;
    this.onChange?.(this.count);
  }

  release(): void {
    this.count--;
    this.onChange?.(this.count);
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** resolves when below the limit (or after `tickMs`, so the caller can heartbeat and re-check) */
  waitBelowMax(tickMs: number): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, tickMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** resolves when nothing is in flight */
  async drained(tickMs = 50): Promise<void> {
    while (this.count > 0) await new Promise((r) => setTimeout(r, tickMs));
  }
}
