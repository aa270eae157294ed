#!/usr/bin/env node
// Panning and zooming the map in Chromium over a large register, frame by frame.
//
//   node bench/map-pan.mjs BASE_URL [OUT_DIR]      (bench/map-pan.sh sets up 100,000 parcels)
//
// Drives the same headless Chromium as web/e2e (SwiftShader WebGL: software rendering, so
// frame times are an upper bound of what a GPU desktop sees). Each scenario moves the camera
// programmatically from a requestAnimationFrame loop and records the interval between frames;
// the report gives frames, median, p95, p99 and worst frame time, the share of frames over
// 50 ms, the tiles fetched, and how long the map took to settle (every tile in) afterwards.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// playwright-core is the web front end's dev dependency (web/node_modules).
const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '../web');
const { chromium } = createRequire(join(WEB, 'package.json'))('playwright-core');

const BASE = (process.argv[2] || 'http://127.0.0.1:18080').replace(/\/$/, '');
const OUT = resolve(process.argv[3] || resolve(WEB, '../bench/out'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// MAP_PAN_VIEWPORT=960x600 for a smaller canvas (software rendering costs per pixel).
const [VW, VH] = (process.env.MAP_PAN_VIEWPORT || '1440x900').split('x').map(Number);
// The eastern valley towns, where the generated parcels are densest.
const EAST = [116.1, 39.94];

/** Camera moves, each run inside the page from a requestAnimationFrame loop. */
const SCENARIOS = [
  // A steady drag across the dense east at parcel-polygon zoom: 400 px/s, turning every 2 s.
  { name: 'pan z15 (polygons)', start: { center: EAST, zoom: 15 }, kind: 'pan', zoom: 15, seconds: 10 },
  // The same at z13, where parcels are aggregated points.
  { name: 'pan z13 (aggregates)', start: { center: EAST, zoom: 13 }, kind: 'pan', zoom: 13, seconds: 10 },
  // Zoom out to the district and back in, twice (wheel-like continuous zoom).
  { name: 'zoom 16 ⇄ 11', start: { center: EAST, zoom: 16 }, kind: 'zoom', from: 16, to: 11, seconds: 8 },
  // The floor: the first pan with the parcel layers hidden (background, outline, towns and
  // the small layers only), to tell the renderer's own cost from the parcels'.
  { name: 'pan z15, no parcels', start: { center: EAST, zoom: 15 }, kind: 'pan', zoom: 15, seconds: 10, hideParcels: true },
];

function stats(dts) {
  const s = [...dts].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return {
    frames: s.length,
    median_ms: +q(0.5).toFixed(1),
    p95_ms: +q(0.95).toFixed(1),
    p99_ms: +q(0.99).toFixed(1),
    max_ms: +s[s.length - 1].toFixed(1),
    over_50ms: +(s.filter((x) => x > 50).length / s.length).toFixed(3),
    fps: +(1000 / (s.reduce((a, b) => a + b, 0) / s.length)).toFixed(1),
  };
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'soilreg-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: VW, height: VH }, locale: 'zh-CN',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  let tiles = 0;
  let foreign = 0;
  const host = new URL(BASE).host;
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol.startsWith('http') && u.host !== host) foreign += 1;
    if (u.pathname.startsWith('/tiles/parcels/')) tiles += 1;
  });
  const report = { base: BASE, parcels: null, viewport: `${VW}×${VH}`, renderer: 'SwiftShader (software WebGL)', scenarios: [] };
  try {
    report.parcels = (await (await fetch(`${BASE}/ogc/collections/parcels/items?limit=1`)).json()).numberMatched ?? '> 10,000';
    const t0 = Date.now();
    await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.__map && window.__firstParcelsIdleMs, null, { timeout: 60_000 });
    report.first_parcels_idle_ms = Date.now() - t0;
    report.browser = await page.evaluate(() => {
      const gl = window.__map.getCanvas().getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return { cores: navigator.hardwareConcurrency, gl_renderer: info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : null, dpr: devicePixelRatio };
    });
    for (const sc of SCENARIOS) {
      // Start from a settled map: every tile of the start view in (waited for in one go, so
      // an 'idle' between two calls cannot be missed).
      await page.evaluate(
        (start) =>
          new Promise((resolve) => {
            const m = window.__map;
            m.jumpTo(start);
            const check = () => (!m.isMoving() && m.loaded() ? resolve() : m.once('idle', () => resolve()));
            requestAnimationFrame(() => requestAnimationFrame(check));
          }),
        sc.start,
      );
      await page.evaluate((hide) => {
        for (const id of ['parcel-clusters', 'parcels-fill', 'parcels-line', 'parcels-selected']) window.__map.setLayoutProperty(id, 'visibility', hide ? 'none' : 'visible');
      }, Boolean(sc.hideParcels));
      const before = tiles;
      const result = await page.evaluate(
        (sc) =>
          new Promise((resolve) => {
            const m = window.__map;
            const dts = [];
            let first = null;
            let last = null;
            const step = (now) => {
              if (first === null) first = last = now;
              const dt = now - last;
              if (dt > 0) dts.push(dt);
              last = now;
              const t = (now - first) / 1000;
              if (sc.kind === 'pan') {
                const leg = Math.floor(t / 2) % 4; // right, down, left, up
                const v = 400 * (dt / 1000);
                const [dx, dy] = [[v, 0], [0, v], [-v, 0], [0, -v]][leg];
                m.panBy([dx, dy], { duration: 0 });
              } else {
                const phase = (t / (sc.seconds / 2)) % 2; // 0→1 out, 1→2 back in
                const f = phase < 1 ? phase : 2 - phase;
                m.jumpTo({ zoom: sc.from + (sc.to - sc.from) * f });
              }
              if (t < sc.seconds) requestAnimationFrame(step);
              else {
                const moved = performance.now();
                const done = () => resolve({ dts, settle_ms: Math.round(performance.now() - moved) });
                const check = () => (!m.isMoving() && m.loaded() ? done() : m.once('idle', done));
                requestAnimationFrame(() => requestAnimationFrame(check));
              }
            };
            requestAnimationFrame(step);
          }),
        sc,
      );
      const entry = { name: sc.name, seconds: sc.seconds, ...stats(result.dts), tiles: tiles - before, settle_ms: result.settle_ms };
      report.scenarios.push(entry);
      console.log(`${sc.name.padEnd(22)} ${String(entry.frames).padStart(5)} frames  median ${entry.median_ms} ms  p95 ${entry.p95_ms} ms  p99 ${entry.p99_ms} ms  max ${entry.max_ms} ms  >50 ms ${(entry.over_50ms * 100).toFixed(1)}%  ${entry.fps} fps  ${entry.tiles} tiles, settled ${entry.settle_ms} ms after`);
      await page.screenshot({ path: join(OUT, `map-pan-${report.scenarios.length}.png`) });
    }
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  report.page_errors = errors;
  report.foreign_requests = foreign;
  writeFileSync(join(OUT, 'map-pan.json'), JSON.stringify(report, null, 2));
  console.log(`parcels: ${report.parcels}; first parcels idle ${report.first_parcels_idle_ms} ms; page errors ${errors.length}; foreign requests ${foreign}; report ${join(OUT, 'map-pan.json')}`);
  if (errors.length || foreign) process.exit(1);
}

await main();
