/**
 * PartitionWriter ordering and revocation, step by step: plan records and inserts are promises this test settles
 * itself (a Sink and a BatchPlanLog of our own interfaces; the real ones are covered by test/integration/ingest-*).
 *
 * The rule under test (a rebalance must not store lines twice): a closed batch whose plan is recorded before the
 * partition is revoked is written and committed as usual (its plan is what the new owner replays); one whose plan is
 * recorded after the revocation is dropped unwritten and uncommitted (the new owner may not have seen that plan).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Batch } from '../../../shared/ingest/batch.js';
import type { BatchPlan, BatchPlanLog } from '../../../shared/ingest/batch-plan-log.js';
import type { Sink } from '../../../shared/ingest/clickhouse-sink.js';
import { InflightGate } from '../../../shared/ingest/inflight-gate.js';
import { PartitionWriter } from '../../../shared/ingest/partition-writer.js';
import { silentLogger } from '../../../shared/observability/logger.js';

interface Deferred {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** a writer whose plan records and inserts wait until the test settles them, and which logs every step */
function harness(opts: { maxRows?: number; plans?: BatchPlan[] } = {}) {
  const events: string[] = [];
  const records: Deferred[] = [];
  const inserts: Deferred[] = [];
  const abandoned: string[] = [];
  const range = (b: Pick<Batch, 'firstOffset' | 'lastOffset'>) => `${b.firstOffset}-${b.lastOffset}`;
  const planLog: BatchPlanLog = {
    record: (_s, _p, plan) =>
      new Promise<void>((resolve, reject) => {
        events.push(`record ${plan.first}-${plan.last}`);
        records.push({ resolve, reject });
      }),
    load: () => Promise.resolve([]),
  };
  const sink: Sink = {
    write: (b) =>
      new Promise((resolve, reject) => {
        events.push(`insert ${range(b)}`);
        inserts.push({ resolve: () => resolve({ stored: b.lines, rejected: [] }), reject });
      }),
    healthcheck: () => Promise.resolve({ ok: true }),
    close: () => Promise.resolve(),
  };
  const gate = new InflightGate(8);
  const writer = new PartitionWriter({
    source: 'kafka:t', partition: 3, sink, planLog, publishDeadLetters: null, gate, maxRows: opts.maxRows ?? 1000, logger: silentLogger(), plans: opts.plans ?? [],
    commit: (next) => (events.push(`commit ${next}`), Promise.resolve()),
    onWritten: (w) => events.push(`written ${range(w.batch)}`),
    onAbandoned: (b) => abandoned.push(range(b)),
  });
  /** appends one line per offset, as the Kafka loop does */
  const feed = (from: number, to: number, nowMs = 0) => {
    for (let o = from; o <= to; o++) {
      const b = writer.batchFor(BigInt(o), nowMs);
      b.lines++;
      writer.messageDone(BigInt(o));
    }
  };
  const settle = () => new Promise((r) => setImmediate(r));
  return { writer, gate, events, records, inserts, abandoned, feed, settle };
}

test('batches are recorded, inserted and committed strictly in offset order', async () => {
  const h = harness({ maxRows: 10 });
  h.feed(0, 24); // closes 0-9 and 10-19 by size; 20-24 stays open
  await h.settle();
  assert.deepEqual(h.events, ['record 0-9']); // the next plan waits for this one
  h.records.shift()!.resolve();
  await h.settle();
  assert.deepEqual(h.events, ['record 0-9', 'record 10-19', 'insert 0-9']);
  h.records.shift()!.resolve();
  h.inserts.shift()!.resolve();
  await h.settle();
  assert.deepEqual(h.events.slice(3), ['commit 10', 'written 0-9', 'insert 10-19']);
  h.inserts.shift()!.resolve();
  await h.settle();
  const flushed = h.writer.flush(); // the open batch 20-24
  await h.settle();
  h.records.shift()!.resolve();
  await h.settle();
  h.inserts.shift()!.resolve();
  await flushed;
  assert.deepEqual(h.events.slice(6), ['commit 20', 'written 10-19', 'record 20-24', 'insert 20-24', 'commit 25', 'written 20-24']);
  assert.equal(h.gate.size, 0);
});

test('revoked: a batch recorded before the revocation is still written; later-recorded ones and the open one are dropped', async () => {
  const h = harness({ maxRows: 10 });
  h.feed(0, 29, 0); // 0-9 and 10-19 closed by size, 20-29 by size too
  h.feed(30, 34, 0); // open batch 30-34
  await h.settle();
  h.records.shift()!.resolve(); // 0-9 recorded before the rebalance
  await h.settle();
  assert.deepEqual(h.events, ['record 0-9', 'record 10-19', 'insert 0-9']);
  const revoked = h.writer.revoke(); // rebalance announced: plan 10-19 is still being recorded
  h.records.shift()!.resolve(); // ... and lands after the revocation: its batch must not be written
  await h.settle();
  h.records.shift()!.resolve(); // 20-29, recorded later still
  h.inserts.shift()!.resolve(); // the insert of 0-9 completes after the revocation: it is kept
  await revoked;
  assert.deepEqual(h.events, ['record 0-9', 'record 10-19', 'insert 0-9', 'record 20-29', 'commit 10', 'written 0-9']);
  assert.deepEqual(h.abandoned, ['10-19', '20-29']);
  assert.equal(h.inserts.length, 0, 'nothing else was inserted');
  assert.equal(h.gate.size, 0, 'dropped batches give their in-flight slots back');
  assert.equal(h.writer.error, null);
});

test('a batch closed by age between two fetches and recorded after the revocation is dropped', async () => {
  const h = harness({ maxRows: 1000 });
  h.feed(0, 49, 0);
  h.writer.closeIfOlderThan(300, 400); // the timer closes 0-49
  await h.settle();
  assert.deepEqual(h.events, ['record 0-49']);
  const revoked = h.writer.revoke();
  h.records.shift()!.resolve();
  await revoked;
  assert.deepEqual(h.events, ['record 0-49']);
  assert.deepEqual(h.abandoned, ['0-49']);
  h.writer.closeIfOlderThan(300, 10_000); // nothing closes after the revocation
  assert.equal(h.records.length, 0);
});

test('a replayed plan closes its batch exactly at the recorded range, whatever the size and age limits', async () => {
  const h = harness({ maxRows: 10, plans: [{ first: 100n, last: 124n }] });
  h.feed(100, 119, 0);
  h.writer.closeIfOlderThan(300, 10_000); // never for a replayed plan
  await h.settle();
  assert.deepEqual(h.events, []);
  h.feed(120, 130, 0); // 124 ends the plan; 125-130 form a new batch (size limit again)
  await h.settle();
  assert.deepEqual(h.events, ['record 100-124']);
  h.records.shift()!.resolve();
  await h.settle();
  h.inserts.shift()!.resolve();
  await h.settle();
  assert.deepEqual(h.events, ['record 100-124', 'insert 100-124', 'commit 125', 'written 100-124']);
});

test('a batch is sized like the last full one of its partition: no doubling growth, nothing copied when it is sealed', () => {
  const h = harness({ maxRows: 1000 });
  const row = `${'x'.repeat(299)}\n`;
  const fill = (from: number, to: number) => {
    for (let o = from; o <= to; o++) {
      const b = h.writer.batchFor(BigInt(o), 0);
      b.rows.push(row);
      b.lines++;
      h.writer.messageDone(BigInt(o));
    }
  };
  fill(0, 999); // the first full batch grew from the default room (256 KiB → 512 KiB for 300,000 bytes)
  const second = h.writer.batchFor(1000n, 0);
  const room = 300_000 + (300_000 >> 4) + 16 * 1024;
  assert.equal(second.rows.capacity, room);
  fill(1000, 1999);
  assert.equal(second.rows.byteLength, 300_000);
  assert.equal(second.rows.capacity, room, 'it never grew, and sealing it did not copy it');
  h.writer.closeIfOlderThan(300, 400);
  assert.equal(h.writer.batchFor(2000n, 0).rows.capacity, room);
});
