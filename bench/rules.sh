#!/usr/bin/env bash
# Benchmark: supply-check an annual plan of 1,000 parcels, and compute all safe-utilization
# rates, over 1,000,000 parcels (20,000 of them with lifecycle histories), through the HTTP API.
# Usage: bench/rules.sh [N]        Needs: make deps.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=bench/out/rules
PG_PORT=54342
HTTP=127.0.0.1:18082
mkdir -p "$OUT"
cargo build --release --locked -q
BIN=./target/release/soilreg
PGDIR="$PWD/$OUT/pg"
URL=$($BIN --pg-dir "$PGDIR" --pg-port $PG_PORT db start)
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  $BIN --pg-dir "$PGDIR" --pg-port $PG_PORT db stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
export DATABASE_URL=$URL
have=$(psql -Atq "$URL" -c "SELECT count(*) FROM parcels WHERE code LIKE 'GEN-%'" 2>/dev/null || echo 0)
if [ "$have" != "$N" ]; then
  $BIN demo load >/dev/null
  start=$(date +%s.%N)
  $BIN demo generate --parcels "$N" --seed 5 >/dev/null
  $BIN demo histories --limit 20000
  echo "setup: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}') s"
fi
echo "parcels: $(psql -Atq "$URL" -c 'SELECT count(*) FROM parcels'), with histories: $(psql -Atq "$URL" -c 'SELECT count(DISTINCT parcel_id) FROM parcel_events')"
$BIN serve --listen $HTTP >"$OUT/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://$HTTP/healthz" >/dev/null && break; sleep 0.2; done
# A plan of 1,000 parcels: half with histories, half without, each for housing.
psql -Atq "$URL" -c "SELECT json_build_object('entries', json_agg(json_build_object('code', code, 'use', '0701')))
  FROM (SELECT code FROM (SELECT DISTINCT p.code FROM parcels p JOIN parcel_events e ON e.parcel_id = p.id LIMIT 500) a
        UNION ALL SELECT code FROM (SELECT code FROM parcels WHERE code LIKE 'GEN-%' ORDER BY id DESC LIMIT 500) b) s" > "$OUT/plan.json"
for run in 1 2 3; do
  curl -s -o "$OUT/check.json" -w "supply-check of 1,000 parcels (run $run): %{time_total} s\n" \
    -H 'content-type: application/json' --data-binary @"$OUT/plan.json" "http://$HTTP/api/supply-check"
done
python3 -c "import json;print('summary:', json.load(open('$OUT/check.json'))['summary'])"
for run in 1 2 3; do
  curl -s -o "$OUT/rates.json" -w "all safe-utilization rates, year 2023 (run $run): %{time_total} s\n" \
    "http://$HTTP/api/stats/safe-utilization?year=2023"
done
python3 -c "import json;d=json.load(open('$OUT/rates.json'));print([(r['definition']['id'], r['numerator'], r['denominator']) for r in d['rates']])"
