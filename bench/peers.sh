#!/usr/bin/env bash
# Side-by-side benchmark on the same data and machine (issue 7):
#   (a) items: ~1 km² bbox windows, limit=1000, 64 connections, 10 s — soilreg /ogc vs pygeoapi
#       (PostgreSQL provider, on a 4326 copy of the table) vs the raw SQL (pgbench);
#   (b) tiles: the same list of z10–z16 tiles, cold and warm — soilreg vs Martin 1.14;
#   (c) the raw PostGIS floor of items and z14–16 tiles; resident memory of both servers.
# Peers are installed into bench/.peers (never committed). Usage: bench/peers.sh [N]
# PGDIR=... reuses a cluster that already holds the generated parcels; BENCH_DB=... names
# another database of it (e.g. one filled by `soilreg demo generate --uniform`); ONLY=items
# stops after the items.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=bench/out/peers
PEERS=bench/.peers
PG_PORT=${PG_PORT:-54344}
SOIL=127.0.0.1:18090
PYG=127.0.0.1:18091
MARTIN=127.0.0.1:18092
mkdir -p "$OUT" "$PEERS"
cargo build --release --locked -q
BIN=./target/release/soilreg
PGDIR=${PGDIR:-$PWD/$OUT/pg}
URL=$($BIN --pg-dir "$PGDIR" --pg-port "$PG_PORT" db start)
URL=${URL%/*}/${BENCH_DB:-${URL##*/}}
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  $BIN --pg-dir "$PGDIR" --pg-port "$PG_PORT" db stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
export DATABASE_URL=$URL
$BIN migrate >/dev/null
have=$(psql -Atq "$URL" -c "SELECT count(*) FROM parcels WHERE code LIKE 'GEN-%'")
if [ "$have" -lt "$N" ]; then
  $BIN demo load >/dev/null
  $BIN demo generate --parcels "$N" --seed 5 >/dev/null
fi
psql -q "$URL" <<'SQL'
CREATE TABLE IF NOT EXISTS parcels_4326 AS
SELECT id, code, name, town, risk::text AS risk, stage::text AS stage, planned_use, area_m2,
       ST_SetSRID(geom, 4326)::geometry(MultiPolygon, 4326) AS geom FROM parcels;
CREATE UNIQUE INDEX IF NOT EXISTS parcels_4326_pk ON parcels_4326 (id);
CREATE INDEX IF NOT EXISTS parcels_4326_gix ON parcels_4326 USING gist (geom);
VACUUM ANALYZE parcels; VACUUM ANALYZE parcels_4326;
SQL
echo "parcels: $(psql -Atq "$URL" -c 'SELECT count(*) FROM parcels')"

# --- peers -------------------------------------------------------------------------------
if [ ! -x "$PEERS/bin/martin" ]; then
  cargo install martin@1.14.0 --locked --no-default-features \
    --features postgres,mbtiles,pmtiles,fonts,sprites,styles,metrics,webui,geojson,mlt,passthrough \
    --root "$PEERS" --target-dir "$PEERS/target"
fi
if [ ! -x "$PEERS/pygeoapi/bin/gunicorn" ]; then
  python3 -m venv "$PEERS/pygeoapi"
  "$PEERS/pygeoapi/bin/pip" install -q "pygeoapi==0.21.*" flask-cors gunicorn psycopg2-binary geoalchemy2 sqlalchemy
fi
cat > "$OUT/pygeoapi.yml" <<YML
server:
  bind: {host: 127.0.0.1, port: 18091}
  url: http://$PYG
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: en-US
  cors: true
  pretty_print: false
  limits: {default_items: 10, max_items: 10000}
  map: {url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png", attribution: OSM}
logging: {level: ERROR}
metadata:
  identification: {title: bench, description: bench, keywords: [bench], keywords_type: theme, terms_of_service: none, url: http://localhost}
  license: {name: none, url: http://localhost}
  provider: {name: bench, url: http://localhost}
  contact: {name: bench, position: none, address: none, city: none, stateorprovince: none, postalcode: none, country: none, phone: none, fax: none, email: none, url: none, hours: none, instructions: none, role: pointOfContact}
resources:
  parcels:
    type: collection
    title: parcels
    description: parcels (4326 copy)
    keywords: [parcels]
    extents:
      spatial: {bbox: [115.41, 39.80, 116.17, 40.18], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}
    providers:
      - type: feature
        name: PostgreSQL
        data: {host: 127.0.0.1, port: $PG_PORT, dbname: ${URL##*/}, user: postgres, password: ""}
        id_field: id
        table: parcels_4326
        geom_field: geom
YML
export PYGEOAPI_CONFIG=$PWD/$OUT/pygeoapi.yml PYGEOAPI_OPENAPI=$PWD/$OUT/pygeoapi-openapi.yml
"$PEERS/pygeoapi/bin/pygeoapi" openapi generate "$PYGEOAPI_CONFIG" --output-file "$PYGEOAPI_OPENAPI" >"$OUT/pygeoapi-openapi.log" 2>&1
cat > "$OUT/martin.yml" <<YML
listen_addresses: $MARTIN
worker_processes: 2
cache_size_mb: CACHE
postgres:
  connection_string: $URL
  auto_publish: false
  tables:
    parcels:
      schema: public
      table: parcels
      srid: 4490
      geometry_column: geom
      geometry_type: MULTIPOLYGON
      properties: {code: text, name: text, town: text}
YML

wait_up() { for _ in $(seq 150); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "not up: $1"; return 1; }
start_soilreg() { $BIN serve --listen $SOIL >"$OUT/soilreg.log" 2>&1 & SOIL_PID=$!; PIDS+=("$SOIL_PID"); wait_up "http://$SOIL/healthz"; }
start_martin() { sed "s/CACHE/$1/" "$OUT/martin.yml" > "$OUT/martin-$1.yml"; "$PEERS/bin/martin" --config "$OUT/martin-$1.yml" >"$OUT/martin.log" 2>&1 & MARTIN_PID=$!; PIDS+=("$MARTIN_PID"); wait_up "http://$MARTIN/catalog"; }
rss() { echo "$(( $(ps -o rss= -p "$1") / 1024 )) MB"; }

# --- (a) items ----------------------------------------------------------------------------
start_soilreg
(cd "$OUT" && "$PWD/../../../$PEERS/pygeoapi/bin/gunicorn" -w 4 -b $PYG --log-level error pygeoapi.flask_app:APP >pygeoapi.log 2>&1) & PIDS+=("$!")
wait_up "http://$PYG/collections/parcels?f=json"
cat > "$OUT/items.lua" <<'LUA'
math.randomseed(7)
local path = os.getenv("ITEMS_PATH")
request = function()
  local x = 116.00 + math.random() * 0.12
  local y = 39.86 + math.random() * 0.12
  return wrk.format("GET", string.format(path, x, y, x + 0.0117, y + 0.009))
end
LUA
echo "== (a) items: ~1 km² windows, limit=1000, wrk -t2 -c64 -d10s"
cat > "$OUT/items.sql" <<'SQL'
\set xi random(0, 120000)
\set yi random(0, 120000)
WITH w AS (SELECT ST_Transform(ST_MakeEnvelope(116.0 + :xi / 1000000.0, 39.86 + :yi / 1000000.0,
                  116.0117 + :xi / 1000000.0, 39.869 + :yi / 1000000.0, 4490), 4490) AS e),
m AS MATERIALIZED (SELECT p.id AS k, p.ctid AS t FROM parcels p, w WHERE p.retired_at IS NULL
                      AND p.geom && w.e AND (p.geom @ w.e OR ST_Intersects(p.geom, w.e)) LIMIT 10001),
page AS (SELECT k, t FROM m WHERE TRUE ORDER BY k LIMIT 1001)
SELECT (SELECT count(*) FROM m), p.id, p.code, ST_AsGeoJSON(p.geom, 7, 0), p.code, p.name, p.town, p.address,
       p.current_use, p.planned_use, p.gb36600_class::bigint, p.land_right::text, p.right_holder,
       p.responsible_party, p.risk::text, p.stage::text, p.area_m2::float8, p.version::bigint, p.updated_at
  FROM parcels p JOIN page ON page.t = p.ctid ORDER BY page.k;
SQL
for c in 16 64; do
  echo "raw PostGIS (the same statement, pgbench -c$c -j2 -T10; 16 = the service's pool): $(pgbench -n -c $c -j 2 -T 10 -f "$OUT/items.sql" "$URL" 2>/dev/null | grep -E '^tps' | awk '{print $3}') per s"
done
for peer in soilreg pygeoapi; do
  if [ $peer = soilreg ]; then host=$SOIL; path='/ogc/collections/parcels/items?bbox=%.5f,%.5f,%.5f,%.5f&limit=1000'; else host=$PYG; path='/collections/parcels/items?bbox=%.5f,%.5f,%.5f,%.5f&limit=1000&f=json'; fi
  ITEMS_PATH=$path wrk -t2 -c64 -d10s --timeout 10s --latency -s "$OUT/items.lua" "http://$host" > "$OUT/items-$peer.txt" || true
  echo "$peer: $(grep 'Requests/sec' "$OUT/items-$peer.txt") p50 $(grep -E '^ +50%' "$OUT/items-$peer.txt" | awk '{print $2}') p99 $(grep -E '^ +99%' "$OUT/items-$peer.txt" | awk '{print $2}') $(grep -E 'Non-2xx|Socket errors' "$OUT/items-$peer.txt" | tr '\n' ' ')"
done
sleep 5 # pygeoapi's workers finish what is queued
python3 - "http://$SOIL" <<'PY'
import json, random, sys, urllib.request
random.seed(7)
n = []
for _ in range(20):
    x, y = 116.00 + random.random() * 0.12, 39.86 + random.random() * 0.12
    url = f"{sys.argv[1]}/ogc/collections/parcels/items?bbox={x:.5f},{y:.5f},{x + 0.0117:.5f},{y + 0.009:.5f}&limit=1000"
    page = json.load(urllib.request.urlopen(url))
    n.append((page["numberReturned"], page.get("numberMatched", 10001)))
print(f"features per page over 20 windows: mean {sum(r for r, _ in n) / 20:.0f}, matched mean {sum(m for _, m in n) / 20:.0f}")
PY
echo "soilreg memory after items: $(rss "$SOIL_PID")"
[ "${ONLY:-}" = items ] && exit 0

# --- (b) tiles ----------------------------------------------------------------------------
python3 - "$OUT/tiles.txt" <<'PY'
import math, random, sys
random.seed(11)
def tile(z, lon, lat):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n)
    return x, y
out = []
for z in range(10, 17):
    x0, y1 = tile(z, 115.95, 39.84); x1, y0 = tile(z, 116.17, 40.06)
    cells = [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    random.shuffle(cells)
    out += [f"{z}/{x}/{y}" for x, y in cells[:40]]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
cat > "$OUT/fetch.py" <<'PY'
import sys, time, statistics, urllib.request, concurrent.futures as cf
base, listfile = sys.argv[1], sys.argv[2]
tiles = open(listfile).read().split()
def get(t):
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{base}/{t}", timeout=30) as r:
            n = len(r.read()); code = r.status
    except Exception as e:
        return t, time.perf_counter() - t0, 0, str(e)[:40]
    return t, time.perf_counter() - t0, n, code
for band, zs in (("z10-13", range(10, 14)), ("z14-16", range(14, 17))):
    ts = [t for t in tiles if int(t.split("/")[0]) in zs]
    t0 = time.perf_counter()
    with cf.ThreadPoolExecutor(16) as ex:
        res = list(ex.map(get, ts))
    wall = time.perf_counter() - t0
    lat = sorted(r[1] for r in res)
    errors = [r for r in res if not isinstance(r[3], int) or r[3] >= 400]
    print(f"  {band}: {len(ts)} tiles, {len(ts)/wall:.1f} tiles/s, p50 {statistics.median(lat)*1000:.0f} ms, "
          f"p99 {lat[int(len(lat)*0.99)-1]*1000:.0f} ms, max {max(r[2] for r in res)/1024:.0f} KB, errors {len(errors)}")
PY
cat > "$OUT/tiles.lua" <<'LUA'
local tiles, i = {}, 0
for line in io.lines(os.getenv("TILES")) do tiles[#tiles + 1] = line end
request = function()
  i = i % #tiles + 1
  return wrk.format("GET", os.getenv("PREFIX") .. tiles[i])
end
LUA
echo "== (b) tiles: $(wc -l < "$OUT/tiles.txt") tiles z10–z16 over the eastern district, 16 concurrent, each once (cold)"
kill "$SOIL_PID"; sleep 1; start_soilreg
echo "soilreg cold:"; python3 "$OUT/fetch.py" "http://$SOIL/tiles/parcels" "$OUT/tiles.txt"
# (c) the floor: the same z14–16 ranges straight from PostGIS (pgbench, 16 clients, 10 s),
# as ST_AsMVT builds the tile and as the rows soilreg reads to build it itself.
python3 - "$OUT" <<'PY'
import math, sys
def tile(z, lon, lat):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n)
    return x, y
env = "ST_TileEnvelope(:z, :x, :y)"
bodies = {
    "mvt": f"SELECT ST_AsMVT(t, 'parcels', 4096, 'geom') FROM (SELECT ST_AsMVTGeom(geom_3857, {env}, 4096, 64, true) AS geom, code, stage::text AS stage, risk::text AS risk, planned_use FROM parcels WHERE geom && ST_Transform({env}, 4490) AND retired_at IS NULL) t;",
    "rows": f"SELECT ST_AsBinary(geom_3857), code, stage::text, risk::text, planned_use FROM parcels WHERE geom && ST_Transform({env}, 4490) AND retired_at IS NULL;",
}
for z in (14, 15, 16):
    x0, y1 = tile(z, 115.95, 39.84); x1, y0 = tile(z, 116.17, 40.06)
    for name, body in bodies.items():
        open(f"{sys.argv[1]}/raw-{name}-{z}.sql", "w").write(
            f"\\set z {z}\n\\set x random({x0}, {x1})\n\\set y random({y0}, {y1})\n{body}\n")
PY
for kind in mvt rows; do
  tps=$(pgbench -n -c 16 -j 2 -T 10 -f "$OUT/raw-$kind-14.sql" -f "$OUT/raw-$kind-15.sql" -f "$OUT/raw-$kind-16.sql" "$URL" 2>/dev/null | grep -E '^tps' | awk '{print $3}')
  echo "raw PostGIS z14-16 ($kind): $tps per s"
done
start_martin 0
echo "martin cold (cache 0):"; python3 "$OUT/fetch.py" "http://$MARTIN/parcels" "$OUT/tiles.txt"
echo "== warm: wrk -t2 -c64 -d10s cycling the same list"
TILES=$PWD/$OUT/tiles.txt PREFIX=/tiles/parcels/ wrk -t2 -c64 -d10s --latency -s "$OUT/tiles.lua" "http://$SOIL" > "$OUT/warm-soilreg.txt" || true
echo "soilreg warm: $(grep Requests/sec "$OUT/warm-soilreg.txt"), memory $(rss "$SOIL_PID")"
kill "$MARTIN_PID"; sleep 1; start_martin 512
python3 "$OUT/fetch.py" "http://$MARTIN/parcels" "$OUT/tiles.txt" >/dev/null
TILES=$PWD/$OUT/tiles.txt PREFIX=/parcels/ wrk -t2 -c64 -d10s --latency -s "$OUT/tiles.lua" "http://$MARTIN" > "$OUT/warm-martin.txt" || true
echo "martin warm (cache 512 MB): $(grep Requests/sec "$OUT/warm-martin.txt"), memory $(rss "$MARTIN_PID")"
