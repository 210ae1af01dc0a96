// SVG shapes for entity types, centred on 0,0 with radius r.
import { s } from './dom.js';

function polygon(points, fill) {
  return s('polygon', { class: 'shape', points: points.map((p) => p.map((v) => v.toFixed(1)).join(',')).join(' '), fill });
}

function regular(n, r, turn) {
  return Array.from({ length: n }, (_, i) => {
    const a = turn + (i * 2 * Math.PI) / n;
    return [r * Math.cos(a), r * Math.sin(a)];
  });
}

/** One of circle, square, diamond, triangle, chevron (downward triangle), hexagon. */
export function shape(kind, r, fill) {
  switch (kind) {
    case 'square': return s('rect', { class: 'shape', x: -r * 0.85, y: -r * 0.85, width: r * 1.7, height: r * 1.7, rx: 2, fill });
    case 'diamond': return polygon(regular(4, r * 1.15, -Math.PI / 2), fill);
    case 'triangle': return polygon(regular(3, r * 1.2, -Math.PI / 2), fill);
    case 'chevron': return polygon(regular(3, r * 1.2, Math.PI / 2), fill);
    case 'hexagon': return polygon(regular(6, r * 1.05, 0), fill);
    default: return s('circle', { class: 'shape', r, fill });
  }
}
