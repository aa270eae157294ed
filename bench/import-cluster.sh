# Sourced by the import benchmarks: builds the release binary and starts the embedded
# cluster in $PGDIR (default bench/out/pg-import) on port 54342, stopped when the script
# exits. Gives BIN, ADMIN (the postgres database's URL), `db NAME` (a database's URL),
# `secs T0` (seconds since T0) and `phases` (an import's log on stdin → its phase times,
# its summary line and any error).
OUT=bench/out
PG_PORT=54342
mkdir -p "$OUT"
cargo build --release --locked -q
BIN=./target/release/soilreg
PGDIR=${PGDIR:-$PWD/$OUT/pg-import}
ADMIN=$($BIN --pg-dir "$PGDIR" --pg-port $PG_PORT db start | sed 's#/soilreg$#/postgres#')
trap '$BIN --pg-dir "$PGDIR" --pg-port $PG_PORT db stop >/dev/null 2>&1 || true' EXIT
db() { echo "${ADMIN%/postgres}/$1"; }
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
phases() {
  sed 's/\x1b\[[0-9;]*m//g' | grep -o 'PhaseTime.*\|features —.*\|^Error.*\|^    [^ 0-9].*' \
    | grep -o 'phase: "[a-z]*", seconds: [0-9.]*\|features —.*\|^Error.*\|^    [^ ].*' \
    | awk -F'"' '/^phase/ {split($3, a, " "); printf "  %-10s %6.1f s\n", $2, a[3]; next} {print "  " $0}'
}
