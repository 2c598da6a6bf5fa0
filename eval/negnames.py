"""Innocent-name pools for negatives (category 6b, eval/README.md): the faker
person names (../shared/data/names/faker/person_names_by_locale.json, MIT),
romanised where needed with third-party tables only:

- ko: Revised Romanization per syllable (korean.rr_syllable), given names
  hyphenated (Min-jun); family names by their most frequent Wikidata spelling
  (korean.Romaniser.western: Lee, Park, Choi ...).
- ru: iuliia icao_doc_9303 (passport spelling), letter table plus its
  prev/next/ending tables.
- ar, fa: google_transliteration ar2en.txt (Arabic-script word -> Latin
  spelling), word by word; names with a word missing from it are left out.
- zh_CN: CLDR 41 Han-Latin (pinyin) with the Han-Latin-Names surname readings,
  tone marks removed; given name written as one word.
- en: as is.
"""
import json
import re
import unicodedata

import korean


def _strip(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def cap(s):
    return s[:1].upper() + s[1:]


class Iuliia:
    def __init__(self, path):
        d = json.load(open(path, encoding="utf-8"))
        self.m = d.get("mapping") or {}
        self.prev = d.get("prev_mapping") or {}
        self.next = d.get("next_mapping") or {}
        self.end = d.get("ending_mapping") or {}

    def word(self, w):
        w = w.lower()
        stem, ending = w, ""
        for e in sorted(self.end, key=len, reverse=True):
            if len(w) > len(e) and w.endswith(e):
                stem, ending = w[:-len(e)], self.end[e]
                break
        out = []
        for i, ch in enumerate(stem):
            p = (stem[i - 1] if i else "") + ch
            n = ch + (stem[i + 1] if i + 1 < len(stem) else "")
            if p in self.prev:
                out.append(self.prev[p])
            elif n in self.next:
                out.append(self.next[n])
            else:
                out.append(self.m.get(ch, ch))
        return cap("".join(out) + ending)


class Pinyin:
    def __init__(self, han_latin, han_names):
        self.read = {}
        for path, target, override in ((han_latin, "read", False), (han_names, "names", True)):
            pass
        self.names = {}
        rule = re.compile(r"^\[([^\]]+)\]\s*→\s*([^;]+);")
        for line in open(han_latin, encoding="utf-8"):
            m = rule.match(line.strip())
            if m:
                r = _strip(m.group(2).strip())
                for ch in m.group(1):
                    self.read.setdefault(ch, r)
        single = re.compile(r"^(?:\$startOfHanMarker\{\s*)?(\S)\s*→\s*([^;]+);")
        for line in open(han_names, encoding="utf-8"):
            m = single.match(line.strip())
            if m and "\u4e00" <= m.group(1) <= "\u9fff":
                self.names.setdefault(m.group(1), _strip(m.group(2).strip()))

    def word(self, chars, surname=False):
        out = []
        for i, ch in enumerate(chars):
            r = (self.names.get(ch) if surname and i == 0 else None) or self.read.get(ch)
            if not r:
                return None
            out.append(r)
        return cap("".join(out))


class ArabicScript:
    def __init__(self, ar2en):
        self.m = {}
        for line in open(ar2en, encoding="utf-8"):
            p = line.rstrip("\n").split("\t")
            if len(p) == 2 and p[0] and p[1]:
                self.m.setdefault(p[0], p[1])

    def name(self, s):
        words = s.replace("\u200c", " ").split()
        out = []
        for w in words:
            r = self.m.get(w)
            if not r or not re.fullmatch(r"[a-z' \-]+", r):
                return None
            out.append(" ".join(cap(x) for x in r.split()))
        return " ".join(out)


def pools(shared, rom):
    """{locale: {"given": [latin...], "family": [latin...]}} (sorted, unique)."""
    d = json.load(open(f"{shared}/data/names/faker/person_names_by_locale.json", encoding="utf-8"))
    names = f"{shared}/data/names"
    out = {}

    def collect(v, key):
        x = v.get(key) or {}
        vals = []
        if isinstance(x, dict):
            for g in sorted(x):
                if isinstance(x[g], list):
                    vals += x[g]
        return vals

    # ko
    v = d["ko"]
    given = []
    for n in collect(v, "first_name"):
        if all(korean.is_syllable(c) for c in n):
            sy = [korean.rr_syllable(korean.dueum(n[0]))] + [korean.rr_syllable(c) for c in n[1:]]
            given.append(cap("-".join(sy)))
    fam = []
    for n in collect(v, "last_name"):
        if len(n) == 1 and korean.is_syllable(n):
            w = rom.western(korean.dueum(n), True)
            if w:
                fam.append(cap(w))
    out["ko"] = {"given": given, "family": fam}
    # ru
    tr = Iuliia(f"{names}/iuliia/icao_doc_9303.json")
    v = d["ru"]
    out["ru"] = {"given": [tr.word(n) for n in collect(v, "first_name")],
                 "family": [tr.word(n) for n in collect(v, "last_name")]}
    # ar, fa
    ar = ArabicScript(f"{names}/google_transliteration/ar2en.txt")
    for loc in ("ar", "fa"):
        v = d[loc]
        out[loc] = {"given": [x for x in (ar.name(n) for n in collect(v, "first_name")) if x],
                    "family": [x for x in (ar.name(n) for n in collect(v, "last_name")) if x]}
    # zh_CN
    py = Pinyin(f"{names}/cldr41/transforms/Han-Latin.xml", f"{names}/cldr41/transforms/Han-Latin-Names.xml")
    v = d["zh_CN"]
    out["zh_CN"] = {"given": [x for x in (py.word(n) for n in collect(v, "first_name")) if x],
                    "family": [x for x in (py.word(n, True) for n in collect(v, "last_name")) if x]}
    # en
    v = d["en"]
    out["en"] = {"given": collect(v, "first_name"), "family": collect(v, "last_name")}
    for loc in out:
        for k in out[loc]:
            out[loc][k] = sorted(set(x for x in out[loc][k] if x and re.search(r"[A-Za-z]", x)))
    return out
