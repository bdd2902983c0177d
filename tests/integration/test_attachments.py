"""Attachments: photos and PDF documents, on creation and later; typed by content;
limited in size; served only after the request's own access checks."""
import os
import re
import struct
import zlib

import pytest
import requests

from conftest import MOUNT, text_of
from test_requests import MINIMAL, create

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WEBP = b"RIFF" + struct.pack("<I", 30) + b"WEBPVP8 " + struct.pack("<I", 18) + b"\x00" * 18


def png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def create_with_files(b, files, fields=MINIMAL):
    """Posts the creation form as a browser would, with the files."""
    html = b.get("/nouvelle").text
    form, labels = b.form(html, "/nouvelle")
    data = dict(form["fields"])
    from conftest import find_label
    for label, value in fields.items():
        data[form["ids"][find_label(labels, label)]] = value
    data.pop("pieces", None)
    return b.http.post(b.base + "/nouvelle", data=data, files=[("pieces", f) for f in files],
                       allow_redirects=False, timeout=60)


def add_files(b, rid, files):
    html = b.get(f"/{rid}").text
    form, _ = b.form(html, "/pieces")
    return b.http.post(f"{b.base}/{rid}/pieces", data={"csrf_token": form["fields"]["csrf_token"]},
                       files=[("pieces", f) for f in files], allow_redirects=False, timeout=60)


def upload_dir(stack):
    return stack.var / "httpd/uploads"


def stored_files(stack):
    return sorted(os.listdir(upload_dir(stack)))


def test_create_with_a_photo_and_a_pdf_then_download(stack, login_as):
    b = login_as("secretariat")
    r = create_with_files(b, [("Photo été.jpg", JPEG, "application/octet-stream"),
                              ("C:\\Users\\marie\\plan.pdf", PDF, "image/png")])
    assert r.status_code == 303, text_of(r.text)[:400]
    rid = re.search(r"/(\d+)\?cree=1", r.headers["Location"]).group(1)
    page = text_of(b.get(f"/{rid}").text)
    assert "Photo été.jpg" in page and "plan.pdf" in page and "Users" not in page
    assert "pièce jointe ajoutée « Photo été.jpg »" in page
    rows = stack.psql(f"SELECT n, content_type, size FROM attachments WHERE intervention_id = {rid} "
                      "ORDER BY n").split()
    assert rows == [f"1|image/jpeg|{len(JPEG)}", f"2|application/pdf|{len(PDF)}"]
    photo = b.get(f"/{rid}/pieces/1")
    assert photo.status_code == 200 and photo.content == JPEG
    assert photo.headers["Content-Type"] == "image/jpeg"
    assert photo.headers["Content-Disposition"].startswith("inline; filename=")
    assert "filename*=UTF-8''Photo%20%C3%A9t%C3%A9.jpg" in photo.headers["Content-Disposition"]
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    doc = b.get(f"/{rid}/pieces/2")
    assert doc.headers["Content-Type"] == "application/pdf" and doc.content == PDF
    assert doc.headers["Content-Disposition"].startswith("attachment;")
    assert b.get(f"/{rid}/pieces/3", allow_redirects=False).status_code == 404
    # stored under random names, never the user's
    names = stack.psql(f"SELECT stored_name FROM attachments WHERE intervention_id = {rid}").split()
    assert all(re.fullmatch(r"[0-9a-f]{32}", n) for n in names)
    assert set(names) <= set(stored_files(stack))


def test_png_and_webp_accepted_later_from_the_page(stack, login_as):
    b = login_as("secretariat")
    _, rid = create(b, MINIMAL)
    r = add_files(b, rid, [("a.png", png(), "image/png"), ("b.webp", WEBP, "image/webp")])
    assert r.status_code == 303
    assert stack.psql(f"SELECT string_agg(content_type, ',' ORDER BY n) FROM attachments "
                      f"WHERE intervention_id = {rid}") == "image/png,image/webp"
    assert "Pièces jointes ajoutées à la demande" in text_of(b.get(r.headers["Location"][len(MOUNT):]).text)


def test_a_file_name_with_braces_is_shown_as_typed(stack, login_as):
    """The history's « pièce jointe ajoutée « {a} » » is filled in once: a name that
    holds "{a}" or "{b}" itself is not filled in again (iv:msg-fill, view.c)."""
    b = login_as("secretariat")
    _, rid = create(b, MINIMAL)
    assert add_files(b, rid, [("plan {b} {a} {x.pdf", PDF, "application/pdf")]).status_code == 303
    page = text_of(b.get(f"/{rid}").text)
    assert "pièce jointe ajoutée « plan {b} {a} {x.pdf »" in page


@pytest.mark.parametrize("name, content", [
    ("photo.jpg", b"MZ\x90\x00 this is a program, not a photo" * 10),
    ("notes.pdf", "Ceci est un texte, pas un PDF.\n".encode() * 20),
    ("page.png", b"<html><script>alert(1)</script></html>"),
])
def test_type_is_decided_by_content(stack, login_as, name, content):
    b = login_as("secretariat")
    before_rows = stack.psql("SELECT count(*) FROM interventions")
    before_files = stored_files(stack)
    r = create_with_files(b, [(name, content, "image/jpeg")])
    assert r.status_code == 422
    page = text_of(r.text)
    assert f"Le fichier « {name} » n'est ni une photo (JPEG, PNG, WebP) ni un document PDF." in page
    assert "Sélectionnez à nouveau vos fichiers" in page
    form, _ = b.form(r.text, "/nouvelle")
    assert form["fields"]["adresse"] == MINIMAL["Adresse intervention"]      # input kept
    assert stack.psql("SELECT count(*) FROM interventions") == before_rows  # nothing stored
    assert stored_files(stack) == before_files                              # no file left


def test_too_large_file_is_refused_with_its_name(stack, login_as):
    b = login_as("secretariat")
    _, rid = create(b, MINIMAL)
    before = stored_files(stack)
    big = JPEG[:-2] + b"\x00" * (10 * 1024 * 1024) + b"\xff\xd9"
    r = add_files(b, rid, [("grande photo.jpg", big, "image/jpeg")])
    assert r.status_code == 422
    assert "Le fichier « grande photo.jpg » est trop volumineux." in text_of(r.text)
    assert stored_files(stack) == before
    assert stack.psql(f"SELECT count(*) FROM attachments WHERE intervention_id = {rid}") == "0"


def test_too_many_files(stack, login_as):
    b = login_as("secretariat")
    _, rid = create(b, MINIMAL)
    r = add_files(b, rid, [(f"p{i}.jpg", JPEG, "image/jpeg") for i in range(6)])
    assert r.status_code == 422
    assert "Trop de fichiers envoyés en une fois." in text_of(r.text)
    assert stack.psql(f"SELECT count(*) FROM attachments WHERE intervention_id = {rid}") == "0"


def test_no_file_chosen(stack, login_as):
    b = login_as("secretariat")
    _, rid = create(b, MINIMAL)
    r = add_files(b, rid, [("", b"", "application/octet-stream")])
    assert r.status_code == 422
    assert "Choisissez au moins un fichier." in text_of(r.text)


def test_attachments_follow_the_request_perimeter(stack, login_as):
    sec = login_as("secretariat")
    r = create_with_files(sec, [("vincennes.jpg", JPEG, "image/jpeg")], dict(MINIMAL, Ville="94080"))
    inside = re.search(r"/(\d+)\?", r.headers["Location"]).group(1)
    r = create_with_files(sec, [("champigny.jpg", JPEG, "image/jpeg")], dict(MINIMAL, Ville="94017"))
    outside = re.search(r"/(\d+)\?", r.headers["Location"]).group(1)
    reader = login_as("lecteur")
    assert reader.get(f"/{inside}/pieces/1").status_code == 200
    refused = reader.get(f"/{outside}/pieces/1", allow_redirects=False)
    assert refused.status_code == 404 and refused.content != JPEG
    assert "Page introuvable" in text_of(refused.text)
    field = login_as("intervenant")          # not his team's request
    assert field.get(f"/{inside}/pieces/1", allow_redirects=False).status_code == 404
    assert requests.get(f"{stack.url()}/{inside}/pieces/1", allow_redirects=False,
                        timeout=30).status_code == 302      # signed out: to the login form
    # a lecteur cannot add files (route closed to his role)
    assert reader.http.post(f"{reader.base}/{inside}/pieces", files=[("pieces", ("x.jpg", JPEG))],
                            allow_redirects=False, timeout=30).status_code == 403


def test_multipart_is_refused_where_no_file_is_expected(login_as):
    b = login_as("secretariat")
    form, _ = b.form(b.get("/").text, "/deconnexion")
    r = b.http.post(b.base + "/deconnexion", data=form["fields"],
                    files=[("x", ("x.jpg", JPEG))], allow_redirects=False, timeout=30)
    assert r.status_code == 400
    assert b.get("/", allow_redirects=False).status_code == 200      # still signed in


def test_upload_needs_the_csrf_token(stack, login_as):
    b = login_as("secretariat")
    _, rid = create(b, MINIMAL)
    before = stored_files(stack)
    r = b.http.post(f"{b.base}/{rid}/pieces", data={"csrf_token": "0" * 64},
                    files=[("pieces", ("x.jpg", JPEG, "image/jpeg"))], allow_redirects=False, timeout=30)
    assert r.status_code == 403
    assert stored_files(stack) == before
