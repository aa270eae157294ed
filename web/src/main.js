// Wires the page together: filters → one CQL2 text → map tiles and list; search, list
// and map clicks → the parcel panel. The state lives in the URL hash so a view can be
// shared in a review meeting (#town=…&stage=…&parcel=…).
import './style.css';
import { applyStatic, getLang, onLangChange, setLang, t } from './i18n.js';
import * as api from './api.js';
import { createFilters, FILTER_KEYS, toCql } from './filters.js';
import { createExport } from './download.js';
import { createLayerPanel } from './layers.js';
import { createList } from './list.js';
import { bboxOf, createMap, flyToGeometry, markPoint, refreshParcels, setGroupVisible, setParcelFilter, setSelected } from './map.js';
import { createSignIn, onAuthChange } from './auth.js';
import { createEventForm } from './eventform.js';
import { createEditForm } from './edit.js';
import { createDrawTool } from './draw.js';
import { createReview } from './review.js';
import { createDashboard } from './dashboard.js';
import { esc } from './format.js';
import { createPanel } from './panel.js';
import { createSearch } from './search.js';

const $ = (sel) => document.querySelector(sel);
const initial = Object.fromEntries(new URLSearchParams(location.hash.slice(1)));

const map = createMap($('#map'), {
  parcelFilter: toCql(initial),
  onParcelClick: (code) => select(code),
  ignoreClicks: () => drawTool?.isDrawing() ?? false,
});
window.__map = map; // for the end-to-end test and for debugging

let forms = []; // the open parcel's write forms
const tools = () => forms;
const panel = createPanel($('#panel'), {
  onParcel: () => tools().forEach((f) => f.onParcel?.()),
  onClose: () => {
    tools().forEach((f) => f.stop?.());
    setSelected(map, null);
    list.highlight(null);
    writeHash();
    map.resize();
  },
  onShow: (feature) => flyToGeometry(map, feature.geometry),
  onOpened: (code, tools) => {
    forms = [
      createEventForm(tools, code, {
        onSaved: () => {
          panel.refresh();
          refreshParcels(map);
          list.reload();
        },
      }),
      createEditForm(tools, code, {
        map,
        feature: () => panel.feature(),
        onSaved: () => {
          panel.refresh();
          refreshParcels(map);
          list.reload();
        },
        onReload: () => panel.refresh(),
      }),
    ];
  },
});
// Drawing a new parcel, for users who keep the register; the panel opens on the new parcel.
const drawTool = createDrawTool($('#draw'), {
  map,
  onCreated: (feature) => {
    refreshParcels(map);
    list.reload();
    select(feature.properties.code);
    flyToGeometry(map, feature.geometry);
  },
});
onAuthChange(() => {
  tools().forEach((f) => f.render());
  drawTool.refresh();
});
createSignIn($('#signin'));

const list = createList($('#list'), {
  onPick: (feature) => {
    select(feature.properties.code); // first: opening the panel resizes the map
    flyToGeometry(map, feature.geometry);
  },
  onFitPage: (features) => fitFeatures(features),
});

/** Fits the map to some parcel features. */
function fitFeatures(features) {
  const boxes = features.map((f) => bboxOf(f.geometry));
  const w = Math.min(...boxes.map((b) => b[0]));
  const s = Math.min(...boxes.map((b) => b[1]));
  const e = Math.max(...boxes.map((b) => b[2]));
  const n = Math.max(...boxes.map((b) => b[3]));
  map.fitBounds([[w, s], [e, n]], { padding: 60, maxZoom: 17 });
}

// A list of codes from the dashboard narrows the form's filter further (code IN (…)).
let codeFilter = null; // { codes, label }
const quote = (v) => `'${String(v).replaceAll("'", "''")}'`;
const currentCql = () =>
  [filters.cql(), codeFilter && `code IN (${codeFilter.codes.map(quote).join(', ')})`].filter(Boolean).join(' AND ');
function applyFilter() {
  const cql = currentCql();
  setParcelFilter(map, cql);
  writeHash();
  renderCodeBox();
  exporter.update();
  return list.load(cql);
}
function renderCodeBox() {
  const box = $('#codefilter');
  box.hidden = !codeFilter;
  box.innerHTML = codeFilter
    ? `<span data-codes="${codeFilter.codes.length}">${esc(codeFilter.label)} · ${esc(t('code_filter', { n: codeFilter.codes.length }))}</span>
       <button type="button" class="link" data-act="clear-codes">${esc(t('clear_code_filter'))}</button>`
    : '';
}
$('#codefilter').addEventListener('click', (e) => {
  if (e.target.dataset.act !== 'clear-codes') return;
  codeFilter = null;
  applyFilter();
});

const filters = createFilters($('#filters'), initial, () => applyFilter());
// The export box takes the same filter (the dashboard's codes included) and, on request,
// the view's bounds.
const exporter = createExport($('#exports'), {
  cql: currentCql,
  bounds: () => map.getBounds().toArray().flat(),
});
map.on('moveend', () => exporter.viewOnly() && exporter.update());
onLangChange(renderCodeBox);

createSearch($('#search'), {
  onPick: (feature) => {
    select(feature.properties.code); // first: opening the panel resizes the map
    flyToGeometry(map, feature.geometry);
  },
});

createLayerPanel($('#layers'), { onToggle: (group, visible) => setGroupVisible(map, group, visible) });

function select(code) {
  const wasOpen = !$('#panel').hidden;
  panel.open(code);
  setSelected(map, code);
  list.highlight(code);
  writeHash();
  if (!wasOpen) map.resize();
}

function writeHash() {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters.state[k]) q.set(k, filters.state[k]);
  const code = panel.current();
  if (code) q.set('parcel', code);
  if (view !== 'map') q.set('view', view);
  const hash = q.toString();
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname);
}

// Views: the map (with the parcel panel), review sessions beside the map, the dashboard.
const review = createReview($('#review'), {
  listCodes: () => list.codes(),
  onPresent: (feature) => {
    setSelected(map, feature.properties.code);
    flyToGeometry(map, feature.geometry);
  },
  onShowParcel: (code) => {
    setView('map');
    select(code);
    refreshParcels(map); // a decision's event may have moved the parcel's stage
  },
});
const dashboard = createDashboard($('#dashboard'), {
  onCodes: (codes, label) => {
    codeFilter = { codes, label };
    setView('map');
    applyFilter().then(() => list.features().length && fitFeatures(list.features()));
  },
});
let view = 'map';
function setView(next) {
  view = next;
  document.body.dataset.view = view;
  for (const b of document.querySelectorAll('#views [data-view]')) b.classList.toggle('active', b.dataset.view === view);
  $('#review').hidden = view !== 'review';
  $('#dashboard').hidden = view !== 'dashboard';
  if (view !== 'map') drawTool.cancel(); // a half-drawn shape does not follow into other views
  if (view === 'review') review.open();
  if (view === 'dashboard') dashboard.open();
  if (view === 'map') setSelected(map, panel.current());
  writeHash();
  map.resize();
}
$('#views').addEventListener('click', (e) => {
  const v = e.target.closest('[data-view]')?.dataset.view;
  if (v) setView(v);
});

$('#lang').addEventListener('click', () => setLang(getLang() === 'en' ? 'zh' : 'en'));
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !$('#panel').hidden && !e.target.closest('input, select, textarea')) panel.close();
});

applyStatic();
list.load(currentCql());
setView(['review', 'dashboard'].includes(initial.view) ? initial.view : 'map');
// `#at=lon,lat`: a point to look at (an import report's problem), marked on the map.
const at = (initial.at || '').split(',').map(Number);
if (at.length === 2 && Math.abs(at[0]) <= 180 && Math.abs(at[1]) <= 90) markPoint(map, at);
if (initial.parcel) {
  select(initial.parcel);
  api
    .parcel(initial.parcel)
    .then((f) => flyToGeometry(map, f.geometry, { duration: 0 }))
    .catch(() => {}); // the panel says what went wrong
}
