/**
 * prom-client behind a small interface. Every metric name comes from METRICS (closed list);
 * a component asks for it by name and gets a typed handle.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { METRICS, type MetricName } from './metric-names.js';

type Labels = Record<string, string | number>;

export interface Metrics {
  inc(name: MetricName, labels?: Labels, value?: number): void;
  set(name: MetricName, value: number, labels?: Labels): void;
  observe(name: MetricName, value: number, labels?: Labels): void;
  /** Prometheus text exposition */
  render(): Promise<string>;
  contentType: string;
  /** current value of a counter/gauge for tests and summaries (sum over labels when none given) */
  value(name: MetricName, labels?: Labels): Promise<number>;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'torlogs_process_' });
  const handles = new Map<MetricName, Counter | Gauge | Histogram>();
  const get = (name: MetricName) => {
    let h = handles.get(name);
    if (!h) {
      const def = METRICS[name];
      const cfg = { name: `torlogs_${name}`, help: def.help, labelNames: [...def.labels], registers: [registry] };
      h = def.type === 'counter' ? new Counter(cfg) : def.type === 'gauge' ? new Gauge(cfg) : new Histogram(name === 'batch_rows' ? { ...cfg, buckets: [10, 100, 1000, 10_000, 50_000, 100_000] } : cfg);
      handles.set(name, h);
    }
    return h;
  };
  return {
    inc: (name, labels = {}, value = 1) => (get(name) as Counter).inc(labels, value),
    set: (name, value, labels = {}) => (get(name) as Gauge).set(labels, value),
    observe: (name, value, labels = {}) => (get(name) as Histogram).observe(labels, value),
    render: () => registry.metrics(),
    contentType: registry.contentType,
    async value(name, labels) {
      const m = await get(name).get();
      return m.values
        .filter((v) => !('metricName' in v && typeof v.metricName === 'string' && v.metricName.endsWith('_bucket')))
        .filter((v) => !labels || Object.entries(labels).every(([k, x]) => String((v.labels as Labels)[k]) === String(x)))
        .reduce((s, v) => s + v.value, 0);
    },
  };
}
