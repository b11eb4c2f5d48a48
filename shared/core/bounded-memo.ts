/**
 * Bounded memos for the per-address work of the hot path: the geo memo in front of the MaxMind readers (the
 * readers' own cache is keyed by record, so the tree walk happens on every call; a per-IP memo skips it), the
 * connecting addresses of the client IP resolver and the encoded client columns of the line processor.
 * Three strategies, measured by bench/geo.bench.ts:
 *  - two generations (the default): lookups hit `current`, else `previous` (and are promoted); when `current`
 *    is full it becomes `previous` and the old `previous` is dropped. Hot IPs survive a turnover, no per-hit
 *    bookkeeping; at most `max` entries in all.
 *  - LRU: a Map re-inserted on every hit, oldest evicted; exact recency, costs a delete + set per hit.
 *  - clear-all: one Map dropped when full; cheapest, but every turnover is a burst of misses.
 * Measured (bench/geo.bench.ts, Node 20, one core, Zipf over 200k addresses, test databases, lookups/s):
 * two-generation 100k 0.86–0.87 M (87.4 % hits), clear-all 100k 0.81–0.93 M (85.6 %), LRU 100k 0.09 M (92.3 %:
 * V8's Map leaves a hole per delete and `keys().next()` walks the holes at the front, so eviction degrades);
 * at 10k: 0.48–0.53 M (64.8 %), 0.50–0.52 M (60.6 %), 0.31 M (68.4 %); no memo 0.42 M. Two generations ties
 * clear-all on speed and keeps more hits, which counts more with real GeoLite2 City records (about 3 µs a miss).
 * A memo is replaced, never cleared in place, when a database is swapped.
 */
export interface BoundedMemo<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  readonly size: number;
}

export type MemoKind = 'two-generation' | 'lru' | 'clear-all';

export function createBoundedMemo<K, V>(kind: MemoKind, max: number): BoundedMemo<K, V> {
  if (max <= 0) return { get: () => undefined, set: () => {}, size: 0 };
  switch (kind) {
    case 'two-generation': return twoGenerationMemo(max);
    case 'lru': return lruMemo(max);
    case 'clear-all': return clearAllMemo(max);
  }
}

function twoGenerationMemo<K, V>(max: number): BoundedMemo<K, V> {
  const half = Math.max(1, Math.floor(max / 2));
  let current = new Map<K, V>();
  let previous = new Map<K, V>();
  const set = (key: K, value: V) => {
    if (current.size >= half) {
      previous = current;
      current = new Map();
    }
    current.set(key, value);
  };
  return {
    get(key) {
      const v = current.get(key);
      if (v !== undefined) return v;
      const old = previous.get(key);
      if (old !== undefined) set(key, old);
      return old;
    },
    set,
    get size() {
      return current.size + previous.size;
    },
  };
}

function lruMemo<K, V>(max: number): BoundedMemo<K, V> {
  const m = new Map<K, V>();
  return {
    get(key) {
      const v = m.get(key);
      if (v !== undefined) {
        m.delete(key);
        m.set(key, v);
      }
      return v;
    },
    set(key, value) {
      if (m.size >= max) m.delete(m.keys().next().value as K);
      m.set(key, value);
    },
    get size() {
      return m.size;
    },
  };
}

function clearAllMemo<K, V>(max: number): BoundedMemo<K, V> {
  let m = new Map<K, V>();
  return {
    get: (key) => m.get(key),
    set(key, value) {
      if (m.size >= max) m = new Map();
      m.set(key, value);
    },
    get size() {
      return m.size;
    },
  };
}
