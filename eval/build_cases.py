"""Case builders of the evaluation harness, one per category (eval/README.md).

Every builder returns a list of case dicts:
  id, category, sub, script, schema, query, birth_date, nationality,
  expected (sorted list of UN references; empty = a negative), fold (int or
  None: the LOAO fold whose list the query runs against), source (what the
  query was made from), note.
and records counts (dropped, disputed, ...) in a `notes` dict.
Standard library only; deterministic (common.rng).
"""
import csv
import os
import re

import common
from common import fold, norm, rng, script_of, content_tokens, tokens


def case(cid, category, sub, query, expected, schema="", fold_=None, source="", note="",
         birth_date="", nationality=""):
    return {"id": cid, "category": category, "sub": sub, "script": script_of(query),
            "schema": schema, "query": query, "birth_date": birth_date,
            "nationality": nationality, "expected": sorted(expected), "fold": fold_,
            "source": source, "note": note}


# ---- 1. OpenSanctions UN positives ----------------------------------------------

def truth_index(entries):
    """make_truth's mapping: normalised name -> refs over every entry's names."""
    idx = {}
    for e in entries:
        for n in e.names():
            k = norm(n)
            if k:
                idx.setdefault(k, set()).add(e.ref)
    return idx


def os_positives(untreated_path, treated_path, entries, notes, rows=None):
    idx = truth_index(entries)
    with open(untreated_path, newline="", encoding="utf-8") as f:
        unt = list(csv.DictReader(f))
    with open(treated_path, newline="", encoding="utf-8") as f:
        tre = list(csv.DictReader(f))
    out = []
    none = several = 0
    for i, r in enumerate(unt, start=1):
        refs = idx.get(norm(r["full_name"]), set())
        if len(refs) != 1:
            none += not refs
            several += len(refs) > 1
            continue
        if rows is not None and i not in rows:
            continue
        t = tre[i - 1]
        for sub, row in (("untreated", r), ("treated", t)):
            out.append(case(f"os:{sub}:{i}", "os_pos", sub, row["full_name"], refs,
                            source=f"row {i}: {r['full_name']}"))
            out.append(case(f"os:{sub}+fields:{i}", "os_pos", sub + "+fields", row["full_name"], refs,
                            source=f"row {i}: {r['full_name']}", birth_date=row["date_of_birth"],
                            nationality=row["nationality"]))
    notes["os_pos"] = (f"{len(unt)} rows; truth by make_truth's mapping: {len(unt) - none - several} mapped, "
                       f"{none} dropped (no entry), {several} dropped (several entries)")
    return out


# ---- 2/3. Leave-one-alias-out and original script -------------------------------

def assign_folds(entries):
    """{(ref, holdable index): fold}: each entry's holdable names (alias elements and
    the original-script name) shuffled with a per-entry seed; the i-th goes to fold i,
    so a fold holds out at most one name per entry."""
    out = {}
    for e in entries:
        order = list(range(len(e.holdable)))
        rng("folds", e.ref).shuffle(order)
        for f, hi in enumerate(order):
            out[(e.ref, hi)] = f
    return out


NOTE_RE = re.compile(r"^\s*original script\s*:\s*", re.I)


def is_acronym(s):
    s = s.strip()
    return bool(re.fullmatch(r"[A-Z][A-Z0-9/\-]{1,9}", s)) and sum(c.isalpha() for c in s) >= 2


def clean_piece(p):
    """An alias piece as a query: parenthesised text in another script or an
    acronym becomes its own query; other parenthesised notes are dropped; ', born
    ...' and trailing punctuation cut. Returns a list of query strings."""
    out = []
    main = p
    for m in list(re.finditer(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", p)):
        inner = NOTE_RE.sub("", m.group(1)).strip()
        outer_script = script_of(re.sub(r"\(.*?\)", " ", p))
        if inner and (script_of(inner) != outer_script or is_acronym(inner)):
            out.append(inner)
        main = main.replace(m.group(0), " ")
    main = re.split(r",\s*born\b", main)[0]
    main = " ".join(main.split()).strip(" ,;")
    if main:
        out.insert(0, main)
    return [q for q in out if sum(c.isalpha() for c in q) >= 2]


def closeness(query, kept):
    """True if some kept name K and the query cover each other at least half:
    at least half of the query's content tokens have a variant in K and at least
    half of K's content tokens have a variant in the query."""
    qt = content_tokens(query)
    if not qt:
        return False
    for k in kept:
        kt = content_tokens(k)
        if not kt:
            continue
        a = sum(any(common.token_variant(x, y) for y in kt) for x in qt)
        b = sum(any(common.token_variant(y, x) for x in qt) for y in kt)
        if 2 * a >= len(qt) and 2 * b >= len(kt):
            return True
    return False


def classify(query, kept, vidx=None):
    """'variant' with the rule that fired, or 'different' (eval/README.md, Rules)."""
    qt = content_tokens(query)
    qf = tokens(query)
    for k in kept:
        kt = content_tokens(k)
        for a in qt:
            for b in kt:
                if a == b:
                    return "variant", "shared part"
        for a in qt:
            for b in kt:
                if common.token_variant(a, b):
                    return "variant", "spelling"
        if len(qf) == 1 and common.acronym_of(qf[0], k):
            return "variant", "acronym"
        kf = tokens(k)
        if len(kf) == 1 and common.acronym_of(kf[0], query):
            return "variant", "acronym"
    return "different", ""


def loao_and_original(entries, notes):
    """Categories 2 (Latin-script held-out aliases) and 3 (original script: present
    and held out). Returns (cases, folds) where folds = {fold: {ref: holdable index}}."""
    fmap = assign_folds(entries)
    name_refs = truth_index(entries)
    folds = {}
    out = []
    dup = amb = 0
    for e in entries:
        for hi, (kind, ai, quality, text) in enumerate(e.holdable):
            f = fmap[(e.ref, hi)]
            folds.setdefault(f, {})[e.ref] = hi
            if kind == "alias":
                pieces = common.split_alias(text)
                kept = [e.primary] + [p for _, p, a in e.aliases if a != ai]
                if e.original:
                    kept.append(e.original)
            else:
                pieces = [text]
                kept = [e.primary] + [p for _, p, _ in e.aliases]
            kept_norm = {norm(k) for k in kept}
            queries = []
            for p in pieces:
                queries += clean_piece(p) if kind == "alias" else [p]
            seen = set()
            for qi, q in enumerate(queries):
                nq = norm(q)
                if not nq or nq in seen:
                    continue
                seen.add(nq)
                cid = f"{e.ref}:{'o' if kind == 'original' else 'a%d' % ai}:{qi}"
                sc = script_of(q)
                orig_like = kind == "original" or sc != "Latin"
                # present in the list: every original-script name (3a)
                if orig_like:
                    out.append(case("orig:present:" + cid, "orig", "present", q, {e.ref}, e.schema,
                                    source=e.primary, note=kind))
                if nq in kept_norm:
                    dup += 1
                    continue
                others = name_refs.get(nq, set()) - {e.ref}
                amb += bool(others)
                expected = {e.ref} | others
                if orig_like:
                    out.append(case("orig:heldout:" + cid, "orig", "held-out", q, expected, e.schema,
                                    fold_=f, source=e.primary, note=kind))
                    continue
                cls, rule = classify(q, kept)
                weak = quality.lower() == "low"
                if cls == "variant" and not weak:
                    cls += "-close" if rule == "acronym" or closeness(q, kept) else "-partial"
                sub = ("weak-" if weak else "") + cls
                out.append(case("loao:" + cid, "loao", sub, q, expected, e.schema, fold_=f,
                                source=e.primary, note=f"{quality or '-'}; {rule or 'no shared part'}"))
    notes["loao"] = (f"{len(folds)} folds (one held-out name per entry per fold); "
                     f"{dup} held-out names skipped because the entry keeps an identical name "
                     f"(after normalisation); {amb} also name another entry (all such entries expected)")
    return out, folds


def write_fold_xml(tree, entries_by_ref, fold_map, path):
    """Write the UN XML with, for each entry of the fold, its held-out name
    emptied (ALIAS_NAME text cleared) or removed (NAME_ORIGINAL_SCRIPT)."""
    import copy
    import xml.etree.ElementTree as ET
    t = copy.deepcopy(tree)
    root = t.getroot()
    for rec in root.iter():
        tag = common.local(rec.tag)
        if tag not in ("INDIVIDUAL", "ENTITY"):
            continue
        ref = (rec.findtext("REFERENCE_NUMBER") or "").strip()
        hi = fold_map.get(ref)
        if hi is None:
            continue
        e = entries_by_ref[ref]
        kind, ai, _, _ = e.holdable[hi]
        if kind == "original":
            for el in list(rec):
                if common.local(el.tag) == "NAME_ORIGINAL_SCRIPT":
                    rec.remove(el)
        else:
            i = 0
            for al in rec:
                if common.local(al.tag) in ("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
                    if i == ai:
                        for el in al:
                            if common.local(el.tag) == "ALIAS_NAME":
                                el.text = ""
                    i += 1
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    t.write(path, encoding="UTF-8", xml_declaration=True)


# ---- 4. Korean spellings -----------------------------------------------------------

def korean_cases(entries, rom, notes):
    import korean
    name_refs = truth_index(entries)
    out = []
    dprk = [e for e in entries if e.regime == "DPRK" and e.schema == "Person"]
    got = 0
    reasons = {}
    dropped_same = dropped_other = 0
    for e in dprk:
        vs, info = korean.variants(e.fields, rom)
        if info:
            key = info.split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
        own = {norm(n) for n in e.names()}
        seen = set()
        n = 0
        for style, join, text in vs:
            if text in seen:
                continue
            seen.add(text)
            nt = norm(text)
            if nt in own:
                dropped_same += 1
                continue
            if name_refs.get(nt, set()) - {e.ref}:
                dropped_other += 1
                continue
            n += 1
            out.append(case(f"kor:{e.ref}:{style}:{join}", "korean", f"{style}/{join}", text, {e.ref},
                            "Person", source=e.primary, note=style))
        got += n > 0
    notes["korean"] = (f"{len(dprk)} DPRK individuals; {got} got at least one variant; "
                       f"names with a style skipped as ambiguous: {reasons.get('ambiguous', 0)}, "
                       f"with an unmapped syllable: {reasons.get('unmapped syllable', 0)}; "
                       f"{dropped_same} variants equal to a listed name of the entry and "
                       f"{dropped_other} equal to another entry's name left out; "
                       f"syllable table from {rom.n_aligned} aligned Wikidata labels")
    return out


# ---- 5. Mechanical perturbations ---------------------------------------------------

TITLES = ("Dr", "Haji", "Mullah", "Sheikh")
LEGAL_SWAP = [
    (r"\bCO\.?,?\s*LTD\.?$", "Company Limited"),
    (r"\bCOMPANY LIMITED$", "Co., Ltd."),
    (r"\bCORPORATION$", "Corp."),
    (r"\bCORP\.?$", "Corporation"),
    (r"\bLIMITED$", "Ltd."),
    (r"\bLTD\.?$", "Limited"),
    (r"\bCOMPANY$", "Co."),
    (r"\bCO\.?$", "Company"),
    (r"\bLLC$", "Limited Liability Company"),
    (r"\bJSC$", "Joint Stock Company"),
    (r"\bJOINT STOCK COMPANY$", "JSC"),
    (r"\bINC\.?$", "Incorporated"),
]
LEGAL_ADD = ("LLC", "Co., Ltd.", "JSC", "Company Limited", "Corporation")
# a legal form is added only to names that read as businesses
BUSINESS = re.compile(r"\b(TRADING|SHIPPING|COMPANY|CORPORATION|BANK|INDUSTR\w*|ENTERPRISE\w*|IMPORT|EXPORT|"
                      r"COMMERCIAL|INVESTMENT\w*|DEVELOPMENT|TECHNOLOG\w*|HOLDING\w*|ESTABLISHMENT|EXCHANGE|"
                      r"AIRLINE\w*|MARITIME|NAVIGATION|INSURANCE|ENGINEERING|MANAGEMENT|INTERNATIONAL)\b", re.I)


def letters(s):
    return sum(c.isalpha() for c in s)


def typo(s, r, n):
    """n random edits (insert, delete, substitute, transpose) at letter positions."""
    abc = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(n):
        pos = [i for i, c in enumerate(s) if c.isalpha() and c.isascii()]
        if len(pos) < 2:
            return None
        op = r.choice(("insert", "delete", "substitute", "transpose"))
        i = r.choice(pos)
        up = s[i].isupper()
        ch = r.choice(abc)
        ch = ch.upper() if up else ch
        if op == "insert":
            s = s[:i] + ch + s[i:]
        elif op == "delete":
            s = s[:i] + s[i + 1:]
        elif op == "substitute":
            while ch.lower() == s[i].lower():
                ch = r.choice(abc)
                ch = ch.upper() if up else ch
            s = s[:i] + ch + s[i + 1:]
        else:
            j = i + 1
            if j >= len(s) or not s[j].isalpha() or s[j].lower() == s[i].lower():
                j = i - 1
            if j < 0 or not s[j].isalpha() or s[j].lower() == s[i].lower():
                s = s[:i] + s[i + 1:]   # no distinct neighbour: delete instead
            else:
                a, b = min(i, j), max(i, j)
                s = s[:a] + s[b] + s[a] + s[b + 1:]
    return s


def perturbations(e, r):
    """[(type, query)] for one entry."""
    out = []
    name = e.primary
    toks = name.split()
    person = e.schema == "Person"
    n = letters(name)
    if n >= 8:
        out.append(("typo1", typo(name, rng("typo1", e.ref), 1)))
    if n >= 16:
        out.append(("typo2", typo(name, rng("typo2", e.ref), 2)))
    if person and len(toks) >= 2:
        out.append(("reversed", " ".join(reversed(toks))))
        if len(e.fields) >= 2:
            if e.regime == "DPRK":
                sur, given = e.fields[0], e.fields[1:]
            else:
                sur, given = e.fields[-1], e.fields[:-1]
            out.append(("comma", f"{sur}, {' '.join(given)}"))
            ini = " ".join(next(ch for ch in w if ch.isalpha()).upper() + "."
                           for g in given for w in g.replace("-", " ").split() if any(ch.isalpha() for ch in w))
            if ini:
                out.append(("initials", f"{ini} {sur}" if e.regime != "DPRK" else f"{sur} {ini}"))
        if len(toks) >= 3:
            k = r.randrange(1, len(toks) - 1)
            out.append(("middle-dropped", " ".join(toks[:k] + toks[k + 1:])))
        out.append(("title", f"{r.choice(TITLES)} {name}"))
    out.append(("case", name.lower() if r.random() < 0.5 else " ".join(w.capitalize() for w in name.lower().split())))
    if len(toks) >= 2 or "-" in name:
        opts = []
        if "-" in name:
            opts.append(name.replace("-", " "))
        if len(toks) >= 2:
            k = r.randrange(0, len(toks) - 1)
            opts.append(" ".join(toks[:k + 1]) + "-" + " ".join(toks[k + 1:]))
            opts.append("  " + "  ".join(toks) + " ")
        out.append(("spacing", r.choice(opts)))
        if len(toks) >= 2:
            k = r.randrange(0, len(toks) - 1)
            out.append(("glued", " ".join(toks[:k] + [toks[k] + toks[k + 1]] + toks[k + 2:])))
    if not person:
        up = name.upper().rstrip()
        for pat, rep in LEGAL_SWAP:
            m = re.search(pat, up)
            if m:
                out.append(("legal-form-changed", name[:m.start()].rstrip(" ,") + " " + rep))
                stem = name[:m.start()].rstrip(" ,")
                if len(stem.split()) >= 2:
                    out.append(("legal-form-removed", stem))
                break
        else:
            if BUSINESS.search(name):
                out.append(("legal-form-added", f"{name.rstrip()} {r.choice(LEGAL_ADD)}"))
    return [(t, q) for t, q in out if q and q.strip()]


def perturbation_cases(entries, notes):
    name_refs = truth_index(entries)
    tok_index = {}
    for e in entries:
        for nm in e.names():
            for t in set(fold(nm).split()):
                tok_index.setdefault(t, set()).add(e.ref)
    by_ref = {e.ref: e for e in entries}

    def containing(query):
        qt = fold(query).split()
        full = [t for t in qt if len(t) > 1]
        cands = None
        for t in full:
            s = tok_index.get(t, set())
            cands = s if cands is None else cands & s
        if cands is None:
            cands = set(by_ref)
        out = set()
        for ref in cands:
            for nm in by_ref[ref].names():
                if common.compatible(qt, fold(nm).split()):
                    out.add(ref)
                    break
        return out

    out = []
    dropped = 0
    for e in entries:
        r = rng("perturb", e.ref)
        for typ, q in perturbations(e, r):
            others = name_refs.get(norm(q), set()) - {e.ref}
            if typ.startswith("typo"):
                if others or norm(q) == norm(e.primary):
                    dropped += 1
                    continue
                expected = {e.ref}
            else:
                expected = {e.ref} | others | (containing(q) if typ in ("middle-dropped", "initials",
                                                                       "reversed", "comma", "case",
                                                                       "spacing") else set())
            out.append(case(f"pert:{e.ref}:{typ}", "perturb", typ, q, expected, e.schema,
                            source=e.primary))
    multi = sum(len(c["expected"]) > 1 for c in out)
    notes["perturb"] = (f"UN primary names, seed {common.SEED}; {dropped} typo cases dropped (equal to "
                        f"a listed name); {multi} cases expect several entries (a shortened or reordered "
                        f"name that is also a sub-name of another entry)")
    return out


# ---- 6. Negatives ---------------------------------------------------------------------

def negative_disputed(name, idx, dprk_names, rom):
    """Why a synthetic negative is really a listed name (a homonym), or ''."""
    if idx.get(norm(name)):
        return "equal to a listed name after normalisation"
    if rom is not None and script_of(name) == "Hangul":
        import korean
        if korean.hangul_homonym(name, dprk_names, rom):
            return "Hangul spelling of a listed DPRK name, syllable by syllable"
    return ""


def dprk_person_names(entries):
    return sorted({n for e in entries if e.regime == "DPRK" and e.schema == "Person"
                   for n in [e.primary] + [p for _, p, _ in e.aliases] if script_of(n) == "Latin"})


def os_negatives(paths, entries, notes, rom=None, out_dir=None):
    """paths: {"global": csv, "us": csv}: every row, name only, no schema."""
    idx = truth_index(entries)
    dn = dprk_person_names(entries)
    out = []
    disputed = []
    for key in sorted(paths):
        with open(paths[key], newline="", encoding="utf-8") as f:
            for i, r in enumerate(csv.DictReader(f), start=1):
                why = negative_disputed(r["full_name"], idx, dn, rom)
                if why:
                    disputed.append((f"negatives_{key}.csv", str(i), r["full_name"], why))
                    continue
                out.append(case(f"negos:{key}:{i}", "neg_os", key, r["full_name"], set(),
                                source=f"negatives_{key}.csv row {i}"))
    notes["neg_os"] = (f"OpenSanctions synthetic negatives, name only, no schema; {len(disputed)} rows that "
                       f"are a listed name (equal after normalisation, or a Hangul spelling of a listed DPRK "
                       f"name) moved to disputed, not scored (disputed_neg_os.tsv in the output folder)")
    if out_dir:
        with open(os.path.join(out_dir, "disputed_neg_os.tsv"), "w", encoding="utf-8") as f:
            f.write("file\trow\tname\treason\n")
            for d in disputed:
                f.write("\t".join(d) + "\n")
    return out


class SharedCounter:
    """For a query, the largest number of its content tokens that are variants of
    tokens of one UN name (token_variant over every name of every entry)."""

    def __init__(self, entries, tight=False):
        self.names = []
        vocab = set()
        self.tok2names = {}
        for e in entries:
            for n in e.names():
                ct = set(content_tokens(n))
                if not ct:
                    continue
                nid = len(self.names)
                self.names.append((e.ref, n, e.schema))
                for t in ct:
                    self.tok2names.setdefault(t, set()).add(nid)
                vocab |= ct
        self.vi = common.VariantIndex(vocab, tight)

    def per_name(self, query):
        counts = {}
        for t in set(content_tokens(query)):
            ids = set()
            for v in self.vi.variants(t):
                ids |= self.tok2names.get(v, set())
            for i in ids:
                counts[i] = counts.get(i, 0) + 1
        return counts

    def max_shared(self, query):
        c = self.per_name(query)
        return max(c.values()) if c else 0


def common_name_negatives(entries, pools, notes, per_locale=500):
    sc = SharedCounter(entries)
    persons = [e for e in entries if e.schema == "Person" and len(e.fields) >= 2]
    out = []
    made = {}
    for loc in sorted(pools):
        if loc == "ko":
            src = [e for e in persons if e.regime == "DPRK"]
        elif loc in ("ar", "fa"):
            src = [e for e in persons if e.regime != "DPRK"]
        else:
            src = persons
        family_first = loc in ("ko", "zh_CN")
        r = rng("common", loc)
        given, family = pools[loc]["given"], pools[loc]["family"]
        seen = set()
        n = tries = 0
        while n < per_locale and tries < per_locale * 200:
            tries += 1
            e = r.choice(src)
            if e.regime == "DPRK":
                l_fam, l_giv = e.fields[0], " ".join(e.fields[1:])
            else:
                l_fam, l_giv = e.fields[-1], e.fields[0]
            if r.random() < 0.5 and family:
                kind, listed, innocent = "listed given + innocent family", l_giv, r.choice(family)
                g, f_ = listed, innocent
            else:
                kind, listed, innocent = "listed family + innocent given", l_fam, r.choice(given)
                g, f_ = innocent, listed
            if len(content_tokens(listed)) != 1 or not content_tokens(innocent):
                continue
            listed = " ".join(w.capitalize() if w.isupper() else w for w in listed.split())
            if kind.startswith("listed given"):
                g = listed
            else:
                f_ = listed
            q = f"{f_} {g}" if family_first else f"{g} {f_}"
            if norm(q) in seen:
                continue
            # exactly one shared name part with the source name, at most one with any listed name
            if sc.max_shared(q) != 1:
                continue
            seen.add(norm(q))
            n += 1
            out.append(case(f"negc:{loc}:{n}", "neg_common", loc, q, set(), "Person",
                            source=f"{e.ref} {e.primary}", note=kind))
        made[loc] = n
    notes["neg_common"] = ("faker name pools romanised (eval/negnames.py) combined with one listed "
                           "given or family name; kept only if at most one content token is a variant "
                           "of a token of any listed name (exactly one of the source); per locale: "
                           + ", ".join(f"{k} {v}" for k, v in sorted(made.items())))
    return out


MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def glued_key(name):
    """Content tokens (legal forms and generic words dropped) glued together, with
    any parenthesised part removed: CHONGCHONGANG SHIPPING COMPANY LIMITED and Chong
    Chon Gang Shipping Co. Ltd. give the same key."""
    return "".join(content_tokens(re.sub(r"\([^)]*\)", " ", name)))


def ofac_negatives(sdn_path, entries, notes, out_dir=None):
    un_keys = {glued_key(n) for e in entries for n in e.names()} - {""}
    sc = SharedCounter(entries, tight=True)
    same = common.NameIndex(entries)
    by_ref = {e.ref: e for e in entries}
    out = []
    on_un = disputed = 0
    disputed_rows = []
    with open(sdn_path, newline="", encoding="latin-1") as f:
        for row in csv.reader(f):
            if len(row) < 12:
                continue
            ent, name, typ, progs, remarks = row[0], row[1], row[2].strip(), row[3], row[11]
            tags = [t.strip(" []") for t in progs.split("] [")]
            if not any(t.startswith("DPRK") for t in tags):
                continue
            if typ not in ("individual", "-0-"):
                continue
            schema = "Person" if typ == "individual" else "Organization"
            akas = re.findall(r"a\.k\.a\.,?\s*'([^']+)'", remarks) + re.findall(r"a\.k\.a\.\s+([A-Z][^;.']+)", remarks)
            if (same.refs_same_tokens(name) or any(same.refs_same_tokens(a) for a in akas)
                    or any(glued_key(x) in un_keys for x in [name] + akas if glued_key(x))):
                on_un += 1
                continue
            # disputed: probably a UN designee under another spelling
            why = ""
            ct = content_tokens(name)
            per = sc.per_name(name)
            best = max(per.values()) if per else 0
            if len(ct) >= 2 and best == len(ct):
                refs = sorted({sc.names[i][0] for i, c in per.items() if c == best})
                why = "every name part is equal or one edit away from a part of one listed name: " + ", ".join(refs[:5])
            else:
                dobs = set()
                for d, m, y in re.findall(r"DOB (\d{1,2}) (\w{3}) (\d{4})", remarks):
                    if m.lower() in MONTHS:
                        dobs.add(f"{y}-{MONTHS[m.lower()]:02d}-{int(d):02d}")
                docs = {re.sub(r"[^0-9A-Z]", "", x.upper()) for x in re.findall(r"Passport ([0-9A-Z]+)", remarks)}
                near = {sc.names[i][0] for i in per}
                for ref in sorted(near):
                    e = by_ref[ref]
                    if (dobs & e.dobs) or (docs & e.docs):
                        why = f"shares a name part and a birth date or passport with {ref}"
                        break
            if why:
                disputed += 1
                disputed_rows.append((ent, name, why))
                continue
            out.append(case(f"ofac:{ent}", "neg_ofac", "individual" if schema == "Person" else "entity",
                            name, set(), schema, source=f"SDN {ent} [{progs}]"))
    notes["neg_ofac"] = (f"OFAC SDN 2024-05-03 DPRK-programme individuals and entities not on the UN list: "
                         f"{on_un} left out as on the UN list (same name tokens as a UN name in any order, or "
                         f"the same content words glued, or an a.k.a. in Remarks that is), {disputed} disputed (disputed_ofac.tsv in the output folder)")
    if out_dir:
        with open(os.path.join(out_dir, "disputed_ofac.tsv"), "w", encoding="utf-8") as f:
            f.write("ent_num\tname\treason\n")
            for r_ in disputed_rows:
                f.write("\t".join(r_) + "\n")
    return out
