#!/usr/bin/env bash
# Import performance against sqlite3's own CSV import, measured in the same run (issue 9).
# usage: scripts/bench-import.sh [RUNS]   (default 3; medians printed)
# Needs python3, sqlite3 and /usr/bin/time. Files go to target/bench-data/ (generated if absent).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
GEN=${GEN:-../shared/tools/gen_perf.py}
D=target/bench-data
mkdir -p "$D"
[ -f "$D/perf-1m.csv" ] || python3 "$GEN" 1000000 "$D/perf-1m.csv"
[ -f "$D/perf-1m-777.csv" ] || python3 "$GEN" 1000000 "$D/perf-1m-777.csv" --seed 777
[ -f "$D/perf-100k.csv" ] || python3 "$GEN" 100000 "$D/perf-100k.csv"
[ -f "$D/perf-100k.xlsx" ] || python3 - "$D/perf-100k.csv" "$D/perf-100k.xlsx" <<'PY'
import csv, sys, zipfile
from xml.sax.saxutils import escape
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
def col(i):
    s = ""
    i += 1
    while i: i, r = divmod(i - 1, 26); s = chr(65 + r) + s
    return s
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Contactos" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    out = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append('<row r="%d">' % r)
        for c, v in enumerate(row):
            if v: out.append('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col(c), r, escape(v)))
        out.append('</row>')
    out.append('</sheetData></worksheet>')
    z.writestr("xl/worksheets/sheet1.xml", "".join(out))
PY
cargo build --release --locked -q
BIN=target/release/telemercadeo
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }

yardstick() { # sqlite3 .import of one file into one plain table, the project's pragmas
    local db=$1 file=$2 t0
    t0=$(now)
    sqlite3 "$db" <<SQL >/dev/null
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
.import --csv $file contacts
SQL
    secs "$t0" "$(now)"
}

new_db() { # a database with one campaign (id 1)
    rm -f "$1" "$1-wal" "$1-shm"
    "$BIN" --db "$1" campaign create --name Bench --department D >/dev/null
}

# Another desk: short write transactions on its own connection while the import runs; prints
# the longest wait for the writer lock (BEGIN IMMEDIATE) and the longest whole transaction
# (which includes any WAL checkpoint its commit runs), in ms. It asks for the lock as the
# program's desks do (`store::sqlite::set_busy_timeout`): again every 5 ms while it is taken.
prober() {
    python3 - "$1" "$2" <<'PY'
import os, sqlite3, sys, time
db, stop = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db, timeout=0, isolation_level=None)
c.execute("PRAGMA busy_timeout = 0")
lock = whole = 0.0
while not os.path.exists(stop):
    t0 = time.perf_counter()
    while True:
        try:
            c.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
            time.sleep(0.005)
    t1 = time.perf_counter()
    c.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('bench_probe', ?)", (str(t0),))
    c.execute("COMMIT")
    lock, whole = max(lock, t1 - t0), max(whole, time.perf_counter() - t0)
    time.sleep(0.01)
print("%.0f %.0f" % (lock * 1000, whole * 1000))
PY
}

import_timed() { # db file -> "seconds peak_rss_mib"
    local db=$1 file=$2 t0 t1
    t0=$(now)
    /usr/bin/time -v -o "$W/time.txt" "$BIN" --db "$db" import --campaign 1 "$file" >/dev/null
    t1=$(now)
    echo "$(secs "$t0" "$t1") $(awk '/Maximum resident/ {printf "%.0f", $6/1024}' "$W/time.txt")"
}

declare -a Y1 F P WAIT WHOLE RSS Y2 XL CS YX
for run in $(seq "$RUNS"); do
    rm -f "$W"/y*.db*
    Y1+=("$(yardstick "$W/y1.db" "$D/perf-1m.csv")")
    Y2+=("$(yardstick "$W/y2.db" "$D/perf-1m-777.csv")")
    YX+=("$(yardstick "$W/y3.db" "$D/perf-100k.csv")")
    new_db "$W/a.db"
    rm -f "$W/stop"
    prober "$W/a.db" "$W/stop" >"$W/wait.txt" &
    PROBER=$!
    read -r s r < <(import_timed "$W/a.db" "$D/perf-1m.csv")
    touch "$W/stop"
    wait "$PROBER"
    F+=("$s"); RSS+=("$r"); read -r a b <"$W/wait.txt"; WAIT+=("$a"); WHOLE+=("$b")
    rm -f "$W/stop"
    prober "$W/a.db" "$W/stop" >"$W/wait.txt" &
    PROBER=$!
    read -r s r < <(import_timed "$W/a.db" "$D/perf-1m-777.csv")
    touch "$W/stop"
    wait "$PROBER"
    P+=("$s"); RSS+=("$r"); read -r a b <"$W/wait.txt"; WAIT+=("$a"); WHOLE+=("$b")
    new_db "$W/x.db"
    read -r s _ < <(import_timed "$W/x.db" "$D/perf-100k.xlsx")
    XL+=("$s")
    new_db "$W/c.db"
    read -r s _ < <(import_timed "$W/c.db" "$D/perf-100k.csv")
    CS+=("$s")
    echo "run $run: sqlite3 ${Y1[-1]} s · fresh ${F[-1]} s · populated ${P[-1]} s (sqlite3 ${Y2[-1]} s) · lock waits ${WAIT[-2]}/${WAIT[-1]} ms (whole tx ${WHOLE[-2]}/${WHOLE[-1]}) · xlsx ${XL[-1]} s vs csv ${CS[-1]} s"
done
m() { printf '%s\n' "$@" | median; }
mf=$(m "${F[@]}"); my1=$(m "${Y1[@]}"); mp=$(m "${P[@]}"); my2=$(m "${Y2[@]}")
mx=$(m "${XL[@]}"); mc=$(m "${CS[@]}")
wmax=$(printf '%s\n' "${WAIT[@]}" | sort -g | tail -1)
whmax=$(printf '%s\n' "${WHOLE[@]}" | sort -g | tail -1)
rmax=$(printf '%s\n' "${RSS[@]}" | sort -g | tail -1)

# Counts and opening on the database holding 2M contacts (a.db) against an empty one.
time_ms() { # command… -> median ms of 9
    for _ in 1 2 3 4 5 6 7 8 9; do
        local t0; t0=$(date +%s%N); "$@" >/dev/null; echo $(( ($(date +%s%N) - t0) / 1000 ))
    done | median | awk '{printf "%.1f", $1 / 1000}'
}
new_db "$W/e.db"
open_full=$(time_ms "$BIN" --db "$W/a.db" campaign list --json)
open_empty=$(time_ms "$BIN" --db "$W/e.db" campaign list --json)
sql_ms() { # db sql -> ms as sqlite3's timer says (median of 5 runs in one session)
    { echo ".timer on"; for _ in 1 2 3 4 5; do echo "$2"; done; } | sqlite3 "$1" 2>&1 |
        awk '/Run Time/ {print $4 * 1000}' | median
}
count_counter=$(sql_ms "$W/a.db" "SELECT contact_count FROM campaigns WHERE id = 1;")
count_view=$(sql_ms "$W/a.db" "SELECT COUNT(*) FROM visible_contacts WHERE campaign_id = 1;")
# A status alone is counted from the dashboards' counts (contact_counts), as the store does;
# the scan it replaced is printed beside it.
count_status=$(sql_ms "$W/a.db" "SELECT COALESCE(SUM(k.records), 0) FROM contact_counts k WHERE k.campaign_id = 1 AND k.status = 'pendiente' AND k.batch_id NOT IN (SELECT id FROM import_batches WHERE status <> 'confirmada');")
count_status_scan=$(sql_ms "$W/a.db" "SELECT COUNT(*) FROM campaign_contacts v WHERE v.campaign_id = 1 AND (v.batch_id IS NULL OR v.batch_id NOT IN (SELECT id FROM import_batches WHERE status <> 'confirmada')) AND v.status = 'pendiente';")

echo
echo "medians of $RUNS runs (release build)"
printf '%-58s %10s %14s %8s\n' "what" "program" "sqlite3/other" "ratio"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}'; }
printf '%-58s %9ss %13ss %8s\n' "1M rows into a fresh database" "$mf" "$my1" "$(ratio "$mf" "$my1")"
printf '%-58s %9ss %13ss %8s\n' "second, different 1M file into it (same campaign)" "$mp" "$my2" "$(ratio "$mp" "$my2")"
printf '%-58s %8sms %14s\n' "another connection's small write: longest lock wait (all runs)" "$wmax" "≤ 300 ms"
printf '%-58s %8sms\n' "  … its longest whole transaction (incl. a WAL checkpoint)" "$whmax"
printf '%-58s %7sMiB %14s\n' "peak RSS of the import process (largest of all runs)" "$rmax" "≤ 64 MiB"
printf '%-58s %9ss %13ss %8s\n' "100k rows: XLSX vs the same rows as CSV" "$mx" "$mc" "$(ratio "$mx" "$mc")"
printf '%-58s %8sms %12sms\n' "unfiltered count at 2M (counter vs COUNT(*) via the view)" "$count_counter" "$count_view"
printf '%-58s %8sms %12sms\n' "count by status at 2M (kept counts vs the scan)" "$count_status" "$count_status_scan"
printf '%-58s %8sms %12sms %8s\n' "open + campaign list: 2M contacts vs empty database" "$open_full" "$open_empty" "$(ratio "$open_full" "$open_empty")"
