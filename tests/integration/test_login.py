"""Signing in and out with the directory account; sessions; throttling."""
import time

import requests

from conftest import MOUNT, Browser, text_of

ROLE_LABELS = {
    "admin": ("Claire Martin", "Administrateur"),
    "responsable": ("Marc Lefèvre", "Responsable de pôle"),
    "secretariat": ("Marie Dupont", "Secrétariat"),
    "intervenant": ("Jérôme Petit", "Intervenant"),
    "lecteur": ("Élodie Bernard", "Lecteur"),
}


def test_root_leads_to_the_login_page(stack, browser):
    r = browser.get("/")
    assert r.status_code == 200
    assert r.url.startswith(stack.url() + "/connexion")
    page = text_of(r.text)
    assert "Connexion" in page
    _, labels = browser.form(action_suffix="/connexion")
    assert "Identifiant" in labels and "Mot de passe" in labels


def test_unauthenticated_get_is_a_302_to_the_login_form_with_return(browser):
    r = browser.get("/", allow_redirects=False)
    assert r.status_code == 302
    assert r.headers["Location"] == f"{MOUNT}/connexion?retour=%2finterventions%2f"


def test_each_demo_account_lands_on_the_list_in_the_layout(stack, login_as):
    for user, (name, role) in ROLE_LABELS.items():
        b = login_as(user)
        assert b.last.headers["Location"] == f"{MOUNT}/"
        r = b.get("/")
        assert r.status_code == 200
        page = text_of(r.text)
        assert "Demandes d'intervention" in page
        assert name in page and role in page, user
        assert "Se déconnecter" in page
        assert "Accessibilité" in page
        assert 'aria-label="Navigation principale"' in r.text
        assert 'href="/interventions/accessibilite"' in r.text


def test_login_redirects_to_the_page_asked_for(stack):
    b = Browser(stack.url())
    b.get("/connexion?retour=/interventions/accessibilite")
    r = b.submit("/connexion", {"Identifiant": "secretariat", "Mot de passe": "demo"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/interventions/accessibilite"


def test_login_ignores_a_foreign_return_target(stack):
    for target in ("//evil.example/x", "https://evil.example/", "/ailleurs/", "/interventions\\x"):
        b = Browser(stack.url())
        b.get("/connexion")
        r = b.submit("/connexion", {"Identifiant": "secretariat", "Mot de passe": "demo"},
                     extra={"retour": target})
        assert r.status_code == 303
        assert r.headers["Location"] == f"{MOUNT}/", target


def test_wrong_password_gives_the_form_back_with_a_generic_message(browser):
    browser.get("/connexion")
    r = browser.submit("/connexion", {"Identifiant": "secretariat", "Mot de passe": "faux"})
    assert r.status_code == 422
    assert "Identifiant ou mot de passe incorrect." in text_of(r.text)
    form, _ = browser.form(r.text, "/connexion")
    assert form["fields"]["identifiant"] == "secretariat"
    assert form["fields"]["mot_de_passe"] == ""
    assert browser.session_cookie is None


def test_unknown_user_gets_the_same_message(browser):
    browser.get("/connexion")
    r = browser.submit("/connexion", {"Identifiant": "personne", "Mot de passe": "demo"})
    assert r.status_code == 422
    assert "Identifiant ou mot de passe incorrect." in text_of(r.text)
    assert browser.session_cookie is None


def test_empty_fields_are_refused_and_identifier_kept(browser):
    browser.get("/connexion")
    r = browser.submit("/connexion", {"Identifiant": "secretariat", "Mot de passe": ""})
    assert r.status_code == 422
    assert "Saisissez votre identifiant et votre mot de passe." in text_of(r.text)
    form, _ = browser.form(r.text, "/connexion")
    assert form["fields"]["identifiant"] == "secretariat"


def test_filter_injection_in_identifier_is_just_a_failed_login(browser):
    browser.get("/connexion")
    r = browser.submit("/connexion", {"Identifiant": "*)(uid=*))(|(uid=*", "Mot de passe": "demo"})
    assert r.status_code == 422
    assert "Identifiant ou mot de passe incorrect." in text_of(r.text)


def test_user_without_role_is_refused(browser):
    browser.get("/connexion")
    r = browser.submit("/connexion", {"Identifiant": "sansrole", "Mot de passe": "demo"})
    assert r.status_code == 403
    assert "Aucun rôle ne vous est attribué" in text_of(r.text)
    assert browser.session_cookie is None


def test_directory_down_gives_a_503_page_and_logs_the_cause(stack):
    b = Browser(stack.url("ldapdown"))
    offset = stack.log_size()
    b.get("/connexion")
    r = b.submit("/connexion", {"Identifiant": "secretariat", "Mot de passe": "demo"})
    assert r.status_code == 503
    assert "Annuaire indisponible" in text_of(r.text)
    log = stack.log_since(offset)
    assert "IV00403" in log and "Can't contact LDAP server" in log


def test_a_planted_session_id_is_never_adopted(stack):
    planted = "ab" * 32
    b = Browser(stack.url())
    b.get("/connexion")
    b.set_session_cookie(planted)
    r = b.submit("/connexion", {"Identifiant": "secretariat", "Mot de passe": "demo"})
    assert r.status_code == 303
    assert b.session_cookie not in (None, planted)


def test_session_id_changes_at_login_and_is_stored_hashed(stack, login_as):
    b = login_as("secretariat")
    first = b.session_cookie
    assert len(first) == 64
    assert b.get("/connexion").url == stack.url() + "/"   # signed in: no login form
    # Signing in again from the same browser (a token from a fresh form) as someone else.
    b.set_session_cookie(None)
    b.get("/connexion")
    b.set_session_cookie(first)
    r = b.submit("/connexion", {"Identifiant": "responsable", "Mot de passe": "demo"})
    assert r.status_code == 303
    second = b.session_cookie
    assert second != first
    old = Browser(stack.url())
    old.set_session_cookie(first)
    assert old.get("/", allow_redirects=False).status_code == 302
    assert "Marc Lefèvre" in text_of(b.get("/").text)
    # only a hash of the id is stored
    assert stack.psql(f"SELECT count(*) FROM sessions WHERE position('{second}' in "
                      "encode(id_hash, 'hex')) > 0") == "0"
    assert stack.psql("SELECT count(*) FROM sessions WHERE id_hash = "
                      f"sha256(convert_to('{second}', 'UTF8'))") == "1"


def test_session_cookie_attributes(login_as):
    b = login_as("secretariat")
    header = b.last.headers["Set-Cookie"]
    assert "iv_session=" in header
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/interventions" in header
    assert "Secure" not in header     # plain HTTP, InterventionsCookieSecure Off


def test_idle_session_expires(stack, login_as):
    b = login_as("secretariat", vhost="short")
    assert b.get("/", allow_redirects=False).status_code == 200
    time.sleep(3)
    r = b.get("/", allow_redirects=False)
    assert r.status_code == 302
    assert "expire=1" in r.headers["Location"]
    r = b.get("/")
    assert "Votre session a expiré. Veuillez vous reconnecter." in text_of(r.text)


def test_session_ends_at_its_maximum_age_even_when_active(login_as):
    b = login_as("secretariat", vhost="short")
    deadline = time.time() + 5
    codes = []
    while time.time() < deadline:
        codes.append(b.get("/", allow_redirects=False).status_code)
        time.sleep(0.5)
    assert codes[0] == 200
    assert codes[-1] == 302     # idle never reached (0.5 s), but 4 s max passed


def test_logout_deletes_the_session(stack, login_as):
    b = login_as("intervenant")
    cookie = b.session_cookie
    r = b.submit("/deconnexion", html=b.get("/").text)
    assert r.status_code == 303
    assert r.headers["Location"] == f"{MOUNT}/connexion?sortie=1"
    assert "Vous êtes déconnecté." in text_of(b.get(r.headers["Location"][len(MOUNT):]).text)
    replay = Browser(stack.url())
    replay.set_session_cookie(cookie)
    assert replay.get("/", allow_redirects=False).status_code == 302
    assert stack.psql("SELECT count(*) FROM audit WHERE login = 'intervenant' "
                      "AND action = 'deconnexion'") != "0"


def test_post_without_or_with_wrong_csrf_token_is_refused(login_as):
    b = login_as("secretariat")
    for data in ({}, {"csrf_token": "0" * 64}, {"csrf_token": ""}):
        r = b.post("/deconnexion", data)
        assert r.status_code == 403
        assert "Formulaire expiré" in text_of(r.text)
    assert b.get("/", allow_redirects=False).status_code == 200    # still signed in


def test_login_post_needs_the_login_form_token(stack):
    raw = requests.post(stack.url() + "/connexion",
                        data={"identifiant": "secretariat", "mot_de_passe": "demo"},
                        allow_redirects=False, timeout=30)
    assert raw.status_code == 403
    b = Browser(stack.url())
    b.get("/connexion")
    r = b.submit("/connexion", {"Identifiant": "secretariat", "Mot de passe": "demo"},
                 extra={"csrf_token": "f" * 64})
    assert r.status_code == 403
    assert "Formulaire expiré" in text_of(r.text)


def test_throttling_after_five_failures(stack):
    offset = stack.log_size()
    b = Browser(stack.url())
    b.get("/connexion")
    for _ in range(5):
        r = b.submit("/connexion", {"Identifiant": "bloque", "Mot de passe": "mauvais-secret-42"})
        assert r.status_code == 422
    r = b.submit("/connexion", {"Identifiant": "bloque", "Mot de passe": "demo"})
    assert r.status_code == 429
    assert "Trop de tentatives de connexion" in text_of(r.text)
    assert r.headers["Retry-After"] == "900"
    # another identifier is not affected
    assert Browser(stack.url()).login("secretariat").status_code == 303
    log = stack.log_since(offset)
    assert log.count("IV00601") == 5 and "IV00602" in log
    assert "mauvais-secret-42" not in log and "demo" not in log


def test_form_body_with_invalid_utf8_is_a_400(stack):
    b = Browser(stack.url())
    b.get("/connexion")
    form, _ = b.form(action_suffix="/connexion")
    r = b.http.post(stack.url() + "/connexion",
                    data=f"csrf_token={form['fields']['csrf_token']}&identifiant=%FF%FE&mot_de_passe=x",
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                    allow_redirects=False, timeout=30)
    assert r.status_code == 400
    assert "Requête invalide" in text_of(r.text)
