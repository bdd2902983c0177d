"""The tour sheet (fiches.pdf): the list's filters, a summary table in the round's
order (commune, street, house number) then one fiche per request in the same order,
a valid PDF, the history and audit rows, the 500 cap, bad filters, an empty result,
the lecteur's perimeter and access.

The rows of this file are written straight into the database, in years nobody else
uses (2000-2001), each with a marker word in its object complement: searching for it
isolates them. Everything is deleted afterwards.
"""
import datetime
import re
import zoneinfo
from urllib.parse import urlencode

import pytest
import requests

from conftest import MOUNT, text_of
from test_fiche import flat, page_count, pdf_text, qpdf_check, run

MARK = "tournicoti"
BIG_MARK = "surchargetournee"
TAG = "tour-test"

COMMUNES = {"94080": "Vincennes", "94067": "Saint-Mandé", "94015": "Bry-sur-Marne",
            "94018": "Charenton-le-Pont"}
OBJECTS = {"odeurs": "Odeurs", "curage": "Curage", "affaissement": "Affaissement"}
TEAMS = {"petits_travaux": "Pôle petits travaux", "exploitation": "Pôle exploitation",
         None: "—"}
STATUSES = {"nouvelle": "Nouvelle", "transmise": "Transmise", "planifiee": "Planifiée",
            "en_cours": "En cours"}

# key, number (year 2001), commune, address, status, object, team, assigned agent
ROWS = [
    ("a", 1, "94080", "10 rue des Lilas", "transmise", "odeurs", "petits_travaux", None),
    ("b", 2, "94080", "2 rue des Lilas", "planifiee", "curage", "exploitation", None),
    ("c", 3, "94080", "3 bis avenue de Paris", "transmise", "odeurs", "petits_travaux", None),
    ("d", 4, "94080", "3 avenue de Paris", "nouvelle", "affaissement", None, None),
    ("e", 5, "94080", "1 Terrasse des Écoles", "en_cours", "curage", "exploitation",
     "intervenant"),
    ("f", 6, "94067", "5 rue de l'Église", "transmise", "odeurs", "petits_travaux", None),
    ("g", 7, "94015", "8 Grande Rue", "transmise", "curage", "exploitation", None),
    ("h", 8, "94018", "12 rue de Paris", "planifiee", "affaissement", "petits_travaux", None),
    ("i", 9, "94080", "rue des Lilas", "transmise", "odeurs", None, None),
]
# Communes by label (Bry, Charenton, Saint-Mandé, Vincennes); in Vincennes by street
# (avenue de Paris, rue des Lilas, Terrasse des Écoles: "Terrasse" keeps its "Ter"),
# then house number: none first, 2 before 10, 3 before 3 bis.
ORDER = ["g", "h", "f", "d", "c", "i", "b", "a", "e"]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def sql_text(v):
    return "NULL" if v is None else "'" + str(v).replace("'", "''") + "'"


def insert_many(stack, mark, year, count):
    """count requests numbered 1..count on "n rue du Tour", in Vincennes, Saint-Mandé
    and Bry-sur-Marne by turns (n % 3 = 0, 1, 2); returns {"n<number>": id}."""
    communes = "(ARRAY['94080', '94067', '94015'])[n % 3 + 1]"
    stack.psql("INSERT INTO interventions (year, number, status, origin_code, received_at, "
               "nature_code, requester_name, address, commune_code, object_code, "
               "object_complement, team_code, created_by, updated_by) "
               f"SELECT {year}, n, 'transmise', 'telephone', '{year}-03-01 09:00+01', "
               f"'particulier', 'Nom' || n, n || ' rue du Tour', {communes}, 'odeurs', "
               f"'Complément {mark} ' || n, 'exploitation', '{TAG}:{mark}:n' || n, "
               f"'{TAG}:{mark}:n' || n FROM generate_series(1, {count}) n")
    return {line.split("|")[1].split(":")[-1]: int(line.split("|")[0]) for line in stack.psql(
        f"SELECT id, created_by FROM interventions WHERE created_by LIKE '{TAG}:{mark}:%'"
    ).split()}


def insert(stack, rows, mark, year):
    """rows: (key, number, commune, address, status, object, team, assigned)."""
    values = ", ".join("(" + ", ".join(map(sql_text, [
        year, number, status, "telephone", f"{year}-03-0{1 + n % 9} 09:00+01", "particulier",
        "m", f"Nom{key}", address, commune, obj, f"Complément {mark} {key}", team, assigned,
        f"{TAG}:{mark}:{key}", f"{TAG}:{mark}:{key}"])) + ")"
        for n, (key, number, commune, address, status, obj, team, assigned) in enumerate(rows))
    stack.psql("INSERT INTO interventions (year, number, status, origin_code, received_at, "
               "nature_code, title_code, requester_name, address, commune_code, object_code, "
               "object_complement, team_code, assigned_agent, created_by, updated_by) "
               "VALUES " + values)
    return {line.split("|")[1].split(":")[-1]: int(line.split("|")[0]) for line in stack.psql(
        f"SELECT id, created_by FROM interventions WHERE created_by LIKE '{TAG}:{mark}:%'"
    ).split()}


def delete(stack, mark):
    where = f"SELECT id FROM interventions WHERE created_by LIKE '{TAG}:{mark}:%'"
    stack.psql(f"DELETE FROM intervention_history WHERE intervention_id IN ({where})")
    stack.psql(f"DELETE FROM interventions WHERE created_by LIKE '{TAG}:{mark}:%'")


@pytest.fixture(scope="module")
def rows(stack):
    ids = insert(stack, ROWS, MARK, 2001)
    out = {r[0]: dict(zip(("key", "number", "commune", "address", "status", "object", "team",
                           "assigned"), r), id=ids[r[0]], num=f"2001 / {r[1]}") for r in ROWS}
    yield out
    delete(stack, MARK)
    stack.psql(f"DELETE FROM audit WHERE action = 'tournee' AND detail LIKE '%{MARK}%'")


def tour(b, **params):
    return b.get("/fiches.pdf?" + urlencode(params, doseq=True), allow_redirects=False)


def prints_of(stack, ids):
    return int(stack.psql("SELECT count(*) FROM intervention_history WHERE kind = 'impression' "
                          f"AND intervention_id IN ({', '.join(map(str, ids))})"))


def numbers_in(text):
    """Request numbers in reading order ("2001 / 7", spaces may be no-break ones)."""
    return [f"{y} / {n}" for y, n in re.findall(r"\b(\d{4})\s/\s(\d+)\b", text)]


def summary_pages(pdf):
    """The count of summary pages, from the footer of the first one."""
    m = re.search(r"récapitulatif, page 1 / (\d+)", flat(pdf_text(pdf, 1)))
    assert m, flat(pdf_text(pdf, 1))
    return int(m.group(1))


def today_paris():
    return datetime.datetime.now(PARIS).date()


@pytest.fixture
def secretariat(login_as):
    return login_as("secretariat")


# ---------------------------------------------------------------- content and order

def test_summary_then_one_fiche_per_request_in_the_same_order(stack, secretariat, rows):
    r = tour(secretariat, q=MARK)
    assert r.status_code == 200, text_of(r.text)[:300]
    assert r.headers["Content-Type"] == "application/pdf"
    day = today_paris()
    assert r.headers["Content-Disposition"].startswith(
        f'inline; filename="tournee-{day.isoformat()}.pdf"')
    assert r.headers["Cache-Control"] == "no-store"
    expected = [rows[k]["num"] for k in ORDER]
    # 1 summary page (9 rows fit on it), then the 9 fiches
    assert page_count(r.content) == 1 + len(ORDER)
    summary = flat(pdf_text(r.content, 1))
    assert f"Tournée du {day.strftime('%d/%m/%Y')}" in summary
    assert "Imprimée le" in summary and "par Marie Dupont" in summary
    assert f"Filtres : Recherche : « {MARK} »" in summary
    assert "9 demandes, classées par ville, rue et numéro" in summary
    assert "N° Adresse Ville Objet Équipe Statut" in summary
    assert "récapitulatif, page 1 / 1" in summary
    assert numbers_in(summary) == expected
    for k in ORDER:                          # a row: its six columns, as read
        row = rows[k]
        assert (f"{row['num']} {row['address']} {COMMUNES[row['commune']]} "
                f"{OBJECTS[row['object']]} {TEAMS[row['team']]} {STATUSES[row['status']]}"
                in summary), (k, summary)
    # page k + 1 is the fiche of the k-th row, whole and alone
    for page, k in enumerate(ORDER, start=2):
        text = flat(pdf_text(r.content, page))
        assert "DEMANDE D'INTERVENTION" in text, page
        assert f"N° {rows[k]['num']}" in text, (page, k)
        assert f"Adresse intervention : {rows[k]['address']}" in text, (page, k)
        assert f"Ville : {COMMUNES[rows[k]['commune']]}" in text, (page, k)
        assert f"N° {rows[k]['num']} — page 1 / 1" in text, (page, k)
        assert "Partie à remplir par l'intervenant" in text
        assert numbers_in(text) == [rows[k]["num"]] * 2, (page, text)   # heading, footer


def test_filters_in_words_and_combined(secretariat, rows):
    r = tour(secretariat, q=MARK, commune="94080", statut=["transmise", "planifiee"],
             equipe="petits_travaux", du="01/01/2001", au="31/12/2001")
    assert r.status_code == 200
    summary = flat(pdf_text(r.content, 1))
    assert ("Filtres : Recherche : « tournicoti » ; Statuts : Transmise, Planifiée ; "
            "Ville : Vincennes ; Équipe : Pôle petits travaux ; "
            "Reçues du 01/01/2001 au 31/12/2001") in summary
    assert numbers_in(summary) == [rows["c"]["num"], rows["a"]["num"]]
    assert page_count(r.content) == 3
    assert "1 demande," in flat(pdf_text(tour(secretariat, q=MARK, objet="affaissement",
                                              commune="94018").content, 1))


def test_tour_sheet_is_a_valid_pdf(secretariat, rows):
    r = tour(secretariat, q=MARK)
    check = qpdf_check(r.content)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    fonts = run("pdffonts", "-", data=r.content).decode().splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\b", f) for f in fonts), fonts


def test_a_long_fiche_takes_its_pages_and_the_next_follows(stack, secretariat, rows):
    h = rows["h"]
    stack.psql(f"UPDATE interventions SET comment = repeat('curage du branchement ', 200) "
               f"WHERE id = {h['id']}")
    try:
        r = tour(secretariat, q=MARK)
        assert page_count(r.content) == 1 + len(ORDER) + 1
        position = 2 + ORDER.index("h")
        assert f"N° {h['num']} — page 1 / 2" in flat(pdf_text(r.content, position))
        second = flat(pdf_text(r.content, position + 1))
        assert "(suite)" in second and f"N° {h['num']} — page 2 / 2" in second
        following = rows[ORDER[ORDER.index("h") + 1]]
        assert f"N° {following['num']} — page 1 / 1" in flat(pdf_text(r.content, position + 2))
    finally:
        stack.psql(f"UPDATE interventions SET comment = '' WHERE id = {h['id']}")


def test_a_long_address_is_cut_in_the_summary_not_in_the_fiche(stack, secretariat, rows):
    g = rows["g"]
    address = "8 Grande Rue " + " ".join(f"bâtiment{n:03d}" for n in range(40))
    stack.psql(f"UPDATE interventions SET address = '{address}' WHERE id = {g['id']}")
    try:
        r = tour(secretariat, q=MARK)
        assert r.status_code == 200
        summary = pdf_text(r.content, 1)
        # six lines at most in a cell, the last one ending with "…"
        assert "bâtiment000" in summary and "bâtiment039" not in summary
        assert re.search(r"bâtiment\d*…", summary), summary
        assert page_count(r.content) == 1 + len(ORDER)
        fiche = re.sub(r"\s", "", pdf_text(r.content, 2))
        assert re.sub(r"\s", "", address) in fiche
    finally:
        stack.psql(f"UPDATE interventions SET address = '8 Grande Rue' WHERE id = {g['id']}")


# ---------------------------------------------------------------- history and audit

def test_every_request_printed_gets_a_history_row_and_the_sheet_an_audit_row(stack, login_as,
                                                                             rows):
    b = login_as("responsable")
    ids = [r["id"] for r in rows.values()]
    before = prints_of(stack, ids)
    audits = int(stack.psql("SELECT count(*) FROM audit WHERE action = 'tournee'"))
    assert tour(b, q=MARK).status_code == 200
    assert prints_of(stack, ids) == before + len(ids)
    for rid in ids:
        assert stack.psql(f"SELECT login || ' ' || new_value FROM intervention_history "
                          f"WHERE intervention_id = {rid} AND kind = 'impression' "
                          f"ORDER BY id DESC LIMIT 1") == "responsable tournee"
    assert int(stack.psql("SELECT count(*) FROM audit WHERE action = 'tournee'")) == audits + 1
    assert stack.psql("SELECT login || ' ' || detail FROM audit WHERE action = 'tournee' "
                      "ORDER BY id DESC LIMIT 1") == f"responsable fiches=9 filtres=q={MARK}"
    page = text_of(b.get(f"/{rows['a']['id']}").text)
    assert "impression de la fiche (tournée)" in page
    # a HEAD prints nothing
    head = b.http.head(f"{stack.url()}/fiches.pdf?q={MARK}", timeout=30)
    assert head.status_code == 200 and head.headers["Content-Type"] == "application/pdf"
    assert prints_of(stack, ids) == before + len(ids)


# ---------------------------------------------------------------- refusals

def test_more_than_500_requests_gives_a_french_message(stack, secretariat):
    ids = insert_many(stack, BIG_MARK, 2000, 501)
    try:
        r = tour(secretariat, q=BIG_MARK, statut="transmise")
        assert r.status_code == 422
        assert r.headers["Content-Type"].startswith("text/html")
        text = text_of(r.text)
        assert ("La tournée est limitée à 500 demandes : ces filtres en retiennent davantage. "
                "Précisez les filtres (date, ville, équipe…) puis imprimez à nouveau.") in text
        assert "<title>Erreur" in r.text
        assert f'href="{MOUNT}/?q={BIG_MARK}&amp;statut=transmise"' in r.text
        assert prints_of(stack, ids.values()) == 0
        # 500 exactly is printed: the summary over several pages, then the 500 fiches
        stack.psql(f"DELETE FROM interventions WHERE id = {ids['n501']}")
        r = tour(secretariat, q=BIG_MARK, statut="transmise")
        assert r.status_code == 200
        pages = summary_pages(r.content)
        assert pages > 1 and page_count(r.content) == pages + 500
        listed = numbers_in(flat(pdf_text_range(r.content, 1, pages)))
        # Bry-sur-Marne, Saint-Mandé, Vincennes; numbers ascending in the street
        assert listed == [f"2000 / {n}" for first in (2, 1, 3) for n in range(first, 501, 3)]
        # each page after the first: the reminder and the headings again
        second = flat(pdf_text(r.content, 2))
        assert "récapitulatif (suite)" in second
        assert "N° Adresse Ville Objet Équipe Statut" in second
        assert f"récapitulatif, page {pages} / {pages}" in flat(pdf_text(r.content, pages))
        for k in (0, 1, 249, 499):
            text = flat(pdf_text(r.content, pages + 1 + k))
            assert "DEMANDE D'INTERVENTION" in text
            assert f"N° {listed[k]} — page 1 / 1" in text, k
        assert prints_of(stack, ids.values()) == 500
    finally:
        delete(stack, BIG_MARK)
        stack.psql(f"DELETE FROM audit WHERE action = 'tournee' AND detail LIKE '%{BIG_MARK}%'")


def pdf_text_range(pdf, first, last):
    return run("pdftotext", "-raw", "-enc", "UTF-8", "-f", str(first), "-l", str(last), "-",
               "-", data=pdf).decode()


@pytest.mark.parametrize("params, field, message", [
    ({"commune": "99999"}, "Ville", "ville inconnue"),
    ({"statut": ["transmise", "perdue"]}, "Statut", "statut inconnu"),
    ({"du": "31/02/2001"}, "Date reçue du", "date invalide"),
    ({"equipe": "x'; DROP TABLE interventions; --"}, "Transmise à", "équipe inconnue"),
])
def test_a_bad_filter_prints_nothing_and_says_which(stack, secretariat, rows, params, field,
                                                    message):
    ids = [r["id"] for r in rows.values()]
    before = prints_of(stack, ids)
    r = tour(secretariat, q=MARK, **params)
    assert r.status_code == 422
    assert r.headers["Content-Type"].startswith("text/html")
    text = text_of(r.text)
    assert "Ces filtres ne peuvent pas être appliqués" in text
    assert f"{field} : {message}" in text
    back = re.search(r'href="([^"]+)">Revenir à la liste avec ces filtres<', r.text).group(1)
    assert back.startswith(f"{MOUNT}/?q={MARK}&amp;")
    # the list shows the same message next to the field
    listed = secretariat.get(back[len(MOUNT):].replace("&amp;", "&"))
    assert message in text_of(listed.text)
    assert prints_of(stack, ids) == before


def test_page_size_and_sort_do_not_matter(secretariat, rows):
    r = tour(secretariat, q=MARK, tri="nimportequoi", page="deux", par_page="7", ordre="x")
    assert r.status_code == 200
    assert numbers_in(flat(pdf_text(r.content, 1))) == [rows[k]["num"] for k in ORDER]


def test_no_request_gives_a_french_message_not_an_empty_pdf(stack, secretariat, rows):
    r = tour(secretariat, q="zzaucunedemandezz")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    assert not r.content.startswith(b"%PDF")
    text = text_of(r.text)
    assert "Aucune demande ne correspond à ces filtres : il n'y a rien à imprimer." in text
    assert f'href="{MOUNT}/?q=zzaucunedemandezz"' in r.text


# ---------------------------------------------------------------- perimeter and access

def test_lecteur_gets_only_his_communes(stack, login_as, rows):
    reader = login_as("lecteur")                  # Vincennes and Saint-Mandé
    r = tour(reader, q=MARK)
    assert r.status_code == 200
    mine = [k for k in ORDER if rows[k]["commune"] in ("94080", "94067")]
    assert page_count(r.content) == 1 + len(mine)
    assert numbers_in(flat(pdf_text(r.content, 1))) == [rows[k]["num"] for k in mine]
    assert "Bry-sur-Marne" not in flat(pdf_text(r.content, 1))
    # a filter cannot widen it
    before = prints_of(stack, [rows["g"]["id"]])
    assert tour(reader, q=MARK, commune="94015").status_code == 404
    assert prints_of(stack, [rows["g"]["id"]]) == before


def test_intervenant_gets_his_team_and_what_is_assigned_to_him(login_as, rows):
    r = tour(login_as("intervenant"), q=MARK)
    assert r.status_code == 200
    mine = [k for k in ORDER if rows[k]["team"] == "petits_travaux"
            or rows[k]["assigned"] == "intervenant"]
    assert numbers_in(flat(pdf_text(r.content, 1))) == [rows[k]["num"] for k in mine]
    assert page_count(r.content) == 1 + len(mine)


def test_anonymous_is_sent_to_the_login_form(stack, rows):
    r = requests.get(f"{stack.url()}/fiches.pdf?q={MARK}", allow_redirects=False, timeout=30)
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    assert requests.post(f"{stack.url()}/fiches.pdf", allow_redirects=False,
                         timeout=30).status_code == 405


def test_list_page_links_to_the_tour_sheet_with_its_filters(secretariat, rows):
    html = secretariat.get(f"/?q={MARK}&commune=94080&tri=ville&page=1").text
    link = re.search(r'href="([^"]*fiches\.pdf[^"]*)"', html).group(1).replace("&amp;", "&")
    assert link == f"{MOUNT}/fiches.pdf?q={MARK}&commune=94080"
    r = secretariat.get(link[len(MOUNT):])
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert page_count(r.content) == 1 + sum(1 for x in rows.values() if x["commune"] == "94080")
