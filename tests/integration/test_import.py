"""The legacy import (tools/interventions-import) against the test stack's database:
generated dirty files of known dirt (tools/generate-legacy and its manifest), each
cleaning rule, each rejection reason, both kinds of duplicates, number conflicts,
encodings and separators, a re-run that imports nothing new, a failure at every step
that leaves the database as it was, the consistency check (and that it can fail), the
bulk mode's rebuilt indexes, dry runs, --create-missing, --mapping, an Access file
through mdb-export, and the admin/imports pages.

Legacy years here are 1980-1999, which no other test uses (generated files: 1990-1999;
rows written by hand: one year of the 1980s each); everything the imports add is
removed at the end of the module.
"""
import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import MODULE, ROOT, text_of

TOOL = Path(MODULE).resolve().parents[1] / "interventions-import"
GENERATOR = ROOT / "tools" / "generate-legacy"
YEARS = "1990-1999"
HEADER = ("N°;Année;Origine;Date reçue;Nature demandeur;Titre;Nom demandeur;Adresse;Ville;"
          "Téléphone;Courriel;Complément adresse;Objet;Complément objet;Transmise à;"
          "Date transmission;Début intervention;Fin intervention;Commentaire;Réalisée par;"
          "Clôturée par")


# ---------------------------------------------------------------- helpers

def conninfo(stack):
    return (f"host={stack.var / 'pg/run'} port={stack.ports['pg']} dbname=interventions "
            "user=interventions")


def run_import(stack, source, *args, env=None, report_dir=None):
    report_dir = report_dir or source.parent
    e = {k: v for k, v in os.environ.items() if not k.startswith("IV_IMPORT_")}
    e.update(env or {})
    return subprocess.run([str(TOOL), "--db", conninfo(stack), "--report", str(report_dir),
                           "--user", "test-import", *args, str(source)],
                          capture_output=True, text=True, timeout=300, env=e)


def generate(path, n, *args, seed=3):
    manifest = path.with_suffix(".json")
    out = subprocess.run([str(GENERATOR), "--seed", str(seed), "--years", YEARS,
                          "--manifest", str(manifest), *args, str(n), str(path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(manifest.read_text(encoding="utf-8"))


def summary_counts(stdout):
    """The summary line "lues N, importées N, …" as a dict."""
    line = next(l for l in stdout.splitlines() if re.match(r"(\[essai\] )?lues ", l))
    return {name: int(num) for name, num in re.findall(
        r"(lues|importées|corrigées|doublons|rejetées|déjà importées) (\d+)", line)}


def records(path, encoding="utf-8"):
    """The source's records as the import numbers them (0 is the header)."""
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def report_of(stdout):
    path = re.search(r"^rapport : (.+) \((\d+) lignes\)$", stdout, re.M).group(1)
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["ligne", "champ", "valeur d'origine", "valeur importée", "traitement",
                       "motif"]
    return rows[1:]


def notes_by_row(report):
    out = {}
    for line, field, original, value, action, reason in report:
        out.setdefault(int(line), []).append((field, original, value, action, reason))
    return out


def db_state(stack):
    """Everything an import may write, to compare before and after a failed one."""
    return stack.psql(
        "SELECT (SELECT count(*) FROM interventions) || '/' || "
        "(SELECT count(*) FROM intervention_history) || '/' || "
        "(SELECT coalesce(string_agg(year || ':' || last_number, ',' ORDER BY year), '') "
        "   FROM year_counters) || '/' || (SELECT count(*) FROM imports) || '/' || "
        "(SELECT count(*) FROM import_reasons) || '/' || (SELECT count(*) FROM import_mappings)"
        " || '/' || (SELECT count(*) FROM communes) || '/' || (SELECT count(*) FROM objects)"
        " || '/' || (SELECT count(*) FROM pg_trigger WHERE tgname = 'interventions_search'"
        "   AND tgenabled = 'O') || '/' || (SELECT count(*) FROM pg_class"
        "   WHERE relname LIKE 'imp\\_%' AND relpersistence <> 't')"
        " || '/' || (SELECT last_value FROM interventions_id_seq)")


def schema(stack):
    return stack.psql(
        "SELECT string_agg(d, E'\\n' ORDER BY d) FROM ("
        " SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index"
        "  WHERE indrelid IN ('interventions'::regclass, 'intervention_history'::regclass)"
        " UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated"
        "  FROM pg_constraint WHERE conrelid IN ('interventions'::regclass,"
        "   'intervention_history'::regclass) OR confrelid = 'interventions'::regclass"
        " UNION ALL SELECT tgname || ' enabled=' || tgenabled::text FROM pg_trigger"
        "  WHERE tgrelid = 'interventions'::regclass AND NOT tgisinternal) s")


def request_of(stack, row, manifest_file_key):
    """The imported request of a source row (by its history line)."""
    return stack.psql(
        "SELECT i.year || '|' || i.number || '|' || i.status || '|' || coalesce(i.title_code, '')"
        " || '|' || i.requester_name || '|' || i.commune_code || '|' || i.phone || '|' || i.email"
        " || '|' || to_char(i.received_at, 'YYYY-MM-DD HH24:MI') || '|' || i.origin_code || '|'"
        " || i.object_code || '|' || coalesce(i.team_code, '') || '|' || i.address"
        " || '|' || i.object_complement || '|' || i.comment"
        " FROM interventions i JOIN intervention_history h ON h.intervention_id = i.id"
        f" WHERE h.kind = 'import' AND h.reason = 'importée depuis Access (ligne {row})'"
        f" AND h.new_value LIKE '{manifest_file_key} (import n° %'")


FIELDS = ("year", "number", "status", "title", "name", "commune", "phone", "email", "received",
          "origin", "object", "team", "address", "object_complement", "comment")


def request(stack, row, source):
    out = request_of(stack, row, source)
    assert out, f"row {row} of {source} was not imported"
    return dict(zip(FIELDS, out.split("|", len(FIELDS) - 1)))


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module", autouse=True)
def cleanup(stack):
    """Leaves the stack as the other modules expect it: nothing of the imports."""
    assert TOOL.exists(), f"{TOOL} is missing: make"
    before_objects = stack.psql("SELECT string_agg(code, ',') FROM objects")
    before_communes = stack.psql("SELECT string_agg(code, ',') FROM communes")
    yield
    stack.psql("DELETE FROM intervention_history WHERE intervention_id IN "
               "(SELECT id FROM interventions WHERE legacy_key IS NOT NULL)")
    stack.psql("DELETE FROM interventions WHERE legacy_key IS NOT NULL")
    stack.psql("DELETE FROM year_counters WHERE year BETWEEN 1980 AND 1999")
    stack.psql("DELETE FROM import_reasons")
    stack.psql("DELETE FROM imports")
    stack.psql("DELETE FROM import_mappings WHERE created_by <> 'migration'")
    keep_objects = "','".join(before_objects.split(","))
    stack.psql(f"DELETE FROM objects WHERE code NOT IN ('{keep_objects}')")
    keep_communes = "','".join(before_communes.split(","))
    stack.psql(f"DELETE FROM communes WHERE code NOT IN ('{keep_communes}') AND NOT EXISTS "
               "(SELECT 1 FROM interventions i WHERE i.commune_code = communes.code)")


@pytest.fixture(scope="module")
def first_import(stack, tmp_path_factory):
    """A 1,200-row file of every kind of dirt, imported once."""
    d = tmp_path_factory.mktemp("legacy")
    path = d / "legacy-utf8.csv"
    manifest = generate(path, 1200)
    before = schema(stack)
    out = run_import(stack, path)
    assert out.returncode == 0, out.stdout + out.stderr
    return {"path": path, "manifest": manifest, "out": out.stdout, "report": report_of(out.stdout),
            "schema": before}


# ---------------------------------------------------------------- the first import

def test_summary_matches_the_known_dirt(first_import):
    counts = summary_counts(first_import["out"])
    expected = first_import["manifest"]["expected"]
    assert counts["lues"] == expected["read"] == 1200
    assert counts["rejetées"] == expected["rejected"] > 0
    assert counts["doublons"] == expected["duplicates"] > 0
    assert counts["importées"] == expected["imported"]
    assert counts["corrigées"] == expected["corrected"]
    assert "Import n° " in first_import["out"] and "(CSV, UTF-8, séparateur « ; »)" in first_import["out"]
    # the reasons are counted, and the status rule is written down
    assert "  rejets :" in first_import["out"] and "  doublons :" in first_import["out"]
    assert "déduits des dates : clôturée si « Clôturée par » est rempli" in first_import["out"]


def test_every_row_is_imported_or_reported(stack, first_import):
    """Nothing lost silently: each source row is in the database or in the report."""
    m = first_import["manifest"]
    notes = notes_by_row(first_import["report"])
    imported = set(int(x) for x in stack.psql(
        "SELECT substring(reason from 'ligne ([0-9]+)') FROM intervention_history "
        f"WHERE kind = 'import' AND new_value LIKE '{first_import['path'].name} (import n° %'"
    ).split())
    for row in range(1, m["rows"] + 1):
        assert row in imported or row in notes, f"row {row} neither imported nor reported"
        if row in imported:
            assert not any(n[3] in ("rejet", "doublon") for n in notes.get(row, [])), row
    rejected = {r for r, ns in notes.items() if any(n[3] == "rejet" for n in ns)}
    duplicates = {r for r, ns in notes.items() if any(n[3] == "doublon" for n in ns)}
    assert len(imported) == m["expected"]["imported"]
    assert len(rejected) == m["expected"]["rejected"]
    assert len(duplicates) == m["expected"]["duplicates"]


REJECTIONS = {
    "missing_object": ("Objet", "champ obligatoire vide"),
    "missing_date": ("Date reçue", "champ obligatoire vide"),
    "missing_address": ("Adresse", "champ obligatoire vide"),
    "missing_commune": ("Ville", "champ obligatoire vide"),
    "missing_name": ("Nom demandeur", "champ obligatoire vide (le demandeur n'est pas une institution)"),
    "unreadable_date": ("Date reçue", "date illisible"),
    "future_date": ("Date reçue", "date invraisemblable (avant 1980 ou après aujourd'hui)"),
    "unknown_object": ("Objet", "valeur inconnue (à ajouter à la table de correspondance, ou --create-missing)"),
    "unknown_commune": ("Ville", "commune inconnue (à ajouter à la table de correspondance)"),
    "shifted_columns": ("ligne", "22 colonnes au lieu de 21 (séparateur dans un champ ?)"),
}


@pytest.mark.parametrize("kind", sorted(REJECTIONS))
def test_each_rejection_reason(first_import, kind):
    rows = first_import["manifest"]["kinds"].get(kind, [])
    assert rows, f"the generator placed no {kind}"
    notes = notes_by_row(first_import["report"])
    field, reason = REJECTIONS[kind]
    for row in rows:
        assert (field, "rejet", reason) in [(n[0], n[3], n[4]) for n in notes[row]], (row, notes[row])
    assert f"{field} : {reason} : " in first_import["out"]


def test_both_kinds_of_duplicates_name_the_kept_request(stack, first_import):
    m, notes = first_import["manifest"], notes_by_row(first_import["report"])
    source = first_import["path"].name
    for kind, reason in (("duplicate_exact", "doublon exact"), ("duplicate_near", "doublon proche")):
        rows = m["kinds"][kind]
        assert rows
        for row in rows:
            (note,) = [n for n in notes[row] if n[3] == "doublon"]
            assert note[4].startswith(reason), note
            # the copy follows its original, which was imported with the number given
            kept_row = int(re.search(r"\(ligne (\d+)\)", note[2]).group(1))
            assert kept_row < row
            kept = request(stack, kept_row, source)
            assert note[2] == f"N° {kept['year']} / {kept['number']} (ligne {kept_row})"


CORRECTIONS = {
    "name_lowercase": ("Nom demandeur", "nom de famille en capitales, prénom en minuscules"),
    "name_uppercase": ("Nom demandeur", "nom de famille en capitales, prénom en minuscules"),
    "title_long": ("Titre", "titre écrit sous sa forme courte"),
    "title_mlle": ("Titre", "Mademoiselle remplacé par Mme (usage de l'administration)"),
    "title_in_name": ("Titre", "titre trouvé au début du nom"),
    "title_unknown": ("Titre", "titre inconnu, reporté en commentaire"),
    "phone_dots": ("Téléphone", "téléphone mis au format"),
    "phone_international": ("Téléphone", "téléphone mis au format"),
    "phone_lost_zero": ("Téléphone", "zéro initial ajouté (perdu par un tableur)"),
    "phone_with_text": ("Téléphone", "texte autour du numéro reporté en commentaire"),
    "phone_invalid": ("Téléphone", "téléphone illisible, reporté en commentaire"),
    "phone_two": ("Téléphone", "deux numéros : le second est reporté en commentaire"),
    "email_uppercase": ("Courriel", "courriel en minuscules"),
    "email_invalid": ("Courriel", "courriel invalide, reporté en commentaire"),
    "date_two_digit_year": ("Date reçue", "année écrite sur deux chiffres"),
    "date_excel_serial": ("Date reçue", "numéro de série Excel converti en date"),
    "transmission_before_reception": ("Date transmission", "heure antérieure à la réception le même jour : alignée sur la réception"),
    "year_two_digits": ("Année", "année écrite sur deux chiffres"),
    "commune_abbreviation": ("Ville", None),
    "commune_no_accents": ("Ville", None),
    "commune_misspelt": ("Ville", "commune rapprochée par similarité"),
    "commune_postcode": ("Ville", "écriture de la liste de référence"),
    "origin_variant": ("Origine", "valeur reconnue par la table de correspondance"),
    "object_variant": ("Objet", None),
    "team_unknown": ("Transmise à", "valeur inconnue, reportée en commentaire"),
    "agent_unknown": ("Réalisée par", "valeur inconnue, reportée en commentaire"),
    "number_missing": ("N°", "numéro absent : numéro suivant de l'année attribué"),
    "number_unreadable": ("N°", "numéro illisible : numéro suivant de l'année attribué"),
    "number_taken_in_file": ("N°", "numéro déjà pris par une autre ligne du fichier : numéro suivant de l'année attribué"),
}


@pytest.mark.parametrize("kind", sorted(CORRECTIONS))
def test_each_cleaning_rule_is_reported(first_import, kind):
    rows = first_import["manifest"]["kinds"].get(kind, [])
    if not rows:
        pytest.skip(f"no {kind} in this file")
    notes = notes_by_row(first_import["report"])
    field, reason = CORRECTIONS[kind]
    for row in rows:
        mine = [n for n in notes.get(row, []) if n[0] == field]
        assert mine and all(n[3] in ("correction", "report en commentaire", "renumérotation")
                            for n in mine), (row, notes.get(row))
        if reason:
            assert reason in [n[4] for n in mine], (row, mine)


def test_cleaned_values_in_the_database(stack, first_import):
    m, source = first_import["manifest"], first_import["path"].name
    cells = records(first_import["path"])

    def req(kind, pick=lambda src: True):
        row = next(r for r in m["kinds"][kind] if pick(cells[r]))
        return cells[row], request(stack, row, source)

    src, r = req("name_lowercase", lambda s: len(s[6].split()) == 2 and "'" not in s[6])
    surname, first = src[6].split()
    assert r["name"] == f"{surname.upper()} {first.capitalize()}"
    src, r = req("name_uppercase", lambda s: len(s[6].split()) == 2)
    assert r["name"] == f"{src[6].split()[0]} {src[6].split()[1].capitalize()}"
    src, r = req("title_long")
    assert (src[5], r["title"]) in (("Monsieur", "m"), ("Madame", "mme"))
    src, r = req("title_mlle")
    assert r["title"] == "mme"
    src, r = req("title_in_name")
    assert r["title"] in ("m", "mme") and not r["name"].startswith(("M. ", "Mme "))
    src, r = req("phone_dots")
    assert r["phone"] == src[9].replace(".", "") and re.fullmatch(r"0\d{9}", r["phone"])
    src, r = req("phone_international")
    assert r["phone"] == "0" + src[9][4:].replace(" ", "")
    src, r = req("phone_lost_zero")
    assert r["phone"] == "0" + src[9]
    src, r = req("phone_invalid")
    assert r["phone"] == "" and f"[Reprise Access] Téléphone : {src[9]}" in r["comment"]
    src, r = req("phone_two")
    assert r["phone"] == src[9][:14].replace(" ", "")
    assert f"[Reprise Access] Téléphone : {src[9]}" in r["comment"]
    src, r = req("email_uppercase")
    assert r["email"] == src[10].lower()
    src, r = req("date_iso")
    assert r["received"].startswith(src[3][:10])
    src, r = req("date_no_time")
    d, mo, y = src[3].split("/")
    assert r["received"] == f"{y}-{mo}-{d} 00:00"
    src, r = req("date_two_digit_year")
    d, mo, y = src[3].split("-")
    assert r["received"] == f"19{y}-{mo}-{d} 00:00"
    src, r = req("date_seconds")
    assert r["received"] == f"{src[3][6:10]}-{src[3][3:5]}-{src[3][:2]} {src[3][11:16]}"
    src, r = req("date_excel_serial")
    assert r["received"][:4] in [str(y) for y in range(1990, 2000)]
    src, r = req("commune_misspelt")
    assert r["commune"] in ("94080", "94018", "94017")
    src, r = req("commune_postcode")
    assert r["commune"] == "94080"
    src, r = req("commune_no_accents", lambda s: s[8] == "SAINT MAUR DES FOSSES")
    assert r["commune"] == "94068"
    src, r = req("origin_variant")
    assert r["origin"] in ("telephone", "courriel")
    src, r = req("object_variant")
    assert r["object"] == {"Branchement bouché": "obstruction_branchement",
                           "mauvaises odeurs": "odeurs", "Avaloir obstrué": "avaloir_bouche"}[src[12]]
    src, r = req("team_unknown")
    assert r["team"] == "" and "[Reprise Access] Transmise à : Équipe de nuit" in r["comment"]
    src, r = req("spaces")
    assert r["name"] == " ".join(src[6].split()) and r["address"] == " ".join(src[7].split())


def test_st_maur_is_saint_maur_des_fosses(stack, first_import):
    m, source = first_import["manifest"], first_import["path"].name
    cells = records(first_import["path"])
    found = 0
    for row in m["kinds"].get("commune_abbreviation", []):
        if cells[row][8] == "ST MAUR":
            assert request(stack, row, source)["commune"] == "94068"
            found += 1
    assert found, "no ST MAUR in the file"


def test_outside_communes_are_kept_and_flagged(stack, first_import):
    m, notes = first_import["manifest"], notes_by_row(first_import["report"])
    rows = m["kinds"]["commune_outside"]
    assert rows
    for row in rows:
        assert ("Ville", "signalement", "commune hors territoire") in \
            [(n[0], n[3], n[4]) for n in notes[row]]
        code = request(stack, row, first_import["path"].name)["commune"]
        assert stack.psql(f"SELECT in_territory FROM communes WHERE code = '{code}'") == "f"


def test_statuses_follow_the_dates(stack, first_import):
    all_cells = records(first_import["path"])
    source = first_import["path"].name
    seen = set()
    for row in range(1, 300):
        cells = all_cells[row]
        if len(cells) != 21:
            continue
        out = request_of(stack, row, source)
        if not out:
            continue
        status = out.split("|")[2]
        expected = ("cloturee" if cells[20] else "realisee" if cells[17] or cells[19]
                    else "en_cours" if cells[16] else "transmise" if cells[14] or cells[15]
                    else "nouvelle")
        assert status == expected, (row, cells, status)
        seen.add(status)
    assert {"cloturee", "transmise", "nouvelle"} <= seen


def test_history_and_counters(stack, first_import):
    source = first_import["path"].name
    assert stack.psql("SELECT count(*) FROM intervention_history h JOIN interventions i"
                      " ON i.id = h.intervention_id WHERE h.kind = 'import'"
                      f" AND h.new_value LIKE '{source} (import n° %'"
                      " AND h.login = 'test-import' AND i.legacy_key LIKE 'access:%'") == \
        str(first_import["manifest"]["expected"]["imported"])
    # the yearly counters end above every imported number
    assert stack.psql("SELECT count(*) FROM interventions i JOIN year_counters c USING (year)"
                      " WHERE i.legacy_key IS NOT NULL AND i.number > c.last_number") == "0"
    assert stack.psql("SELECT count(*) FROM interventions WHERE legacy_key IS NOT NULL"
                      " AND year NOT BETWEEN 1990 AND 1999") == "0"


def test_request_page_shows_where_it_came_from(stack, login_as, first_import):
    source = first_import["path"].name
    rid, row = stack.psql(
        "SELECT i.id || '|' || substring(h.reason FROM 'ligne (\\d+)') FROM interventions i"
        " JOIN intervention_history h ON h.intervention_id = i.id WHERE h.kind = 'import'"
        f" AND h.new_value LIKE '{source} (import n° %' ORDER BY i.id LIMIT 1").split("|")
    run_id = re.search(r"^Import n° (\d+)", first_import["out"], re.M).group(1)
    text = text_of(login_as("admin").get(f"/{rid}").text)
    assert re.search(rf"Reprise Access \(test-import\)\s*: importée depuis Access \(ligne {row}\),"
                     rf" fichier {re.escape(source)} \(import n° {run_id}\)", text), text
    assert "Motif" not in text.split("Historique")[1]


def test_consistency_check_is_printed_side_by_side(first_import):
    out = first_import["out"]
    assert "Contrôle par année (source − rejetées − doublons = attendues) :" in out
    assert "Contrôle par commune :" in out
    year_lines = [l for l in out.splitlines() if re.match(r"\s+199\d\s", l)]
    assert len(year_lines) == 10
    for line in year_lines:
        src, rej, dup, expected, found = map(int, line.split()[1:6])
        assert src - rej - dup == expected == found and line.endswith("ok"), line
    assert "DIFFÉRENT" not in out


def test_rerun_imports_nothing_new(stack, first_import):
    before = stack.psql("SELECT count(*) FROM interventions")
    out = run_import(stack, first_import["path"])
    assert out.returncode == 0, out.stderr
    counts = summary_counts(out.stdout)
    expected = first_import["manifest"]["expected"]
    assert counts["importées"] == 0 and counts["déjà importées"] == expected["imported"]
    assert "rien de nouveau" in out.stdout
    assert stack.psql("SELECT count(*) FROM interventions") == before
    # the rows of the earlier run are not reported again; rejects and duplicates are
    reported = {int(r[0]) for r in report_of(out.stdout)}
    assert len(reported) == expected["rejected"] + expected["duplicates"]


def test_bulk_mode_rebuilds_what_it_set_aside(stack, first_import, tmp_path):
    path = tmp_path / "bulk.csv"
    m = generate(path, 400, seed=11)
    out = run_import(stack, path, "--index-mode", "rebuild")
    assert out.returncode == 0, out.stderr
    assert "index et contraintes reconstruits" in out.stdout
    assert summary_counts(out.stdout)["importées"] == m["expected"]["imported"]
    assert schema(stack) == first_import["schema"]
    # the vectors computed in parallel beforehand are the ones the trigger gives
    assert stack.psql("SELECT count(*) FROM interventions i JOIN intervention_history h"
                      " ON h.intervention_id = i.id WHERE h.kind = 'import'"
                      f" AND h.new_value LIKE '{path.name} (import n° %'"
                      " AND i.search = iv_search_vector(i.requester_name, i.address,"
                      " i.address_complement, i.object_complement, i.comment)"
                      " AND i.search <> ''::tsvector") == str(m["expected"]["imported"])
    assert stack.psql("SELECT count(*) FROM pg_class WHERE relname LIKE 'imp\\_%'"
                      " AND relpersistence <> 't'") == "0"


# ---------------------------------------------------------------- encodings, separators

@pytest.mark.parametrize("encoding,separator,name", [
    ("cp1252", ";", "Windows-1252"), ("cp1252", ",", "Windows-1252"),
    ("utf-8", ",", "UTF-8"), ("utf-8-sig", ";", "UTF-8 (BOM)"),
])
def test_encodings_and_separators(stack, tmp_path, encoding, separator, name):
    path = tmp_path / f"legacy-{encoding}.csv"
    m = generate(path, 150, "--encoding", encoding, "--separator", separator,
                 seed=20 + len(encoding) + ord(separator))
    out = run_import(stack, path, "--dry-run")
    assert out.returncode == 0, out.stderr
    assert f"(CSV, {name}, séparateur « {separator} »)" in out.stdout
    counts = summary_counts(out.stdout)
    assert counts["lues"] == 150
    assert counts["rejetées"] == m["expected"]["rejected"]
    assert counts["doublons"] == m["expected"]["duplicates"]
    assert counts["importées"] + counts.get("déjà importées", 0) == m["expected"]["imported"]
    # accents read right: no mojibake reached the report
    report = path.parent.joinpath(re.search(r"^rapport : .*/(import-\d+-rapport\.csv)",
                                            out.stdout, re.M).group(1)).read_text("utf-8-sig")
    assert "Ã" not in report and "\ufffd" not in report


def test_windows_1252_text_is_stored_in_utf8(stack, tmp_path):
    path = tmp_path / "accents.csv"
    row = ("1;1981;Téléphone;05/03/1981 10:00;Particulier;Mme;LEFÈVRE Hélène;3 rue de l'Église;"
           "Créteil;;;;Odeurs;Odeur d'œuf pourri « gênante »;;;;;Noël : rien à signaler;;")
    assert len(row.split(";")) == 21
    path.write_bytes((HEADER + "\r\n" + row + "\r\n").encode("cp1252"))
    out = run_import(stack, path)
    assert out.returncode == 0, out.stderr
    assert "Windows-1252" in out.stdout
    r = request(stack, 1, path.name)
    assert r["name"] == "LEFÈVRE Hélène" and r["address"] == "3 rue de l'Église"
    assert r["object_complement"] == "Odeur d'œuf pourri « gênante »"
    assert r["comment"] == "Noël : rien à signaler"


def test_quoted_fields_with_separators_and_line_breaks(stack, tmp_path):
    path = tmp_path / "quoted.csv"
    row = ('2;1982;Téléphone;06/04/1982 09:30;Particulier;M.;"DURAND; Paul";"4, rue ""du"" Puits";'
           'Vincennes;01 43 00 00 00;;;Curage;;;;;;"Ligne 1\r\nLigne 2 ; fin";;')
    path.write_text(HEADER + "\r\n" + row + "\r\n", encoding="utf-8")
    out = run_import(stack, path)
    assert out.returncode == 0, out.stderr
    assert summary_counts(out.stdout)["importées"] == 1
    r = request(stack, 1, path.name)
    assert r["name"] == "DURAND; Paul" and r["address"] == '4, rue "du" Puits'
    assert r["comment"] == "Ligne 1\nLigne 2 ; fin"


# ---------------------------------------------------------------- numbers against the database

def test_number_taken_in_the_database_is_renumbered(stack, tmp_path):
    stack.psql("INSERT INTO interventions (year, number, origin_code, received_at, nature_code,"
               " requester_name, address, commune_code, object_code, created_by, updated_by,"
               " legacy_key) VALUES (1983, 7, 'telephone', '1983-01-02 10:00', 'particulier',"
               " 'EXISTANT Jean', '1 rue A', '94080', 'curage', 'test', 'test', 'test:existant')")
    stack.psql("INSERT INTO year_counters VALUES (1983, 7) ON CONFLICT (year) DO UPDATE"
               " SET last_number = greatest(year_counters.last_number, 7)")
    path = tmp_path / "numbers.csv"
    rows = ["7;1983;Téléphone;03/02/1983 10:00;Particulier;M.;NOUVEAU Paul;2 rue B;Vincennes;"
            ";;;Curage;;;;;;;;",
            "8;1983;Téléphone;04/02/1983 10:00;Particulier;M.;AUTRE Paul;3 rue C;Vincennes;"
            ";;;Curage;;;;;;;;",
            "8;1983;Téléphone;05/02/1983 10:00;Particulier;M.;TROISIEME Paul;4 rue D;Vincennes;"
            ";;;Curage;;;;;;;;"]
    assert all(len(r.split(";")) == 21 for r in rows)
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = run_import(stack, path)
    assert out.returncode == 0, out.stderr
    notes = notes_by_row(report_of(out.stdout))
    assert notes[1][0][3:] == ("renumérotation",
                               "numéro déjà utilisé par une demande en base : numéro suivant de "
                               "l'année attribué")
    assert notes[1][0][2] == "N° 1983 / 9"
    assert 2 not in notes                                       # keeps its 8
    assert notes[3][0][2] == "N° 1983 / 10"
    assert notes[3][0][4].startswith("numéro déjà pris par une autre ligne du fichier")
    assert stack.psql("SELECT last_number FROM year_counters WHERE year = 1983") == "10"


# ---------------------------------------------------------------- failures leave nothing

@pytest.mark.parametrize("step", ["stage", "resolve", "dedup", "number", "merge", "check",
                                  "report"])
def test_failure_at_any_step_leaves_the_database_as_it_was(stack, tmp_path, step):
    path = tmp_path / "fail.csv"
    generate(path, 200, "--without", "duplicate_exact", seed=40)
    before = db_state(stack)
    out = run_import(stack, path, "--create-missing", "--index-mode", "rebuild",
                     env={"IV_IMPORT_FAIL_AFTER": step})
    assert out.returncode == 1
    assert f"échec provoqué après l'étape « {step} »" in out.stderr
    assert "import annulé : la base est restée telle qu'elle était" in out.stderr
    after = db_state(stack)
    # the id sequence may have moved (sequences do not roll back): compare the rest
    assert before.rsplit("/", 1)[0] == after.rsplit("/", 1)[0]
    # no report of an import that did not happen
    assert not list(tmp_path.glob("import-*"))


def test_consistency_check_fails_the_import_when_rows_go_missing(stack, tmp_path):
    """A trigger that quietly moves some requests to another commune: the check sees
    the counts differ, and nothing is kept."""
    path = tmp_path / "check.csv"
    generate(path, 100, seed=50)
    stack.psql("CREATE FUNCTION test_move_some() RETURNS trigger LANGUAGE plpgsql AS $$"
               " BEGIN IF NEW.number % 10 = 3 AND NEW.commune_code <> '94080' THEN"
               " NEW.commune_code := '94080'; END IF; RETURN NEW; END $$")
    stack.psql("CREATE TRIGGER test_move_some BEFORE INSERT ON interventions FOR EACH ROW"
               " WHEN (NEW.legacy_key IS NOT NULL) EXECUTE FUNCTION test_move_some()")
    try:
        before = db_state(stack)
        out = run_import(stack, path)
        assert out.returncode == 1
        assert re.search(r"Vincennes .* DIFFÉRENT", out.stderr)
        assert "le contrôle de cohérence a trouvé" in out.stderr
        assert db_state(stack).rsplit("/", 1)[0] == before.rsplit("/", 1)[0]
    finally:
        stack.psql("DROP TRIGGER test_move_some ON interventions")
        stack.psql("DROP FUNCTION test_move_some()")


# ---------------------------------------------------------------- options

def test_dry_run_writes_only_its_record(stack, tmp_path):
    path = tmp_path / "dry.csv"
    m = generate(path, 200, seed=60)
    before = db_state(stack)
    out = run_import(stack, path, "--dry-run", "--create-missing")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Import n° ") and "[essai] lues 200" in out.stdout
    assert "essai (--dry-run) : rien n'a été enregistré" in out.stdout
    assert summary_counts(out.stdout)["importées"] == m["expected"]["imported"] + len(
        m["kinds"].get("unknown_object", []))                 # created, so importable
    after = db_state(stack).split("/")
    b = before.split("/")
    assert after[3] == str(int(b[3]) + 1)                      # one imports row
    assert after[:3] + after[5:8] == b[:3] + b[5:8]             # nothing else
    assert stack.psql("SELECT dry_run FROM imports ORDER BY id DESC LIMIT 1") == "t"
    assert "serait ajoutée (inactive)" in path.parent.joinpath(
        re.search(r"^rapport : .*/(import-\d+-rapport\.csv)", out.stdout, re.M).group(1)
    ).read_text("utf-8-sig")


def test_create_missing_adds_inactive_values_and_their_mappings(stack, tmp_path):
    path = tmp_path / "create.csv"
    row = ("1;1984;Téléphone;05/05/1984 11:00;Particulier;M.;MARTIN Luc;5 rue E;Vincennes;;;;"
           "Débouchage WC;;;;;;;;")
    assert len(row.split(";")) == 21
    path.write_text(HEADER + "\n" + row + "\n", encoding="utf-8")
    out = run_import(stack, path)
    assert out.returncode == 0
    assert summary_counts(out.stdout)["rejetées"] == 1
    out = run_import(stack, path, "--create-missing")
    assert out.returncode == 0, out.stderr
    assert summary_counts(out.stdout)["importées"] == 1
    assert stack.psql("SELECT label || '|' || active FROM objects WHERE code = 'debouchage_wc'") \
        == "Débouchage WC|false"
    assert stack.psql("SELECT code || '|' || created_by FROM import_mappings WHERE list = 'objets'"
                      " AND legacy_value = 'Débouchage WC'") == "debouchage_wc|test-import"
    assert ("Objet", "Débouchage WC", "Débouchage WC", "création",
            "valeur inconnue ajoutée (inactive) à sa liste") in \
        [tuple(r[1:]) for r in report_of(out.stdout)]


def test_unknown_columns_stop_before_anything(stack, tmp_path):
    path = tmp_path / "columns.csv"
    path.write_text(HEADER + ";Observations\n1;1985;Téléphone;01/01/1985;Particulier;M.;A B;"
                    "1 rue;Vincennes;;;;Curage;;;;;;;;;vu\n", encoding="utf-8")
    before = db_state(stack)
    out = run_import(stack, path)
    assert out.returncode == 2
    assert "colonnes inconnues : « Observations »" in out.stderr
    assert db_state(stack) == before
    mapping = tmp_path / "correspondance.txt"
    mapping.write_text("# la colonne de plus\nObservations = Commentaire\nCommentaire = -\n",
                       encoding="utf-8")
    out = run_import(stack, path, "--mapping", str(mapping))
    assert out.returncode == 0, out.stderr
    assert "colonnes ignorées (--mapping) : « Commentaire »" in out.stdout
    assert request(stack, 1, path.name)["comment"] == "vu"


def test_access_file_through_mdb_export(stack, tmp_path):
    """An .mdb is read by mdb-export: programs standing for mdbtools check the arguments
    the tool gives and the choice of the table among several."""
    mdb = tmp_path / "base.mdb"
    mdb.write_bytes(b"\x00\x01\x00\x00Standard Jet DB\x00" + b"\x00" * 100)
    rows = tmp_path / "rows.csv"
    rows.write_text(HEADER + "\n1;1986;Téléphone;1986-03-04 08:15:00;Particulier;Mme;"
                    "\"ROBIN Anne\";\"7 rue F\";\"Saint-Mandé\";;;;\"Curage\";;;;;;;;\n",
                    encoding="utf-8")
    tables = tmp_path / "mdb-tables"
    tables.write_text("#!/bin/sh\nprintf 'MSysObjects_not_listed\\nDemandes\\nParametres\\n' "
                      "| grep -v MSys\n")
    export = tmp_path / "mdb-export"
    export.write_text(f"#!/bin/sh\n[ \"$#\" -eq 10 ] && [ \"${{10}}\" = Demandes ] || exit 3\n"
                      f"cat '{rows}'\n")
    tables.chmod(0o755)
    export.chmod(0o755)
    out = run_import(stack, mdb, env={"IV_MDB_EXPORT": str(export),
                                      "IV_MDB_TABLES": str(tables)})
    assert out.returncode == 0, out.stderr
    assert "(Access, table Demandes)\n" in out.stdout
    r = request(stack, 1, mdb.name)
    assert r["received"] == "1986-03-04 08:15" and r["commune"] == "94067"
    assert stack.psql("SELECT source_format FROM imports ORDER BY id DESC LIMIT 1") == "mdb"
    out = run_import(stack, mdb, "--table", "Nope", env={"IV_MDB_EXPORT": str(export),
                                                         "IV_MDB_TABLES": str(tables)})
    assert out.returncode == 2 and "table introuvable" in out.stderr


def test_generated_access_file_is_read_by_mdbtools(stack, login_as, tmp_path):
    """A real Jet 4 file (tools/legacy_mdb.py through the generator) read by Debian's own
    mdb-tables and mdb-export gives exactly what the same rows exported to CSV give."""
    mdb, csv_path = tmp_path / "ancienne-base.mdb", tmp_path / "ancienne-base.csv"
    m = generate(mdb, 400, seed=41)
    assert m["format"] == "mdb" and "shifted_columns" not in m["kinds"]
    assert mdb.read_bytes()[4:19] == b"Standard Jet DB"
    assert generate(csv_path, 400, "--without", "shifted_columns", seed=41)["kinds"] == m["kinds"]
    from_mdb, from_csv = run_import(stack, mdb, "--dry-run"), run_import(stack, csv_path, "--dry-run")
    assert from_mdb.returncode == 0 and from_csv.returncode == 0, from_mdb.stderr + from_csv.stderr
    assert "(Access, table Demandes)\n" in from_mdb.stdout
    assert summary_counts(from_mdb.stdout) == summary_counts(from_csv.stdout)
    assert report_of(from_mdb.stdout) == report_of(from_csv.stdout)
    out = run_import(stack, mdb)
    assert out.returncode == 0, out.stdout + out.stderr
    counts = summary_counts(out.stdout)
    assert (counts["lues"], counts["rejetées"], counts["doublons"]) == \
        (400, m["expected"]["rejected"], m["expected"]["duplicates"])
    assert counts["importées"] == m["expected"]["imported"]
    assert stack.psql("SELECT source_format FROM imports ORDER BY id DESC LIMIT 1") == "mdb"
    src = records(csv_path)[1]
    assert request(stack, 1, mdb.name)["address"] == src[7].strip()
    run_id = re.search(r"^Import n° (\d+)", out.stdout, re.M).group(1)
    page = login_as("admin").get("/admin/imports").text
    row = text_of(re.search(rf'<tr id="import-{run_id}">(.*?)</tr>', page, re.S).group(1))
    assert f"{mdb.name} fichier Access " in row and "UTF-8" not in row, row


# ---------------------------------------------------------------- admin/imports

def test_admin_page_lists_the_imports(stack, login_as, first_import):
    admin = login_as("admin")
    r = admin.get("/admin/imports")
    assert r.status_code == 200
    text = text_of(r.text)
    assert "Imports de l'ancienne base Access" in text
    assert first_import["path"].name in text
    m = first_import["manifest"]["expected"]
    run_id = re.search(r"^Import n° (\d+)", first_import["out"], re.M).group(1)
    row = re.search(rf'<tr id="import-{run_id}">(.*?)</tr>', r.text, re.S).group(1)
    cells = [text_of(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    assert cells[4:9] == [str(m["read"]), str(m["imported"]), str(m["corrected"]),
                          str(m["duplicates"]), str(m["rejected"])]
    assert f"Import n° {run_id} ({first_import['path'].name}) : motifs" in text
    assert "Lignes rejetées" in text and "Doublons écartés" in text
    assert 'href="/interventions/admin/imports"' in r.text      # in the navigation


def test_admin_downloads_the_report(stack, login_as, first_import):
    admin = login_as("admin")
    run_id = re.search(r"^Import n° (\d+)", first_import["out"], re.M).group(1)
    r = admin.get(f"/admin/imports/{run_id}/rapport.csv")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"] == f'attachment; filename="import-{run_id}-rapport.csv"'
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == first_import["report"]
    assert stack.psql("SELECT count(*) FROM audit WHERE login = 'admin' AND action = 'export'"
                      f" AND detail = 'rapport de l''import n° {run_id}'") != "0"
    assert admin.get("/admin/imports/999999/rapport.csv").status_code == 404
    assert admin.get("/admin/imports/99999999999999999999/rapport.csv").status_code == 404


@pytest.mark.parametrize("user", ["responsable", "secretariat", "intervenant", "lecteur"])
def test_only_admins_see_imports(stack, login_as, first_import, user):
    b = login_as(user)
    assert b.get("/admin/imports").status_code == 403
    assert b.get("/admin/imports/1/rapport.csv").status_code == 403
    assert 'href="/interventions/admin/imports"' not in b.get("/").text
