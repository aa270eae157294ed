// Export what the map shows: the parcels the filter selects (the same CQL2 text the tiles
// and the list receive), optionally only those in the current view, as a file in a chosen
// format and coordinate system — a link to /api/exports/parcels, kept current as the
// filter and the view change. And the way to the import page.
import { onLangChange, t } from './i18n.js';
import { esc } from './format.js';

// [value, label]; Shapefiles in UTF-8 with a .cpg, or GBK for older desktop GIS.
const FORMATS = [
  ['gpkg', 'GeoPackage'],
  ['shp', 'Shapefile (UTF-8)'],
  ['shp-gbk', 'Shapefile (GBK)'],
  ['geojson', 'GeoJSON'],
  ['csv', 'CSV (WKT)'],
  ['xlsx', 'Excel (XLSX)'],
  ['kml', 'KML (Google Earth)'],
  // the land-approval text (GBK), in a Gauss–Krüger zone: zone 39 unless one is chosen
  ['txt', '界址点坐标交换格式 TXT'],
];
// [EPSG code, label key]: CGCS2000 degrees, then the Gauss–Krüger zones surveyors use.
const CRSES = [
  ['EPSG:4490', 'crs_4490'],
  ['EPSG:4548', 'crs_4548'],
  ['EPSG:4547', 'crs_4547'],
  ['EPSG:4527', 'crs_4527'],
  ['EPSG:4526', 'crs_4526'],
];

/** The export URL of a choice: format, crs, the CQL2 filter ('' for none), a bbox or null. */
export function exportHref({ format, crs, cql, bbox }) {
  const q = new URLSearchParams();
  const [fmt, encoding] = format === 'shp-gbk' ? ['shp', 'gbk'] : [format, null];
  q.set('format', fmt);
  if (encoding) q.set('encoding', encoding);
  if (crs !== 'EPSG:4490') q.set('crs', crs);
  if (cql) q.set('filter', cql);
  if (bbox) q.set('bbox', bbox.map((v) => v.toFixed(6)).join(','));
  return `/api/exports/parcels?${q}`;
}

/**
 * The export box in `root`. cql() is the map's filter, bounds() the view's
 * [west, south, east, north]. Returns { update() }, to call when either changes.
 */
export function createExport(root, { cql, bounds }) {
  const choice = { format: 'gpkg', crs: 'EPSG:4490', view: false };

  const href = () => exportHref({ ...choice, cql: cql(), bbox: choice.view ? bounds() : null });

  const render = () => {
    const opts = (list, label, selected) =>
      list.map(([v, l]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(label(l))}</option>`).join('');
    root.innerHTML = `
      <summary><h2>${esc(t('export'))}</h2></summary>
      <div class="export">
        <label><span>${esc(t('export_format'))}</span>
          <select name="format">${opts(FORMATS, (l) => l, choice.format)}</select></label>
        <label><span>${esc(t('export_crs'))}</span>
          <select name="crs">${opts(CRSES, (k) => t(k), choice.crs)}</select></label>
        <label class="check"><input type="checkbox" name="view"${choice.view ? ' checked' : ''} />
          <span>${esc(t('export_view_only'))}</span></label>
        <p class="muted">${esc(t('export_what'))}</p>
        <div class="export-foot">
          <a class="link" href="/imports" data-testid="import-link">${esc(t('import_files'))}</a>
          <a class="button" data-testid="export-link" download href="${esc(href())}">${esc(t('export_download'))}</a>
        </div>
      </div>`;
  };

  const update = () => {
    const a = root.querySelector('[data-testid=export-link]');
    if (a) a.href = href();
  };

  root.addEventListener('change', (e) => {
    const { name } = e.target;
    if (name === 'view') choice.view = e.target.checked;
    else if (name in choice) choice[name] = e.target.value;
    update();
  });
  onLangChange(render);
  render();
  return { update, viewOnly: () => choice.view };
}
