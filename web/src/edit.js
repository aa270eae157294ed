// "Edit parcel" in the panel: name, planned use and risk, and the boundary by dragging
// the vertices of the selected parcel (a GeoJSON source of point handles; no library).
// Saved by PATCH with If-Match: a stale version (412) is shown, never overwritten; a bad
// geometry (422) shows the message and a marker at error.location. Over a GCJ-02 basemap
// the handles sit on the offset tiles: the boundary is edited, and sent, in GCJ-02.
import { Marker } from 'maplibre-gl';
import * as api from './api.js';
import { signedIn } from './auth.js';
import { refusalHtml } from './eventform.js';
import { riskName, t, useName } from './i18n.js';
import { esc } from './format.js';
import { geometryToGcj02, toGcj02 } from './gcj02.js';
import { LAND_USES, RISKS } from './vocab.js';

const SHAPE = 'edit-shape';
const HANDLES = 'edit-handles';

/** Vertex handles of a (Multi)Polygon: one per ring vertex, the closing one left out. */
function handlesOf(geometry) {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const features = [];
  polys.forEach((poly, p) =>
    poly.forEach((ring, r) =>
      ring.slice(0, -1).forEach((c, i) => features.push({ type: 'Feature', id: features.length, properties: { p, r, i }, geometry: { type: 'Point', coordinates: c } })),
    ),
  );
  return { type: 'FeatureCollection', features };
}

/** The boundary editor on `map`: start(geometry) → draggable; geometry() → the edited one; stop(). */
function createVertexEditor(map) {
  let geom = null;
  let drag = null;
  const polys = () => (geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates);
  const draw = () => {
    map.getSource(SHAPE).setData({ type: 'Feature', properties: {}, geometry: geom });
    map.getSource(HANDLES).setData(handlesOf(geom));
  };
  const onDown = (e) => {
    const f = e.features?.[0];
    if (!f) return;
    e.preventDefault();
    drag = f.properties;
    map.dragPan.disable();
    map.getCanvas().style.cursor = 'grabbing';
  };
  const onMove = (e) => {
    if (!drag) return;
    const ring = polys()[drag.p][drag.r];
    const c = [Number(e.lngLat.lng.toFixed(7)), Number(e.lngLat.lat.toFixed(7))];
    ring[drag.i] = c;
    if (drag.i === 0) ring[ring.length - 1] = c; // keep the ring closed
    draw();
  };
  const onUp = () => {
    if (!drag) return;
    drag = null;
    map.dragPan.enable();
    map.getCanvas().style.cursor = '';
  };
  const enter = () => (map.getCanvas().style.cursor = 'grab');
  const leave = () => !drag && (map.getCanvas().style.cursor = '');

  return {
    start(geometry) {
      geom = structuredClone(geometry);
      if (!map.getSource(SHAPE)) {
        map.addSource(SHAPE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        map.addSource(HANDLES, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        map.addLayer({ id: 'edit-shape-fill', type: 'fill', source: SHAPE, paint: { 'fill-color': '#1c71d8', 'fill-opacity': 0.15 } });
        map.addLayer({ id: 'edit-shape-line', type: 'line', source: SHAPE, paint: { 'line-color': '#1c71d8', 'line-width': 2, 'line-dasharray': [2, 1] } });
        map.addLayer({ id: 'edit-handles', type: 'circle', source: HANDLES, paint: { 'circle-radius': 6, 'circle-color': '#fff', 'circle-stroke-color': '#1c71d8', 'circle-stroke-width': 2 } });
      }
      draw();
      map.on('mousedown', 'edit-handles', onDown);
      map.on('mouseenter', 'edit-handles', enter);
      map.on('mouseleave', 'edit-handles', leave);
      map.on('mousemove', onMove);
      map.on('mouseup', onUp);
    },
    /** Back to a geometry, keeping the handles' layers (and their listeners). */
    reset(geometry) {
      geom = structuredClone(geometry);
      draw();
    },
    geometry: () => geom,
    active: () => Boolean(geom),
    stop() {
      if (!geom) return;
      geom = null;
      onUp();
      map.off('mousedown', 'edit-handles', onDown);
      map.off('mouseenter', 'edit-handles', enter);
      map.off('mouseleave', 'edit-handles', leave);
      map.off('mousemove', onMove);
      map.off('mouseup', onUp);
      for (const id of ['edit-handles', 'edit-shape-line', 'edit-shape-fill']) if (map.getLayer(id)) map.removeLayer(id);
      for (const id of [HANDLES, SHAPE]) if (map.getSource(id)) map.removeSource(id);
    },
  };
}

/**
 * Shows a refused boundary (422) in `out`: what is wrong, in the user's language, and a
 * marker on `map` where the service found it (error.location, CGCS2000; `toMap` moves it
 * onto the map's coordinates). Returns the marker, or null.
 */
export function showGeometryError(out, err, map, toMap = (p) => p) {
  const d = err.detail ?? {};
  const known = t(`geom_${d.code}`);
  const what = known === `geom_${d.code}` ? err.message : `${known}${d.location ? ` (${d.location.map((x) => Number(x).toFixed(6)).join(', ')})` : ''}`;
  out.innerHTML = `<p class="error" data-geometry-error="${esc(d.code ?? '')}">${esc(t('geometry_error', { m: what }))}
    <br><span class="muted small">${esc(err.message)} · <code>${esc(d.code ?? '')}</code></span></p>`;
  return Array.isArray(d.location) ? new Marker({ color: '#c01c28' }).setLngLat(toMap(d.location)).addTo(map) : null;
}

let editor = null; // one boundary editor per map, shared by the panels that open
let marker = null;
const clearMarker = () => {
  marker?.remove();
  marker = null;
};

/** Draws the edit form into `root` for parcel `code`. */
export function createEditForm(root, code, { map, feature, onSaved, onReload }) {
  editor ??= createVertexEditor(map);
  editor.stop();
  clearMarker();
  const box = document.createElement('details');
  box.className = 'write';
  box.dataset.tool = 'edit';
  root.append(box);

  const render = () => {
    const f = feature();
    if (!signedIn()) {
      box.innerHTML = `<summary>${esc(t('edit_parcel'))}</summary><p class="muted">${esc(t('sign_in_to_write'))}</p>`;
      return;
    }
    if (!f) {
      box.innerHTML = `<summary>${esc(t('edit_parcel'))}</summary><p class="muted">${esc(t('loading'))}</p>`;
      return;
    }
    const p = f.properties;
    const uses = Object.keys(LAND_USES);
    if (p.planned_use && !uses.includes(p.planned_use)) uses.unshift(p.planned_use);
    box.innerHTML = `<summary>${esc(t('edit_parcel'))}</summary>
      <form class="write-form" name="edit" data-version="${esc(p.version)}">
        <label><span>${esc(t('name'))}</span><input name="name" value="${esc(p.name ?? '')}" required /></label>
        <label><span>${esc(t('planned_use'))}</span><select name="planned_use">${uses.map((u) => `<option value="${esc(u)}"${u === p.planned_use ? ' selected' : ''}>${esc(useName(u))}</option>`).join('')}</select></label>
        <label><span>${esc(t('risk'))}</span><select name="risk">${RISKS.map((r) => `<option value="${esc(r.id)}"${r.id === p.risk ? ' selected' : ''}>${esc(riskName(r.id))}</option>`).join('')}</select></label>
        <div class="form-foot">
          <button type="button" data-tool-act="boundary">${esc(t('edit_boundary'))}</button>
          <button type="button" data-tool-act="reset" hidden>${esc(t('reset_boundary'))}</button>
        </div>
        <div class="form-foot"><button type="submit">${esc(t('submit'))}</button></div>
        <div class="write-result" aria-live="polite"></div>
      </form>`;
  };

  const out = () => box.querySelector('.write-result');
  box.addEventListener('click', (e) => {
    const act = e.target.closest('button')?.dataset.toolAct;
    const f = feature();
    if ((act === 'boundary' || act === 'reset') && f) {
      clearMarker();
      const shown = api.usesGcj02() ? geometryToGcj02(f.geometry) : f.geometry;
      if (editor.active()) editor.reset(shown);
      else editor.start(shown);
      box.querySelector('[data-tool-act=reset]').hidden = false;
    }
    if (act === 'reload') {
      editor.stop();
      clearMarker();
      onReload();
    }
  });
  box.addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target;
    const f = feature();
    const data = new FormData(form);
    const properties = {};
    for (const k of ['name', 'planned_use', 'risk']) if (data.get(k) !== (f.properties[k] ?? '')) properties[k] = data.get(k);
    const patch = { properties };
    if (editor.active()) patch.geometry = editor.geometry();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    clearMarker();
    out().innerHTML = `<p class="muted">${esc(t('saving'))}</p>`;
    try {
      await api.patchParcel(code, form.dataset.version, patch);
      editor.stop();
      onSaved();
    } catch (err) {
      const d = err.detail ?? {};
      if (err.status === 412) {
        out().innerHTML = `<div class="conflict" data-conflict="${esc(d.current_version ?? '')}">${esc(t('stale_version', { n: d.current_version ?? '?' }))}
          <div class="form-foot"><button type="button" data-tool-act="reload">${esc(t('reload'))}</button></div></div>`;
      } else if (err.status === 422 && patch.geometry) {
        marker = showGeometryError(out(), err, map, api.usesGcj02() ? toGcj02 : undefined);
      } else out().innerHTML = refusalHtml(err);
    } finally {
      button.disabled = false;
    }
  });
  render();
  return {
    render,
    onParcel: render,
    stop: () => {
      editor.stop();
      clearMarker();
    },
  };
}
