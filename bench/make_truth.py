#!/usr/bin/env python3
"""Derive UN references for the OpenSanctions positives (bench/README.md).

Each row of positives_un_untreated.csv (names as listed) is mapped to the UN
entry having a name equal to it after normalisation: NFKC, case-folded,
apostrophes removed, other punctuation and symbols turned into spaces,
whitespace squashed. A UN entry's names are its primary name (FIRST_NAME ..
FOURTH_NAME joined), every ALIAS_NAME (split on ';') and every
NAME_ORIGINAL_SCRIPT (split on ';'). Rows that map to no entry or to several
are dropped. Row i of the treated file is the same person as row i of the
untreated one, so the mapping is reused for it by row number.

Standard library only. Writes CSV: row,name,reference (row = 1-based data row,
header excluded; name = the untreated name) and prints a one-line summary to
stderr.

usage: make_truth.py UNTREATED.csv UN.xml OUT.csv
"""
import csv
import sys
import unicodedata
import xml.etree.ElementTree as ET

APOSTROPHES = set("'\u2018\u2019\u02bc\u02bb\u02b9\u02be\u02bf\u0060\u00b4\u2032")


def norm(s):
    s = unicodedata.normalize("NFKC", s).casefold()
    out = []
    for ch in s:
        if ch in APOSTROPHES:
            continue
        cat = unicodedata.category(ch)
        if cat[0] in "PSZC":
            out.append(" ")
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def local(tag):
    return tag.rsplit("}", 1)[-1]


def un_names(rec):
    """Yield the names of one INDIVIDUAL or ENTITY element."""
    parts = []
    for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"):
        for el in rec:
            if local(el.tag) == tag and el.text and el.text.strip():
                parts.append(el.text.strip())
    if parts:
        yield " ".join(parts)
    for el in rec.iter():
        t = local(el.tag)
        if t in ("ALIAS_NAME", "NAME_ORIGINAL_SCRIPT") and el.text:
            for piece in el.text.split(";"):
                if piece.strip():
                    yield piece.strip()


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    untreated, xml_path, out_path = argv[1:]
    root = ET.parse(xml_path).getroot()
    index = {}   # normalised name -> set of references
    nentries = 0
    for rec in root.iter():
        if local(rec.tag) not in ("INDIVIDUAL", "ENTITY"):
            continue
        ref = None
        for el in rec:
            if local(el.tag) == "REFERENCE_NUMBER" and el.text:
                ref = el.text.strip()
        if not ref:
            continue
        nentries += 1
        for name in un_names(rec):
            k = norm(name)
            if k:
                index.setdefault(k, set()).add(ref)

    rows = kept = none = several = 0
    with open(untreated, newline="", encoding="utf-8") as f, \
            open(out_path, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["row", "name", "reference"])
        for i, r in enumerate(csv.DictReader(f), start=1):
            rows += 1
            refs = index.get(norm(r["full_name"]), set())
            if len(refs) == 1:
                kept += 1
                w.writerow([i, r["full_name"], next(iter(refs))])
            elif not refs:
                none += 1
            else:
                several += 1
    date = root.attrib.get("dateGenerated", "?")
    sys.stderr.write(
        f"make_truth: UN list {date}, {nentries} entries; {rows} rows: {kept} mapped, "
        f"{none} dropped (no entry), {several} dropped (several entries)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
