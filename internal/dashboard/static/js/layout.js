// A deterministic radial layout: the centre entity in the middle, each
// other entity on the ring of its distance from it, rings ordered so that
// entities sit near what links them inward and entities of one type sit
// together. The same graph always gives the same drawing.
import { TYPE_ORDER } from './model.js';

const RING = 210;   // the gap between rings
const SPACING = 72; // the least distance between neighbours on a ring

/**
 * Lays out nodes ({id, __typename, name}) and relationships ({from, to}) around
 * the node with id centre. Returns a Map of id to {x, y, ring, angle}.
 */
export function radial(centre, nodes, relationships, name) {
  const adjacent = new Map(nodes.map((n) => [n.id, new Set()]));
  for (const e of relationships) {
    adjacent.get(e.from)?.add(e.to);
    adjacent.get(e.to)?.add(e.from);
  }
  // Distance from the centre by breadth-first search; anything unreachable
  // (it should not happen) goes on a ring of its own beyond the rest.
  const ring = new Map([[centre, 0]]);
  let frontier = [centre];
  while (frontier.length) {
    const next = [];
    for (const id of frontier) {
      for (const other of [...(adjacent.get(id) || [])].sort()) {
        if (!ring.has(other)) { ring.set(other, ring.get(id) + 1); next.push(other); }
      }
    }
    frontier = next;
  }
  const outer = Math.max(0, ...ring.values()) + 1;
  for (const n of nodes) if (!ring.has(n.id)) ring.set(n.id, outer);

  const pos = new Map([[centre, { x: 0, y: 0, ring: 0, angle: 0 }]]);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rings = Math.max(0, ...ring.values());
  for (let k = 1; k <= rings; k++) {
    const members = nodes.filter((n) => ring.get(n.id) === k).map((n) => ({
      n,
      // Where the entity's inner neighbours sit, to keep it near them.
      parent: Math.min(...[...(adjacent.get(n.id) || [])]
        .filter((o) => pos.has(o) && ring.get(o) === k - 1)
        .map((o) => unwind(pos.get(o).angle)), 10),
    }));
    members.sort((a, b) => (k > 1 ? a.parent - b.parent : 0)
      || TYPE_ORDER.indexOf(a.n.__typename) - TYPE_ORDER.indexOf(b.n.__typename)
      || name(a.n).localeCompare(name(b.n)) || a.n.id.localeCompare(b.n.id));
    const radius = Math.max(k * RING, (members.length * SPACING) / (2 * Math.PI));
    members.forEach((m, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / members.length + (k % 2 ? 0 : Math.PI / members.length);
      pos.set(m.n.id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle), ring: k, angle });
    });
  }
  for (const id of byId.keys()) if (!pos.has(id)) pos.set(id, { x: 0, y: 0, ring: 0, angle: 0 });
  return pos;
}

// An angle in [0, 2π) measured from the top, for ordering.
function unwind(a) {
  const t = a + Math.PI / 2;
  return ((t % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
}
