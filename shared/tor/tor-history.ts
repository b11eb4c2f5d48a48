/**
 * Tor history in memory: every observation by canonical IP and every coverage record, from parsed documents
 * (a document whose sourceId is already in is skipped). `exitIntervals` is the membership rule: one IP's
 * observations of one kind, sorted by span start, join while the gap to the next span is <= maxGap(kind).
 * The ClickHouse side implements TorHistoryView over its tables (docs/tor-verdicts.md, "SQL twin").
 */
import type { IpFamily } from '../net/ip.js';
import { joinWindows, mergeWindows, type Interval } from './intervals.js';
import type { ObservationKind, TorDocument } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';

export interface ObservationRecord {
  kind: ObservationKind;
  /** document the observation came from (file, archive member, URL) */
  source: string;
  fingerprint: string;
  observedAtMs: number;
  validFromMs: number;
  validToMs: number;
  sourceId?: string;
  publishedAtMs?: number;
  lastStatusMs?: number;
  badExit?: boolean;
}

export interface CoverageRecord {
  fromMs: number;
  toMs: number;
  kind?: ObservationKind;
  /** absent: the record covers both families */
  family?: IpFamily;
  source?: string;
}

/** What a verdict needs: one IP's observations (those within the margin of T suffice) and the coverage records
 * (those overlapping T ± coverage slack suffice; all of them let `unknown` name the extent of the history). */
export interface TorHistoryView {
  observationsOf(ip: string): readonly ObservationRecord[];
  readonly coverage: readonly CoverageRecord[];
  /** optional cache: coverage of one family merged (must equal coverageIntervals(this.coverage, family)) */
  coverageIntervals?(family: IpFamily): readonly Interval[];
}

export interface KindInterval extends Interval {
  kind: ObservationKind;
}

/** The membership intervals of one IP: per kind, spans joined with that kind's maxGap; sorted by start. */
export function exitIntervals(records: readonly ObservationRecord[], policy: TorPolicy): KindInterval[] {
  const byKind = new Map<ObservationKind, Array<{ fromMs: number; toMs: number }>>();
  for (const r of records) {
    let l = byKind.get(r.kind);
    if (!l) byKind.set(r.kind, (l = []));
    l.push({ fromMs: r.validFromMs, toMs: r.validToMs });
  }
  const out: KindInterval[] = [];
  for (const [kind, spans] of byKind) for (const iv of joinWindows(spans, policy.maxGapMs[kind])) out.push({ kind, ...iv });
  return out.sort((a, b) => a.fromMs - b.fromMs || a.toMs - b.toMs || a.kind.localeCompare(b.kind));
}

/** Coverage records of one address family, merged (records without a family count for both). */
export function coverageIntervals(records: readonly CoverageRecord[], family: IpFamily): Interval[] {
  return mergeWindows(records.filter((c) => c.family === undefined || c.family === family));
}

export class TorHistory implements TorHistoryView {
  private readonly byIp = new Map<string, ObservationRecord[]>();
  private readonly cov: CoverageRecord[] = [];
  private readonly sourceIds = new Set<string>();
  private readonly merged = new Map<IpFamily, Interval[]>();
  /** grows by one with every document added: identifies the history an index was built from */
  version = 0;
  observations = 0;

  static fromDocuments(docs: Iterable<TorDocument>): TorHistory {
    const h = new TorHistory();
    for (const d of docs) h.add(d);
    return h;
  }

  /** false when the document (same sourceId) is already in */
  add(doc: TorDocument): boolean {
    if (this.sourceIds.has(doc.sourceId)) return false;
    this.sourceIds.add(doc.sourceId);
    for (const o of doc.observations) {
      let l = this.byIp.get(o.ip);
      if (!l) this.byIp.set(o.ip, (l = []));
      const rec: ObservationRecord = {
        kind: o.kind, source: doc.source, sourceId: doc.sourceId, fingerprint: o.fingerprint, observedAtMs: o.observedAtMs,
        validFromMs: o.validFromMs, validToMs: o.validToMs, publishedAtMs: o.publishedAtMs, lastStatusMs: o.lastStatusMs,
      };
      if (o.badExit) rec.badExit = true;
      l.push(rec);
    }
    this.observations += doc.observations.length;
    for (const c of doc.coverage) this.cov.push({ fromMs: c.fromMs, toMs: c.toMs, kind: c.kind, family: c.family, source: doc.source });
    this.merged.clear();
    this.version++;
    return true;
  }

  has(sourceId: string): boolean {
    return this.sourceIds.has(sourceId);
  }

  observationsOf(ip: string): readonly ObservationRecord[] {
    return this.byIp.get(ip) ?? [];
  }

  get coverage(): readonly CoverageRecord[] {
    return this.cov;
  }

  coverageIntervals(family: IpFamily): readonly Interval[] {
    let m = this.merged.get(family);
    if (!m) this.merged.set(family, (m = coverageIntervals(this.cov, family)));
    return m;
  }

  /** canonical IPs with at least one observation */
  ips(): IterableIterator<string> {
    return this.byIp.keys();
  }

  get ipCount(): number {
    return this.byIp.size;
  }
}
