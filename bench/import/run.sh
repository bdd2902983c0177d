#!/usr/bin/env bash
# bench/import/run.sh — the legacy import of IMPORT_BENCH_ROWS generated rows, timed
# next to a raw COPY of the same file into the same kind of table (temporary, text
# columns), on an instance of its own (build/bench-import/var, free ports, demo
# agents, no demo requests). Run by `make bench-import`; see bench/import/README.md.
#
#   IMPORT_BENCH_ROWS   rows of the generated file [1000000]
#   IMPORT_BENCH_WAL    max_wal_size of the bench's server, or "default" (1GB) [4GB]
#   IMPORT_BENCH_KEEP   1: leave the instance running at the end [0]
#   IV_MODULE           the module tools/stack loads [build/release/.libs/mod_interventions.so]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
ROWS=${IMPORT_BENCH_ROWS:-1000000}
KEEP=${IMPORT_BENCH_KEEP:-0}
WAL=${IMPORT_BENCH_WAL:-4GB}
B=$ROOT/build/bench-import
VAR=$B/var
FILE=$B/legacy-$ROWS.csv
TOOL=$ROOT/build/release/interventions-import
PSQL=/usr/lib/postgresql/15/bin/psql

free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now() { date +%s.%N; }
secs() { /usr/bin/python3 -c "print(f'{$2 - $1:.1f}')"; }

[ -x "$TOOL" ] || { echo "bench-import : $TOOL manque (make)" >&2; exit 1; }
mkdir -p "$B"

# The file: generated once per size (same seed, same file). No "shifted_columns"
# dirt: a row with a separator in a field has a column too many, and COPY, the
# reference, would refuse the whole file.
if [ ! -s "$FILE" ]; then
    echo "génération de $ROWS lignes dans $FILE"
    "$ROOT/tools/generate-legacy" --seed 7 --years 2005-2024 --without shifted_columns \
        --manifest "$B/legacy-$ROWS.json" "$ROWS" "$FILE"
fi

export IV_VAR=$VAR IV_QUIET=1 IV_DEMO=1 IV_DEMO_ROWS=0
export IV_MODULE=${IV_MODULE:-$ROOT/build/release/.libs/mod_interventions.so}
export IV_HTTP_PORT=$(free_port) IV_PG_PORT=$(free_port) IV_LDAP_PORT=$(free_port)
"$ROOT/tools/stack" reset >/dev/null 2>&1 || true
"$ROOT/tools/stack" start >/dev/null
cleanup() { [ "$KEEP" = 1 ] || "$ROOT/tools/stack" stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
. "$VAR/ports"
CONN="host=$VAR/pg/run port=$IV_PG_PORT dbname=interventions user=interventions"

cols=$(head -1 "$FILE" | tr ';' '\n' | tr -d '\r' | sed 's/.*/"&" text/' | paste -sd, -)
admin() { "$PSQL" -X -q -h "$VAR/pg/run" -p "$IV_PG_PORT" -U postgres -d interventions "$@"; }
# A million rows write about 2 GB of WAL (rows, then the rebuilt indexes): with the
# default max_wal_size of 1 GB the server checkpoints every ten seconds during the
# merge ("checkpoints are occurring too frequently"). A migration's server is set as
# a DBA would set it for the night; IMPORT_BENCH_WAL=default measures without.
if [ "$WAL" != default ]; then
    admin -c "ALTER SYSTEM SET max_wal_size = '$WAL'" -c "SELECT pg_reload_conf()" >/dev/null
fi
admin -c CHECKPOINT

# Raw COPY: the file as it is into text columns, nothing cleaned, in a transaction
# that is rolled back (as the import's staging tables are dropped at its commit).
t0=$(now)
"$PSQL" -X -q -v ON_ERROR_STOP=1 "$CONN" <<SQL
BEGIN;
CREATE TEMP TABLE raw_legacy ($cols) ON COMMIT DROP;
\copy raw_legacy FROM '$FILE' WITH (FORMAT csv, HEADER true, DELIMITER ';')
ROLLBACK;
SQL
t1=$(now)
copy_s=$(secs "$t0" "$t1")

mkdir -p "$B/reports"
admin -c CHECKPOINT
t0=$(now)
"$TOOL" --db "$CONN" --report "$B/reports" --user bench "$FILE" >"$B/import.out"
t1=$(now)
import_s=$(secs "$t0" "$t1")

summary=$(grep -m1 '^lues ' "$B/import.out")
timings=$(grep '^durées' "$B/import.out")
/usr/bin/python3 - "$ROWS" "$copy_s" "$import_s" <<'PY'
import sys
rows, copy_s, import_s = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"\n{rows} lignes ({rows / 1e6:g} M)")
print(f"  COPY brut (table temporaire, colonnes texte) : {copy_s:7.1f} s  {rows / copy_s:9.0f} lignes/s")
print(f"  import complet (interventions-import)         : {import_s:7.1f} s  {rows / import_s:9.0f} lignes/s")
print(f"  import / COPY : vitesse de l'import = {100 * copy_s / import_s:.0f} % de celle du COPY brut")
PY
echo "  $summary"
echo "  $timings"
echo "  max_wal_size : $(admin -At -c 'SHOW max_wal_size') ; charge de la machine : $(cut -d' ' -f1-3 /proc/loadavg)"
