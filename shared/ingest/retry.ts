/** Retry with exponential backoff and jitter for retriable failures; stops when the signal aborts. */
import { TorlogsError, isRetriable } from '../core/errors.js';

export interface RetryOptions {
  initialMs?: number;
  maxMs?: number;
  /** undefined: retry retriable errors until aborted (ingest never drops data) */
  maxAttempts?: number;
  signal?: AbortSignal;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** called while waiting, e.g. to heartbeat the Kafka group */
  onWait?: () => Promise<void>;
}

export async function withRetry<T>(fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const initial = o.initialMs ?? 100;
  const max = o.maxMs ?? 15_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetriable(err) || (o.maxAttempts !== undefined && attempt >= o.maxAttempts)) throw err;
      if (o.signal?.aborted) throw new TorlogsError('shutdown', 'aborted while retrying', { cause: err });
      const delay = Math.min(max, initial * 2 ** Math.min(attempt - 1, 20)) * (0.75 + Math.random() * 0.5);
      o.onRetry?.(err, attempt, delay);
      await sleepWithHeartbeat(delay, o);
    }
  }
}

async function sleepWithHeartbeat(ms: number, o: RetryOptions): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (o.signal?.aborted) return;
    await new Promise((r) => setTimeout(r, Math.min(1000, end - Date.now())));
    if (o.onWait) await o.onWait();
  }
}
