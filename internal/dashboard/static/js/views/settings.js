// Settings: which GraphQL API the dashboard reads from.
import { add, h } from '../dom.js';
import { defaultEndpoint, endpoint, saveEndpoint, savedEndpoint, saveToken, savedToken } from '../api.js';
import { title } from '../ui.js';

/** Renders the view into section. */
export async function render(section) {
  const fromQuery = new URLSearchParams(location.search).get('api');
  const onsubmit = (e) => {
    e.preventDefault();
    const url = new FormData(e.target).get('api').trim();
    saveEndpoint(url && url !== defaultEndpoint() ? url : null);
    location.hash = '#/contracts';
  };
  add(section, 
    title('The API address'),
    h('p', { class: 'lede' }, 'The dashboard reads everything through a GraphQL endpoint. By default that is the /graphql of ',
      'the server that serves the dashboard; another server works when its CORS_ALLOWED_ORIGINS includes ',
      h('code', {}, location.origin), '.'),
    h('p', {}, 'In use now: ', h('code', { id: 'api-in-use' }, endpoint())),
    fromQuery ? h('p', { class: 'caveat' }, 'This page’s address names the API with ?api=, which wins over the saved setting.') : null,
    h('form', { class: 'panel filters', onsubmit, 'aria-label': 'API address' },
      h('label', {}, 'GraphQL endpoint URL', h('input', {
        type: 'url', name: 'api', size: 60, value: savedEndpoint() || defaultEndpoint(), required: true,
      })),
      h('button', { type: 'submit' }, 'Save')),
    h('p', { class: 'note' }, 'The setting is kept in this browser only. To share a view that reads another API, add ',
      h('code', {}, '?api=<the API’s address>/graphql'), ' to the dashboard’s address, before the #.'),
    h('h2', {}, 'Your token'),
    h('p', {}, 'Ingesting documents and accepting or rejecting their facts needs a bearer token of an editor for the ',
      'authority, or of an admin. It is kept in this tab only, until it is closed.'),
    h('form', { class: 'panel filters', id: 'token-form', 'aria-label': 'Bearer token', onsubmit: (e) => {
      e.preventDefault();
      saveToken(new FormData(e.target).get('token').trim() || null);
      location.hash = '#/documents';
    } },
    h('label', {}, 'Bearer token', h('input', { type: 'password', name: 'token', size: 60, value: savedToken() || '', autocomplete: 'off' })),
    h('button', { type: 'submit' }, 'Save')));
}
