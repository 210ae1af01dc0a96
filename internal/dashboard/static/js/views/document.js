// One document: its text, with the words its proposed facts rest on
// marked, and beside it the facts, to accept or reject. Text from the
// document is shown as text, never as markup.
import { add, h } from '../dom.js';
import { query } from '../api.js';
import { dateTime, text } from '../format.js';
import { byteOffsetsToIndexes, segments } from '../passages.js';
import { loading, errorBox, title, entityLink } from '../ui.js';

const DOC = `query Document($id: ID!) {
  node(id: $id) {
    ... on Document { id title kind url readAt contentHash text
      authority { id name __typename }
      replaces { id title } replacedBy { id title }
      claims { id field value quote start end rule status decidedBy decidedAt passage { id } } }
  }
}`;

const DECIDE = {
  ACCEPTED: `mutation Accept($ids: [ID!]!) { acceptClaims(ids: $ids) { entitiesCreated entitiesUpdated linksCreated } }`,
  REJECTED: `mutation Reject($ids: [ID!]!) { rejectClaims(ids: $ids) { entitiesUpdated } }`,
};

const STATUS = { PROPOSED: 'Proposed', ACCEPTED: 'Accepted', REJECTED: 'Rejected' };

/** Renders the view into section. */
export async function render(section, { id, params }) {
  const status = loading(id);
  add(section, status);
  let d;
  try {
    d = (await query(DOC, { id })).node;
    if (!d || !d.contentHash) throw new Error(`${id} is not a document`);
  } catch (err) {
    status.remove();
    add(section, title('Document not shown'), errorBox(err, `show the document ${id}`));
    return;
  }
  status.remove();
  const claims = [...d.claims].sort((a, b) => a.start - b.start);
  const proposed = claims.filter((c) => c.status === 'PROPOSED');
  const out = h('div', { role: 'status', 'aria-live': 'polite', id: 'decision-result' });
  const decide = async (ids, to) => {
    out.replaceChildren(loading('the decision'));
    try {
      await query(DECIDE[to], { ids });
      await rerender(section, id, params);
    } catch (err) {
      out.replaceChildren(errorBox(err, to === 'ACCEPTED' ? 'accept the claims' : 'reject the claims'));
    }
  };
  add(section,
    h('p', { class: 'type' }, 'Document', d.kind ? ` · ${d.kind}` : ''),
    title(d.title),
    h('p', {}, d.authority ? entityLink(d.authority) : text(null), ' · read ', dateTime(d.readAt),
      d.url ? [' · ', h('a', { href: d.url, rel: 'noreferrer' }, d.url)] : null),
    d.replacedBy ? h('p', { class: 'caveat' }, 'A newer version of this page replaces it: its claims can no longer be accepted. ',
      h('a', { href: `#/document/${encodeURIComponent(d.replacedBy.id)}` }, 'Review the newer version')) : null,
    h('div', { class: 'document-review' },
      h('article', { class: 'panel document-text', 'aria-label': 'The document’s text' }, textWithMarks(d, claims, params)),
      h('aside', { class: 'panel claims', 'aria-labelledby': 'claims-heading' },
        h('h2', { id: 'claims-heading' }, `Facts proposed (${claims.length})`),
        proposed.length > 1 && !d.replacedBy
          ? h('button', { type: 'button', id: 'accept-all', onclick: () => decide(proposed.map((c) => c.id), 'ACCEPTED') },
            `Accept all ${proposed.length} proposed`)
          : null,
        out,
        h('ol', { id: 'claims' }, claims.map((c) => claimItem(c, decide, !d.replacedBy))))));
}

async function rerender(section, id, params) {
  const fresh = document.createElement('section');
  section.replaceWith(fresh);
  await render(fresh, { id, params });
}

function claimItem(c, decide, open) {
  return h('li', { class: `claim ${c.status.toLowerCase()}`, 'data-id': c.id, 'data-field': c.field },
    h('p', {}, h('strong', {}, c.field), ' = ', h('code', {}, c.value)),
    h('blockquote', { class: 'passage' }, h('a', { href: '#', onclick: (e) => {
      e.preventDefault();
      const m = document.querySelector(`mark[data-claims~="${CSS.escape(c.id)}"]`);
      if (m) { m.scrollIntoView({ block: 'center' }); m.focus(); }
    } }, c.quote)),
    h('p', { class: 'note' }, `rule ${c.rule} · `, h('span', { class: 'status' }, STATUS[c.status]),
      c.decidedBy ? ` by ${c.decidedBy}, ${new Date(c.decidedAt).toLocaleString('en-GB')}` : ''),
    c.status === 'PROPOSED' && open ? h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'accept', onclick: () => decide([c.id], 'ACCEPTED') }, 'Accept'), ' ',
      h('button', { type: 'button', class: 'reject', onclick: () => decide([c.id], 'REJECTED') }, 'Reject')) : null);
}

// The text, with each claim's quote marked; the passage an entity's page
// links to (from and to, byte offsets) is outlined.
function textWithMarks(d, claims, params) {
  const cited = params.from !== undefined && params.to !== undefined ? [Number(params.from), Number(params.to)] : null;
  const offsets = claims.flatMap((c) => [c.start, c.end]).concat(cited || []);
  const idx = byteOffsetsToIndexes(d.text, offsets);
  const ranges = claims.map((c, i) => ({ id: c.id, start: idx[2 * i], end: idx[2 * i + 1] }));
  if (cited) ranges.push({ id: 'cited', start: idx[2 * claims.length], end: idx[2 * claims.length + 1] });
  const byId = Object.fromEntries(claims.map((c) => [c.id, c]));
  return h('pre', { class: 'text' }, segments(d.text, ranges).map((s) => {
    if (s.ids.length === 0) return s.text;
    const ids = s.ids.filter((i) => i !== 'cited');
    const cls = [ids.length ? 'quote' : '', s.ids.includes('cited') ? 'cited' : ''].filter(Boolean).join(' ');
    return h('mark', { class: cls, tabindex: '-1', 'data-claims': ids.join(' '),
      title: ids.map((i) => byId[i].field).join(', ') || 'the passage cited' }, s.text);
  }));
}
