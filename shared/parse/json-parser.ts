/**
 * JSON access-log lines (one object per line: nginx `escape=json` formats, Caddy, Traefik, or any JSON log with a
 * field mapping, see json-presets). The mapping is compiled once into getters; per line: JSON.parse, then each
 * mapped field is checked like a text-format field (status, bytes, time) with the JSON path in the rejection.
 */
import { deadLetter, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import type { FieldKind } from './format-fields.js';
import { Fields, fillField, finishFields } from './format-fill.js';
import { JSON_TARGETS, type JsonMapping, type JsonTarget } from './json-presets.js';

type Getter = (o: Record<string, unknown>) => unknown;

interface Target {
  kind: FieldKind;
  required: boolean;
  paths: Array<{ path: string; get: Getter }>;
}

function getter(path: string): Getter {
  if (!path.includes('.')) return (o) => o[path];
  const parts = path.split('.');
  return (o) => {
    if (path in o) return o[path];
    let cur: unknown = o;
    for (const p of parts) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[p];
    }
    return cur;
  };
}

function kindOf(t: JsonTarget, m: JsonMapping): FieldKind {
  switch (t) {
    case 'ts': return 'time_any';
    case 'path': return 'uri';
    case 'duration': return m.duration_unit === 'ms' ? 'duration_ms' : m.duration_unit === 'us' ? 'duration_us' : m.duration_unit === 'ns' ? 'duration_ns' : 'duration_s';
    default: return t;
  }
}

/** a JSON value as a field value: arrays (repeated headers) joined with ", ", objects as JSON text */
function scalar(v: unknown): string | number {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function createJsonParser(mapping: JsonMapping): (line: string) => StageResult<ParsedLine> {
  const targets: Target[] = [];
  for (const t of JSON_TARGETS) {
    const spec = mapping[t];
    if (spec === undefined) continue;
    const list = typeof spec === 'string' ? [spec] : spec;
    targets.push({ kind: kindOf(t, mapping), required: t === 'ts' || t === 'remote_addr', paths: list.map((p) => ({ path: p, get: getter(p) })) });
  }
  return (line) => {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (err) {
      return deadLetter('bad_json', 'parse', 'line', `not a JSON object: ${(err as Error).message}`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      return deadLetter('bad_json', 'parse', 'line', `a JSON access-log line must be an object, got ${Array.isArray(obj) ? 'an array' : typeof obj}`);
    }
    const rec = obj as Record<string, unknown>;
    const f = new Fields();
    for (const t of targets) {
      let value: unknown;
      let from = '';
      for (const p of t.paths) {
        value = p.get(rec);
        if (value !== undefined && value !== null) {
          from = p.path;
          break;
        }
      }
      if (value === undefined || value === null) {
        if (!t.required) continue;
        const names = t.paths.map((p) => p.path).join('|');
        return deadLetter('missing_field', 'parse', names, `no ${t.kind === 'time_any' ? 'time' : 'client address'} in the JSON line: none of ${t.paths.map((p) => `"${p.path}"`).join(', ')} is present`);
      }
      if (t.kind === 'time_any' && typeof value !== 'string' && typeof value !== 'number') {
        return deadLetter('bad_timestamp', 'parse', from, `${JSON.stringify(value)} is not a time (string or number expected)`);
      }
      const err = fillField(f, t.kind, scalar(value));
      if (err) return deadLetter(err.reason, 'parse', from, err.detail);
    }
    return finishFields(f);
  };
}
