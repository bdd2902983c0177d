#!/bin/sh
# Installs the Debian packages (and npm packages) mod_interventions needs to build,
# run and test. Idempotent: does nothing when everything is present.
set -eu

PKGS="apache2 apache2-dev libaprutil1-dbd-pgsql postgresql-15 postgresql-contrib libpq-dev
slapd ldap-utils libldap2-dev libxml2-dev libxslt1-dev xsltproc libhpdf-dev libjansson-dev
libxlsxwriter-dev libcmocka-dev libmagic-dev libqrencode-dev fonts-dejavu-core libssl-dev apache2-utils
python3-pytest python3-requests python3-lxml poppler-utils wrk curl chromium
clang-14 libclang-rt-14-dev"
# fiche PDF: font subset at build time (pyftsubset), logo check (libpng), PDF checks and
# QR decoding in tests
PKGS="$PKGS python3-fonttools qpdf zbar-tools libpng-dev"
# legacy import: mdb-export reads the Access file (tools/import/source.c)
PKGS="$PKGS mdbtools"
# exports: zlib (ODS zip), and the readers the tests check XLSX and ODS files with
PKGS="$PKGS zlib1g-dev python3-openpyxl python3-odf"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "Paquets manquants :$missing" >&2
        echo "Relancez en root (apt-get install)." >&2
        exit 1
    fi
    echo "Installation des paquets Debian :$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $missing
fi
