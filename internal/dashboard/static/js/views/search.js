// Search results: every entity whose names, descriptions or source
// passages match, best first, each a link to its page.
import { add, h } from '../dom.js';
import { query } from '../api.js';
import { LABEL, typeName } from '../model.js';
import { loading, empty, errorBox, entityLink, title } from '../ui.js';

const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 30) {
    score
    node { ...Label }
    via { id document passage }
  }
}
${LABEL}`;

/** Renders the view into section. */
export async function render(section, { params }) {
  const q = (params.q || '').trim();
  add(section, title(q ? `Search: “${q}”` : 'Search'));
  if (!q) {
    add(section, h('p', {}, 'Type words in the search box at the top of the page: a name, a place, words from a minute.'));
    return;
  }
  const status = loading('matches');
  add(section, status);
  let hits;
  try {
    hits = (await query(SEARCH, { text: q })).search;
  } catch (err) {
    status.remove();
    add(section, errorBox(err, `search for “${q}”`));
    return;
  }
  status.remove();
  if (hits.length === 0) {
    add(section, empty(`Nothing in the graph matches “${q}”.`));
    return;
  }
  add(section, 
    h('p', { class: 'note' }, `${hits.length} match${hits.length === 1 ? '' : 'es'}, best first.`),
    h('ol', { class: 'hits', id: 'hits' }, hits.map((hit) => h('li', { 'data-id': hit.node.id },
      h('span', { class: 'type' }, typeName(hit.node.__typename)), ' ',
      h('span', { class: 'note' }, `relevance ${hit.score.toFixed(2)}`), h('br'),
      entityLink(hit.node, { clipAt: 140 }),
      hit.via ? h('p', { class: 'via' }, 'Found in the passage: “', hit.via.passage, '”') : null))));
}
