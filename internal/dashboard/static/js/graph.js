// Draws a neighbourhood as SVG: entities as shapes coloured and shaped by
// type, relationships as labelled arrows. Each entity is a link.
import { s, clip } from './dom.js';
import { label, typeName, styleOf } from './model.js';
import { radial } from './layout.js';
import { shape } from './shapes.js';

const NODE = 12, CENTRE = 18;

/**
 * Draws nodes (selected with the Label fragment) and relationships ({type, from,
 * to}) around centre; hrefOf(id) gives each entity's link.
 */
export function drawGraph(centre, nodes, relationships, hrefOf) {
  const pos = radial(centre, nodes, relationships, label);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const radius = (id) => (id === centre ? CENTRE : NODE);

  // One line per pair of entities, naming every relationship between them.
  const pairs = new Map();
  for (const e of relationships) {
    if (!pos.has(e.from) || !pos.has(e.to)) continue;
    const key = `${e.from}\u0000${e.to}`;
    if (pairs.has(key)) pairs.get(key).types.push(e.type);
    else pairs.set(key, { from: e.from, to: e.to, types: [e.type] });
  }

  const xs = [...pos.values()].map((p) => p.x), ys = [...pos.values()].map((p) => p.y);
  const minX = Math.min(...xs) - 210, maxX = Math.max(...xs) + 210;
  const minY = Math.min(...ys) - 60, maxY = Math.max(...ys) + 60;
  const svg = s('svg', {
    class: 'graph', id: 'graph', viewBox: `${minX} ${minY} ${maxX - minX} ${maxY - minY}`, role: 'group',
    'aria-label': `${nodes.length} entities and ${relationships.length} relationships around ${label(byId.get(centre) || { id: centre })}`,
  }, s('defs', {}, s('marker', {
    id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
  }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8c959f' }))));

  const lines = s('g', { class: 'relationships' });
  const labels = s('g', { class: 'edge-labels' });
  for (const p of [...pairs.values()].sort((a, b) => (a.from + a.to).localeCompare(b.from + b.to))) {
    const a = pos.get(p.from), b = pos.get(p.to);
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const ux = dx / len, uy = dy / len;
    const x1 = a.x + ux * (radius(p.from) + 2), y1 = a.y + uy * (radius(p.from) + 2);
    const x2 = b.x - ux * (radius(p.to) + 4), y2 = b.y - uy * (radius(p.to) + 4);
    lines.append(s('line', {
      class: 'edge', x1, y1, x2, y2, 'marker-end': 'url(#arrow)', 'data-type': p.types.join(' '),
    }, s('title', {}, `${name(byId, p.from)} ${p.types.join(', ')} ${name(byId, p.to)}`)));
    let deg = (Math.atan2(dy, dx) * 180) / Math.PI;
    if (deg > 90) deg -= 180;
    if (deg < -90) deg += 180;
    const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
    labels.append(s('text', {
      class: 'edge-label halo', 'text-anchor': 'middle', dy: -4, transform: `translate(${mx.toFixed(1)} ${my.toFixed(1)}) rotate(${deg.toFixed(1)})`,
    }, p.types.join(' · ')));
  }

  const dots = s('g', { class: 'nodes' });
  const ordered = [...nodes].sort((a, b) => (a.id === centre) - (b.id === centre) || a.id.localeCompare(b.id));
  for (const n of ordered) {
    const p = pos.get(n.id);
    const [fill, kind] = styleOf(n.__typename);
    const isCentre = n.id === centre;
    const r = radius(n.id);
    const text = label(n);
    // Labels point away from the centre, so they run into open space.
    const c = Math.cos(p.angle), sn = Math.sin(p.angle);
    let lx = 0, ly = r + 16, anchor = 'middle';
    if (!isCentre) {
      lx = c * (r + 6); ly = sn * (r + 6) + 4;
      anchor = c > 0.3 ? 'start' : c < -0.3 ? 'end' : 'middle';
      if (anchor === 'middle') ly = sn > 0 ? r + 16 : -r - 8;
    }
    dots.append(s('a', {
      href: hrefOf(n.id), class: isCentre ? 'node centre' : 'node', id: `node-${n.id}`, 'data-id': n.id,
      'data-type': n.__typename, transform: `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`,
      'aria-label': `${typeName(n.__typename)}: ${text}${isCentre ? ' (centre)' : ''}`,
    },
    s('title', {}, `${typeName(n.__typename)}: ${text}`),
    shape(kind, r, fill),
    s('text', { class: 'node-label halo', x: lx.toFixed(1), y: ly.toFixed(1), 'text-anchor': anchor }, clip(text, 40))));
  }
  svg.append(lines, labels, dots);
  return svg;
}

function name(byId, id) {
  const n = byId.get(id);
  return n ? label(n) : id;
}
