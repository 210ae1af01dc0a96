// An entity's page: its fields, its relationships, and the source passages
// behind each, so any fact can be asked "why does the graph say this?".
import { add, h } from '../dom.js';
import { query } from '../api.js';
import { mapHref } from '../router.js';
import { date, dateText, dateTime, money, num, text, unknown, words, yesNo } from '../format.js';
import { FIELDS, LABEL, fieldName, label, typeName } from '../model.js';
import { loading, errorBox, entityLink, title, syntheticBadge } from '../ui.js';

const TYPE = `query Type($id: ID!) { node(id: $id) { id __typename } }`;

// The second query selects the fields of the one type the first found:
// fields of the same name differ in type across the schema (title is
// optional on Report, required elsewhere), so they cannot all be asked at once.
function entityQuery(typename) {
  const fields = FIELDS[typename].map(([f]) => f).join(' ');
  const supports = typename === 'Source' ? 'supports { ...Label }' : '';
  return `query Entity($id: ID!) {
  node(id: $id) {
    ...Label
    ... on ${typename} { ${fields} ${supports} }
    sources { id document documentRef passage recordedAt start end inDocument { id title } }
    relationships {
      type
      direction
      node { ...Label }
      sources { id document passage }
    }
  }
}
${LABEL}`;
}

/** Renders the view into section. */
export async function render(section, { id }) {
  if (!id) {
    add(section, title('No entity chosen'), h('p', {}, 'Search for an entity with the box at the top of the page.'));
    return;
  }
  const status = loading(id);
  add(section, status);
  let n;
  try {
    const { node } = await query(TYPE, { id });
    if (!FIELDS[node.__typename]) throw new Error(`the dashboard does not know the type ${node.__typename}`);
    n = (await query(entityQuery(node.__typename), { id })).node;
  } catch (err) {
    status.remove();
    add(section, title('Entity not shown'), errorBox(err, `show the entity ${id}`));
    return;
  }
  status.remove();
  add(section, 
    h('p', { class: 'type' }, typeName(n.__typename)),
    title(label(n), n.synthetic ? [' ', syntheticBadge()] : null),
    h('p', {}, h('code', {}, n.id), ' · ', h('a', { href: mapHref(n.id) }, 'Show on the service map')),
    h('div', { class: 'panel' }, h('h2', {}, 'What the graph holds'), fields(n)),
    relationships(n),
    sources(n),
    n.__typename === 'Source' ? supports(n) : null);
}

function fields(n) {
  return h('dl', { class: 'fields' }, FIELDS[n.__typename].map(([f, kind]) => [
    h('dt', {}, fieldName(f)),
    h('dd', { 'data-field': f }, show(n[f], kind, n)),
  ]));
}

function show(v, kind, n) {
  switch (kind) {
    case 'date': return date(v);
    case 'month': return v ? h('time', { datetime: v }, dateText(v)) : unknown();
    case 'datetime': return dateTime(v);
    case 'bool': return yesNo(v);
    case 'number': return num(v, 2);
    case 'money': return money(v, n.currency);
    case 'list': return v && v.length ? h('ul', {}, v.map((x) => h('li', {}, x))) : unknown();
    case 'code': return v ? words(v) : unknown();
    default: return text(v);
  }
}

function relationships(n) {
  const rels = [...n.relationships].sort((a, b) => a.type.localeCompare(b.type) || a.direction.localeCompare(b.direction));
  return h('div', { class: 'panel' },
    h('h2', {}, `Relationships (${rels.length})`),
    rels.length === 0 ? h('p', { class: 'empty' }, 'The graph holds no relationships of this entity.')
      : h('div', { class: 'table-wrap' }, h('table', { id: 'relationships' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Relationship'), h('th', { scope: 'col' }, 'With'), h('th', { scope: 'col' }, 'Because the source says'))),
        h('tbody', {}, rels.map((r) => h('tr', {},
          h('td', {}, r.direction === 'OUTGOING'
            ? ['this ', h('strong', {}, r.type), ' →']
            : ['← ', h('strong', {}, r.type), ' this']),
          h('td', {}, h('span', { class: 'type' }, typeName(r.node.__typename)), h('br'), entityLink(r.node, { clipAt: 90 })),
          h('td', {}, r.sources.length
            ? r.sources.map((src) => h('blockquote', { class: 'passage', cite: src.document }, src.passage))
            : h('span', { class: 'unknown' }, 'no source recorded'))))))));
}

function sources(n) {
  return h('div', { class: 'panel', id: 'sources' },
    h('h2', {}, 'Why does the graph say this?'),
    n.sources.length === 0 ? h('p', { class: 'empty' }, 'No source passage is recorded for this entity.')
      : n.sources.map((src) => [
        h('blockquote', { class: 'passage' }, src.passage),
        h('p', { class: 'cite' }, '— ', src.document, src.documentRef ? ` (${src.documentRef})` : '',
          '; recorded ', dateTime(src.recordedAt), ' · ', entityLink({ id: src.id, __typename: 'Source', passage: 'the source' }),
          src.inDocument ? [' · ', h('a', { class: 'in-document', href: documentHref(src) }, 'the passage in its document')] : null),
      ]));
}

/** The address of a passage's document, with the passage outlined. */
function documentHref(src) {
  return `#/document/${encodeURIComponent(src.inDocument.id)}?from=${src.start}&to=${src.end}`;
}

function supports(n) {
  return h('div', { class: 'panel' },
    h('h2', {}, 'What rests on this passage'),
    h('ul', {}, n.supports.map((s) => h('li', {}, h('span', { class: 'type' }, typeName(s.__typename)), ' ', entityLink(s, { clipAt: 90 })))));
}
