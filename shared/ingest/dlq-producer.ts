/** Publishes dead letters to the Kafka DLQ topic: original line as value, reason/stage/field/error/source as headers. */
import type { Producer } from 'kafkajs';
import { withRetry } from './retry.js';
import { TorlogsError } from '../core/errors.js';
import type { DeadLetterRecord } from './batch.js';

export function createDlqPublisher(producer: Producer, topic: string, signal?: AbortSignal): (d: DeadLetterRecord[]) => Promise<void> {
  return async (records) => {
    const messages = records.map((r) => ({
      key: `${r.source}:${r.partition}:${r.offset}:${r.lineIndex}`,
      value: r.raw,
      headers: {
        reason: r.reason,
        stage: r.stage,
        field: r.field,
        error: r.detail.slice(0, 4000),
        site: r.site,
        source: r.source,
        partition: String(r.partition),
        offset: r.offset.toString(),
        line_index: String(r.lineIndex),
      },
    }));
    for (let i = 0; i < messages.length; i += 5000) {
      const chunk = messages.slice(i, i + 5000);
      await withRetry(
        async () => {
          try {
            await producer.send({ topic, messages: chunk, acks: -1 });
          } catch (err) {
            throw new TorlogsError('kafka_produce_failed', `DLQ publish to ${topic} failed: ${(err as Error).message}`, { retriable: true, cause: err });
          }
        },
        { signal },
      );
    }
  };
}
