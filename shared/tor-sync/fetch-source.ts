/**
 * One conditional GET of a live Tor list: If-None-Match / If-Modified-Since, a timeout, retries with backoff on
 * network errors, 5xx and 429. Returns the body or "not modified"; never throws for HTTP outcomes.
 */
export type FetchOutcome =
  | { kind: 'body'; status: number; text: string; etag: string; lastModified: string }
  | { kind: 'not_modified'; status: 304 }
  | { kind: 'failed'; status: number; detail: string };

export interface FetchOptions {
  etag?: string;
  lastModified?: string;
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
  maxBytes?: number;
}

export async function fetchSource(url: string, o: FetchOptions = {}): Promise<FetchOutcome> {
  const attempts = o.attempts ?? 3;
  let last: FetchOutcome = { kind: 'failed', status: 0, detail: 'not attempted' };
  for (let a = 1; a <= attempts; a++) {
    last = await fetchOnce(url, o);
    const retriable = last.kind === 'failed' && (last.status === 0 || last.status >= 500 || last.status === 429);
    if (!retriable || a === attempts) return last;
    await new Promise((r) => setTimeout(r, (o.backoffMs ?? 1000) * 2 ** (a - 1)));
  }
  return last;
}

async function fetchOnce(url: string, o: FetchOptions): Promise<FetchOutcome> {
  const headers: Record<string, string> = { 'user-agent': 'torlogs-tor-sync/0.1' };
  if (o.etag) headers['if-none-match'] = o.etag;
  if (o.lastModified) headers['if-modified-since'] = o.lastModified;
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(o.timeoutMs ?? 30_000), redirect: 'follow' });
    if (res.status === 304) return { kind: 'not_modified', status: 304 };
    if (!res.ok) return { kind: 'failed', status: res.status, detail: `HTTP ${res.status} ${res.statusText}` };
    const text = await res.text();
    if (text.length > (o.maxBytes ?? 64 * 1024 * 1024)) return { kind: 'failed', status: res.status, detail: `body larger than ${o.maxBytes ?? 64 * 1024 * 1024} bytes` };
    return { kind: 'body', status: res.status, text, etag: res.headers.get('etag') ?? '', lastModified: res.headers.get('last-modified') ?? '' };
  } catch (err) {
    const e = err as Error;
    return { kind: 'failed', status: 0, detail: e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${o.timeoutMs ?? 30_000} ms` : `${e.message}${(e.cause as Error | undefined)?.message ? `: ${(e.cause as Error).message}` : ''}` };
  }
}
