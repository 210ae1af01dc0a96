// A horizontal SVG bar chart: one bar per row, coloured by a category, with
// "not known" written where a value is missing.
import { h, s, clip } from './dom.js';
import { words } from './format.js';

const WIDTH = 1000, LEFT = 300, RIGHT = 110, ROW = 28, TOP = 10;

/** A colour for each category, in the order they are first seen. */
export function palette(categories) {
  const colours = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#8c6d1f', '#6e7781'];
  return new Map([...new Set(categories)].map((c, i) => [c, colours[i % colours.length]]));
}

/**
 * bars: [{label, value (number or null), category, synthetic}];
 * format(value) gives the text beside each bar; colours from palette().
 */
export function barChart(bars, { title, format, colours }) {
  const max = niceCeiling(Math.max(0, ...bars.map((b) => b.value ?? 0)));
  const height = TOP + bars.length * ROW + 24;
  const x = (v) => LEFT + (v / max) * (WIDTH - LEFT - RIGHT);
  const svg = s('svg', { class: 'chart bars', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': title });
  svg.append(s('title', {}, title));
  const axis = s('g', { class: 'axis' });
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4, tx = x(v);
    axis.append(s('line', { class: 'grid', x1: tx, x2: tx, y1: TOP - 4, y2: height - 20 }),
      s('text', { x: tx, y: height - 6, 'text-anchor': 'middle' }, format(v)));
  }
  svg.append(axis);
  bars.forEach((b, i) => {
    const y = TOP + i * ROW;
    const g = s('g', { class: 'bar' });
    g.append(s('text', { x: LEFT - 8, y: y + 17, 'text-anchor': 'end', class: 'node-label' },
      clip(b.label, 42) + (b.synthetic && !/synthetic/i.test(b.label) ? ' (synthetic)' : '')));
    if (b.value === null || b.value === undefined) {
      g.append(s('text', { x: LEFT + 4, y: y + 17, class: 'edge-label' }, 'not known'));
    } else {
      const w = Math.max(1, x(b.value) - LEFT);
      g.append(s('rect', {
        x: LEFT, y: y + 5, width: w, height: ROW - 10, rx: 2, fill: colours.get(b.category) || '#6e7781',
        'fill-opacity': b.synthetic ? 0.6 : 1, stroke: b.synthetic ? '#444c56' : 'none', 'stroke-dasharray': b.synthetic ? '3 2' : null,
      }, s('title', {}, `${b.label}: ${format(b.value)} (${words(b.category)})`)));
      g.append(s('text', { x: LEFT + w + 6, y: y + 17, class: 'edge-label' }, format(b.value)));
    }
    svg.append(g);
  });
  return svg;
}

// The least of 1, 1.2, 1.6, 2, 4, 6, 8 times a power of ten at or above v, so that
// the axis's quarters are round numbers.
function niceCeiling(v) {
  if (v <= 0) return 4;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 1.2, 1.6, 2, 4, 6, 8, 10].map((m) => m * p).find((c) => c >= v);
}

/** The legend of a bar chart's colours. */
export function barLegend(colours, words) {
  return h('ul', { class: 'legend', 'aria-label': 'Bar colours' },
    [...colours].map(([c, colour]) => h('li', {},
      s('svg', { width: 14, height: 14, 'aria-hidden': 'true' }, s('rect', { width: 14, height: 14, rx: 2, fill: colour })),
      words(c))));
}
