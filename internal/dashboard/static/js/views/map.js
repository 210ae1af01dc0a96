// Service map: the neighbourhood of a service, team, provider or decision
// drawn as a graph. Clicking an entity moves the centre to it.
import { add, h } from '../dom.js';
import { query } from '../api.js';
import { go, mapHref, replace, entityHref } from '../router.js';
import { LABEL, TYPE_ORDER, label, typeName } from '../model.js';
import { loading, empty, errorBox, entityLink, title, typeLegend, syntheticBadge } from '../ui.js';
import { drawGraph } from '../graph.js';

const NEIGHBOURHOOD = `query Map($id: ID!, $depth: Int!) {
  neighbourhood(id: $id, depth: $depth) {
    truncated
    nodes { ...Label }
    relationships { type from to }
  }
}
${LABEL}`;

const FIND = `query Find($text: String!) {
  search(text: $text, types: [SERVICE, TEAM, PROVIDER, DECISION, CONTRACT, AUTHORITY], first: 10) { node { ...Label } }
}
${LABEL}`;

const FIRST_SERVICE = `{ services(first: 1, orderBy: {field: NAME}) { edges { node { id } } } }`;

/** Renders the view into section. */
export async function render(section, { params }) {
  const depth = [1, 2, 3].includes(Number(params.depth)) ? Number(params.depth) : 1;
  add(section, title('Service map'),
    h('p', { class: 'lede' }, 'What an entity is connected to, within one to three relationships. ',
      'Choose an entity in the drawing to move to it; its page says why the graph holds each link.'));

  if (!params.id) {
    // Start from a service, so the address names what is shown.
    try {
      const d = await query(FIRST_SERVICE);
      const first = d.services.edges[0];
      if (!first) {
        add(section, picker('', depth), empty('The graph holds no services yet. Search for another entity to centre on.'));
        return;
      }
      replace(mapHref(first.node.id, depth));
    } catch (err) {
      add(section, picker('', depth), errorBox(err, 'find a service to start from'));
    }
    return;
  }

  const status = loading('the map');
  add(section, picker(params.id, depth), status);
  let data;
  try {
    data = await query(NEIGHBOURHOOD, { id: params.id, depth });
  } catch (err) {
    status.remove();
    add(section, errorBox(err, `draw the map around ${params.id}`));
    return;
  }
  status.remove();
  const { nodes, relationships, truncated } = data.neighbourhood;
  const centre = nodes.find((n) => n.id === params.id);
  if (!centre) {
    add(section, empty(`The graph holds nothing around ${params.id}.`));
    return;
  }
  const types = TYPE_ORDER.filter((t) => nodes.some((n) => n.__typename === t));
  add(section, h('div', { class: 'graph-layout' },
    h('div', { class: 'panel' }, drawGraph(centre.id, nodes, relationships, (id) => mapHref(id, depth))),
    h('aside', { class: 'panel', 'aria-label': 'About this map' },
      h('p', { class: 'type' }, typeName(centre.__typename)),
      h('h2', { class: 'centre-name' }, label(centre), centre.synthetic ? [' ', syntheticBadge()] : null),
      h('p', {}, h('a', { href: entityHref(centre.id) }, 'Open its page: fields, links and sources')),
      h('p', { class: 'note' }, `${nodes.length} entities and ${relationships.length} relationships within ${depth} step${depth > 1 ? 's' : ''}.`),
      truncated ? h('p', { class: 'caveat' }, 'The neighbourhood is larger than the API returns at once: some entities are left out.') : null,
      h('h3', {}, 'Legend'),
      typeLegend(types),
      h('p', { class: 'note' }, 'Arrows point from the start of each relationship to its end.'))),
  relationshipList(nodes, relationships));
}

function picker(id, depth) {
  const results = h('ul', { class: 'picks', 'aria-live': 'polite', 'aria-label': 'Entities found' });
  const onsubmit = async (e) => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(e.target));
    if (!d.text.trim()) {
      go(mapHref(id, Number(d.depth)));
      return;
    }
    results.replaceChildren(h('li', { class: 'loading' }, 'Searching…'));
    try {
      const found = (await query(FIND, { text: d.text.trim() })).search;
      results.replaceChildren(...(found.length
        ? found.map((hit) => h('li', {}, h('button', {
          type: 'button', class: 'pick', 'data-id': hit.node.id, onclick: () => go(mapHref(hit.node.id, Number(d.depth))),
        }, `${label(hit.node)} (${typeName(hit.node.__typename).toLowerCase()})`)))
        : [h('li', { class: 'empty' }, `Nothing matches “${d.text}”.`)]));
    } catch (err) {
      results.replaceChildren(h('li', {}, errorBox(err, 'search')));
    }
  };
  return h('form', { class: 'panel', onsubmit, 'aria-label': 'Choose what to centre on' },
    h('div', { class: 'filters' },
      h('label', {}, 'Centre on a service, team, provider, decision, contract or authority',
        h('input', { type: 'search', name: 'text', id: 'map-find', placeholder: 'e.g. Barnardo', size: 40 })),
      h('label', {}, 'Depth', h('select', { name: 'depth', id: 'map-depth' },
        [1, 2, 3].map((d) => h('option', { value: d, selected: d === depth }, `${d} step${d > 1 ? 's' : ''}`)))),
      h('button', { type: 'submit' }, 'Find / redraw')),
    results);
}

function relationshipList(nodes, relationships) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const sorted = [...relationships].sort((a, b) => a.type.localeCompare(b.type) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return h('details', { class: 'panel' },
    h('summary', {}, `The ${relationships.length} relationships as a list`),
    h('ul', { class: 'plain' }, sorted.map((e) => h('li', {},
      byId.has(e.from) ? entityLink(byId.get(e.from)) : e.from,
      ` — ${e.type} → `,
      byId.has(e.to) ? entityLink(byId.get(e.to)) : e.to))));
}
