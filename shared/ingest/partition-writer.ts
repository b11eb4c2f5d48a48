/**
 * Per source partition: builds batches, closes them by size / age / recorded plan, and writes them strictly in
 * offset order: record plan → insert rows and dead letters (sink) → publish dead letters (DLQ) → commit.
 * A commit for offset N is issued only after everything before N is durably stored.
 *
 * Revocation (rebalance, consumer crash): the open batch is dropped, and so is every closed batch whose plan was not
 * recorded before the revocation. kafkajs announces a rebalance just before this worker rejoins the group, and the
 * new owner loads the plan log only after the group has synced, so a plan recorded before the revocation is one the
 * new owner replays (same range, same token: the two inserts are one). A plan recorded later may be missed by the new
 * owner, which would cut the same lines into a batch of another range and token: writing it would store them twice.
 * Such batches are closed by age between two fetches, or in a handler kafkajs did not wait for; dropping them loses
 * nothing, since nothing after them was committed and the new owner re-reads from the committed offset.
 */
import type { Logger } from '../observability/logger.js';
import { newBatch, type Batch, type DeadLetterRecord } from './batch.js';
import type { BatchPlan, BatchPlanLog } from './batch-plan-log.js';
import type { InflightGate } from './inflight-gate.js';
import type { Sink } from './clickhouse-sink.js';
import { withRetry } from './retry.js';

export interface WrittenBatch {
  batch: Batch;
  stored: number;
  rejected: DeadLetterRecord[];
}

export interface PartitionWriterDeps {
  source: string;
  partition: number;
  sink: Sink;
  planLog: BatchPlanLog | null;
  publishDeadLetters: ((d: DeadLetterRecord[]) => Promise<void>) | null;
  /** commit "everything below nextOffset is done" */
  commit: (nextOffset: bigint) => Promise<void>;
  gate: InflightGate;
  maxRows: number;
  logger: Logger;
  onWritten: (w: WrittenBatch) => void;
  /** a closed batch dropped because its plan was recorded only after the partition was revoked (see above) */
  onAbandoned?: (b: Batch) => void;
  /** heartbeat while waiting on a slow store */
  onWait?: () => Promise<void>;
  /** recorded plans to replay (from the committed offset on) */
  plans: BatchPlan[];
  /** backoff and abort of retried plan records (a store outage must not stop the partition) */
  recordRetry?: { initialMs?: number; maxMs?: number; signal?: AbortSignal; onRetry?: () => void };
}

export class PartitionWriter {
  private current: Batch | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closing: Promise<void> = Promise.resolve();
  private failed: unknown = null;
  /** row bytes of the last batch closed full (by size), to size the next one */
  private fullBatchBytes = 0;
  revoked = false;

  constructor(private readonly d: PartitionWriterDeps) {}

  /** the batch to append the line at `offset` to; closes the current one first when the offset passes its plan */
  batchFor(offset: bigint, nowMs: number): Batch {
    if (this.failed) throw this.failed;
    const plan = this.d.plans[0];
    if (this.current && plan && this.current.firstOffset === plan.first && offset > plan.last) void this.close().catch(() => undefined);
    if (!this.current) {
      const next = this.d.plans[0];
      this.current = newBatch(this.d.source, this.d.partition, next && next.first <= offset ? next.first : offset, nowMs, this.rowBytesHint());
    }
    return this.current;
  }

  /** after all lines of the message at `offset` were appended */
  messageDone(offset: bigint): void {
    const b = this.current;
    if (!b) return;
    b.lastOffset = offset;
    const plan = this.d.plans[0];
    if (plan && b.firstOffset === plan.first) {
      if (offset >= plan.last) void this.close().catch(() => undefined);
    } else if (b.lines >= this.d.maxRows) {
      this.fullBatchBytes = b.rows.byteLength;
      void this.close().catch(() => undefined); // a failure is kept in `failed`
    }
  }

  /** room for the next batch's rows: the last full batch's bytes and 1/16 more (a busy partition fills batches of
   * similar sizes), or the buffer's default while none was full (a quiet partition's batches close small, by age) */
  private rowBytesHint(): number | undefined {
    return this.fullBatchBytes > 0 ? this.fullBatchBytes + (this.fullBatchBytes >> 4) + 16 * 1024 : undefined;
  }

  /** close on age (partial batch); never for a replayed plan, whose exact range must be reproduced */
  closeIfOlderThan(ms: number, nowMs: number): void {
    const b = this.current;
    if (!b || this.revoked || b.lines === 0) return;
    const plan = this.d.plans[0];
    if (plan && b.firstOffset === plan.first) return;
    if (nowMs - b.openedAtMs >= ms) void this.close().catch(() => undefined);
  }

  /** detaches the current batch and schedules its write; resolves when its plan is recorded */
  close(): Promise<void> {
    const b = this.current;
    if (!b) return this.closing;
    this.current = null;
    const plan = this.d.plans[0];
    if (plan && b.firstOffset === plan.first) {
      this.d.plans.shift();
      b.lastOffset = plan.last;
    }
    b.rows.compact(); // it waits for its insert with the bytes it holds, not the room it grew
    this.d.gate.acquire();
    const planLog = this.d.planLog;
    const recorded = this.closing.then(() =>
      planLog
        ? withRetry(() => planLog.record(b.source, b.partition, { first: b.firstOffset, last: b.lastOffset }), {
            ...this.d.recordRetry,
            onWait: this.d.onWait,
            onRetry: (err, attempt, delay) => {
              this.d.recordRetry?.onRetry?.();
              this.d.logger.warn({ err: (err as Error).message, source: b.source, partition: b.partition, attempt, delayMs: Math.round(delay) }, 'recording the batch plan failed, retrying');
            },
          })
        : undefined,
    ).then(() => !this.revoked); // true: the plan was recorded while this worker still owned the partition
    this.closing = recorded.then(() => undefined, () => undefined);
    this.chain = this.chain
      .then(() => recorded)
      .then((recordedBeforeRevoke) => {
        if (recordedBeforeRevoke) return this.write(b);
        this.d.onAbandoned?.(b);
        this.d.logger.info({ source: b.source, partition: b.partition, first: b.firstOffset.toString(), last: b.lastOffset.toString() }, 'batch planned after the partition was revoked: not written, the new owner re-reads it');
      })
      .catch((err: unknown) => {
        this.failed ??= err;
        this.d.logger.error({ err: (err as Error).message, source: b.source, partition: b.partition }, 'batch write failed; partition stops until restart');
      })
      .finally(() => this.d.gate.release());
    return recorded.then(() => undefined);
  }

  private async write(b: Batch): Promise<void> {
    if (this.failed) throw this.failed;
    const res = await this.d.sink.write(b, this.d.onWait);
    if (this.d.publishDeadLetters && res.rejected.length > 0) await this.d.publishDeadLetters(res.rejected);
    await this.d.commit(b.lastOffset + 1n);
    this.d.onWritten({ batch: b, stored: res.stored, rejected: res.rejected });
  }

  /** closes the open batch and waits until everything is written and committed */
  async flush(): Promise<void> {
    if (this.current && this.current.lines > 0) await this.close();
    else this.current = null;
    await this.chain;
    if (this.failed) throw this.failed;
  }

  /** drops the unwritten open batch (rebalance: it will be re-consumed by the new owner) and waits for queued writes */
  async revoke(): Promise<void> {
    this.revoked = true;
    this.current = null;
    await this.chain;
  }

  /** resolves when the plans of all closed batches are recorded */
  plansRecorded(): Promise<void> {
    return this.closing;
  }

  get error(): unknown {
    return this.failed;
  }
}
