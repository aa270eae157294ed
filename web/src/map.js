// The MapLibre map: our own style, the parcel filter on the tile source, selection,
// popups for the other layers, and camera moves to a parcel's geometry.
import { Map as MapLibre, Marker, NavigationControl, ScaleControl, AttributionControl, Popup, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import * as api from './api.js';
import { enumName, onLangChange, riskName, stageName, t, townName } from './i18n.js';
import { esc, formatArea, formatDate, formatNumber } from './format.js';
import { toGcj02 } from './gcj02.js';
import { boundsPolygon, buildStyle, DISTRICT_BOUNDS, LAYER_GROUPS, POPUP_LAYERS } from './mapstyle.js';

// The worker is bundled as our own asset; MapLibre would otherwise look for it next to
// its own module, which does not exist once bundled.
setWorkerUrl(workerUrl);

const PARCEL_LAYERS = ['parcels-fill', 'parcel-clusters'];

// Style changes wait for the style to load (MapLibre throws before); callbacks keep their order.
const styleLoaded = new WeakMap();
const whenLoaded = (map, fn) => styleLoaded.get(map).then(() => fn());

/** The bounding box [w, s, e, n] of any GeoJSON geometry. */
export function bboxOf(geometry) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1]);
    } else c.forEach(walk);
  };
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => walk(g.coordinates));
  else walk(geometry.coordinates);
  return box;
}

/** `ignoreClicks()` true while another tool (drawing a parcel) owns the map's clicks. */
export function createMap(container, { parcelFilter, onParcelClick, ignoreClicks = () => false }) {
  // (parcelCql is set below, once the map exists)
  const map = new MapLibre({
    container,
    style: buildStyle(parcelFilter),
    bounds: DISTRICT_BOUNDS,
    // The layer panel floats over the map's left edge: keep the district clear of it.
    fitBoundsOptions: { padding: { top: 24, bottom: 24, right: 24, left: 300 } },
    minZoom: 7,
    maxZoom: 19,
    maxBounds: [
      [114.6, 39.4],
      [117.0, 40.6],
    ],
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
  });
  styleLoaded.set(map, new Promise((resolve) => map.once('load', resolve)));
  parcelCql.set(map, parcelFilter ?? '');
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
  map.addControl(new AttributionControl({ compact: true, customAttribution: 'soilreg' }), 'bottom-right');

  // The outline and towns wait for the settings: a GCJ-02 basemap asks for them offset.
  loadBasemap(map).then(() => loadGeography(map));

  // First meaningful paint: the first idle with parcels on screen (read by the e2e test).
  const markFirstParcels = () => {
    if (map.queryRenderedFeatures({ layers: PARCEL_LAYERS }).length === 0) return;
    window.__firstParcelsIdleMs = performance.now();
    map.off('idle', markFirstParcels);
  };
  map.on('idle', markFirstParcels);

  map.on('click', 'parcels-fill', (e) => {
    if (ignoreClicks()) return;
    const code = e.features?.[0]?.properties?.code;
    if (code) onParcelClick(code);
  });
  for (const id of ['parcels-fill', 'parcel-clusters', ...POPUP_LAYERS]) {
    map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
  }
  wirePopups(map, ignoreClicks);
  return map;
}

/**
 * The district outline and town boundaries from the service; where it has none (older
 * services), the extent in the parcels' TileJSON stands in for the district.
 */
async function loadGeography(map) {
  const [outline, towns] = await Promise.all([api.district().catch(() => null), api.towns().catch(() => null)]);
  let district = outline?.geometry ? outline : null;
  if (!district) {
    const tj = await api.tileJson('parcels').catch(() => null);
    if (Array.isArray(tj?.bounds) && tj.bounds.length === 4) district = boundsPolygon(tj.bounds);
  }
  whenLoaded(map, () => {
    if (district) map.getSource('extent').setData(district);
    if (towns?.features?.length) map.getSource('towns').setData(towns);
  });
}

/**
 * An optional basemap from the service's settings (e.g. Tianditu). When it is in GCJ-02
 * (AMap, Tencent), every vector tile, the outline and the towns are asked for with the
 * same offset so they line up.
 * Without one, nothing is fetched from outside the service.
 */
async function loadBasemap(map) {
  const config = await api.clientConfig().catch(() => null);
  const base = config?.basemap;
  if (!base?.url) return;
  api.useGcj02(Boolean(base.gcj02));
  whenLoaded(map, () => {
    map.addSource('basemap', { type: 'raster', tiles: [base.url], tileSize: 256, attribution: base.attribution || '' });
    map.addLayer({ id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-opacity': 0.85 } }, 'extent-fill');
    map.setPaintProperty('extent-fill', 'fill-opacity', 0);
    if (base.gcj02) {
      for (const id of ['parcels', 'closed-sites', 'key-units', 'sampling-points', 'farmland-plots', 'patches']) {
        const filter = id === 'parcels' ? parcelCql.get(map) ?? '' : '';
        map.getSource(id)?.setTiles([api.tileUrl(id, filter)]);
      }
    }
  });
}

function wirePopups(map, ignoreClicks) {
  const hover = new Popup({ closeButton: false, closeOnClick: false, className: 'soilreg-popup', maxWidth: '320px' });
  map.on('mousemove', 'parcel-clusters', (e) => {
    const p = e.features[0].properties;
    const text = t('cluster_popup', { n: p.count, l: p.listed, c: p.contaminated, s: p.suspected });
    hover
      .setLngLat(e.lngLat)
      .setHTML(`<div>${esc(text)}</div><div>${esc(formatArea(p.area_m2))}</div><div class="muted">${esc(t('zoom_in_hint'))}</div>`)
      .addTo(map);
  });
  map.on('mousemove', 'parcels-fill', (e) => {
    const p = e.features[0].properties;
    hover
      .setLngLat(e.lngLat)
      .setHTML(`<div><strong>${esc(p.code)}</strong> ${esc(p.name ?? '')}</div><div>${esc(stageName(p.stage))} · ${esc(t('risk'))} ${esc(riskName(p.risk))}</div>`)
      .addTo(map);
  });
  for (const id of ['parcel-clusters', 'parcels-fill']) map.on('mouseleave', id, () => hover.remove());
  map.on('click', 'parcel-clusters', (e) => !ignoreClicks() && map.easeTo({ center: e.lngLat, zoom: Math.max(map.getZoom() + 2, 14) }));

  // Other layers answer a click with a popup, unless a parcel was clicked: its panel opens instead.
  const info = new Popup({ className: 'soilreg-popup', maxWidth: '340px' });
  map.on('click', (e) => {
    if (ignoreClicks()) return;
    const visible = (ids) => ids.filter((id) => map.getLayoutProperty(id, 'visibility') !== 'none');
    if (map.queryRenderedFeatures(e.point, { layers: visible(['parcels-fill']) }).length) return;
    const f = map.queryRenderedFeatures(e.point, { layers: visible(POPUP_LAYERS) })[0];
    if (f) info.setLngLat(e.lngLat).setHTML(popupHtml(f)).addTo(map);
  });
  // Popups are written in one language: close them when it changes.
  onLangChange(() => {
    hover.remove();
    info.remove();
  });
}

function popupHtml(f) {
  const p = f.properties;
  const rows = [];
  const row = (k, v) => rows.push(`<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`);
  let title = '';
  switch (f.layer.id) {
    case 'closed-sites-fill':
      title = `${t('layer_closed_sites')}: ${p.name}`;
      row(t('enterprise'), p.enterprise_name);
      row(t('uscc'), p.enterprise);
      row(t('industry'), p.industry);
      row(t('risk'), `${enumName('site_risk', p.risk_level)} (${p.risk_score})`);
      row(t('closure_year'), p.closure_year);
      row(t('area'), formatArea(p.area_m2));
      break;
    case 'key-units':
      title = `${t('layer_key_units')}: ${p.name}`;
      row(t('uscc'), p.uscc);
      row(t('industry'), p.industry);
      break;
    case 'sampling-points':
      title = `${t('layer_sampling_points')}: ${p.point_id}`;
      row(t('parcel'), p.parcel);
      row(t('worst_ratio'), p.worst_ratio === undefined ? '—' : formatNumber(p.worst_ratio, 2));
      break;
    case 'farmland-fill':
      title = `${t('layer_farmland_plots')}: ${p.name ?? p.id}`;
      row(t('town'), townName(p.town));
      row(t('farmland_class'), enumName('farmland_class', p.class));
      if (p.area_m2) row(t('area'), formatArea(p.area_m2));
      break;
    case 'patches-fill':
      title = `${t('layer_patches')}: ${p.patch_no}`;
      row(t('kind'), enumName('patch_kind', p.kind));
      row(t('detected_on'), formatDate(p.detected_on));
      if (p.area_m2) row(t('area'), formatArea(p.area_m2));
      break;
    default:
      title = f.layer.id;
  }
  return `<strong>${esc(title)}</strong><table>${rows.join('')}</table>`;
}

/** Applies one CQL2 filter to the parcel tiles (the list uses the same text). */
export function setParcelFilter(map, cql) {
  parcelCql.set(map, cql);
  whenLoaded(map, () => map.getSource('parcels').setTiles([api.tileUrl('parcels', cql)]));
}
const parcelCql = new WeakMap();

/**
 * Loads the parcel tiles again after a write. The service drops the touched tiles from
 * its cache and refuses unknown query parameters, so the URL stays the same: setTiles
 * reloads every tile, and the browser revalidates each one by its ETag.
 */
export function refreshParcels(map) {
  whenLoaded(map, () => map.getSource('parcels').setTiles([api.tileUrl('parcels', parcelCql.get(map) ?? '')]));
}

export function setSelected(map, code) {
  whenLoaded(map, () => map.setFilter('parcels-selected', ['==', ['get', 'code'], code ?? '']));
}

export function setGroupVisible(map, group, visible) {
  whenLoaded(map, () => {
    for (const id of LAYER_GROUPS[group]) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  });
}

/** Moves the camera to a geometry's bounding box, close enough to show parcel polygons. */
export function flyToGeometry(map, geometry, { duration = 1200 } = {}) {
  const [w, s, e, n] = bboxOf(geometry);
  map.fitBounds(
    [
      [w, s],
      [e, n],
    ],
    { padding: { top: 80, bottom: 80, left: 80, right: 80 }, maxZoom: 17, duration },
  );
}

/**
 * Marks a point given in CGCS2000 longitude and latitude (where an import report places a
 * problem) and centres the map on it, close enough to see the parcels around it; offset
 * like everything else when the basemap is in GCJ-02.
 */
export async function markPoint(map, lonlat) {
  const config = await api.clientConfig().catch(() => null);
  const at = config?.basemap?.gcj02 ? toGcj02(lonlat) : lonlat;
  whenLoaded(map, () => {
    new Marker({ color: '#d7191c' }).setLngLat(at).addTo(map).getElement().dataset.testid = 'marked-point';
    map.jumpTo({ center: at, zoom: 17 });
  });
}
