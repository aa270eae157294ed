// The service's API, always on the page's own origin (nothing is fetched from elsewhere).

/** An API error with the service's `{"error": {"code", "message"}}` shape. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.messageZh = body?.error?.message_zh;
  }
}

async function getJSON(path, { signal } = {}) {
  const res = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

const enc = encodeURIComponent;

/** Set once a GCJ-02 basemap is configured: every vector tile and geography layer is then asked for offset. */
let gcj02 = false;
export function useGcj02(on) {
  gcj02 = on;
}
/** Whether the map is in GCJ-02 (a GCJ-02 basemap is configured). */
export const usesGcj02 = () => gcj02;

/** Absolute URL template of a vector-tile layer, with an optional CQL2 filter. */
export function tileUrl(layer, filter = '') {
  const params = [];
  if (filter) params.push(`filter=${enc(filter)}`);
  if (gcj02) params.push('coords=gcj02');
  const q = params.length ? `?${params.join('&')}` : '';
  return `${location.origin}/tiles/${layer}/{z}/{x}/{y}${q}`;
}

/** The service's settings for the map (the optional basemap): asked once per page, by
 * the basemap and by a marked point alike. */
let config = null;
export const clientConfig = () => (config ??= getJSON('/api/config').catch((e) => {
  config = null; // a failed answer is asked again next time
  throw e;
}));

export const tileJson = (layer) => getJSON(`/tiles/${layer}`);
/**
 * The district outline (a Feature) and the towns (a FeatureCollection); services before
 * 2026-11-29 lack them. With a GCJ-02 basemap they come offset like the tiles.
 */
const geoQuery = () => (gcj02 ? '?coords=gcj02' : '');
export const district = () => getJSON(`/api/district${geoQuery()}`);
export const towns = () => getJSON(`/api/towns${geoQuery()}`);

/**
 * A page of the parcel list through OGC API Features with the same CQL2 filter as the map.
 * `page` is a query string from a previous answer's next/prev link, or null for the first page.
 */
export function parcelItems(filter, page, opts) {
  if (page) return getJSON(`/ogc/collections/parcels/items?${page}`, opts);
  const q = new URLSearchParams({ limit: '50' });
  if (filter) q.set('filter', filter);
  return getJSON(`/ogc/collections/parcels/items?${q}`, opts);
}

/** The query string of a response's `next` or `prev` link, kept on this origin. */
export function linkQuery(body, rel) {
  const link = body?.links?.find((l) => l.rel === rel);
  return link ? new URL(link.href, location.origin).search.slice(1) : null;
}

export const searchParcels = (q, opts) => getJSON(`/api/parcels?limit=10&q=${enc(q)}`, opts);
export const parcel = (code, opts) => getJSON(`/api/parcels/${enc(code)}`, opts);
export const history = (code, opts) => getJSON(`/api/parcels/${enc(code)}/history`, opts);
export const exceedances = (code, opts) => getJSON(`/api/parcels/${enc(code)}/exceedances`, opts);
export const exceedanceReportUrl = (code) => `/api/parcels/${enc(code)}/exceedances.html`;
export const filings = (code, opts) => getJSON(`/api/filings?parcel=${enc(code)}`, opts);
/** The ledger entries on a parcel: closed-factory sites and review sessions. */
export const ledgers = (code, opts) => getJSON(`/api/parcels/${enc(code)}/ledgers`, opts);
export const supplyCheck = (code, use, opts) => getJSON(`/api/parcels/${enc(code)}/supply-check?use=${enc(use)}`, opts);
export const documentMeta = (id, opts) => getJSON(`/api/documents/${enc(id)}/meta`, opts);

// ---------------------------------------------------------------- writes
// Writes carry the signed-in token (see auth.js) as `Authorization: Bearer …`.
const TOKEN_KEY = 'soilreg.token';

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the token lasts for this page only
  }
}

/** A write; `body` is JSON unless it is FormData. Resolves to { body, etag }; an error answer throws ApiError. */
export async function send(method, path, body, headers = {}) {
  const h = { Accept: 'application/json', ...headers };
  const token = getToken();
  if (token) h.Authorization = `Bearer ${token}`;
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers: h, body: payload });
  const json = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = new ApiError(res.status, json);
    err.detail = json?.error ?? {};
    throw err;
  }
  return { body: json, etag: res.headers.get('ETag') };
}

export const recordEvent = (code, event) => send('POST', `/api/parcels/${enc(code)}/events`, event);
export function uploadDocument(file) {
  const form = new FormData();
  form.append('file', file);
  return send('POST', '/api/documents', form);
}
/** Who the signed-in token is and what it may write: { name, department, role, may: {...} }. */
export async function me() {
  const res = await fetch('/api/me', { headers: { Accept: 'application/json', Authorization: `Bearer ${getToken()}` } });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  return res.json();
}
/** A new parcel (a Feature); drawn over a GCJ-02 basemap, its positions are GCJ-02 and say so. */
export const createParcel = (feature) => send('POST', `/api/parcels${gcj02 ? '?crs=gcj02' : ''}`, feature);
/** An edit; a boundary edited over a GCJ-02 basemap is GCJ-02 and says so, like a drawn one. */
export const patchParcel = (code, version, patch) =>
  send('PATCH', `/api/parcels/${enc(code)}${gcj02 && patch.geometry ? '?crs=gcj02' : ''}`, patch, { 'If-Match': `"${version}"` });
export const reviews = () => getJSON('/api/reviews');
export const review = (id) => getJSON(`/api/reviews/${enc(id)}`);
export const createReview = (session) => send('POST', '/api/reviews', session);
export const decide = (id, decision) => send('POST', `/api/reviews/${enc(id)}/decisions`, decision);
export const minutesUrl = (id, ext) => `/api/reviews/${enc(id)}/minutes.${ext}`;
export const safeUtilization = (year) => getJSON(`/api/stats/safe-utilization?year=${enc(year)}`);
export const overdueFilings = () => getJSON('/api/filings?status=overdue');
export const watchlist = () => getJSON('/api/enforcement/watchlist');
export const planTasks = () => getJSON('/api/plan/tasks');
export const surveysDue = () => getJSON('/api/surveys/due?within=90d');
