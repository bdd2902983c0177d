"""Administrators' pages for the reference lists (admin/referentiels): listing, adding,
renaming, reordering, deactivating and reactivating values; roles, CSRF, validation
errors and the audit trail.

The stack is shared by the whole run, so these tests never change the seeded values:
each works on values it adds itself (unique codes), deleted again at teardown.
"""
import re
import uuid

import pytest

from conftest import MOUNT, parse_forms, text_of

REFS = "/admin/referentiels"
# list name in URLs -> table
TABLES = {
    "origines": "origins", "natures": "requester_natures", "titres": "titles",
    "objets": "objects", "equipes": "teams", "communes": "communes", "agents": "agents",
}
OTHER_ROLES = ("secretariat", "responsable", "intervenant", "lecteur")


@pytest.fixture
def admin(login_as):
    return login_as("admin")


@pytest.fixture
def created(stack):
    """Values a test adds, as (table, code): deleted after the test."""
    made = []
    yield made
    for table, code in reversed(made):
        stack.psql(f"DELETE FROM {table} WHERE code = '{code}'")


def tag():
    return uuid.uuid4().hex[:8]


def rows(stack, table, where="true"):
    """code|label|position|active of a table, in the order forms offer them."""
    out = stack.psql(f"SELECT code, label, position, active FROM {table} WHERE {where} "
                     "ORDER BY position, label, code")
    return [line.split("|") for line in out.splitlines()] if out else []


def find_form(html, action_suffix, action=None):
    """The form posting to action_suffix (and carrying action=<action>), its labels."""
    parsed = parse_forms(html)
    for form in parsed.forms:
        if form["action"] and form["action"].endswith(action_suffix) \
                and (action is None or form["fields"].get("action") == action):
            return form, parsed.labels
    raise AssertionError(f"no form {action_suffix} {action} on the page")


def send(b, html, action_suffix, action=None, by_label=None, checked=(), drop_csrf=False):
    """Posts a form as a browser would: fields found by label; checkboxes are sent
    only when their label is in `checked` (HTMLParser sees them all)."""
    form, labels = find_form(html, action_suffix, action)
    data = dict(form["fields"])
    boxes = set(re.findall(r'<input type="checkbox" id="([^"]+)"', html))
    for box_id in boxes:
        if box_id in form["ids"]:
            data.pop(form["ids"][box_id], None)
    for label in checked:
        data[form["ids"][labels[label]]] = "1"
    for label, value in (by_label or {}).items():
        assert label in labels, f"no field labelled {label!r}; labels: {list(labels)}"
        data[form["ids"][labels[label]]] = value
    if drop_csrf:
        data.pop("csrf_token")
    return b.post(form["action"][len(MOUNT):], data)


def add(b, liste, by_label, checked=()):
    page = b.get(f"{REFS}/{liste}")
    assert page.status_code == 200
    return send(b, page.text, f"{REFS}/{liste}", by_label=by_label, checked=checked)


def row_action(b, liste, code, action, by_label=None, checked=()):
    page = b.get(f"{REFS}/{liste}")
    return send(b, page.text, f"{REFS}/{liste}/{code}", action, by_label, checked)


def add_object(b, stack, created, label=None):
    """Adds an object through the page; returns its code."""
    label = label or f"Objet test {tag()}"
    r = add(b, "objets", {"Libellé": label})
    assert r.status_code == 303, text_of(r.text)[:400]
    code = re.search(r"code=([a-z0-9_]+)", r.headers["Location"]).group(1)
    created.append(("objects", code))
    return code


def follow(b, r):
    """GET of a redirect's target (a path under the mount point)."""
    location = r.headers["Location"]
    assert location.startswith(MOUNT + "/")
    return b.get(location[len(MOUNT):])


def last_audit(stack):
    return stack.psql("SELECT login, action, detail FROM audit ORDER BY id DESC LIMIT 1")


# ---------------------------------------------------------------- reading

def test_admin_sees_the_index_with_active_and_total_counts(stack, admin):
    r = admin.get(REFS)
    assert r.status_code == 200
    page = text_of(r.text)
    for name in ("Origines de la demande", "Natures du demandeur", "Titres du demandeur",
                 "Objets de la demande", "Équipes", "Communes", "Agents"):
        assert name in page
    assert "Valeurs actives" in page
    active, total = stack.psql("SELECT count(*) FILTER (WHERE active), count(*) FROM objects") \
        .split("|")
    assert re.search(rf'href="{MOUNT}{REFS}/objets">Objets de la demande</a></th>'
                     rf'<td class="num">{active}</td><td class="num">{total}</td>', r.text)
    # in the navigation, as the current page
    assert re.search(rf'<a href="{MOUNT}/admin/referentiels" aria-current="page">Référentiels</a>',
                     r.text)


@pytest.mark.parametrize("liste", list(TABLES))
def test_admin_sees_each_list_in_order_with_its_forms(stack, admin, liste):
    r = admin.get(f"{REFS}/{liste}")
    assert r.status_code == 200
    codes = [row[0] for row in rows(stack, TABLES[liste])]
    assert codes
    shown = re.findall(r'<tr id="v-([^"]+)"', r.text)
    assert shown == codes
    _, labels = find_form(r.text, f"{REFS}/{liste}")
    assert "Libellé" in labels
    assert ("Code INSEE" if liste == "communes" else "Code") in labels
    first, last = codes[0], codes[-1]
    find_form(r.text, f"/{liste}/{first}", "descendre")
    with pytest.raises(AssertionError):
        find_form(r.text, f"/{liste}/{first}", "monter")
    with pytest.raises(AssertionError):
        find_form(r.text, f"/{liste}/{last}", "descendre")
    assert f"Libellé ({first})" in parse_forms(r.text).labels


def test_unknown_list_is_a_404(admin):
    r = admin.get(f"{REFS}/inconnue")
    assert r.status_code == 404
    assert "Page introuvable" in text_of(r.text)
    page = admin.get(f"{REFS}/objets")
    csrf = find_form(page.text, f"{REFS}/objets")[0]["fields"]["csrf_token"]
    assert admin.post(f"{REFS}/inconnue", {"csrf_token": csrf, "libelle": "x"}).status_code == 404
    assert admin.post(f"{REFS}/inconnue/odeurs",
                      {"csrf_token": csrf, "action": "desactiver"}).status_code == 404


def test_unknown_code_is_a_404(stack, admin):
    page = admin.get(f"{REFS}/objets")
    csrf = find_form(page.text, f"{REFS}/objets")[0]["fields"]["csrf_token"]
    before = stack.psql("SELECT count(*) FROM audit")
    r = admin.post(f"{REFS}/objets/nexiste_pas", {"csrf_token": csrf, "action": "desactiver"})
    assert r.status_code == 404
    assert stack.psql("SELECT count(*) FROM audit") == before


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403_on_every_page_and_post(stack, login_as, role):
    b = login_as(role)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', b.get("/").text).group(1)
    for path in (REFS, f"{REFS}/objets", f"{REFS}/agents"):
        r = b.get(path)
        assert r.status_code == 403, path
        assert "Accès refusé" in text_of(r.text)
    before = rows(stack, "objects")
    r = b.post(f"{REFS}/objets", {"csrf_token": csrf, "libelle": f"Intrus {tag()}", "code": ""})
    assert r.status_code == 403
    r = b.post(f"{REFS}/objets/odeurs", {"csrf_token": csrf, "action": "desactiver"})
    assert r.status_code == 403
    assert rows(stack, "objects") == before
    assert 'href="/interventions/admin/referentiels"' not in b.get("/").text


def test_anonymous_is_sent_to_the_login_form(browser):
    r = browser.get(REFS, allow_redirects=False)
    assert r.status_code == 302
    assert "/connexion?retour=" in r.headers["Location"]


# ---------------------------------------------------------------- adding

def test_add_a_value_with_the_code_made_from_the_label(stack, admin, created):
    t = tag()
    r = add(admin, "objets", {"Libellé": f"Débordement EP {t}"})
    code = f"debordement_ep_{t}"
    created.append(("objects", code))
    assert r.status_code == 303
    assert r.headers["Location"] == f"{MOUNT}{REFS}/objets?ok=ajout&code={code}"
    page = follow(admin, r)
    assert f"Confirmation : Valeur « Débordement EP {t} » ajoutée." in text_of(page.text)
    values = rows(stack, "objects")
    assert values[-1] == [code, f"Débordement EP {t}", values[-1][2], "t"]
    assert int(values[-1][2]) > int(values[-2][2])
    assert re.findall(r'<tr id="v-([^"]+)"', page.text)[-1] == code
    assert last_audit(stack) == f"admin|referentiel|objets: ajout {code}"


def test_add_with_a_typed_code_and_the_extra_columns(stack, admin, created):
    t = tag()
    r = add(admin, "natures", {"Libellé": f"Syndicat {t}", "Code": f"syndicat_{t}"},
            checked=["Nature institutionnelle : pas de nom de demandeur exigé"])
    created.append(("requester_natures", f"syndicat_{t}"))
    assert r.status_code == 303
    assert stack.psql(f"SELECT is_institution FROM requester_natures WHERE code = 'syndicat_{t}'") \
        == "t"

    insee = "99" + str(uuid.uuid4().int % 1000).zfill(3)
    r = add(admin, "communes", {"Libellé": f"Commune test {t}", "Code INSEE": insee})
    created.append(("communes", insee))
    assert r.status_code == 303, text_of(r.text)[:300]
    assert stack.psql(f"SELECT label, in_territory FROM communes WHERE code = '{insee}'") \
        == f"Commune test {t}|f"
    corsica = "2A" + str(uuid.uuid4().int % 1000).zfill(3)
    r = add(admin, "communes", {"Libellé": f"Commune corse {t}", "Code INSEE": corsica.lower()},
            checked=["Dans le territoire"])
    created.append(("communes", corsica))
    assert r.status_code == 303
    assert stack.psql(f"SELECT in_territory FROM communes WHERE code = '{corsica}'") == "t"

    r = add(admin, "agents", {"Libellé": f"Agent {t}", "Code": f"agent_{t}",
                              "Équipe": "exploitation"})
    created.append(("agents", f"agent_{t}"))
    assert r.status_code == 303
    assert stack.psql(f"SELECT label, team_code FROM agents WHERE code = 'agent_{t}'") \
        == f"Agent {t}|exploitation"


def test_agents_may_share_a_name(stack, admin, created):
    t = tag()
    for code in (f"homonyme_a_{t}", f"homonyme_b_{t}"):
        r = add(admin, "agents", {"Libellé": f"Jean Homonyme {t}", "Code": code})
        created.append(("agents", code))
        assert r.status_code == 303


ERRORS = [
    # list, typed, field id in error, message
    ("objets", {"Libellé": "", "Code": "vide_{t}"}, "ajout-libelle", "Saisissez un libellé."),
    ("objets", {"Libellé": "   \t ", "Code": ""}, "ajout-libelle", "Saisissez un libellé."),
    ("objets", {"Libellé": "X" * 201, "Code": ""}, "ajout-libelle",
     "Le libellé ne doit pas dépasser 200 caractères."),
    ("objets", {"Libellé": "odeurs", "Code": "autre_{t}"}, "ajout-libelle",
     "Ce libellé est déjà celui d'une autre valeur de la liste."),
    ("objets", {"Libellé": "Autre odeur {t}", "Code": "odeurs"}, "ajout-code",
     "Ce code existe déjà dans la liste : saisissez-en un autre."),
    ("objets", {"Libellé": "Odeurs !", "Code": ""}, "ajout-code",
     "Ce code existe déjà dans la liste : saisissez-en un autre."),
    ("objets", {"Libellé": "Mauvais code {t}", "Code": "Pas Bon"}, "ajout-code",
     "Le code ne peut contenir que des lettres minuscules"),
    ("objets", {"Libellé": "€ €", "Code": ""}, "ajout-code", "Saisissez un code"),
    ("communes", {"Libellé": "Ville {t}", "Code INSEE": "9408"}, "ajout-code",
     "Le code INSEE est formé de 5 chiffres"),
    ("communes", {"Libellé": "Ville {t}", "Code INSEE": "2C004"}, "ajout-code",
     "Le code INSEE est formé de 5 chiffres"),
    ("communes", {"Libellé": "Ville {t}", "Code INSEE": ""}, "ajout-code",
     "Saisissez le code INSEE de la commune."),
    ("communes", {"Libellé": "Ville {t}", "Code INSEE": "94080"}, "ajout-code",
     "Une commune de la liste a déjà ce code INSEE."),
    ("agents", {"Libellé": "Agent {t}", "Code": "", "Équipe": "pas_une_equipe"},
     "ajout-equipe", "Choisissez une équipe de la liste."),
]


@pytest.mark.parametrize("liste,typed,field_id,message", ERRORS)
def test_refused_additions_are_a_422_with_what_was_typed(stack, admin, liste, typed, field_id,
                                                         message):
    t = tag()
    typed = {k: v.replace("{t}", t) for k, v in typed.items()}
    before = rows(stack, TABLES[liste])
    audits = stack.psql("SELECT count(*) FROM audit")
    r = add(admin, liste, typed)
    assert r.status_code == 422
    page = text_of(r.text)
    assert "La saisie n'a pas été enregistrée" in page
    assert message in page
    assert page.count(message) >= 2         # in the summary and next to the field
    assert re.search(rf'<div class="error-summary"[^>]*>.*<a href="#{field_id}">', r.text, re.S)
    assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', r.text)
    assert "<title>Erreur\xa0: " in r.text
    form, _ = find_form(r.text, f"{REFS}/{liste}")
    kept = {"Libellé": "libelle", "Code": "code", "Code INSEE": "code"}
    for label, value in typed.items():
        if label in kept and value.strip() and len(value) <= 200:
            assert form["fields"][kept[label]] == " ".join(value.split()), label
    assert rows(stack, TABLES[liste]) == before
    assert stack.psql("SELECT count(*) FROM audit") == audits


def test_every_error_of_an_addition_is_reported_at_once(stack, admin):
    before = rows(stack, "objects")
    r = add(admin, "objets", {"Libellé": "ODEURS", "Code": "Pas Bon"})
    assert r.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', r.text, re.S).group(0)
    assert re.findall(r'<a href="#([^"]+)">', summary) == ["ajout-libelle", "ajout-code"]
    assert rows(stack, "objects") == before


def test_a_refused_addition_keeps_the_ticked_box(admin):
    r = add(admin, "natures", {"Libellé": "", "Code": ""},
            checked=["Nature institutionnelle : pas de nom de demandeur exigé"])
    assert r.status_code == 422
    assert re.search(r'id="ajout-institution" name="institution" value="1" checked', r.text)


def test_a_label_of_200_characters_is_accepted(stack, admin, created):
    label = ("é" * 190) + tag() + "xx"
    r = add(admin, "objets", {"Libellé": label, "Code": f"long_{tag()}"})
    assert r.status_code == 303
    created.append(("objects", re.search(r"code=([a-z0-9_]+)", r.headers["Location"]).group(1)))


# ---------------------------------------------------------------- changing

def test_rename_keeps_the_code_and_is_audited(stack, admin, created):
    code = add_object(admin, stack, created)
    old = stack.psql(f"SELECT label FROM objects WHERE code = '{code}'")
    new = f"Objet renommé {tag()}"
    r = row_action(admin, "objets", code, "renommer", {f"Libellé ({code})": new})
    assert r.status_code == 303
    assert r.headers["Location"] == f"{MOUNT}{REFS}/objets?ok=renommer&code={code}"
    assert stack.psql(f"SELECT label FROM objects WHERE code = '{code}'") == new
    assert last_audit(stack) == f"admin|referentiel|objets: renommer {code} ({old} → {new})"
    assert f"Valeur « {new} » enregistrée." in text_of(follow(admin, r).text)


def test_refused_rename_is_a_422_on_the_row(stack, admin, created):
    code = add_object(admin, stack, created)
    label = stack.psql(f"SELECT label FROM objects WHERE code = '{code}'")
    for typed, message in (("Odeurs", "Ce libellé est déjà celui d'une autre valeur"),
                           ("  ", "Saisissez un libellé.")):
        r = row_action(admin, "objets", code, "renommer", {f"Libellé ({code})": typed})
        assert r.status_code == 422
        assert message in text_of(r.text)
        assert f'<a href="#v-{code}-libelle">' in r.text
        field = re.search(rf'<input type="text" id="v-{code}-libelle"[^>]*>', r.text).group(0)
        assert 'aria-invalid="true"' in field and "autofocus" in field
        form, _ = find_form(r.text, f"/objets/{code}", "renommer")
        assert form["fields"]["libelle"] == typed.strip()
        assert stack.psql(f"SELECT label FROM objects WHERE code = '{code}'") == label


def test_agent_team_and_commune_flag_change_with_the_label(stack, admin, created):
    t = tag()
    code = f"agent_{t}"
    assert add(admin, "agents", {"Libellé": f"Agent {t}", "Code": code}).status_code == 303
    created.append(("agents", code))
    r = row_action(admin, "agents", code, "renommer",
                   {f"Libellé ({code})": f"Agent {t}", f"Équipe ({code})": "conformite"})
    assert r.status_code == 303
    assert stack.psql(f"SELECT team_code FROM agents WHERE code = '{code}'") == "conformite"
    assert last_audit(stack) == f"admin|referentiel|agents: renommer {code} (equipe: - → conformite)"

    insee = "99" + str(uuid.uuid4().int % 1000).zfill(3)
    assert add(admin, "communes", {"Libellé": f"Bourg {t}", "Code INSEE": insee},
               checked=["Dans le territoire"]).status_code == 303
    created.append(("communes", insee))
    r = row_action(admin, "communes", insee, "renommer", {f"Libellé ({insee})": f"Bourg {t}"})
    assert r.status_code == 303
    assert stack.psql(f"SELECT in_territory FROM communes WHERE code = '{insee}'") == "f"


def test_move_up_and_down_swaps_with_the_neighbour(stack, admin, created):
    a = add_object(admin, stack, created)
    b = add_object(admin, stack, created)
    codes = [row[0] for row in rows(stack, "objects")]
    assert codes[-2:] == [a, b]
    r = row_action(admin, "objets", b, "monter")
    assert r.status_code == 303
    assert r.headers["Location"] == f"{MOUNT}{REFS}/objets?ok=monter&code={b}#v-{b}"
    after = rows(stack, "objects")
    assert [row[0] for row in after][-2:] == [b, a]
    positions = [int(row[2]) for row in after]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert last_audit(stack) == f"admin|referentiel|objets: monter {b}"
    page = admin.get(f"{REFS}/objets")
    assert re.findall(r'<tr id="v-([^"]+)"', page.text)[-2:] == [b, a]
    assert row_action(admin, "objets", b, "descendre").status_code == 303
    assert [row[0] for row in rows(stack, "objects")][-2:] == [a, b]
    # the last one cannot go further down: nothing changes, nothing is audited
    audits = stack.psql("SELECT count(*) FROM audit")
    page = admin.get(f"{REFS}/objets")
    csrf = find_form(page.text, f"{REFS}/objets")[0]["fields"]["csrf_token"]
    r = admin.post(f"{REFS}/objets/{b}", {"csrf_token": csrf, "action": "descendre"})
    assert r.status_code == 303
    assert [row[0] for row in rows(stack, "objects")][-2:] == [a, b]
    assert stack.psql("SELECT count(*) FROM audit") == audits


def test_deactivate_then_reactivate(stack, admin, created):
    code = add_object(admin, stack, created)
    active_before = stack.psql("SELECT count(*) FILTER (WHERE active) FROM objects")
    r = row_action(admin, "objets", code, "desactiver")
    assert r.status_code == 303
    assert stack.psql(f"SELECT active FROM objects WHERE code = '{code}'") == "f"
    assert last_audit(stack) == f"admin|referentiel|objets: desactiver {code}"
    page = follow(admin, r)
    assert "désactivée : elle n'est plus proposée dans les nouvelles demandes" in text_of(page.text)
    row = re.search(rf'<tr id="v-{code}" class="inactive">.*?</tr>', page.text, re.S).group(0)
    assert "Désactivée" in text_of(row) and "Réactiver" in text_of(row)
    index = admin.get(REFS).text
    assert re.search(rf'Objets de la demande</a></th><td class="num">{int(active_before) - 1}</td>',
                     index)
    r = row_action(admin, "objets", code, "reactiver")
    assert r.status_code == 303
    assert stack.psql(f"SELECT active FROM objects WHERE code = '{code}'") == "t"
    assert last_audit(stack) == f"admin|referentiel|objets: reactiver {code}"


def test_a_deactivated_team_is_no_longer_offered_but_stays_on_its_agents(stack, admin, created):
    """The agents' page offers teams through iv_refs_active: WHERE active OR code = keep."""
    t = tag()
    team = f"equipe_{t}"
    assert add(admin, "equipes", {"Libellé": f"Équipe {t}", "Code": team}).status_code == 303
    created.insert(0, ("teams", team))      # deleted after the agent that uses it
    agent = f"agent_{t}"
    assert add(admin, "agents", {"Libellé": f"Agent {t}", "Code": agent, "Équipe": team}) \
        .status_code == 303
    created.append(("agents", agent))
    assert row_action(admin, "equipes", team, "desactiver").status_code == 303

    page = admin.get(f"{REFS}/agents").text
    add_form = page[page.index('id="ajout-titre"'):]
    assert f'value="{team}"' not in add_form
    row = re.search(rf'<tr id="v-{agent}">.*?</tr>', page, re.S).group(0)
    assert re.search(rf'<option value="{team}" selected(="selected")?>Équipe {t} \(Désactivée\)',
                     row)
    # the agent keeps the team when renamed; a new agent cannot get it
    r = row_action(admin, "agents", agent, "renommer", {f"Libellé ({agent})": f"Agent {t} bis"})
    assert r.status_code == 303
    assert stack.psql(f"SELECT team_code FROM agents WHERE code = '{agent}'") == team
    r = add(admin, "agents", {"Libellé": f"Autre {t}", "Code": f"autre_{t}", "Équipe": team})
    assert r.status_code == 422
    assert "Choisissez une équipe de la liste." in text_of(r.text)


def test_a_value_in_use_shows_its_count_and_cannot_be_deleted(stack, admin, created):
    code = add_object(admin, stack, created)
    rid = stack.psql(
        "INSERT INTO interventions (year, number, origin_code, received_at, nature_code, "
        "address, commune_code, object_code, created_by, updated_by) "
        "SELECT 1999, coalesce(max(number), 0) + 1, 'telephone', now(), 'particulier', "
        f"'1 rue du Test', '94080', '{code}', 'admin', 'admin' "
        "FROM interventions WHERE year = 1999 RETURNING id").splitlines()[0]
    try:
        page = admin.get(f"{REFS}/objets").text
        row = re.search(rf'<tr id="v-{code}">.*?</tr>', page, re.S).group(0)
        uses = re.findall(r'<td class="num fit">(\d+)</td>', row)
        assert uses[-1] == "1"
        csrf = find_form(page, f"{REFS}/objets")[0]["fields"]["csrf_token"]
        r = admin.post(f"{REFS}/objets/{code}", {"csrf_token": csrf, "action": "supprimer"})
        assert r.status_code == 422
        assert "Une valeur ne se supprime pas" in text_of(r.text)
        assert "<title>Erreur\xa0: " in r.text
        assert stack.psql(f"SELECT count(*) FROM objects WHERE code = '{code}'") == "1"
        # deactivated, it stays on the request and keeps its count
        assert row_action(admin, "objets", code, "desactiver").status_code == 303
        assert stack.psql(f"SELECT object_code FROM interventions WHERE id = {rid}") == code
        row = re.search(rf'<tr id="v-{code}" class="inactive">.*?</tr>',
                        admin.get(f"{REFS}/objets").text, re.S).group(0)
        assert re.findall(r'<td class="num fit">(\d+)</td>', row)[-1] == "1"
    finally:
        stack.psql(f"DELETE FROM interventions WHERE id = {rid}")


def test_changes_without_the_csrf_token_are_refused(stack, admin, created):
    code = add_object(admin, stack, created)
    before = rows(stack, "objects")
    page = admin.get(f"{REFS}/objets").text
    r = send(admin, page, f"{REFS}/objets", by_label={"Libellé": f"Sans jeton {tag()}"},
             drop_csrf=True)
    assert r.status_code == 403
    assert "Formulaire expiré" in text_of(r.text)
    r = send(admin, page, f"{REFS}/objets/{code}", "desactiver", drop_csrf=True)
    assert r.status_code == 403
    r = admin.post(f"{REFS}/objets/{code}", {"csrf_token": "0" * 64, "action": "desactiver"})
    assert r.status_code == 403
    assert rows(stack, "objects") == before


def test_a_row_address_only_takes_posts(admin):
    r = admin.get(f"{REFS}/objets/odeurs")
    assert r.status_code == 405
    assert r.headers["Allow"] == "POST"


def test_an_unknown_confirmation_flag_is_ignored(admin):
    r = admin.get(f"{REFS}/objets?ok=pirate&code=odeurs")
    assert r.status_code == 200
    assert "Confirmation" not in text_of(r.text)
    assert "pirate" not in r.text
