// Hash routes, so every view and entity has its own address that can be
// bookmarked and shared, and the page's own query (?api=) is kept:
//   #/contracts?from=2017-01-01&months=24&authority=…&serviceType=…
//   #/map?id=service:…&depth=1
//   #/compare?serviceType=CSE_SUPPORT&sortBy=COST_PER_CHILD&desc=1&groupBy=…&measure=…
//   #/entity/<id>
//   #/search?q=Atlas
//   #/settings

/** The current route: {view, id, params}. */
export function current() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, qs] = splitOnce(hash, '?');
  const params = Object.fromEntries(new URLSearchParams(qs));
  const [view, rest] = splitOnce(path, '/');
  return { view: view || 'contracts', id: rest ? decodeURIComponent(rest) : null, params };
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/** The address of a view with parameters; empty ones are left out. */
export function href(view, params = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, v);
  }
  const q = qs.toString();
  return `#/${view}${q ? '?' + q : ''}`;
}

/** The address of an entity's page. */
export function entityHref(id) {
  return `#/entity/${encodeURIComponent(id)}`;
}

/** The address of the service map centred on an entity. */
export function mapHref(id, depth) {
  return href('map', { id, depth: depth && depth !== 1 ? depth : undefined });
}

/** Moves to an address, adding it to the history. */
export function go(address) {
  location.hash = address;
}

/** Replaces the current address without a new history entry. */
export function replace(address) {
  history.replaceState(null, '', address);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
