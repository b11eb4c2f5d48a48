/** POSTs a report (JSON) to a webhook: a timeout per attempt, retries with exponential backoff on network errors, 429 and 5xx. */
import { errorMessage } from '../core/errors.js';

export interface WebhookOptions {
  retries: number;
  timeoutMs?: number;
  backoffMs?: number;
}

export interface WebhookOutcome {
  ok: boolean;
  status: number;
  attempts: number;
  detail: string;
}

export async function postJson(url: string, body: unknown, o: WebhookOptions): Promise<WebhookOutcome> {
  const payload = JSON.stringify(body);
  let last: WebhookOutcome = { ok: false, status: 0, attempts: 0, detail: 'not sent' };
  for (let attempt = 1; attempt <= o.retries + 1; attempt++) {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'torlogs-reports' }, body: payload, signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
      await res.arrayBuffer().catch(() => undefined);
      last = { ok: res.ok, status: res.status, attempts: attempt, detail: `HTTP ${res.status}` };
      if (res.ok) return last;
      if (res.status !== 429 && res.status < 500) return last; // the receiver refuses it: retrying will not help
    } catch (err) {
      last = { ok: false, status: 0, attempts: attempt, detail: errorMessage(err) };
    }
    if (attempt <= o.retries) await new Promise((r) => setTimeout(r, (o.backoffMs ?? 500) * 2 ** (attempt - 1)));
  }
  return last;
}
