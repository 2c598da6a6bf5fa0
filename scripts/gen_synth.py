#!/usr/bin/env python3
"""gen_synth.py - a reproducible synthetic sanctions list for the scale benchmark (issue #4).

Writes N screenable entities as OpenSanctions FollowTheMoney JSON lines (the shape of
data/lists/opensanctions/entities.ftm.json, read by src/load/ftm.c), made by recombining real
name parts:

  python3 scripts/gen_synth.py --entities 100000 --seed 1 -o bench/out/synth-100k.ftm.json \\
      [--queries 1000 --queries-out bench/out/synth-100k.queries.csv]

Same --entities and --seed give a byte-identical file (and query file) on any machine with
python3 >= 3.8: one random.Random(seed) stream draws the entities, another the queries (so
asking for queries never changes the entities), every input is read in file order or sorted,
and no set or dict iteration order reaches the output.

Entities (ids synth-0000001 ...), roughly the OpenSanctions mix:
  ~70% Person: 1-3 names (`name`, then `alias`; an "Abu X" kunya as `weakAlias`), given,
       middle (patronymic, father's name) and family names from several sources and scripts:
       parts of the persons on the bundled UN and OFAC SDN lists (Arabic, Persian, Russian,
       Hispanic, DPRK Korean and other romanisations, grouped by UN regime / OFAC programme),
       Western names (faker pools ranked by Wikidata frequency), Russian names in Cyrillic with
       ICAO / BGN / Wikipedia / MVD romanisations (iuliia tables), Korean names from Wikidata
       English-Hangul pairs, Chinese names in Han with pinyin (CLDR Han-Latin), Arabic-script
       names with their spellings. Aliases are other romanisations, Muhammad/Mohammed-type
       spelling variants (data/names/variant_classes.txt), other orders, the original script.
       birthDate (full date or year only, sometimes two), nationality (ISO codes), gender,
       some passportNumber (unique).
  ~25% Company / Organization: 1-2 names recombining words of the organisation names on the
       bundled lists with legal forms (rigour org_types.yml, weighted by how often each occurs
       on the lists: LLC, Ltd, JSC, OOO, GmbH, Co. ...); aliases swap the legal form for
       another spelling of it or give the initials; country, some registrationNumber.
  ~5%  Vessel: names recombined from OFAC vessel names, valid unique IMO numbers
       (IMO7000000-IMO9999999 with the check digit), flag, type, some previousName, callSign, mmsi.
Name parts are drawn Zipf-like: each pool is ranked by how often a part occurs in the real data
(lists, Wikidata), weight 1/(rank+2) (ties share a rank), so Muhammad, Ali, Kim, John, Ivanov,
Wang are everywhere.

--queries Q writes a CSV in the column format of bench/data/positives_un_untreated.csv plus
`expected_id`: ~60% positives from entity names (untouched, one typo, parts reordered, a
middle part left out), ~40% negatives: names recombined from the same pools that equal no
entity's name (compared case-, punctuation- and order-insensitively; a negative may still be
close to some entity, as in real screening).

Inputs: the bundled lists data/lists/un/un_sanctions.xml, data/lists/ofac/sdn_2024-05-03/sdn.csv,
data/countries.tsv, data/names/{variant_classes,titles}.txt, and the name pools copied into
bench/data/pools/ (see PROVENANCE.md there; `--build-pools ../shared/data/names` rebuilds them).

Speed, measured on the project's 2-core machine (python 3.11.7), wall clock:
  python3 scripts/gen_synth.py --entities 100000 --seed 1 -o synth-100k.ftm.json     3.4 s, 24.4 MB file
  python3 scripts/gen_synth.py --entities 1000000 --seed 1 -o synth-1m.ftm.json      20-28 s, 244 MB file
  the same with --queries 10000 --queries-out synth-1m.csv                          26 s
Reading the sources takes about 0.4 s of that; memory stays about 45 MB (entities are streamed).
"""
import argparse
import bisect
import csv
import html
import json
import math
import os
import random
import re
import shutil
import sys
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POOLS = os.path.join(ROOT, "bench", "data", "pools")
UN_XML = os.path.join(ROOT, "data", "lists", "un", "un_sanctions.xml")
SDN_CSV = os.path.join(ROOT, "data", "lists", "ofac", "sdn_2024-05-03", "sdn.csv")
COUNTRIES = os.path.join(ROOT, "data", "countries.tsv")
VARIANTS = os.path.join(ROOT, "data", "names", "variant_classes.txt")
TITLES = os.path.join(ROOT, "data", "names", "titles.txt")

QUERY_HEADER = ["full_name", "first_name", "middle_name", "last_name", "gender",
                "date_of_birth", "place_of_birth", "nationality", "expected_id"]

# ---- small helpers ----------------------------------------------------------------


def pool_path(*parts):
    return os.path.join(POOLS, *parts)


def fold(s):
    """lower-case ASCII-ish key: accents off, punctuation to spaces (for lookups)"""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


def name_key(s):
    """a name's identity for telling negatives from entity names: case, punctuation, order"""
    return " ".join(sorted(re.sub(r"[\W_]+", " ", s.casefold()).split()))


def tcase(s):
    """'AL-ZAWAHIRI' -> 'Al-Zawahiri', "ABD AL-RAHMAN" -> 'Abd Al-Rahman'"""
    out = []
    for word in s.split(" "):
        out.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(out)


def is_latin(s):
    return all(ord(c) < 0x250 for c in s)


class Pool:
    """Items ranked by count, drawn with weight 1/(rank + 2): Zipf-like. Equal counts share a
    rank (the rank of the first of them), so parts never seen in the real data (count 0) are
    equally likely, as likely as the least frequent seen ones."""

    def __init__(self, counts):
        """counts: {item: count}, in a fixed (file) order"""
        order = {k: i for i, k in enumerate(counts)}
        self.items = sorted(counts, key=lambda k: (-counts[k], order[k]))
        cum, t, rank, last = [], 0.0, 0, None
        for r, k in enumerate(self.items):
            if counts[k] != last:
                rank, last = r, counts[k]
            t += 1.0 / (rank + 2)
            cum.append(t)
        self.cum, self.total = cum, t

    def __len__(self):
        return len(self.items)

    def pick(self, rng):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)
                          if len(self.items) > 1 else 0]


class Weighted:
    """Items drawn in proportion to fixed weights."""

    def __init__(self, pairs):
        self.items = [k for k, _ in pairs]
        cum, t = [], 0.0
        for _, w in pairs:
            t += w
            cum.append(t)
        self.cum, self.total = cum, t

    def pick(self, rng):
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


def pick(rng, seq):
    return seq[int(rng.random() * len(seq))]


class Counter(dict):
    """an insertion-ordered counter (no collections.Counter tie-order subtleties)"""

    def add(self, k, n=1):
        self[k] = self.get(k, 0) + n


# ---- the project's own tables ---------------------------------------------------


def load_countries():
    names = {}
    with open(COUNTRIES, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            a2, a3, short, *rest = line.rstrip("\n").split("\t")
            for n in [a2, a3, short] + (rest[0].split("|") if rest else []):
                names.setdefault(fold(n), a2)
    return names


def load_variants():
    """token -> the other spellings on its line of data/names/variant_classes.txt"""
    var = {}
    with open(VARIANTS, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            toks = line.split()
            for t in toks:
                var.setdefault(t, tuple(x for x in toks if x != t))
    return var


def load_titles():
    with open(TITLES, encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


# ---- the bundled lists: person parts, organisation words, vessel names -------------

UN_GROUPS = {"DPRK": "korean", "Iran": "persian", "Al-Qaida": "arabic", "ISIL": "arabic",
             "Iraq": "arabic", "Libya": "arabic", "Yemen": "arabic", "Sudan": "arabic",
             "Somalia": "arabic", "Taliban": "arabic", "1518": "arabic", "1267": "arabic"}
OFAC_GROUPS = [  # first match on the programme string
    ("korean", ("DPRK",)),
    ("russian", ("RUSSIA", "UKRAINE", "BELARUS", "CYBER", "MAGNIT", "CAATSA - RUSSIA")),
    ("persian", ("IRAN", "IRGC")),
    ("hispanic", ("SDNTK", "SDNT", "ILLICIT-DRUGS", "VENEZUELA", "CUBA", "NICARAGUA", "TCO")),
    ("arabic", ("SDGT", "SYRIA", "IRAQ", "LIBYA", "YEMEN", "LEBANON", "HEZBOLLAH", "FTO", "SDT",
                "SUDAN", "SOMALIA", "HRIT")),
]
CONNECTORS = {"abd", "abdul", "abdel", "abu", "abou", "abo", "bin", "ibn", "bint", "ben", "al",
              "el", "ould", "umm", "wad"}
NAME_TOKEN = re.compile(r"^[^\W\d_]+(?:[-'’‘][^\W\d_]+)*$")


def ofac_group(program):
    for g, keys in OFAC_GROUPS:
        if any(k in program for k in keys):
            return g
    return "world"


class ListParts:
    """What the bundled lists contribute, with counts."""

    def __init__(self):
        # person parts: (group, role, gender) -> Counter; role g(iven) m(iddle) f(amily)
        self.parts = {}
        self.nmiddle = {}       # group -> [observed number of middle parts]
        self.gender = {}        # group -> Counter of male/female
        self.nat = {}           # group -> Counter of country codes
        self.tokens = Counter()  # every person-name token (lower case), for ranking other pools
        self.family_by_cc = {}  # nationality -> Counter of family names (lower case)
        self.group_tokens = {}  # group -> Counter of tokens
        self.org_names = {}     # group -> [names]
        self.vessel_names = []
        self.vessel_types = Counter()
        self.flags = Counter()

    def add_part(self, group, role, gender, unit):
        unit = tcase(unit.strip())
        if not unit:
            return
        for g in (gender, "*"):
            self.parts.setdefault((group, role, g), Counter()).add(unit)
        for t in unit.lower().replace("-", " ").split():
            self.tokens.add(t)
            self.group_tokens.setdefault(group, Counter()).add(t)

    def add_person(self, group, given, middles, family, gender, nats):
        self.add_part(group, "g", gender, given)
        for m in middles:
            self.add_part(group, "m", gender, m)
        if family:
            self.add_part(group, "f", gender, family)
        self.nmiddle.setdefault(group, []).append(len(middles))
        if gender:
            self.gender.setdefault(group, Counter()).add(gender)
        for cc in nats:
            self.nat.setdefault(group, Counter()).add(cc)
            if family:
                self.family_by_cc.setdefault(cc, Counter()).add(family.lower())


def clean_units(text, titles, join_connectors):
    """split a given-names field into name units, dropping titles and odd tokens"""
    toks = [t.strip("‘’'\"`.,;") for t in text.split()]
    toks = [t for t in toks if t and NAME_TOKEN.match(t)]
    while len(toks) > 1 and fold(toks[0]) in titles:
        toks = toks[1:]
    if not join_connectors:
        return toks
    units, i = [], 0
    while i < len(toks):
        if fold(toks[i]) in CONNECTORS and i + 1 < len(toks):
            units.append(toks[i] + " " + toks[i + 1])
            i += 2
        else:
            units.append(toks[i])
            i += 1
    return units


def harvest_lists(countries, titles):
    lp = ListParts()

    def cc_of(name):
        return countries.get(fold(name))

    # UN: INDIVIDUAL FIRST_NAME..FOURTH_NAME, ENTITY FIRST_NAME and aliases
    with open(UN_XML, encoding="utf-8") as f:
        xml = f.read()

    def field(block, tag):
        m = re.search(r"<%s>([^<]*)</%s>" % (tag, tag), block)
        return html.unescape(m.group(1)).strip() if m else ""

    for block in re.findall(r"<INDIVIDUAL>.*?</INDIVIDUAL>", xml, re.S):
        group = UN_GROUPS.get(field(block, "UN_LIST_TYPE"), "world")
        fields = [field(block, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        fields = [" ".join(clean_units(x, titles, False)) for x in fields]
        fields = [x for x in fields if x]
        if len(fields) < 2:
            continue
        g = field(block, "GENDER").lower()
        gender = g if g in ("male", "female") else ""
        nats = []
        for v in re.findall(r"<NATIONALITY>(.*?)</NATIONALITY>", block, re.S):
            for x in re.findall(r"<VALUE>([^<]*)</VALUE>", v):
                cc = cc_of(html.unescape(x))
                if cc:
                    nats.append(cc)
        if group == "korean":   # DPRK entries: FIRST_NAME is the family name
            lp.add_person(group, " ".join(fields[1:]), [], fields[0], gender, nats)
        else:
            lp.add_person(group, fields[0], fields[1:-1], fields[-1], gender, nats)
    for block in re.findall(r"<ENTITY>.*?</ENTITY>", xml, re.S):
        group = UN_GROUPS.get(field(block, "UN_LIST_TYPE"), "world")
        names = [field(block, "FIRST_NAME")] + [html.unescape(x).strip() for x in
                                                re.findall(r"<ALIAS_NAME>([^<]*)</ALIAS_NAME>", block)]
        lp.org_names.setdefault(group, []).extend(n for n in names if n)

    # OFAC SDN: "FAMILY, Given Middle" individuals, entities, vessels (with f.k.a. names)
    with open(SDN_CSV, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 12:
                continue
            row = [("" if x.strip() == "-0-" else x.strip()) for x in row]
            _, name, kind, program = row[0], row[1], row[2], row[3]
            remarks = row[11]
            group = ofac_group(program)
            if kind == "individual":
                if ", " not in name:
                    continue
                family, given = name.split(", ", 1)
                family = " ".join(clean_units(family, set(), False))
                units = clean_units(given.split(",")[0], titles, group in ("arabic", "persian"))
                if group == "korean" and len(units) > 1:  # DPRK given names are one unit
                    units = [" ".join(units)]
                if not family or not units:
                    continue
                m = re.search(r"Gender (Male|Female)", remarks)
                gender = m.group(1).lower() if m else ""
                nats = [cc_of(x) for x in re.findall(r"nationality ([^;.]+)", remarks)]
                lp.add_person(group, units[0], units[1:], family, gender, [c for c in nats if c])
            elif kind == "vessel":
                lp.vessel_names.append(name)
                lp.vessel_names.extend(re.findall(r"f\.k\.a\. '([^']+)'", remarks))
                if row[6]:
                    lp.vessel_types.add(row[6])
                cc = cc_of(row[9]) if row[9] else None
                if cc:
                    lp.flags.add(cc)
            elif kind == "":
                names = [name] + re.findall(r"a\.k\.a\. '([^']+)'", remarks)
                lp.org_names.setdefault(group, []).extend(names)
    return lp


# ---- the copied pools ---------------------------------------------------------------


def load_json(*parts):
    with open(pool_path(*parts), encoding="utf-8") as f:
        return json.load(f)


def load_iuliia():
    """Russian romanisation schemes: name -> (mapping, prev, next, ending)"""
    schemes = {}
    for name in ("icao_doc_9303", "bgn_pcgn", "wikipedia", "mvd_782"):
        d = load_json("iuliia", name + ".json")
        schemes[name] = (d["mapping"], d.get("prev_mapping") or {}, d.get("next_mapping") or {},
                         d.get("ending_mapping") or {})
    return schemes


def romanise_ru(word, scheme):
    mapping, prev, nxt, ending = scheme
    w = word.lower()
    tail = ""
    for n in (3, 2):
        if len(w) > n and w[-n:] in ending:
            w, tail = w[:-n], ending[w[-n:]]
            break
    out = []
    for i, c in enumerate(w):
        p = w[i - 1] if i else ""
        q = w[i + 1] if i + 1 < len(w) else ""
        if p + c in prev:
            out.append(prev[p + c])
        elif c + q in nxt:
            out.append(nxt[c + q])
        else:
            out.append(mapping.get(c, c))
    s = "".join(out) + tail
    return "-".join(p[:1].upper() + p[1:] for p in s.split("-"))


def load_han():
    """Han character -> pinyin without tones (first reading; surname readings override)"""
    table = {}

    def read(path, override):
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^\[([^\]\\]+)\]\s*→\s*([^;#\s]+)\s*;", line) or \
                    re.match(r"^([^\s\[\]\\{}#$;:]+)\s*→\s*([^;#\s]+)\s*;", line)
                if not m:
                    continue
                py = unicodedata.normalize("NFKD", m.group(2))
                py = "".join(c for c in py if not unicodedata.combining(c)).lower()
                if not py.isalpha():
                    continue
                for ch in m.group(1):
                    if override or ch not in table:
                        table[ch] = py
    read(pool_path("cldr41", "Han-Latin.xml"), False)
    surnames = {}
    with open(pool_path("cldr41", "Han-Latin-Names.xml"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\$?[^\s]*?([\u4e00-\u9fff]+)\s*→\s*([^;#\s]+)\s*;", line)
            if m and len(m.group(1)) == 1:
                py = unicodedata.normalize("NFKD", m.group(2))
                surnames[m.group(1)] = "".join(c for c in py if not unicodedata.combining(c)).lower()
    return table, surnames


def load_org_types():
    """rigour org_types.yml: [(display, [aliases])] in file order (a minimal YAML reader)"""
    entries, cur, key = [], None, None
    with open(pool_path("rigour", "org_types.yml"), encoding="utf-8") as f:
        for line in f:
            s = re.sub(r"\s+#.*$", "", line.rstrip("\n"))
            if not s.strip() or s.lstrip().startswith("#"):
                continue
            m = re.match(r"^  - (\w+):\s*(.*)$", s)
            if m:
                cur = {"display": None, "aliases": []}
                entries.append(cur)
                key = m.group(1)
                if key == "display":
                    cur["display"] = m.group(2).strip().strip("\"'")
                continue
            m = re.match(r"^    (\w+):\s*(.*)$", s)
            if m and cur is not None:
                key = m.group(1)
                if key == "display":
                    cur["display"] = m.group(2).strip().strip("\"'")
                continue
            m = re.match(r"^\s+- (.*)$", s)
            if m and cur is not None and key == "aliases":
                cur["aliases"].append(m.group(1).strip().strip("\"'").rstrip(":"))
    return [(e["display"], e["aliases"]) for e in entries if e["display"]]


# ---- building the pools --------------------------------------------------------------


class Sources:
    def __init__(self):
        self.countries = load_countries()
        self.variants = load_variants()
        titles = load_titles()
        self.lists = lp = harvest_lists(self.countries, titles)
        self.faker = load_json("faker", "person_names_by_locale.json")
        self.iuliia = load_iuliia()
        self.han, self.han_surnames = load_han()
        self._listed(lp)
        self._western(lp)
        self._russian(lp)
        self._korean(lp)
        self._chinese(lp)
        self._arabic_script(lp)
        self._orgs(lp)
        self._vessels(lp)

    # listed groups: parts as the lists have them
    def _listed(self, lp):
        self.listed = {}
        for (group, role, gender), c in sorted(lp.parts.items()):
            self.listed[(group, role, gender)] = Pool(c)
        self.listed_gender = {g: Weighted(sorted(c.items())) for g, c in lp.gender.items()}
        self.nat = {g: Weighted(sorted(c.items())) for g, c in lp.nat.items()}

    def part_pool(self, group, role, gender):
        p = self.listed.get((group, role, gender))
        if p is None or len(p) < 15:
            p = self.listed.get((group, role, "*"))
        return p

    def _western(self, lp):
        fk = self.faker["en"]
        rows = []
        with open(pool_path("coling2018_wikidata", "wd_korean.western"), encoding="utf-8") as f:
            for line in f:
                en = line.split("\t")[0]
                rows.append(en.split(" "))
        given_n, family_n = Counter(), Counter()
        for g, fam in rows:
            given_n.add(g)
            family_n.add(fam)
        self.west_given = {}
        for sex in ("male", "female"):
            names = fk["first_name"][sex] + fk["first_name"]["generic"]
            c = Counter()
            for n in names:
                c.setdefault(n, given_n.get(n, 0))
            self.west_given[sex] = Pool(c)
        c = Counter()
        for n in list(family_n) + fk["last_name"]["generic"]:
            c.setdefault(n, family_n.get(n, 0))
        self.west_family = Pool(c)
        self.west_middle = {sex: Pool(Counter((n, 0) for n in fk["middle_name"][sex] +
                                              fk["middle_name"]["generic"]))
                            for sex in ("male", "female")}

    def _russian(self, lp):
        fk = self.faker["ru"]

        listed = lp.group_tokens.get("russian", {})

        def ranked(names):
            c = Counter()
            for n in names:
                hits = max(listed.get(romanise_ru(n, s).lower(), 0) for s in self.iuliia.values())
                c.setdefault(n, hits)
            return Pool(c)
        self.ru = {}
        for sex in ("male", "female"):
            self.ru[("g", sex)] = ranked(fk["first_name"][sex])
            self.ru[("m", sex)] = ranked(fk["middle_name"][sex])
            self.ru[("f", sex)] = ranked(fk["last_name"][sex])
        self.ru_schemes = Weighted([("icao_doc_9303", 4), ("bgn_pcgn", 2), ("wikipedia", 3),
                                    ("mvd_782", 1)])
        self.ru_lat = {}   # (cyrillic, scheme) -> latin
        for pool in self.ru.values():
            for cyr in pool.items:
                for s in sorted(self.iuliia):
                    self.ru_lat[(cyr, s)] = romanise_ru(cyr, self.iuliia[s])

    def _korean(self, lp):
        pairs = Counter()   # (hangul surname, latin surname)
        given = Counter()   # (hangul given, latin given)
        with open(pool_path("coling2018_wikidata", "wd_korean.korean"), encoding="utf-8") as f:
            for line in f:
                en, ko = line.rstrip("\n").split("\t")
                fam, gvn = en.split(" ", 1)
                pairs.add((ko[0], fam))
                given.add((ko[1:], gvn))
        pairs = Counter((k, n) for k, n in pairs.items() if n >= 3)
        fams = Counter()
        self.ko_spellings = {}
        for (h, lat), n in pairs.items():
            fams.add(h, n)
            self.ko_spellings.setdefault(h, []).append((lat, n))
        self.ko_family = Pool(fams)
        self.ko_spell = {h: Weighted(sorted(v, key=lambda x: -x[1])) for h, v in self.ko_spellings.items()}
        self.ko_given = Pool(given)

    def _chinese(self, lp):
        fk = self.faker["zh_CN"]

        def py(s, surname=False):
            out = []
            for i, ch in enumerate(s):
                p = (self.han_surnames.get(ch) if surname and i == 0 else None) or self.han.get(ch)
                if not p:
                    return None
                out.append(p)
            return out
        fam = Counter()
        self.zh_py = {}
        listed = Counter()   # family names of the listed Chinese nationals
        for cc in ("cn", "hk", "tw"):
            for k, v in lp.family_by_cc.get(cc, {}).items():
                listed.add(k, v)
        for n in fk["last_name"]["generic"]:
            p = py(n, True)
            if p:
                self.zh_py[n] = p
                fam.setdefault(n, listed.get("".join(p), 0))
        self.zh_family = Pool(fam)
        self.zh_given = {}
        for sex in ("male", "female"):
            c = Counter()
            for n in fk["first_name"][sex] + fk["first_name"]["generic"]:
                p = py(n)
                if p:
                    self.zh_py[n] = p
                    c.setdefault(n, 0)
            self.zh_given[sex] = Pool(c)

    def _arabic_script(self, lp):
        fk = self.faker["ar"]
        naive = load_json("arabic-name-to-en", "fullnamedb.json")
        good = {}
        with open(pool_path("google_transliteration", "ar2en.txt"), encoding="utf-8") as f:
            for line in f:
                a, _, e = line.rstrip("\n").partition("\t")
                if a and e and e.isalpha():
                    good.setdefault(a, e.capitalize())
        self._ar_cache = {}
        self.ar_lat = {}    # arabic word -> [spellings], best first
        self.ar_rev = {}    # latin (lower) -> arabic word, for original-script aliases
        for a in sorted(set(naive) | set(good)):
            sp = []
            for e in (good.get(a), naive.get(a) and naive[a].capitalize()):
                if e and e.isalpha() and e not in sp:
                    sp.append(e)
            if sp:
                self.ar_lat[a] = sp
        for a in sorted(self.ar_lat):
            for e in self.ar_lat[a]:
                self.ar_rev.setdefault(e.lower(), a)
        listed = lp.group_tokens.get("arabic", {})
        self.ar_given = {}
        for sex in ("male", "female"):
            c = Counter()
            for n in fk["first_name"][sex]:
                if n in good:   # a good spelling first; the naive one only as an alias
                    c.setdefault(n, max(listed.get(e.lower(), 0) for e in self.ar_lat[n]))
            self.ar_given[sex] = Pool(c)
        c = Counter()
        for n in fk["last_name"]["generic"]:
            base = n[2:] if n.startswith("ال") else n
            if base in good:
                c.setdefault(n, 0)
                if base != n:
                    self.ar_lat[n] = ["Al-" + e for e in self.ar_lat[base]]
        self.ar_family = Pool(c)

    def arabic_of(self, latin):
        """Arabic script for a romanised unit, or None"""
        if latin in self._ar_cache:
            return self._ar_cache[latin]
        out, article = [], ""
        for t in latin.lower().replace("-", " ").split():
            if t in ("al", "el"):
                article = "ال"
                continue
            a = self.ar_rev.get(t)
            for v in self.variants.get(t, ()):
                if a is None:
                    a = self.ar_rev.get(v)
            if a is None:
                out = None
                break
            out.append(article + a if not a.startswith("ال") else a)
            article = ""
        s = " ".join(out) if out and not article else None
        self._ar_cache[latin] = s
        return s

    # organisations: words and legal forms from the lists' organisation names
    def _orgs(self, lp):
        forms = load_org_types()
        self.org_forms = forms
        self.any_form = [("suf", i, d) for i, (d, _) in enumerate(forms) if is_latin(d)]
        alias_of = {}
        for i, (display, aliases) in enumerate(forms):
            for a in [display] + aliases:
                k = fold(a).upper()
                if k and is_latin(k):
                    alias_of.setdefault(k, (i, a))
        maxw = max(len(k.split()) for k in alias_of)
        stop = {"OF", "THE", "AND", "FOR", "DE", "DEL", "LA", "LE", "Y", "ET", "E", "DI", "DA", "DO",
                "DES", "DU", "IN", "ON", "A", "S", "TO", "AT", "&"}
        self.org_heads, self.org_tails, self.org_form = {}, {}, {}
        all_heads, all_tails = Counter(), Counter()
        all_pre, all_suf = Counter(), Counter()
        for group in sorted(lp.org_names):
            heads, tails, pre, suf = Counter(), Counter(), Counter(), Counter()
            for name in lp.org_names[group]:
                toks = fold(name).upper().split()
                if not toks or any(c.isdigit() for c in "".join(toks)):
                    continue
                for _ in range(2):   # legal forms at the end, then at the start
                    for w in range(min(maxw, len(toks) - 1), 0, -1):
                        k = " ".join(toks[-w:])
                        if k in alias_of:
                            suf.add(alias_of[k])
                            toks = toks[:-w]
                            break
                for w in range(min(maxw, len(toks) - 1), 0, -1):
                    k = " ".join(toks[:w])
                    if k in alias_of:
                        pre.add(alias_of[k])
                        toks = toks[w:]
                        break
                toks = [t for t in toks if t not in stop and len(t) > 1 and t.isalpha()]
                if not toks:
                    continue
                heads.add(toks[0])
                for t in toks[1:]:
                    tails.add(t)
            for c, a in ((heads, all_heads), (tails, all_tails), (pre, all_pre), (suf, all_suf)):
                for k, n in c.items():
                    a.add(k, n)
            if len(heads) >= 150:
                self.org_heads[group] = Pool(heads)
                self.org_tails[group] = Pool(tails)
                self.org_form[group] = self._form_pool(pre, suf)
        self.org_heads["*"] = Pool(all_heads)
        self.org_tails["*"] = Pool(all_tails)
        self.org_form["*"] = self._form_pool(all_pre, all_suf)

    @staticmethod
    def _form_pool(pre, suf):
        """legal forms as (position, entry, surface form) as observed, by count"""
        c = Counter()
        for (i, a), n in pre.items():
            c.add(("pre", i, a), n)
        for (i, a), n in suf.items():
            c.add(("suf", i, a), n)
        return Pool(c)

    def _vessels(self, lp):
        toks = Counter()
        for n in lp.vessel_names:
            for t in fold(n).upper().split():
                if t.isalpha() and len(t) > 2 and t not in ("THE", "AND"):
                    toks.add(t)
        self.vessel_tokens = Pool(toks)
        self.vessel_types = Pool(lp.vessel_types)
        self.vessel_flags = Pool(lp.flags)


# ---- entities --------------------------------------------------------------------

PERSON_CULTURES = Weighted([
    ("listed:arabic", 20), ("listed:persian", 5), ("listed:hispanic", 9), ("listed:russian", 6),
    ("listed:korean", 3), ("listed:world", 5), ("western", 15), ("russian", 12), ("korean", 6),
    ("chinese", 10), ("arabic", 9)])
FIXED_NAT = {
    "western": Weighted([("us", 40), ("gb", 20), ("ca", 8), ("au", 6), ("ie", 3), ("nz", 2),
                         ("de", 5), ("fr", 4), ("nl", 3), ("za", 3), ("cy", 3), ("ch", 3)]),
    "russian": Weighted([("ru", 80), ("by", 8), ("ua", 7), ("kz", 5)]),
    "korean": Weighted([("kr", 60), ("kp", 40)]),
    "chinese": Weighted([("cn", 80), ("hk", 10), ("tw", 5), ("sg", 5)]),
    "arabic": Weighted([("sy", 15), ("iq", 15), ("ye", 10), ("sa", 10), ("lb", 8), ("ly", 8),
                        ("eg", 8), ("jo", 6), ("ae", 6), ("kw", 4), ("tn", 5), ("sd", 5)]),
}
LISTED_NAT_FALLBACK = {"korean": "kp", "russian": "ru", "persian": "ir", "hispanic": "mx"}
MDAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Unique:
    """0..m-1 in a scrambled order without repeats: k -> (a + k*b) mod m, gcd(b, m) = 1"""

    def __init__(self, rng, m):
        self.m, self.k = m, 0
        self.a = int(rng.random() * m)
        self.b = 1 + int(rng.random() * (m - 1))
        while math.gcd(self.b, m) != 1:
            self.b += 1

    def next(self):
        if self.k >= self.m:
            raise SystemExit("gen_synth: ran out of unique numbers")
        v = (self.a + self.k * self.b) % self.m
        self.k += 1
        return v


class Person:
    __slots__ = ("parts", "order", "orig_order", "orig_sep", "gender", "culture", "orig_primary")

    def __init__(self, culture):
        self.culture = culture
        self.parts = []          # [role, latin, [alternative latin spellings], original script]
        self.order = "gmf"       # Latin display order of roles
        self.orig_order = "gmf"
        self.orig_sep = " "
        self.gender = None
        self.orig_primary = 0.0  # chance the primary name is the original script


def korean_forms(lat):
    """'Jong-un' -> ['Jong Un', 'Jongun'] (the usual ways a Korean given name is written)"""
    syl = [s for s in re.split(r"[- ]", lat) if s]
    if len(syl) < 2:
        return []
    return [" ".join(s.capitalize() for s in syl), syl[0].capitalize() + "".join(s.lower() for s in syl[1:]),
            syl[0].capitalize() + "-" + "-".join(s.lower() for s in syl[1:])]


class Generator:
    def __init__(self, src, seed):
        self.src = src
        self.rng = random.Random(seed)
        r = random.Random("%s:numbers" % seed)
        self.imos = Unique(r, 300000)       # IMO 7000000..9999999 before the check digit
        self.passports = Unique(r, 10 ** 8)
        self.regs = Unique(r, 10 ** 9)
        self.var_cache = {}
        self.days = ["%04d-%02d-%02dT%02d:00:00" % (y, m, d, h)
                     for y in (2024, 2025) for m in range(1, 13) for d in range(1, MDAYS[m - 1] + 1)
                     for h in (0, 12)]

    # -- persons --
    def person(self):
        rng, src = self.rng, self.src
        culture = PERSON_CULTURES.pick(rng)
        p = Person(culture)
        if culture.startswith("listed:"):
            self._listed(p, culture[7:])
        else:
            getattr(self, "_" + culture)(p)
        return p

    def _listed(self, p, group):
        rng, src = self.rng, self.src
        gw = src.listed_gender.get(group)
        p.gender = gw.pick(rng) if gw and rng.random() < 0.8 else None
        g = p.gender or "*"
        p.parts.append(["g", src.part_pool(group, "g", g).pick(rng), None, None])
        nm = pick(rng, src.lists.nmiddle[group])
        mp = src.part_pool(group, "m", g)
        for _ in range(nm if mp else 0):
            p.parts.append(["m", mp.pick(rng), None, None])
        p.parts.append(["f", src.part_pool(group, "f", g).pick(rng), None, None])
        if group == "korean":
            p.order = "fgm"
            for part in p.parts:
                if part[0] == "g":
                    part[2] = korean_forms(part[1])
        for part in p.parts:
            if part[2] is None:
                part[2] = self._variants(part[1])
        if group in ("arabic", "persian") and rng.random() < 0.5:
            orig = [src.arabic_of(part[1]) for part in p.parts]
            if all(orig):
                for part, o in zip(p.parts, orig):
                    part[3] = o

    def _variants(self, unit):
        """other spellings of a unit from the variant classes, one token changed"""
        out = self.var_cache.get(unit)
        if out is None:
            toks = unit.split(" ")
            out = []
            for i, t in enumerate(toks):
                for v in self.src.variants.get(t.lower(), ())[:4]:
                    out.append(" ".join(toks[:i] + [tcase(v)] + toks[i + 1:]))
            self.var_cache[unit] = out
        return out

    def _western(self, p):
        rng, src = self.rng, self.src
        p.gender = "male" if rng.random() < 0.8 else "female"
        given = src.west_given[p.gender].pick(rng)
        p.parts.append(["g", given, [given[0] + "."], None])
        if rng.random() < 0.3:
            m = src.west_middle[p.gender].pick(rng) if rng.random() < 0.5 else \
                src.west_given[p.gender].pick(rng)
            p.parts.append(["m", m, [m[0] + "."], None])
        p.parts.append(["f", src.west_family.pick(rng), [], None])

    def _russian(self, p):
        rng, src = self.rng, self.src
        p.gender = "male" if rng.random() < 0.8 else "female"
        scheme = src.ru_schemes.pick(rng)
        roles = "gmf" if rng.random() < 0.85 else "gf"
        for role in roles:
            cyr = src.ru[(role, p.gender)].pick(rng)
            lat = src.ru_lat[(cyr, scheme)]
            alts = []
            for s in sorted(src.iuliia):
                r = src.ru_lat[(cyr, s)]
                if r != lat and r not in alts:
                    alts.append(r)
            p.parts.append([role, lat, alts, cyr])
        p.orig_order = "fgm"
        p.orig_primary = 0.15

    def _korean(self, p):
        rng, src = self.rng, self.src
        h = src.ko_family.pick(rng)
        hg, lat = src.ko_given.pick(rng)
        fam = src.ko_spell[h].pick(rng)
        others = [x for x, _ in src.ko_spellings[h] if x != fam][:3]
        others += [tcase(v) for v in src.variants.get(fam.lower(), ()) if tcase(v) not in others][:2]
        p.parts = [["f", fam, others, h], ["g", lat, korean_forms(lat), hg]]
        p.order = p.orig_order = "fgm"
        p.orig_sep = ""
        p.orig_primary = 0.05

    def _chinese(self, p):
        rng, src = self.rng, self.src
        p.gender = "male" if rng.random() < 0.75 else "female"
        fam = src.zh_family.pick(rng)
        gvn = src.zh_given[p.gender].pick(rng)
        fpy, gpy = src.zh_py[fam], src.zh_py[gvn]
        glat = gpy[0].capitalize() + "".join(gpy[1:])
        galts = [" ".join(s.capitalize() for s in gpy), gpy[0].capitalize() + "-" + "-".join(gpy[1:])] \
            if len(gpy) > 1 else []
        p.parts = [["f", "".join(fpy).capitalize(), [], fam], ["g", glat, galts, gvn]]
        p.order = "fgm" if rng.random() < 0.7 else "gmf"
        p.orig_order = "fgm"
        p.orig_sep = ""
        p.orig_primary = 0.1

    def _arabic(self, p):
        rng, src = self.rng, self.src
        few = len(src.ar_given["female"]) < 10   # faker has few female names with a good spelling
        p.gender = "male" if few or rng.random() < 0.9 else "female"
        roles = ["g"] + ["m"] * (1 if rng.random() < 0.6 else 0) + ["m"] * (1 if rng.random() < 0.3 else 0)
        for role in roles:
            a = src.ar_given[p.gender if role == "g" else "male"].pick(rng)
            sp = src.ar_lat[a]
            p.parts.append([role, sp[0], sp[1:] + self._variants(sp[0]), a])
        if rng.random() < 0.6:
            a = src.ar_family.pick(rng)
            p.parts.append(["f", src.ar_lat[a][0], src.ar_lat[a][1:], a])
        elif len(p.parts) == 1:
            a = src.ar_given["male"].pick(rng)
            p.parts.append(["f", src.ar_lat[a][0], src.ar_lat[a][1:], a])
        else:   # no family name: the last (father's or grandfather's) name stands for it
            p.parts[-1][0] = "f"
        p.orig_primary = 0.2

    # -- rendering a person's names --
    def _latin(self, p, style, alt=None, drop_middle=False):
        parts = sorted((x for x in p.parts if not (drop_middle and x[0] == "m")),
                       key=lambda x: p.order.index(x[0]))
        toks = []
        for i, x in enumerate(parts):
            t = x[1]
            if alt is not None and i == alt and x[2]:
                t = pick(self.rng, x[2])
            toks.append(t)
        if style == "upper":
            return " ".join(toks).upper()
        if style == "comma" and p.order == "gmf":   # FAMILY, Given Middle
            fam = [t for x, t in zip(parts, toks) if x[0] == "f"]
            rest = [t for x, t in zip(parts, toks) if x[0] != "f"]
            if fam and rest:
                return " ".join(fam).upper() + ", " + " ".join(rest)
        if style == "famupper":
            return " ".join(t.upper() if x[0] == "f" else t for x, t in zip(parts, toks))
        return " ".join(toks)

    def _orig(self, p):
        if not all(x[3] for x in p.parts):
            return None
        parts = sorted(p.parts, key=lambda x: p.orig_order.index(x[0]))
        return p.orig_sep.join(x[3] for x in parts)

    def person_names(self, p):
        rng = self.rng
        r = rng.random()
        style = "title" if r < 0.55 else "upper" if r < 0.8 else "comma" if r < 0.92 else "famupper"
        orig = self._orig(p)
        if orig and rng.random() < p.orig_primary:
            primary = orig
        else:
            primary = self._latin(p, style)
        r = rng.random()
        want = 0 if r < 0.45 else 1 if r < 0.8 else 2
        names = [primary]
        weak = None
        tries = 0
        while len(names) < 1 + want and tries < 6:
            tries += 1
            k = rng.random()
            if k < 0.3 and orig:
                n = orig
            elif k < 0.65:
                alt = int(rng.random() * len(p.parts))
                n = self._latin(p, pick(rng, ("title", "upper", "title")), alt=alt)
            elif k < 0.8:
                n = self._latin(p, "comma" if style != "comma" else "title")
            elif sum(1 for x in p.parts if x[0] == "m") and len(p.parts) >= 3:
                n = self._latin(p, style, drop_middle=True)
            else:
                continue
            if n not in names:
                names.append(n)
        if p.culture in ("listed:arabic", "arabic") and rng.random() < 0.1:
            g = p.parts[0][1]
            weak = ("Abu " + g) if p.gender != "female" else ("Umm " + g)
        return names, weak

    def person_entity(self, eid, p, when):
        rng = self.rng
        names, weak = self.person_names(p)
        props = {"name": [names[0]]}
        if len(names) > 1:
            props["alias"] = names[1:]
        if weak:
            props["weakAlias"] = [weak]
        if p.gender and rng.random() < 0.85:
            props["gender"] = [p.gender]
        r = rng.random()
        if r < 0.85:
            y = int(rng.triangular(1935, 2004, 1968))
            if r < 0.55:
                m = 1 + int(rng.random() * 12)
                d = 1 + int(rng.random() * MDAYS[m - 1])
                dates = ["%04d-%02d-%02d" % (y, m, d)]
            elif r < 0.8:
                dates = ["%04d" % y]
            else:
                dates = ["%04d" % y, "%04d" % (y + 1 + int(rng.random() * 3))]
            props["birthDate"] = dates
        nats = self._nationality(p.culture)
        if nats:
            props["nationality"] = nats
        if rng.random() < 0.25:
            props["passportNumber"] = [self._passport(nats[0] if nats else "")]
        return {"id": eid, "caption": names[0], "schema": "Person", "properties": props,
                "last_change": when}

    def _nationality(self, culture):
        rng = self.rng
        r = rng.random()
        if r < 0.15:
            return []
        if culture.startswith("listed:"):
            g = culture[7:]
            w = self.src.nat.get(g)
            one = w.pick(rng) if w else LISTED_NAT_FALLBACK.get(g, "")
            if not one:
                return []
        else:
            w = FIXED_NAT[culture]
            one = w.pick(rng)
        if r > 0.95:
            two = (w.pick(rng) if w else one)
            if two != one:
                return [one, two]
        return [one]

    def _passport(self, cc):
        v = self.passports.next()
        if cc in ("ru", "by", "kz", "ua"):
            return "7%08d" % v
        if cc in ("kp", "kr", "cn", "ir", "iq", "sy"):
            return "%d%08d" % (1 + v % 9, v)
        return "%s%08d" % ("ABCDEFGHJKLMNPRSTUVWXYZ"[v % 23], v)

    # -- organisations --
    def org_entity(self, eid, when):
        rng, src = self.rng, self.src
        group = pick(rng, ("arabic", "persian", "russian", "hispanic", "korean", "world", "world"))
        heads = src.org_heads.get(group, src.org_heads["*"])
        tails = src.org_tails.get(group, src.org_tails["*"])
        forms = src.org_form.get(group, src.org_form["*"])
        words = [heads.pick(rng)]
        if rng.random() < 0.25 or len(words[0]) <= 2:   # "AL" alone names nothing
            words.append(heads.pick(rng))
        for _ in range(0 if rng.random() < 0.2 else 1 if rng.random() < 0.7 else 2):
            t = tails.pick(rng)
            if t not in words:
                words.append(t)
        core = " ".join(words)
        r = rng.random()
        form = forms.pick(rng) if r < 0.71 else pick(rng, src.any_form) if r < 0.75 else None
        upper = rng.random() < 0.6

        def render(f, surface=None):
            c = core if upper else tcase(core)
            if f is None:
                return c
            s = surface or f[2]
            if upper and is_latin(s):
                s = s.upper()
            elif s.islower():
                s = tcase(s)
            return (s + " " + c) if f[0] == "pre" else (c + " " + s)
        names = [render(form)]
        if rng.random() < 0.45:
            r = rng.random()
            alt = None
            if form and r < 0.5:
                display, aliases = src.org_forms[form[1]]
                choices = [a for a in [display] + aliases if fold(a) != fold(form[2])]
                if choices:
                    alt = render(form, choices[0] if choices[0] == display and rng.random() < 0.5
                                 else pick(rng, choices))
            elif len(words) >= 2 and r < 0.8:
                alt = "".join(w[0] for w in words).upper()
            if alt is None:
                alt = render(None) if form else render(("suf", 0, "Ltd"), "Ltd")
            if alt not in names:
                names.append(alt)
        schema = "Company" if rng.random() < 0.6 else "Organization"
        props = {"name": [names[0]]}
        if len(names) > 1:
            props["alias"] = names[1:]
        w = src.nat.get(group)
        if w and rng.random() < 0.85:
            props["country"] = [w.pick(rng)]
        if rng.random() < 0.25:
            props["registrationNumber"] = ["%09d" % self.regs.next()]
        if "SHIPPING" in words and rng.random() < 0.5:
            props["imoNumber"] = [self._imo()]
        return {"id": eid, "caption": names[0], "schema": schema, "properties": props,
                "last_change": when}

    # -- vessels --
    def _imo(self):
        v = 700000 + self.imos.next()
        d = [int(c) for c in str(v)]
        check = sum(x * w for x, w in zip(d, (7, 6, 5, 4, 3, 2))) % 10
        return "IMO%d%d" % (v, check)

    def _vessel_name(self):
        rng, src = self.rng, self.src
        words = [src.vessel_tokens.pick(rng)]
        if rng.random() < 0.35:
            words.append(src.vessel_tokens.pick(rng))
        if rng.random() < 0.1:
            words.append(pick(rng, ("I", "II", "III", "1", "2", "7")))
        return " ".join(words)

    def vessel_entity(self, eid, when):
        rng, src = self.rng, self.src
        name = self._vessel_name()
        props = {"name": [name], "imoNumber": [self._imo()]}
        if rng.random() < 0.35:
            prev = self._vessel_name()
            if prev != name:
                props["previousName"] = [prev]
        props["flag"] = [src.vessel_flags.pick(rng)]
        props["type"] = [src.vessel_types.pick(rng)]
        if rng.random() < 0.5:
            props["callSign"] = ["".join(pick(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                                         for _ in range(5))]
        if rng.random() < 0.4:
            props["mmsi"] = ["%d%08d" % (2 + int(rng.random() * 6), int(rng.random() * 10 ** 8))]
        if rng.random() < 0.5:
            props["tonnage"] = [str(500 + int(rng.random() * 150000))]
        return {"id": eid, "caption": name, "schema": "Vessel", "properties": props,
                "last_change": when}

    def entity(self, i):
        rng = self.rng
        eid = "synth-%07d" % i
        when = pick(rng, self.days)
        r = rng.random()
        if r < 0.70:
            return self.person_entity(eid, self.person(), when)
        if r < 0.95:
            return self.org_entity(eid, when)
        return self.vessel_entity(eid, when)


# ---- queries ---------------------------------------------------------------------

def typo(rng, name):
    toks = name.split(" ")
    cand = [i for i, t in enumerate(toks) if len(t) >= 4 and t.isalpha()]
    if not cand:
        return None
    i = pick(rng, cand)
    t = toks[i]
    j = 1 + int(rng.random() * (len(t) - 2))
    op = int(rng.random() * 4)
    if op == 0:
        t = t[:j] + t[j + 1:]
    elif op == 1:
        t = t[:j] + t[j + 1] + t[j] + t[j + 2:]
    elif op == 2:
        t = t[:j] + t[j] + t[j:]
    else:
        pool = "abcdefghijklmnopqrstuvwxyz" if t.isascii() else t
        c = pick(rng, pool)
        c = c.upper() if t[j].isupper() else c
        t = t[:j] + c + t[j + 1:]
    if t == toks[i]:
        return None
    toks[i] = t
    return " ".join(toks)


def reorder(rng, name):
    if ", " in name:
        a, b = name.split(", ", 1)
        return b + " " + a
    toks = name.split(" ")
    if len(toks) < 2:
        return None
    if len(toks) == 2 or rng.random() < 0.5:
        return " ".join(toks[-1:] + toks[:-1])
    i = int(rng.random() * (len(toks) - 1))
    toks[i], toks[i + 1] = toks[i + 1], toks[i]
    return " ".join(toks)


def drop_middle(rng, name):
    toks = name.replace(", ", " ").split(" ")
    if len(toks) < 3:
        return None
    i = 1 + int(rng.random() * (len(toks) - 2))
    return " ".join(toks[:i] + toks[i + 1:])


def positive_row(rng, ent):
    props = ent["properties"]
    names = props["name"] + [a for a in props.get("alias", []) if " " in a]  # no bare initials
    name = names[0] if len(names) == 1 or rng.random() < 0.65 else pick(rng, names[1:])
    r = rng.random()
    q = None
    if r < 0.25:
        q = typo(rng, name)
    elif r < 0.45:
        q = reorder(rng, name)
    elif r < 0.65:
        q = drop_middle(rng, name)
    q = q or name
    row = {"full_name": q, "expected_id": ent["id"]}
    if ent["schema"] == "Person":
        if "gender" in props and rng.random() < 0.5:
            row["gender"] = props["gender"][0]
        if "birthDate" in props and rng.random() < 0.6:
            row["date_of_birth"] = props["birthDate"][0]
        if "nationality" in props and rng.random() < 0.6:
            row["nationality"] = props["nationality"][0]
    elif "country" in props and rng.random() < 0.5:
        row["nationality"] = props["country"][0]
    return row


def negative_candidates(src, seed, n):
    """names built like the entities' but from their own stream (checked later)"""
    g = Generator(src, "%s:negatives" % seed)
    rng = g.rng
    out = []
    for _ in range(n):
        if rng.random() < 0.8:
            p = g.person()
            name = g._latin(p, pick(rng, ("title", "upper", "comma")))
            row = {"full_name": name}
            if rng.random() < 0.5:
                row["date_of_birth"] = "%04d" % int(rng.triangular(1935, 2004, 1968))
            if p.gender and rng.random() < 0.4:
                row["gender"] = p.gender
        else:
            e = g.org_entity("x", "")
            row = {"full_name": e["properties"]["name"][0]}
        out.append(row)
    return out


# ---- main ---------------------------------------------------------------------------


def generate(args):
    t0 = time.time()
    src = Sources()
    t_src = time.time() - t0
    seed = int(args.seed) if args.seed.isdigit() else args.seed
    gen = Generator(src, seed)
    n, nq = args.entities, args.queries
    qrng = random.Random("%s:queries" % seed)
    npos = min(n, int(round(nq * 0.6))) if nq else 0
    nneg = nq - npos if nq else 0
    want = {i: None for i in sorted(qrng.sample(range(1, n + 1), npos))} if npos else {}
    negs = negative_candidates(src, seed, nneg * 3 + 20) if nneg else []
    neg_keys = {}
    for k, row in enumerate(negs):
        neg_keys.setdefault(name_key(row["full_name"]), []).append(k)
    taken = set()

    schemas = Counter()
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        buf = []
        for i in range(1, n + 1):
            e = gen.entity(i)
            schemas.add(e["schema"])
            buf.append(dumps(e))
            if len(buf) >= 4096:
                buf.append("")
                out.write("\n".join(buf))
                buf = []
            if i in want:
                want[i] = e
            if neg_keys:
                pr = e["properties"]
                for nm in pr["name"] + pr.get("alias", []) + pr.get("weakAlias", []) + \
                        pr.get("previousName", []):
                    if name_key(nm) in neg_keys:
                        taken.update(neg_keys[name_key(nm)])
        if buf:
            buf.append("")
            out.write("\n".join(buf))
    os.replace(tmp, args.output)

    if nq:
        rows = [positive_row(qrng, want[i]) for i in sorted(want)]
        seen = set()
        neg = []
        for k, row in enumerate(negs):
            key = name_key(row["full_name"])
            if k in taken or key in seen:
                continue
            seen.add(key)
            neg.append(row)
            if len(neg) == nneg:
                break
        if len(neg) < nneg:
            print("gen_synth: only %d negatives found (wanted %d)" % (len(neg), nneg), file=sys.stderr)
        rows += neg
        qrng.shuffle(rows)
        with open(args.queries_out, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(QUERY_HEADER)
            for row in rows:
                w.writerow([row.get(c, "") for c in QUERY_HEADER])
    size = os.path.getsize(args.output)
    print("gen_synth: %d entities (%s) -> %s, %.1f MB; %d queries; sources %.1f s, total %.1f s"
          % (n, ", ".join("%s %d" % kv for kv in sorted(schemas.items())), args.output,
             size / 1e6, nq, t_src, time.time() - t0), file=sys.stderr)


# ---- --build-pools: copy the subsets of ../shared/data/names used here ----------------

COPIES = [
    "faker/person_names_by_locale.json", "faker/LICENSE.faker",
    "iuliia/icao_doc_9303.json", "iuliia/bgn_pcgn.json", "iuliia/wikipedia.json",
    "iuliia/mvd_782.json", "iuliia/LICENSE",
    "cldr41/transforms/Han-Latin.xml", "cldr41/transforms/Han-Latin-Names.xml",
    "cldr41/COPYRIGHT.debian",
    "rigour/org_types.yml", "rigour/LICENSE",
    "arabic-name-to-en/fullnamedb.json", "arabic-name-to-en/LICENSE.md",
    "coling2018_wikidata/LICENSE", "google_transliteration/LICENSE",
]


def build_pools(shared):
    for rel in COPIES:
        dst = pool_path(*(rel.replace("transforms/", "").split("/")))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(shared, rel), dst)
    faker = load_json("faker", "person_names_by_locale.json")
    ko_surnames = set(faker["ko"]["last_name"]["generic"])
    en_given = set()
    for v in faker["en"]["first_name"].values():
        en_given.update(v)
    korean = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+-[a-z]+$")
    western = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+$")
    ko_rows, we_rows = [], []
    with open(os.path.join(shared, "coling2018_wikidata", "wd_korean"), encoding="utf-8") as f:
        for line in f:
            en, _, ko = line.rstrip("\n").partition("\t")
            if len(ko) == 3 and all("\uac00" <= c <= "\ud7a3" for c in ko) and \
                    ko[0] in ko_surnames and korean.match(en):
                ko_rows.append(line)
            elif western.match(en) and en.split(" ")[0] in en_given and " " in ko:
                we_rows.append(line)
    fam_n = {}
    for line in we_rows:
        fam = line.split("\t")[0].split(" ")[1]
        fam_n[fam] = fam_n.get(fam, 0) + 1
    we_rows = [x for x in we_rows if fam_n[x.split("\t")[0].split(" ")[1]] >= 2]
    with open(pool_path("coling2018_wikidata", "wd_korean.korean"), "w", encoding="utf-8") as f:
        f.writelines(ko_rows)
    with open(pool_path("coling2018_wikidata", "wd_korean.western"), "w", encoding="utf-8") as f:
        f.writelines(we_rows)
    # ar2en: the lines for the faker Arabic names (also without the article) and for the
    # tokens of the person names on the bundled lists
    want = set()
    for v in list(faker["ar"]["first_name"].values()) + list(faker["ar"]["last_name"].values()):
        for n in v:
            want.add(n)
            if n.startswith("ال"):
                want.add(n[2:])
    lp = harvest_lists(load_countries(), load_titles())
    kept = []
    with open(os.path.join(shared, "google_transliteration", "ar2en.txt"), encoding="utf-8") as f:
        for line in f:
            a, _, e = line.rstrip("\n").partition("\t")
            if a in want or e.lower() in lp.tokens:
                kept.append(line)
    with open(pool_path("google_transliteration", "ar2en.txt"), "w", encoding="utf-8") as f:
        f.writelines(kept)
    print("gen_synth: pools in %s: wd_korean.korean %d lines, wd_korean.western %d, ar2en %d"
          % (POOLS, len(ko_rows), len(we_rows), len(kept)), file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, help="number of screenable entities (N)")
    ap.add_argument("--seed", default="1", help="random seed (any string; default 1)")
    ap.add_argument("-o", "--output", help="FtM JSON lines file to write")
    ap.add_argument("--queries", type=int, default=0, help="also write Q screening queries")
    ap.add_argument("--queries-out", help="CSV file for --queries")
    ap.add_argument("--build-pools", metavar="SHARED_NAMES_DIR",
                    help="rebuild bench/data/pools from ../shared/data/names and exit")
    args = ap.parse_args(argv)
    if args.build_pools:
        build_pools(args.build_pools)
        return 0
    if not args.entities or args.entities < 1 or not args.output:
        ap.error("--entities N (N >= 1) and -o OUT are required")
    if args.queries < 0 or (args.queries and not args.queries_out):
        ap.error("--queries Q needs --queries-out FILE")
    generate(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
