/**
 * The demo's traffic, built from the bundled real data (pure functions, no I/O):
 *  - real access logs re-timed into the Tor history's period (the CLF time of each line shifted by one offset per
 *    file; lines whose time cannot be read are replayed unchanged and dead-letter like any bad line);
 *  - generated requests whose Tor verdict is known in advance from the history itself: real exit IPs while they were
 *    exits, the same kind of IPs at covered times when they were not, and requests at times no source covers.
 */
import { ipFamily } from '../net/ip.js';
import { formatClfTime, parseClfTime } from '../parse/clf-time.js';
import { coverageIntervals, exitIntervals, type TorHistoryView } from '../tor/tor-history.js';
import type { TorPolicy } from '../tor/tor-policy.js';
import { verdict, type Verdict } from '../tor/verdict.js';

const CLF_TIME = /\[(\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\]/;

/** epoch ms of the first bracketed CLF time in the line, or null */
export function clfTimeOf(line: string): number | null {
  const m = CLF_TIME.exec(line);
  const r = m ? parseClfTime(m[1]!) : null;
  return r?.ok ? r.ms : null;
}

const clfTime = (ms: number) => `[${formatClfTime(ms)}]`;

/** the lines with their CLF times moved so that the earliest readable one falls at startMs */
export function retimeLines(lines: readonly string[], startMs: number): string[] {
  const times = lines.map(clfTimeOf);
  const first = Math.min(...times.filter((t): t is number => t !== null));
  if (!Number.isFinite(first)) return [...lines];
  return lines.map((l, i) => (times[i] === null ? l : l.replace(CLF_TIME, clfTime(times[i]! - first + startMs))));
}

/** each line's CLF time replaced by startMs + i * stepMs (lines without a readable time stay as they are) */
export function spreadLines(lines: readonly string[], startMs: number, stepMs: number): string[] {
  return lines.map((l, i) => (clfTimeOf(l) === null ? l : l.replace(CLF_TIME, clfTime(startMs + i * stepMs))));
}

export interface DemoRequest {
  ip: string;
  atMs: number;
  /** the verdict the history gives for it (what the store must answer) */
  expected: Verdict;
  /** `exit`: length of the observed interval around it */
  intervalMs?: number;
  line: string;
}

export interface DemoCases {
  exit: DemoRequest[];
  notExit: DemoRequest[];
  unknown: DemoRequest[];
}

const PATHS = ['/', '/login', '/search?q=tor', '/api/v1/items', '/contact', '/wp-login.php', '/admin', '/static/app.js'];
const AGENTS = ['Mozilla/5.0 (Windows NT 10.0; rv:102.0) Gecko/20100101 Firefox/102.0', 'curl/7.88.1', 'Mozilla/5.0 (X11; Linux x86_64)'];

function line(ip: string, atMs: number, k: number): string {
  const status = k % 11 === 0 ? 404 : k % 17 === 0 ? 403 : 200;
  return `${ip} - - ${clfTime(atMs)} "GET ${PATHS[k % PATHS.length]} HTTP/1.1" ${status} ${500 + (k % 9000)} "-" "${AGENTS[k % AGENTS.length]}"`;
}

/**
 * Requests of three kinds, each checked against verdict() before it is used: `exit` (a real exit IP inside one of its
 * observed intervals), `notExit` (IPs that were exits at some other time, at covered times far from it), `unknown`
 * (the same IPs at times outside every source's coverage). Deterministic for a given history and seed.
 */
export function demoCases(history: TorHistoryView, historyIps: readonly string[], policy: TorPolicy, perKind: number, rnd: () => number): DemoCases {
  const ips = historyIps.filter((ip) => ipFamily(ip) === 4).sort();
  const coverage4 = history.coverageIntervals?.(4) ?? coverageIntervals(history.coverage, 4);
  const covered = coverage4.filter((c) => c.toMs - c.fromMs > 2 * policy.coverageSlackMs);
  const first = coverage4[0]?.fromMs ?? Date.UTC(2023, 5, 1);
  const out: DemoCases = { exit: [], notExit: [], unknown: [] };
  let k = 0;
  const add = (list: DemoRequest[], ip: string, atMs: number, want: Verdict, intervalMs?: number) => {
    if (list.length >= perKind) return;
    atMs = Math.floor(atMs / 1000) * 1000; // log lines carry whole seconds
    const v = verdict(history, ip, atMs, policy).verdict;
    if (v === want) list.push({ ip, atMs, expected: v, line: line(ip, atMs, k++), ...(intervalMs !== undefined ? { intervalMs } : {}) });
  };
  for (let tries = 0; tries < perKind * 50 && (out.exit.length < perKind || out.notExit.length < perKind || out.unknown.length < perKind); tries++) {
    const ip = ips[Math.floor(rnd() * ips.length)]!;
    const ivs = exitIntervals(history.observationsOf(ip), policy);
    const iv = ivs[Math.floor(rnd() * ivs.length)];
    if (iv) add(out.exit, ip, Math.floor(iv.fromMs + rnd() * (iv.toMs - iv.fromMs)), 'exit', iv.toMs - iv.fromMs);
    const c = covered[Math.floor(rnd() * covered.length)];
    if (c) add(out.notExit, ip, Math.floor(c.fromMs + policy.coverageSlackMs + rnd() * (c.toMs - c.fromMs - 2 * policy.coverageSlackMs)), 'not_exit');
    // a week before the history starts: no source covers it, and the IP was not seen within the margin
    add(out.unknown, ip, Math.floor(first - 7 * 86_400_000 + rnd() * 86_400_000), 'unknown');
  }
  return out;
}

/** ordinary visitors (random public IPv4) spread over [fromMs, toMs] */
export function visitorLines(n: number, fromMs: number, toMs: number, rnd: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `${[23, 45, 62, 81, 93, 104, 151, 188][i % 8]}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
    out.push(line(ip, Math.floor(fromMs + rnd() * (toMs - fromMs)), i));
  }
  return out;
}
