#!/usr/bin/python3
"""bench/bench.py — `make bench`: mod_interventions under load, side by side with what
PostgreSQL alone does with the same SQL. See bench/README.md.

Environment (make passes its variables through):
  BENCH_ROWS      requests generated [1000000]
  BENCH_SECONDS   duration of each wrk and each pgbench run [20]
  BENCH_CONNS     connections of wrk and clients of pgbench [16]
  BENCH_THREADS   wrk and pgbench threads [2]
  BENCH_WARMUP    seconds of wrk before each measured run (not counted) [2]
  BENCH_ONLY      comma-separated scenario keys to run (default: all)
  BENCH_REUSE     1: keep the data of the previous run when it has the same size
                  (the requests a previous run created are deleted) [0]
  BENCH_KEEP      1: leave the bench stack running at the end (to look into it) [0]
  BENCH_VAR       runtime directory of the bench stack [build/bench]
  SOAK            1: the soak instead of the scenarios [0]
  SOAK_REQUESTS   requests of the soak [100000]
  SOAK_WARMUP     requests before the soak's first RSS reading [20000]
"""
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgcapture import Capture, pgbench_script          # noqa: E402
from runners import (BENCH, MOUNT, ROOT, BenchError, Client, RssSampler, Stack,  # noqa: E402
                     have_tools, run_pgbench, run_wrk)

RESULTS = BENCH / "results"
SEED = 20261125


def env_int(name, default):
    try:
        return int(os.environ.get(name) or default)
    except ValueError:
        sys.exit("bench : %s doit être un nombre entier" % name)


ROWS = env_int("BENCH_ROWS", 1000000)
SECONDS = env_int("BENCH_SECONDS", 20)
CONNS = env_int("BENCH_CONNS", 16)
THREADS = min(env_int("BENCH_THREADS", 2), CONNS)
WARMUP = env_int("BENCH_WARMUP", 2)
ONLY = [k for k in os.environ.get("BENCH_ONLY", "").split(",") if k]
REUSE = os.environ.get("BENCH_REUSE") == "1"
KEEP = os.environ.get("BENCH_KEEP") == "1"
SOAK = os.environ.get("SOAK") == "1"
SOAK_REQUESTS = env_int("SOAK_REQUESTS", 100000)
SOAK_WARMUP = env_int("SOAK_WARMUP", 20000)
VAR = Path(os.environ.get("BENCH_VAR") or ROOT / "build" / "bench").resolve()
MODULE_BUILT = ROOT / "build" / "release" / ".libs" / "mod_interventions.so"

# Targets of the issue: (minimum ratio req/s ÷ pgbench tps, maximum p99 in ms).
TARGETS = {"list": (0.40, 50.0), "page": (0.50, None), "create": (0.50, None)}
EXPORT_MAX_SECONDS = 5.0
EXPORT_FLAT_KB = 8 * 1024       # growth of httpd's RSS during an export that still counts as flat
EXPORT_ROWS = 100000
SOAK_MAX_GROWTH = 0.05


def say(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- configuration

def extra_conf():
    """Production settings for the bench httpd, Include'd after conf/httpd.conf.in:
    two children, each with a fixed pool of BENCH_CONNS database connections (STACK.md
    gotcha 9: no pool growth during a run), access log buffered.

    Each child has twice as many threads as there are connections: the listener may
    hand all of them to one child, and when every worker of a child is busy, mpm_event
    closes its idle keep-alive connections; a request the client sent meanwhile then
    fails (wrk: "read" socket error), which a real browser would silently retry."""
    return f"""# Written by bench/bench.py: production settings for the benchmark.
StartServers          2
ServerLimit           2
ThreadsPerChild      {2 * CONNS}
MaxRequestWorkers    {4 * CONNS}
MinSpareThreads       1
MaxSpareThreads      {4 * CONNS}
MaxConnectionsPerChild 0
# Fixed pool, opened when the child starts: enough for every connection the child
# may be given at once.
DBDMin   {CONNS}
DBDKeep  {CONNS}
DBDMax   {CONNS}
LogLevel warn
# The access log stays (production keeps it) but is written in blocks, not per request.
BufferedLogs On
"""


def check_sizes():
    # tools/stack's PostgreSQL has max_connections = 200: httpd's pools + pgbench + psql.
    if 2 * CONNS + CONNS + 5 > 200:
        sys.exit("bench : BENCH_CONNS=%d trop grand (2 × pool httpd + pgbench > 200 connexions)" % CONNS)


# ---------------------------------------------------------------- data

def generate(stack):
    say("génération de %d demandes (tools/generate-requests)…" % ROWS)
    t0 = time.monotonic()
    r = subprocess.run(["/usr/bin/python3", str(ROOT / "tools" / "generate-requests"),
                        "--seed", str(SEED), "--quiet", str(ROWS)],
                       env=stack.pg_env, capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError("generate-requests a échoué :\n" + r.stdout + r.stderr)
    seconds = time.monotonic() - t0
    say("  %d demandes en %.1f s (COPY, index, VACUUM ANALYZE compris)" % (ROWS, seconds))
    return seconds


def stamp_text():
    return "rows=%d\nseed=%d\n" % (ROWS, SEED)


def prepare_data(stack):
    """Fresh data (default), or the previous run's when BENCH_REUSE=1 and it fits."""
    stamp = VAR / "bench-data"
    if REUSE and stamp.exists() and stamp.read_text().startswith(stamp_text()):
        saved = dict(kv.split("=") for kv in stamp.read_text().split())
        stack.stop()        # a run that was interrupted may have left it on other ports
        stack.start()
        # What the previous run wrote: created requests, their history, printings.
        stack.psql("DELETE FROM intervention_history WHERE id > %s; "
                   "DELETE FROM attachments WHERE intervention_id > %s; "
                   "DELETE FROM interventions WHERE id > %s"
                   % (saved["max_history"], saved["max_id"], saved["max_id"]))
        stack.psql("VACUUM ANALYZE interventions")
        say("données reprises de la dernière exécution (%d demandes)" % ROWS)
        return None
    stack.reset()
    stack.start()
    seconds = generate(stack)
    stamp.write_text(stamp_text() + stack.psql(
        "SELECT 'max_id=' || coalesce(max(id), 0) FROM interventions") + "\n" + stack.psql(
        "SELECT 'max_history=' || coalesce(max(id), 0) FROM intervention_history") + "\n")
    return seconds


class Facts:
    """Values of the generated data that the scenarios' URLs need."""

    def __init__(self, stack):
        # Closed requests from the middle of the table: ordinary pages to show. The
        # fiche has its own, since every printing adds a line to its history.
        closed = ("SELECT id FROM interventions WHERE status = 'cloturee' ORDER BY id OFFSET "
                  "(SELECT count(*) / 2 FROM interventions WHERE status = 'cloturee') + %d LIMIT 1")
        self.request_id = stack.psql(closed % 0)
        self.fiche_id = stack.psql(closed % 1)

    def export_since(self, stack):
        """The first day of the most recent EXPORT_ROWS requests (or of all of them)."""
        return stack.psql("SELECT coalesce((SELECT (received_at AT TIME ZONE 'Europe/Paris')::date "
                          "FROM interventions ORDER BY received_at DESC OFFSET %d LIMIT 1), "
                          "(SELECT min(received_at AT TIME ZONE 'Europe/Paris')::date "
                          "FROM interventions))" % (EXPORT_ROWS - 1))


def create_form():
    """The body of "Nouvelle demande" as a browser posts it (urlencoded)."""
    received = (datetime.datetime.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    return urllib.parse.urlencode({
        "csrf_token": "@CSRF@", "origine": "telephone", "date_recue": received,
        "nature": "particulier", "titre": "mme", "nom": "Hélène Lefèvre-Néel",
        "adresse": "12 rue de l'Église", "ville": "94080", "telephone": "01 43 98 65 00",
        "courriel": "helene.lefevre@example.org", "complement_adresse": "Bât. B, 2e étage",
        "objet": "odeurs", "complement_objet": "Odeurs d'égout persistantes près de l'école",
        "equipe": "", "date_transmission": "", "debut": "", "fin": "",
        "commentaire": "Rappeler après 17 h ; accès par la cour, côté rue Émile-Zola.",
        "latitude": "", "longitude": "", "realisee_par": "", "cloturee_par": ""},
        quote_via=urllib.parse.quote).replace("%40CSRF%40", "@CSRF@")


# ---------------------------------------------------------------- scenarios

class Scenario:
    """kind: wrk (throughput against pgbench), export (timed downloads), static."""

    def __init__(self, key, title, kind, group, path, method="GET", body=None, pending_404=False):
        self.key, self.title, self.kind, self.group = key, title, kind, group
        self.path, self.method, self.body, self.pending_404 = path, method, body, pending_404


def scenarios(facts):
    m = MOUNT
    filtered = urllib.parse.urlencode([("commune", "94080"), ("statut", "cloturee"),
                                       ("du", "2019-01-01"), ("au", "2023-12-31"),
                                       ("tri", "adresse"), ("ordre", "asc"), ("page", "3")])
    search = urllib.parse.urlencode({"q": "église"})
    return [
        Scenario("list_default", "1. liste sans filtre, page 1, tri par défaut", "wrk", "list",
                 m + "/"),
        Scenario("list_filtered", "2. liste filtrée (commune + statut + dates), tri adresse, page 3",
                 "wrk", "list", m + "/?" + filtered),
        Scenario("list_search", "3. liste, recherche « église »", "wrk", "list", m + "/?" + search),
        Scenario("request_page", "4. page d'une demande", "wrk", "page", m + "/" + facts.request_id),
        Scenario("create", "5. création d'une demande (POST + CSRF, commit durable)", "wrk", "create",
                 m + "/nouvelle", method="POST", body=create_form()),
        Scenario("fiche_pdf", "6. fiche PDF", "wrk", "fiche",
                 m + "/" + facts.fiche_id + "/fiche.pdf", pending_404=True),
        Scenario("export_csv", "7a. export CSV de 100 000 demandes", "export", "export",
                 m + "/export.csv", pending_404=True),
        Scenario("export_xlsx", "7b. export XLSX de 100 000 demandes", "export", "export",
                 m + "/export.xlsx", pending_404=True),
        Scenario("static", "8. fichier statique (htdocs/)", "static", "static",
                 "/interventions-static/css/interventions.css"),
    ]


def row(sc, **kw):
    out = {"scenario": sc.key, "title": sc.title, "status": "ok", "req_s": None, "p50_ms": None,
           "p99_ms": None, "pgbench_tps": None, "ratio": None, "httpd_rss_mb": None,
           "errors": 0, "requests": None, "target": None, "meets_target": None, "note": ""}
    out.update(kw)
    return out


def mb(kb):
    return round(kb / 1024.0, 1) if kb else None


def capture_sql(stack, sc, client, workdir):
    """One request of the scenario with statement logging on; returns the pgbench
    script path and its variables."""
    form = None
    if sc.body:
        form = urllib.parse.parse_qsl(sc.body.replace("@CSRF@", client.csrf), keep_blank_values=True)
    with Capture(stack) as cap:
        r = client.request(sc.method, sc.path, form)
    if r.status >= 400:
        raise BenchError("%s : HTTP %d pendant la capture du SQL" % (sc.key, r.status))
    if not cap.statements:
        raise BenchError("%s : aucune requête SQL relevée dans %s" % (sc.key, stack.pg_log))
    returned = None
    location = r.header("Location") or ""
    if sc.method == "POST" and location:
        # "/interventions/<id>?cree=1": the id the insert returned
        created = urllib.parse.urlparse(location).path.rstrip("/").rsplit("/", 1)[-1]
        if created.isdigit():
            returned = (created, "new_id")
    script, defines = pgbench_script(cap.statements, returned)
    path = Path(workdir) / ("%s.pgbench.sql" % sc.key)
    path.write_text(script)
    (Path(workdir) / ("%s.defines.json" % sc.key)).write_text(
        json.dumps(defines, ensure_ascii=False, indent=1))
    labels = [st.label or st.sql for st in cap.statements]
    return path, defines, labels


def judge(sc, out):
    target = TARGETS.get(sc.group)
    if not target or out["status"] not in ("ok", "errors"):
        return out
    min_ratio, max_p99 = target
    parts = ["≥ %d %% de pgbench" % round(min_ratio * 100)]
    ok = out["ratio"] is not None and out["ratio"] >= min_ratio
    if max_p99:
        parts.append("p99 < %d ms" % max_p99)
        ok = ok and out["p99_ms"] is not None and out["p99_ms"] < max_p99
    out["target"] = ", ".join(parts)
    out["meets_target"] = ok and out["errors"] == 0
    return out


def run_throughput(stack, sc, workdir):
    client = Client(stack).login()
    if sc.pending_404:
        probe = client.request("GET", sc.path)
        if probe.status == 404:
            say("  %s : 404, fonction pas encore livrée → « pending »" % sc.key)
            return row(sc, status="pending", note="404 : pas encore livré")
    script, defines, labels = capture_sql(stack, sc, client, workdir)
    say("  SQL relevé : %s" % " → ".join(labels))
    requests = [(1, sc.method, sc.path, sc.body)]
    if WARMUP:
        run_wrk(stack, requests, WARMUP, CONNS, THREADS, workdir, tag=sc.key + ".warmup")
    w = run_wrk(stack, requests, SECONDS, CONNS, THREADS, workdir, tag=sc.key)
    p = run_pgbench(stack, script, defines, CONNS, THREADS, seconds=SECONDS,
                    tag=sc.key + ".pgbench", workdir=workdir)
    out = row(sc, req_s=w["rps"], p50_ms=w["p50_ms"], p99_ms=w["p99_ms"],
              pgbench_tps=p["tps"], ratio=round(w["rps"] / p["tps"], 3) if p["tps"] else None,
              httpd_rss_mb=mb(w["rss_peak_kb"]), errors=w["errors"] + p["failed"],
              requests=w["requests"], statements=labels, pgbench_latency_ms=p["latency_ms"],
              other_load=other_load(w, p))
    if w["errors"] or p["failed"]:
        out["status"] = "errors"
        out["note"] = ("wrk : %d erreurs (%s) ; pgbench : %d échecs"
                       % (w["errors"], w["first_unexpected"] or "socket", p["failed"]))
    if w["login_errors"]:
        out["status"] = "errors"
        out["note"] += " connexion : " + w["login_errors"]
    return judge(sc, out)


def other_load(*runs):
    """Share of the machine (0-1) used by something else than the bench: the worst of
    the measurements of a scenario."""
    return max(r.get("foreign_cpu", 0) for r in runs)


def run_static(stack, sc, workdir):
    requests = [(1, "GET", sc.path, None)]
    if WARMUP:
        run_wrk(stack, requests, WARMUP, CONNS, THREADS, workdir, tag=sc.key + ".warmup")
    w = run_wrk(stack, requests, SECONDS, CONNS, THREADS, workdir, tag=sc.key)
    out = row(sc, req_s=w["rps"], p50_ms=w["p50_ms"], p99_ms=w["p99_ms"],
              httpd_rss_mb=mb(w["rss_peak_kb"]), errors=w["errors"], requests=w["requests"],
              note="limite du chemin HTTP seul (pas de SQL)", other_load=other_load(w))
    if w["errors"]:
        out["status"] = "errors"
    return out


def run_export(stack, sc, facts, workdir, runs=3):
    client = Client(stack).login()
    since = facts.export_since(stack)
    path = sc.path + "?" + urllib.parse.urlencode({"du": since})
    probe = client.request("GET", path, sink=lambda chunk: None)
    if probe.status == 404:
        say("  %s : 404, fonction pas encore livrée → « pending »" % sc.key)
        return row(sc, status="pending", note="404 : pas encore livré")
    sc_path = Scenario(sc.key, sc.title, sc.kind, sc.group, path)
    script, defines, labels = capture_sql(stack, sc_path, client, workdir)
    say("  SQL relevé : %s" % " → ".join(labels))
    times, sizes, growth, peak = [], [], [], 0
    for _ in range(runs):
        size = [0]
        with RssSampler(stack, interval=0.05) as rss:
            base = rss.last_kb
            r = client.request("GET", path, sink=lambda chunk: size.__setitem__(0, size[0] + len(chunk)))
        if r.status != 200:
            return row(sc, status="errors", errors=1, note="HTTP %d" % r.status)
        times.append(r.seconds)
        sizes.append(size[0])
        growth.append(rss.peak_kb - base)
        peak = max(peak, rss.peak_kb)
    p = run_pgbench(stack, script, defines, 1, 1, transactions=runs, tag=sc.key + ".pgbench",
                    workdir=workdir)
    median = statistics.median(times)
    out = row(sc, req_s=round(1 / median, 3), p50_ms=round(median * 1000, 1),
              p99_ms=round(max(times) * 1000, 1), pgbench_tps=p["tps"],
              ratio=round((1 / median) / p["tps"], 3), httpd_rss_mb=mb(peak),
              requests=runs, rss_growth_mb=mb(max(growth)), bytes=max(sizes), since=since)
    flat = max(growth) <= EXPORT_FLAT_KB
    out["target"] = "< %d s, RSS plate" % EXPORT_MAX_SECONDS
    out["meets_target"] = max(times) < EXPORT_MAX_SECONDS and flat
    out["note"] = "%d octets, RSS +%.1f Mo pendant l'export" % (max(sizes), max(growth) / 1024.0)
    return out


# ---------------------------------------------------------------- report

COLUMNS = [("scénario", "scenario"), ("req/s", "req_s"), ("p50 ms", "p50_ms"), ("p99 ms", "p99_ms"),
           ("pgbench tps", "pgbench_tps"), ("ratio", "ratio"), ("RSS httpd Mo", "httpd_rss_mb"),
           ("erreurs", "errors"), ("autre charge", "other_load"), ("objectif", "target"),
           ("atteint", "meets_target")]


def cell(value):
    if value is None:
        return "—"
    if value is True:
        return "oui"
    if value is False:
        return "NON"
    if isinstance(value, float):
        return "%.2f" % value if value < 10 else "%.0f" % value
    return str(value)


def table(rows):
    lines = []
    for r in rows:
        cells = []
        for _, key in COLUMNS:
            v = r.get(key)
            if key == "other_load" and v is not None:
                v = "%d %%" % round(v * 100)
            if r["status"] == "pending" and key not in ("scenario",):
                v = "pending" if key == "req_s" else None
            cells.append(cell(v))
        lines.append(cells)
    head = [c for c, _ in COLUMNS]
    widths = [max(len(head[i]), *(len(l[i]) for l in lines)) for i in range(len(head))]
    fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 or i >= 9 else c.rjust(w)
                                  for i, (c, w) in enumerate(zip(cells, widths)))
    text = [fmt(head), fmt(["-" * w for w in widths])] + [fmt(l) for l in lines]
    md = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    md += ["| " + " | ".join(l) + " |" for l in lines]
    return "\n".join(text), "\n".join(md)


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return "%d cœurs (%s), %s" % (os.cpu_count() or 0, cpu, platform.platform())


def git_head():
    r = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                       capture_output=True, text=True)
    return r.stdout.strip() or "?"


def write_results(rows, meta, name):
    RESULTS.mkdir(parents=True, exist_ok=True)
    text, md = table(rows)
    say("\n" + text + "\n")
    for r in rows:
        if r.get("note") and r["status"] != "ok" or (r.get("meets_target") is False):
            say("  %s : %s" % (r["scenario"], r.get("note") or "objectif non atteint"))
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    (RESULTS / "latest.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    doc = ["# Banc d'essai mod_interventions — %s" % stamp, "",
           "Commande : `%s`" % meta["command"], ""]
    doc += ["- %s : %s" % kv for kv in meta["facts"]]
    doc += ["", md, ""]
    notes = ["- **%s** : %s" % (r["scenario"], r["note"]) for r in rows if r.get("note")]
    if notes:
        doc += ["Notes :", ""] + notes + [""]
    doc += ["SQL rejoué par pgbench (relevé dans le journal de PostgreSQL) :", ""]
    doc += ["- %s : %s" % (r["scenario"], " → ".join(r["statements"]))
            for r in rows if r.get("statements")]
    path = RESULTS / ("%s%s.md" % (stamp, name))
    path.write_text("\n".join(doc) + "\n")
    say("résultats : %s et %s" % (RESULTS / "latest.json", path))


# ---------------------------------------------------------------- soak

def soak(stack, facts, workdir, meta):
    """SOAK_REQUESTS mixed requests; the children's RSS before and after must not grow."""
    sc = {s.key: s for s in scenarios(facts)}
    mix = [(3, "GET", sc["list_default"].path, None), (2, "GET", sc["list_filtered"].path, None),
           (2, "GET", sc["list_search"].path, None), (3, "GET", sc["request_page"].path, None),
           (1, "POST", sc["create"].path, sc["create"].body), (3, "GET", sc["static"].path, None)]
    # The warm-up brings every worker thread, malloc arena and pool allocator of the
    # children to its working size (measured: after 5 000 requests the RSS still grew
    # by 17 % over the next 100 000, then stayed flat); a leak keeps growing after it.
    say("soak : mise en température (%d requêtes)…" % SOAK_WARMUP)
    run_wrk(stack, mix, 600, CONNS, THREADS, workdir, stop_after=SOAK_WARMUP, tag="soak.warmup")
    before = stack.children_rss_kb()
    say("soak : RSS des enfants avant : %s" % ", ".join("%d : %d ko" % kv for kv in sorted(before.items())))
    t0 = time.monotonic()
    w = run_wrk(stack, mix, max(600, SOAK_REQUESTS // 20), CONNS, THREADS, workdir,
                stop_after=SOAK_REQUESTS, tag="soak")
    after = stack.children_rss_kb()
    say("soak : RSS des enfants après : %s" % ", ".join("%d : %d ko" % kv for kv in sorted(after.items())))
    total_before, total_after = sum(before.values()), sum(after.values())
    # the children's RSS at each quarter of the run: a leak climbs, a warm-up levels off
    samples = w["rss_samples"]
    quarters = []
    if samples:
        t0s, t1s = samples[0][0], samples[-1][0]
        for q in (0.25, 0.5, 0.75, 1.0):
            quarters.append(min(samples, key=lambda s: abs(s[0] - (t0s + q * (t1s - t0s))))[1])
    say("soak : RSS totale à 25/50/75/100 %% : %s ko" % " / ".join(str(q) for q in quarters))
    growth = (total_after - total_before) / total_before if total_before else 0
    same = sorted(before) == sorted(after)
    say("soak : %d requêtes en %.0f s (%.0f req/s, p99 %.1f ms, %d erreurs) ; RSS %d → %d ko (%+.1f %%)%s"
        % (w["requests"], time.monotonic() - t0, w["rps"], w["p99_ms"], w["errors"], total_before,
           total_after, growth * 100, "" if same else " — ATTENTION : les enfants ont changé"))
    result = {"requests": w["requests"], "req_s": w["rps"], "p50_ms": w["p50_ms"],
              "p99_ms": w["p99_ms"], "errors": w["errors"], "rss_before_kb": before,
              "rss_after_kb": after, "rss_before_total_kb": total_before,
              "rss_after_total_kb": total_after, "growth": round(growth, 4),
              "rss_quarters_kb": quarters, "warmup_requests": SOAK_WARMUP,
              "same_children": same, "ok": same and growth <= SOAK_MAX_GROWTH and w["errors"] == 0}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "soak-latest.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    lines = ["# Soak mod_interventions — %s" % stamp, "", "Commande : `%s`" % meta["command"], ""]
    lines += ["- %s : %s" % kv for kv in meta["facts"] if kv[0] not in ("pgbench", "wrk")]
    lines += ["- wrk : -t%d -c%d, mélange pondéré (listes 3+2+2, page 3, création 1, statique 3)"
              % (THREADS, CONNS)]
    lines += ["", "| enfant | RSS avant (ko) | RSS après (ko) |", "|---|---|---|"]
    for pid in sorted(set(before) | set(after)):
        lines.append("| %d | %s | %s |" % (pid, before.get(pid, "—"), after.get(pid, "—")))
    lines += ["| total | %d | %d |" % (total_before, total_after), "",
              "Après %d requêtes de mise en température. RSS totale à 25 / 50 / 75 / 100 %% "
              "du parcours : %s ko." % (SOAK_WARMUP, " / ".join(str(q) for q in quarters)), "",
              "%d requêtes mêlées (listes, page d'une demande, création, statique), %.0f req/s, "
              "p99 %.1f ms, %d erreurs. Croissance %+.2f %% (limite %d %%) : %s."
              % (w["requests"], w["rps"], w["p99_ms"], w["errors"], growth * 100,
                 SOAK_MAX_GROWTH * 100, "OK" if result["ok"] else "ÉCHEC")]
    (RESULTS / ("%s-soak.md" % stamp)).write_text("\n".join(lines) + "\n")
    return result["ok"]


# ---------------------------------------------------------------- main

def main():
    t_start = time.monotonic()
    load_start = os.getloadavg()[0]
    have_tools()
    check_sizes()
    if not MODULE_BUILT.exists():
        sys.exit("bench : module non construit (make)")
    VAR.mkdir(parents=True, exist_ok=True)
    os.chmod(VAR, 0o755)
    # A copy: a `make` during the run must not rewrite the library httpd has mapped.
    # Replaced by rename, never rewritten in place: an httpd still running from a
    # previous run (BENCH_KEEP=1) has the old file mapped and would crash.
    module = VAR / "mod_interventions.so"
    shutil.copyfile(MODULE_BUILT, VAR / "mod_interventions.so.new")
    os.replace(VAR / "mod_interventions.so.new", module)
    conf = VAR / "bench.conf"
    conf.write_text(extra_conf())
    workdir = VAR / "work"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir()

    stack = Stack(VAR / "var", module, conf)
    say("banc d'essai : %d demandes, %d s par mesure, %d connexions, %d threads%s"
        % (ROWS, SECONDS, CONNS, THREADS, " — SOAK" if SOAK else ""))
    ok = True
    try:
        gen_seconds = prepare_data(stack)
        # A fresh httpd: its children open their fixed pools on the final data.
        stack.restart_httpd()
        facts = Facts(stack)
        command = "make bench BENCH_ROWS=%d BENCH_SECONDS=%d BENCH_CONNS=%d%s" % (
            ROWS, SECONDS, CONNS, " SOAK=1" if SOAK else "")
        meta = {"command": command, "facts": [
            ("machine", machine()), ("révision", git_head()),
            ("données", "%d demandes (graine %d)%s" % (ROWS, SEED, "" if gen_seconds is None else
                                                      ", générées en %.1f s" % gen_seconds)),
            ("httpd", "mpm_event, 2 enfants × %d threads, pool DBD fixe de %d connexions par enfant, "
                      "module -O2 sans sanitizer, LogLevel warn, journal d'accès en BufferedLogs"
                      % (2 * CONNS, CONNS)),
            ("wrk", "-t%d -c%d -d%ds --latency, %d s de mise en température, une session par connexion"
                    % (THREADS, CONNS, SECONDS, WARMUP)),
            ("pgbench", "-M prepared -c%d -j%d -T%d, même base, même socket, SQL relevé dans le journal"
                        % (CONNS, THREADS, SECONDS))]}
        if SOAK:
            ok = soak(stack, facts, workdir, meta)
        else:
            rows = []
            for sc in scenarios(facts):
                if ONLY and sc.key not in ONLY:
                    continue
                say("— %s" % sc.title)
                try:
                    if sc.kind == "wrk":
                        rows.append(run_throughput(stack, sc, workdir))
                    elif sc.kind == "export":
                        rows.append(run_export(stack, sc, facts, workdir))
                    else:
                        rows.append(run_static(stack, sc, workdir))
                except BenchError as e:
                    say("  ÉCHEC : %s" % e)
                    rows.append(row(sc, status="failed", note=str(e).splitlines()[0]))
                r = rows[-1]
                if r["status"] in ("ok", "errors"):
                    say("  %s req/s, p50 %s ms, p99 %s ms, pgbench %s tps, ratio %s, erreurs %d"
                        % (cell(r["req_s"]), cell(r["p50_ms"]), cell(r["p99_ms"]),
                           cell(r["pgbench_tps"]), cell(r["ratio"]), r["errors"]))
            meta["facts"].append(("durée totale", "%.0f s" % (time.monotonic() - t_start)))
            meta["facts"].append(("autre charge", "part de la machine prise par autre chose que "
                                  "le banc pendant les mesures du scénario (la pire) : au-delà de "
                                  "quelques %%, les chiffres sont bas (load average au début : %.1f)"
                                  % load_start))
            write_results(rows, meta, "")
            ok = all(r["status"] in ("ok", "pending") for r in rows)
    except BenchError as e:
        say("bench : %s" % e)
        ok = False
    finally:
        if not KEEP:
            stack.stop()
        else:
            say("pile de banc laissée en marche : IV_VAR=%s (ports %s)" % (stack.var, stack.ports))
    say("durée totale : %.0f s" % (time.monotonic() - t_start))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
