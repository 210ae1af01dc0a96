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
async function send(url, body, headers) {
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
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

const TOKEN = 'cgraph.token';

/** The bearer token saved on the settings page, or null. */
export function savedToken() {
  try {
    return sessionStorage.getItem(TOKEN);
  } catch {
    return null;
  }
}

/** Saves a token for this browser tab; null forgets it. */
export function saveToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN, token);
    else sessionStorage.removeItem(TOKEN);
  } catch {
    // Storage can be off: writes then need a token some other way.
  }
}

/** Codes after which a mutation is sent again with the same Idempotency-Key. */
const RETRY_CODES = new Set(['OUTCOME_UNKNOWN', 'UNAVAILABLE', 'NETWORK']);

/** A fresh idempotency key. */
function newKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Runs a GraphQL query and returns its data, or throws an APIError. It
 * carries the saved token (or the one given), sends the document's hash
 * first (an automatic persisted query) and the document itself only when
 * the server does not know the hash yet. A mutation is sent with an
 * Idempotency-Key and, when its outcome is unknown or the API or the
 * database is unavailable, sent again with the same key (a few times, a
 * little later each time): the server applies it once and answers a repeat
 * with the first answer.
 */
export async function query(document, variables = {}, { token = savedToken() } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (!/^\s*mutation\b/.test(document)) return once(document, variables, headers);
  headers['Idempotency-Key'] = newKey();
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(document, variables, headers);
    } catch (e) {
      if (!(e instanceof APIError) || !RETRY_CODES.has(e.code) || attempt >= 4) throw e;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** Sends one request (by hash, then whole when needed) and returns its data. */
async function once(document, variables, headers) {
  const url = endpoint();
  const hash = await hashOf(document);
  let answer;
  if (hash) {
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    answer = await send(url, { extensions, variables }, headers);
    if (needsDocument(answer.body)) answer = await send(url, { query: document, extensions, variables }, headers);
  } else {
    answer = await send(url, { query: document, variables }, headers);
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
