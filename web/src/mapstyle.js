// The map's style, built in code from the service's own vector tiles: no external
// style, sprite or glyphs (so no symbol layers; labels are HTML popups).
import { tileUrl } from './api.js';
import { STAGES } from './vocab.js';

/** The district extent (CGCS2000 degrees), until the TileJSON gives the served one. */
export const DISTRICT_BOUNDS = [115.41, 39.8, 116.17, 40.18];

/** Tile zoom from which parcels are polygons; below it they are aggregated points. */
export const PARCEL_POLYGON_ZOOM = 14;

export const STAGE_COLOR = ['match', ['get', 'stage'], ...STAGES.flatMap((s) => [s.id, s.color]), '#888888'];

/** Share of a cluster's parcels that are listed (control needed … effect evaluated) or contaminated. */
const SHARE = ['/', ['+', ['get', 'listed'], ['get', 'contaminated']], ['max', ['get', 'count'], 1]];
export const SHARE_STOPS = [
  [0, '#7f96a8'],
  [0.25, '#f08c1a'],
  [0.5, '#d7301f'],
  [1, '#7a0010'],
];

export const COLORS = {
  extent: '#4a5a6a',
  town: '#8a96a3',
  closedSite: '#8d5a3c',
  keyUnit: '#1d3557',
  pointOver: '#d32f2f',
  pointUnder: '#2e7d32',
  pointNone: '#9e9e9e',
  patch: '#d81b60',
  farmland: { priority_protection: '#6fbf73', safe_use: '#e6c229', strict_control: '#c0392b' },
};

export function boundsPolygon([w, s, e, n]) {
  return {
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
  };
}

// Tiles past z16 are overzoomed: parcels are unsimplified from z16 on, so nothing is lost.
function vector(layer, filter = '') {
  return { type: 'vector', tiles: [tileUrl(layer, filter)], minzoom: 0, maxzoom: 16, bounds: DISTRICT_BOUNDS };
}

/** Which style layers each entry of the layer panel switches. */
export const LAYER_GROUPS = {
  parcels: ['parcel-clusters', 'parcels-fill', 'parcels-line', 'parcels-selected'],
  extent: ['extent-line'],
  towns: ['towns-line'],
  farmland_plots: ['farmland-fill', 'farmland-line'],
  patches: ['patches-fill', 'patches-line'],
  closed_sites: ['closed-sites-fill', 'closed-sites-line'],
  key_units: ['key-units'],
  sampling_points: ['sampling-points'],
};

/** Layers that answer a click with a popup of their properties. */
export const POPUP_LAYERS = ['closed-sites-fill', 'key-units', 'sampling-points', 'farmland-fill', 'patches-fill'];

/** The whole style; `parcelFilter` is the CQL2 text the parcel tiles start with. */
export function buildStyle(parcelFilter = '') {
  return {
    version: 8,
    name: 'soilreg',
    sources: {
      extent: { type: 'geojson', data: boundsPolygon(DISTRICT_BOUNDS) },
      towns: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      parcels: vector('parcels', parcelFilter),
      'closed-sites': vector('closed-sites'),
      'key-units': vector('key-units'),
      'sampling-points': vector('sampling-points'),
      'farmland-plots': vector('farmland-plots'),
      patches: vector('patches'),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef0ea' } },
      { id: 'extent-fill', type: 'fill', source: 'extent', paint: { 'fill-color': '#fbfbf8' } },
      {
        id: 'extent-line',
        type: 'line',
        source: 'extent',
        paint: { 'line-color': COLORS.extent, 'line-width': 1.5, 'line-dasharray': [4, 3] },
      },
      {
        id: 'towns-line',
        type: 'line',
        source: 'towns',
        paint: { 'line-color': COLORS.town, 'line-width': 1, 'line-dasharray': [6, 2, 1, 2] },
      },
      {
        id: 'farmland-fill',
        type: 'fill',
        source: 'farmland-plots',
        'source-layer': 'farmland-plots',
        paint: {
          'fill-color': ['match', ['get', 'class'], ...Object.entries(COLORS.farmland).flat(), '#9ccc65'],
          'fill-opacity': 0.45,
        },
      },
      {
        id: 'farmland-line',
        type: 'line',
        source: 'farmland-plots',
        'source-layer': 'farmland-plots',
        paint: { 'line-color': '#558b2f', 'line-width': 1 },
      },
      {
        id: 'closed-sites-fill',
        type: 'fill',
        source: 'closed-sites',
        'source-layer': 'closed-sites',
        paint: { 'fill-color': COLORS.closedSite, 'fill-opacity': 0.3 },
      },
      {
        id: 'closed-sites-line',
        type: 'line',
        source: 'closed-sites',
        'source-layer': 'closed-sites',
        paint: { 'line-color': COLORS.closedSite, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.5, 16, 3] },
      },
      {
        id: 'parcels-fill',
        type: 'fill',
        source: 'parcels',
        'source-layer': 'parcels',
        minzoom: PARCEL_POLYGON_ZOOM,
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': STAGE_COLOR, 'fill-opacity': 0.72 },
      },
      {
        id: 'parcels-line',
        type: 'line',
        source: 'parcels',
        'source-layer': 'parcels',
        minzoom: PARCEL_POLYGON_ZOOM,
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'line-color': '#3b4148', 'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.4, 18, 1.2] },
      },
      {
        id: 'parcels-selected',
        type: 'line',
        source: 'parcels',
        'source-layer': 'parcels',
        minzoom: PARCEL_POLYGON_ZOOM,
        filter: ['==', ['get', 'code'], ''],
        paint: { 'line-color': '#00e5ff', 'line-width': 4 },
      },
      {
        id: 'parcel-clusters',
        type: 'circle',
        source: 'parcels',
        'source-layer': 'parcels',
        maxzoom: PARCEL_POLYGON_ZOOM,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 1, 3.5, 5, 6, 20, 10, 100, 17],
          'circle-color': ['interpolate', ['linear'], SHARE, ...SHARE_STOPS.flat()],
          'circle-opacity': 0.85,
          'circle-stroke-color': ['case', ['>', ['get', 'suspected'], 0], '#f6d32d', '#ffffff'],
          'circle-stroke-width': ['case', ['>', ['get', 'suspected'], 0], 1.6, 0.6],
        },
      },
      {
        id: 'patches-fill',
        type: 'fill',
        source: 'patches',
        'source-layer': 'patches',
        paint: { 'fill-color': COLORS.patch, 'fill-opacity': 0.15 },
      },
      {
        id: 'patches-line',
        type: 'line',
        source: 'patches',
        'source-layer': 'patches',
        paint: { 'line-color': COLORS.patch, 'line-width': 2, 'line-dasharray': [2, 1.5] },
      },
      {
        id: 'key-units',
        type: 'circle',
        source: 'key-units',
        'source-layer': 'key-units',
        paint: {
          'circle-radius': 6.5,
          'circle-color': COLORS.keyUnit,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      },
      {
        id: 'sampling-points',
        type: 'circle',
        source: 'sampling-points',
        'source-layer': 'sampling-points',
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 2.5, 17, 6],
          'circle-color': [
            'case',
            ['!', ['has', 'worst_ratio']],
            COLORS.pointNone,
            ['>', ['to-number', ['get', 'worst_ratio']], 1],
            COLORS.pointOver,
            COLORS.pointUnder,
          ],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      },
    ],
  };
}
