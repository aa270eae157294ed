#!/usr/bin/env bash
# Benchmark: GET /api/parcels?bbox=…&limit=500 over N generated parcels (default 100,000),
# 10 s at 64 connections with wrk, beside the raw PostGIS time of the same SQL (pgbench).
# Usage: bench/parcels.sh [N]      Needs: make deps (wrk, PostgreSQL 15 + PostGIS).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
OUT=bench/out
PG_PORT=54340
HTTP=127.0.0.1:18080
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
  psql -q "$URL" -c "DELETE FROM parcels WHERE code LIKE 'GEN-%'" 2>/dev/null || true
  start=$(date +%s.%N)
  $BIN demo generate --parcels "$N" >/dev/null
  echo "generated $N parcels in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
fi
$BIN serve --listen $HTTP >"$OUT/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://$HTTP/healthz" >/dev/null && break; sleep 0.2; done

echo "== soilreg: wrk -t2 -c64 -d10s, random ~1.2 km x 1 km windows, limit=500"
wrk -t2 -c64 -d10s --latency -s bench/bbox.lua "http://$HTTP" | tee "$OUT/wrk.txt" \
  | grep -E 'Requests/sec|^ +50%|^ +99%|Transfer/sec'
RSS=$(ps -o rss= -p "$SERVER")
echo "soilreg resident memory after the run: $((RSS / 1024)) MB"

echo "== raw PostGIS: the same two statements (page + capped count), pgbench -c64 -j2 -T10"
pgbench -n -c 64 -j 2 -T 10 -f bench/bbox.sql "$URL" 2>"$OUT/pgbench.err" | grep -E "tps|latency average" || cat "$OUT/pgbench.err"
echo "mean features per page: $(psql -Atq "$URL" -f bench/page-size.sql)"
