/**
 * Holds the TorIndex in use. Readers take `holder.current` once per lookup (or per batch, so a batch uses one
 * version throughout); a writer builds the next index off the hot path and swaps it in with one assignment, which
 * is atomic for every reader in the process. Versions only grow: an older or equal index is refused, so a slow
 * rebuild can never replace a newer one.
 */
import type { TorCode, TorStatusLookup } from '../pipeline/stages.js';
import type { TorIndex } from './tor-index.js';

/** Until a history is loaded every answer is `unknown` (version 0), never "not Tor". */
const EMPTY: TorStatusLookup & { lookup(ip: string, tsMs: number): TorCode } = {
  version: 0,
  code: () => 0,
  lookup: () => 0,
};

export type IndexLike = Pick<TorIndex, 'lookup' | 'code' | 'version'>;

export class TorIndexHolder {
  private index: IndexLike = EMPTY;
  private swaps = 0;

  constructor(initial?: IndexLike) {
    if (initial) this.index = initial;
  }

  get current(): IndexLike {
    return this.index;
  }

  get version(): number {
    return this.index.version;
  }

  /** number of indexes swapped in since construction */
  get generation(): number {
    return this.swaps;
  }

  /** swaps in `next` when its version is newer; returns whether it did */
  swap(next: IndexLike): boolean {
    if (next.version <= this.index.version) return false;
    this.index = next;
    this.swaps++;
    return true;
  }

  /** builds an index (from whatever the caller has) and swaps it in when newer; a failed build keeps the old one */
  async rebuild(build: () => IndexLike | Promise<IndexLike>): Promise<boolean> {
    return this.swap(await build());
  }
}
