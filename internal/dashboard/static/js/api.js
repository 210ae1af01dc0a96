// The only way the dashboard reads data: POST JSON to the public GraphQL
// endpoint. The endpoint is this server's /graphql unless the page's
// ?api= parameter or the saved setting names another (CORS must allow it).

const SETTING = 'cgraph.api';

/** The default endpoint: /graphql beside the dashboard's own folder. */
export function defaultEndpoint() {
  return new URL('../graphql', location.href).href;
}

/** The endpoint in use: ?api=, else the saved setting, else the default. */
export function endpoint() {
  const fromQuery = new URLSearchParams(location.search).get('api');
  if (fromQuery) return new URL(fromQuery, location.href).href;
  return savedEndpoint() || defaultEndpoint();
}

/** The endpoint saved on the settings page, or null. */
export function savedEndpoint() {
  try {
    return localStorage.getItem(SETTING);
  } catch {
    return null;
  }
}

/** Saves an endpoint for later visits; null forgets it. */
export function saveEndpoint(url) {
  try {
    if (url) localStorage.setItem(SETTING, url);
    else localStorage.removeItem(SETTING);
  } catch {
    // Storage can be off (private browsing): ?api= still works.
  }
}

/** An error from the API, or from reaching it, in words. */
export class APIError extends Error {
  /**
   * @param {string} message what went wrong, as the API or the browser says it
   * @param {string} code extensions.code, or NETWORK / HTTP_<status> / BAD_RESPONSE
   * @param {{message: string, code: string}[]} all every error the response carried
   */
  constructor(message, code, all) {
    super(message);
    this.name = 'APIError';
    this.code = code;
    this.all = all || [{ message, code }];
  }
}

/** The SHA-256 of each document sent, in hex, once computed. */
const hashes = new Map();

/** The document's persisted-query hash, or null where the page cannot hash (no crypto.subtle outside secure contexts). */
async function hashOf(document) {
  if (hashes.has(document)) return hashes.get(document);
  let hex = null;
  try {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(document));
    hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    // Send the whole document instead.
  }
  hashes.set(document, hex);
  return hex;
}

/** POSTs one GraphQL request and returns the response and its parsed body. */
async function send(url, body) {
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new APIError(
      `Could not reach the GraphQL API at ${url} (${e.message}). Check the address, that the server is running, ` +
      `and, when it is on another origin, that its CORS_ALLOWED_ORIGINS includes ${location.origin}.`,
      'NETWORK');
  }
  try {
    return { res, body: await res.json() };
  } catch {
    throw new APIError(`The GraphQL API at ${url} answered HTTP ${res.status} ${res.statusText} without a GraphQL response.`,
      `HTTP_${res.status}`);
  }
}

/**
 * Whether a request sent by hash alone needs the document: the server does
 * not know the hash yet, or refused the request before running it (a server
 * with persisted queries off says there is no query).
 */
function needsDocument(body) {
  const errors = Array.isArray(body.errors) ? body.errors : [];
  return errors.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND' || e.message === 'PersistedQueryNotFound') ||
    (errors.length > 0 && !('data' in body));
}

/**
 * Runs a GraphQL query and returns its data, or throws an APIError. It
 * sends the document's hash first (an automatic persisted query) and the
 * document itself only when the server does not know the hash yet.
 */
export async function query(document, variables = {}) {
  const url = endpoint();
  const hash = await hashOf(document);
  let answer;
  if (hash) {
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    answer = await send(url, { extensions, variables });
    if (needsDocument(answer.body)) answer = await send(url, { query: document, extensions, variables });
  } else {
    answer = await send(url, { query: document, variables });
  }
  const { res, body } = answer;
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const all = body.errors.map((e) => ({ message: e.message, code: e.extensions?.code || 'UNKNOWN' }));
    throw new APIError(all[0].message, all[0].code, all);
  }
  if (!res.ok || !body.data) {
    throw new APIError(`The GraphQL API at ${url} answered HTTP ${res.status} without data.`, `HTTP_${res.status}`);
  }
  return body.data;
}
