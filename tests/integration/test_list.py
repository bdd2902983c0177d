"""The list page: filters one by one and together, every sort both ways, paging, free
text, request numbers, perimeters, values kept, bad values, the count cap, and the
demo generator.

The rows of this file are written straight into the database, in years nobody else
uses (2008-2013), each with the word "zorglub" in its object complement: searching
for it isolates them, so the expected results are computed here from the rows
themselves, whatever other tests have recorded. Everything is deleted afterwards.
"""
import datetime
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zoneinfo
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

from conftest import MOUNT, ROOT, Browser, Stack, free_port, text_of

MARK = "zorglub"
TAG = "list-test"

COMMUNES = {"94080": "Vincennes", "94067": "Saint-Mandé", "94015": "Bry-sur-Marne",
            "94028": "Créteil"}
OBJECTS = {"odeurs": "Odeurs", "curage": "Curage", "affaissement": "Affaissement",
           "debordement_eu": "Débordement EU", "zz_liste_retire": "Objet retiré (test liste)"}
TEAMS = {"petits_travaux": "Pôle petits travaux", "exploitation": "Pôle exploitation",
         "prestataire": "Entreprise prestataire", None: None}
STATUS_ORDER = ["nouvelle", "transmise", "planifiee", "en_cours", "realisee", "cloturee",
                "annulee"]

# key, received (UTC), year, number, status, commune, object, team, assigned, done_by,
# origin, title, name, address. Ties on purpose: same instant (c, d, e), same name
# (Martin x3), same address (g, h), so that only the id can order them.
ROWS = [
    ("a", "2012-07-14 08:05:00+00", 2012, 58, "cloturee", "94080", "odeurs", "petits_travaux",
     None, "intervenant", "telephone", "mme", "Lefèvre", "3 place de l'Église"),
    ("b", "2011-03-02 09:00:00+00", 2011, 58, "annulee", "94067", "curage", None,
     None, None, "courriel", "m", "Arnaud", "12 rue des Lilas"),
    ("c", "2012-05-05 10:00:00+00", 2012, 20, "transmise", "94015", "affaissement", "exploitation",
     "intervenant", None, "telephone", "m", "Martin", "7 avenue Foch"),
    ("d", "2012-05-05 10:00:00+00", 2012, 21, "transmise", "94015", "affaissement", "exploitation",
     None, "intervenant", "accueil", "m", "Martin", "8 avenue Foch"),
    ("e", "2012-05-05 10:00:00+00", 2012, 19, "nouvelle", "94015", "odeurs", None,
     None, None, "telephone", "mme", "Martin", "58 avenue Foch"),
    ("f", "2013-01-20 14:30:00+00", 2013, 3, "planifiee", "94028", "debordement_eu", "prestataire",
     None, None, "portail", None, "Écoles Jules-Ferry", "1 avenue de Paris"),
    ("g", "2011-12-31 23:30:00+00", 2012, 1, "en_cours", "94080", "curage", "petits_travaux",
     None, None, "telephone", "m", "Dupont", "10 rue des Lilas"),
    ("h", "2012-12-31 22:59:00+00", 2012, 99, "realisee", "94067", "debordement_eu", "exploitation",
     None, "responsable", "courrier", "mme", "Fabre", "10 rue des Lilas"),
    ("i", "2012-12-31 23:00:00+00", 2013, 1, "cloturee", "94080", "zz_liste_retire", "prestataire",
     None, None, "elu", "m", "Bernard", "2 rue des Lilas"),
    ("j", "2011-06-15 07:45:00+00", 2011, 7, "cloturee", "94028", "odeurs", "exploitation",
     None, None, "telephone", None, "", "45 boulevard de Strasbourg"),
]
# Address complement and comment of some rows (searched by the free text too).
EXTRA_TEXT = {"b": ("Au fond de la cour", ""), "c": ("", "Hydrocurage effectué près du marché")}

# More rows, for paging and the sorts: 30 in all.
for n in range(20):
    ROWS.append((f"z{n:02d}", f"2013-0{1 + n % 9}-{10 + n % 18} 0{n % 10}:15:00+00", 2013, 100 + n,
                 STATUS_ORDER[n % 7], list(COMMUNES)[n % 4],
                 ["odeurs", "curage", "affaissement", "debordement_eu"][n % 4],
                 [None, "petits_travaux", "exploitation", "prestataire"][n % 4],
                 None, None, "telephone", "m", f"Nom{chr(65 + n)}", f"{n + 20} rue du Midi"))


PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris_day(r):
    """The day a request was received, in Paris (what the date filters compare)."""
    return datetime.datetime.fromisoformat(r["received"]).astimezone(PARIS).date().isoformat()


def fold(s):
    """What French readers ignore when sorting: case and accents."""
    return "".join(c for c in unicodedata.normalize("NFD", s or "")
                   if unicodedata.category(c) != "Mn").casefold()


def address_key(a):
    m = re.match(r"(\d+)\s*(.*)", a)
    return (int(m.group(1)), fold(m.group(2))) if m else (0, fold(a))


# ---------------------------------------------------------------- fixtures

def sql_text(v):
    return "NULL" if v is None else "'" + str(v).replace("'", "''") + "'"


@pytest.fixture(scope="module")
def rows(stack):
    """Writes ROWS; yields {key: dict(row, id=...)}; deletes them afterwards."""
    stack.psql("INSERT INTO communes (code, label, in_territory, position) "
               "VALUES ('94028', 'Créteil', false, 901) ON CONFLICT DO NOTHING")
    stack.psql("INSERT INTO objects (code, label, position, active) "
               "VALUES ('zz_liste_retire', 'Objet retiré (test liste)', 999, false)")
    values = []
    for (key, received, year, number, status, commune, obj, team, assigned, done, origin,
         title, name, address) in ROWS:
        values.append("(" + ", ".join(map(sql_text, [
            year, number, status, origin, received, "particulier", title, name, address,
            commune, obj, f"Complément {MARK} {key}", team, assigned, done, f"{TAG}:{key}",
            f"{TAG}:{key}", EXTRA_TEXT.get(key, ("", ""))[0],
            EXTRA_TEXT.get(key, ("", ""))[1]])) + ")")
    stack.psql("INSERT INTO interventions (year, number, status, origin_code, received_at, "
               "nature_code, title_code, requester_name, address, commune_code, object_code, "
               "object_complement, team_code, assigned_agent, done_by, created_by, updated_by, "
               "address_complement, comment) "
               "VALUES " + ", ".join(values))
    ids = dict(line.split("|")[::-1] for line in stack.psql(
        f"SELECT id, created_by FROM interventions WHERE created_by LIKE '{TAG}:%'").split())
    out = {}
    for r in ROWS:
        key = r[0]
        out[key] = dict(zip(("key", "received", "year", "number", "status", "commune", "object",
                             "team", "assigned", "done_by", "origin", "title", "name",
                             "address"), r), id=int(ids[f"{TAG}:{key}"]))
    yield out
    stack.psql(f"DELETE FROM interventions WHERE created_by LIKE '{TAG}:%'")
    stack.psql("DELETE FROM objects WHERE code = 'zz_liste_retire'")


class ListPage(HTMLParser):
    """What the list page shows: table rows, the form's state, messages."""

    def __init__(self, html):
        super().__init__()
        self.rows, self.headers, self.fields, self.checked = [], [], {}, set()
        self.errors, self.links = {}, []
        self._row = self._cell = None
        self._select = self._error = None
        self._in_goto = self._in_head = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "list-goto" in (a.get("class") or ""):
            self._in_goto = True
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self._row = {"cells": [], "href": None}
        elif tag == "th" and a.get("scope") == "col":
            self.headers.append(a.get("aria-sort"))
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a":
            self.links.append(a.get("href"))
            if self._row is not None and self._cell is not None and not self._row["href"]:
                self._row["href"] = a.get("href")
        elif tag == "input" and not self._in_goto and a.get("name"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.checked.add(a.get("value"))
            else:
                self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "input" and self._in_goto and a.get("name") == "page":
            self.fields["goto"] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self.fields.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "p" and (a.get("class") or "") == "field-error":
            self._error = [a.get("id")[:-len("-erreur")], []]

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_goto = False
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row["cells"] and self._row["href"]:
                self.rows.append(self._row)
            self._row = None
        elif tag == "select":
            self._select = None
        elif tag == "p" and self._error:
            self.errors[self._error[0]] = " ".join("".join(self._error[1]).split())
            self._error = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._error:
            self._error[1].append(data)

    @property
    def numbers(self):
        """The N° column, "2012 / 58" (the link text after its hidden prefix)."""
        return [re.sub(r"^Demande N° ", "", r["cells"][1]) for r in self.rows]


def get(b, **params):
    r = b.get("/?" + urlencode(params, doseq=True))
    assert r.status_code == 200, (r.status_code, text_of(r.text)[:400])
    return r, ListPage(r.text)


def num(row):
    return f"{row['year']} / {row['number']}"


def numbers_of(rows, keys):
    return sorted(num(rows[k]) for k in keys)


def selected(rows, pred):
    return sorted(num(r) for r in rows.values() if pred(r))


def listed(b, **params):
    params.setdefault("q", MARK)
    params.setdefault("par_page", "100")
    _, page = get(b, **params)
    return sorted(page.numbers)


@pytest.fixture(scope="module")
def admin(stack, rows):
    from conftest import Browser
    b = Browser(stack.url())
    assert b.login("admin").status_code == 303
    return b


# ---------------------------------------------------------------- display

def test_columns_and_a_row_as_shown(admin, rows):
    r, page = get(admin, q=MARK, tri="numero", ordre="asc")
    text = text_of(r.text)
    for col in ("Date reçue", "N°", "Demandeur", "Adresse", "Ville", "Objet", "Transmise à",
                "Statut"):
        assert col in text
    row = next(x for x in page.rows if x["href"] == f"{MOUNT}/{rows['a']['id']}")
    # 08:05 UTC in July is 10:05 in Paris; the number as "2012 / 58"; labels, not codes
    assert row["cells"] == ["14/07/2012 10:05", "Demande N° 2012 / 58", "Mme Lefèvre",
                            "3 place de l'Église", "Vincennes", "Odeurs", "Pôle petits travaux",
                            "Clôturée"]
    winter = next(x for x in page.rows if x["href"] == f"{MOUNT}/{rows['f']['id']}")
    assert winter["cells"][0] == "20/01/2013 15:30"        # UTC+1 in winter
    assert winter["cells"][6] == "Entreprise prestataire"
    untransmitted = next(x for x in page.rows if x["href"] == f"{MOUNT}/{rows['b']['id']}")
    assert untransmitted["cells"][6] == "—non transmise"     # "—" shown, the words read
    assert untransmitted["cells"][7] == "Annulée"
    # a deactivated object still shows its label
    retired = next(x for x in page.rows if x["href"] == f"{MOUNT}/{rows['i']['id']}")
    assert retired["cells"][5] == "Objet retiré (test liste)"
    # and can still be filtered on, marked as deactivated in the form
    assert "Objet retiré (test liste) (désactivé)" in text


def test_total_and_default_order(admin, rows):
    r, page = get(admin, q=MARK, par_page=50)
    assert "30 demandes" in text_of(r.text)
    expected = [num(x) for x in sorted(rows.values(),
                                       key=lambda x: (x["received"], x["id"]), reverse=True)]
    assert page.numbers == expected
    assert page.headers[0] == "descending" and page.headers[1:] == [None] * 7


# ---------------------------------------------------------------- filters

def test_each_filter_alone(admin, rows):
    cases = [
        ({"statut": "transmise"}, lambda r: r["status"] == "transmise"),
        ({"statut": ["nouvelle", "annulee"]}, lambda r: r["status"] in ("nouvelle", "annulee")),
        ({"commune": "94015"}, lambda r: r["commune"] == "94015"),
        ({"commune": "94028"}, lambda r: r["commune"] == "94028"),
        ({"objet": "affaissement"}, lambda r: r["object"] == "affaissement"),
        ({"objet": "zz_liste_retire"}, lambda r: r["object"] == "zz_liste_retire"),
        ({"equipe": "exploitation"}, lambda r: r["team"] == "exploitation"),
        ({"agent": "intervenant"},
         lambda r: "intervenant" in (r["assigned"], r["done_by"])),
        ({"agent": "responsable"}, lambda r: "responsable" in (r["assigned"], r["done_by"])),
        ({"origine": "telephone"}, lambda r: r["origin"] == "telephone"),
        ({"origine": "elu"}, lambda r: r["origin"] == "elu"),
    ]
    for params, pred in cases:
        expected = selected(rows, pred)
        assert expected, params
        assert listed(admin, **params) == expected, params


def test_date_range_is_in_paris_time_and_inclusive(admin, rows):
    # g was received 2011-12-31 23:30 UTC = 1 January 2012 00:30 in Paris; h on
    # 31 December 23:59 in Paris; i one minute later, on 1 January 2013.
    in_2012 = listed(admin, du="01/01/2012", au="31/12/2012")
    assert num(rows["g"]) in in_2012 and num(rows["h"]) in in_2012
    assert num(rows["i"]) not in in_2012 and num(rows["j"]) not in in_2012
    assert in_2012 == selected(rows, lambda r: paris_day(r).startswith("2012"))
    assert in_2012 == numbers_of(rows, ["a", "c", "d", "e", "g", "h"])
    # the HTML date input's format, and one bound alone
    assert listed(admin, du="2012-01-01", au="2012-12-31") == in_2012
    assert listed(admin, au="31/12/2011") == numbers_of(rows, ["b", "j"])
    assert listed(admin, du="1/1/2013") == selected(rows, lambda r: paris_day(r) >= "2013")


def test_filters_combined(admin, rows):
    assert listed(admin, commune="94015", statut="transmise", equipe="exploitation") \
        == numbers_of(rows, ["c", "d"])
    assert listed(admin, commune="94015", statut="transmise", agent="intervenant",
                  origine="accueil") == numbers_of(rows, ["d"])
    assert listed(admin, commune="94080", du="01/01/2012", au="31/12/2012",
                  statut=["cloturee", "en_cours"]) == numbers_of(rows, ["a", "g"])
    assert listed(admin, objet="odeurs", commune="94067") == []


def test_free_text_with_and_without_accents(admin, rows):
    for q in ("eglise", "Église", "EGLISE"):
        assert num(rows["a"]) in get(admin, q=q, par_page=100)[1].numbers, q
        # combined with the marker: exactly that row
        assert listed(admin, q=f"{MARK} {q}") == numbers_of(rows, ["a"]), q
    assert listed(admin, q=f"{MARK} lefevre") == numbers_of(rows, ["a"])
    assert listed(admin, q=f"{MARK} Lefèvre") == numbers_of(rows, ["a"])
    assert listed(admin, q=f"{MARK} ecoles") == numbers_of(rows, ["f"])
    # the address, its complement, the object complement, the comment are searched
    assert listed(admin, q=f"{MARK} strasbourg") == numbers_of(rows, ["j"])
    assert listed(admin, q=f"{MARK} cour") == numbers_of(rows, ["b"])
    assert listed(admin, q=f"{MARK} marche hydrocurage") == numbers_of(rows, ["c"])
    assert listed(admin, q=f"{MARK} z07") == numbers_of(rows, ["z07"])
    assert listed(admin, q="zorglubinconnu") == []


def test_number_search_in_three_forms(admin, rows):
    target = f"{MOUNT}/{rows['a']['id']}"
    for q in ("2012/58", "2012 / 58", "N° 2012 / 58"):
        r, page = get(admin, q=q)
        assert [x["href"] for x in page.rows] == [target], q
        assert "1 demande" in text_of(r.text)
    # a number alone: that number in every year, and the word anywhere ("58 avenue")
    hrefs = [x["href"] for x in get(admin, q="58", par_page=100)[1].rows]
    assert target in hrefs and f"{MOUNT}/{rows['b']['id']}" in hrefs
    assert f"{MOUNT}/{rows['e']['id']}" in hrefs
    assert get(admin, q="2012/57")[1].rows == []


# ---------------------------------------------------------------- sorts

SORTS = {
    "date": lambda r: (r["received"], r["id"]),
    "numero": lambda r: (r["year"], r["number"]),
    "demandeur": lambda r: (fold(r["name"]), r["id"]),
    "adresse": lambda r: (address_key(r["address"]), r["id"]),
    "ville": lambda r: (fold(COMMUNES[r["commune"]]), r["received"], r["id"]),
    "objet": lambda r: (fold(OBJECTS[r["object"]]), r["received"], r["id"]),
    "statut": lambda r: (STATUS_ORDER.index(r["status"]), r["received"], r["id"]),
}


def team_order(rows, desc):
    """Teams by label, requests without a team after them (before, descending)."""
    def key(r):
        return (r["team"] is None, fold(TEAMS[r["team"]] or ""), r["received"], r["id"])
    return [num(r) for r in sorted(rows.values(), key=key, reverse=desc)]


def test_every_sort_both_ways_with_a_stable_tie_break(admin, rows):
    columns = ["date", "numero", "demandeur", "adresse", "ville", "objet", "equipe", "statut"]
    for i, column in enumerate(columns):
        for desc in (False, True):
            _, page = get(admin, q=MARK, par_page=50, tri=column, ordre="desc" if desc else "asc")
            if column == "equipe":
                expected = team_order(rows, desc)
            else:
                expected = [num(r) for r in sorted(rows.values(), key=SORTS[column], reverse=desc)]
            assert page.numbers == expected, (column, desc)
            # the header says which column sorts, and which way
            assert page.headers[i] == ("descending" if desc else "ascending"), column
            assert [h for j, h in enumerate(page.headers) if j != i] == [None] * 7


def test_french_order_of_names(admin, rows):
    _, page = get(admin, q=MARK, tri="demandeur", ordre="asc", par_page=50)
    names = [r["cells"][2] for r in page.rows]
    # "Écoles" among the E, not after Z as a byte order would put it
    assert names.index("Écoles Jules-Ferry") < names.index("Mme Fabre")
    assert names.index("M. Dupont") < names.index("Écoles Jules-Ferry")
    # 2 before 10 in addresses
    _, page = get(admin, q=MARK, tri="adresse", ordre="asc", par_page=50)
    addresses = [r["cells"][3] for r in page.rows]
    assert addresses.index("2 rue des Lilas") < addresses.index("10 rue des Lilas")


def test_sort_links_keep_the_filters_and_reverse_the_current_sort(admin, rows):
    _, page = get(admin, q=MARK, commune="94015", tri="ville", ordre="asc")
    links = [h for h in page.links if "tri=" in h]
    ville = next(h for h in links if "tri=ville" in h)
    assert "ordre=desc" in ville and "q=zorglub" in ville and "commune=94015" in ville
    assert "page=" not in ville
    date = next(h for h in links if "tri=date" in h)
    assert "ordre=desc" in date
    # following a header link is a bookmarkable view of its own
    r = admin.get(ville[len(MOUNT):].replace("&amp;", "&"))
    assert ListPage(r.text).numbers == [num(r) for r in sorted(
        (x for x in rows.values() if x["commune"] == "94015"),
        key=SORTS["ville"], reverse=True)]


# ---------------------------------------------------------------- paging

def test_pages_and_page_sizes(admin, rows):
    everything = sorted(num(r) for r in rows.values())
    r1, p1 = get(admin, q=MARK, tri="numero", ordre="asc")
    assert len(p1.rows) == 25 and "30 demandes" in text_of(r1.text)
    assert "affichées : 1 à 25" in text_of(r1.text)
    r2, p2 = get(admin, q=MARK, tri="numero", ordre="asc", page=2)
    assert len(p2.rows) == 5 and "affichées : 26 à 30" in text_of(r2.text)
    assert sorted(p1.numbers + p2.numbers) == everything
    # the page links carry the filters and the sort
    nxt = re.search(r'<a rel="next" href="([^"]+)"', r1.text).group(1).replace("&amp;", "&")
    assert "q=zorglub" in nxt and "tri=numero" in nxt and nxt.endswith("page=2")
    assert ListPage(admin.get(nxt[len(MOUNT):]).text).numbers == p2.numbers
    assert 'aria-label="Pagination"' in r1.text
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>2<', r2.text)
    # 50 and 100 per page: one page, no pagination
    for per in ("50", "100"):
        r, p = get(admin, q=MARK, par_page=per)
        assert len(p.rows) == 30 and 'aria-label="Pagination"' not in r.text
        assert p.fields["par_page"] == per


# ---------------------------------------------------------------- perimeters

def test_lecteur_sees_only_his_communes(stack, login_as, rows):
    b = login_as("lecteur")
    assert listed(b) == selected(rows, lambda r: r["commune"] in ("94080", "94067"))
    # a filter cannot widen the perimeter
    assert listed(b, commune="94015") == []
    assert listed(b, q="2012 / 20") == []          # Bry-sur-Marne: not his
    assert get(b, q="2012 / 58")[1].rows           # Vincennes: his
    # without any filter, over the whole table
    r, page = get(b, par_page=100)
    assert {row["cells"][4] for row in page.rows} <= {"Vincennes", "Saint-Mandé"}
    total = int(stack.psql("SELECT count(*) FROM interventions "
                           "WHERE commune_code IN ('94080', '94067')"))
    assert f"{total:,} demande".replace(",", " ") in text_of(r.text).replace("\u00a0", " ")


def test_intervenant_sees_his_team_and_what_is_assigned_to_him(stack, login_as, rows):
    # the demo account's team, from sql/demo/001_agents.sql
    assert stack.psql("SELECT team_code FROM agents WHERE code = 'intervenant'") == "petits_travaux"
    b = login_as("intervenant")
    expected = selected(rows, lambda r: r["team"] == "petits_travaux"
                        or r["assigned"] == "intervenant")
    assert num(rows["c"]) in expected            # another team, assigned to him
    assert num(rows["d"]) not in expected        # done by him but neither his team nor his
    assert listed(b) == expected
    assert listed(b, equipe="exploitation") == numbers_of(rows, ["c"])
    assert listed(b, commune="94067") == selected(
        rows, lambda r: r["commune"] == "94067" and r["team"] == "petits_travaux")
    assert listed(b, commune="94015") == numbers_of(rows, ["c"])


def session_as(stack, login, roles, communes=""):
    """A browser with a session written straight into the table (roles as the
    directory would give them): for the combinations the demo directory lacks."""
    token = os.urandom(32).hex()
    stack.psql("INSERT INTO sessions (id_hash, login, display_name, roles, communes, csrf_token) "
               f"VALUES (sha256('{token}'::bytea), '{login}', 'Test liste', {roles}, "
               f"'{communes}', '{os.urandom(16).hex()}')")
    b = Browser(stack.url())
    b.set_session_cookie(token)
    return b


LECTEUR, INTERVENANT, SECRETARIAT = 16, 8, 4


def test_perimeter_edge_cases(stack, rows):
    # a lecteur with no commune sees nothing, whatever he asks for
    nobody = session_as(stack, "lecteur", LECTEUR, "")
    assert listed(nobody) == [] and listed(nobody, commune="94080") == []
    r, page = get(nobody, par_page=100)
    assert page.rows == [] and "Aucune demande" in text_of(r.text)
    # lecteur and intervenant at once: the union of both perimeters
    both = session_as(stack, "intervenant", LECTEUR | INTERVENANT, "94028")
    assert listed(both) == selected(rows, lambda r: r["commune"] == "94028"
                                    or r["team"] == "petits_travaux"
                                    or r["assigned"] == "intervenant")
    # an intervenant whose agents row has no team: only what is assigned to him
    stack.psql("UPDATE interventions SET assigned_agent = 'lecteur' "
               f"WHERE created_by = '{TAG}:j'")
    try:
        alone = session_as(stack, "lecteur", INTERVENANT)
        assert listed(alone) == numbers_of(rows, ["j"])
    finally:
        stack.psql(f"UPDATE interventions SET assigned_agent = NULL WHERE created_by = '{TAG}:j'")
    # an office role among others: everything
    assert listed(session_as(stack, "x", SECRETARIAT | LECTEUR, "94080")) \
        == sorted(num(r) for r in rows.values())


def test_other_roles_see_everything(login_as, rows):
    for user in ("responsable", "secretariat"):
        assert listed(login_as(user)) == sorted(num(r) for r in rows.values()), user


# ---------------------------------------------------------------- the form

def test_values_stay_after_submit(admin, rows):
    r, page = get(admin, q=f"{MARK} Lefèvre", statut=["cloturee", "nouvelle"], commune="94080",
                  objet="odeurs", equipe="petits_travaux", agent="intervenant",
                  origine="telephone", du="01/01/2012", au="2012-12-31", par_page="50",
                  tri="ville", ordre="desc")
    assert page.numbers == [num(rows["a"])]
    f = page.fields
    assert f["q"] == f"{MARK} Lefèvre"
    assert (f["commune"], f["objet"], f["equipe"], f["agent"], f["origine"]) \
        == ("94080", "odeurs", "petits_travaux", "intervenant", "telephone")
    assert page.checked == {"cloturee", "nouvelle"}
    assert (f["du"], f["au"]) == ("2012-01-01", "2012-12-31")   # as the date input wants
    assert f["par_page"] == "50" and f["tri"] == "ville" and f["ordre"] == "desc"
    assert page.errors == {}
    # every field has its label, the statuses are a group
    for field in ("q", "commune", "objet", "equipe", "agent", "origine", "du", "au", "par_page"):
        assert f'<label for="{field}">' in r.text, field
    assert re.search(r'<fieldset id="statut"[^>]*><legend>Statut</legend>', r.text)
    assert 'method="get"' in r.text


def test_bad_values_give_a_french_message_and_are_ignored(admin, rows):
    everything = sorted(num(r) for r in rows.values())
    cases = [
        ({"du": "31/02/2012"}, "du", "date invalide"),
        ({"au": "demain"}, "au", "date invalide"),
        ({"du": "01/01/2013", "au": "01/01/2012"}, "au", "précède la date de début"),
        ({"commune": "99999"}, "commune", "ville inconnue"),
        ({"objet": "inconnu"}, "objet", "objet inconnu"),
        ({"equipe": "x'; DROP TABLE interventions; --"}, "equipe", "équipe inconnue"),
        ({"agent": "personne"}, "agent", "agent inconnu"),
        ({"origine": "pigeon"}, "origine", "origine inconnue"),
        ({"statut": ["cloturee", "perdue"]}, "statut", "statut inconnu"),
        ({"q": MARK + " " + "x" * 200}, "q", "trop longue"),
        ({"par_page": "30"}, "par_page", "25, 50 ou 100"),
        ({"page": "0"}, "page", "numéro de page invalide"),
        ({"page": "deux"}, "page", "numéro de page invalide"),
        ({"page": "9"}, "page", "cette page n'existe pas (il y en a 2)"),
    ]
    for params, field, message in cases:
        query = dict({"q": MARK}, **params)
        r, page = get(admin, **query)
        assert message in page.errors.get(field, ""), (params, page.errors)
        assert "filtre(s) ignoré(s)" in text_of(r.text)
        assert f'href="#{field}"' in r.text
        assert 'aria-invalid="true"' in r.text or field == "statut"
        if field == "statut":       # the known status still applies
            continue
        if field == "du" or field == "au":
            kept = page.fields[field]
            assert kept == params[field] or (field == "du" and kept == "2013-01-01"), kept
        if field == "q":
            assert len(page.rows) == 25 and "trop longue" in page.errors["q"]
            continue
        if field == "au" and "du" in params:      # only the bad bound is dropped
            assert listed(admin, **params) == selected(rows, lambda r: paris_day(r) >= "2013")
            continue
        if field in ("par_page", "page"):
            assert len(page.rows) == 25
            continue
        assert listed(admin, **params) == everything, params
    _, page = get(admin, q=MARK, statut=["cloturee", "perdue"], par_page=100)
    assert sorted(page.numbers) == selected(rows, lambda r: r["status"] == "cloturee")


def test_unknown_sort_and_undecodable_text_are_not_errors(admin, rows):
    r, page = get(admin, q=MARK, tri="id; DROP TABLE interventions", ordre="sideways")
    assert "tri inconnu" in text_of(r.text)
    assert page.headers[0] == "descending"
    r = admin.get("/?q=%C3&commune=94080")
    assert r.status_code == 200
    assert "caractères invalides" in ListPage(r.text).errors["q"]
    r = admin.get("/?q=%ZZ%&statut=%00")
    assert r.status_code == 200


# ---------------------------------------------------------------- the count cap

def test_count_is_exact_up_to_a_thousand_then_says_more(stack, admin):
    mark = "capmarker"
    insert = ("INSERT INTO interventions (year, number, status, origin_code, received_at, "
              "nature_code, requester_name, address, commune_code, object_code, "
              "object_complement, created_by, updated_by) SELECT 2008, n, 'cloturee', "
              "'telephone', '2008-01-01 08:00+01'::timestamptz + n * interval '3 hours', "
              f"'particulier', 'Cap', n || ' rue du Compte', '94080', 'odeurs', '{mark}', "
              f"'{TAG}:cap', '{TAG}:cap' FROM generate_series(%d, %d) n")
    stack.psql(insert % (1, 1000))
    try:
        r, page = get(admin, q=mark)
        text = text_of(r.text).replace("\u00a0", " ")
        assert "1 000 demandes" in text and "Plus de" not in text
        assert "page 1 sur 40" in text
        # the last page (not full... here exactly full): the count, not the page, says 40
        r, page = get(admin, q=mark, page=40, tri="numero", ordre="asc")
        assert page.numbers[-1] == "2008 / 1000" and len(page.rows) == 25
        assert "page 40 sur 40" in text_of(r.text)
        stack.psql(insert % (1001, 1001))
        r, page = get(admin, q=mark)
        text = text_of(r.text).replace("\u00a0", " ")
        assert "Plus de 1 000 demandes." in text
        assert "seules les 40 premières pages peuvent être parcourues" in text
        assert "page 1 sur 40" in text and 'rel="next"' in r.text
        # the last page within the cap works and has no "next"; the one after is refused
        r, page = get(admin, q=mark, page=40, tri="numero", ordre="asc")
        assert page.numbers[-1] == "2008 / 1000" and 'rel="next"' not in r.text
        r, page = get(admin, q=mark, page=41)
        assert "cette page n'existe pas (il y en a 40)" in page.errors["page"]
        assert "page 1 sur 40" in text_of(r.text)
        r, page = get(admin, q=mark, par_page=100)
        assert len(page.rows) == 100 and "page 1 sur 10" in text_of(r.text)
    finally:
        stack.psql(f"DELETE FROM interventions WHERE created_by = '{TAG}:cap'")


def test_large_results_are_not_counted_when_the_planner_expects_many(stack, admin):
    """Beyond ten times the cap by the planner's estimate, the page says "more than"
    without counting (IV_LIST_ESTIMATE_TRUSTED). Shown by misleading the planner: 12,000
    rows analysed, then all but 500 deleted behind its back (autovacuum off). An exact
    count would say 500; the estimate says more than 1,000. A page past the real end is
    then counted exactly."""
    mark = "estimmarker"
    stack.psql("ALTER TABLE interventions SET (autovacuum_enabled = false)")
    try:
        stack.psql("INSERT INTO interventions (year, number, status, origin_code, received_at, "
                   "nature_code, requester_name, address, commune_code, object_code, "
                   "object_complement, created_by, updated_by) SELECT 2007, n, 'cloturee', "
                   "'telephone', '2007-01-01 08:00+01'::timestamptz + n * interval '30 minutes', "
                   f"'particulier', 'Estim', n || ' rue du Compte', '94080', 'odeurs', '{mark}', "
                   f"'{TAG}:estim', '{TAG}:estim' FROM generate_series(1, 12000) n")
        stack.psql("ANALYZE interventions")
        r, page = get(admin, q=mark)
        assert "Plus de 1 000 demandes." in text_of(r.text).replace("\u00a0", " ")
        stack.psql(f"DELETE FROM interventions WHERE created_by = '{TAG}:estim' AND number > 500")
        r, page = get(admin, q=mark)
        text = text_of(r.text).replace("\u00a0", " ")
        assert "Plus de 1 000 demandes." in text and len(page.rows) == 25
        # a filter the planner knows to be narrow is counted exactly
        r, page = get(admin, q=mark, du="01/01/2007", au="02/01/2007")
        text = text_of(r.text).replace("\u00a0", " ")
        assert "Plus de" not in text and "demandes" in text
        # past the real end (20 pages of 25): counted, refused, first page shown
        r, page = get(admin, q=mark, page=30)
        assert "cette page n'existe pas (il y en a 20)" in page.errors["page"]
    finally:
        stack.psql(f"DELETE FROM interventions WHERE created_by = '{TAG}:estim'")
        stack.psql("ALTER TABLE interventions RESET (autovacuum_enabled)")
        stack.psql("ANALYZE interventions")


# ---------------------------------------------------------------- the generator

def generator(stack, *args):
    env = dict(os.environ, PGHOST=str(stack.var / "pg/run"), PGPORT=str(stack.ports["pg"]),
               PGUSER="interventions", PGDATABASE="interventions")
    return subprocess.run([str(ROOT / "tools/generate-requests"), "--quiet", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def schema(stack):
    return stack.psql("SELECT string_agg(d, E'\\n' ORDER BY d) FROM ("
                      "SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index "
                      " WHERE indrelid = 'interventions'::regclass UNION ALL "
                      "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                      " WHERE conrelid = 'interventions'::regclass) s")


def test_generator_writes_realistic_numbered_requests(stack):
    years = "year BETWEEN 2003 AND 2005"
    before = schema(stack)
    try:
        out = generator(stack, "--seed", "5", "--until", "2005-06-30", "--years", "2", "300")
        assert out.returncode == 0, out.stderr
        assert stack.psql(f"SELECT count(*) FROM interventions WHERE {years}") == "300"
        # numbers follow each year from 1 without gap, and the counters know it
        for line in stack.psql(f"SELECT year, count(*), min(number), max(number) FROM "
                               f"interventions WHERE {years} GROUP BY year").split():
            year, count, low, high = line.split("|")
            assert (low, high) == ("1", count), line
            assert stack.psql(f"SELECT last_number FROM year_counters WHERE year = {year}") == high
        # six months before the last day, all is done; then statuses spread
        assert stack.psql(f"SELECT count(*) FROM interventions WHERE {years} "
                          "AND received_at < '2005-01-01' AND status NOT IN "
                          "('cloturee', 'annulee', 'realisee')") == "0"
        assert int(stack.psql(f"SELECT count(*) FROM interventions WHERE {years} "
                              "AND status = 'cloturee'")) > 200
        assert stack.psql(f"SELECT count(*) FROM interventions WHERE {years} "
                          "AND received_at > '2005-06-30'::date + 1") == "0"
        assert stack.psql(f"SELECT count(*) FROM interventions WHERE {years} "
                          "AND phone !~ '^(0[1-9][0-9]{8})?$'") == "0"
        assert int(stack.psql("SELECT count(*) FROM communes WHERE NOT in_territory")) >= 6
        assert stack.psql(f"SELECT count(DISTINCT commune_code) FROM interventions "
                          f"WHERE {years}") >= "13"
        assert stack.psql(f"SELECT count(*) FROM interventions WHERE {years} "
                          "AND comment ~ '[éèàç]'") != "0"
        assert stack.psql(f"SELECT count(*) FROM interventions WHERE {years} "
                          "AND done_by IS NOT NULL AND closed_by IS NOT NULL") != "0"
        first = stack.psql(f"SELECT string_agg(received_at || requester_name || address || "
                           f"status, ',' ORDER BY id) FROM interventions WHERE {years}")
        # the same seed gives the same requests (numbered after the first ones)
        assert generator(stack, "--seed", "5", "--until", "2005-06-30", "--years", "2",
                         "300").returncode == 0
        again = stack.psql(f"SELECT string_agg(received_at || requester_name || address || "
                           f"status, ',' ORDER BY id) FROM interventions WHERE {years} "
                           f"AND id > (SELECT max(id) - 300 FROM interventions)")
        assert again == first
        # bulk mode rebuilds the indexes and foreign keys it set aside
        assert generator(stack, "--bulk", "--seed", "6", "--until", "2005-06-30", "--years", "2",
                         "200").returncode == 0
        assert stack.psql(f"SELECT count(*) FROM interventions WHERE {years}") == "800"
        assert schema(stack) == before
    finally:
        stack.psql(f"DELETE FROM interventions WHERE {years}")
        stack.psql("DELETE FROM year_counters WHERE year BETWEEN 2003 AND 2005")


def test_stack_loads_demo_requests_only_into_an_empty_table():
    var = tempfile.mkdtemp(prefix="iv-demo-")
    os.chmod(var, 0o755)
    ports = {name: free_port() for name in ("http", "pg", "ldap")}
    ports["main"] = ports["http"]
    st = Stack(var, ports)
    st.env.update(IV_DEMO_ROWS="40", IV_EXTRA_CONF="")
    try:
        out = st.run("start", check=False)
        assert out.returncode == 0, out.stderr
        assert st.psql("SELECT count(*) FROM interventions") == "40"
        assert st.psql("SELECT count(*) FROM year_counters") != "0"
        b = Browser(st.url())
        assert b.login("secretariat").status_code == 303
        assert "40 demandes" in text_of(b.get("/").text)
        st.run("stop")
        assert st.run("start", check=False).returncode == 0
        assert st.psql("SELECT count(*) FROM interventions") == "40"
    finally:
        st.run("stop", check=False)
        shutil.rmtree(var, ignore_errors=True)
