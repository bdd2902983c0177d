"""bench/runners.py — the pieces bench.py drives: the private stack (tools/stack with
its own IV_VAR and ports), a small HTTP client that signs in like a browser, wrk,
pgbench, and the RSS of httpd's children. Standard library only."""
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
STACK = ROOT / "tools" / "stack"
PGBIN = Path("/usr/lib/postgresql/15/bin")
MOUNT = "/interventions"
USER, PASSWORD = "secretariat", "demo"      # demo directory (conf/demo-directory.ldif)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BenchError(Exception):
    pass


# ---------------------------------------------------------------- the stack

class Stack:
    """PostgreSQL + slapd + httpd started by tools/stack under var (not the dev
    instance: its own directory, its own ports)."""

    def __init__(self, var, module, extra_conf):
        self.var = Path(var)
        self.module = module
        self.extra_conf = extra_conf
        self.ports = {"http": free_port(), "pg": free_port(), "ldap": free_port()}

    @property
    def env(self):
        return dict(os.environ, IV_VAR=str(self.var), IV_HTTP_PORT=str(self.ports["http"]),
                    IV_PG_PORT=str(self.ports["pg"]), IV_LDAP_PORT=str(self.ports["ldap"]),
                    IV_MODULE=str(self.module), IV_EXTRA_CONF=str(self.extra_conf),
                    IV_SANITIZE="0", IV_DEMO="1", IV_DEMO_ROWS="0", IV_QUIET="1")

    @property
    def pg_env(self):
        """libpq environment of the application's database (as tools/stack sets it)."""
        return dict(os.environ, PGHOST=str(self.socket_dir), PGPORT=str(self.ports["pg"]),
                    PGDATABASE="interventions", PGUSER="interventions",
                    PSQL=str(PGBIN / "psql"), PGCLIENTENCODING="UTF8")

    @property
    def socket_dir(self):
        return self.var / "pg" / "run"

    @property
    def pg_log(self):
        return self.var / "pg" / "server.log"

    @property
    def error_log(self):
        return self.var / "httpd" / "logs" / "error.log"

    def url(self, path=""):
        return "http://127.0.0.1:%d%s" % (self.ports["http"], path)

    def stack(self, *args, check=True):
        r = subprocess.run([str(STACK), *args], env=self.env, capture_output=True, text=True,
                           timeout=300)
        if check and r.returncode != 0:
            raise BenchError("tools/stack %s a échoué :\n%s%s" % (" ".join(args), r.stdout, r.stderr))
        return r

    def start(self):
        self.stack("start")

    def stop(self):
        self.stack("stop", check=False)

    def reset(self):
        self.stack("reset", check=False)

    def restart_httpd(self):
        self.stack("restart-httpd")

    def psql(self, sql, admin=False):
        """Runs sql; returns the unaligned, tuples-only output."""
        user = "postgres" if admin else "interventions"
        r = subprocess.run([str(PGBIN / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At",
                            "-h", str(self.socket_dir), "-p", str(self.ports["pg"]), "-U", user,
                            "-d", "interventions", "-c", sql],
                           capture_output=True, text=True, timeout=600,
                           env=dict(os.environ, PGCLIENTENCODING="UTF8"))
        if r.returncode != 0:
            raise BenchError("psql : %s\n%s" % (sql[:200], r.stderr))
        return r.stdout.strip()

    # ------------------------------------------------------------ httpd processes

    def httpd_parent(self):
        try:
            return int((self.var / "httpd" / "run" / "httpd.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def httpd_children(self):
        parent = self.httpd_parent()
        if not parent:
            return []
        try:
            return [int(p) for p in
                    Path("/proc/%d/task/%d/children" % (parent, parent)).read_text().split()]
        except OSError:
            pass
        pids = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    stat = (d / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                    pids.append(int(d.name))
        return pids

    def children_rss_kb(self):
        """{pid: VmRSS in kB} of httpd's children."""
        out = {}
        for pid in self.httpd_children():
            try:
                for line in Path("/proc/%d/status" % pid).read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        out[pid] = int(line.split()[1])
            except OSError:
                pass
        return out


    def pg_postmaster(self):
        try:
            return int((self.var / "pg" / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None


def _children(pid):
    try:
        return [int(p) for p in Path("/proc/%d/task/%d/children" % (pid, pid)).read_text().split()]
    except OSError:
        return []


def _ticks(pid, reaped=False):
    """utime + stime of pid (and of its children already reaped, when asked)."""
    try:
        f = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    n = int(f[11]) + int(f[12])         # fields 14 and 15 of stat
    return n + int(f[13]) + int(f[14]) if reaped else n


class CpuShare:
    """How much of the machine something else than the bench used during a measurement:
    the CPU time of the whole machine (/proc/stat) minus that of httpd, of this
    cluster's PostgreSQL and of wrk/pgbench/psql. On 2 cores shared with colleagues'
    tests, a figure measured while another load ran is not comparable."""

    def __init__(self, stack):
        self.stack = stack

    def _snapshot(self):
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
        ours = 0
        for parent in (self.stack.httpd_parent(), self.stack.pg_postmaster()):
            if parent:
                ours += _ticks(parent, reaped=True) + sum(_ticks(c) for c in _children(parent))
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        ours += int((ru.ru_utime + ru.ru_stime) * os.sysconf("SC_CLK_TCK"))
        return busy, ours, time.monotonic()

    def __enter__(self):
        self.start = self._snapshot()
        return self

    def __exit__(self, *exc):
        busy, ours, t = self._snapshot()
        hz, ncpu = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1
        foreign = (busy - self.start[0]) - (ours - self.start[1])
        self.foreign = max(0.0, foreign / hz / (t - self.start[2]) / ncpu)


class RssSampler(threading.Thread):
    """Samples the sum of httpd children's RSS every interval seconds (peak and last)."""

    def __init__(self, stack, interval=0.5):
        super().__init__(daemon=True)
        self.stack, self.interval = stack, interval
        self.peak_kb = 0
        self.last_kb = 0
        self.samples = []           # (time, kB)
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def sample(self):
        total = sum(self.stack.children_rss_kb().values())
        self.samples.append((time.monotonic(), total))
        self.last_kb = total
        self.peak_kb = max(self.peak_kb, total)

    def __enter__(self):
        self.sample()
        self.start()
        return self

    def __exit__(self, *exc):
        self._halt.set()
        self.join()
        self.sample()


# ---------------------------------------------------------------- HTTP client

class Response:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Client:
    """One browser: cookies (every Set-Cookie, unlike wrk's Lua table) and the form token."""

    def __init__(self, stack):
        self.stack = stack
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, form=None, sink=None):
        """sink: called with each chunk instead of keeping the body (large exports)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.stack.ports["http"], timeout=120)
        headers = {"User-Agent": "iv-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = time.monotonic()
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        chunks = []
        while True:
            chunk = resp.read(65536)
            if not chunk:
                break
            if sink:
                sink(chunk)
            else:
                chunks.append(chunk)
        seconds = time.monotonic() - t0
        conn.close()
        for value in resp.msg.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            val = rest.split(";", 1)[0]
            if val:
                self.cookies[name.strip()] = val
            else:
                self.cookies.pop(name.strip(), None)
        r = Response(resp.status, resp.getheaders(), b"".join(chunks), seconds)
        m = re.search(r'name="csrf_token"\s+value="([^"]+)"', r.text) if not sink else None
        if m and self.cookies.get("iv_session"):
            self.csrf = m.group(1)
        return r

    def login(self, user=USER, password=PASSWORD):
        form = self.request("GET", MOUNT + "/connexion")
        m = re.search(r'name="csrf_token"\s+value="([^"]+)"', form.text)
        if form.status != 200 or not m:
            raise BenchError("formulaire de connexion inattendu (HTTP %d)" % form.status)
        r = self.request("POST", MOUNT + "/connexion",
                         {"identifiant": user, "mot_de_passe": password, "csrf_token": m.group(1)})
        if r.status != 303 or "iv_session" not in self.cookies:
            raise BenchError("connexion de %s refusée (HTTP %d)" % (user, r.status))
        page = self.request("GET", MOUNT + "/nouvelle")
        if page.status != 200 or not self.csrf:
            raise BenchError("pas de jeton de formulaire après la connexion (HTTP %d)" % page.status)
        return self


# ---------------------------------------------------------------- wrk

LUA = BENCH / "session.lua"


def run_wrk(stack, requests, seconds, conns, threads, workdir, stop_after=0, tag="wrk"):
    """requests: [(weight, method, path, body or None)]. Returns the dict printed by
    session.lua's done(), plus rss_peak_kb / rss_end_kb of httpd's children."""
    reqfile = Path(workdir) / ("%s.requests" % tag)
    with open(reqfile, "w", encoding="utf-8") as f:
        for weight, method, path, body in requests:
            f.write("%d\t%s\t%s\t%s\n" % (weight, method, path, body or "-"))
    cmd = ["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % seconds, "--latency",
           "--timeout", "5s", "-s", str(LUA), stack.url("/"), "--",
           "user=" + USER, "password=" + PASSWORD, "mount=" + MOUNT, "requests=%s" % reqfile,
           "sessions=%d" % max(1, conns // threads), "threads=%d" % threads]
    stop_file = Path(workdir) / ("%s.stopped" % tag)
    if stop_after:
        # wrk has no request count: each thread stops itself after its share and
        # says so in stop_file; then SIGINT ends wrk's sleep and it reports.
        stop_file.unlink(missing_ok=True)
        cmd += ["stop_after=%d" % stop_after, "stop_file=%s" % stop_file]
    with RssSampler(stack) as rss, CpuShare(stack) as cpu:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if stop_after:
            while proc.poll() is None:
                if stop_file.exists() and len(stop_file.read_text().split()) >= threads:
                    proc.send_signal(signal.SIGINT)
                    break
                time.sleep(0.1)
        try:
            stdout, stderr = proc.communicate(timeout=None if stop_after else seconds + 120)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
    (Path(workdir) / ("%s.out" % tag)).write_text(stdout + stderr)
    m = re.search(r"^BENCH_RESULT (\{.*\})$", stdout, re.M)
    if proc.returncode != 0 or not m:
        raise BenchError("wrk a échoué (rc %d) :\n%s%s" % (proc.returncode, stdout[-2000:], stderr[-2000:]))
    out = json.loads(m.group(1))
    out["rss_peak_kb"], out["rss_end_kb"] = rss.peak_kb, rss.last_kb
    out["rss_samples"] = rss.samples
    out["foreign_cpu"] = round(cpu.foreign, 3)
    out["errors"] = out["socket_errors"] + out["unexpected"]
    return out


# ---------------------------------------------------------------- pgbench

def run_pgbench(stack, script, defines, conns, threads, seconds=None, transactions=None,
                tag="pgbench", workdir="."):
    """Runs pgbench in prepared mode over the same socket as httpd's pool. Returns
    {tps, latency_ms, transactions, failed}."""
    cmd = [str(PGBIN / "pgbench"), "-n", "-M", "prepared", "-c", str(conns), "-j", str(threads),
           "-h", str(stack.socket_dir), "-p", str(stack.ports["pg"]), "-U", "interventions",
           "-f", str(script)]
    cmd += ["-T", str(seconds)] if seconds else ["-t", str(transactions)]
    cmd += ["-D%s=%s" % kv for kv in defines.items()]
    cmd.append("interventions")
    with CpuShare(stack) as cpu:
        r = subprocess.run(cmd, capture_output=True, text=True,
                           env=dict(os.environ, PGCLIENTENCODING="UTF8"))
    (Path(workdir) / ("%s.out" % tag)).write_text(r.stdout + r.stderr)
    tps = re.search(r"^tps = ([\d.]+)", r.stdout, re.M)
    if r.returncode != 0 or not tps:
        raise BenchError("pgbench a échoué (rc %d) :\n%s%s" % (r.returncode, r.stdout[-2000:], r.stderr[-3000:]))
    lat = re.search(r"^latency average = ([\d.]+) ms", r.stdout, re.M)
    done = re.search(r"^number of transactions actually processed: (\d+)", r.stdout, re.M)
    failed = re.search(r"^number of failed transactions: (\d+)", r.stdout, re.M)
    return {"tps": float(tps.group(1)), "latency_ms": float(lat.group(1)) if lat else None,
            "transactions": int(done.group(1)) if done else None,
            "failed": int(failed.group(1)) if failed else 0, "foreign_cpu": round(cpu.foreign, 3)}


def have_tools():
    missing = [t for t in ("wrk",) if not shutil.which(t)]
    missing += [str(PGBIN / t) for t in ("pgbench", "psql") if not (PGBIN / t).exists()]
    if missing:
        raise BenchError("outils manquants : %s (make deps)" % ", ".join(missing))
