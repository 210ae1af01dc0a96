import { test, eq, near, ok } from './unit.js';
import { radial } from '../dashboard/js/layout.js';

const name = (n) => n.name;
const node = (id, __typename, n) => ({ id, __typename, name: n });

test('radial puts the centre in the middle and each entity on the ring of its distance', () => {
  const nodes = [node('c', 'Team', 'Centre'), node('s', 'Service', 'Near'), node('p', 'Provider', 'Far'), node('x', 'Metric', 'Alone')];
  const pos = radial('c', nodes, [{ from: 's', to: 'c' }, { from: 'p', to: 's' }], name);
  eq(pos.get('c'), { x: 0, y: 0, ring: 0, angle: 0 }, 'the centre');
  eq(pos.get('s').ring, 1, 'one hop');
  eq(pos.get('p').ring, 2, 'two hops');
  eq(pos.get('x').ring, 3, 'unreachable: a ring beyond the rest');
  near(Math.hypot(pos.get('s').x, pos.get('s').y), 210, 'the first ring');
  near(Math.hypot(pos.get('p').x, pos.get('p').y), 420, 'the second ring');
  eq(pos.size, 4, 'every node placed');
});

test('radial orders a ring by type, then by name, from the top', () => {
  const nodes = [node('c', 'Team', 'Centre'), node('b', 'Provider', 'Beta'), node('a', 'Service', 'Zed'), node('d', 'Service', 'Alpha')];
  const edges = ['a', 'b', 'd'].map((id) => ({ from: 'c', to: id }));
  const pos = radial('c', nodes, edges, name);
  // Services (Alpha, Zed) before the provider; the first at the top.
  near(pos.get('d').x, 0, 'Alpha at the top: x');
  near(pos.get('d').y, -210, 'Alpha at the top: y');
  near(pos.get('a').angle, -Math.PI / 2 + (2 * Math.PI) / 3, 'Zed next');
  near(pos.get('b').angle, -Math.PI / 2 + (4 * Math.PI) / 3, 'the provider last');
});

test('radial is the same drawing whatever order the graph comes in', () => {
  const nodes = [node('c', 'Team', 'C'), node('s1', 'Service', 'S1'), node('s2', 'Service', 'S2'), node('k1', 'Contract', 'K1'), node('k2', 'Contract', 'K2')];
  const edges = [{ from: 's1', to: 'c' }, { from: 's2', to: 'c' }, { from: 'k1', to: 's1' }, { from: 'k2', to: 's2' }];
  const one = radial('c', nodes, edges, name);
  const two = radial('c', [...nodes].reverse(), [...edges].reverse(), name);
  for (const n of nodes) eq(two.get(n.id), one.get(n.id), `${n.id} in the same place`);
  // On the second ring each contract sits near the service it belongs to.
  ok(one.get('k1').angle < one.get('k2').angle, 'contracts follow their services round the ring');
});

test('radial widens a crowded ring so neighbours keep their distance', () => {
  const nodes = [node('c', 'Team', 'C')];
  const edges = [];
  for (let i = 0; i < 40; i++) {
    nodes.push(node(`s${i}`, 'Service', `S${String(i).padStart(2, '0')}`));
    edges.push({ from: 'c', to: `s${i}` });
  }
  const pos = radial('c', nodes, edges, name);
  const r = (40 * 72) / (2 * Math.PI);
  near(Math.hypot(pos.get('s0').x, pos.get('s0').y), r, 'the ring is wide enough for 40');
  const a = pos.get('s0'), b = pos.get('s1'); // S00 and S01, side by side
  ok(Math.hypot(a.x - b.x, a.y - b.y) >= 71, 'neighbours at least 72 apart');
});
