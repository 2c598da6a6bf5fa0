"""Shared helpers of the evaluation harness (eval/README.md): text normalisation,
scripts, the token variant relation, and the UN list model.

Standard library only. The name normaliser is bench/make_truth.py's `norm`
(NFKC, case fold, apostrophes removed, other punctuation and symbols to spaces,
whitespace squashed), imported so that every part of the evaluation uses one
definition.
"""
import os
import random
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "bench"))
import make_truth  # noqa: E402  (bench/make_truth.py: norm, un_names, local)

norm = make_truth.norm
local = make_truth.local
un_names = make_truth.un_names

SEED = 20260508          # the UN list's dateGenerated day; every generator derives from it


def rng(*parts):
    """A random.Random seeded from SEED and the given parts (stable across runs)."""
    return random.Random("|".join([str(SEED)] + [str(p) for p in parts]))


# ---- scripts -----------------------------------------------------------------

SCRIPTS = ("Latin", "Arabic", "Cyrillic", "Han", "Hangul", "other")


def char_script(ch):
    o = ord(ch)
    if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "Hangul"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F or 0xF900 <= o <= 0xFAFF:
        return "Han"
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN"):
        return "Latin"
    if name.startswith("ARABIC"):
        return "Arabic"
    if name.startswith("CYRILLIC"):
        return "Cyrillic"
    if name.startswith("CJK"):
        return "Han"
    return "other"


def script_of(s):
    """The script most of the letters of s are in (Latin/Arabic/Cyrillic/Han/Hangul/other)."""
    counts = {}
    for ch in s:
        if ch.isalpha():
            k = char_script(ch)
            counts[k] = counts.get(k, 0) + 1
    if not counts:
        return "other"
    return max(sorted(counts), key=lambda k: counts[k])


# ---- tokens and the variant relation -----------------------------------------

def fold(s):
    """norm() then diacritics removed (NFKD, combining marks dropped)."""
    s = unicodedata.normalize("NFKD", norm(s))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


# Tokens that are not name parts for the classification rules: Arabic/Persian
# particles and kunya words, titles, function words, legal forms and generic
# organisation words. Compared after fold(). (eval/README.md, "Rules".)
NON_NAME = frozenset("""
al el ul ad ar as at az ash an aal bin ibn ben bint binti bte bt ould wuld walad
abu abou abo um umm abd abdul abdel abdal abdol
haji hajji hadji haj mullah mulla mawlawi maulavi maulvi mawlavi molvi qari sheikh shaikh sheik
shaykh sayed sayyed syed sayyid seyed sardar amir emir dr mr mrs ms
de da del la le van von der den di du dos das y e and of the in for on at to
co company corporation corp limited ltd llc jsc ojsc cjsc pjsc oao ooo zao inc incorporated
plc gmbh sa sarl ag bv nv pte pvt fze fzco fzc llp lp shpg intl mgmt mfg dept
group trading trade international general foreign bank shipping industrial industry industries
commercial development technology technologies import export joint venture stock enterprise
enterprises association committee organization organisation office bureau department
ministry front movement army brigade battalion islamic state korea korean dprk democratic
people peoples republic national central agency centre center
""".split())


def tokens(s):
    """fold(s) split on spaces."""
    return fold(s).split()


def content_tokens(s):
    """tokens(s) that are name parts: length >= 2 and not in NON_NAME."""
    return [t for t in tokens(s) if len(t) >= 2 and t not in NON_NAME]


def osa_distance(a, b, cap=3):
    """Optimal string alignment distance (insert, delete, substitute, adjacent
    transposition), or cap if it is at least cap."""
    la, lb = len(a), len(b)
    if abs(la - lb) >= cap:
        return cap
    prev2 = None
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        lo = cap
        for j in range(1, lb + 1):
            c = prev[j - 1] + (a[i - 1] != b[j - 1])
            c = min(c, prev[j] + 1, cur[j - 1] + 1)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                c = min(c, prev2[j - 2] + 1)
            cur[j] = c
            lo = min(lo, c)
        if lo >= cap:
            return cap
        prev2, prev = prev, cur
    return min(prev[lb], cap)


_VOWELS = set("aeiouy")


def skeleton(t):
    """Consonant skeleton: vowels (a e i o u y) and h dropped, doubled letters collapsed."""
    out = []
    for ch in t:
        if ch in _VOWELS or ch == "h":
            continue
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def edit_budget(a, b):
    """Edits allowed between two tokens: 0 below 3 letters, 1 for 3, 2 from 4 (shorter token)."""
    m = min(len(a), len(b))
    if m < 3:
        return 0
    return 1 if m == 3 else 2


def tight_variant(a, b):
    """The narrow relation used to call two names plausibly the same (disputed
    negatives): equal, or one edit (OSA) between tokens of 4 letters or more."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 4 and osa_distance(a, b, 2) <= 1


def token_variant(a, b):
    """True if folded tokens a and b are the same name part written differently:
    equal; or within edit_budget (OSA distance); or the same consonant skeleton
    of at least 3 letters."""
    if a == b:
        return True
    k = edit_budget(a, b)
    if k and osa_distance(a, b, k + 1) <= k:
        return True
    sa = skeleton(a)
    return len(sa) >= 3 and sa == skeleton(b)


def acronym_of(tok, name):
    """True if tok (folded, >= 2 letters) is the initials of name's tokens, all of
    them or only the content ones (KOMID = Korea Mining Development Trading
    Corporation... is not; KMDTC would be)."""
    if len(tok) < 2 or not tok.isalpha():
        return False
    toks = tokens(name)
    if len(toks) < 2:
        return False
    full = "".join(t[0] for t in toks)
    content = "".join(t[0] for t in toks if t not in NON_NAME or t in ("islamic", "state", "army",
                                                                      "front", "movement"))
    return tok in (full, content)


class VariantIndex:
    """Finds, for a folded token, the tokens of a vocabulary that are its
    variants (token_variant) quickly: deletion neighbourhoods up to 2 for the
    edit rule, a skeleton map for the skeleton rule."""

    def __init__(self, vocab, tight=False):
        self.tight = tight
        self.vocab = set(vocab)
        self.dels = {}
        self.skel = {}
        for t in self.vocab:
            for d in self._deletes(t):
                self.dels.setdefault(d, set()).add(t)
            s = skeleton(t)
            if len(s) >= 3:
                self.skel.setdefault(s, set()).add(t)
        self.cache = {}

    @staticmethod
    def _deletes(t, k=2):
        out = {t}
        frontier = {t}
        for _ in range(k):
            nxt = set()
            for w in frontier:
                for i in range(len(w)):
                    nxt.add(w[:i] + w[i + 1:])
            out |= nxt
            frontier = nxt
        return out

    def variants(self, t):
        r = self.cache.get(t)
        if r is not None:
            return r
        cand = set()
        for d in self._deletes(t):
            cand |= self.dels.get(d, set())
        if self.tight:
            r = {c for c in cand if tight_variant(t, c)}
        else:
            r = {c for c in cand if token_variant(t, c)}
            s = skeleton(t)
            if len(s) >= 3:
                r |= self.skel.get(s, set())
        if t in self.vocab:
            r.add(t)
        r = frozenset(r)
        self.cache[t] = r
        return r


# ---- the UN list ---------------------------------------------------------------

NAME_FIELDS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def split_alias(text):
    """Split an ALIAS_NAME the way the loader does: at ';' outside parentheses;
    'NAME (A; B)' gives NAME, A and B."""
    out = []
    depth = 0
    start = 0
    pieces = []
    for i, ch in enumerate(text + ";"):
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch == ";" and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        m = re.match(r"^(.*?)\((.*;.*)\)\s*$", p)
        if m:
            out.append(m.group(1).strip())
            out.extend(x.strip() for x in m.group(2).split(";"))
        else:
            out.append(p)
    return [p for p in out if p]


class Entry:
    __slots__ = ("ref", "dataid", "schema", "regime", "fields", "primary", "aliases",
                 "original", "holdable", "dobs", "docs")

    def __init__(self):
        self.fields = []      # FIRST_NAME..FOURTH_NAME values (stripped, non-empty)
        self.aliases = []     # (quality, piece, element index) for every alias piece
        self.original = None  # NAME_ORIGINAL_SCRIPT text or None
        self.holdable = []    # ("alias", element index, quality, text) / ("original", None, None, text)
        self.dobs = set()
        self.docs = set()

    def names(self):
        """Every name of the entry (as make_truth.un_names gives them)."""
        out = [self.primary] if self.primary else []
        out += [p for _, p, _ in self.aliases]
        if self.original:
            out.append(self.original)
        return out


def load_un(path):
    """Parse the UN XML into (root, dateGenerated, [Entry])."""
    tree = ET.parse(path)
    root = tree.getroot()
    entries = []
    for rec in root.iter():
        tag = local(rec.tag)
        if tag not in ("INDIVIDUAL", "ENTITY"):
            continue
        e = Entry()
        e.schema = "Person" if tag == "INDIVIDUAL" else "Organization"
        e.ref = (rec.findtext("REFERENCE_NUMBER") or "").strip()
        e.dataid = (rec.findtext("DATAID") or "").strip()
        e.regime = (rec.findtext("UN_LIST_TYPE") or "").strip()
        for f in NAME_FIELDS:
            v = rec.findtext(f)
            if v and v.strip():
                e.fields.append(" ".join(v.split()))
        e.primary = " ".join(e.fields)
        ai = 0
        for al in rec:
            if local(al.tag) not in ("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
                continue
            txt = (al.findtext("ALIAS_NAME") or "").strip()
            q = (al.findtext("QUALITY") or "").strip()
            if txt:
                for p in split_alias(txt):
                    e.aliases.append((q, p, ai))
                e.holdable.append(("alias", ai, q, txt))
            ai += 1
        o = (rec.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
        if o:
            e.original = o
            e.holdable.append(("original", None, None, o))
        for d in rec.iter():
            t = local(d.tag)
            if t == "DATE" and d.text:
                e.dobs.add(d.text.strip()[:10])
            elif t == "NUMBER" and d.text:
                e.docs.add(re.sub(r"[^0-9A-Z]", "", d.text.upper()))
        if e.ref:
            entries.append(e)
    return tree, root.attrib.get("dateGenerated", "?"), entries


class NameIndex:
    """Normalised name -> refs, over every entry's names (primary, aliases,
    original script), as make_truth builds it."""

    def __init__(self, entries):
        self.by_norm = {}
        self.by_tokset = {}
        for e in entries:
            for n in e.names():
                k = norm(n)
                if k:
                    self.by_norm.setdefault(k, set()).add(e.ref)
                    self.by_tokset.setdefault(tuple(sorted(fold(n).split())), set()).add(e.ref)

    def refs_equal(self, name):
        return self.by_norm.get(norm(name), set())

    def refs_same_tokens(self, name):
        """Entries with a name made of the same tokens in any order (folded)."""
        return self.by_tokset.get(tuple(sorted(fold(name).split())), set())


def compatible(query_tokens, name_tokens):
    """True if every query token can take a distinct name token: equal, or a
    one-letter query token that is the name token's initial."""
    used = [False] * len(name_tokens)
    # exact first, then initials
    for want_initial in (False, True):
        for q in query_tokens:
            if (len(q) == 1) != want_initial:
                continue
            for i, n in enumerate(name_tokens):
                if used[i]:
                    continue
                if (not want_initial and q == n) or (want_initial and n.startswith(q)):
                    used[i] = True
                    break
            else:
                return False
    return True


def refs_containing(entries, query):
    """Entries having a name that contains every token of query (initials match
    a token's first letter): the records a shortened name may also mean."""
    qt = [t for t in fold(query).split() if t]
    out = set()
    for e in entries:
        for n in e.names():
            if compatible(qt, fold(n).split()):
                out.add(e.ref)
                break
    return out
