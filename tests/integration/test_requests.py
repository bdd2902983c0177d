"""Requests: record, view, edit, follow through statuses, history, perimeters."""
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import MOUNT, Browser, find_label, text_of

FULL = {
    "Origine de la demande": "telephone",
    "Date reçue": "23/06/2025 16:17",
    "Nature du demandeur": "particulier",
    "Titre du demandeur": "m",
    "Nom du demandeur": "DUPONT Jean",
    "Adresse intervention": "3 rue de l'Église",
    "Ville": "94080",
    "Téléphone": "+33 1 23 45 67 89",
    "Courriel": "Jean.Dupont@Example.fr",
    "Complément d'adresse": "Bâtiment B, 2e étage",
    "Objet de la demande": "odeurs",
    "Complément d'objet": "Odeurs d'égout « persistantes »",
    "Transmise à": "petits_travaux",
    "Date de transmission": "23/06/2025 16:22",
    "Début intervention": "24/06/2025 09:00",
    "Fin intervention": "24/06/2025 10:30",
    "Commentaire intervention": "Curage du branchement, tampon remplacé.",
    "Carte : latitude": "48,8475",
    "Carte : longitude": "2,4390",
    "Intervention réalisée par": "intervenant",
    "Clôturée par": "responsable",
}

MINIMAL = {
    "Origine de la demande": "telephone",
    "Date reçue": "23/06/2025 16:17",
    "Nature du demandeur": "particulier",
    "Nom du demandeur": "MARTIN Paul",
    "Adresse intervention": "12 avenue de Paris",
    "Ville": "94080",
    "Objet de la demande": "odeurs",
}


def create(b, fields):
    """Records a request through the form; returns (response, id)."""
    b.get("/nouvelle")
    r = b.submit("/nouvelle", fields)
    m = re.match(rf"{MOUNT}/(\d+)\?cree=1$", r.headers.get("Location", ""))
    return r, m.group(1) if m else None


def page_text(b, rid):
    r = b.get(f"/{rid}", allow_redirects=False)
    return r, text_of(r.text)


def status_of(stack, rid):
    return stack.psql(f"SELECT status FROM interventions WHERE id = {rid}")


def act(b, rid, action, fields=None, html=None):
    """Posts the status form of the given action found on the request's page."""
    html = html or b.get(f"/{rid}").text
    forms = [f for f in re.findall(r'<form[^>]*statut".*?</form>', html, re.S)
             if f'name="action" value="{action}"' in f]
    assert forms, f"no form for {action}"
    return b.submit("/statut", fields or {}, html=forms[0])


@pytest.fixture
def secretariat(login_as):
    return login_as("secretariat")


def test_create_with_every_field(stack, secretariat):
    r, rid = create(secretariat, FULL)
    assert r.status_code == 303 and rid, text_of(r.text)[:500]
    year, number = stack.psql(f"SELECT year, number FROM interventions WHERE id = {rid}").split("|")
    assert year == "2025"
    page = text_of(secretariat.get(r.headers["Location"][len(MOUNT):]).text)
    assert f"Demande N° 2025 / {number} enregistrée" in page
    for expected in ("Téléphone", "23/06/2025 16:17", "Particulier", "M.", "DUPONT Jean",
                     "3 rue de l'Église", "Vincennes", "01 23 45 67 89", "jean.dupont@example.fr",
                     "Bâtiment B, 2e étage", "Odeurs", "Odeurs d'égout « persistantes »",
                     "Pôle petits travaux", "23/06/2025 16:22", "24/06/2025 09:00",
                     "24/06/2025 10:30", "Curage du branchement, tampon remplacé.", "48.8475",
                     "Jérôme Petit", "Marc Lefèvre", "Statut : Nouvelle"):
        assert expected in page, expected
    row = stack.psql(f"SELECT phone, email, requester_name, created_by FROM interventions WHERE id = {rid}")
    assert row == "0123456789|jean.dupont@example.fr|DUPONT Jean|secretariat"
    assert "Marie Dupont : création de la demande" in page


def test_institution_needs_no_requester_name(secretariat):
    fields = dict(MINIMAL, **{"Nature du demandeur": "commune", "Nom du demandeur": ""})
    r, rid = create(secretariat, fields)
    assert r.status_code == 303 and rid


@pytest.mark.parametrize("field, value, message", [
    ("Origine de la demande", "", "Ce champ est obligatoire."),
    ("Date reçue", "", "Ce champ est obligatoire."),
    ("Date reçue", "31/02/2025 10:00", "Date non valide : écrivez JJ/MM/AAAA HH:MM."),
    ("Date reçue", "01/01/2099 10:00", "La date reçue ne peut pas être dans le futur."),
    ("Nature du demandeur", "", "Ce champ est obligatoire."),
    ("Nom du demandeur", "", "Indiquez le nom du demandeur"),
    ("Adresse intervention", "", "Ce champ est obligatoire."),
    ("Ville", "", "Ce champ est obligatoire."),
    ("Objet de la demande", "", "Ce champ est obligatoire."),
    ("Objet de la demande", "inexistant", "Choisissez une valeur de la liste."),
    ("Téléphone", "12 34 56", "Numéro de téléphone non reconnu"),
    ("Courriel", "jean@", "Adresse de courriel non valide"),
    ("Fin intervention", "23/06/2025 08:00", "La fin de l'intervention ne peut pas précéder son début."),
    ("Date de transmission", "22/06/2025 10:00", "La date de transmission ne peut pas précéder la date reçue."),
])
def test_validation_errors_keep_what_was_typed(stack, secretariat, field, value, message):
    before = stack.psql("SELECT count(*) FROM interventions")
    fields = dict(FULL, **{field: value})
    secretariat.get("/nouvelle")
    r = secretariat.submit("/nouvelle", fields)
    assert r.status_code == 422
    page = text_of(r.text)
    assert message in page
    assert "Le formulaire contient" in page          # summary at the top
    form, labels = secretariat.form(r.text, "/nouvelle")
    name = form["ids"][find_label(labels, field)]
    assert f'href="#{name}"' in r.text               # the summary links to the field
    for other, typed in FULL.items():                 # everything typed is kept
        if other not in (field, "Date reçue", "Date de transmission", "Début intervention",
                         "Fin intervention"):
            kept = form["fields"][form["ids"][find_label(labels, other)]]
            assert kept == typed, other
    assert stack.psql("SELECT count(*) FROM interventions") == before


def test_numbering_has_no_gap_and_no_duplicate_with_16_concurrent_creators(stack):
    agents = []
    for _ in range(16):
        b = Browser(stack.url())
        assert b.login("secretariat").status_code == 303
        b.get("/nouvelle")
        agents.append(b)
    fields = dict(MINIMAL, **{"Date reçue": "15/03/2019 09:00"})
    start = threading.Barrier(16)

    def work(b):
        start.wait()
        return [create(b, fields)[0].status_code for _ in range(5)]

    with ThreadPoolExecutor(16) as pool:
        codes = [c for result in pool.map(work, agents) for c in result]
    assert codes == [303] * 80
    numbers = [int(n) for n in stack.psql(
        "SELECT number FROM interventions WHERE year = 2019 ORDER BY number").split()]
    assert numbers == list(range(1, 81))
    assert stack.psql("SELECT last_number FROM year_counters WHERE year = 2019") == "80"


def test_edit_records_history_old_to_new(stack, secretariat):
    _, rid = create(secretariat, MINIMAL)
    secretariat.get(f"/{rid}/modifier")
    r = secretariat.submit(f"/{rid}/modifier", {"Adresse intervention": "14 avenue de Paris",
                                                "Objet de la demande": "curage"})
    assert r.status_code == 303
    assert r.headers["Location"] == f"{MOUNT}/{rid}?modifiee=1"
    page = text_of(secretariat.get(f"/{rid}").text)
    assert "Adresse intervention « 12 avenue de Paris » → « 14 avenue de Paris »" in page
    assert "Objet de la demande « Odeurs » → « Curage »" in page
    assert re.search(r"Le \d\d/\d\d/\d{4} à \d\d:\d\d, Marie Dupont : Adresse intervention", page)
    assert stack.psql(f"SELECT version FROM interventions WHERE id = {rid}") == "2"


def test_free_text_search_follows_an_edit(stack, secretariat):
    """The search vector is kept by a trigger (sql/007): an edited text is found by its
    new words and no longer by the old ones."""
    _, rid = create(secretariat, MINIMAL)
    link = f'href="{MOUNT}/{rid}"'
    secretariat.get(f"/{rid}/modifier")
    assert secretariat.submit(f"/{rid}/modifier", {"Complément d'objet": "Grille ébréchée"}
                              ).status_code == 303
    assert link in secretariat.get("/?q=grille+ebrechee").text
    secretariat.get(f"/{rid}/modifier")
    assert secretariat.submit(f"/{rid}/modifier", {"Complément d'objet": "Tampon descellé"}
                              ).status_code == 303
    assert link in secretariat.get("/?q=tampon+descelle").text
    assert link not in secretariat.get("/?q=grille+ebrechee").text
    # nothing written directly can make it disagree with the text
    stack.psql(f"UPDATE interventions SET search = to_tsvector('simple', 'autre') WHERE id = {rid}")
    assert stack.psql("SELECT count(*) FROM interventions WHERE search IS DISTINCT FROM"
                      " iv_search_vector(requester_name, address, address_complement,"
                      " object_complement, comment)") == "0"


def test_stale_edit_keeps_input_and_shows_differences(stack, login_as):
    first, second = login_as("secretariat"), login_as("responsable")
    _, rid = create(first, MINIMAL)
    first.get(f"/{rid}/modifier")
    stale_form = second.get(f"/{rid}/modifier").text
    assert first.submit(f"/{rid}/modifier", {"Adresse intervention": "1 place de la Mairie"}).status_code == 303
    r = second.submit(f"/{rid}/modifier", {"Complément d'objet": "Vu par le responsable"},
                      html=stale_form)
    assert r.status_code == 409
    page = text_of(r.text)
    assert re.search(r"Cette demande a été modifiée entre-temps par Marie Dupont à \d\d:\d\d", page)
    assert "1 place de la Mairie" in page and "12 avenue de Paris" in page   # the difference
    form, labels = second.form(r.text, "/modifier")
    assert form["fields"][form["ids"][find_label(labels, "Complément d'objet")]] == "Vu par le responsable"
    assert stack.psql(f"SELECT address, object_complement FROM interventions WHERE id = {rid}") \
        == "1 place de la Mairie|"
    # submitting again, knowingly, applies the user's version
    r = second.submit(f"/{rid}/modifier", {}, html=r.text)
    assert r.status_code == 303
    assert stack.psql(f"SELECT object_complement FROM interventions WHERE id = {rid}") \
        == "Vu par le responsable"


def test_full_journey_through_statuses(stack, login_as):
    sec, resp, field = login_as("secretariat"), login_as("responsable"), login_as("intervenant")
    _, rid = create(sec, MINIMAL)
    r = act(sec, rid, "transmettre", {"Transmise à": "petits_travaux",
                                     "Date de transmission": "23/06/2025 16:22"})
    assert r.status_code == 303 and status_of(stack, rid) == "transmise"
    r = act(sec, rid, "planifier", {"Date planifiée": "26/06/2025 08:30"})
    assert r.status_code == 303 and status_of(stack, rid) == "planifiee"
    assert act(field, rid, "commencer", {"Début intervention": "26/06/2025 08:40"}).status_code == 303
    assert status_of(stack, rid) == "en_cours"
    r = act(field, rid, "terminer", {"Fin intervention": "26/06/2025 10:00"})
    assert r.status_code == 303 and status_of(stack, rid) == "realisee"
    assert act(resp, rid, "cloturer").status_code == 303
    assert status_of(stack, rid) == "cloturee"
    row = stack.psql(f"SELECT team_code, done_by, closed_by, to_char(started_at, 'HH24:MI'), "
                     f"to_char(ended_at, 'HH24:MI') FROM interventions WHERE id = {rid}")
    assert row == "petits_travaux|intervenant|responsable|08:40|10:00"
    page = text_of(resp.get(f"/{rid}").text)
    for line in ("Marie Dupont : Statut nouvelle → transmise", "Statut transmise → planifiée",
                 "Jérôme Petit : Statut planifiée → en cours", "Statut en cours → réalisée",
                 "Marc Lefèvre : Statut réalisée → clôturée",
                 "Transmise à (vide) → « Pôle petits travaux »"):
        assert line in page, line


def test_status_change_errors_are_shown_on_the_page(stack, secretariat):
    _, rid = create(secretariat, MINIMAL)
    r = act(secretariat, rid, "transmettre", {"Transmise à": "", "Date de transmission": "22/06/2025 10:00"})
    assert r.status_code == 422
    page = text_of(r.text)
    assert "Ce champ est obligatoire." in page
    assert "La date de transmission ne peut pas précéder la date reçue." in page
    assert status_of(stack, rid) == "nouvelle"


def test_cancel_needs_a_reason_and_reopen_too(stack, login_as):
    sec, resp = login_as("secretariat"), login_as("responsable")
    _, rid = create(sec, MINIMAL)
    r = act(resp, rid, "annuler", {"Motif": ""})
    assert r.status_code == 422 and status_of(stack, rid) == "nouvelle"
    assert act(resp, rid, "annuler", {"Motif": "Doublon de la demande 12"}).status_code == 303
    assert status_of(stack, rid) == "annulee"
    assert "(Motif : Doublon de la demande 12)" in text_of(resp.get(f"/{rid}").text)
    assert act(resp, rid, "rouvrir", {"Motif": "Pas un doublon"}).status_code == 303
    assert status_of(stack, rid) == "nouvelle"      # no team yet


FORBIDDEN = [
    # (role, action, from status)
    ("secretariat", "cloturer", "realisee"),
    ("secretariat", "annuler", "nouvelle"),
    ("secretariat", "rouvrir", "cloturee"),
    ("secretariat", "commencer", "transmise"),
    ("intervenant", "transmettre", "nouvelle"),
    ("intervenant", "cloturer", "realisee"),
    ("responsable", "cloturer", "nouvelle"),
    ("admin", "commencer", "nouvelle"),
    ("responsable", "annuler", "cloturee"),
]


@pytest.mark.parametrize("role, action, status", FORBIDDEN)
def test_forbidden_transitions_are_refused_with_409(stack, login_as, role, action, status):
    sec = login_as("secretariat")
    _, rid = create(sec, MINIMAL)
    stack.psql(f"UPDATE interventions SET status = '{status}', team_code = 'petits_travaux' "
               f"WHERE id = {rid}")
    b = login_as(role)
    version = stack.psql(f"SELECT version FROM interventions WHERE id = {rid}")
    html = b.get(f"/{rid}").text
    assert f'value="{action}"' not in html           # the page does not offer it
    r = b.post(f"/{rid}/statut", {"csrf_token": b.form(html)[0]["fields"]["csrf_token"],
                                  "action": action, "version": version, "motif": "x",
                                  "equipe": "petits_travaux"})
    if role == "intervenant" and action not in ("commencer", "terminer"):
        assert r.status_code in (403, 409)
    else:
        assert r.status_code == 409, text_of(r.text)[:300]
        assert "Ce changement de statut n'est pas possible" in text_of(r.text)
    assert status_of(stack, rid) == status


def test_lecteur_sees_only_his_communes(stack, login_as):
    sec = login_as("secretariat")
    _, inside = create(sec, dict(MINIMAL, Ville="94067"))       # Saint-Mandé
    _, outside = create(sec, dict(MINIMAL, Ville="94017"))      # Champigny
    reader = login_as("lecteur")
    r, page = page_text(reader, inside)
    assert r.status_code == 200 and "Saint-Mandé" in page and "Historique" in page
    assert "Suite à donner" not in page and "Modifier la demande" not in page
    r, page = page_text(reader, outside)
    assert r.status_code == 404 and "Page introuvable" in page and "Champigny" not in page
    assert reader.get(f"/{outside}/modifier", allow_redirects=False).status_code == 403
    assert reader.get("/999999999", allow_redirects=False).status_code == 404


def test_intervenant_sees_his_team_only_and_lists_his_work(stack, login_as):
    sec = login_as("secretariat")
    _, mine = create(sec, MINIMAL)
    _, other = create(sec, MINIMAL)
    act(sec, mine, "transmettre", {"Transmise à": "petits_travaux"})
    act(sec, other, "transmettre", {"Transmise à": "exploitation"})
    field = login_as("intervenant")
    assert field.get(f"/{other}", allow_redirects=False).status_code == 404
    assert field.get(f"/{mine}", allow_redirects=False).status_code == 200
    r = field.get("/mes-interventions")
    assert r.status_code == 200 and "Mes interventions" in text_of(r.text)
    number = stack.psql(f"SELECT year || ' / ' || number FROM interventions WHERE id = {mine}")
    # two taps: start, then finish
    card = [f for f in re.findall(r'<form class="one-tap".*?</form>', r.text, re.S)
            if f'/{mine}/statut' in f][0]
    assert f"Commencer N° {number}" in text_of(card)
    r = field.submit(f"/{mine}/statut", html=card)
    assert r.status_code == 303 and r.headers["Location"] == f"{MOUNT}/mes-interventions"
    assert status_of(stack, mine) == "en_cours"
    card = [f for f in re.findall(r'<form class="one-tap".*?</form>', field.get("/mes-interventions").text, re.S)
            if f'/{mine}/statut' in f][0]
    assert f"Terminer N° {number}" in text_of(card)
    assert field.submit(f"/{mine}/statut", html=card).status_code == 303
    assert status_of(stack, mine) == "realisee"
    assert stack.psql(f"SELECT done_by, started_at <= ended_at FROM interventions WHERE id = {mine}") \
        == "intervenant|t"


def test_roles_that_may_not_create(login_as):
    for role in ("intervenant", "lecteur"):
        b = login_as(role)
        assert b.get("/nouvelle", allow_redirects=False).status_code == 403


def test_stale_status_change_is_refused(stack, login_as):
    sec, resp = login_as("secretariat"), login_as("responsable")
    _, rid = create(sec, MINIMAL)
    old_page = resp.get(f"/{rid}").text
    act(sec, rid, "transmettre", {"Transmise à": "petits_travaux"})
    r = act(resp, rid, "transmettre", {"Transmise à": "exploitation"}, html=old_page)
    assert r.status_code == 409
    assert "Cette demande a été modifiée entre-temps par Marie Dupont" in text_of(r.text)
    assert stack.psql(f"SELECT team_code FROM interventions WHERE id = {rid}") == "petits_travaux"
