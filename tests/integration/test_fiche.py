"""The fiche d'intervention ({id}/fiche.pdf): labels and values as printed, the filled-in
or blank agent's part, a valid PDF, the QR code back to the request, long texts on a
second page inside the margins, characters outside the font, the history, access, the
logo, and the configuration checks of its fonts and logo."""
import os
import re
import socket
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

import pytest
import requests

from conftest import MOUNT, SANITIZE, Browser, text_of
from test_config import ASAN_RUNTIME, configtest
from test_requests import FULL, MINIMAL, create

A4_WIDTH, A4_HEIGHT = 595.276, 841.89
SIDE = 42.5            # 15 mm: the text column
TOP_BOTTOM = 28.35     # 10 mm: nothing printed closer to the top or bottom edge

COMMUNES = ("Bry-sur-Marne", "Champigny-sur-Marne", "Charenton-le-Pont", "Fontenay-sous-Bois",
            "Joinville-le-Pont", "Le Perreux-sur-Marne", "Maisons-Alfort", "Nogent-sur-Marne",
            "Saint-Mandé", "Saint-Maur-des-Fossés", "Saint-Maurice", "Villiers-sur-Marne",
            "Vincennes")


# ---------------------------------------------------------------- helpers

def fiche(b, rid, **kw):
    return b.get(f"/{rid}/fiche.pdf", allow_redirects=False, **kw)


def run(*args, data=None):
    return subprocess.run(list(args), input=data, capture_output=True, check=True, timeout=60).stdout


def pdf_text(pdf, page=None):
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", "-raw", "-enc", "UTF-8", *pages, "-", "-", data=pdf).decode()


def flat(text):
    """White space folded: the words as a reader reads them."""
    return " ".join(text.split())


def page_count(pdf):
    info = run("pdfinfo", "-", data=pdf).decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def words_with_boxes(pdf):
    """(page, word, xMin, yMin, xMax, yMax) of every word, y from the top edge."""
    html = run("pdftotext", "-bbox", "-", "-", data=pdf).decode()
    found, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
            w, h = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', line).groups())
            assert abs(w - A4_WIDTH) < 0.5 and abs(h - A4_HEIGHT) < 0.5, line
        m = re.search(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
                      r'yMax="([\d.-]+)">(.*)</word>', line)
        if m:
            found.append((page, m.group(5), *(float(v) for v in m.groups()[:4])))
    return found


def assert_inside_margins(pdf):
    words = words_with_boxes(pdf)
    assert words
    for page, word, x0, y0, x1, y1 in words:
        assert SIDE - 0.5 <= x0 and x1 <= A4_WIDTH - SIDE + 0.5, (page, word, x0, x1)
        assert TOP_BOTTOM <= y0 and y1 <= A4_HEIGHT - TOP_BOTTOM, (page, word, y0, y1)


def qpdf_check(pdf):
    """qpdf --check (it reads files only)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["qpdf", "--check", f.name], capture_output=True, text=True,
                              timeout=60)


def number_of(stack, rid):
    return stack.psql(f"SELECT year || ' / ' || number FROM interventions WHERE id = {rid}")


def prints_of(stack, rid):
    return int(stack.psql(f"SELECT count(*) FROM intervention_history "
                          f"WHERE intervention_id = {rid} AND kind = 'impression'"))


@pytest.fixture
def secretariat(login_as):
    return login_as("secretariat")


@pytest.fixture
def full_request(secretariat):
    r, rid = create(secretariat, FULL)
    assert r.status_code == 303 and rid
    return rid


# ---------------------------------------------------------------- content

def test_fiche_prints_every_label_and_the_values(stack, secretariat, full_request):
    rid = full_request
    r = fiche(secretariat, rid)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/pdf"
    year, number = number_of(stack, rid).split(" / ")
    assert r.headers["Content-Disposition"].startswith(f'inline; filename="fiche-{year}-{number}.pdf"')
    assert page_count(r.content) == 1
    text = flat(pdf_text(r.content))
    expected = [
        *COMMUNES,
        f"N° {year} / {number}",
        "DEMANDE D'INTERVENTION",
        "Origine de la demande : Téléphone reçue le 23/06/2025 à 16:17",
        "Demandeur : M. DUPONT Jean",
        "Nature : Particulier",
        "Téléphone : 01 23 45 67 89",
        "Courriel : jean.dupont@example.fr",
        "Ville : Vincennes",
        "Adresse intervention : 3 rue de l'Église",
        "Adresse et informations complémentaire(s) : Bâtiment B, 2e étage",
        "Objet de la demande : Odeurs",
        "Commentaire(s) complémentaire(s) : Odeurs d'égout « persistantes »",
        "Transmise à : Pôle petits travaux le 23/06/2025 à 16:22",
        "Partie à remplir par l'intervenant avant de rendre l'imprimé au secrétariat",
        # known already: printed filled in
        "Début de l'intervention le 24/06/2025 à 09:00",
        "Fin de l'intervention le 24/06/2025 à 10:30",
        "Commentaire(s) : Curage du branchement, tampon remplacé.",
    ]
    position = -1
    for part in expected:                   # all there, in the form's order
        assert part in text, f"{part!r} not in {text!r}"
        assert text.index(part) > position, f"{part!r} out of order"
        position = text.index(part)
    assert re.search(r"Fait par Jérôme Petit ?, clôturée par Marc Lefèvre", text), text
    # the fonts travel with the document
    fonts = run("pdffonts", "-", data=r.content).decode().splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\b", f) for f in fonts), fonts


def test_agent_part_is_blank_when_nothing_is_known(stack, secretariat):
    _, rid = create(secretariat, MINIMAL)
    r = fiche(secretariat, rid)
    assert r.status_code == 200
    text = flat(pdf_text(r.content))
    assert "Demandeur : MARTIN Paul" in text
    assert "Transmise à : Partie à remplir" in text          # no team yet
    assert "Début de l'intervention le à Fin de l'intervention le à Commentaire(s) : Fait par , " \
           "clôturée par" in text
    assert "24/06/2025" not in text
    # the blanks are there to write on: dotted lines, drawn (not underscores)
    assert "___" not in text


def test_fiche_is_a_valid_pdf(secretariat, full_request):
    r = fiche(secretariat, full_request)
    check = qpdf_check(r.content)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    assert len(r.content) < 60_000


def test_qr_code_leads_to_the_request(stack, secretariat, full_request, tmp_path):
    r = fiche(secretariat, full_request)
    (tmp_path / "fiche.pdf").write_bytes(r.content)
    run("pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(tmp_path / "fiche.pdf"),
        str(tmp_path / "page"))
    image = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True,
                             text=True, timeout=60)
    assert decoded.stdout.strip() == f"{stack.url()}/{full_request}"


# ---------------------------------------------------------------- long texts

def long_text(length=6000):
    """Words of every length, accents, a 300-letter word, paragraphs: what the Access
    file holds in its memo fields (the import does not cut them)."""
    words = ["curage", "égout", "branchement", "tampon", "Œuvre", "l'avaloir", "débordé", "«",
             "»", "€", "riverain", "chaussée", "à", "réparation"]
    parts, i = [], 0
    while sum(len(p) + 1 for p in parts) < length:
        parts.append(words[i * 5 % len(words)] + ("\n" if i % 97 == 96 else ""))
        i += 1
        if i == 150:
            parts.append("x" * 300)
    return " ".join(parts)[:length].rstrip()


def printed_body(pdf):
    """The text of every page without the page furniture (footers, continuation
    headers), lines joined."""
    lines = []
    for page in range(1, page_count(pdf) + 1):
        for line in pdf_text(pdf, page).splitlines():
            if not re.match(r"N° \d+ / \d+ — page|DEMANDE D'INTERVENTION — N°", line):
                lines.append(line)
    return "\n".join(lines)


@pytest.mark.parametrize("column", ["object_complement", "comment"])
def test_long_text_continues_on_a_second_page(stack, secretariat, column):
    _, rid = create(secretariat, FULL)
    text = long_text()
    stack.psql(f"UPDATE interventions SET {column} = $${text}$$ WHERE id = {rid}")
    r = fiche(secretariat, rid)
    assert r.status_code == 200
    assert page_count(r.content) == 2
    number = number_of(stack, rid)
    page2 = flat(pdf_text(r.content, 2))
    assert f"N° {number}" in page2 and "(suite)" in page2
    assert f"N° {number} — page 2 / 2" in page2
    # nothing lost, nothing outside the page
    body = re.sub(r"\s", "", printed_body(r.content))
    assert re.sub(r"\s", "", text) in body
    assert_inside_margins(r.content)
    assert qpdf_check(r.content).returncode == 0


def test_short_fiche_stays_inside_the_margins(secretariat, full_request):
    assert_inside_margins(fiche(secretariat, full_request).content)


def test_characters_outside_the_font_print_as_question_marks(stack, secretariat):
    _, rid = create(secretariat, dict(MINIMAL, **{"Nom du demandeur": "Ω 漢字 Łukasz Dvořák"}))
    r = fiche(secretariat, rid)
    assert r.status_code == 200
    # Ω and 漢字 are not in the fiche's font: one "?" each; Ł and ř print (Central
    # European code page of the same font)
    assert "Demandeur : ? ?? Łukasz Dvořák" in flat(pdf_text(r.content))
    assert qpdf_check(r.content).returncode == 0
    # outside the Basic Multilingual Plane and typographic spaces too
    stack.psql(f"UPDATE interventions SET requester_name = 'Emoji 😀 fin', "
               f"address = E'12\\u202Frue\\u2009du\\u00A0Port\\u00AD' WHERE id = {rid}")
    text = flat(pdf_text(fiche(secretariat, rid).content))
    assert "Demandeur : Emoji ? fin" in text
    assert re.search(r"Adresse intervention : 12\s?rue\s?du\s?Port Adresse", text), text


# ---------------------------------------------------------------- history and access

def test_every_printing_is_in_the_history(stack, secretariat, full_request):
    rid = full_request
    assert prints_of(stack, rid) == 0
    assert fiche(secretariat, rid).status_code == 200
    assert fiche(secretariat, rid).status_code == 200
    assert prints_of(stack, rid) == 2
    who = stack.psql(f"SELECT DISTINCT login FROM intervention_history "
                     f"WHERE intervention_id = {rid} AND kind = 'impression'")
    assert who == "secretariat"
    page = text_of(secretariat.get(f"/{rid}").text)
    assert "Marie Dupont : impression de la fiche" in page


def test_a_byte_range_gets_the_whole_fiche_and_one_printing(stack, secretariat, full_request):
    r = fiche(secretariat, full_request, headers={"Range": "bytes=0-99"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and len(r.content) > 100
    assert prints_of(stack, full_request) == 1


def test_request_page_links_to_the_fiche(login_as, full_request):
    for role in ("admin", "responsable", "secretariat", "intervenant", "lecteur"):
        html = login_as(role).get(f"/{full_request}").text
        assert f'href="{MOUNT}/{full_request}/fiche.pdf"' in html, role
        assert "Imprimer la fiche" in text_of(html), role


def test_fiche_has_the_access_of_its_request(stack, login_as, secretariat):
    _, vincennes = create(secretariat, FULL)                         # team: petits travaux
    _, charenton = create(secretariat, dict(MINIMAL, Ville="94018"))
    for role in ("admin", "responsable", "lecteur", "intervenant"):
        r = fiche(login_as(role), vincennes)
        assert r.status_code == 200 and r.content.startswith(b"%PDF"), role
    reader = login_as("lecteur")                  # Vincennes and Saint-Mandé only
    r = fiche(reader, charenton)
    assert r.status_code == 404 and "Page introuvable" in text_of(r.text)
    assert fiche(login_as("intervenant"), charenton).status_code == 404   # not his team's
    assert fiche(reader, 999999999).status_code == 404
    assert prints_of(stack, charenton) == 0
    anonymous = requests.get(f"{stack.url()}/{vincennes}/fiche.pdf", allow_redirects=False,
                             timeout=30)
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["Location"]
    assert requests.post(f"{stack.url()}/{vincennes}/fiche.pdf", allow_redirects=False,
                         timeout=30).status_code == 405


# ---------------------------------------------------------------- logo

def png_image(width=120, height=60):
    """A small RGB PNG: a blue square and a red band."""
    rows = b"".join(b"\x00" + b"".join(
        (b"\x20\x40\xa0" if x < height else b"\xc0\x20\x20") for x in range(width))
        for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg_image(tmp_path, pdf):
    """A real JPEG: a fiche rendered by pdftoppm, small."""
    (tmp_path / "src.pdf").write_bytes(pdf)
    run("pdftoppm", "-jpeg", "-r", "12", "-f", "1", "-l", "1", str(tmp_path / "src.pdf"),
        str(tmp_path / "logo"))
    return next(tmp_path.glob("logo*.jpg")).read_bytes()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LogoServer:
    """A second httpd on the test instance's configuration with InterventionsLogo set:
    the main one must stay as it is for the other tests."""

    def __init__(self, stack, logo):
        self.dir = stack.var / f"logo-{os.getpid()}-{time.monotonic_ns()}"
        (self.dir / "run").mkdir(parents=True)
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        conf = (stack.var / "httpd/httpd.conf").read_text()
        conf = re.sub(r"^Include .*$", "", conf, flags=re.M)     # the extra virtual hosts
        conf = re.sub(r"^Listen .*$", f"Listen 127.0.0.1:{self.port}", conf, flags=re.M)
        for directive, path in (("PidFile", "run/httpd.pid"), ("DefaultRuntimeDir", "run"),
                                ("ErrorLog", "error.log"), ("CustomLog", "access.log")):
            conf = re.sub(rf'^{directive} "[^"]*"', f'{directive} "{self.dir / path}"', conf,
                          flags=re.M)
        (self.dir / "logo").write_bytes(logo)
        self.conf = self.dir / "httpd.conf"
        self.conf.write_text(conf + f'\nInterventionsLogo "{self.dir / "logo"}"\n')
        self.env = {"PATH": "/usr/sbin:/usr/bin:/bin"}
        if SANITIZE:
            self.env.update(LD_PRELOAD=ASAN_RUNTIME, ASAN_OPTIONS="detect_leaks=0")

    def apache(self, action):
        return subprocess.run(["/usr/sbin/apache2", "-f", str(self.conf), "-k", action],
                              env=self.env, capture_output=True, text=True, timeout=60)

    def __enter__(self):
        started = self.apache("start")
        assert started.returncode == 0, started.stderr
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the logo httpd did not start: "
                             + (self.dir / "error.log").read_text())

    def __exit__(self, *exc):
        pid_file = self.dir / "run/httpd.pid"
        pid = int(pid_file.read_text()) if pid_file.exists() else None
        self.apache("stop")
        for _ in range(100):
            if not pid or not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.05)
        log = (self.dir / "error.log").read_text()
        assert not re.search(r"AddressSanitizer|runtime error:|exit signal|Segmentation", log), log


@pytest.mark.parametrize("kind", ["png", "jpeg"])
def test_logo_is_printed_in_the_banner(stack, login_as, full_request, tmp_path, kind):
    plain = fiche(login_as("secretariat"), full_request).content
    logo = png_image() if kind == "png" else jpeg_image(tmp_path, plain)
    with LogoServer(stack, logo) as server:
        b = Browser(f"http://127.0.0.1:{server.port}{MOUNT}")
        assert b.login("secretariat").status_code == 303
        r = fiche(b, full_request)
        assert r.status_code == 200
    images = run("pdfimages", "-list", "-", data=r.content).decode().splitlines()[2:]
    assert len(images) == 1, images
    assert ("jpeg" if kind == "jpeg" else "image") in images[0]
    assert "Vincennes" in pdf_text(r.content)
    assert_inside_margins(r.content)
    assert "Vincennes" in pdf_text(plain) and not run("pdfimages", "-list", "-",
                                                       data=plain).decode().splitlines()[2:]


# ---------------------------------------------------------------- configuration

def test_a_font_libharu_cannot_use_stops_the_configuration_test(stack, tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 200)     # a TrueType header, no tables
    r = configtest(stack, tmp_path, f"InterventionsFontBold {broken}")
    assert r.returncode != 0
    assert f"InterventionsFontBold: '{broken}' cannot be used" in r.stderr, r.stderr
    assert "Syntax OK" not in r.stderr


def test_a_broken_logo_stops_the_configuration_test(stack, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_image()[:60])                          # cut in the middle
    r = configtest(stack, tmp_path, f"InterventionsLogo {logo}")
    assert r.returncode != 0
    assert f"InterventionsLogo: '{logo}' is not a readable PNG image" in r.stderr, r.stderr
    assert "Syntax OK" not in r.stderr


def test_full_dejavu_fonts_and_a_logo_pass_the_configuration_test(stack, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_image())
    r = configtest(stack, tmp_path, "InterventionsFont /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\n"
                   "InterventionsFontBold /usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf\n"
                   f"InterventionsLogo {logo}")
    assert r.returncode == 0 and "Syntax OK" in r.stderr, r.stderr
