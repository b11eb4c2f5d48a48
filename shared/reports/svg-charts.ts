/**
 * Inline SVG charts for the HTML report, drawn on the server (no script, no external resource). Every mark has
 * class "mark", its exact value in data-value and the JSON path of that value in data-field, so a test can check
 * the drawing against the JSON.
 */
export interface ChartPoint {
  label: string;
  value: number;
  /** JSON path of the value in the report, e.g. "hourly.3.torShare" */
  field: string;
}

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const r2 = (x: number) => Math.round(x * 100) / 100;

/** vertical bars, one per point (e.g. the 24 hours); zero values draw a 1 px bar */
export function columnChart(name: string, title: string, points: ChartPoint[], format: (v: number) => string): string {
  const w = 720, h = 220, left = 48, bottom = 28, top = 12;
  const max = Math.max(...points.map((p) => p.value), 1e-9);
  const bw = (w - left - 8) / Math.max(points.length, 1);
  const bars = points.map((p, i) => {
    const bh = Math.max(1, (p.value / max) * (h - bottom - top));
    const x = left + i * bw;
    return `<rect class="mark" x="${r2(x + 1)}" y="${r2(h - bottom - bh)}" width="${r2(bw - 2)}" height="${r2(bh)}" fill="#7d4698" data-field="${esc(p.field)}" data-value="${p.value}"><title>${esc(p.label)}: ${esc(format(p.value))}</title></rect>`;
  });
  const ticks = points.map((p, i) => (i % Math.ceil(points.length / 12) === 0 ? `<text x="${r2(left + i * bw + bw / 2)}" y="${h - 10}" font-size="10" text-anchor="middle">${esc(p.label)}</text>` : '')).join('');
  return svg(name, title, w, h, `${axis(left, h - bottom, w, top, format(max))}${bars.join('')}${ticks}`);
}

/** a line with a dot per point (e.g. 30 days) */
export function lineChart(name: string, title: string, points: ChartPoint[], format: (v: number) => string): string {
  const w = 720, h = 220, left = 48, bottom = 28, top = 12;
  const max = Math.max(...points.map((p) => p.value), 1e-9);
  const step = (w - left - 16) / Math.max(points.length - 1, 1);
  const xy = points.map((p, i) => [left + 8 + i * step, h - bottom - (p.value / max) * (h - bottom - top)] as const);
  const line = `<polyline fill="none" stroke="#7d4698" stroke-width="2" points="${xy.map(([x, y]) => `${r2(x)},${r2(y)}`).join(' ')}"/>`;
  const dots = points.map((p, i) => `<circle class="mark" cx="${r2(xy[i]![0])}" cy="${r2(xy[i]![1])}" r="3.5" fill="#4b2a5c" data-field="${esc(p.field)}" data-value="${p.value}"><title>${esc(p.label)}: ${esc(format(p.value))}</title></circle>`);
  const ticks = points.map((p, i) => (i % 5 === 0 ? `<text x="${r2(xy[i]![0])}" y="${h - 10}" font-size="10" text-anchor="middle">${esc(p.label)}</text>` : '')).join('');
  return svg(name, title, w, h, `${axis(left, h - bottom, w, top, format(max))}${line}${dots.join('')}${ticks}`);
}

/** horizontal bars with labels (top lists) */
export function barList(name: string, title: string, points: ChartPoint[], format: (v: number) => string): string {
  const w = 720, row = 22, left = 260;
  const h = Math.max(points.length, 1) * row + 16;
  const max = Math.max(...points.map((p) => p.value), 1e-9);
  const body = points.length
    ? points
        .map((p, i) => {
          const y = 8 + i * row;
          const bw = Math.max(1, (p.value / max) * (w - left - 90));
          const label = p.label.length > 40 ? `${p.label.slice(0, 39)}…` : p.label;
          return `<text x="${left - 8}" y="${y + 15}" font-size="12" text-anchor="end">${esc(label)}</text><rect class="mark" x="${left}" y="${y + 3}" width="${r2(bw)}" height="${row - 6}" fill="#7d4698" data-field="${esc(p.field)}" data-value="${p.value}"><title>${esc(p.label)}: ${esc(format(p.value))}</title></rect><text x="${r2(left + bw + 6)}" y="${y + 15}" font-size="12">${esc(format(p.value))}</text>`;
        })
        .join('')
    : `<text x="${w / 2}" y="${h / 2 + 4}" font-size="12" text-anchor="middle">no Tor (exit) traffic this day</text>`;
  return svg(name, title, w, h, body);
}

function axis(left: number, base: number, w: number, top: number, maxLabel: string): string {
  return `<line x1="${left}" y1="${base}" x2="${w - 4}" y2="${base}" stroke="#999"/><line x1="${left}" y1="${top}" x2="${left}" y2="${base}" stroke="#999"/><text x="${left - 4}" y="${top + 8}" font-size="10" text-anchor="end">${esc(maxLabel)}</text><text x="${left - 4}" y="${base}" font-size="10" text-anchor="end">0</text>`;
}

function svg(name: string, title: string, w: number, h: number, body: string): string {
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" data-chart="${esc(name)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">${body}</svg></figure>`;
}
