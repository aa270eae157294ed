#!/usr/bin/env bash
# Benchmark: the import's checks on a file shaped like a real district, where parcels share
# their edges — COLS × ROWS squares (default 330 × 300 = 99,000) in a grid, each meeting its
# eight neighbours. Prints the phases of a dry run into an empty register, then of the same
# file re-imported into a register that holds it. Needs: make deps, python3.
# Usage: bench/import-adjacent.sh [COLS] [ROWS]      PGDIR=... uses another cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
COLS=${1:-330}
ROWS=${2:-300}
. bench/import-cluster.sh
DB=$(db adjacent)

GJ="$OUT/adjacent-$COLS-$ROWS.geojson"
GPKG="$OUT/adjacent-$COLS-$ROWS.gpkg"
python3 - "$COLS" "$ROWS" "$GJ" <<'PY'
import json, sys
cols, rows, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
# 0.0006° ≈ 51 m × 67 m, smaller for larger grids so that the grid stays within 0.3°
x0, y0, d = 115.85, 39.85, min(0.0006, 0.3 / max(cols, rows))
features = []
for i in range(cols):
    for j in range(rows):
        n = i * rows + j + 1
        x, y = x0 + i * d, y0 + j * d
        features.append({"type": "Feature",
                         "properties": {"code": f"ADJ-{n:06d}", "name": f"相邻地块{n}", "town": "永定镇"},
                         "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}})
json.dump({"type": "FeatureCollection", "features": features}, open(out, "w"))
PY
rm -f "$GPKG"
ogr2ogr -f GPKG "$GPKG" "$GJ" -a_srs EPSG:4490 -nln parcels
rm -f "$GJ"

psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS adjacent" -c "CREATE DATABASE adjacent"
DATABASE_URL=$DB $BIN migrate >/dev/null
echo "== $((COLS * ROWS)) adjacent parcels, dry run into an empty register (the district's envelope as its outline)"
psql -q "$DB" -c "INSERT INTO district (id, name, boundary, synthetic)
                   VALUES (1, '门头沟区', ST_Multi(ST_MakeEnvelope(115.42, 39.81, 116.17, 40.18, 4490)), true)"
DATABASE_URL=$DB $BIN import "$GPKG" --dry-run --report /dev/null 2>&1 >/dev/null | phases
echo "== written, then the same file again (every feature already in the register)"
DATABASE_URL=$DB $BIN import "$GPKG" --report /dev/null 2>&1 >/dev/null | phases
DATABASE_URL=$DB $BIN import "$GPKG" --dry-run --report /dev/null 2>&1 >/dev/null | phases
