#!/usr/bin/env node
// End-to-end test of the map front end against a running soilreg with the demo district.
//
//   node e2e/run.mjs [BASE_URL] [ARTIFACTS_DIR]
//
// Drives Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) headless with SwiftShader
// WebGL through playwright-core, saves a screenshot after each step, prints a report and
// the first meaningful paint, and exits 0 only when every check passes.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { LAND_USES, SUPPLY_USES, TOWNS, USE_FILTERS } from '../src/vocab.js';
import { toGcj02 } from '../src/gcj02.js';

const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BASE = (process.argv[2] || 'http://127.0.0.1:8090').replace(/\/$/, '');
const ARTIFACTS = process.argv[3] ? resolve(process.argv[3]) : resolve(WEB_DIR, '../tests/artifacts/e2e');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = { width: 1440, height: 900 };
const WAIT = 45_000;

const results = [];
const requests = [];
const consoleErrors = [];
const timings = {};
const notes = [];
let geographyServed = true;
// Refusals the test provokes on purpose (a stale edit, a forbidden event): Chromium logs
// each 4xx answer as a console error, which is then expected rather than a fault.
const expectedRefusals = [];
let shot = 0;

// ---------------------------------------------------------------- helpers (Node side)

async function api(path) {
  const res = await fetch(`${BASE}${path}`, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

/** A write through the API with a demo token; returns { status, body, etag }. */
async function write(method, path, body, token, headers = {}) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null), etag: res.headers.get('ETag') };
}

/** Signs the page in with a token through the sign-in control. */
async function signIn(page, token) {
  if ((await page.getAttribute('#signin', 'data-signed-in')) === 'true') await page.click('#signin [data-act=signout]');
  await page.click('#signin [data-act=signin]');
  await page.fill('#signin input[name=token]', token);
  await page.press('#signin input[name=token]', 'Enter');
  await page.waitForSelector('#signin[data-signed-in=true]', { timeout: WAIT });
}

function bbox(geometry) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) =>
    typeof c[0] === 'number'
      ? ((b[0] = Math.min(b[0], c[0])), (b[1] = Math.min(b[1], c[1])), (b[2] = Math.max(b[2], c[0])), (b[3] = Math.max(b[3], c[1])))
      : c.forEach(walk);
  walk(geometry.coordinates);
  return b;
}

/** Distance in metres between two [lon, lat] points (equirectangular, fine at this scale). */
function metres([x1, y1], [x2, y2]) {
  const k = Math.PI / 180;
  const dx = (x2 - x1) * k * Math.cos(((y1 + y2) / 2) * k);
  const dy = (y2 - y1) * k;
  return Math.hypot(dx, dy) * 6_371_000;
}

/**
 * Sends a surveyor's GeoJSON — squares of 0.001° at (lon, 39.94) with the given
 * properties — from the import page as a check only, signed in as a planning editor.
 */
async function checkOnImportPage(page, name, features) {
  const sq = (x, y) => [[[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]];
  const fc = {
    type: 'FeatureCollection',
    features: features.map(([properties, lon]) => ({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: sq(lon, 39.94) } })),
  };
  await page.goto(`${BASE}/imports`);
  await page.fill('#token', 'demo-planning-token');
  await page.setInputFiles('input[name=file]', { name, mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(fc)) });
  await page.selectOption('select[name=mode]', 'dry_run');
  await page.click('#form button[type=submit]');
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Saves a numbered screenshot; returns its file name. */
async function snap(page, name) {
  shot += 1;
  const file = `${String(shot).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`;
  await page.screenshot({ path: join(ARTIFACTS, file) }).catch(() => {});
  return file;
}

async function step(name, page, fn) {
  const started = Date.now();
  let detail = '';
  let ok = true;
  try {
    detail = (await fn()) ?? '';
  } catch (e) {
    ok = false;
    detail = e.message.split('\n')[0];
  }
  const file = await snap(page, name);
  // A step that failed on another page (the import page) leaves the next steps on the map,
  // where they start: one failure, not a cascade of timeouts.
  if (!ok && new URL(page.url()).pathname !== '/') {
    await page.goto(BASE).catch(() => {});
    await page.waitForSelector('#list li[data-code]', { timeout: WAIT }).catch(() => {});
  }
  results.push({ name, ok, detail, ms: Date.now() - started, screenshot: file });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}  (${Date.now() - started} ms)${detail ? `  — ${detail}` : ''}`);
  return ok;
}

function exceedanceFixture(code) {
  const item = (name, name_en, cas, value, limit, level) => ({
    item_no: '1', cas, name, name_en, value_mgkg: value, limit_mgkg: limit, level, ratio: value / limit,
    background_excused: false, point_id: 'S1', depth_top_m: 0, depth_bottom_m: 0.5, sampled_on: '2023-05-10', result_id: 1,
  });
  return {
    parcel: code, class: 2, verdict: 'over_intervention', results: 12,
    items: [item('砷', 'Arsenic', '7440-38-2', 150, 140, 'intervention'), item('铅', 'Lead', '7439-92-1', 900, 800, 'screening')],
  };
}

function filingFixture(code, doc) {
  return {
    count: 1,
    filings: [{
      id: 1, parcel: code, kind: 'survey_report', submitter: '示例环境咨询公司', received_on: '2023-05-20', status: 'under_review',
      reviewer: null, return_reason: null, deadline: '2023-06-30', overdue: true, overdue_since: '2023-07-01', event_id: null,
      documents: [doc], version: 2, created_at: '2023-05-20T02:00:00Z', updated_at: '2023-07-01T02:00:00Z',
    }],
  };
}

function geographyFixture() {
  const poly = (ring) => ({ type: 'Polygon', coordinates: [[...ring, ring[0]]] });
  const [w, m, e, s, n] = [115.45, 115.85, 116.15, 39.82, 40.15];
  const town = (code, name_zh, name_en, ring) => ({
    type: 'Feature', id: code, geometry: poly(ring), properties: { code, name_zh, name_en, synthetic: true },
  });
  return {
    district: {
      type: 'Feature', id: 'district', geometry: poly([[w, 39.9], [m, s], [e, 39.85], [e, n], [m, n], [w, 40.05]]),
      properties: { name: '门头沟区（示例）', synthetic: true },
    },
    towns: {
      type: 'FeatureCollection',
      features: [
        town('110109106', '斋堂镇', 'Zhaitang', [[w, 39.9], [m, s], [m, n], [w, 40.05]]),
        town('110109001', '大峪街道', 'Dayu', [[m, s], [e, 39.85], [e, n], [m, n]]),
      ],
    },
  };
}

// ---------------------------------------------------------------- helpers (page side)

/** Resolves when the map has stopped moving and every tile is loaded. */
const settle = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const m = window.__map;
        const check = () => (!m.isMoving() && m.loaded() ? resolve() : m.once('idle', () => resolve()));
        requestAnimationFrame(() => requestAnimationFrame(check));
      }),
  );

const rendered = (page, layers) =>
  page.evaluate(
    (layers) => window.__map.queryRenderedFeatures({ layers }).map((f) => ({ ...f.properties })),
    layers,
  );

/** Counts canvas pixels that differ from the plain background, read in the frame just drawn. */
const paintedPixels = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const m = window.__map;
        m.once('render', () => {
          const canvas = m.getCanvas();
          const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
          const { drawingBufferWidth: w, drawingBufferHeight: h } = gl;
          const px = new Uint8Array(w * h * 4);
          gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
          const plain = [
            [0xee, 0xf0, 0xea],
            [0xfb, 0xfb, 0xf8],
          ];
          let painted = 0;
          const colours = new Set();
          for (let i = 0; i < px.length; i += 4) {
            const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
            if (plain.some(([pr, pg, pb]) => Math.abs(r - pr) + Math.abs(g - pg) + Math.abs(b - pb) < 12)) continue;
            painted += 1;
            if (colours.size < 5000) colours.add((r << 16) | (g << 8) | b);
          }
          resolve({ painted, total: w * h, colours: colours.size, dataUrlLength: canvas.toDataURL('image/png').length });
        });
        m.triggerRepaint();
      }),
  );

const fitTo = (page, b, opts = {}) =>
  page.evaluate(
    ([b, opts]) => window.__map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 80, maxZoom: 17, duration: 0, ...opts }),
    [b, opts],
  );

const listState = (page) =>
  page.evaluate(() => {
    const el = document.querySelector('#list');
    return { matched: el.dataset.matched, loading: el.dataset.loading === 'true', rows: el.querySelectorAll('li[data-code]').length };
  });

async function waitListLoaded(page, previous) {
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('#list');
      return el.dataset.loading !== 'true' && el.dataset.matched !== undefined && el.dataset.matched !== prev;
    },
    previous,
    { timeout: WAIT },
  );
  return listState(page);
}

// ---------------------------------------------------------------- the test

async function main() {
  assert(existsSync(CHROMIUM), `${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of readdirSync(ARTIFACTS)) if (/^\d\d-.*\.png$/.test(f)) rmSync(join(ARTIFACTS, f)); // the last run's
  const baseHost = new URL(BASE).host;

  // Fixtures from the demo district: a listed parcel with a history, and a far-away parcel to search for.
  const listed = (await api('/api/parcels?stage=listed&limit=1')).features[0];
  assert(listed, 'the demo district has no listed parcel');
  const P = listed.properties.code;
  const history = await api(`/api/parcels/${encodeURIComponent(P)}/history`);
  assert(history.events.length > 0, `${P} has no history`);
  const far = (await api('/api/parcels?town=110109106&limit=1')).features[0]; // 斋堂镇, far west
  assert(far, 'the demo district has no parcel in 斋堂镇');
  const Q = far.properties;

  // Services built before /api/district and /api/towns answer 404: the page then draws the
  // TileJSON extent instead, and those two 404s are expected rather than errors.
  geographyServed = (await fetch(`${BASE}/api/towns`)).ok;
  if (!geographyServed) notes.push('the service has no /api/district or /api/towns (404): the page drew the TileJSON extent instead');

  const profile = mkdtempSync(join(tmpdir(), 'soilreg-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  context.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType() }));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location()?.url ?? '';
    if (!geographyServed && /\/api\/(district|towns)$/.test(url) && m.text().includes('404')) return; // expected, see NOTE
    if (expectedRefusals.some((x) => url.endsWith(x.path) && m.text().includes(`status of ${x.status}`))) return;
    consoleErrors.push(`console: ${m.text()} ${url}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => r.status() >= 500 && consoleErrors.push(`HTTP ${r.status()} ${r.url()}`));

  try {
    // 1. The page loads and the map renders parcels.
    await step('map renders parcels', page, async () => {
      const t0 = Date.now();
      await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => window.__map && window.__firstParcelsIdleMs, null, { timeout: WAIT });
      timings.firstParcelsIdleWallMs = Date.now() - t0;
      Object.assign(
        timings,
        await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          return {
            firstParcelsIdleMs: Math.round(window.__firstParcelsIdleMs),
            domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
            loadMs: Math.round(nav.loadEventEnd),
          };
        }),
      );
      await settle(page);
      const clusters = await rendered(page, ['parcel-clusters']);
      const total = clusters.reduce((n, f) => n + f.count, 0);
      assert(clusters.length > 0, 'no parcel clusters rendered at the district view');
      if (geographyServed) {
        const towns = await rendered(page, ['towns-line']);
        assert(towns.length > 0, 'the service serves /api/towns but no town boundary is drawn');
      }
      const px = await paintedPixels(page);
      assert(px.painted > px.total * 0.002 && px.colours > 3, `canvas looks blank (${px.painted} painted pixels, ${px.colours} colours)`);
      return `${clusters.length} clusters holding ${total} parcels; ${px.painted} of ${px.total} pixels painted, ${px.colours} colours`;
    });

    // 2. Flying to a known parcel shows it as a polygon.
    const pBox = bbox(listed.geometry);
    await step('known parcel rendered after flying to it', page, async () => {
      await fitTo(page, pBox, { duration: 800 });
      await settle(page);
      const codes = (await rendered(page, ['parcels-fill'])).map((f) => f.code);
      assert(codes.includes(P), `${P} not among ${codes.length} rendered parcels`);
      return `${P} among ${codes.length} rendered parcels at zoom ${(await page.evaluate(() => window.__map.getZoom())).toFixed(1)}`;
    });

    // 3. A filter changes both the map and the list, through one CQL2 text.
    await step('filter changes map and list', page, async () => {
      const centre = [(pBox[0] + pBox[2]) / 2, (pBox[1] + pBox[3]) / 2];
      await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 14.3 }), centre);
      await settle(page);
      const before = await rendered(page, ['parcels-fill']);
      const listBefore = await listState(page);
      const tileRequestsBefore = requests.filter((r) => r.url.includes('/tiles/parcels/') && r.url.includes('filter=')).length;

      await page.selectOption('#filters select[name=stage]', 'listed');
      const listAfter = await waitListLoaded(page, listBefore.matched);
      await settle(page);
      const after = await rendered(page, ['parcels-fill']);
      const expected = await api(`/ogc/collections/parcels/items?limit=1&filter=${encodeURIComponent("stage = 'listed'")}`);

      assert(Number(listAfter.matched) === expected.numberMatched, `list says ${listAfter.matched}, the API ${expected.numberMatched}`);
      assert(Number(listAfter.matched) < Number(listBefore.matched), 'the list count did not change');
      assert(after.length > 0 && after.length < before.length, `rendered parcels ${before.length} → ${after.length}`);
      assert(after.every((f) => f.stage === 'listed'), 'a parcel of another stage is still drawn');
      assert(after.some((f) => f.code === P), `${P} (listed) vanished`);
      const filtered = requests.filter((r) => r.url.includes('/tiles/parcels/') && r.url.includes('filter=')).length;
      assert(filtered > tileRequestsBefore, 'no filtered tile was requested');

      // A second criterion joins the first with AND in the same text.
      const town = listed.properties.town;
      await page.selectOption('#filters select[name=town]', town);
      const listBoth = await waitListLoaded(page, listAfter.matched).catch(() => listState(page));
      const cql = await page.textContent('#filters [data-cql]');
      const both = await api(`/ogc/collections/parcels/items?limit=1&filter=${encodeURIComponent(cql)}`);
      assert(cql === `town = '${town}' AND stage = 'listed'`, `unexpected CQL2 text: ${cql}`);
      assert(Number(listBoth.matched) === both.numberMatched, `list ${listBoth.matched} ≠ API ${both.numberMatched} for ${cql}`);
      await settle(page);
      await snap(page, 'filtered by stage and town');

      await page.click('#filters [data-act=clear]');
      const listCleared = await waitListLoaded(page, listBoth.matched);
      assert(listCleared.matched === listBefore.matched, `cleared list ${listCleared.matched} ≠ ${listBefore.matched}`);

      // The next page follows the answer's keyset link.
      const firstPage = await page.$$eval('#list li[data-code]', (els) => els.map((e) => e.dataset.code));
      await page.click('#list [data-act=next]');
      await page.waitForFunction((first) => {
        const li = document.querySelector('#list li[data-code]');
        return document.querySelector('#list').dataset.loading !== 'true' && li && li.dataset.code !== first;
      }, firstPage[0], { timeout: WAIT });
      const secondPage = await page.$$eval('#list li[data-code]', (els) => els.map((e) => e.dataset.code));
      assert(secondPage.length === 50 && !secondPage.some((c) => firstPage.includes(c)), 'the second page repeats the first');
      assert(!(await page.isDisabled('#list [data-act=prev]')), 'no way back to the first page');
      await settle(page);
      return `list ${listBefore.matched} → ${listAfter.matched} (stage) → ${listBoth.matched} (stage and town) → ${listCleared.matched}, next page ${secondPage[0]}…; rendered ${before.length} → ${after.length}; CQL2 "${cql}"`;
    });

    // 3b. "Overdue filings": open filings past their deadline on P and two neighbours (through
    // the API); the checkbox adds overdue_filing = TRUE to the one CQL2 text, and the list and
    // the map then hold exactly the parcels /api/filings?status=overdue names.
    await step('overdue filings filter changes map and list', page, async () => {
      const [w, s, e, n] = pBox;
      const near = await api(`/api/parcels?bbox=${w - 0.004},${s - 0.004},${e + 0.004},${n + 0.004}&limit=3`);
      const withFilings = [...new Set([P, ...near.features.map((f) => f.properties.code)])].slice(0, 3);
      for (const code of withFilings) {
        const r = await write('POST', '/api/filings', { parcel: code, kind: 'survey_report', submitter: '示例环境咨询公司', received_on: '2023-01-01', deadline: '2023-06-30' }, 'demo-eco-token');
        assert(r.status === 201, `filing on ${code}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      }
      const overdue = new Set((await api('/api/filings?status=overdue')).filings.map((f) => f.parcel));
      for (const code of withFilings) assert(overdue.has(code), `${code} is not listed overdue`);

      await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 14.3 }), [(w + e) / 2, (s + n) / 2]);
      await settle(page);
      const before = await rendered(page, ['parcels-fill']);
      const listBefore = await listState(page);
      await page.check('#filters input[name=overdue]');
      const listAfter = await waitListLoaded(page, listBefore.matched);
      await settle(page);
      const cql = await page.textContent('#filters [data-cql]');
      assert(cql === 'overdue_filing = TRUE', `unexpected CQL2 text: ${cql}`);
      const codes = await page.$$eval('#list li[data-code]', (els) => els.map((e) => e.dataset.code));
      assert(Number(listAfter.matched) === overdue.size, `list says ${listAfter.matched}, /api/filings ${overdue.size} parcels`);
      assert(codes.length === overdue.size && codes.every((c) => overdue.has(c)), `list rows ${codes.join(', ')}`);
      const after = await rendered(page, ['parcels-fill']);
      const drawn = new Set(after.map((f) => f.code));
      assert(after.length < before.length, `rendered parcels ${before.length} → ${after.length}`);
      assert([...drawn].every((c) => overdue.has(c)), `a parcel without an overdue filing is drawn: ${[...drawn].filter((c) => !overdue.has(c))}`);
      assert(drawn.has(P), `${P} (overdue) is not drawn`);
      assert(requests.some((r) => r.url.includes('/tiles/parcels/') && decodeURIComponent(r.url).includes('overdue_filing = TRUE')), 'no tile asked with the overdue filter');
      await snap(page, 'overdue filings filter');
      await page.uncheck('#filters input[name=overdue]');
      const listCleared = await waitListLoaded(page, listAfter.matched);
      assert(listCleared.matched === listBefore.matched, `cleared list ${listCleared.matched} ≠ ${listBefore.matched}`);
      await settle(page);
      return `filings on ${withFilings.join(', ')}; list ${listBefore.matched} → ${listAfter.matched} (= /api/filings?status=overdue parcels), drawn ${before.length} → ${after.length}, all overdue`;
    });

    // 4. The search box flies to a parcel.
    await step('search flies to a parcel', page, async () => {
      const startCentre = await page.evaluate(() => window.__map.getCenter().toArray());
      await page.fill('#search input', Q.name);
      await page.press('#search input', 'Enter');
      await page.waitForFunction((code) => document.querySelector('#panel')?.dataset.code === code, Q.code, { timeout: WAIT });
      await page.waitForTimeout(100);
      await settle(page);
      const centre = await page.evaluate(() => window.__map.getCenter().toArray());
      const qBox = bbox(far.geometry);
      const target = [(qBox[0] + qBox[2]) / 2, (qBox[1] + qBox[3]) / 2];
      const off = metres(centre, target);
      const moved = metres(startCentre, centre);
      assert(off < 150, `map centre is ${off.toFixed(0)} m from ${Q.code}`);
      assert(moved > 1000, `map moved only ${moved.toFixed(0)} m`);
      const codes = (await rendered(page, ['parcels-fill'])).map((f) => f.code);
      assert(codes.includes(Q.code), `${Q.code} not rendered after the search`);
      return `"${Q.name}" → centre ${off.toFixed(0)} m from ${Q.code}, moved ${(moved / 1000).toFixed(1)} km`;
    });

    // 5. Clicking a parcel opens the panel with its lifecycle.
    await step('detail panel shows the timeline', page, async () => {
      await fitTo(page, pBox);
      await settle(page);
      const point = await page.evaluate(
        ([code, b]) => {
          const m = window.__map;
          const candidates = [[(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]];
          for (let i = 1; i < 8; i++) for (let j = 1; j < 8; j++) candidates.push([b[0] + ((b[2] - b[0]) * i) / 8, b[1] + ((b[3] - b[1]) * j) / 8]);
          for (const c of candidates) {
            const p = m.project(c);
            if (m.queryRenderedFeatures([p.x, p.y], { layers: ['parcels-fill'] }).some((f) => f.properties.code === code)) return [p.x, p.y];
          }
          return null;
        },
        [P, pBox],
      );
      assert(point, `no clickable point on ${P}`);
      const box = await page.locator('#map').boundingBox();
      await page.mouse.click(box.x + point[0], box.y + point[1]);
      await page.waitForFunction(
        ([code, n]) =>
          document.querySelector('#panel')?.dataset.code === code &&
          document.querySelectorAll('#panel [data-section=history] .timeline li.event').length === n &&
          !document.querySelector('#panel [data-loading]'),
        [P, history.events.length],
        { timeout: WAIT },
      );
      const panel = await page.textContent('#panel');
      const last = history.events[history.events.length - 1];
      assert(panel.includes('亩') && panel.includes('公顷') && panel.includes('m²'), 'area is not shown in m², 亩 and 公顷');
      assert(/\d{4}年\d{1,2}月\d{1,2}日/.test(panel), 'dates are not in Chinese convention');
      const stages = await page.$$eval('#panel .timeline li.event .chip', (els) => els.map((e) => e.textContent));
      assert(stages.length === history.events.length, 'a timeline event lacks its stage');
      // The ledger entries on the parcel link to their ledgers.
      const ledgers = await api(`/api/parcels/${encodeURIComponent(P)}/ledgers`);
      const links = await page.$$eval('#panel [data-section=ledgers] a', (els) => els.map((e) => e.getAttribute('href')));
      for (const c of ledgers.closed_sites) assert(links.includes(c.ledger), `the panel lacks the link to ${c.ledger}`);

      const supply = await api(`/api/parcels/${encodeURIComponent(P)}/supply-check?use=0701`);
      const shown = await page.getAttribute('#panel [data-section=supply] [data-verdict]', 'data-verdict');
      assert(shown === supply.verdict, `supply verdict shown ${shown}, API ${supply.verdict}`);
      await page.selectOption('#panel select[name=supply-use]', '1001');
      const industrial = await api(`/api/parcels/${encodeURIComponent(P)}/supply-check?use=1001`);
      await page.waitForFunction(
        (v) => document.querySelector('#panel [data-section=supply] [data-verdict]')?.dataset.verdict === v &&
          document.querySelector('#panel select[name=supply-use]')?.value === '1001',
        industrial.verdict,
        { timeout: WAIT },
      );
      return `${history.events.length} events (last: ${last.kind} → ${last.stage_after}); supply 0701 ${supply.verdict}, 1001 ${industrial.verdict}`;
    });

    // 5b. The demo district's samples exceed no intervention value and it has no filings:
    // answer those two requests in the browser (shapes as the service sends them) so their
    // rendering is checked too (its own samples: step 7e'').
    await step('panel renders exceedances and overdue filings', page, async () => {
      const enc = encodeURIComponent(P);
      const doc = 'a'.repeat(64);
      await page.route(`**/api/parcels/${enc}/exceedances`, (r) => r.fulfill({ json: exceedanceFixture(P) }));
      await page.route(`**/api/filings?parcel=${enc}`, (r) => r.fulfill({ json: filingFixture(P, doc) }));
      await page.route(`**/api/documents/${doc}/meta`, (r) =>
        r.fulfill({ json: { id: doc, filename: '调查报告.pdf', content_type: 'application/pdf', size_bytes: 1024 } }),
      );
      try {
        await page.fill('#search input', P);
        await page.press('#search input', 'Enter');
        await page.waitForFunction(
          () =>
            document.querySelectorAll('#panel [data-section=exceedances] tbody tr').length === 2 &&
            document.querySelector('#panel [data-section=filings] .badge.bad') &&
            document.querySelector('#panel [data-section=filings] a')?.textContent === '调查报告.pdf',
          null,
          { timeout: WAIT },
        );
        const text = await page.textContent('#panel');
        assert(text.includes('超过管制值') && text.includes('砷'), 'exceedance verdict or item missing');
        assert(text.includes('已逾期') && text.includes('2023年6月30日'), 'overdue filing or its deadline missing');
        await page.locator('#panel [data-section=exceedances]').scrollIntoViewIfNeeded();
      } finally {
        await page.unrouteAll();
      }
      return '2 exceedances (over intervention), 1 overdue filing with its document';
    });

    // 6. The language switch changes the labels.
    await step('language switch to English and back', page, async () => {
      await page.click('#lang');
      await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: WAIT });
      const title = await page.textContent('h1');
      const panel = await page.textContent('#panel');
      const legend = await page.textContent('#layers');
      assert(title.startsWith('Mentougou'), `title not translated: ${title}`);
      assert(panel.includes('Lifecycle') && panel.includes('mu') && panel.includes(' ha'), 'panel not translated');
      assert(legend.includes('On the control & remediation list'), 'legend not translated');
      assert(panel.includes('Arsenic') && panel.includes('30 June 2023'), 'exceedance names or dates not in English');
      assert(!/[\u4e00-\u9fff]/.test(await page.textContent('#filters')), 'Chinese left in the English filter form');
      await snap(page, 'english');
      await page.click('#lang');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN', null, { timeout: WAIT });
      return `title "${title}"`;
    });

    // 7. A shared link (the URL hash) restores the filter and the open parcel.
    await step('deep link restores filter and parcel', page, async () => {
      await page.goto('about:blank');
      await page.goto(`${BASE}/#stage=listed&parcel=${encodeURIComponent(P)}`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(
        (code) => document.querySelector('#panel')?.dataset.code === code && document.querySelectorAll('#panel .timeline li.event').length > 0,
        P,
        { timeout: WAIT },
      );
      await page.waitForFunction(() => window.__firstParcelsIdleMs, null, { timeout: WAIT });
      await page.waitForFunction(() => document.querySelector('#list').dataset.matched, null, { timeout: WAIT });
      await settle(page);
      const stage = await page.inputValue('#filters select[name=stage]');
      const { matched } = await listState(page);
      const features = await rendered(page, ['parcels-fill']);
      const centre = await page.evaluate(() => window.__map.getCenter().toArray());
      const off = metres(centre, [(pBox[0] + pBox[2]) / 2, (pBox[1] + pBox[3]) / 2]);
      assert(stage === 'listed', `stage filter shows "${stage}"`);
      assert(features.some((f) => f.code === P) && features.every((f) => f.stage === 'listed'), 'the map does not show the filtered parcels');
      assert(off < 150, `map centre is ${off.toFixed(0)} m from ${P}`);
      return `stage=listed → ${matched} in the list, ${features.length} drawn, panel on ${P}`;
    });

    // 7b. The district outline and town boundaries (answered in the browser when the service
    // predates /api/district and /api/towns, so the drawing is checked either way).
    await step('district outline and town boundaries drawn', page, async () => {
      if (!geographyServed) {
        const { district, towns } = geographyFixture();
        await page.route('**/api/district', (r) => r.fulfill({ json: district }));
        await page.route('**/api/towns', (r) => r.fulfill({ json: towns }));
      }
      try {
        await page.goto('about:blank');
        await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction(() => window.__firstParcelsIdleMs, null, { timeout: WAIT });
        await page.waitForFunction(
          () => window.__map.queryRenderedFeatures({ layers: ['towns-line'] }).length > 0,
          null,
          { timeout: WAIT },
        );
        await settle(page);
        const outline = await rendered(page, ['extent-line']);
        const towns = new Set((await rendered(page, ['towns-line'])).map((f) => f.code));
        assert(outline.length > 0 && outline[0].name, 'the district outline is not the served one');
        return `outline "${outline[0].name}", ${towns.size} towns drawn${geographyServed ? '' : ' (fixture answers)'}`;
      } finally {
        await page.unrouteAll();
      }
    });

    // 7b'. With a GCJ-02 basemap configured (the settings and the basemap's tiles are answered
    // in the browser: a 1×1 PNG on this host), the outline and towns come offset like the
    // tiles: asked with coords=gcj02, and drawn ~0.5 km north-east of their CGCS2000 place;
    // drawing and editing a boundary happen on that map, in GCJ-02.
    await step('GCJ-02 basemap offsets outline, towns and tiles', page, async () => {
      if (!geographyServed) return 'skipped: the service has no /api/district or /api/towns';
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
      await page.route('**/api/config', (r) => r.fulfill({ json: { basemap: { url: `${BASE}/e2e-basemap/{z}/{x}/{y}.png`, gcj02: true, attribution: 'e2e' } } }));
      await page.route('**/e2e-basemap/**', (r) => r.fulfill({ body: png, contentType: 'image/png' }));
      const seen = requests.length;
      try {
        await page.goto('about:blank');
        await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction(() => window.__firstParcelsIdleMs, null, { timeout: WAIT });
        await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['towns-line'] }).length > 0, null, { timeout: WAIT });
        await settle(page);
        const asked = requests.slice(seen).map((r) => r.url);
        assert(asked.some((u) => u.endsWith('/api/towns?coords=gcj02')), 'towns not asked with coords=gcj02');
        assert(asked.some((u) => u.endsWith('/api/district?coords=gcj02')), 'outline not asked with coords=gcj02');
        assert(asked.some((u) => u.includes('/tiles/parcels/') && u.includes('coords=gcj02')), 'tiles not asked with coords=gcj02');
        assert(!asked.some((u) => /\/api\/(towns|district)$/.test(u)), 'an unshifted outline or town layer was asked too');
        // The towns' source holds what the service sent: compare with the CGCS2000 answer.
        const shown = await page.evaluate(() => window.__map.getSource('towns').serialize().data);
        const plain = await api('/api/towns');
        const first = (g) => (g.type === 'Polygon' ? g.coordinates[0][0] : g.coordinates[0][0][0]);
        const shifts = plain.features.map((f) => {
          const g = shown.features.find((x) => x.id === f.id);
          const [a, b] = [first(f.geometry), first(g.geometry)];
          return { m: metres(a, b), ne: b[0] > a[0] && b[1] > a[1] };
        });
        assert(shifts.length === shown.features.length && shifts.every((x) => x.m > 400 && x.m < 700 && x.ne), `town shifts ${shifts.map((x) => x.m.toFixed(0)).join(', ')} m`);
        // A shape drawn on this map is GCJ-02: it is sent with crs=gcj02, and the crossing the
        // service reports (in CGCS2000) is marked where it is on this map, not 0.5 km away.
        expectedRefusals.push({ path: '/api/parcels?crs=gcj02', status: 422 });
        await signIn(page, 'demo-planning-token');
        await page.waitForSelector('#draw [data-draw=start]', { timeout: WAIT });
        await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 17 }), [pBox[0] - 0.0035, (pBox[1] + pBox[3]) / 2]);
        await settle(page);
        const box = await page.locator('#map').boundingBox();
        const mid = [box.x + box.width * 0.72, box.y + box.height * 0.62];
        const crossing = await page.evaluate(([x, y]) => window.__map.unproject([x, y]).toArray(), [mid[0] - box.x, mid[1] - box.y]);
        await page.click('#draw [data-draw=start]');
        for (const [dx, dy] of [[-60, -60], [60, 60], [60, -60], [-60, 60]]) await page.mouse.click(mid[0] + dx, mid[1] + dy);
        await page.click('#draw [data-draw=finish]');
        await page.fill('#draw input[name=code]', 'E2E-GCJ-BOWTIE');
        await page.fill('#draw input[name=name]', 'e2e GCJ-02 自相交');
        await page.click('#draw form[name=new-parcel] button[type=submit]');
        await page.waitForSelector('#draw [data-geometry-error=self_intersection]', { timeout: WAIT });
        assert(requests.slice(seen).some((r) => r.url.endsWith('/api/parcels?crs=gcj02')), 'the shape was not sent with crs=gcj02');
        // The marker's tip, back on the map (the form may have panned it into sight).
        const tip = await page.evaluate(() => {
          const r = document.querySelector('#map .maplibregl-marker')?.getBoundingClientRect();
          const c = window.__map.getContainer().getBoundingClientRect();
          return r ? window.__map.unproject([r.x + r.width / 2 - c.x, r.y + r.height - c.y]).toArray() : null;
        });
        assert(tip, 'no marker at the crossing');
        const miss = metres(tip, crossing);
        assert(miss < 15, `the marker is ${miss.toFixed(0)} m from the crossing drawn on the GCJ-02 map`);
        await page.click('#draw [data-draw=cancel]');
        assert((await fetch(`${BASE}/api/parcels/E2E-GCJ-BOWTIE`)).status === 404, 'a refused shape was stored');
        // A point given in CGCS2000 (an import report's link) is marked where it lies on this map.
        const point = [116.05, 39.93];
        await page.goto('about:blank'); // a hash alone would not load the page again
        await page.goto(`${BASE}/#at=${point.join(',')}`, { waitUntil: 'domcontentloaded' });
        await page.waitForSelector('[data-testid=marked-point]', { timeout: WAIT });
        await settle(page); // every basemap tile in while this step still answers them
        const marked = await page.evaluate(() => window.__map.getCenter().toArray());
        const offBy = metres(marked, toGcj02(point));
        assert(offBy < 1 && metres(marked, point) > 400, `#at marked ${offBy.toFixed(1)} m from its GCJ-02 place`);
        // A stored boundary is edited where the tiles draw it: its handles sit on the GCJ-02
        // positions, and a vertex pulled inwards there is stored at its CGCS2000 place.
        const target = (await api('/api/parcels?stage=suspected&limit=1')).features[0];
        assert(target, 'no suspected parcel to edit');
        const encT = encodeURIComponent(target.properties.code);
        const ring = (target.geometry.type === 'Polygon' ? target.geometry.coordinates : target.geometry.coordinates[0])[0];
        const n = ring.length - 1;
        const c = ring.slice(0, n).reduce((a, p) => [a[0] + p[0] / n, a[1] + p[1] / n], [0, 0]);
        const v0 = ring[0];
        const inward = [v0[0] + 0.1 * (c[0] - v0[0]), v0[1] + 0.1 * (c[1] - v0[1])];
        await page.goto('about:blank');
        await page.goto(`${BASE}/#parcel=${encT}`, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction(() => window.__firstParcelsIdleMs, null, { timeout: WAIT });
        await page.waitForSelector('#panel details[data-tool=edit]', { timeout: WAIT });
        await signIn(page, 'demo-planning-token');
        await page.click('#panel details[data-tool=edit] summary');
        await fitTo(page, bbox({ coordinates: [ring.map(toGcj02)] }), { padding: { top: 120, bottom: 120, left: 380, right: 120 }, maxZoom: 18 });
        await settle(page);
        await page.click('#panel form[name=edit] [data-tool-act=boundary]');
        await page.waitForFunction(() => window.__map.getSource('edit-handles'), null, { timeout: WAIT });
        await settle(page);
        const handle = await page.evaluate(() => window.__map.getSource('edit-handles').serialize().data.features[0].geometry.coordinates);
        const handleOff = metres(handle, toGcj02(v0));
        assert(handleOff < 0.1 && metres(handle, v0) > 400, `the first handle is ${handleOff.toFixed(2)} m from the vertex's GCJ-02 place`);
        const mapBox = await page.locator('#map').boundingBox();
        const px = (ll) => page.evaluate((ll) => { const p = window.__map.project(ll); return [p.x, p.y]; }, ll);
        const [from, to] = [await px(toGcj02(v0)), await px(toGcj02(inward))];
        await page.mouse.move(mapBox.x + from[0], mapBox.y + from[1]);
        await page.mouse.down();
        await page.mouse.move(mapBox.x + (from[0] + to[0]) / 2, mapBox.y + (from[1] + to[1]) / 2, { steps: 4 });
        await page.mouse.move(mapBox.x + to[0], mapBox.y + to[1], { steps: 4 });
        await page.mouse.up();
        const patched = requests.length;
        await page.click('#panel form[name=edit] button[type=submit]');
        await page.waitForFunction((v) => Number(document.querySelector('#panel form[name=edit]')?.dataset.version) > v, target.properties.version, { timeout: WAIT });
        assert(requests.slice(patched).some((r) => r.url.endsWith(`/api/parcels/${encT}?crs=gcj02`)), 'the edited boundary was not sent with crs=gcj02');
        const edited = await api(`/api/parcels/${encT}`);
        const ringAfter = (edited.geometry.type === 'Polygon' ? edited.geometry.coordinates : edited.geometry.coordinates[0])[0];
        const nearest = (p) => Math.min(...ringAfter.map((q) => metres(p, q)));
        const kept = ring.slice(1, n).every((p) => nearest(p) < 0.05);
        assert(nearest(inward) < 2 && nearest(v0) > 1 && kept, `moved vertex ${nearest(inward).toFixed(1)} m from its drop point; the others kept: ${kept}`);
        return `outline, towns and tiles asked with coords=gcj02; ${shifts.length} towns drawn ${Math.min(...shifts.map((x) => x.m)).toFixed(0)}–${Math.max(...shifts.map((x) => x.m)).toFixed(0)} m north-east of CGCS2000; a crossed shape drawn on it sent with crs=gcj02, its marker ${miss.toFixed(1)} m from the crossing; #at marked at its GCJ-02 place; ${target.properties.code}'s handles on its GCJ-02 place, a vertex moved there stored ${nearest(inward).toFixed(1)} m from its CGCS2000 drop point`;
      } finally {
        await page.unrouteAll();
      }
    });

    // 7c. Sign in and record a lifecycle event: a forbidden one is refused with its rule, an
    // allowed one joins the timeline. A parcel of unknown stage each run (the event moves it on).
    const fresh = (await api('/api/parcels?stage=unknown&limit=1')).features[0];
    const R = fresh?.properties.code;
    await step('signed-in editor records a lifecycle event', page, async () => {
      assert(R, 'the demo district has no parcel of unknown stage left');
      const encR = encodeURIComponent(R);
      expectedRefusals.push({ path: `/api/parcels/${encR}/events`, status: 409 });
      await page.goto('about:blank');
      await page.goto(`${BASE}/#parcel=${encR}`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => window.__firstParcelsIdleMs, null, { timeout: WAIT });
      await page.waitForSelector('#panel details[data-tool=event]', { timeout: WAIT });
      await signIn(page, 'demo-eco-token');
      const before = (await api(`/api/parcels/${encR}/history`)).events.length;
      await page.click('#panel details[data-tool=event] summary');
      await page.selectOption('#panel form[name=event] select[name=kind]', 'works_started');
      await page.click('#panel form[name=event] button[type=submit]');
      await page.waitForSelector('#panel form[name=event] .refusal[data-rule]', { timeout: WAIT });
      const rule = await page.getAttribute('#panel form[name=event] .refusal', 'data-rule');
      const refusal = await page.textContent('#panel form[name=event] .refusal');
      assert(/[\u4e00-\u9fff]/.test(refusal) && refusal.includes('依据'), `refusal lacks its Chinese message or clause: ${refusal}`);
      const tilesBefore = requests.filter((r) => r.url.includes('/tiles/parcels/')).length;
      await page.selectOption('#panel form[name=event] select[name=kind]', 'suspicion_raised');
      await page.fill('#panel form[name=event] input[name="p.reason"]', 'e2e：群众举报疑似污染');
      await page.click('#panel form[name=event] button[type=submit]');
      await page.waitForFunction(
        (n) => document.querySelectorAll('#panel [data-section=history] .timeline li.event').length === n,
        before + 1,
        { timeout: WAIT },
      );
      const after = await api(`/api/parcels/${encR}`);
      assert(after.properties.stage === 'suspected', `stage after the event: ${after.properties.stage}`);
      await settle(page);
      const tilesAfter = requests.filter((r) => r.url.includes('/tiles/parcels/')).length;
      assert(tilesAfter > tilesBefore, 'the parcel tiles were not loaded again after the write');
      return `${R}: works_started refused (${rule}); suspicion_raised recorded → suspected; ${tilesAfter - tilesBefore} tiles reloaded`;
    });

    // 7d. A stale edit: the parcel changes through the API (another tab) after the form was
    // drawn; saving shows the conflict and overwrites nothing; reloading then saving works.
    await step('a stale edit shows the conflict', page, async () => {
      assert(R, 'no parcel for the edit');
      const encR = encodeURIComponent(R);
      expectedRefusals.push({ path: `/api/parcels/${encR}`, status: 412 });
      await signIn(page, 'demo-planning-token');
      await page.click('#panel details[data-tool=edit] summary');
      await page.waitForSelector('#panel form[name=edit]', { timeout: WAIT });
      const shownVersion = Number(await page.getAttribute('#panel form[name=edit]', 'data-version'));
      const other = await write('PATCH', `/api/parcels/${encR}`, { properties: { name: `${R} 另一窗口修改` } }, 'demo-planning-token', { 'If-Match': `"${shownVersion}"` });
      assert(other.status === 200, `the second tab's PATCH answered ${other.status}`);
      await page.fill('#panel form[name=edit] input[name=name]', `${R} 本窗口修改`);
      await page.click('#panel form[name=edit] button[type=submit]');
      await page.waitForSelector('#panel form[name=edit] .conflict', { timeout: WAIT });
      const current = Number(await page.getAttribute('#panel form[name=edit] .conflict', 'data-conflict'));
      const text = await page.textContent('#panel form[name=edit] .conflict');
      const server = await api(`/api/parcels/${encR}`);
      assert(current === server.properties.version && current > shownVersion, `conflict names version ${current}, the service has ${server.properties.version}`);
      assert(text.includes(`版本 ${current}`), `conflict text: ${text}`);
      assert(server.properties.name === `${R} 另一窗口修改`, 'the stale edit overwrote the other change');
      await snap(page, 'edit conflict');
      await page.click('#panel form[name=edit] [data-tool-act=reload]');
      await page.waitForFunction((v) => Number(document.querySelector('#panel form[name=edit]')?.dataset.version) === v, current, { timeout: WAIT });
      await page.fill('#panel form[name=edit] input[name=name]', fresh.properties.name); // and back to the demo name
      await page.click('#panel form[name=edit] button[type=submit]');
      await page.waitForFunction((name) => document.querySelector('#panel h2')?.textContent === name, fresh.properties.name, { timeout: WAIT });
      const saved = await api(`/api/parcels/${encR}`);
      assert(saved.properties.version > current && saved.properties.name === fresh.properties.name, 'the edit after reloading was not saved');
      return `form at version ${shownVersion}, another tab saved ${current}: conflict shown, nothing overwritten; after reload saved as ${saved.properties.version}`;
    });

    // 7d'. The boundary by dragging a vertex handle: a self-intersecting shape is refused
    // (422) with a marker at the reported location; a small valid move is saved.
    await step('boundary edit by dragging a vertex', page, async () => {
      assert(R, 'no parcel for the edit');
      const encR = encodeURIComponent(R);
      expectedRefusals.push({ path: `/api/parcels/${encR}`, status: 422 });
      const before = await api(`/api/parcels/${encR}`);
      const ring = (before.geometry.type === 'Polygon' ? before.geometry.coordinates : before.geometry.coordinates[0])[0];
      assert(ring.length >= 5, `${R}'s ring has ${ring.length} positions`);
      const [v0, v1, v2] = ring;
      const v3 = ring[ring.length - 2];
      const n = ring.length - 1;
      const c = ring.slice(0, n).reduce((a, p) => [a[0] + p[0] / n, a[1] + p[1] / n], [0, 0]);
      const cross = (a, b, p) => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
      const crosses = (a, b, p, q) => cross(a, b, p) * cross(a, b, q) < 0 && cross(p, q, a) * cross(p, q, b) < 0;
      // v0 dragged across the edge v1–v2: the edge from the last vertex to it then crosses v1–v2.
      const mid = [(v1[0] + v2[0]) / 2, (v1[1] + v2[1]) / 2];
      let bad = null;
      for (const k of [2, 2.5, 3, 4]) {
        const p = [c[0] + k * (mid[0] - c[0]), c[1] + k * (mid[1] - c[1])];
        if (crosses(v3, p, v1, v2) || crosses(p, v1, v2, v3)) (bad = p);
        if (bad) break;
      }
      assert(bad, 'found no self-intersecting position for the test');
      const b = bbox({ coordinates: [ring, [bad]] });
      await fitTo(page, b, { padding: { top: 120, bottom: 120, left: 380, right: 120 }, maxZoom: 18 }); // clear of the layer panel
      await settle(page);
      await page.click('#panel form[name=edit] [data-tool-act=boundary]');
      await page.waitForFunction(() => window.__map.getSource('edit-handles'), null, { timeout: WAIT });
      await settle(page);
      const box = await page.locator('#map').boundingBox();
      const px = (ll) => page.evaluate((ll) => { const p = window.__map.project(ll); return [p.x, p.y]; }, ll);
      const drag = async (from, to) => {
        const [a, b2] = [await px(from), await px(to)];
        await page.mouse.move(box.x + a[0], box.y + a[1]);
        await page.mouse.down();
        await page.mouse.move(box.x + (a[0] + b2[0]) / 2, box.y + (a[1] + b2[1]) / 2, { steps: 4 });
        await page.mouse.move(box.x + b2[0], box.y + b2[1], { steps: 4 });
        await page.mouse.up();
      };
      await drag(v0, bad);
      await page.click('#panel form[name=edit] button[type=submit]');
      await page.waitForSelector('#panel form[name=edit] [data-geometry-error]', { timeout: WAIT });
      const code = await page.getAttribute('#panel form[name=edit] [data-geometry-error]', 'data-geometry-error');
      const markers = await page.locator('#map .maplibregl-marker').count();
      const unchanged = await api(`/api/parcels/${encR}`);
      assert(code === 'self_intersection', `geometry error ${code}`);
      assert(markers === 1, `${markers} markers at the error location`);
      assert(unchanged.properties.version === before.properties.version, 'a refused boundary changed the parcel');
      await snap(page, 'boundary refused');
      // Start again from the stored boundary and pull v0 10% towards the middle.
      await page.click('#panel form[name=edit] [data-tool-act=reset]');
      await settle(page);
      const inward = [v0[0] + 0.1 * (c[0] - v0[0]), v0[1] + 0.1 * (c[1] - v0[1])];
      await drag(v0, inward);
      await page.click('#panel form[name=edit] button[type=submit]');
      await page.waitForFunction((v) => Number(document.querySelector('#panel form[name=edit]')?.dataset.version) > v, before.properties.version, { timeout: WAIT });
      const after = await api(`/api/parcels/${encR}`);
      // The service may start the ring elsewhere: look for the moved vertex anywhere in it.
      const ringAfter = (after.geometry.type === 'Polygon' ? after.geometry.coordinates : after.geometry.coordinates[0])[0];
      const nearest = (p) => Math.min(...ringAfter.map((q) => metres(p, q)));
      const shift = metres(inward, v0);
      assert(nearest(inward) < 2 && nearest(v0) > 1, `no vertex near the drop point (${nearest(inward).toFixed(1)} m) or one left at the old place (${nearest(v0).toFixed(1)} m)`);
      assert(await page.locator('#map .maplibregl-marker').count() === 0, 'the error marker stayed after a good save');
      return `self_intersection refused with a marker, nothing changed; a ${shift.toFixed(1)} m vertex move saved as version ${after.properties.version}`;
    });

    // 7d''. Drawing a new parcel (planning keeps the register): a crossed shape is refused with
    // a marker where it crosses and nothing is created; drawn again as a square (closed by a
    // double-click), with code, name and town, it is created, drawn by the tiles and its panel opens.
    const drawnCode = `E2E-${Date.now().toString(36).toUpperCase()}`;
    await step('draw a new parcel', page, async () => {
      const encD = encodeURIComponent(drawnCode);
      expectedRefusals.push({ path: '/api/parcels', status: 422 });
      await page.waitForSelector('#draw [data-draw=start]', { timeout: WAIT });
      // A stretch inside the district 300 m west of P, drawn in the map's lower right,
      // clear of the layer panel and the draw box.
      const [w, s, e, n] = pBox;
      await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 17 }), [w - 0.0035, (s + n) / 2]);
      await settle(page);
      const listBefore = Number((await listState(page)).matched);
      const box = await page.locator('#map').boundingBox();
      const anchor = [box.width * 0.72, box.height * 0.62];
      const centre = await page.evaluate(([x, y]) => window.__map.unproject([x, y]).toArray(), anchor);
      const at = async (dx, dy) => {
        const p = await page.evaluate((c) => window.__map.project(c), centre);
        return [box.x + p.x + dx, box.y + p.y + dy];
      };
      await page.click('#draw [data-draw=start]');
      await page.waitForSelector('#draw[data-mode=drawing]', { timeout: WAIT });
      // A bow-tie: its second and fourth edges cross in the middle.
      for (const [dx, dy] of [[-60, -60], [60, 60], [60, -60], [-60, 60]]) await page.mouse.click(...(await at(dx, dy)));
      await page.waitForSelector('#draw [data-vertices="4"]', { timeout: WAIT });
      await page.click('#draw [data-draw=finish]');
      await page.waitForSelector('#draw form[name=new-parcel]', { timeout: WAIT });
      const town = await page.inputValue('#draw select[name=town]');
      assert(/^110109\d{3}$/.test(town), `the town was not taken from the map: "${town}"`);
      await page.fill('#draw input[name=code]', drawnCode);
      await page.fill('#draw input[name=name]', 'e2e 图上新绘地块');
      await page.selectOption('#draw select[name=planned_use]', '1001');
      await page.click('#draw form[name=new-parcel] button[type=submit]');
      await page.waitForSelector('#draw [data-geometry-error]', { timeout: WAIT });
      const code = await page.getAttribute('#draw [data-geometry-error]', 'data-geometry-error');
      assert(code === 'self_intersection', `geometry error ${code}`);
      const markerAt = await page.evaluate(() => {
        const m = document.querySelector('#map .maplibregl-marker');
        const r = m?.getBoundingClientRect();
        return r ? [r.x + r.width / 2, r.y + r.height] : null; // the pin's tip
      });
      const middle = await at(0, 0);
      assert(markerAt && Math.hypot(markerAt[0] - middle[0], markerAt[1] - middle[1]) < 12, `marker at ${markerAt}, the crossing at ${middle}`);
      assert((await fetch(`${BASE}/api/parcels/${encD}`)).status === 404, 'a refused shape was stored');
      await snap(page, 'draw refused');
      // Again, as a square; a double-click on the fourth corner closes it. The form keeps what was typed.
      await page.click('#draw [data-draw=redraw]');
      await page.waitForSelector('#draw[data-mode=drawing]', { timeout: WAIT });
      assert((await page.locator('#map .maplibregl-marker').count()) === 0, 'the error marker stayed');
      // The form panned the map to keep the crossing in sight: pan back, as a user would.
      await page.evaluate(([c, a]) => {
        const m = window.__map;
        const p = m.project(c);
        m.panBy([p.x - a[0], p.y - a[1]], { duration: 0 });
      }, [centre, anchor]);
      await settle(page);
      for (const [dx, dy] of [[-60, -60], [60, -60], [60, 60]]) await page.mouse.click(...(await at(dx, dy)));
      await page.mouse.dblclick(...(await at(-60, 60)));
      await page.waitForSelector('#draw form[name=new-parcel]', { timeout: WAIT });
      assert((await page.inputValue('#draw input[name=code]')) === drawnCode, 'the typed code was lost');
      await page.click('#draw form[name=new-parcel] button[type=submit]');
      await page.waitForFunction((c) => document.querySelector('#panel')?.dataset.code === c && document.querySelector('#panel h2')?.textContent, drawnCode, { timeout: WAIT });
      const created = await api(`/api/parcels/${encD}`);
      const ring = (created.geometry.type === 'Polygon' ? created.geometry.coordinates : created.geometry.coordinates[0])[0];
      assert(ring.length === 5, `stored ring has ${ring.length} positions (a double-click added one twice?)`);
      assert(created.properties.town === town && created.properties.planned_use === '1001', `stored ${JSON.stringify(created.properties)}`);
      const side = Math.sqrt(created.properties.area_m2);
      await page.waitForFunction((n) => Number(document.querySelector('#list').dataset.matched) === n && document.querySelector('#list').dataset.loading !== 'true', listBefore + 1, { timeout: WAIT });
      await page.waitForTimeout(200);
      await settle(page);
      const codes = (await rendered(page, ['parcels-fill'])).map((f) => f.code);
      assert(codes.includes(drawnCode), `${drawnCode} is not drawn by the tiles`);
      assert(!(await page.isVisible('#draw form')), 'the draw form stayed open');
      return `bow-tie refused (self_intersection, marker at the crossing); ${drawnCode} created in ${town}, ${side.toFixed(0)} m square, on the map, list ${listBefore} → ${listBefore + 1}, panel open`;
    });

    // 7e. A review session for two parcels: created in the page, presented (the arrow key
    // moves to the second parcel and flies there), a conditional approval recorded.
    await step('review session created and a decision recorded', page, async () => {
      await page.click('#views [data-view=review]');
      await page.waitForSelector('#review[data-mode=list] [data-rv=new]:not([disabled])', { timeout: WAIT });
      await page.click('#review [data-rv=new]');
      const title = `e2e 图上会审 ${new Date().toISOString()}`;
      await page.fill('#review input[name=title]', title);
      await page.fill('#review input[name=participants]', '规自分局 张工，生态环境局 李工');
      await page.fill('#review textarea[name=agenda]', `${P}\n${Q.code}`);
      await page.click('#review form[name=review] button[type=submit]');
      await page.waitForFunction((code) => document.querySelector('#review')?.dataset.item === code, P, { timeout: WAIT });
      const id = await page.getAttribute('#review', 'data-session');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((code) => document.querySelector('#review')?.dataset.item === code, Q.code, { timeout: WAIT });
      await page.waitForTimeout(100);
      await settle(page);
      const centre = await page.evaluate(() => window.__map.getCenter().toArray());
      const qBox = bbox(far.geometry);
      const off = metres(centre, [(qBox[0] + qBox[2]) / 2, (qBox[1] + qBox[3]) / 2]);
      assert(off < 150, `presenting ${Q.code}: the map centre is ${off.toFixed(0)} m away`);
      const verdict = await page.getAttribute('#review [data-verdict]', 'data-verdict');
      assert(verdict, 'no supply check shown for the agenda item');
      await page.selectOption('#review select[name=decision]', 'approve_with_conditions');
      await page.fill('#review textarea[name=conditions]', '供地前完成土壤污染状况调查');
      await page.click('#review form[name=decision] button[type=submit]');
      await page.waitForSelector('#review [data-decision=approve_with_conditions]', { timeout: WAIT });
      const session = await api(`/api/reviews/${id}`);
      const item = session.agenda.find((a) => a.parcel === Q.code);
      assert(session.title === title && session.agenda.length === 2, `session ${id}: ${session.title}, ${session.agenda.length} items`);
      assert(session.participants.length === 2, `participants: ${JSON.stringify(session.participants)}`);
      assert(item?.decision?.decision === 'approve_with_conditions' && item.decision.conditions === '供地前完成土壤污染状况调查', `decision: ${JSON.stringify(item?.decision)}`);
      const minutes = await page.getAttribute('#review a[href$="minutes.csv"]', 'href');
      const csv = await fetch(`${BASE}${minutes}`);
      assert(csv.ok, `minutes.csv answered ${csv.status}`);
      await snap(page, 'review presenting');
      await page.click('#views [data-view=map]');
      return `session ${id} with ${P} and ${Q.code}; ${Q.code} supply ${verdict}, decision approve_with_conditions (checked via GET /api/reviews/${id})`;
    });

    // 7e'. A decision that writes its event: a transfer the rules refuse records no decision;
    // fixing the indicators is recorded with the approval and shows in the parcel's timeline.
    await step('review decision records the matching event', page, async () => {
      assert(await api(`/api/parcels/${encodeURIComponent(drawnCode)}`).catch(() => null), `no ${drawnCode} (the draw step failed)`);
      await page.click('#views [data-view=review]');
      if ((await page.getAttribute('#review', 'data-mode')) === 'present') await page.click('#review [data-rv=back]'); // the last session is still presented
      await page.waitForSelector('#review[data-mode=list] [data-rv=new]:not([disabled])', { timeout: WAIT });
      await page.click('#review [data-rv=new]');
      await page.fill('#review input[name=title]', `e2e 供地会审 ${new Date().toISOString()}`);
      await page.fill('#review textarea[name=agenda]', drawnCode);
      await page.click('#review form[name=review] button[type=submit]');
      await page.waitForFunction((code) => document.querySelector('#review')?.dataset.item === code, drawnCode, { timeout: WAIT });
      const id = await page.getAttribute('#review', 'data-session');
      expectedRefusals.push({ path: `/api/reviews/${id}/decisions`, status: 409 });
      assert(await page.isHidden('#review .decision-event'), 'the event fields show before they are asked for');
      await page.check('#review input[name=with_event]');
      assert(await page.isVisible('#review .decision-event'), 'the event fields do not show');
      assert((await page.inputValue('#review .decision-event select[name=kind]')) === 'indicators_fixed', 'an approval does not suggest indicators_fixed');
      await page.selectOption('#review .decision-event select[name=kind]', 'right_transferred');
      await page.click('#review form[name=decision] button[type=submit]');
      await page.waitForSelector('#review form[name=decision] .refusal[data-rule]', { timeout: WAIT });
      const rule = await page.getAttribute('#review form[name=decision] .refusal', 'data-rule');
      const refused = await api(`/api/reviews/${id}`);
      assert(!refused.agenda[0].decision, 'a decision was recorded although its event was refused');
      await page.selectOption('#review .decision-event select[name=kind]', 'indicators_fixed');
      await page.fill('#review .decision-event textarea[name=note]', 'e2e：会审同意，确定规划指标');
      await page.click('#review form[name=decision] button[type=submit]');
      await page.waitForSelector('#review [data-decision=approve] ', { timeout: WAIT });
      await page.waitForSelector('#review [data-event-id]', { timeout: WAIT });
      const eventId = Number(await page.getAttribute('#review [data-event-id]', 'data-event-id'));
      const session = await api(`/api/reviews/${id}`);
      assert(session.agenda[0].decision?.decision === 'approve', `decision ${JSON.stringify(session.agenda[0].decision)}`);
      const history = await api(`/api/parcels/${encodeURIComponent(drawnCode)}/history`);
      const ev = history.events.find((e) => e.id === eventId);
      assert(ev?.kind === 'indicators_fixed', `event #${eventId}: ${JSON.stringify(ev)}`);
      await snap(page, 'decision with event');
      await page.click('#review [data-rv=timeline]');
      await page.waitForFunction(
        (code) => document.body.dataset.view === 'map' && document.querySelector('#panel')?.dataset.code === code &&
          document.querySelector('#panel [data-section=history] li.event[data-kind=indicators_fixed]'),
        drawnCode,
        { timeout: WAIT },
      );
      const text = await page.textContent('#panel [data-section=history]');
      assert(text.includes('e2e：会审同意，确定规划指标'), 'the event note is not in the timeline');
      return `${rule} refused → no decision; approve + indicators_fixed recorded as event #${eventId}, shown in ${drawnCode}'s timeline`;
    });

    // 7e''. A demo parcel's own samples, as the service screens them: the arsenic hotspot its
    // phase-two conclusion names is the one exceedance in its panel.
    await step('panel screens a demo parcel\'s own samples', page, async () => {
      const sampled = (await api('/ogc/collections/sampling-points/items?limit=1')).features[0].properties.parcel;
      await page.goto('about:blank');
      await page.goto(`${BASE}/#parcel=${encodeURIComponent(sampled)}`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => document.querySelectorAll('#panel [data-section=exceedances] tbody tr').length === 1, null, { timeout: WAIT });
      const real = await page.textContent('#panel [data-section=exceedances]');
      assert(real.includes('砷') && real.includes('84'), `${sampled}: ${real}`);
      return `${sampled}: arsenic 84 mg/kg over screening, the one exceedance`;
    });

    // 7f. The dashboard draws the safe-utilization rates against their targets; a count
    // clicks through to its parcels on the map and in the list (code IN (…)).
    await step('dashboard renders the rates', page, async () => {
      const thisYear = new Date().getFullYear();
      let year = thisYear - 1;
      let stats = null;
      for (let y = thisYear - 1; y >= 2019; y--) {
        const s = await api(`/api/stats/safe-utilization?year=${y}`);
        // Farmland counts plots, not parcels: look for a year with a parcel rate.
        const parcelRate = (r) => r.denominator > 0 && r.definition.id !== 'contaminated_farmland';
        if (!stats || s.rates.some(parcelRate)) (stats = s), (year = y);
        if (s.rates.some(parcelRate)) break;
      }
      await page.click('#views [data-view=dashboard]');
      await page.waitForSelector('#dashboard[data-loading=false]', { timeout: WAIT });
      await page.selectOption('#dashboard select[name=year]', String(year));
      await page.waitForFunction((y) => document.querySelector('#dashboard[data-loading=false] select[name=year]')?.value === String(y), year, { timeout: WAIT });
      const bars = await page.$$eval('#dashboard li[data-rate]', (els) =>
        els.map((li) => ({
          id: li.dataset.rate,
          width: Number(li.querySelector('.rate-fill').getAttribute('width')),
          fill: li.querySelector('.rate-fill').getAttribute('fill'),
          met: li.querySelector('svg').dataset.met,
          text: li.querySelector('.rate-value').textContent,
        })),
      );
      assert(bars.length === stats.rates.length && bars.length > 0, `${bars.length} bars for ${stats.rates.length} rates`);
      for (const r of stats.rates) {
        const b = bars.find((x) => x.id === r.definition.id);
        assert(b, `no bar for ${r.definition.id}`);
        assert(Math.abs(b.width - 320 * (r.rate ?? 0)) < 0.5, `${r.definition.id}: bar ${b.width} for rate ${r.rate}`);
        assert((b.fill === '#c01c28') === (r.target_met === false), `${r.definition.id}: colour ${b.fill} with target_met ${r.target_met}`);
      }
      const plan = await api('/api/plan/tasks');
      const atRisk = plan.tasks.flatMap((t) => t.measures).filter((m) => m.at_risk).length;
      const shownAtRisk = Number(await page.getAttribute('#dashboard [data-at-risk]', 'data-at-risk'));
      assert(shownAtRisk === atRisk, `at-risk measures shown ${shownAtRisk}, API ${atRisk}`);
      // Farmland is weighed by area: its figures are hectares, the rate's own numbers.
      const farmland = stats.rates.find((r) => r.definition.id === 'contaminated_farmland');
      if (farmland) {
        const text = await page.textContent('#dashboard li[data-rate=contaminated_farmland] .small');
        const ha = (m2) => (m2 / 10000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        assert(text.includes(`${ha(farmland.numerator)} 公顷`) && text.includes(`${ha(farmland.denominator)} 公顷`), `farmland figures: ${text}`);
      }
      // The watchlist's cases, each with its rule: the demo's patch on a listed parcel among them.
      const watch = await api('/api/enforcement/watchlist');
      const cases = await page.$$eval('#dashboard [data-testid=watch-cases] li', (els) => els.map((e) => ({ id: e.dataset.case, text: e.textContent })));
      assert(cases.length === watch.cases.length && cases.length > 0, `${cases.length} cases shown, API ${watch.cases.length}`);
      const patch = cases.find((c) => c.id === 'WP-DEMO-001');
      assert(patch && patch.text.includes('卫片图斑 WP-DEMO-001') && patch.text.includes('名录内'), `patch case: ${JSON.stringify(patch)}`);
      await snap(page, 'dashboard');
      const counted = stats.rates.find((r) => r.definition.id !== 'contaminated_farmland' && r.safe.length + r.not_safe.length > 0);
      let through = 'no rate has parcels this year';
      if (counted) {
        const codes = [...new Set([...counted.safe, ...counted.not_safe].map((x) => (typeof x === 'string' ? x : x.parcel ?? x.code)))];
        await page.click(`#dashboard [data-codes="${counted.definition.id}:all"]`);
        await page.waitForFunction(
          (n) => document.body.dataset.view === 'map' && document.querySelector('#list').dataset.loading !== 'true' && document.querySelector('#list').dataset.matched === String(n),
          codes.length,
          { timeout: WAIT },
        );
        const listed = await page.$$eval('#list li[data-code]', (els) => els.map((e) => e.dataset.code));
        assert(listed.every((c) => codes.includes(c)), 'the list shows a parcel outside the clicked count');
        await page.click('#codefilter [data-act=clear-codes]');
        await page.waitForFunction(() => document.querySelector('#codefilter').hidden && document.querySelector('#list').dataset.loading !== 'true', null, { timeout: WAIT });
        through = `${counted.definition.id}: ${codes.length} parcels → list filtered by code`;
      }
      return `${year}: ${bars.map((b) => `${b.id} ${b.text}`).join(', ')}; ${atRisk} measures at risk; ${through}`;
    });

    // 7g. The import page: a surveyor's GeoJSON (Chinese columns) checked as a dry run; the
    // page polls the job and shows the report, and nothing is written.
    await step('import page checks a file and shows the report', page, async () => {
      await checkOnImportPage(page, 'survey.geojson', [
        [{ 地块编码: 'E2E-IMP-1', 地块名称: '导入测试一', 所属镇街: '永定镇' }, 115.6],
        [{ 地块编码: 'E2E-IMP-2', 地块名称: '导入测试二', 所属镇街: '火星镇' }, 115.603],
        [{ 地块编码: 'E2E-IMP-4', 地块名称: '导入测试四', 所属镇街: '永定镇', 面积: 1 }, 115.606],
      ]);
      await page.waitForSelector('[data-testid=summary]', { timeout: WAIT });
      const summary = await page.textContent('[data-testid=summary]');
      assert(summary.includes('features 3') && summary.includes('new 1') && summary.includes('rejected 2'), `summary: ${summary}`);
      assert(summary.includes('nothing written'), 'a dry run wrote');
      // the phase's own count: at the end, every feature gone through
      const status = await page.textContent('#status');
      assert(status.includes('完成 done 3 / 3'), `status: ${status}`);
      const counted = await page.textContent('[data-testid=problem-counts]');
      assert(counted.includes('invalid_attribute (unknown_town) × 1') && counted.includes('area_mismatch × 1'), `problem counts: ${counted}`);
      const rejected = await page.textContent('tr.rejected');
      assert(rejected.includes('unknown_town'), `rejected row: ${rejected}`);
      // The report as CSV, for the surveyor: a line per problem, with a BOM for Excel.
      const csv = await page.evaluate(async () => {
        const href = document.querySelector('[data-testid=report-csv]').href;
        return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await fetch(href)).arrayBuffer());
      });
      const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
      assert(csv.startsWith('\ufeff') && lines[0] === 'feature,code,outcome,problem,reason,message,repair,x,y', `CSV head: ${lines[0]}`);
      assert(lines.some((l) => l.startsWith('2,E2E-IMP-2,rejected,invalid_attribute,unknown_town,')), `CSV lines: ${lines.join(' | ')}`);
      assert(lines.some((l) => l.startsWith('1,E2E-IMP-1,new,')), `CSV lines: ${lines.join(' | ')}`);
      const mismatch = lines.find((l) => l.startsWith('3,E2E-IMP-4,rejected,area_mismatch,'))?.split(',');
      assert(mismatch && Number(mismatch.at(-2)) > 115.606 && Number(mismatch.at(-1)) > 39.94, `CSV lines: ${lines.join(' | ')}`);
      const stored = await fetch(`${BASE}/api/parcels/E2E-IMP-1`);
      assert(stored.status === 404, `the dry run stored E2E-IMP-1 (HTTP ${stored.status})`);
      // The mapping chooser shows what the guesses took from the Chinese column names.
      const chosen = await page.$$eval('#mapping select', (els) => Object.fromEntries(els.map((e) => [e.name, e.value])));
      assert(chosen.code === '地块编码' && chosen.name === '地块名称' && chosen.town === '所属镇街' && chosen.address === '',
        `mapping chooser: ${JSON.stringify(chosen)}`);
      // A problem's place opens the map there, marked.
      const onMap = await page.getAttribute('tr.rejected [data-testid=on-map]', 'href');
      const [x, y] = onMap.replace('/#at=', '').split(',').map(Number);
      await page.click('tr.rejected [data-testid=on-map]');
      await page.waitForSelector('[data-testid=marked-point]', { timeout: WAIT });
      const center = await page.evaluate(() => window.__map.getCenter().toArray());
      assert(Math.abs(center[0] - x) < 1e-6 && Math.abs(center[1] - y) < 1e-6 && x > 115.606 && x < 115.607, `map at ${center}, problem at ${x},${y}`);
      await page.waitForSelector('#list li[data-code]', { timeout: WAIT });
      return summary.replace(/\s+/g, ' ').trim();
    });

    // 7g'. A column no guess knows holds the code: the check fails, the chooser lists the
    // file's columns, and choosing one there imports the same file without re-picking it.
    await step('import page: choose the code column, then import', page, async () => {
      await checkOnImportPage(page, 'tuban.geojson', [[{ 图斑号: 'E2E-IMP-3', 地块名称: '导入测试三', 所属镇街: '永定镇' }, 115.6]]);
      await page.waitForSelector('#review:not([hidden])', { timeout: WAIT });
      const failed = await page.textContent('#status');
      assert(failed.includes('failed') && failed.includes('parcel code'), `status: ${failed}`);
      const columns = await page.$$eval('#mapping select[name=code] option', (els) => els.map((e) => e.value));
      assert(columns.includes('图斑号') && columns.includes('所属镇街'), `code choices: ${columns}`);
      await page.selectOption('#mapping select[name=code]', '图斑号');
      await page.fill('input[name=source]', 'E2E测绘队');
      await page.click('#review [data-act=import]');
      await page.waitForFunction(() => /committed/.test(document.querySelector('#status').textContent), null, { timeout: WAIT });
      const summary = await page.textContent('[data-testid=summary]');
      assert(summary.includes('written 1') && summary.includes('已提交 committed'), `summary: ${summary}`);
      // The recent imports list it: the file, into the register, by whom, committed.
      await page.waitForFunction(() => /tuban\.geojson/.test(document.querySelector('#recent tbody tr')?.textContent || ''), null, { timeout: WAIT });
      const latest = await page.textContent('#recent tbody tr');
      assert(latest.includes('地块 Parcels') && latest.includes('demo-planning') && latest.includes('committed') && latest.includes('1 / 1 / 0'), `recent: ${latest}`);
      const map = await page.inputValue('textarea[name=map]');
      assert(map.split('\n').includes('code=图斑号'), `mapping sent: ${map}`);
      const res = await fetch(`${BASE}/api/parcels/E2E-IMP-3`);
      assert(res.ok, `E2E-IMP-3 not stored (HTTP ${res.status})`);
      const parcel = await res.json();
      assert(parcel.properties.name === '导入测试三' && parcel.properties.town === '110109006', `stored: ${JSON.stringify(parcel.properties)}`);
      // The source's mapping was saved: the page offers the source at once, and again when
      // opened anew, and shows its mapping.
      await page.waitForFunction(() => document.querySelector('#sources option[value="E2E测绘队"]'), null, { timeout: WAIT });
      await page.goto(`${BASE}/imports`);
      await page.waitForFunction(() => document.querySelector('#sources option[value="E2E测绘队"]'), null, { timeout: WAIT });
      await page.fill('input[name=source]', 'E2E测绘队');
      const saved = await page.textContent('#saved');
      assert(saved.includes('code=图斑号'), `saved mapping: ${saved}`);
      await page.goto(BASE);
      await page.waitForSelector('#list li[data-code]', { timeout: WAIT });
      return summary.replace(/\s+/g, ' ').trim();
    });

    // 7g''. A corrected file: refused as taken by a check, then written over the parcel
    // when updates are asked for; the choice is offered for parcels only.
    await step('import page: a corrected file updates the parcel it names', page, async () => {
      const corrected = [[{ 地块编码: 'E2E-IMP-3', 地块名称: '导入测试三（更正）', 所属镇街: '永定镇' }, 115.6]];
      await checkOnImportPage(page, 'corrected.geojson', corrected);
      await page.waitForFunction(() => /dry_run/.test(document.querySelector('#status').textContent), null, { timeout: WAIT });
      const checked = await page.textContent('[data-testid=summary]');
      assert(checked.includes('rejected 1') && (await page.textContent('tr.rejected')).includes('code_taken'), `check: ${checked}`);
      assert(await page.isVisible('#update-choice'), 'no update choice for parcels');
      await page.check('input[name=existing]');
      await page.selectOption('select[name=mode]', 'all_or_nothing');
      await page.click('#form button[type=submit]');
      await page.waitForFunction(() => /committed/.test(document.querySelector('#status').textContent), null, { timeout: WAIT });
      const summary = await page.textContent('[data-testid=summary]');
      assert(summary.includes('updated 1') && summary.includes('written 1'), `summary: ${summary}`);
      const change = await page.textContent('tr.updated [data-testid=change]');
      assert(change === 'name: 导入测试三 → 导入测试三（更正）', `change shown: ${change}`);
      const parcel = await (await fetch(`${BASE}/api/parcels/E2E-IMP-3`)).json();
      assert(parcel.properties.name === '导入测试三（更正）' && parcel.properties.version === 2, `stored: ${JSON.stringify(parcel.properties)}`);
      // a ledger's rows are not updated by an import: the choice goes away, unchecked
      const ledger = await page.$eval('select[name=into]', (s) => [...s.options].find((o) => o.value !== 'parcels')?.value);
      await page.selectOption('select[name=into]', ledger);
      assert(!(await page.isVisible('#update-choice')) && !(await page.isChecked('input[name=existing]')), `update choice shown for ${ledger}`);
      await page.goto(BASE);
      await page.waitForSelector('#list li[data-code]', { timeout: WAIT });
      return `${summary.replace(/\s+/g, ' ').trim()}; hidden for ${ledger}`;
    });

    // 7g-cancel. A long import (60,000 parcels) cancelled from the page while it runs: the
    // job ends cancelled and none of its parcels is in the register.
    await step('import page: a running import is cancelled', page, async () => {
      const features = [];
      for (let i = 0; i < 60000; i++) {
        const [x, y] = [115.62 + (i % 300) * 0.0011, 39.8 + Math.floor(i / 300) * 0.0011];
        features.push({ type: 'Feature', properties: { 地块编码: `E2E-CAN-${i}`, 所属镇街: '永定镇' },
          geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]] } });
      }
      await page.goto(`${BASE}/imports`);
      await page.fill('#token', 'demo-planning-token');
      await page.setInputFiles('input[name=file]', { name: 'big.geojson', mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })) });
      await page.selectOption('select[name=mode]', 'all_or_nothing');
      await page.click('#form button[type=submit]');
      await page.waitForSelector('#cancel:not([hidden])', { timeout: WAIT });
      const phase = await page.textContent('#status');
      await page.click('#cancel');
      await page.waitForFunction(() => /cancelled/.test(document.querySelector('#status').textContent), null, { timeout: WAIT });
      const id = new URL(page.url()).hash.slice(1);
      const job = await api(`/api/imports/${id}`);
      assert(job.status === 'cancelled' && /nothing was written/.test(job.error), `job: ${job.status} ${job.error}`);
      assert(await page.isHidden('#cancel'), 'the cancel button stayed');
      const stored = await api('/api/parcels?q=E2E-CAN&limit=1');
      assert(stored.numberMatched === 0, `${stored.numberMatched} parcels of the cancelled import are in the register`);
      await page.goto(BASE);
      await page.waitForSelector('#list li[data-code]', { timeout: WAIT });
      return `cancelled while ${phase.replace(/^.*— /, '')}; ${job.error}`;
    });

    // 7h. The export box: its link carries the map's filter (and, on request, the view's
    // bounds); the file it names holds what the list counts.
    await step('export link follows the filter and the view', page, async () => {
      await page.click('#exports summary');
      const before = await listState(page);
      const town = listed.properties.town;
      await page.selectOption('#filters select[name=town]', town);
      const after = await waitListLoaded(page, before.matched);
      await page.selectOption('#exports select[name=format]', 'geojson');
      await page.selectOption('#exports select[name=crs]', 'EPSG:4548');
      const href = await page.getAttribute('[data-testid=export-link]', 'href');
      const q = new URL(href, BASE).searchParams;
      const cql = await page.textContent('#filters [data-cql]');
      assert(q.get('filter') === cql && cql === `town = '${town}'`, `export filter ${q.get('filter')}, map ${cql}`);
      assert(q.get('format') === 'geojson' && q.get('crs') === 'EPSG:4548' && !q.has('bbox'), `export link ${href}`);
      const res = await fetch(new URL(href, BASE));
      assert(res.ok, `export HTTP ${res.status}`);
      const fc = await res.json();
      assert(fc.features.length === Number(after.matched), `exported ${fc.features.length}, the list ${after.matched}`);
      assert(fc.features.every((f) => f.properties.town === town), 'a parcel of another town was exported');
      const [x, y] = fc.features[0].geometry.coordinates[0][0][0];
      assert(x > 300000 && x < 500000 && y > 4300000 && y < 4500000, `not CM 117°E metres: ${x}, ${y}`);
      // Only the current view: the bounds join the link.
      await page.check('#exports input[name=view]');
      const viewHref = await page.getAttribute('[data-testid=export-link]', 'href');
      const bbox = new URL(viewHref, BASE).searchParams.get('bbox')?.split(',').map(Number);
      const shown = await page.evaluate(() => window.__map.getBounds().toArray().flat());
      assert(bbox?.length === 4 && bbox.every((v, i) => Math.abs(v - shown[i]) < 1e-5), `bbox ${bbox} for the view ${shown}`);
      const importHref = await page.getAttribute('[data-testid=import-link]', 'href');
      assert(importHref === '/imports', `import link ${importHref}`);
      await snap(page, 'export box with the filter and the view');
      await page.uncheck('#exports input[name=view]');
      // The land-approval exchange text: GBK, in zone 39 when no zone is chosen, one
      // header line (…,@) per parcel the list counts.
      await page.selectOption('#exports select[name=format]', 'txt');
      await page.selectOption('#exports select[name=crs]', 'EPSG:4490');
      const txtHref = await page.getAttribute('[data-testid=export-link]', 'href');
      const txtQ = new URL(txtHref, BASE).searchParams;
      assert(txtQ.get('format') === 'txt' && !txtQ.has('crs'), `exchange link ${txtHref}`);
      const txtRes = await fetch(new URL(txtHref, BASE));
      assert(txtRes.ok, `exchange export HTTP ${txtRes.status}`);
      const txt = new TextDecoder('gbk').decode(await txtRes.arrayBuffer());
      const headers = txt.split('\r\n').filter((l) => l.endsWith(',@'));
      assert(txt.includes('带号=39') && headers.length === Number(after.matched), `exchange text: ${headers.length} parcels, the list ${after.matched}`);
      await page.selectOption('#exports select[name=format]', 'gpkg');
      await page.click('#filters [data-act=clear]');
      await waitListLoaded(page, after.matched);
      return `${fc.features.length} parcels of ${town} in EPSG:4548 and as an exchange text; view bbox ${bbox.map((v) => v.toFixed(3)).join(',')}`;
    });

    // 7b. The page's code lists (mirrored in web/src/vocab.js for the first paint and the
    // English names) say what the service says.
    await step('code lists agree with the service', page, async () => {
      const served = (await api('/api/towns')).features.map((f) => f.properties);
      const mirror = new Map(TOWNS.map((t) => [t.id, t]));
      assert(served.length === TOWNS.length, `${TOWNS.length} towns in vocab.js, ${served.length} served`);
      for (const t of served) {
        const m = mirror.get(t.code);
        assert(m, `town ${t.code} ${t.name_zh} is not in vocab.js`);
        assert(m.zh === t.name_zh && m.en === t.name_en, `town ${t.code}: vocab.js ${m.zh} / ${m.en}, served ${t.name_zh} / ${t.name_en}`);
      }
      const uses = new Map((await api('/api/land-uses')).land_uses.map((u) => [u.code, u.name_zh]));
      for (const [code, [zh]] of Object.entries(LAND_USES)) {
        assert(uses.has(code), `land use ${code} ${zh} in vocab.js is not a code of the service`);
        assert(uses.get(code) === zh, `land use ${code}: vocab.js ${zh}, served ${uses.get(code)}`);
      }
      for (const code of [...USE_FILTERS, ...SUPPLY_USES]) assert(uses.has(code), `filter use ${code} is not a code of the service`);
      return `${served.length} towns, ${Object.keys(LAND_USES).length} of ${uses.size} land uses`;
    });

    // 8. Nothing went wrong in the console, and nothing left the service's host.
    await step('console has no errors', page, async () => {
      await settle(page);
      assert(consoleErrors.length === 0, `${consoleErrors.length} errors: ${consoleErrors.slice(0, 3).join(' | ')}`);
      return '';
    });
    await step('no request leaves the service host', page, async () => {
      const foreign = requests.filter((r) => {
        const u = new URL(r.url);
        if (['data:', 'blob:', 'about:'].includes(u.protocol)) return false;
        return u.host !== baseHost;
      });
      const tiles = requests.filter((r) => r.url.includes('/tiles/')).length;
      assert(tiles > 0, 'no tile request was seen: the request log is not working');
      assert(foreign.length === 0, `${foreign.length} foreign requests, e.g. ${foreign[0]?.url}`);
      return `${requests.length} requests, all to ${baseHost} (${tiles} tiles)`;
    });
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => {
  console.error('e2e: timed out after 10 minutes');
  process.exit(2);
}, 600_000);

let fatal = null;
try {
  await main();
} catch (e) {
  fatal = e;
  console.error(`e2e: ${e.stack || e.message}`);
}
clearTimeout(watchdog);

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (fatal ? 1 : 0);
writeFileSync(
  join(ARTIFACTS, 'report.json'),
  JSON.stringify({ base: BASE, results, timings, notes, consoleErrors, requests }, null, 2),
);
console.log('\nsoilreg web e2e');
console.log(`  base URL:                   ${BASE}`);
console.log(`  artifacts:                  ${ARTIFACTS}`);
if (timings.firstParcelsIdleMs !== undefined) {
  console.log(`  first meaningful paint:     ${timings.firstParcelsIdleMs} ms (navigation → first idle with parcels rendered)`);
  console.log(`  DOMContentLoaded / load:    ${timings.domContentLoadedMs} ms / ${timings.loadMs} ms`);
}
console.log(`  requests:                   ${requests.length}`);
for (const n of notes) console.log(`  NOTE: ${n}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
