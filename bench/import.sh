#!/usr/bin/env bash
# Benchmark: import N generated parcels (default 1,000,000) from a GeoPackage with every
# validation on, beside ogr2ogr -f PostgreSQL loading the same file into the same server.
# Usage: bench/import.sh [N]      Needs: make deps (PostgreSQL 15 + PostGIS, gdal-bin).
# PGDIR=... uses another cluster; SRC_DB=... a database of it that already holds the parcels.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
. bench/import-cluster.sh

# The source register: the demo district (whose outline the target registers take) and,
# only while the GeoPackage is to be written, N generated parcels (both kept between runs:
# generating 1,000,000 takes minutes).
SRC=$(db "${SRC_DB:-src$N}")
GPKG="$OUT/parcels-$N.gpkg"
if ! psql -Atq "$SRC" -c "SELECT 1" >/dev/null 2>&1; then
  psql -q "$ADMIN" -c "CREATE DATABASE ${SRC_DB:-src$N}"
  DATABASE_URL=$SRC $BIN demo load >/dev/null
fi
if [ ! -s "$GPKG" ] && [ "$(psql -Atq "$SRC" -c "SELECT count(*) FROM parcels WHERE code LIKE 'GEN-%'")" = 0 ]; then
  t=$(date +%s.%N)
  DATABASE_URL=$SRC $BIN demo generate --parcels "$N" >/dev/null
  echo "generated $N parcels in $(secs "$t") s"
fi
if [ ! -s "$GPKG" ]; then
  t=$(date +%s.%N)
  DATABASE_URL=$SRC $BIN export --out "$GPKG" --filter "code LIKE 'GEN-%'"
  echo "exported $N parcels to $GPKG in $(secs "$t") s ($(du -h "$GPKG" | cut -f1))"
fi

for d in imp ogr raw; do
  psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $d" -c "CREATE DATABASE $d"
done
# The target register has the district (so the outside-the-district check runs) and no parcels.
for d in imp raw; do
  DATABASE_URL=$(db $d) $BIN migrate >/dev/null
  psql -Atq "$SRC" -c "COPY (SELECT id, name, ST_AsEWKT(boundary), synthetic FROM district) TO STDOUT" \
    | psql -q "$(db $d)" -c "COPY district (id, name, boundary, synthetic) FROM STDIN"
done
psql -q "$(db ogr)" -c "CREATE EXTENSION postgis"

echo "== soilreg import (validation on: geometry, district, overlaps, codes, areas), all or nothing"
t=$(date +%s.%N)
DATABASE_URL=$(db imp) $BIN import "$GPKG" --report "$OUT/import-report.json" 2>"$OUT/import.log" || true
echo "soilreg import: $(secs "$t") s, $(psql -Atq "$(db imp)" -c 'SELECT count(*) FROM parcels') parcels written"
phases < "$OUT/import.log"

echo "== the same file again, with updates asked for: every feature is found unchanged, nothing written"
t=$(date +%s.%N)
DATABASE_URL=$(db imp) $BIN import "$GPKG" --update --report /dev/null 2>"$OUT/reimport.log" || true
echo "soilreg import --update, again: $(secs "$t") s, $(psql -Atq "$(db imp)" -c 'SELECT count(*) FROM parcel_versions') versions kept"
phases < "$OUT/reimport.log"

echo "== ogr2ogr -f PostgreSQL (no validation), same file, same server"
t=$(date +%s.%N)
PGPASSWORD= ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$PG_PORT user=postgres dbname=ogr" "$GPKG" \
  -nln parcels -lco GEOMETRY_NAME=geom --config PG_USE_COPY YES
echo "ogr2ogr: $(secs "$t") s, $(psql -Atq "$(db ogr)" -c 'SELECT count(*) FROM parcels') rows"

echo "== the raw write: the same rows, loaded by ogr2ogr into a side table, inserted into an empty register by one INSERT (no checks)"
PGPASSWORD= ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$PG_PORT user=postgres dbname=raw" "$GPKG" \
  -nln loaded -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE --config PG_USE_COPY YES
t=$(date +%s.%N)
psql -q "$(db raw)" -c "INSERT INTO parcels (code, name, town, address, current_use, planned_use, gb36600_class,
    land_right, right_holder, responsible_party, risk, geom, area_m2, land_right_initial)
  SELECT code, name, town, address, current_use, planned_use, gb36600_class, land_right::land_right,
         right_holder, responsible_party, risk::soil_risk, ST_Multi(geom), ST_Area(geom::geography), land_right::land_right
    FROM loaded ORDER BY fid"
echo "raw INSERT into the register: $(secs "$t") s, $(psql -Atq "$(db raw)" -c 'SELECT count(*) FROM parcels') parcels"
