// The dashboard's entry point: routes each address to its view and keeps
// the header (navigation, search box) and footer in step.
import { current, go, href } from './router.js';
import { endpoint } from './api.js';
import { errorBox } from './ui.js';
import * as contracts from './views/contracts.js';
import * as map from './views/map.js';
import * as compare from './views/compare.js';
import * as entity from './views/entity.js';
import * as search from './views/search.js';
import * as settings from './views/settings.js';
import * as documents from './views/documents.js';
import * as doc from './views/document.js';

const VIEWS = { contracts, map, compare, entity, search, settings, documents, document: doc };

const main = document.getElementById('main');
let rendering = 0;
let first = true;

async function render() {
  const route = current();
  const view = VIEWS[route.view];
  const token = ++rendering;
  // A control that moved to a new address (a sort button, a node of the
  // map) gets the focus back when the new page has it; otherwise the
  // page's heading does.
  const focused = main.contains(document.activeElement) ? document.activeElement.id : '';

  document.getElementById('api-url').textContent = endpoint();
  for (const a of document.querySelectorAll('.top nav a')) {
    if (a.dataset.view === route.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const box = document.getElementById('search-text');
  if (route.view === 'search') box.value = route.params.q || '';

  // Each render gets its own section; a later navigation replaces it, so
  // an answer that arrives late lands in a detached element, unseen.
  const section = document.createElement('section');
  main.replaceChildren(section);
  main.removeAttribute('data-ready');
  main.setAttribute('aria-busy', 'true');
  if (!view) {
    section.append(errorBox({ message: `There is no view called “${route.view}”.`, code: 'NOT_FOUND' }, 'show this page'));
  } else {
    try {
      await view.render(section, route);
    } catch (err) {
      // Views show API errors themselves; this is for anything unexpected.
      console.error(err);
      section.append(errorBox(err, 'show this page'));
    }
  }
  if (token !== rendering) return;
  main.setAttribute('aria-busy', 'false');
  main.dataset.ready = route.view;
  const heading = section.querySelector('h1');
  if (heading) document.title = `${heading.textContent} · Commissioning dashboard`;
  const again = focused && document.getElementById(focused);
  if (again) again.focus();
  else if (!first && heading && !main.contains(document.activeElement)) heading.focus();
  first = false;
}

document.getElementById('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = new FormData(e.target).get('q').trim();
  if (q) go(href('search', { q }));
});

window.addEventListener('hashchange', render);
render();
