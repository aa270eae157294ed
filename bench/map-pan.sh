#!/usr/bin/env bash
# Benchmark: panning and zooming the map in headless Chromium over N generated parcels
# (default 100,000) plus the demo district; frame times by requestAnimationFrame
# (bench/map-pan.mjs), report in bench/out/map-pan.json.
# Usage: bench/map-pan.sh [N]
# Needs: make deps (chromium), make web (web/dist and playwright-core in web/node_modules).
# SOILREG_BIN: the binary (default ./target/release/soilreg, built when missing).
# DATABASE_URL: a database to fill (default: a scratch cluster under bench/out/pg on PG_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
OUT=bench/out
PG_PORT=${PG_PORT:-54340}
HTTP=${HTTP:-127.0.0.1:18081}
mkdir -p "$OUT"
BIN=${SOILREG_BIN:-./target/release/soilreg}
[ -x "$BIN" ] || cargo build --release --locked -q
[ -f web/dist/index.html ] || (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
PGDIR="$PWD/$OUT/pg"
STARTED=""
if [ -z "${DATABASE_URL:-}" ]; then
  DATABASE_URL=$($BIN --pg-dir "$PGDIR" --pg-port "$PG_PORT" db start)
  STARTED=1
fi
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "$STARTED" ] && $BIN --pg-dir "$PGDIR" --pg-port "$PG_PORT" db stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
export DATABASE_URL
$BIN migrate >/dev/null
$BIN demo load >/dev/null
have=$(psql -Atq "$DATABASE_URL" -c "SELECT count(*) FROM parcels WHERE code LIKE 'GEN-%'")
if [ "$have" != "$N" ]; then
  psql -q "$DATABASE_URL" -c "DELETE FROM parcels WHERE code LIKE 'GEN-%'"
  start=$(date +%s.%N)
  $BIN demo generate --parcels "$N" >/dev/null
  echo "generated $N parcels in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
fi
$BIN serve --listen "$HTTP" >"$OUT/map-pan-serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 150); do curl -sf "http://$HTTP/healthz" >/dev/null && break; sleep 0.2; done
node bench/map-pan.mjs "http://$HTTP" "$OUT"
