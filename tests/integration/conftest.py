"""Integration harness: a private PostgreSQL, slapd and httpd (with the module under
test) on free loopback ports, started once per test session by tools/stack and torn
down afterwards, in the manner of httpd's own test/pyhttpd.

Besides the main virtual host, the generated configuration adds virtual hosts on
their own ports for the cases that need another configuration:
  - sso:       InterventionsTrustRemoteUser On behind mod_auth_basic;
  - short:     sessions that expire after 2 s idle / 4 s in all;
  - ldapdown:  a directory URL where nothing listens.

After every test the httpd error log is scanned: a sanitizer report or a crashed
child fails the test that caused it.
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "tools" / "stack"
MODULE = os.environ.get("IV_MODULE") or str(ROOT / "build/release/.libs/mod_interventions.so")
SANITIZE = os.environ.get("IV_SANITIZE") == "1"
MOUNT = "/interventions"
DEMO_PASSWORD = "demo"
LDAP_BASE = "dc=demo,dc=local"

CRASH_PATTERNS = re.compile(
    r"AddressSanitizer|LeakSanitizer|runtime error:|exit signal|Segmentation fault|"
    r"double free|malloc\(\)|stack smashing")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """The running private instance."""

    def __init__(self, var, ports):
        self.var = Path(var)
        self.ports = ports
        self.error_log = self.var / "httpd/logs/error.log"
        self.env = dict(os.environ, IV_VAR=str(var), IV_HTTP_PORT=str(ports["http"]),
                        IV_PG_PORT=str(ports["pg"]), IV_LDAP_PORT=str(ports["ldap"]),
                        IV_MODULE=MODULE, IV_SANITIZE="1" if SANITIZE else "0",
                        IV_QUIET="1", IV_EXTRA_CONF=str(Path(var) / "extra.conf"))
        # list page: no generated demo requests here; tests write the rows they need
        self.env["IV_DEMO_ROWS"] = "0"

    def url(self, vhost="main"):
        return f"http://127.0.0.1:{self.ports[vhost]}{MOUNT}"

    def run(self, *args, check=True):
        return subprocess.run([str(STACK), *args], env=self.env, check=check,
                              capture_output=True, text=True, timeout=120)

    def psql(self, sql, superuser=False):
        """Runs SQL; returns the unaligned, tuples-only output."""
        user = "postgres" if superuser else "interventions"
        out = subprocess.run(
            ["psql", "-h", str(self.var / "pg/run"), "-p", str(self.ports["pg"]), "-U", user,
             "-d", "interventions", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
            check=True, capture_output=True, text=True, timeout=60)
        return out.stdout.strip()

    def pg_ctl(self, action):
        subprocess.run(["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl",
                        "-D", str(self.var / "pg/data"), "-w", "-m", "fast",
                        "-o", f"-p {self.ports['pg']} -k {self.var / 'pg/run'} "
                              "-c listen_addresses=127.0.0.1",
                        "-l", str(self.var / "pg/server.log"), action],
                       check=True, capture_output=True, timeout=60)

    def ldap_add(self, ldif):
        subprocess.run(["ldapadd", "-x", "-H", f"ldap://127.0.0.1:{self.ports['ldap']}",
                        "-D", f"cn=admin,{LDAP_BASE}", "-y", str(self.var / "ldap/rootpw")],
                       input=ldif, check=True, capture_output=True, text=True, timeout=30)

    def log_size(self):
        return self.error_log.stat().st_size if self.error_log.exists() else 0

    def log_since(self, offset):
        with open(self.error_log, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")


def extra_conf(var, ports):
    """Virtual hosts for the configurations the tests need besides the main one."""
    htpasswd = Path(var) / "htpasswd"
    # mod_authn_file accepts plain-text passwords only on Windows; use bcrypt via htpasswd
    subprocess.run(["htpasswd", "-cbB", str(htpasswd), "responsable", "sso-secret"],
                   check=True, capture_output=True)
    subprocess.run(["htpasswd", "-bB", str(htpasswd), "sansrole", "sso-secret"],
                   check=True, capture_output=True)
    subprocess.run(["htpasswd", "-bB", str(htpasswd), "inconnu", "sso-secret"],
                   check=True, capture_output=True)
    os.chmod(htpasswd, 0o644)
    return f"""
Listen 127.0.0.1:{ports['sso']}
Listen 127.0.0.1:{ports['short']}
Listen 127.0.0.1:{ports['ldapdown']}

<VirtualHost 127.0.0.1:{ports['sso']}>
    InterventionsTrustRemoteUser On
    <Location {MOUNT}>
        SetHandler interventions-agent
        AuthType Basic
        AuthName "Intranet"
        AuthBasicProvider file
        AuthUserFile "{htpasswd}"
        Require valid-user
    </Location>
    <Location {MOUNT}/sante>
        Require all granted
    </Location>
</VirtualHost>

<VirtualHost 127.0.0.1:{ports['short']}>
    InterventionsSessionIdle 2s
    InterventionsSessionMax 4s
    <Location {MOUNT}>
        SetHandler interventions-agent
    </Location>
</VirtualHost>

<VirtualHost 127.0.0.1:{ports['ldapdown']}>
    InterventionsLDAPURL ldap://127.0.0.1:{ports['closed']}/
    InterventionsLDAPTimeout 2
    <Location {MOUNT}>
        SetHandler interventions-agent
    </Location>
</VirtualHost>
"""


TEST_ENTRIES = f"""dn: uid=sansrole,ou=people,{LDAP_BASE}
objectClass: inetOrgPerson
uid: sansrole
cn: Paul Sansrole
sn: Sansrole
userPassword: {DEMO_PASSWORD}

dn: uid=bloque,ou=people,{LDAP_BASE}
objectClass: inetOrgPerson
uid: bloque
cn: Bernard Bloqué
sn: Bloqué
userPassword: {DEMO_PASSWORD}
"""


@pytest.fixture(scope="session")
def stack():
    var = tempfile.mkdtemp(prefix="iv-test-")
    os.chmod(var, 0o755)    # httpd children (www-data) must traverse it
    ports = {name: free_port() for name in ("http", "pg", "ldap", "sso", "short", "ldapdown",
                                             "closed")}
    ports["main"] = ports["http"]
    (Path(var) / "extra.conf").write_text(extra_conf(var, ports))
    st = Stack(var, ports)
    result = st.run("start", check=False)
    if result.returncode != 0:
        st.run("stop", check=False)
        pytest.fail(f"tools/stack start failed:\n{result.stdout}\n{result.stderr}")
    st.ldap_add(TEST_ENTRIES)
    yield st
    st.run("stop", check=False)
    if os.environ.get("IV_KEEP_LOGS"):
        shutil.copy(st.error_log, os.environ["IV_KEEP_LOGS"])
    shutil.rmtree(var, ignore_errors=True)


@pytest.fixture(autouse=True)
def no_crash_in_error_log(request):
    """Fails a test after which the error log holds a sanitizer report or a crash."""
    if "stack" not in request.fixturenames:
        yield
        return
    st = request.getfixturevalue("stack")
    start = st.log_size()
    yield
    time.sleep(0.05)
    new = st.log_since(start)
    bad = [line for line in new.splitlines() if CRASH_PATTERNS.search(line)]
    assert not bad, "httpd error log:\n" + "\n".join(bad[:20])


# ---------------------------------------------------------------- a browser-like client

class Form(HTMLParser):
    """Collects forms as a browser would submit them: action, method, fields
    (name → value: a select's selected option, a textarea's text, an input's value;
    unchecked boxes are left out) and labels (text → id)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.labels = {}
        self._label_for = None
        self._label_text = []
        self._select = None          # (form, name, first option value seen)
        self._textarea = None        # (form, name, text parts)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        form = self.forms[-1] if self.forms else None
        if tag == "form":
            self.forms.append({"action": a.get("action"), "method": a.get("method", "get"),
                               "fields": {}, "ids": {}})
        elif tag == "label":
            self._label_for = a.get("for")
            self._label_text = []
        elif tag == "option" and self._select:
            f, name, first = self._select
            value = a.get("value", "")
            if first is None:
                self._select = (f, name, value)
                f["fields"].setdefault(name, value)
            if "selected" in a:
                f["fields"][name] = value
        if form is None or tag not in ("input", "textarea", "select") or not a.get("name"):
            return
        if a.get("id"):
            form["ids"][a["id"]] = a["name"]
        if tag == "select":
            form["fields"].pop(a["name"], None)
            self._select = (form, a["name"], None)
        elif tag == "textarea":
            self._textarea = (form, a["name"], [])
        elif a.get("type") in ("checkbox", "radio"):
            if "checked" in a:
                form["fields"][a["name"]] = a.get("value", "on")
        elif a.get("type") not in ("submit", "button"):
            form["fields"][a["name"]] = a.get("value", "")

    def handle_data(self, data):
        if self._label_for is not None:
            self._label_text.append(data)
        if self._textarea:
            self._textarea[2].append(data)

    def handle_endtag(self, tag):
        if tag == "label" and self._label_for is not None:
            self.labels[" ".join("".join(self._label_text).split())] = self._label_for
            self._label_for = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            f, name, parts = self._textarea
            f["fields"][name] = "".join(parts).lstrip("\n")
            self._textarea = None


def parse_forms(html):
    parser = Form()
    parser.feed(html)
    return parser


def text_of(html):
    """The visible text of a page, white space folded (for checking messages)."""
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    for entity, char in (("&nbsp;", " "), ("&#160;", " "), ("&amp;", "&"), ("&lt;", "<"),
                         ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'")):
        text = text.replace(entity, char)
    return " ".join(text.replace("\u00a0", " ").split())


def find_label(labels, text):
    """The id of the field labelled text; a label may add a marker such as
    "(obligatoire)" after the text, as users read it."""
    if text in labels:
        return labels[text]
    found = [i for t, i in labels.items() if t.startswith(text + " (")]
    assert len(found) == 1, f"no field labelled {text!r}; labels: {list(labels)}"
    return found[0]


class Browser:
    """A requests session that fills forms by their labels, like a user would."""

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.last = None

    def get(self, path="/", **kw):
        kw.setdefault("allow_redirects", True)
        self.last = self.http.get(self.base + path, timeout=30, **kw)
        return self.last

    def post(self, path, data, **kw):
        kw.setdefault("allow_redirects", False)
        self.last = self.http.post(self.base + path, data=data, timeout=30, **kw)
        return self.last

    def form(self, html=None, action_suffix=None):
        parsed = parse_forms(html if html is not None else self.last.text)
        forms = parsed.forms
        if action_suffix:
            forms = [f for f in forms if f["action"] and f["action"].endswith(action_suffix)]
        assert forms, "no matching form on the page"
        return forms[0], parsed.labels

    def submit(self, action_suffix, by_label=None, extra=None, html=None, **kw):
        """Fills the form whose action ends with action_suffix, fields found by label text."""
        form, labels = self.form(html, action_suffix)
        data = dict(form["fields"])
        for label, value in (by_label or {}).items():
            data[form["ids"][find_label(labels, label)]] = value
        data.update(extra or {})
        path = form["action"][len(MOUNT):] if form["action"].startswith(MOUNT) else form["action"]
        return self.post(path, data, **kw)

    def login(self, user, password=DEMO_PASSWORD):
        self.get("/connexion")
        return self.submit("/connexion", {"Identifiant": user, "Mot de passe": password})

    @property
    def session_cookie(self):
        return self.http.cookies.get("iv_session")

    def set_session_cookie(self, value):
        """Replaces the session cookie, as a user editing their cookie jar could."""
        for cookie in list(self.http.cookies):
            if cookie.name == "iv_session":
                self.http.cookies.clear(cookie.domain, cookie.path, cookie.name)
        if value is not None:
            self.http.cookies.set("iv_session", value, domain="127.0.0.1", path=MOUNT)


@pytest.fixture
def browser(stack):
    return Browser(stack.url())


@pytest.fixture
def login_as(stack):
    def make(user, vhost="main"):
        b = Browser(stack.url(vhost))
        r = b.login(user)
        assert r.status_code == 303, f"login as {user} gave {r.status_code}: {text_of(r.text)[:300]}"
        return b
    return make
