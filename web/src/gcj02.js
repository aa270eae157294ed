// GCJ-02, the offset coordinates of AMap and Tencent basemaps: the public forward transform,
// as src/gis/gcj02.rs has it (Krasovsky constants). The service converts what the map sends
// (crs=gcj02) and offsets what it serves (coords=gcj02); the page needs it to put a position
// the service reports in CGCS2000 (an error's location) onto a GCJ-02 map, and a stored
// boundary under the vertex editor.
const A = 6378245.0;
const EE = 0.006693421622965943;

function dLat(x, y) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function dLon(x, y) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** CGCS2000/WGS84 [lon, lat] → GCJ-02 [lon, lat]; unchanged outside mainland China's box. */
export function toGcj02([lon, lat]) {
  if (!(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271)) return [lon, lat];
  const radlat = (lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radlat) ** 2;
  const sqrtmagic = Math.sqrt(magic);
  const dlat = (dLat(lon - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtmagic)) * Math.PI);
  const dlon = (dLon(lon - 105, lat - 35) * 180) / ((A / sqrtmagic) * Math.cos(radlat) * Math.PI);
  return [lon + dlon, lat + dlat];
}

/** A (Multi)Polygon's positions → GCJ-02 (a new geometry). */
export function geometryToGcj02(geometry) {
  const ring = (r) => r.map(toGcj02);
  const coordinates = geometry.type === 'Polygon'
    ? geometry.coordinates.map(ring)
    : geometry.coordinates.map((poly) => poly.map(ring));
  return { ...geometry, coordinates };
}
