/**
 * The summaries service: node-cron in UTC. The hourly job computes every hour that ended (and hours made dirty);
 * the daily job computes every day that ended (and dirty days) and writes the reports of the days it computed.
 * Both share one lane: a run never overlaps another (a tick that finds a run going is skipped and logged). The
 * clock is injectable (`now`), so a test can move it forward and see the missed windows caught up.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/load-config.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { writeDailyReports, type WrittenReport } from '../reports/report-writer.js';
import type { ClickHouseStore } from '../store/store.js';
import { runDueWindows, type DueRunResult } from './summarize.js';
import { isoWindow, type Grain } from './windows.js';

export interface SummariesDeps {
  store: ClickHouseStore;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** the scheduler's clock (epoch ms) */
  now?: () => number;
}

export interface SummariesRun {
  hour: DueRunResult | null;
  day: DueRunResult | null;
  reports: WrittenReport[];
}

export interface SummariesService {
  /** the hourly and the daily job now, one after the other (waits for a run in progress first) */
  runNow(): Promise<SummariesRun>;
  health(): { ok: boolean; detail: string };
  stop(): Promise<void>;
}

type Job = 'hourly' | 'daily';

export function startSummariesService(d: SummariesDeps): SummariesService {
  const log = d.logger.child({ component: 'summaries' });
  const now = d.now ?? Date.now;
  let lane: Promise<unknown> = Promise.resolve();
  let busy = false;
  let lastError: string | null = null;
  let lastSuccessMs = 0;
  let pending = 0;

  async function job(kind: Job): Promise<SummariesRun> {
    const grain: Grain = kind === 'hourly' ? 'hour' : 'day';
    const t0 = performance.now();
    const out: SummariesRun = { hour: null, day: null, reports: [] };
    try {
      const res = await runDueWindows(d.store, { grain, nowMs: now(), maxWindows: d.config.summaryMaxWindows });
      out[grain] = res;
      if (kind === 'daily') out.reports = await writeDailyReports(d.store, d.config, res.computed.map((c) => c.startMs), log);
      pending = res.pending;
      lastSuccessMs = now();
      lastError = null;
      d.metrics.inc('job_runs_total', { job: `summaries_${kind}`, outcome: 'success' });
      log.info({ job: kind, computed: res.computed.length, windows: res.computed.map((c) => `${isoWindow(c)} (${c.reason})`).slice(0, 50), empty: res.emptyRecorded, pending: res.pending, reports: out.reports.length }, 'summaries run');
      return out;
    } catch (err) {
      lastError = errorMessage(err);
      d.metrics.inc('job_runs_total', { job: `summaries_${kind}`, outcome: 'failure' });
      log.error({ job: kind, err: lastError }, 'summaries run failed; the windows stay due for the next run');
      throw err;
    } finally {
      d.metrics.observe('job_seconds', (performance.now() - t0) / 1000, { job: `summaries_${kind}` });
    }
  }

  /** queues `fn` behind the run in progress */
  function enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = lane.then(async () => {
      busy = true;
      try {
        return await fn();
      } finally {
        busy = false;
      }
    });
    lane = p.catch(() => undefined);
    return p;
  }

  const tick = (kind: Job) => {
    if (busy) {
      log.warn({ job: kind }, 'summaries run still in progress: this tick is skipped (no overlapping runs)');
      return;
    }
    void enqueue(() => job(kind)).catch(() => undefined);
  };
  const tasks: ScheduledTask[] = [
    cron.schedule(d.config.summaryHourlyCron, () => tick('hourly'), { timezone: 'UTC', noOverlap: true, name: 'summaries-hourly' }),
    cron.schedule(d.config.summaryDailyCron, () => tick('daily'), { timezone: 'UTC', noOverlap: true, name: 'summaries-daily' }),
  ];

  return {
    runNow: () =>
      enqueue(async () => {
        const h = await job('hourly');
        const dd = await job('daily');
        return { hour: h.hour, day: dd.day, reports: dd.reports };
      }),
    health() {
      if (lastError) return { ok: false, detail: `last summaries run failed: ${lastError}` };
      if (lastSuccessMs === 0) return { ok: true, detail: 'no summaries run yet' };
      return { ok: true, detail: `last run ${new Date(lastSuccessMs).toISOString()}${pending > 0 ? `, ${pending} windows still due (bounded work per run)` : ''}` };
    },
    async stop() {
      for (const t of tasks) await t.stop();
      await lane;
    },
  };
}
