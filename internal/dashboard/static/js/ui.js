// Shared pieces of every view: loading, empty and error states, links to
// entities, legends.
import { h, s } from './dom.js';
import { entityHref } from './router.js';
import { label, typeName, styleOf } from './model.js';
import { shape } from './shapes.js';

/** A polite "loading" line. */
export function loading(what) {
  return h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);
}

/** A message for an answer with nothing in it. */
export function empty(message) {
  return h('p', { class: 'empty', role: 'status' }, message);
}

const HINTS = {
  NOT_FOUND: 'The graph holds nothing with that id. Check the address, or search for the entity.',
  INVALID: 'The request asked for something the API does not accept.',
  UNAVAILABLE: 'The graph database is not answering, or took too long. Try again in a moment.',
  INTERNAL: 'The API failed; its log has the details.',
  NETWORK: 'The browser could not get an answer from the API.',
  COMPLEXITY_LIMIT_EXCEEDED: 'The question was too big for the API; ask for less.',
  GRAPHQL_VALIDATION_FAILED: 'The dashboard asked a question this API does not understand: is it the same version?',
};

/** An error in words: each message, its code and what it means. */
export function errorBox(err, doing) {
  const all = err.all || [{ message: err.message, code: err.code || 'ERROR' }];
  const hint = HINTS[all[0].code] || (String(all[0].code).startsWith('HTTP_') ? 'The address may not be a GraphQL endpoint.' : '');
  return h('div', { class: 'error', role: 'alert' },
    h('h2', {}, `Could not ${doing}`),
    all.map((e) => h('p', {}, e.message, ' ', h('span', { class: 'note' }, `(code ${e.code})`))),
    hint && h('p', { class: 'note' }, hint));
}

/** A link to an entity's page, named by its label, marked when synthetic. */
export function entityLink(node, { clipAt = 0 } = {}) {
  let text = label(node);
  if (clipAt && text.length > clipAt) text = text.slice(0, clipAt - 1) + '…';
  return [
    h('a', { href: entityHref(node.id), title: `${typeName(node.__typename)}: ${node.id}` }, text),
    node.synthetic ? [' ', syntheticBadge()] : null,
  ];
}

/** The mark for generated data. */
export function syntheticBadge() {
  return h('span', { class: 'badge synthetic', title: 'Generated data that stands in for a real authority' }, 'synthetic');
}

/** A legend of entity types, drawn as the map draws them. */
export function typeLegend(typenames) {
  return h('ul', { class: 'legend', 'aria-label': 'Entity types' },
    typenames.map((t) => h('li', {},
      s('svg', { width: 18, height: 18, viewBox: '-9 -9 18 18', 'aria-hidden': 'true' }, shape(styleOf(t)[1], 7, styleOf(t)[0])),
      typeName(t))));
}

/** A heading that takes focus after navigation, for keyboard and screen reader users. */
export function title(text, ...rest) {
  return h('h1', { tabindex: '-1' }, text, ...rest);
}
