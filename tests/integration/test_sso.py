"""Intranet single sign-on: another module authenticates, the directory gives roles."""
import requests

from conftest import text_of


def get(stack, user, password="sso-secret", path="/", session=None):
    http = session or requests.Session()
    auth = (user, password) if user else None
    return http.get(stack.url("sso") + path, auth=auth, allow_redirects=False, timeout=30)


def test_trusted_user_gets_a_session_without_the_form(stack):
    http = requests.Session()
    r = get(stack, "responsable", session=http)
    assert r.status_code == 200
    page = text_of(r.text)
    assert "Marc Lefèvre" in page and "Responsable de pôle" in page
    cookie = http.cookies.get("iv_session")
    assert cookie and len(cookie) == 64
    # the next request reuses the session instead of creating one
    before = stack.psql("SELECT count(*) FROM sessions WHERE login = 'responsable'")
    assert get(stack, "responsable", session=http).status_code == 200
    assert http.cookies.get("iv_session") == cookie
    assert stack.psql("SELECT count(*) FROM sessions WHERE login = 'responsable'") == before


def test_no_credentials_is_stopped_by_the_auth_module(stack):
    assert get(stack, None).status_code == 401


def test_trusted_user_without_role_is_refused(stack):
    r = get(stack, "sansrole")
    assert r.status_code == 403
    assert "Aucun rôle ne vous est attribué" in text_of(r.text)


def test_trusted_user_unknown_to_the_directory_is_refused(stack):
    r = get(stack, "inconnu")
    assert r.status_code == 403


def test_a_session_cookie_of_another_user_is_replaced(stack, login_as):
    other = login_as("secretariat")     # cookies do not depend on the port
    http = requests.Session()
    http.cookies.set("iv_session", other.session_cookie, domain="127.0.0.1", path="/interventions")
    r = get(stack, "responsable", session=http)
    assert r.status_code == 200
    assert "Marc Lefèvre" in text_of(r.text)
    assert http.cookies.get("iv_session") != other.session_cookie
