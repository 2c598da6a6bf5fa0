#!/usr/bin/env python3
"""gen_translit.py - build the table-driven transliteration data.

Two steps, both deterministic (python3 standard library only):

  tables  --shared DIR   sources -> data/translit/*.tsv and tests/data/translit/*
                         DIR is the shared name data (../shared/data/names):
                         iuliia/*.json (Cyrillic schemes, MIT) and
                         cldr41/transforms/*.xml, cldr41/testData/*.txt (Unicode licence).
  header                 data/translit/*.tsv -> src/text/translit_data.h (GENERATED)
  all     --shared DIR   both
  check                  exit 1 when src/text/translit_data.h is not what `header` writes

The TSV files are the reviewed source of truth and are committed; the build
needs only the generated header, never the shared directory. Hand edits go
into the TSV files (then run `header`) or into the tables below (then `all`).

TSV format, one rule per line, `#` starts a comment line:

    pattern<TAB>latin[<TAB>note]

pattern is `match`, or ICU-like `before{match}after` with either side
optional. match is one or more letters (lower case; the C side folds case).
before is `^` (word start), one letter, or `[letters]`; after is `$` (word
end), one letter, or `[letters]`. `\\uXXXX` writes a character that would be
invisible (combining marks). latin is lower-case ASCII, possibly empty
(the letter is dropped). Among the rules for one position the longest match
wins, then a rule with context beats one without, then file order.
Combining marks, format characters (ZWNJ) and tatweel are transparent to
contexts and to multi-letter matches.
"""
import argparse
import json
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV_DIR = os.path.join(ROOT, "data", "translit")
TEST_DIR = os.path.join(ROOT, "tests", "data", "translit")
HEADER = os.path.join(ROOT, "src", "text", "translit_data.h")

# Order = enum emb_scheme in src/text/translit_table.h.
SCHEMES = [
    # name, iuliia schema (None: Arabic), fold range for case mapping
    ("cyrl_bgn", "bgn_pcgn", (0x0400, 0x052F)),
    ("cyrl_icao", "icao_doc_9303", (0x0400, 0x052F)),
    ("cyrl_gost", "gost_779_alt", (0x0400, 0x052F)),
    ("arab_bgn", None, (0, 0)),
]

# ---------------------------------------------------------------- folding

# Latin letters and signs in the sources that NFD does not reduce to ASCII.
# Apostrophe-like signs (prime, double prime, ayin, alef, middle dot used by
# BGN for disambiguation, GOST B backticks) are dropped: the normaliser
# deletes apostrophes anyway, and an ASCII table should not emit them.
SPECIAL = {
    "đ": "d", "ə": "e", "æ": "ae", "ß": "ss", "ⁿ": "n",
    "ʹ": "", "ʺ": "", "’": "", "‘": "", "”": "", "“": "", "`": "", "'": "",
    "·": "", "ˌ": "",
    # iuliia's BGN/PCGN and GOST tables write Latin e-diaeresis with the
    # Cyrillic letter (U+0451, NFD: U+0435 U+0308); its BGN value is e.
    "\u0435": "e",
}


def ascii_fold(s):
    """Lower-case ASCII form of a romanisation (ë -> e, ḩ -> h, ʹ -> "")."""
    out = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.category(ch) == "Mn":
            continue
        out.append(SPECIAL.get(ch, ch))
    r = "".join(out).lower()
    if not re.fullmatch(r"[a-z0-9 ,.;?%\-]*", r):
        raise ValueError("cannot fold %r to ASCII (got %r)" % (s, r))
    return r


# ---------------------------------------------------------------- CLDR rules

def cldr_rules(path):
    """Plain one-letter rules `x -> y ;` of a CLDR transform, in file order
    (first rule per letter wins), RHS with variables resolved, not folded.
    Contextual rules, multi-letter rules and filters are skipped: the tables
    add their own context rules."""
    text = open(path, encoding="utf-8").read()
    m = re.search(r"<tRule>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</tRule>", text, re.S)
    body = m.group(1)
    body = body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    var = {}
    rules = {}
    for raw in body.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("::"):
            continue
        vm = re.match(r"^\$(\w+)\s*=\s*(.*?)\s*;", line)
        if vm:
            var[vm.group(1)] = vm.group(2)
            continue
        rm = re.match(r"^(.+?)\s*(?:→|↔)\s*(.*?)\s*;\s*(?:#.*)?$", line)
        if not rm:
            continue
        lhs, rhs = rm.group(1).strip(), rm.group(2)
        if len(lhs) != 1:
            continue  # context, sequence or class
        if lhs in rules:
            continue
        rules[lhs] = resolve_rhs(rhs, var)
    return rules


def resolve_rhs(rhs, var):
    out = []
    i = 0
    while i < len(rhs):
        ch = rhs[i]
        if ch == "$":
            m = re.match(r"\$(\w+)", rhs[i:])
            val = var[m.group(1)]
            out.append(resolve_rhs(val, var))
            i += len(m.group(0))
        elif ch == "'":
            j = rhs.index("'", i + 1)
            out.append(rhs[i + 1:j])
            i = j + 1
        elif ch.isspace():
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


# ---------------------------------------------------------------- rules

class Rule:
    def __init__(self, before, match, after, out, note):
        self.before, self.match, self.after, self.out, self.note = before, match, after, out, note

    def pattern(self):
        def esc(s):
            return "".join("\\u%04X" % ord(c) if unicodedata.category(c) in ("Mn", "Me", "Cf")
                           else c for c in s)
        b = self.before
        if b and b != "^" and len(b) > 1:
            b = "[" + b + "]"
        a = self.after
        if a and a != "$" and len(a) > 1:
            a = "[" + a + "]"
        m = esc(self.match)
        if b or a:
            return "%s{%s}%s" % (esc(b), m, esc(a))
        return m


def letter_name(c):
    return unicodedata.name(c, "U+%04X" % ord(c))


def cyrillic_rules(shared, schema):
    """Rules of one iuliia schema, folded to ASCII, plus other Cyrillic
    letters (Ukrainian/Belarusian at BGN values, South Slavic at their
    national Latin alphabets, the rest from CLDR Cyrillic-Latin)."""
    d = json.load(open(os.path.join(shared, "iuliia", schema + ".json"), encoding="utf-8"))
    if d.get("ending_mapping"):
        raise NotImplementedError("%s: ending_mapping is not supported" % schema)
    src = "iuliia:" + schema
    base = {k: ascii_fold(v) for k, v in d["mapping"].items()}
    ctx = {}   # letter -> list of (before, after, out) in iuliia priority order

    def add(c, before, after, out):
        ctx.setdefault(c, []).append((before, after, out))

    for k, v in (d.get("prev_mapping") or {}).items():
        if len(k) == 1:
            add(k, "^", "", ascii_fold(v))
        elif len(k) == 2:
            add(k[1], k[0], "", ascii_fold(v))
        else:
            raise NotImplementedError(k)
    for k, v in (d.get("next_mapping") or {}).items():
        if len(k) == 1:
            add(k, "", "$", ascii_fold(v))
        elif len(k) == 2:
            add(k[0], "", k[1], ascii_fold(v))
        else:
            raise NotImplementedError(k)

    rules = []
    for c in base:
        alts = ctx.get(c, [])
        # A context rule that folds to the plain value changes nothing, unless
        # it shadows a later context rule with a different value; drop the
        # letter's context rules only when all of them are redundant.
        if alts and any(o != base[c] for _, _, o in alts):
            # merge single-letter contexts with the same side and output into classes
            merged = []
            for before, after, out in alts:
                for mrule in merged:
                    same_side = (bool(before) == bool(mrule[0]) and bool(after) == bool(mrule[1]))
                    if (same_side and mrule[2] == out and before not in ("^",) and
                            after not in ("$",) and mrule[0] != "^" and mrule[1] != "$"):
                        mrule[0] += before
                        mrule[1] += after
                        break
                else:
                    merged.append([before, after, out])
            for before, after, out in merged:
                rules.append(Rule(before, c, after, out, src + " context"))
        rules.append(Rule("", c, "", base[c], src))

    have = set(base)
    extra = []
    # Ukrainian and Belarusian letters at their BGN values, then the extra
    # letters of Kazakh, Uzbek and Mongolian (BGN), first source wins.
    for fname in ("Ukrainian-Latin-BGN.xml", "Belarusian-Latin-BGN.xml", "Kazakh-Latin-BGN.xml",
                  "Uzbek-Latin-BGN.xml", "Mongolian-Latin-BGN.xml"):
        cr = cldr_rules(os.path.join(shared, "cldr41", "transforms", fname))
        for c in sorted(cr):
            if c in have or not (0x0400 <= ord(c) <= 0x052F) or c != c.lower():
                continue
            extra.append(Rule("", c, "", ascii_fold(cr[c]), "cldr:" + fname[:-4]))
            have.add(c)
    # South Slavic letters: Serbian and Macedonian official Latin alphabets,
    # ASCII-folded (dž -> dz, ć -> c); ISO 9 would lose the j of lj/nj.
    for c, v in (("ђ", "dj"), ("ј", "j"), ("љ", "lj"), ("њ", "nj"), ("ћ", "c"), ("џ", "dz"),
                 ("ѓ", "gj"), ("ќ", "kj"), ("ѕ", "dz")):
        if c not in have:
            extra.append(Rule("", c, "", v, "hand: Serbian/Macedonian Latin alphabet"))
            have.add(c)
    # Everything else in the Cyrillic block: CLDR Cyrillic-Latin (ISO 9-like).
    cr = cldr_rules(os.path.join(shared, "cldr41", "transforms", "Cyrillic-Latin.xml"))
    for c in sorted(cr):
        if c in have or not (0x0400 <= ord(c) <= 0x052F) or c != c.lower():
            continue
        try:
            v = ascii_fold(cr[c])
        except ValueError:
            continue
        if v and v.isalpha():
            extra.append(Rule("", c, "", v, "cldr:Cyrillic-Latin"))
            have.add(c)
    # Precomposed letters (Macedonian/Bulgarian grave, Udmurt diaeresis,
    # Tajik macron): the value of the base letter, as NFD plus mark removal.
    value = {r.match: r.out for r in rules + extra if not r.before and not r.after}
    for cp in range(0x0400, 0x0530):
        c = chr(cp)
        if c in have or unicodedata.category(c) != "Ll":
            continue
        base = unicodedata.normalize("NFD", c)[0]
        if base != c and base in value:
            extra.append(Rule("", c, "", value[base], "decomposition: as %s" % base))
            have.add(c)
    return rules + extra


HARAKAT = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"]


def arabic_rules(shared):
    """Arabic-script letters to a BGN consonant skeleton.

    Base: CLDR Arabic-Latin-BGN; letters it lacks from Persian- and
    Pashto-Latin-BGN; Urdu and a few other letters by hand. Arabic values win
    where the languages differ (و w, not Persian v; ث th, not s; ذ dh, not z):
    most Arabic-script names on the lists are Arabic or Afghan. Overrides for
    unvocalised text follow; all marks are dropped, so vocalised and bare
    spellings give the same skeleton."""
    tr = os.path.join(shared, "cldr41", "transforms")
    out = []
    have = set()

    def put(c, v, note, before="", after=""):
        out.append(Rule(before, c, after, v, note))
        if not before and not after and len(c) == 1:
            have.add(c)

    # Lexical rules first in the file (order within a letter is by length anyway).
    put("الله", "allh", "hand: the word Allah kept whole, not split as an article", "^", "$")
    put("عبدالله", "bd allh", "hand: glued Abd-Allah written like the spaced form", "^", "$")
    put("عبدال", "bd al-", "hand: glued Abd al-X split (MATCHING.md 3)", "^")
    put("ال", "al-", "hand: article split off as the Latin lists write al-X", "^")

    overrides = [
        ("ا", "a", "override: alef is a vowel letter in unvocalised text (BGN drops it word-initially, relying on harakat)"),
        ("أ", "a", "override: alef with hamza (seat letter kept, hamza dropped)"),
        ("إ", "a", "override: alef with hamza below"),
        ("آ", "a", "override: alef madda (BGN a)"),
        ("ٱ", "a", "override: alef wasla"),
        ("ى", "a", "override: alef maqsura (BGN writes a after fatha; y only when bare)"),
        ("ي", "y", "override: yeh (missing from CLDR Arabic-Latin-BGN)"),
        ("ء", "", "override: hamza dropped (BGN apostrophe)"),
        ("ؤ", "w", "override: waw with hamza = seat letter, as NFD plus mark removal gives"),
        ("ئ", "y", "override: yeh with hamza = seat letter"),
        ("ع", "", "override: ayin dropped (BGN opening quote, deleted by the normaliser)"),
        ("\u0640", "", "override: tatweel dropped"),
    ]
    for c, v, note in overrides:
        put(c, v, note)
    for c in HARAKAT:
        put(c, "", "override: harakat dropped (%s)" % letter_name(c).lower())

    for fname in ("Arabic-Latin-BGN.xml", "Persian-Latin-BGN.xml", "Pashto-Latin-BGN.xml"):
        cr = cldr_rules(os.path.join(tr, fname))
        for c, v in cr.items():
            if c in have or c in HARAKAT:
                continue
            if not (0x0600 <= ord(c) <= 0x06FF):
                continue
            put(c, ascii_fold(v), "cldr:" + fname[:-4])

    hand = [
        ("ٹ", "t", "Urdu tteh"), ("ڈ", "d", "Urdu ddal"), ("ڑ", "r", "Urdu rreh"),
        ("ں", "n", "Urdu noon ghunna"), ("ھ", "h", "Urdu do-chashmi heh (aspiration)"),
        ("ہ", "h", "Urdu heh goal"), ("ۂ", "h", "Urdu heh goal with hamza"),
        ("ۃ", "h", "Urdu teh marbuta goal"), ("ے", "e", "Urdu yeh barree"),
        ("ۓ", "e", "Urdu yeh barree with hamza"), ("ۍ", "y", "Pashto yeh with tail"),
        ("ۀ", "h", "Persian heh with yeh above (ezafe)"), ("ە", "e", "Kurdish ae"),
        ("ۆ", "o", "Kurdish oe"), ("ێ", "e", "Kurdish yeh with small v"),
        ("ڵ", "l", "Kurdish lam with small v"), ("ڕ", "r", "Kurdish reh with small v"),
        ("ڤ", "v", "Kurdish/Maghrebi veh"), ("ڨ", "g", "Maghrebi qaf with three dots"),
        ("ڭ", "g", "Maghrebi ng"), ("۔", ".", "Urdu full stop"),
    ]
    for c, v, note in hand:
        if c not in have:
            put(c, v, "hand: " + note)
    return out


# ---------------------------------------------------------------- TSV

def write_tsv(name, rules, sources):
    path = os.path.join(TSV_DIR, name + ".tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# %s: GENERATED by scripts/gen_translit.py tables from %s.\n" % (name, sources))
        f.write("# Format: pattern<TAB>latin<TAB>note; see scripts/gen_translit.py and PROVENANCE.md.\n")
        for r in rules:
            f.write("%s\t%s\t%s\n" % (r.pattern(), r.out, r.note))
    return path


def parse_side(s, lineno, path, side):
    if not s:
        return ""
    if s in ("^", "$"):
        if (s == "^") != (side == "before"):
            raise SyntaxError("%s:%d: %s not allowed %s the match" % (path, lineno, s, side))
        return s
    if s.startswith("["):
        if not s.endswith("]") or len(s) < 3:
            raise SyntaxError("%s:%d: bad class %r" % (path, lineno, s))
        return s[1:-1]
    if len(s) != 1:
        raise SyntaxError("%s:%d: context %r must be one letter or [letters]" % (path, lineno, s))
    return s


def unescape(s):
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), s)


def read_tsv(path):
    rules = []
    for lineno, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise SyntaxError("%s:%d: expected pattern<TAB>latin" % (path, lineno))
        pat, out = unescape(cols[0]), cols[1]
        before, after = "", ""
        if "{" in pat:
            before, pat = pat.split("{", 1)
        if "}" in pat:
            pat, after = pat.split("}", 1)
        if not pat:
            raise SyntaxError("%s:%d: empty match" % (path, lineno))
        if not re.fullmatch(r"[a-z0-9 ,.;?%\-]*", out):
            raise SyntaxError("%s:%d: output %r is not lower-case ASCII" % (path, lineno, out))
        if any(ord(c) > 0xFFFF for c in pat):
            raise SyntaxError("%s:%d: only BMP letters are supported" % (path, lineno))
        r = Rule(parse_side(unescape(before), lineno, path, "before"), pat,
                 parse_side(unescape(after), lineno, path, "after"), out, "")
        r.order = len(rules)
        rules.append(r)
    return rules


# ---------------------------------------------------------------- header

def c_uchars(s):
    return ", ".join("0x%04X" % ord(c) for c in s)


def c_string(b):
    out = []
    for ch in b:
        if ch in '"\\':
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def render_header():
    match_pool, out_pool, class_pool, classes = [], [], [], {}
    rules_c, index_c, schemes_c = [], [], []
    nrules_total = 0
    sizes = []

    def pool_add(pool, s):
        # reuse an existing identical run (tables share many short strings)
        joined = "".join(pool)
        pos = joined.find(s)
        if pos >= 0 and s:
            return pos
        pool.append(s)
        return len(joined)

    def class_id(s):
        if not s:
            return 0
        if s == "^" or s == "$":
            return 1
        if s not in classes:
            off = pool_add(class_pool, s)
            classes[s] = (len(classes) + 2, off, len(s))
        return classes[s][0]

    for name, _, fold in SCHEMES:
        path = os.path.join(TSV_DIR, name + ".tsv")
        rules = read_tsv(path)
        seen = set()
        for r in rules:
            key = (r.before, r.match, r.after)
            if key in seen:
                raise SyntaxError("%s: duplicate rule for %s" % (path, r.pattern()))
            seen.add(key)
        rules.sort(key=lambda r: (ord(r.match[0]), -len(r.match),
                                  0 if (r.before or r.after) else 1, r.order))
        lo = min(ord(r.match[0]) for r in rules)
        hi = max(ord(r.match[0]) for r in rules)
        start = nrules_total
        idx = []
        k = 0
        for c in range(lo, hi + 2):
            while k < len(rules) and ord(rules[k].match[0]) < c:
                k += 1
            idx.append(start + k)
        for r in rules:
            if len(r.out) > 4 * len(r.match):
                # translit_table.h promises that cap = 4 * n always suffices
                raise ValueError("%s: output longer than 4 units per input unit" % r.pattern())
            moff = pool_add(match_pool, r.match)
            ooff = pool_add(out_pool, r.out) if r.out else 0
            bid, aid = class_id(r.before), class_id(r.after)

            def side(ctx, cid):
                if not ctx:
                    return ""
                if ctx in ("^", "$"):
                    return ctx
                return "U+%04X" % ord(ctx) if len(ctx) == 1 else "[class %d]" % cid
            desc = " ".join("U+%04X" % ord(c) for c in r.match)
            if r.before or r.after:
                desc = "%s{%s}%s" % (side(r.before, bid), desc, side(r.after, aid))
            rules_c.append("    {%d, %d, %d, %d, %d, %d}, /* %s -> \"%s\" */" % (
                moff, len(r.match), ooff, len(r.out), bid, aid, desc, c_string(r.out)))
        index_off = len(index_c)
        index_c.extend(idx)
        schemes_c.append("    {0x%04X, 0x%04X, 0x%04X, 0x%04X, %d}, /* %s: %d rules */" % (
            lo, hi, fold[0], fold[1], index_off, name, len(rules)))
        sizes.append((name, len(rules)))
        nrules_total += len(rules)

    matches = "".join(match_pool)
    outs = "".join(out_pool)
    cls = "".join(class_pool)
    if max(len(matches), len(outs), len(cls), nrules_total) > 0xFFFF:
        raise ValueError("tables too large for 16-bit offsets")

    lines = []
    w = lines.append
    w("/*")
    w(" * translit_data.h - GENERATED by scripts/gen_translit.py from data/translit/<scheme>.tsv.")
    w(" * Do not edit: change the TSV files and run `python3 scripts/gen_translit.py header`.")
    w(" * Included only by translit_table.c.")
    w(" *")
    w(" * " + ", ".join("%s %d rules" % s for s in sizes) + ".")
    w(" */")
    w("#ifndef EMB_TRANSLIT_DATA_H")
    w("#define EMB_TRANSLIT_DATA_H")
    w("")
    w("#include <stdint.h>")
    w("#include <unicode/utypes.h>")
    w("")
    w("typedef struct emb_tt_rule {")
    w("    uint16_t moff;    /* match: EMB_TT_MATCH[moff .. moff + mlen) */")
    w("    uint8_t mlen;")
    w("    uint16_t ooff;    /* output: EMB_TT_OUT[ooff .. ooff + olen), lower-case ASCII */")
    w("    uint8_t olen;")
    w("    uint8_t before;   /* 0 any, 1 word start, n >= 2 EMB_TT_CLASSES[n - 2] */")
    w("    uint8_t after;    /* 0 any, 1 word end, n >= 2 EMB_TT_CLASSES[n - 2] */")
    w("} emb_tt_rule;")
    w("")
    w("typedef struct emb_tt_class {")
    w("    uint16_t off;     /* EMB_TT_CLASS_CHARS[off .. off + len) */")
    w("    uint16_t len;")
    w("} emb_tt_class;")
    w("")
    w("typedef struct emb_tt_scheme {")
    w("    UChar lo, hi;           /* first letters of the rules lie in [lo, hi] */")
    w("    UChar fold_lo, fold_hi; /* letters lower-cased before lookup (0, 0: none) */")
    w("    uint16_t index;         /* rules for letter c: EMB_TT_INDEX[index + c - lo] up to")
    w("                               EMB_TT_INDEX[index + c - lo + 1] */")
    w("} emb_tt_scheme;")
    w("")
    w("#define EMB_TT_NSCHEMES %d" % len(SCHEMES))
    w("")

    def arr(decl, items, per_line=8):
        w(decl + " = {")
        for i in range(0, len(items), per_line):
            w("    " + ", ".join(items[i:i + per_line]) + ",")
        w("};")
        w("")

    arr("static const UChar EMB_TT_MATCH[%d]" % max(1, len(matches)),
        ["0x%04X" % ord(c) for c in matches] or ["0"])
    w("static const char EMB_TT_OUT[] =")
    for i in range(0, max(1, len(outs)), 64):
        w('    "%s"' % c_string(outs[i:i + 64]))
    w("    ;")
    w("")
    arr("static const UChar EMB_TT_CLASS_CHARS[%d]" % max(1, len(cls)),
        ["0x%04X" % ord(c) for c in cls] or ["0"])
    ordered = sorted(classes.values())
    w("static const emb_tt_class EMB_TT_CLASSES[%d] = {" % max(1, len(ordered)))
    for cid, off, ln in ordered:
        w("    {%d, %d}, /* %d: %s */" % (off, ln, cid, " ".join("U+%04X" % ord(c)
                                                              for c in cls[off:off + ln])))
    if not ordered:
        w("    {0, 0},")
    w("};")
    w("")
    w("static const emb_tt_rule EMB_TT_RULES[%d] = {" % nrules_total)
    lines.extend(rules_c)
    w("};")
    w("")
    arr("static const uint16_t EMB_TT_INDEX[%d]" % len(index_c), [str(x) for x in index_c], 16)
    w("static const emb_tt_scheme EMB_TT_SCHEMES[EMB_TT_NSCHEMES] = {")
    lines.extend(schemes_c)
    w("};")
    w("")
    w("#endif")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- test data

def write_test_data(shared):
    os.makedirs(TEST_DIR, exist_ok=True)
    for name, schema, _ in SCHEMES:
        if not schema:
            continue
        d = json.load(open(os.path.join(shared, "iuliia", schema + ".json"), encoding="utf-8"))
        with open(os.path.join(TEST_DIR, "iuliia_%s.tsv" % schema), "w", encoding="utf-8") as f:
            f.write("# iuliia %s samples (github.com/nalgeon/iuliia, MIT): source<TAB>expected\n"
                    % schema)
            for src, exp in d["samples"]:
                f.write("%s\t%s\n" % (src, exp))
    td = os.path.join(shared, "cldr41", "testData")

    def copy_pairs(fname, outname, step):
        lines = [ln.rstrip("\n") for ln in open(os.path.join(td, fname), encoding="utf-8")
                 if ln.strip() and not ln.startswith("#")]
        with open(os.path.join(TEST_DIR, outname), "w", encoding="utf-8") as f:
            f.write("# CLDR 41 common/testData/transforms/%s (Unicode licence), %s:"
                    " source<TAB>expected\n" % (fname, "all lines" if step == 1
                                                 else "every %dth line" % step))
            for i, ln in enumerate(lines):
                if i % step == 0:
                    f.write(ln + "\n")

    copy_pairs("ru-Latn-t-ru-m0-bgn.txt", "cldr_ru_bgn.tsv", 1)
    copy_pairs("fa-Latn-t-fa-m0-bgn.txt", "cldr_fa_bgn.tsv", 6)


# ---------------------------------------------------------------- main

def cmd_tables(shared):
    os.makedirs(TSV_DIR, exist_ok=True)
    for name, schema, _ in SCHEMES:
        if schema:
            rules = cyrillic_rules(shared, schema)
            srcs = "iuliia %s.json and CLDR 41 Ukrainian-, Belarusian-Latin-BGN, Cyrillic-Latin" \
                % schema
        else:
            rules = arabic_rules(shared)
            srcs = "CLDR 41 Arabic-, Persian-, Pashto-Latin-BGN plus overrides"
        print("wrote", os.path.relpath(write_tsv(name, rules, srcs), ROOT), len(rules), "rules")
    write_test_data(shared)
    print("wrote", os.path.relpath(TEST_DIR, ROOT))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=["tables", "header", "all", "check"])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "data", "names"))
    a = ap.parse_args()
    if a.cmd in ("tables", "all"):
        cmd_tables(a.shared)
    if a.cmd in ("header", "all"):
        text = render_header()
        with open(HEADER, "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote", os.path.relpath(HEADER, ROOT))
    if a.cmd == "check":
        cur = open(HEADER, encoding="utf-8").read() if os.path.exists(HEADER) else ""
        if cur != render_header():
            print("src/text/translit_data.h is stale: run scripts/gen_translit.py header",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
