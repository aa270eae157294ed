// "Draw a new parcel" on the map, for users whose role keeps the register (GET /api/me):
// click to place vertices, double-click or 完成 to close the ring, then a small form for
// what POST /api/parcels requires (code, name, town) and the usual optional attributes.
// Drawn with a GeoJSON source and three layers; no drawing library. A refused boundary
// (422) shows where it is wrong, like the boundary editor; on success the parcel's panel
// opens and the tiles and list load again (the service dropped the touched tiles).
import * as api from './api.js';
import { showGeometryError } from './edit.js';
import { toGcj02 } from './gcj02.js';
import { refusalHtml } from './eventform.js';
import { onLangChange, riskName, t, townName, useName } from './i18n.js';
import { esc } from './format.js';
import { LAND_USES, RISKS, TOWNS } from './vocab.js';

const SOURCE = 'draw-shape';
const LAYERS = ['draw-fill', 'draw-line', 'draw-vertices'];
/** Two clicks closer than this (screen pixels) are one vertex: a double-click clicks twice. */
const SAME_VERTEX_PX = 4;

const round7 = (x) => Number(x.toFixed(7));

/** Whether [x, y] lies inside a polygon's rings (even-odd rule). */
function inside([x, y], rings) {
  let odd = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

/** The town whose boundary holds a point, from the map's town layer (a default for the form). */
function townAt(map, point) {
  for (const f of map.querySourceFeatures('towns')) {
    const g = f.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    if (polys.some((rings) => inside(point, rings))) return f.properties.code ?? String(f.id ?? '');
  }
  return '';
}

/**
 * The draw tool on `map`, its button and form in `root` (over the map).
 * onCreated(feature) after a 201; isDrawing() lets other click handlers stand aside.
 */
export function createDrawTool(root, { map, onCreated }) {
  let mode = 'off'; // off | drawing | form
  let may = false; // from /api/me: this token keeps the register
  let vertices = []; // [lon, lat]
  let cursor = null; // the pointer, for the rubber band
  let marker = null;
  let result = '';
  let typed = null; // the form's values while the boundary is drawn again

  const clearMarker = () => {
    marker?.remove();
    marker = null;
  };

  const shape = () => {
    const features = [];
    const ring = mode === 'drawing' && cursor ? [...vertices, cursor] : vertices;
    if (ring.length >= 3) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } });
    else if (ring.length === 2) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: ring } });
    for (const v of vertices) features.push({ type: 'Feature', properties: { vertex: true }, geometry: { type: 'Point', coordinates: v } });
    return { type: 'FeatureCollection', features };
  };

  const draw = () => map.getSource(SOURCE)?.setData(shape());

  const addLayers = () => {
    if (map.getSource(SOURCE)) return;
    map.addSource(SOURCE, { type: 'geojson', data: shape() });
    map.addLayer({ id: 'draw-fill', type: 'fill', source: SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#e66100', 'fill-opacity': 0.18 } });
    map.addLayer({ id: 'draw-line', type: 'line', source: SOURCE, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#e66100', 'line-width': 2, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: 'draw-vertices', type: 'circle', source: SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 5, 'circle-color': '#fff', 'circle-stroke-color': '#e66100', 'circle-stroke-width': 2 } });
  };
  const removeLayers = () => {
    for (const id of LAYERS) if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource(SOURCE)) map.removeSource(SOURCE);
  };

  const near = (a, b) => {
    const [p, q] = [map.project(a), map.project(b)];
    return Math.hypot(p.x - q.x, p.y - q.y) < SAME_VERTEX_PX;
  };
  const onClick = (e) => {
    if (mode !== 'drawing') return;
    const v = [round7(e.lngLat.lng), round7(e.lngLat.lat)];
    if (vertices.length && near(vertices[vertices.length - 1], v)) return;
    vertices.push(v);
    draw();
    render();
  };
  const onMove = (e) => {
    if (mode !== 'drawing' || !vertices.length) return;
    cursor = [e.lngLat.lng, e.lngLat.lat];
    draw();
  };
  const onDblClick = (e) => {
    if (mode !== 'drawing') return;
    e.preventDefault();
    finish();
  };
  const onKey = (e) => {
    if (mode === 'off' || e.target.closest('input, select, textarea')) return;
    if (e.key === 'Escape') cancel();
    if (e.key === 'Enter' && mode === 'drawing') finish();
    if (e.key === 'Backspace' && mode === 'drawing') undo();
  };

  const start = () => {
    clearMarker();
    mode = 'drawing';
    vertices = [];
    cursor = null;
    result = '';
    addLayers();
    draw();
    map.doubleClickZoom.disable();
    map.getCanvas().style.cursor = 'crosshair';
    map.on('click', onClick);
    map.on('mousemove', onMove);
    map.on('dblclick', onDblClick);
    render();
  };
  const stopListening = () => {
    map.off('click', onClick);
    map.off('mousemove', onMove);
    map.off('dblclick', onDblClick);
    map.doubleClickZoom.enable();
    map.getCanvas().style.cursor = '';
  };
  /**
   * Pans the map when a position is hidden under the draw box (or the layer panel beside
   * it), so the drawn shape and an error marker stay in sight while the form is open.
   */
  const reveal = (lngLat) => {
    const mapRect = map.getContainer().getBoundingClientRect();
    const right = root.getBoundingClientRect().left - mapRect.left;
    const layers = root.parentElement?.querySelector('.layers');
    const left = layers ? layers.getBoundingClientRect().right - mapRect.left : 0;
    const p = map.project(lngLat);
    if (p.x > left + 10 && p.x < right - 10) return;
    const target = [(Math.max(left, 0) + Math.max(right, left + 40)) / 2, mapRect.height / 2];
    map.panBy([p.x - target[0], p.y - target[1]], { duration: 0 });
  };
  const centroid = () => vertices.reduce((a, v) => [a[0] + v[0] / vertices.length, a[1] + v[1] / vertices.length], [0, 0]);

  const finish = () => {
    if (vertices.length < 3) {
      result = `<p class="error">${esc(t('draw_need_three'))}</p>`;
      render();
      return;
    }
    stopListening();
    cursor = null;
    mode = 'form';
    draw();
    render();
    reveal(centroid());
  };
  const undo = () => {
    vertices.pop();
    draw();
    render();
  };
  const cancel = () => {
    stopListening();
    clearMarker();
    removeLayers();
    mode = 'off';
    vertices = [];
    result = '';
    typed = null;
    render();
  };

  const geometry = () => ({ type: 'Polygon', coordinates: [[...vertices, vertices[0]]] });

  const formView = () => {
    const town = townAt(map, vertices[0]);
    const opt = (id, label, selected) => `<option value="${esc(id)}"${id === selected ? ' selected' : ''}>${esc(label)}</option>`;
    const uses = Object.keys(LAND_USES);
    return `<form class="write-form" name="new-parcel">
      <label><span>${esc(t('code'))} *</span><input name="code" required maxlength="40" pattern="[A-Za-z0-9._\\-]+" title="${esc(t('code_hint'))}" /></label>
      <label><span>${esc(t('name'))} *</span><input name="name" required maxlength="500" /></label>
      <label><span>${esc(t('town'))} *</span><select name="town" required><option value=""></option>${TOWNS.map((x) => opt(x.id, townName(x.id), town)).join('')}</select></label>
      <label><span>${esc(t('address'))}</span><input name="address" maxlength="500" /></label>
      <label><span>${esc(t('current_use'))}</span><select name="current_use"><option value=""></option>${uses.map((u) => opt(u, useName(u), '')).join('')}</select></label>
      <label><span>${esc(t('planned_use'))}</span><select name="planned_use"><option value=""></option>${uses.map((u) => opt(u, useName(u), '')).join('')}</select></label>
      <label><span>${esc(t('risk'))}</span><select name="risk">${RISKS.map((r) => opt(r.id, riskName(r.id), 'unknown')).join('')}</select></label>
      <div class="form-foot"><button type="button" data-draw="redraw">${esc(t('draw_again'))}</button>
        <button type="button" data-draw="cancel">${esc(t('cancel'))}</button><button type="submit">${esc(t('create'))}</button></div>
      <div class="write-result" aria-live="polite">${result}</div>
    </form>`;
  };

  const render = () => {
    root.hidden = !may;
    root.dataset.mode = mode;
    if (!may) {
      root.innerHTML = '';
      return;
    }
    if (mode === 'off') {
      root.innerHTML = `<button type="button" class="draw-start" data-draw="start">${esc(t('draw_parcel'))}</button>`;
      return;
    }
    const head = `<div class="draw-head"><strong>${esc(t('draw_parcel'))}</strong>
      <button type="button" class="link" data-draw="cancel" aria-label="${esc(t('cancel'))}">×</button></div>`;
    if (mode === 'drawing') {
      root.innerHTML = `${head}<p class="small">${esc(t('draw_hint'))}</p>
        <p class="small muted" data-vertices="${vertices.length}">${esc(t('draw_vertices', { n: vertices.length }))}</p>
        <div class="form-foot"><button type="button" data-draw="undo" ${vertices.length ? '' : 'disabled'}>${esc(t('draw_undo'))}</button>
          <button type="button" data-draw="finish" ${vertices.length >= 3 ? '' : 'disabled'}>${esc(t('draw_finish'))}</button></div>
        <div class="write-result" aria-live="polite">${result}</div>`;
      return;
    }
    // Keep what was typed when the form is drawn again (language switch, drawing again).
    keepTyped();
    root.innerHTML = `${head}${formView()}`;
    if (typed) for (const [k, v] of Object.entries(typed)) root.querySelector(`[name="${k}"]`).value = v;
  };
  const keepTyped = () => {
    const form = root.querySelector('form[name=new-parcel]');
    if (form) typed = Object.fromEntries(new FormData(form));
  };

  root.addEventListener('click', (e) => {
    const act = e.target.closest('button[data-draw]')?.dataset.draw;
    if (act === 'redraw') keepTyped();
    if (act === 'start') typed = null;
    if (act === 'start' || act === 'redraw') start();
    if (act === 'finish') finish();
    if (act === 'undo') undo();
    if (act === 'cancel') cancel();
  });
  root.addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target;
    const data = new FormData(form);
    const properties = { code: data.get('code').trim(), name: data.get('name').trim(), town: data.get('town'), risk: data.get('risk') };
    for (const k of ['address', 'current_use', 'planned_use']) if (data.get(k)) properties[k] = data.get(k);
    const out = form.querySelector('.write-result');
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    clearMarker();
    out.innerHTML = `<p class="muted">${esc(t('saving'))}</p>`;
    try {
      const { body } = await api.createParcel({ type: 'Feature', properties, geometry: geometry() });
      cancel();
      onCreated(body);
    } catch (err) {
      const d = err.detail ?? {};
      if (err.status === 422 && (d.field === 'geometry' || t(`geom_${d.code}`) !== `geom_${d.code}`)) {
        // The shape went out in GCJ-02 over such a basemap; the service answers in CGCS2000.
        const toMap = api.usesGcj02() ? toGcj02 : (p) => p;
        marker = showGeometryError(out, err, map, toMap);
        if (Array.isArray(d.location)) reveal(toMap(d.location));
      }
      else out.innerHTML = refusalHtml(err);
      result = out.innerHTML;
      button.disabled = false;
    }
  });
  document.addEventListener('keydown', onKey);
  onLangChange(render);

  /** Asks the service what the signed-in token may do; the tool shows only for register keepers. */
  const refresh = async () => {
    const me = api.getToken() ? await api.me().catch(() => null) : null;
    may = Boolean(me?.may?.edit_register);
    if (!may && mode !== 'off') cancel();
    render();
  };
  refresh();

  return { refresh, cancel: () => mode !== 'off' && cancel(), isDrawing: () => mode !== 'off' };
}
