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

/** Codes after which a mutation is sent again with the same Idempotency-Key. */
const RETRY_CODES = new Set(['OUTCOME_UNKNOWN', 'UNAVAILABLE', 'NETWORK']);

/** A fresh idempotency key. */
function newKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Runs a GraphQL query and returns its data, or throws an APIError. A
 * mutation is sent with an Idempotency-Key and, when its outcome is unknown
 * or the API or the database is unavailable, sent again with the same key
 * (a few times, a little later each time): the server applies it once and
 * answers a repeat with the first answer.
 */
export async function query(document, variables = {}, { token } = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (!/^\s*mutation\b/.test(document)) return post(document, variables, headers);
  headers['Idempotency-Key'] = newKey();
  for (let attempt = 1; ; attempt++) {
    try {
      return await post(document, variables, headers);
    } catch (e) {
      if (!(e instanceof APIError) || !RETRY_CODES.has(e.code) || attempt >= 4) throw e;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** Sends one request and returns its data, or throws an APIError. */
async function post(document, variables, headers) {
  const url = endpoint();
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: document, variables }),
    });
  } catch (e) {
    throw new APIError(
      `Could not reach the GraphQL API at ${url} (${e.message}). Check the address, that the server is running, ` +
      `and, when it is on another origin, that its CORS_ALLOWED_ORIGINS includes ${location.origin}.`,
      'NETWORK');
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new APIError(`The GraphQL API at ${url} answered HTTP ${res.status} ${res.statusText} without a GraphQL response.`,
      `HTTP_${res.status}`);
  }
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const all = body.errors.map((e) => ({ message: e.message, code: e.extensions?.code || 'UNKNOWN' }));
    throw new APIError(all[0].message, all[0].code, all);
  }
  if (!res.ok || !body.data) {
    throw new APIError(`The GraphQL API at ${url} answered HTTP ${res.status} without data.`, `HTTP_${res.status}`);
  }
  return body.data;
}
