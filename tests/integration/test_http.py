"""Routing, error pages, security headers, health check, static files."""
import re
from html.parser import HTMLParser

import requests

from conftest import MOUNT, text_of
from test_requests import FULL, create

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")


def assert_security_headers(r, no_store=True):
    assert r.headers.get("Content-Security-Policy") == CSP, r.status_code
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.headers.get("Referrer-Policy") == "same-origin"
    assert r.headers.get("X-Frame-Options") == "DENY"
    if no_store:
        assert r.headers.get("Cache-Control") == "no-store"


def test_headers_on_a_200(login_as):
    b = login_as("secretariat")
    r = b.get("/")
    assert r.status_code == 200
    assert_security_headers(r)


def test_headers_on_302_and_303(stack, login_as):
    r = requests.get(stack.url() + "/", allow_redirects=False, timeout=30)
    assert r.status_code == 302
    assert_security_headers(r)
    b = login_as("secretariat")
    assert b.last.status_code == 303
    assert_security_headers(b.last)


def test_unknown_path_is_a_french_404_in_the_layout(stack, login_as):
    b = login_as("secretariat")
    r = b.get("/nexiste-pas", allow_redirects=False)
    assert r.status_code == 404
    assert_security_headers(r)
    page = text_of(r.text)
    assert "Page introuvable" in page and "Marie Dupont" in page and "Accessibilité" in page
    assert requests.get(stack.url() + "/connexion/", timeout=30).status_code == 404


def test_wrong_method_is_a_french_405(stack):
    r = requests.get(stack.url() + "/deconnexion", allow_redirects=False, timeout=30)
    assert r.status_code == 405
    assert r.headers["Allow"] == "POST"
    assert "Méthode non autorisée" in text_of(r.text)
    assert_security_headers(r)
    r = requests.put(stack.url() + "/", data="x", timeout=30)
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD, POST"


def test_server_error_is_a_french_500_with_an_incident_id_in_the_log(stack, login_as):
    b = login_as("secretariat")
    offset = stack.log_size()
    stack.psql("REVOKE SELECT ON sessions FROM interventions", superuser=True)
    try:
        r = b.get("/", allow_redirects=False)
    finally:
        stack.psql("GRANT SELECT ON sessions TO interventions", superuser=True)
    assert r.status_code == 500
    assert_security_headers(r)
    page = text_of(r.text)
    assert "Erreur interne" in page
    incident = re.search(r"Numéro d'incident : ([0-9A-F]{8})", page)
    assert incident, page
    log = stack.log_since(offset)
    assert f"IV00500: incident {incident.group(1)}" in log
    assert "permission denied" in log
    assert b.get("/", allow_redirects=False).status_code == 200


def test_mount_point_without_slash_redirects(stack):
    r = requests.get(f"http://127.0.0.1:{stack.ports['main']}{MOUNT}", allow_redirects=False,
                     timeout=30)
    assert r.status_code == 301
    assert r.headers["Location"].endswith(f"{MOUNT}/")


def test_health_check(stack):
    r = requests.get(stack.url() + "/sante", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.text == "ok\n"


def test_health_check_is_503_when_the_database_is_down(stack):
    stack.pg_ctl("stop")
    try:
        r = requests.get(stack.url() + "/sante", timeout=30)
        assert r.status_code == 503
        page = requests.get(stack.url() + "/connexion", timeout=30)
        assert page.status_code == 200     # the login form needs no database
    finally:
        stack.pg_ctl("start")
    assert requests.get(stack.url() + "/sante", timeout=30).status_code == 200


def test_static_css_is_served_with_security_headers(stack):
    r = requests.get(f"http://127.0.0.1:{stack.ports['main']}/interventions-static/css/interventions.css",
                     timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/css")
    assert_security_headers(r, no_store=False)


def test_accessibility_statement_is_public(stack):
    r = requests.get(stack.url() + "/accessibilite", timeout=30)
    assert r.status_code == 200
    assert "Déclaration d'accessibilité" in text_of(r.text)


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}


class TagBalance(HTMLParser):
    """What an HTML parser would make of the markup: every element that is not void
    closed by its own end tag, none written "<div/>" (which HTML reads as an open
    <div>), no end tag for a void element ("</br>" is a second line break)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.problems = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.problems.append(f"<{tag} … /> is not closed for an HTML parser")

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            self.problems.append(f"</{tag}>")
        elif not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else '(none)'}>")
        else:
            self.open.pop()


def test_pages_are_serialised_for_html_parsers(stack, login_as):
    b = login_as("admin")
    _, first = create(b, FULL)
    listing = b.get("/?q=%C3%A9glise&statut=nouvelle&statut=transmise").text
    pages = {"/?q=…": listing}
    for path in ("/", "/nouvelle", f"/{first}", f"/{first}/modifier", "/mes-interventions",
                 "/admin/referentiels/communes", "/admin/imports", "/accessibilite",
                 "/nexiste-pas"):
        pages[path] = b.get(path).text
    for path, html in pages.items():
        check = TagBalance()
        check.feed(html)
        check.close()
        assert check.problems == [], path
        assert check.open == [], path
    # the new form has empty textareas and the list checked boxes and selected options
    assert re.search(r"<textarea[^>]*></textarea>", pages["/nouvelle"])
    assert re.search(r'<input[^>]* checked(="checked")?[ />]', listing)


def test_pages_have_no_inline_script_or_style(stack, login_as):
    b = login_as("admin")
    for path in ("/", "/accessibilite", "/nexiste-pas"):
        html = b.get(path).text
        assert "<script" not in html and "style=" not in html and "<style" not in html
        assert html.startswith("<!DOCTYPE html>")
        assert re.search(r'<html( [^>]*)? lang="fr"[ >]', html)
