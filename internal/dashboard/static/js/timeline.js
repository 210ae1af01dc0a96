// An SVG timeline of contracts: each contract's term as a bar, its approval
// deadline as a diamond and, when known, the approval as a dot, coloured by
// approval status.
import { h, s, clip } from './dom.js';
import { dateText, dayNumber, parseDate } from './format.js';
import { STATUS, STATUS_COLOUR } from './model.js';
import { entityHref } from './router.js';

// RIGHT leaves room for the end date written after each bar.
const WIDTH = 1000, LEFT = 290, RIGHT = 110, TOP = 34, ROW = 46;

/**
 * rows: [{id, name, detail, start, end, deadline, approvedOn, status}],
 * dates ISO; from and to bound the time axis (widened to every deadline).
 */
export function timeline(rows, from, to) {
  let lo = dayNumber(from), hi = dayNumber(to);
  for (const r of rows) {
    if (r.deadline) lo = Math.min(lo, dayNumber(r.deadline));
    if (r.approvedOn) lo = Math.min(lo, dayNumber(r.approvedOn));
    if (r.end) hi = Math.max(hi, dayNumber(r.end));
  }
  const x = (iso) => LEFT + ((dayNumber(iso) - lo) / (hi - lo || 1)) * (WIDTH - LEFT - RIGHT);
  const height = TOP + rows.length * ROW + 8;

  const svg = s('svg', {
    class: 'chart timeline', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img',
    'aria-label': `Timeline of ${rows.length} contracts by end date, with approval deadlines`,
  });
  svg.append(axis(lo, hi, x, height));
  rows.forEach((r, i) => svg.append(row(r, TOP + i * ROW, x, lo)));
  return svg;
}

function axis(lo, hi, x, height) {
  const g = s('g', { class: 'axis' });
  const months = (hi - lo) / 30.4;
  const step = months <= 14 ? 1 : months <= 40 ? 3 : months <= 96 ? 6 : 12;
  const first = new Date(lo * 86400000);
  let y = first.getUTCFullYear(), m = first.getUTCMonth() + 1;
  for (;;) {
    const iso = `${y}-${String(m).padStart(2, '0')}-01`;
    if (dayNumber(iso) > hi) break;
    if (dayNumber(iso) >= lo && (m - 1) % step === 0) {
      const tx = x(iso);
      g.append(s('line', { class: 'grid', x1: tx, x2: tx, y1: TOP - 6, y2: height - 4 }));
      g.append(s('text', { x: tx, y: TOP - 12, 'text-anchor': 'middle' }, dateText(iso.slice(0, 7))));
    }
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return g;
}

function row(r, y, x, lo) {
  const colour = STATUS_COLOUR[r.status] || STATUS_COLOUR.UNKNOWN;
  const g = s('g', { class: 'contract', 'data-id': r.id });
  const link = s('a', { href: entityHref(r.id) },
    s('title', {}, `${r.name}: ${r.detail}`),
    s('text', { x: 8, y: y + 17, class: 'node-label' }, clip(r.name, 44)),
    s('text', { x: 8, y: y + 33, class: 'edge-label' }, clip(r.detail, 50)));
  g.append(link);

  const endX = r.end ? x(r.end) : null;
  const startKnown = r.start && dayNumber(r.start) >= lo;
  const startX = startKnown ? x(r.start) : x(new Date(lo * 86400000).toISOString().slice(0, 10));
  if (endX !== null) {
    const bar = s('rect', {
      x: startX, y: y + 8, width: Math.max(2, endX - startX), height: 16, rx: 3,
      fill: colour, 'fill-opacity': 0.25, stroke: colour, 'stroke-width': 1.5,
      'stroke-dasharray': startKnown ? null : '4 3',
    }, s('title', {}, `Term: ${r.start ? dateText(r.start) : 'start not known'} to ${dateText(r.end)}`));
    g.append(bar);
    g.append(s('text', { x: endX + 6, y: y + 20, class: 'edge-label' }, `ends ${dateText(r.end)}`));
  }
  if (r.deadline) {
    const dx = x(r.deadline);
    g.append(s('polygon', {
      points: `${dx},${y + 8} ${dx + 8},${y + 16} ${dx},${y + 24} ${dx - 8},${y + 16}`,
      fill: colour, stroke: '#fff', 'stroke-width': 1.5,
    }, s('title', {}, `Approval deadline ${dateText(r.deadline)}: ${STATUS[r.status]}`)));
    g.append(s('text', { x: dx, y: y + 38, class: 'edge-label', 'text-anchor': 'middle' }, `approve by ${dateText(r.deadline)}`));
  }
  if (r.approvedOn && parseDate(r.approvedOn)) {
    const ax = x(r.approvedOn);
    g.append(s('circle', { cx: ax, cy: y + 16, r: 5, fill: '#fff', stroke: colour, 'stroke-width': 3 },
      s('title', {}, `Approved on ${dateText(r.approvedOn)}`)));
  }
  return g;
}

/** The legend: what each colour and each mark means. */
export function legend() {
  const swatch = (colour) => s('svg', { width: 14, height: 14, 'aria-hidden': 'true' },
    s('rect', { width: 14, height: 14, rx: 2, fill: colour }));
  const mark = (...children) => s('svg', { width: 26, height: 18, viewBox: '0 0 26 18', 'aria-hidden': 'true' }, ...children);
  const grey = '#57606a';
  return h('ul', { class: 'legend', 'aria-label': 'Legend' },
    Object.entries(STATUS).map(([k, words]) => h('li', {}, swatch(STATUS_COLOUR[k]), words)),
    h('li', {}, mark(s('rect', { x: 1, y: 4, width: 24, height: 10, rx: 2, fill: grey, 'fill-opacity': 0.25, stroke: grey })), 'Contract term'),
    h('li', {}, mark(s('rect', { x: 1, y: 4, width: 24, height: 10, rx: 2, fill: grey, 'fill-opacity': 0.25, stroke: grey, 'stroke-dasharray': '4 3' })), 'Start not known or earlier'),
    h('li', {}, mark(s('polygon', { points: '13,1 21,9 13,17 5,9', fill: grey })), 'Approval deadline under the buyer’s rule'),
    h('li', {}, mark(s('circle', { cx: 13, cy: 9, r: 5, fill: '#fff', stroke: grey, 'stroke-width': 3 })), 'Successor approved on'));
}
