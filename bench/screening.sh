#!/usr/bin/env bash
# Benchmark: screen 1,000,000 soil results over 10,000 parcels against GB 36600
# (`soilreg screen`), beside the same comparison done in one SQL query as the floor.
# Usage: bench/screening.sh        Needs: make deps.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out/screening
PG_PORT=54341
mkdir -p "$OUT"
cargo build --release --locked -q
BIN=./target/release/soilreg
PGDIR="$PWD/$OUT/pg"
URL=$($BIN --pg-dir "$PGDIR" --pg-port $PG_PORT db start)
trap '$BIN --pg-dir "$PGDIR" --pg-port $PG_PORT db stop >/dev/null 2>&1 || true' EXIT
export DATABASE_URL=$URL
have=$(psql -Atq "$URL" -c "SELECT count(*) FROM results" 2>/dev/null || echo 0)
if [ "$have" != "1000000" ]; then
  $BIN migrate >/dev/null
  psql -q "$URL" -c "TRUNCATE results, samples, sampling_points CASCADE"
  $BIN demo generate --parcels 10000 --seed 3 >/dev/null
  psql -q "$URL" <<'SQL'
-- 4 points per parcel, one sample each, 25 analytes per sample: 1,000,000 results,
-- values spread from 0 to 3x the class-1 screening value.
INSERT INTO sampling_points (parcel_id, point_id, geom)
SELECT p.id, 'B' || k, ST_PointOnSurface(p.geom) FROM parcels p, generate_series(1, 4) k WHERE p.code LIKE 'GEN-%';
INSERT INTO samples (point_id, depth_top_m, depth_bottom_m, sampled_on) SELECT id, 0, 0.5, '2023-05-01' FROM sampling_points;
INSERT INTO results (sample_id, item_no, analyte_as_reported, value_mgkg, reported_value, reported_unit, below_detection)
SELECT s.id, i.item_no, i.name_zh, v, v::text, 'mg/kg', v < i.screen_class1 * 0.05
  FROM samples s
 CROSS JOIN (SELECT item_no, name_zh, screen_class1 FROM gb36600_items ORDER BY item_no LIMIT 25) i
 CROSS JOIN LATERAL (SELECT round((i.screen_class1 * 3 * ((hashtext(s.id || i.item_no) & 1023) / 1023.0))::numeric, 6)::float8 AS v) x;
ANALYZE;
SQL
fi
echo "results: $(psql -Atq "$URL" -c 'SELECT count(*) FROM results'), parcels with results: $(psql -Atq "$URL" -c 'SELECT count(DISTINCT parcel_id) FROM sampling_points')"
for run in 1 2 3; do
  echo "soilreg screen (run $run): $($BIN screen)"
done
echo "raw SQL floor (the same comparison, verdict per parcel, in one query):"
for run in 1 2 3; do
  psql -Atq "$URL" <<'SQL' | grep -E 'Time' | sed "s/^/  run $run: /"
\timing on
SELECT count(*) FILTER (WHERE lvl = 2) AS over_intervention, count(*) FILTER (WHERE lvl = 1) AS over_screening,
       count(*) FILTER (WHERE lvl = 0) AS below
  FROM (SELECT sp.parcel_id,
               max(CASE WHEN r.below_detection THEN 0
                        WHEN r.value_mgkg > CASE p.gb36600_class WHEN 1 THEN i.intervene_class1 ELSE i.intervene_class2 END THEN 2
                        WHEN r.value_mgkg > CASE p.gb36600_class WHEN 1 THEN i.screen_class1 ELSE i.screen_class2 END THEN 1
                        ELSE 0 END) AS lvl
          FROM results r JOIN samples s ON s.id = r.sample_id JOIN sampling_points sp ON sp.id = s.point_id
          JOIN parcels p ON p.id = sp.parcel_id JOIN gb36600_items i ON i.item_no = r.item_no
         WHERE s.matrix = 'soil'
         GROUP BY sp.parcel_id) v;
SQL
done
