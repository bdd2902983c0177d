"""Exports of the list (export.csv, export.xlsx, export.ods): the filtered requests with
every field, French headers, real date cells, formula injection neutralised, the
perimeter of a lecteur and an intervenant, the audit trail, a bad filter refused, large
exports streamed, a client that leaves and a database that fails mid-way.

The rows of this file are written straight into the database in years nobody else uses
(2001-2002, and 1999 for the 20,000 bulk rows), the small set with the word "xylokarst"
in its object complement: searching for it isolates them. Expected values are read back
from the database itself (labels joined in SQL), so the files are compared with the
rows, not with a copy of the test data. Everything is deleted afterwards.
"""
import csv
import datetime
import hashlib
import html as html_lib
import io
import json
import re
import socket
import time
import xml.etree.ElementTree as ET
import zipfile
from urllib.parse import urlencode

import openpyxl
import pytest
import requests
from odf.opendocument import load as odf_load

from conftest import MOUNT, ROOT, text_of

MARK = "xylokarst"
TAG = "export-test"
BULK_TAG = "export-test-bulk"
BULK_ROWS = 20000

HEADERS = ["N°", "Année", "Statut", "Origine de la demande", "Date reçue", "Nature du demandeur",
           "Titre du demandeur", "Nom du demandeur", "Adresse intervention", "Ville", "Téléphone",
           "Courriel", "Complément d'adresse", "Objet de la demande", "Complément d'objet",
           "Transmise à", "Date de transmission", "Date planifiée", "Début intervention",
           "Fin intervention", "Commentaire intervention", "Carte : latitude", "Carte : longitude",
           "Intervention réalisée par", "Clôturée par", "Intervention attribuée à", "Motif du statut",
           "Enregistrée le", "Enregistrée par", "Modifiée le", "Modifiée par"]
# The headers that are the request form's labels (catalogue key field.<name>).
FORM_KEYS = {"Statut": "statut", "Origine de la demande": "origine", "Date reçue": "date_recue",
             "Nature du demandeur": "nature", "Titre du demandeur": "titre",
             "Nom du demandeur": "nom", "Adresse intervention": "adresse", "Ville": "ville",
             "Téléphone": "telephone", "Courriel": "courriel",
             "Complément d'adresse": "complement_adresse", "Objet de la demande": "objet",
             "Complément d'objet": "complement_objet", "Transmise à": "equipe",
             "Date de transmission": "date_transmission", "Date planifiée": "date_planifiee",
             "Début intervention": "debut", "Fin intervention": "fin",
             "Commentaire intervention": "commentaire", "Carte : latitude": "latitude",
             "Carte : longitude": "longitude", "Intervention réalisée par": "realisee_par",
             "Clôturée par": "cloturee_par"}
DATE_COLUMNS = {"Date reçue", "Date de transmission", "Date planifiée", "Début intervention",
                "Fin intervention", "Enregistrée le", "Modifiée le"}

FORMULAS = ['=HYPERLINK("http://evil.example/";"clic")', "+33 1 23 45 67 89", "-2+3",
            f"@SUM(A1) {MARK}", "=1+1"]

# key: received (UTC), year, number, status, commune, object, team, assigned, done_by,
# closed_by, origin, nature, title, name, address, phone, email, address complement,
# object complement, comment, latitude, longitude, reason, dates (transmitted, planned,
# started, ended)
ROWS = {
    "a": dict(received="2002-06-23 14:17:09+00", year=2002, number=9001, status="cloturee",
              commune="94080", object="odeurs", team="petits_travaux", assigned=None,
              done_by="intervenant", closed_by="responsable", origin="telephone",
              nature="particulier", title="mme", name="Lefèvre", address="3 place de l'Église",
              phone="0123456789", email="h.lefevre@example.fr",
              address_more='Bât. B; 2e étage, "porte" gauche',
              object_more=f"Odeurs fortes {MARK}", comment="ligne 1\nligne 2\ttabulé  deux espaces ",
              lat=48.8474, lon=2.4396, reason="",
              dates=("2002-06-23 14:22:00+00", "2002-06-25 07:00:00+00", "2002-06-25 07:30:00+00",
                     "2002-06-25 09:45:30+00")),
    "b": dict(received="2002-03-02 09:00:00+00", year=2002, number=9002, status="annulee",
              commune="94067", object="curage", team=None, assigned=None, done_by=None,
              closed_by=None, origin="courriel", nature="particulier", title="m",
              name=FORMULAS[0], address="12 rue des Lilas", phone="+442071234567", email="",
              address_more=FORMULAS[2], object_more=FORMULAS[3], comment=FORMULAS[1],
              lat=None, lon=None, reason=FORMULAS[4], dates=(None, None, None, None)),
    "c": dict(received="2001-12-31 23:30:00+00", year=2002, number=9003, status="nouvelle",
              commune="94015", object="affaissement", team=None, assigned=None, done_by=None,
              closed_by=None, origin="commune", nature="commune", title=None, name="",
              address="  7 avenue Foch", phone="", email="", address_more="",
              object_more=f"Trottoir {MARK}", comment="avant\x01après\r\nfin\rici",
              lat=-0.5, lon=-1.25, reason="", dates=(None, None, None, None)),
    "d": dict(received="2001-05-05 10:00:00+00", year=2001, number=9001, status="transmise",
              commune="94028", object="debordement_eu", team="exploitation",
              assigned="intervenant", done_by=None, closed_by=None, origin="elu", nature="elu",
              title="m", name="Créteil Élu", address="1 avenue de Paris", phone="0601020304",
              email="", address_more="", object_more=f"Hors territoire {MARK}", comment="",
              lat=None, lon=None, reason="",
              dates=("2001-05-05 11:00:00+00", None, None, None)),
    "e": dict(received="2001-02-01 08:00:00+00", year=2001, number=9002, status="transmise",
              commune="94080", object="curage", team="exploitation", assigned=None,
              done_by=None, closed_by=None, origin="accueil", nature="entreprise", title=None,
              name="Société Nettoyage", address="5 rue de Fontenay", phone="", email="",
              address_more="", object_more=f"Autre équipe {MARK}", comment="", lat=None,
              lon=None, reason="", dates=("2001-02-01 09:00:00+00", None, None, None)),
}


def sql_text(v):
    if v is None:
        return "NULL"
    s = str(v)
    if "\x01" in s:     # psql -c cannot carry a control character inside a literal
        return " || chr(1) || ".join(sql_text(part) for part in s.split("\x01"))
    return "E'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") \
        .replace("\r", "\\r").replace("\t", "\\t") + "'"


@pytest.fixture(scope="module")
def rows(stack):
    stack.psql("INSERT INTO communes (code, label, in_territory, position) "
               "VALUES ('94028', 'Créteil', false, 901) ON CONFLICT DO NOTHING")
    values = []
    for key, r in ROWS.items():
        values.append("(" + ", ".join([
            sql_text(r["year"]), sql_text(r["number"]), sql_text(r["status"]),
            sql_text(r["origin"]), sql_text(r["received"]), sql_text(r["nature"]),
            sql_text(r["title"]), sql_text(r["name"]), sql_text(r["address"]),
            sql_text(r["commune"]), sql_text(r["phone"]), sql_text(r["email"]),
            sql_text(r["address_more"]), sql_text(r["object"]), sql_text(r["object_more"]),
            sql_text(r["team"]), sql_text(r["assigned"]), sql_text(r["done_by"]),
            sql_text(r["closed_by"]), *(sql_text(d) for d in r["dates"]), sql_text(r["comment"]),
            sql_text(r["lat"]), sql_text(r["lon"]), sql_text(r["reason"]),
            sql_text(f"{TAG}:{key}"), sql_text(f"{TAG}:{key}"), sql_text("Agent Test")]) + ")")
    stack.psql(
        "INSERT INTO interventions (year, number, status, origin_code, received_at, nature_code, "
        "title_code, requester_name, address, commune_code, phone, email, address_complement, "
        "object_code, object_complement, team_code, assigned_agent, done_by, closed_by, "
        "transmitted_at, planned_at, started_at, ended_at, comment, latitude, longitude, "
        "status_reason, created_by, updated_by, updated_by_name) VALUES " + ", ".join(values))
    yield ROWS
    stack.psql(f"DELETE FROM interventions WHERE created_by LIKE '{TAG}:%'")


@pytest.fixture(scope="module")
def bulk(stack):
    """BULK_ROWS requests received in 1999, every 20 minutes, in three communes."""
    stack.psql(
        "INSERT INTO interventions (year, number, status, origin_code, received_at, nature_code, "
        "title_code, requester_name, address, commune_code, phone, object_code, object_complement, "
        "comment, created_by, updated_by) "
        "SELECT 1999, g, 'nouvelle', 'telephone', "
        "'1999-01-01 00:00:00+00'::timestamptz + g * interval '20 minutes', 'particulier', 'm', "
        "'Demandeur ' || g, g || ' rue du Test', "
        "(ARRAY['94080', '94067', '94015'])[1 + g % 3], '0102030405', 'curage', "
        "'Complément en vrac n° ' || g, "
        # about 600 bytes a row that do not compress much: exports (CSV and ODS alike)
        # much larger than the sockets' buffers
        "'Commentaire « ' || g || ' » ; avec \"guillemets\" ' || "
        "(SELECT string_agg(md5(g || '-' || k), ' ') FROM generate_series(1, 16) k), "
        f"'{BULK_TAG}', '{BULK_TAG}' FROM generate_series(1, {BULK_ROWS}) g")
    yield BULK_ROWS
    stack.psql(f"DELETE FROM interventions WHERE created_by = '{BULK_TAG}'")


BULK_FILTER = {"du": "01/01/1999", "au": "31/12/1999"}


def bulk_hashes(g):
    return " ".join(hashlib.md5(f"{g}-{k}".encode()).hexdigest() for k in range(1, 17))


# ---------------------------------------------------------------- expected rows

EXPECTED_SQL = """
SELECT coalesce(json_agg(x ORDER BY x.r DESC, x.id DESC), '[]') FROM (
  SELECT i.id, i.received_at AS r, i.year, i.number, st.label AS status, o.label AS origin,
    to_char(i.received_at, 'YYYY-MM-DD HH24:MI:SS') AS received, n.label AS nature,
    t.label AS title, i.requester_name AS name, i.address, c.label AS commune, i.phone,
    i.email, i.address_complement AS address_more, ob.label AS object,
    i.object_complement AS object_more, tm.label AS team,
    to_char(i.transmitted_at, 'YYYY-MM-DD HH24:MI:SS') AS transmitted,
    to_char(i.planned_at, 'YYYY-MM-DD HH24:MI:SS') AS planned,
    to_char(i.started_at, 'YYYY-MM-DD HH24:MI:SS') AS started,
    to_char(i.ended_at, 'YYYY-MM-DD HH24:MI:SS') AS ended, i.comment, i.latitude, i.longitude,
    a1.label AS done_by, a2.label AS closed_by, a3.label AS assigned, i.status_reason AS reason,
    to_char(i.created_at, 'YYYY-MM-DD HH24:MI:SS') AS created, i.created_by,
    to_char(i.updated_at, 'YYYY-MM-DD HH24:MI:SS') AS updated, i.updated_by_name AS updated_by
  FROM interventions i
  JOIN statuses st ON st.code = i.status JOIN origins o ON o.code = i.origin_code
  JOIN requester_natures n ON n.code = i.nature_code LEFT JOIN titles t ON t.code = i.title_code
  JOIN communes c ON c.code = i.commune_code JOIN objects ob ON ob.code = i.object_code
  LEFT JOIN teams tm ON tm.code = i.team_code LEFT JOIN agents a1 ON a1.code = i.done_by
  LEFT JOIN agents a2 ON a2.code = i.closed_by LEFT JOIN agents a3 ON a3.code = i.assigned_agent
  WHERE {where}) x
"""


def clean(s):
    """What a spreadsheet cell can hold: CR LF and CR as LF, other controls as spaces."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(" " if (ord(ch) < 32 and ch not in "\t\n") or ord(ch) == 127 else ch
                   for ch in s)


def phone_display(p):
    return " ".join(p[i:i + 2] for i in range(0, 10, 2)) if len(p) == 10 and p[0] == "0" else p


def when(s):
    return datetime.datetime.strptime(s, "%Y-%m-%d %H:%M:%S") if s else None


def expected(stack, where):
    """The rows as typed cells: str, int/float, datetime, or None for an empty cell."""
    out = []
    for d in json.loads(stack.psql(EXPECTED_SQL.format(where=where))):
        def text(v):
            return clean(v) if v else None
        out.append([f"{d['year']} / {d['number']}", d["year"], d["status"], d["origin"],
                    when(d["received"]), d["nature"], d["title"], text(d["name"]),
                    text(d["address"]), d["commune"], text(phone_display(d["phone"])),
                    text(d["email"]), text(d["address_more"]), d["object"], text(d["object_more"]),
                    d["team"], when(d["transmitted"]), when(d["planned"]), when(d["started"]),
                    when(d["ended"]), text(d["comment"]), d["latitude"], d["longitude"],
                    d["done_by"], d["closed_by"], d["assigned"], text(d["reason"]),
                    when(d["created"]), text(d["created_by"]), when(d["updated"]),
                    text(d["updated_by"])])
    return out


def mine(where="TRUE"):
    return f"i.created_by LIKE '{TAG}:%' AND ({where})"


# ---------------------------------------------------------------- reading the files

def export(b, fmt, params, timeout=30):
    return b.http.get(f"{b.base}/export.{fmt}?" + urlencode(params, doseq=True),
                      allow_redirects=False, timeout=timeout)


def read_csv(content):
    assert content.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
    text = content[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def csv_expected(row):
    """A typed row as the CSV writes it."""
    out = []
    for v in row:
        if v is None:
            out.append("")
        elif isinstance(v, datetime.datetime):
            out.append(v.strftime("%d/%m/%Y %H:%M"))
        elif isinstance(v, (int, float)):
            s = str(v) if isinstance(v, int) else str(int(v)) if v.is_integer() else repr(v)
            out.append(s.replace(".", ","))
        else:
            out.append("'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v)
    return out


def read_xlsx(content, path):
    path.write_bytes(content)
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        rows = [[c for c in r] for r in ws.iter_rows()]
        sheets.append((ws, rows))
    return wb, sheets


def xlsx_value(cell):
    v = cell.value
    if isinstance(v, datetime.datetime):
        return (v + datetime.timedelta(microseconds=500000)).replace(microsecond=0)
    return v


NS = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}


def q(tag):
    prefix, name = tag.split(":")
    return "{%s}%s" % (NS[prefix], name)


def odf_text(p):
    """The text of a <text:p> as an ODF reader sees it (ODF 1.2 part 1, 6.1.2): white
    space in the character data collapsed, dropped at the start and end of the paragraph
    and after a space; <text:s/> and <text:tab/> are kept."""
    chars, collapsible = [], []

    def data(t):
        for ch in t or "":
            if ch in " \t\r\n":
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    collapsible.append(True)
            else:
                chars.append(ch)
                collapsible.append(False)

    def kept(t):
        chars.extend(t)
        collapsible.extend([False] * len(t))

    data(p.text)
    for child in p:
        if child.tag == q("text:s"):
            kept(" " * int(child.get(q("text:c"), "1")))
        elif child.tag == q("text:tab"):
            kept("\t")
        elif child.tag == q("text:line-break"):
            kept("\n")
        else:
            data("".join(child.itertext()))
        data(child.tail)
    while collapsible and collapsible[-1]:
        chars.pop()
        collapsible.pop()
    return "".join(chars)


def ods_cell(cell):
    kind = cell.get(q("office:value-type"))
    if kind is None:
        return None
    if kind == "float":
        return float(cell.get(q("office:value")))
    if kind == "date":
        return datetime.datetime.fromisoformat(cell.get(q("office:date-value")))
    assert kind == "string", kind
    return "\n".join(odf_text(p) for p in cell.findall(q("text:p")))


def read_ods(content, path):
    """[(sheet name, [rows of values])]; also checks the package as ODF wants it."""
    path.write_bytes(content)
    z = zipfile.ZipFile(path)
    assert z.testzip() is None
    assert z.namelist()[0] == "mimetype"
    assert z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert content[30:38] == b"mimetype"        # first, without extra field
    odf_load(str(path))                          # python3-odf opens it
    root = ET.fromstring(z.read("content.xml"))
    sheets = []
    for table in root.iter(q("table:table")):
        rows = []
        for row in table.iter(q("table:table-row")):
            values = []
            for cell in row.findall(q("table:table-cell")):
                n = int(cell.get(q("table:number-columns-repeated"), "1"))
                values.extend([ods_cell(cell)] * n)
            rows.append(values)
        sheets.append((table.get(q("table:name")), rows))
    return z, root, sheets


def approx_row(values):
    return [round(v, 6) if isinstance(v, float) else v for v in values]


# ---------------------------------------------------------------- tests

@pytest.fixture(scope="module")
def catalogue():
    root = ET.parse(ROOT / "xslt/i18n/fr.xml").getroot()
    return {m.get("key"): "".join(m.itertext()) for m in root.iter("m")}


def test_headers_are_the_form_labels(catalogue):
    for header, name in FORM_KEYS.items():
        assert catalogue[f"field.{name}"] == header, name


def test_xlsx_rows_headers_and_date_cells(stack, login_as, rows, tmp_path):
    b = login_as("responsable")
    r = export(b, "xlsx", {"q": MARK})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.match(r'attachment; filename="demandes-\d{4}-\d{2}-\d{2}\.xlsx"',
                    r.headers["Content-Disposition"])
    assert r.headers["Cache-Control"] == "no-store"
    wb, sheets = read_xlsx(r.content, tmp_path / "e.xlsx")
    assert [s[0].title for s in sheets] == ["Demandes"]
    ws, cells = sheets[0]
    assert [c.value for c in cells[0]] == HEADERS
    assert all(c.font.b for c in cells[0])                  # bold header row
    assert ws.freeze_panes == "A2"                           # frozen under it
    want = expected(stack, mine())
    assert len(want) == len(ROWS)
    assert [approx_row([xlsx_value(c) for c in row]) for row in cells[1:]] == \
        [approx_row(w) for w in want]
    for row in cells[1:]:
        for header, c in zip(HEADERS, row):
            if header in DATE_COLUMNS and c.value is not None:
                assert c.is_date and c.number_format == "dd/mm/yyyy hh:mm", header


def test_ods_rows_headers_and_date_cells(stack, login_as, rows, tmp_path):
    b = login_as("responsable")
    r = export(b, "ods", {"q": MARK})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert r.headers["Content-Disposition"].startswith('attachment; filename="demandes-')
    z, root, sheets = read_ods(r.content, tmp_path / "e.ods")
    assert [s[0] for s in sheets] == ["Demandes"]
    values = sheets[0][1]
    assert values[0] == HEADERS
    want = expected(stack, mine())
    assert [approx_row(v) for v in values[1:]] == [approx_row(w) for w in want]
    # dates are date cells, shown with the date style
    for row in root.iter(q("table:table-row")):
        for i, cell in enumerate(row.findall(q("table:table-cell"))):
            if cell.get(q("office:value-type")) == "date":
                assert HEADERS[i] in DATE_COLUMNS
                assert cell.get(q("table:style-name"))
    assert sum(1 for c in root.iter(q("table:table-cell"))
               if c.get(q("office:value-type")) == "date") >= len(ROWS) * 3
    # the header row is frozen (LibreOffice view settings)
    assert b"VerticalSplitPosition" in z.read("settings.xml")


def test_csv_parses_back_to_the_rows(stack, login_as, rows):
    b = login_as("responsable")
    r = export(b, "csv", {"q": MARK})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"].startswith('attachment; filename="demandes-')
    body = r.content
    # CRLF between records; quoted fields keep their own line breaks
    assert body.count(b"\r\n") >= len(ROWS) + 1
    assert '"Bât. B; 2e étage, ""porte"" gauche"'.encode() in body
    records = read_csv(body)
    assert records[0] == HEADERS
    want = expected(stack, mine())
    assert records[1:] == [csv_expected(w) for w in want]


def test_formula_cells_are_neutralised_in_every_format(stack, login_as, rows, tmp_path):
    b = login_as("responsable")
    params = {"q": MARK, "commune": "94067"}           # row b, every formula in it
    records = read_csv(export(b, "csv", params).content)
    assert len(records) == 2
    fields = records[1]
    for formula in FORMULAS:
        assert "'" + formula in fields, formula
        assert formula not in fields
    # the foreign phone number too (it starts with +)
    assert "'+442071234567" in fields

    wb, sheets = read_xlsx(export(b, "xlsx", params).content, tmp_path / "f.xlsx")
    cells = sheets[0][1][1]
    for formula in FORMULAS:
        cell = next(c for c in cells if c.value == formula)
        assert cell.data_type == "s", formula             # a string, never a formula
    sheet_xml = zipfile.ZipFile(tmp_path / "f.xlsx").read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml

    z, root, ods = read_ods(export(b, "ods", params).content, tmp_path / "f.ods")
    for formula in FORMULAS:
        assert formula in ods[0][1][1], formula
    assert b"table:formula" not in z.read("content.xml")


def test_filters_are_the_lists(stack, login_as, rows):
    b = login_as("responsable")
    cases = [({"q": MARK, "statut": ["transmise", "nouvelle"]},
              "i.status IN ('transmise', 'nouvelle')"),
             ({"q": MARK, "commune": "94080"}, "i.commune_code = '94080'"),
             ({"q": MARK, "du": "01/01/2002", "au": "31/12/2002"},
              "i.received_at >= '2002-01-01' AND i.received_at < '2003-01-01'"),
             ({"q": MARK, "equipe": "exploitation", "origine": "accueil"},
              "i.team_code = 'exploitation' AND i.origin_code = 'accueil'")]
    for params, where in cases:
        got = [rec[0] for rec in read_csv(export(b, "csv", params).content)[1:]]
        want = [w[0] for w in expected(stack, mine(where))]
        assert want, params
        assert got == want, params
    # the sort and the page of the list do not cut or reorder an export
    got = [rec[0] for rec in read_csv(export(b, "csv", {"q": MARK, "tri": "nom", "ordre": "asc",
                                                        "par_page": "25", "page": "1"}).content)[1:]]
    assert got == [w[0] for w in expected(stack, mine())]


def test_the_list_page_offers_the_three_exports_of_its_filters(stack, login_as, rows):
    """The links carry the list's filters, not its page, size or sort; following them
    gives the same rows as the page's filters; a list with no row offers none."""
    b = login_as("responsable")
    page = b.get(f"/?q={MARK}&commune=94080&tri=nom&ordre=asc&par_page=50&page=1").text
    links = {}
    for label in ("Exporter en CSV", "Exporter en XLSX (Excel)", "Exporter en ODS (LibreOffice)"):
        m = re.search(r'<a href="([^"]+)">' + re.escape(label) + "</a>", page)
        assert m, label
        links[label] = html_lib.unescape(m.group(1))
    assert links["Exporter en CSV"] == f"{MOUNT}/export.csv?q={MARK}&commune=94080"
    assert links["Exporter en XLSX (Excel)"] == f"{MOUNT}/export.xlsx?q={MARK}&commune=94080"
    assert links["Exporter en ODS (LibreOffice)"] == f"{MOUNT}/export.ods?q={MARK}&commune=94080"
    got = [rec[0] for rec in read_csv(b.get(links["Exporter en CSV"][len(MOUNT):]).content)[1:]]
    assert got and got == [w[0] for w in expected(stack, mine("i.commune_code = '94080'"))]
    empty = b.get("/?q=aucunedemandenecontientcetexte").text
    assert "Exporter en CSV" not in empty


def test_a_lecteur_exports_only_his_communes(stack, login_as, rows, tmp_path):
    b = login_as("lecteur")
    want = expected(stack, mine("i.commune_code IN ('94080', '94067')"))
    assert len(want) == 3
    got = read_csv(export(b, "csv", {"q": MARK}).content)[1:]
    assert got == [csv_expected(w) for w in want]
    assert {rec[HEADERS.index("Ville")] for rec in got} == {"Vincennes", "Saint-Mandé"}
    _, sheets = read_xlsx(export(b, "xlsx", {"q": MARK}).content, tmp_path / "l.xlsx")
    assert len(sheets[0][1]) == 1 + len(want)
    _, _, ods = read_ods(export(b, "ods", {"q": MARK}).content, tmp_path / "l.ods")
    assert len(ods[0][1]) == 1 + len(want)
    # asking for a commune outside his perimeter gives nothing, not that commune
    assert len(read_csv(export(b, "csv", {"q": MARK, "commune": "94015"}).content)) == 1


def test_an_intervenant_exports_his_team_and_his_own(stack, login_as, rows):
    b = login_as("intervenant")
    want = expected(stack, mine("i.team_code = 'petits_travaux' OR i.assigned_agent = 'intervenant'"))
    assert len(want) == 2
    assert read_csv(export(b, "csv", {"q": MARK}).content)[1:] == [csv_expected(w) for w in want]


def last_audit(stack):
    line = stack.psql("SELECT id || '|' || login || '|' || action || '|' || detail FROM audit "
                      "ORDER BY id DESC LIMIT 1")
    return line.split("|", 3)


def test_every_export_is_in_the_audit(stack, login_as, rows):
    b = login_as("responsable")
    for fmt in ("csv", "xlsx", "ods"):
        before = int(last_audit(stack)[0])
        assert export(b, fmt, {"q": MARK, "commune": "94080"}).status_code == 200
        audit_id, login, action, detail = last_audit(stack)
        assert int(audit_id) > before
        assert (login, action) == ("responsable", "export")
        assert detail == f"{fmt} lignes=2 filtres=q={MARK}&commune=94080"
    b = login_as("lecteur")
    export(b, "csv", {"q": MARK})
    assert last_audit(stack)[1:] == ["lecteur", "export", f"csv lignes=3 filtres=q={MARK}"]


def test_a_head_request_reads_nothing(stack, login_as, rows):
    b = login_as("responsable")
    before = last_audit(stack)[0]
    r = b.http.head(b.base + "/export.csv?q=" + MARK, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert last_audit(stack)[0] == before


def test_a_bad_filter_is_refused_in_french(stack, login_as, rows):
    b = login_as("responsable")
    before = last_audit(stack)[0]
    for fmt in ("csv", "xlsx", "ods"):
        r = export(b, fmt, {"q": MARK, "commune": "99999"})
        assert r.status_code == 422
        assert r.headers["Content-Type"].startswith("text/html")
        page = text_of(r.text)
        assert "Export non réalisé : 1 filtre(s) à corriger" in page
        assert f"Le fichier {fmt.upper()} n'a pas été produit" in page
        assert "Ville : ville inconnue ; choisissez-la dans la liste." in page
        assert f'href="{MOUNT}/?q={MARK}&amp;commune=99999"' in r.text
    r = export(b, "csv", {"du": "31/02/2002", "au": "01/01/2001"})
    assert r.status_code == 422
    page = text_of(r.text)
    assert "Date reçue du : date invalide" in page
    assert last_audit(stack)[0] == before                  # nothing was read
    # paging and sort errors change nothing in a file: not refused
    assert export(b, "csv", {"q": MARK, "page": "x", "tri": "nimporte"}).status_code == 200


def test_anonymous_goes_to_the_login_form(stack):
    for fmt in ("csv", "xlsx", "ods"):
        r = requests.get(stack.url() + f"/export.{fmt}", allow_redirects=False, timeout=30)
        assert r.status_code in (302, 303)
        assert "/connexion" in r.headers["Location"]


def test_twenty_thousand_rows_quickly(stack, login_as, bulk, tmp_path):
    b = login_as("responsable")
    limit = 40 if stack.env.get("IV_SANITIZE") == "1" else 10
    for fmt in ("csv", "xlsx", "ods"):
        start = time.monotonic()
        r = export(b, fmt, BULK_FILTER, timeout=120)
        elapsed = time.monotonic() - start
        assert r.status_code == 200
        assert elapsed < limit, f"{fmt}: {elapsed:.1f} s"
        # CSV and ODS are streamed as they are written, XLSX sent once complete
        if fmt == "xlsx":
            assert int(r.headers["Content-Length"]) == len(r.content)
        else:
            assert r.headers["Transfer-Encoding"] == "chunked"
        if fmt == "csv":
            records = read_csv(r.content)
            assert len(records) == 1 + BULK_ROWS
            assert records[1][0] == f"1999 / {BULK_ROWS}"    # most recent first
            assert records[-1][0] == "1999 / 1"
            assert records[1][HEADERS.index("Commentaire intervention")] == \
                f'Commentaire « {BULK_ROWS} » ; avec "guillemets" ' + bulk_hashes(BULK_ROWS)
        elif fmt == "xlsx":
            (tmp_path / "big.xlsx").write_bytes(r.content)
            ws = openpyxl.load_workbook(tmp_path / "big.xlsx", read_only=True).active
            numbers = [row[0] for row in ws.iter_rows(min_col=1, max_col=1, values_only=True)]
            assert len(numbers) == 1 + BULK_ROWS and numbers[-1] == "1999 / 1"
        else:
            (tmp_path / "big.ods").write_bytes(r.content)
            content = zipfile.ZipFile(tmp_path / "big.ods").read("content.xml")
            assert content.count(b"<table:table-row>") == 1 + BULK_ROWS
    assert last_audit(stack)[3] == "ods lignes=20000 filtres=du=01%2F01%2F1999&au=31%2F12%2F1999"


def raw_get(stack, b, path, rcvbuf=4096):
    """A GET on a socket with a small receive buffer: the server soon waits for us."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(60)
    s.connect(("127.0.0.1", stack.ports["main"]))
    cookie = "; ".join(f"{c.name}={c.value}" for c in b.http.cookies)
    s.sendall(f"GET {MOUNT}{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n".encode())
    return s


def test_a_client_that_leaves_is_recorded_as_interrupted(stack, login_as, bulk):
    b = login_as("responsable")
    s = raw_get(stack, b, "/export.csv?" + urlencode(BULK_FILTER))
    assert b" 200 OK" in s.recv(1024)
    time.sleep(0.5)                              # the server fills the buffers and waits
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close()                                    # reset: the server's next write fails
    for _ in range(100):
        login, action, detail = last_audit(stack)[1:]
        if detail.startswith("csv lignes=") and "interrompu" in detail:
            break
        time.sleep(0.1)
    assert (login, action) == ("responsable", "export")
    assert re.fullmatch(r"csv lignes=\d+ filtres=du=01%2F01%2F1999&au=31%2F12%2F1999 interrompu",
                        detail)
    assert int(detail.split()[1].split("=")[1]) < BULK_ROWS


def dechunk(response):
    """The body of a chunked response, and whether its last chunk came."""
    body = b""
    rest = response.split(b"\r\n\r\n", 1)[1]
    while True:
        line, sep, after = rest.partition(b"\r\n")
        if not sep:
            return body, False
        size = int(line.split(b";")[0], 16)
        if size == 0:
            return body, True
        if len(after) < size + 2:
            return body + after[:size], False
        body += after[:size]
        rest = after[size + 2:]


@pytest.mark.parametrize("fmt", ["csv", "ods"])
def test_a_database_failure_midway_cuts_the_download_short(stack, login_as, bulk, fmt):
    b = login_as("responsable")
    start = stack.log_size()
    s = raw_get(stack, b, f"/export.{fmt}?" + urlencode(BULK_FILTER))
    first = s.recv(1024)
    assert b" 200 OK" in first and b"chunked" in first.lower()
    time.sleep(0.5)
    stack.pg_ctl("stop")
    try:
        data = first
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        # no last chunk: the client knows the file is incomplete
        body, complete = dechunk(data)
        assert not complete and len(body) > 1000
        log = stack.log_since(start)
        assert "IV01701: export FETCH failed" in log
        rows = re.search(rf"IV01702: {fmt} export stopped after (\d+) rows", log)
        assert rows and 0 < int(rows.group(1)) < BULK_ROWS
    finally:
        stack.pg_ctl("start")
    # and the next export works again
    assert export(b, "csv", {"q": "personne-ne-trouve-ceci"}).status_code == 200
