// Council documents: the documents ingested, by authority and date, and a
// form to ingest another (its text, or a .txt, .html or .pdf file).
import { add, h } from '../dom.js';
import { query } from '../api.js';
import { href, go } from '../router.js';
import { dateTime, text } from '../format.js';
import { loading, errorBox, title, empty } from '../ui.js';

const LIST = `query Documents($filter: DocumentFilter) {
  documents(filter: $filter, first: 500) {
    totalCount
    edges { node { id title kind url readAt authority { id name } replacedBy { id }
      claims { status } } }
  }
  authorities(first: 500, orderBy: {field: NAME}) { edges { node { id name } } }
}`;

const INGEST = `mutation Ingest($input: DocumentInput!) {
  ingestDocument(input: $input) { document { id } unchanged claims }
}`;

/** Renders the view into section. */
export async function render(section, { params }) {
  add(section, title('Council documents'),
    h('p', { class: 'lede' }, 'Minutes, decision notices and reports read into the graph. Each proposes the facts it states, ',
      'quoting its words; a fact joins the graph once it is accepted.'));
  const status = loading('the documents');
  add(section, status);
  let data;
  const filter = params.authority ? { authority: { id: { eq: params.authority } } } : null;
  try {
    data = await query(LIST, { filter });
  } catch (err) {
    status.remove();
    add(section, errorBox(err, 'list the documents'));
    return;
  }
  status.remove();
  const authorities = data.authorities.edges.map((e) => e.node);
  const docs = data.documents.edges.map((e) => e.node)
    .sort((a, b) => (a.authority?.name || '').localeCompare(b.authority?.name || '') || b.readAt.localeCompare(a.readAt));
  add(section,
    h('form', { class: 'panel filters', 'aria-label': 'Which documents', onsubmit: (e) => {
      e.preventDefault();
      go(href('documents', { authority: new FormData(e.target).get('authority') }));
    } },
    h('label', {}, 'Authority ', h('select', { name: 'authority' },
      h('option', { value: '' }, 'All authorities'),
      authorities.map((a) => h('option', { value: a.id, selected: a.id === params.authority }, a.name)))),
    h('button', { type: 'submit' }, 'Show')),
    docs.length === 0 ? empty('No documents have been ingested' + (params.authority ? ' for this authority.' : '.'))
      : h('div', { class: 'table-wrap' }, h('table', { id: 'documents' },
        h('caption', {}, `${docs.length} documents`),
        h('thead', {}, h('tr', {}, ['Authority', 'Document', 'Kind', 'Read', 'Claims to review'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, docs.map((d) => h('tr', { 'data-id': d.id },
          h('td', {}, d.authority ? d.authority.name : text(null)),
          h('td', {}, h('a', { href: `#/document/${encodeURIComponent(d.id)}` }, d.title),
            d.replacedBy ? h('span', { class: 'note' }, ' (replaced by a newer version)') : null),
          h('td', {}, text(d.kind)),
          h('td', {}, dateTime(d.readAt)),
          h('td', {}, String(d.claims.filter((c) => c.status === 'PROPOSED').length))))))),
    ingestForm(params.authority));
}

function ingestForm(authority) {
  const out = h('div', { role: 'status', 'aria-live': 'polite' });
  const onsubmit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const file = form.get('file');
    const input = { authority: form.get('authority') || null, url: form.get('url') || null };
    if (file && file.size > 0) {
      input.name = file.name;
      input.contentBase64 = await base64(file);
    } else {
      input.name = 'pasted.txt';
      input.content = form.get('content');
    }
    out.replaceChildren(loading('the document'));
    try {
      const { ingestDocument: r } = await query(INGEST, { input });
      go(`#/document/${encodeURIComponent(r.document.id)}`);
    } catch (err) {
      out.replaceChildren(errorBox(err, 'ingest the document'));
    }
  };
  return h('form', { class: 'panel', id: 'ingest', onsubmit, 'aria-labelledby': 'ingest-heading' },
    h('h2', { id: 'ingest-heading' }, 'Ingest a document'),
    h('p', { class: 'note' }, 'Needs a token of an editor for the authority, or of an admin (Settings).'),
    h('label', {}, 'Authority id ', h('input', { name: 'authority', value: authority || '', placeholder: 'authority:bromley' })),
    h('label', {}, 'Address ', h('input', { name: 'url', type: 'url', size: 50 })),
    h('label', {}, 'File (.txt, .html, .pdf) ', h('input', { name: 'file', type: 'file', accept: '.txt,.html,.htm,.pdf' })),
    h('label', {}, 'or its text ', h('textarea', { name: 'content', rows: 6, cols: 70 })),
    h('button', { type: 'submit' }, 'Ingest'),
    out);
}

function base64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}
