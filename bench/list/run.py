#!/usr/bin/python3
"""bench/list/run.py — the list page under load, next to PostgreSQL running its SQL.

For each scenario (unfiltered, filtered + sorted, free text), in one run:
  1. wrk -t2 -c16 -d20s against the page, with the session cookie of a user who
     signed in through the login form (login.sh, curl);
  2. pgbench -n -c16 -j2 -T20 -M prepared with the statements that page runs, with
     the same parameters: the session lookup, the reference lists, the capped count
     and the page of rows. The SQL comes from mod_interventions/list_sql.h through
     dump-sql.c, so it is the text the module prepares (the session lookup is a copy
     of store_session.c's, see dump-sql.c).
Then a table: req/s, p50, p99 of both, and the ratio page / pgbench.

    bench/list/run.py [--seconds 20] [--connections 16] [--threads 2] [--only NAME]
Environment: BASE (http://127.0.0.1:8080/interventions), PGHOST, PGPORT, PGDATABASE,
PGUSER (libpq, as tools/stack psql uses), IV_LOGIN (admin), IV_PASSWORD (demo),
SESSION_IDLE / SESSION_MAX (seconds, 1800 / 36000: the InterventionsSession* values).
Needs a database with data (tools/generate-requests 1000000) and a running httpd.
Not part of make test.
"""
import argparse
import glob
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CAP = 1000         # IV_LIST_COUNT_CAP (list_query.h)

# name, query string, sort statement, (limit, offset), filters the handler derives from
# the query string (h_list.c: check_filters), and the pairs of the statement.
FILTERS = ("scope", "communes", "login", "q", "num", "yr", "statuses", "commune", "object",
           "team", "agent", "origin", "date_from", "date_to")
SCENARIOS = [
    ("unfiltered", "", "iv_list_date_desc", 1, 25, 0, {}),
    ("filtered_sorted",
     "commune=94080&statut=cloturee&du=01%2F01%2F2019&au=31%2F12%2F2023&tri=adresse&ordre=asc",
     "iv_list_address_asc", 1, 25, 0,
     {"statuses": "cloturee", "commune": "94080", "date_from": "2019-01-01",
      "date_to": "2023-12-31"}),
    ("free_text", "q=lef%C3%A8vre+marie", "iv_list_date_desc", 1, 25, 0,
     {"q": "lefèvre marie"}),
    # the worst common cases: a frequent name, a word in every tenth address
    ("free_text_frequent_name", "q=lef%C3%A8vre", "iv_list_date_desc", 1, 25, 0,
     {"q": "lefèvre"}),
    ("free_text_common_word", "q=%C3%A9glise", "iv_list_date_desc", 1, 25, 0,
     {"q": "église"}),
]


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def build_dump_sql(tmp):
    exe = Path(tmp) / "dump-sql"
    sh(["gcc", "-std=c11", "-O1", "-I", str(ROOT / "mod_interventions"),
        str(HERE / "dump-sql.c"), "-o", str(exe)])
    return exe


def pgbench_vars(cookie, filters, pairs, limit, offset):
    """Values of the placeholders: s* session lookup, c* count, p* rows."""
    idle = int(os.environ.get("SESSION_IDLE", 1800))
    touch = min(idle // 10, 60)
    values = [filters.get(name, "") for name in FILTERS]
    d = {"s1": touch, "s2": hashlib.sha256(cookie.encode()).hexdigest(), "s3": idle,
         "s4": int(os.environ.get("SESSION_MAX", 36000))}
    for i, v in enumerate(values + [CAP + 1], 1):
        d[f"c{i}"] = v
    for i, v in enumerate(values + [limit, offset] * pairs, 1):
        d[f"p{i}"] = v
    return d


def with_values(script, values):
    """pgbench -D refuses empty values: an empty filter becomes the literal '' in the
    script (with force_custom_plan the planner folds a parameter '' and a literal ''
    alike); the others stay parameters, passed with -D."""
    args = []
    for name, value in values.items():
        if value == "":
            script = script.replace(f":{name}::varchar", "''::varchar")
        else:
            args += ["-D", f"{name}={value}"]
    return script, args


def run_wrk(url, cookie, seconds, conns, threads):
    out = sh(["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--timeout", "5s",
              "-s", str(HERE / "wrk-session.lua"), url], env=dict(os.environ, IV_COOKIE=cookie))
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    return json.loads(line[len("WRK_JSON "):])


def run_pgbench(script, args, seconds, conns, threads, tmp):
    for f in glob.glob(os.path.join(tmp, "pgbench_log.*")):
        os.unlink(f)
    out = sh(["pgbench", "-n", f"-c{conns}", f"-j{threads}", f"-T{seconds}", "-M", "prepared",
              "-f", script, "-l", "--log-prefix", os.path.join(tmp, "pgbench_log"), *args])
    tps = next(float(x.split("=")[1].split()[0]) for x in out.splitlines()
               if x.startswith("tps ="))
    lat = sorted(int(line.split()[2]) for f in glob.glob(os.path.join(tmp, "pgbench_log.*"))
                 for line in open(f))
    q = statistics.quantiles(lat, n=100)
    return {"tps": tps, "p50_ms": q[49] / 1000, "p99_ms": q[98] / 1000, "transactions": len(lat)}


def check_page(url, cookie):
    out = subprocess.run(["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "-b",
                          f"iv_session={cookie}", url], capture_output=True, text=True)
    body, code = out.stdout.rsplit("\n", 1)
    if code != "200" or 'class="data list-table"' not in body:
        sys.exit(f"run.py : {url} répond {code} sans le tableau (session ? données ?)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--only")
    a = p.parse_args()
    base = os.environ.get("BASE", "http://127.0.0.1:8080/interventions")
    cookie = sh([str(HERE / "login.sh"), base, os.environ.get("IV_LOGIN", "admin"),
                 os.environ.get("IV_PASSWORD", "demo")]).strip()
    rows = int(sh(["psql", "-X", "-At", "-c", "SELECT count(*) FROM interventions"]))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        dump = build_dump_sql(tmp)
        for name, qs, label, pairs, limit, offset, filters in SCENARIOS:
            if a.only and name != a.only:
                continue
            filters = dict({"scope": "all"}, **filters)
            url = f"{base}/" + (f"?{qs}" if qs else "")
            check_page(url, cookie)
            script = os.path.join(tmp, f"{name}.sql")
            text, args = with_values(sh([str(dump), "pgbench", label]),
                                     pgbench_vars(cookie, filters, pairs, limit, offset))
            Path(script).write_text(text)
            if a.warmup:
                run_wrk(url, cookie, a.warmup, a.connections, a.threads)
            w = run_wrk(url, cookie, a.seconds, a.connections, a.threads)
            time.sleep(1)
            g = run_pgbench(script, args, a.seconds, a.connections, a.threads, tmp)
            results.append((name, url, w, g))
            print(f"{name}: page {w['rps']:.0f} req/s p50 {w['p50_ms']:.2f} ms "
                  f"p99 {w['p99_ms']:.2f} ms | pgbench {g['tps']:.0f} tps p50 {g['p50_ms']:.2f} "
                  f"ms p99 {g['p99_ms']:.2f} ms", flush=True)
    print()
    print(f"{rows} demandes ; wrk -t{a.threads} -c{a.connections} -d{a.seconds}s ; "
          f"pgbench -n -c{a.connections} -j{a.threads} -T{a.seconds} -M prepared")
    print("| scénario | page req/s | p50 ms | p99 ms | erreurs | pgbench tps | p50 ms | p99 ms "
          "| page / pgbench |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, url, w, g in results:
        print(f"| {name} | {w['rps']:.0f} | {w['p50_ms']:.2f} | {w['p99_ms']:.2f} | "
              f"{w['socket_errors'] + w['non_2xx']} | {g['tps']:.0f} | {g['p50_ms']:.2f} | "
              f"{g['p99_ms']:.2f} | {100 * w['rps'] / g['tps']:.0f} % |")
    for name, url, w, g in results:
        print(f"- {name}: {url}")


if __name__ == "__main__":
    main()
