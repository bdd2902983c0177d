#!/usr/bin/python3
"""Cuts a TrueType font down to the characters French text needs, for the fiche
d'intervention PDF (mod_interventions embeds the font in every fiche: a font of
a few hundred glyphs instead of DejaVu's 6,000 is what makes printing fast).

    subset-font.py SOURCE.ttf OUTPUT.ttf "Family Name" Style

Kept: Basic Latin, Latin-1, Latin Extended-A (œ Œ Ÿ and the names of the rest of
Europe), typographic quotes and dashes, € … ™ (all of Windows-1252).
The hinting tables (cvt, fpgm, prep) stay: libharu refuses to embed a font
without them. Everything else (GSUB, GPOS, kern, MATH…) goes: libharu only ever
writes the 13 tables a PDF viewer needs.

The licence of the Bitstream Vera fonts, which DejaVu inherits
(/usr/share/doc/fonts-dejavu-core/copyright), allows modified copies only
under names that contain neither "Bitstream" nor "Vera": the subset is renamed
(family, full and PostScript names) and says what it is. The copyright and
trademark notices stay in the font; the licence text is in LICENSE next to it.
"""
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

UNICODES = (
    list(range(0x20, 0x7F))          # Basic Latin
    + list(range(0xA0, 0x100))       # Latin-1: é è à ç ù ê ô ï « » ° · and no-break space
    + list(range(0x100, 0x180))      # Latin Extended-A: œ Œ Ÿ and other European names
    + [0x2013, 0x2014,                          # – —
       0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E,  # ‘ ’ ‚ “ ” „
       0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203A,  # † ‡ • … ‰ ‹ ›
       0x20AC, 0x2122,                          # € ™
       0x02C6, 0x02C7, 0x02D8, 0x02D9, 0x02DB, 0x02DC, 0x02DD]  # spacing accents
)
# These are the characters of Windows-1252 and of the Latin Extended-A block: the
# module draws text through libharu's single-byte encodings (see pdf.c), so a
# character none of them holds would never be printed from this font anyway.

# name IDs replaced: family, unique id, full name, PostScript name, typographic
# family. 0 (copyright and trademark notices) and 14 (licence URL) stay as they are.
RENAMED = (1, 3, 4, 6, 16)

# The licence text (name ID 13, 9.5 KB in UTF-16) would be embedded, and deflated,
# in every fiche: it costs a third of the printing time. It is shortened to a
# pointer to the full text, which the build copies next to the fonts (LICENSE).
LICENCE_POINTER = ("Bitstream Vera Fonts licence, DejaVu changes in the public domain: "
                   "see the file LICENSE next to this font (the copyright file of the Debian "
                   "package fonts-dejavu-core) or https://dejavu-fonts.github.io/License.html")


def rename(font, family, style):
    source = font["name"].getDebugName(4) or "DejaVu Sans"
    postscript = family.replace(" ", "") + ("" if style in ("Book", "Regular") else "-" + style)
    names = {1: family, 3: f"{postscript} (subset of {source})", 4: f"{family} {style}".strip(),
             6: postscript, 16: family, 13: LICENCE_POINTER}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.setName(names[record.nameID], record.nameID, record.platformID,
                          record.platEncID, record.langID)
    table.setName(f"Subset of {source} made for mod_interventions (renamed as the "
                  f"Bitstream Vera licence requires of modified fonts).", 10, 3, 1, 0x409)
    for record in table.names:
        text = record.toUnicode()
        if record.nameID in RENAMED and ("Bitstream" in text or "Vera" in text):
            raise SystemExit(f"name {record.nameID} still says {text!r}")


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    source, output, family, style = sys.argv[1:]
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "MATH", "FFTM"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True      # a missing character shows as a box, not nothing
    options.hinting = True             # cvt, fpgm, prep: required by libharu
    font = TTFont(source)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=UNICODES)
    sub.subset(font)
    rename(font, family, style)
    font.save(output)


if __name__ == "__main__":
    main()
