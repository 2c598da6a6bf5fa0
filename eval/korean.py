"""Korean spelling variants of the UN DPRK individuals (category 4, eval/README.md).

Material (all under ../shared/data/names/):
- coling2018_wikidata/wd_korean: Wikidata English<TAB>Hangul full-name labels
  (CC0). Labels whose Hangul is one word of 2-4 syllables and whose English is
  the same number of syllable tokens (split on spaces and hyphens) are aligned
  syllable by syllable: the Latin syllable -> Hangul syllable counts table.
- cldr41/transforms/Korean-Latin-BGN.xml: the BGN/PCGN (McCune-Reischauer)
  rules, parsed here into word-initial, intervocalic, cluster, vowel and final
  tables; these romanise a Hangul name in MR.
- Revised Romanization: the tables of the 2000 standard (Ministry of Culture
  and Tourism notice 2000-8), written out below. (CLDR's Hangul-Latin is ICU's
  reversible jamo transliteration, e.g. 박 -> "bag", not RR.)
- Western spellings: for each Hangul syllable, its most frequent Latin spelling
  in the aligned Wikidata labels (separately for the family-name position).

Only labels that look like romanised Korean names are aligned: at least half
of their syllables must be an MR/DPRK-style or RR spelling of their Hangul.
A listed syllable (e.g. "Jong") maps to the Hangul syllables (a) whose MR
form, without apostrophes and breves and with the voiced initials k/g, t/d,
p/b, ch/j, r/l/n, s/sh allowed, is that syllable, and (b) that the aligned
labels give for it at least MIN_COUNT times and at least MIN_SHARE of the
occurrences of the syllables passing (a). A variant style is produced for a name only if every syllable
romanises to one string in that style whichever candidate is taken
("unambiguous"); otherwise that style is skipped for the name and counted.
"""
import collections
import re
import unicodedata

MIN_COUNT = 2
MIN_SHARE = 0.10

L0, V0, T0 = 0x1100, 0x1161, 0x11A7

# ---- Revised Romanization (2000) ------------------------------------------------
RR_INIT = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
           "k", "t", "p", "h"]
RR_VOW = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
          "wo", "we", "wi", "yu", "eu", "ui", "i"]
#        -   ㄱ   ㄲ   ㄳ   ㄴ   ㄵ   ㄶ   ㄷ   ㄹ   ㄺ   ㄻ   ㄼ   ㄽ   ㄾ   ㄿ   ㅀ
RR_FIN = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
          #  ㅁ   ㅂ   ㅄ   ㅅ   ㅆ   ㅇ    ㅈ   ㅊ   ㅋ   ㅌ   ㅍ   ㅎ
          "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]


def is_syllable(ch):
    return 0xAC00 <= ord(ch) <= 0xD7A3


def decompose(ch):
    i = ord(ch) - 0xAC00
    return i // 588, (i % 588) // 28, i % 28


def compose(l, v, t):
    return chr(0xAC00 + l * 588 + v * 28 + t)


def dueum(ch):
    """South Korean word-initial form (두음법칙): ㄹ -> ㅇ before i/y vowels and ㄴ
    otherwise; ㄴ -> ㅇ before i/y vowels. 리 -> 이, 룡 -> 용, 로 -> 노, 녀 -> 여."""
    l, v, t = decompose(ch)
    iy = v in (2, 3, 6, 7, 12, 17, 20)   # ya yae yeo ye yo yu i
    if l == 5:          # ㄹ
        return compose(11 if iy else 2, v, t)
    if l == 2 and iy:   # ㄴ
        return compose(11, v, t)
    return ch


def rr_syllable(ch):
    l, v, t = decompose(ch)
    return RR_INIT[l] + RR_VOW[v] + RR_FIN[t]


# ---- McCune-Reischauer from the CLDR BGN rules ------------------------------------

class MR:
    def __init__(self, xml_path):
        text = open(xml_path, encoding="utf-8").read()
        m = re.search(r"<tRule>(.*)</tRule>", text, re.S)
        body = m.group(1)
        self.init_wb, self.init_v, self.vowel, self.final_wb, self.cluster = {}, {}, {}, {}, {}
        asp = "\u2019"
        for line in body.splitlines():
            line = line.split("#", 1)[0].strip()
            if "→" not in line or not line.endswith(";"):
                continue
            lhs, rhs = [x.strip() for x in line[:-1].split("→", 1)]
            rhs = rhs.replace("$aspirate", asp).replace("$apostrophe", asp).replace(" ", "")
            if lhs.startswith("$wordBoundary{"):
                self.init_wb[lhs[len("$wordBoundary{"):]] = rhs
            elif lhs.startswith("[$vowels]"):
                self.init_v[lhs[len("[$vowels]"):]] = rhs
            elif lhs.endswith("}$wordBoundary"):
                self.final_wb[lhs[:-len("}$wordBoundary")]] = rhs
            elif len(lhs) == 2 and 0x11A8 <= ord(lhs[0]) <= 0x11FF and 0x1100 <= ord(lhs[1]) <= 0x115F:
                self.cluster[lhs] = rhs
            elif len(lhs) == 1 and 0x1161 <= ord(lhs) <= 0x11A2:
                self.vowel[lhs] = rhs
        self.init_wb.setdefault(chr(L0 + 11), "")
        self.init_v.setdefault(chr(L0 + 11), "")
        # North Korean names keep a word-initial ㄹ as r (no 두음법칙 in the DPRK
        # orthography): Ri, Ryong, Ro. BGN's word-initial n is the South Korean
        # reading, so for these names the intervocalic form is used.
        self.init_wb[chr(L0 + 5)] = self.init_v.get(chr(L0 + 5), "r")

    def _onsets(self, L):
        out = {self.init_v.get(L, ""), self.init_wb.get(L, "")}
        if L in (chr(L0 + 2), chr(L0 + 5)):   # ㄴ, ㄹ assimilate to l or n
            out |= {"n", "l"}
        return out

    def given(self, syls):
        """MR of a hyphenated given name, piece per syllable, without assimilation
        across the hyphen: each syllable keeps its own final (word-final form) and
        the next initial is voiced after a vowel, n, m, ng or l (Ch'ŏng-il, Sŏk-min,
        Ch'ŏl-nam)."""
        pieces = []
        for i, ch in enumerate(syls):
            l, v, t = decompose(ch)
            L = chr(L0 + l)
            if i == 0:
                onset = self.init_wb.get(L, "")
            else:
                prev = pieces[-1]
                voiced = prev[-1:] in ("a", "e", "i", "o", "u", "ŏ", "ŭ") or prev.endswith(("n", "m", "ng", "l"))
                onset = self.init_v.get(L, "") if voiced else self.init_wb.get(L, "")
            piece = onset + self.vowel.get(chr(V0 + v), "")
            if t:
                piece += self.final_wb.get(chr(T0 + t), "")
            pieces.append(piece)
        return pieces

    def word(self, syls):
        """MR of a Hangul word, as a list of per-syllable pieces (join with '' or '-')."""
        pieces = []
        for i, ch in enumerate(syls):
            l, v, t = decompose(ch)
            L, V = chr(L0 + l), chr(V0 + v)
            T = chr(T0 + t) if t else None
            if i == 0:
                onset = self.init_wb.get(L, "")
            else:
                _, _, pt = decompose(syls[i - 1])
                if not pt:
                    onset = self.init_v.get(L, self.init_wb.get(L, ""))
                else:
                    PT = chr(T0 + pt)
                    out = self.cluster.get(PT + L)
                    if out is None:
                        coda, onset = self.final_wb.get(PT, ""), self.init_v.get(L, "")
                    else:
                        best = None
                        for o in self._onsets(L):
                            if out.endswith(o) and len(out) > len(o) and (best is None or len(o) > len(best)):
                                best = o
                        if best is None:
                            best = ""
                        coda, onset = out[:len(out) - len(best)], best
                    pieces[-1] += coda.rstrip("\u2019") if onset else coda
            piece = onset + self.vowel.get(V, "")
            pieces.append(piece)
            if i == len(syls) - 1 and T:
                pieces[-1] += self.final_wb.get(T, "")
        return pieces

    def standalone(self, ch):
        return "".join(self.word([ch]))


def strip_marks(s):
    """MR without breves and apostrophes."""
    s = s.replace("\u2019", "").replace("'", "")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def dprk_forms(mr, ch):
    """The Latin spellings that a DPRK-style (MR without marks) writer may use for
    one Hangul syllable: word-initial and voiced initials."""
    base = strip_marks(mr.standalone(ch)).lower()
    l, v, t = decompose(ch)
    L = chr(L0 + l)
    onsets = {strip_marks(mr.init_wb.get(L, "")).lower(), strip_marks(mr.init_v.get(L, "")).lower()}
    extra = {"k": {"g"}, "t": {"d"}, "p": {"b"}, "ch": {"j"}, "r": {"l", "n"}, "n": {"r", "l"},
             "s": {"sh"}}
    for o in list(onsets):
        onsets |= extra.get(o, set())
    init_plain = strip_marks(mr.init_wb.get(L, "")).lower()
    rest = base[len(init_plain):]
    out = {o + rest for o in onsets}
    # final: word-final form only (names are romanised syllable by syllable)
    return out


# ---- the syllable table from the Wikidata pairs ----------------------------------

def latin_key(s):
    return strip_marks(s).lower()


def consistent(mr, tok, h):
    """A Latin syllable token is a Korean romanisation of Hangul syllable h:
    DPRK/MR-style (dprk_forms) or RR (with or without the word-initial rule)."""
    k = latin_key(tok)
    return k in dprk_forms(mr, h) or k in (rr_syllable(h), rr_syllable(dueum(h)))


def build_table(wd_korean_path, mr):
    """(latin syllable -> Counter(hangul)), (hangul -> Counter(latin) at family
    position), (hangul -> Counter(latin) elsewhere); and the number of aligned labels."""
    lat2h = collections.defaultdict(collections.Counter)
    fam = collections.defaultdict(collections.Counter)
    giv = collections.defaultdict(collections.Counter)
    n = 0
    with open(wd_korean_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            en, ko = parts
            if not ko or " " in ko or not all(is_syllable(c) for c in ko):
                continue
            if not (2 <= len(ko) <= 4) or not re.fullmatch(r"[A-Za-z'\u2019\- ]+", en):
                continue
            toks = [t for t in re.split(r"[ \-]+", en) if t]
            if len(toks) != len(ko):
                continue
            # a Korean name romanised: at least half of its syllables are MR/DPRK
            # or RR spellings of their Hangul (drops Chinese names read in Korean,
            # "Liu Bei" 유비, and other chance alignments)
            if 2 * sum(consistent(mr, t, h) for t, h in zip(toks, ko)) < len(ko):
                continue
            n += 1
            for i, (t, h) in enumerate(zip(toks, ko)):
                k = latin_key(t)
                lat2h[k][h] += 1
                (fam if i == 0 else giv)[h][k] += 1
    return lat2h, fam, giv, n


class Romaniser:
    def __init__(self, wd_korean_path, bgn_path):
        self.mr = MR(bgn_path)
        self.lat2h, self.fam, self.giv, self.n_aligned = build_table(wd_korean_path, self.mr)
        self._cand = {}

    def candidates(self, syl):
        """Hangul syllables a listed Latin syllable stands for (see module doc)."""
        k = latin_key(syl)
        if k in self._cand:
            return self._cand[k]
        c = {h: n for h, n in self.lat2h.get(k, {}).items() if k in dprk_forms(self.mr, h)}
        tot = sum(c.values())
        out = []
        for h, n in sorted(c.items(), key=lambda x: (-x[1], x[0])):
            if n >= MIN_COUNT and n >= MIN_SHARE * tot:
                out.append(h)
        self._cand[k] = tuple(out)
        return self._cand[k]

    def western(self, h, family):
        table = self.fam if family else self.giv
        c = table.get(h) or self.giv.get(h) or self.fam.get(h)
        if not c:
            return None
        return sorted(c.items(), key=lambda x: (-x[1], x[0]))[0][0]


def syllabify(token, rom):
    """Split a listed token (e.g. 'CHUN-SIK', 'CH’OE', 'CHUNSIK') into syllables that
    have candidates; None if impossible or ambiguous."""
    parts = [p for p in re.split(r"[\-\s]+", token) if p]
    out = []
    for p in parts:
        if rom.candidates(p):
            out.append(p)
            continue
        k = latin_key(p)
        splits = [(k[:i], k[i:]) for i in range(1, len(k)) if rom.candidates(k[:i]) and rom.candidates(k[i:])]
        if len(splits) != 1:
            return None
        out.extend(splits[0])
    return out


def cap(s):
    return s[:1].upper() + s[1:]


STYLES = ("mr", "mr_nobreve", "mr_ascii", "rr", "western", "hangul")
JOINS = ("hyphen", "space", "joined")


def variants(fields, rom):
    """Variants of one DPRK name (its FIRST_NAME..FOURTH_NAME list).

    Returns (variants, info): variants = [(style, join, text)], info = reason
    when none (unmapped syllable / ambiguous)."""
    words = [syllabify(f, rom) for f in fields]
    if any(w is None for w in words) or not words:
        return [], "unmapped syllable"
    family, given = words[0], [s for w in words[1:] for s in w]
    if not given:
        return [], "no given name"
    syls = family + given
    cands = [rom.candidates(s) for s in syls]
    nfam = len(family)
    out = []

    def render(style, hangul):
        """hangul: one candidate per syllable; returns {join: text} or None."""
        fam_h, giv_h = hangul[:nfam], hangul[nfam:]
        if style.startswith("mr"):
            def post(s):
                if style == "mr":
                    return s.replace("\u2019", "'")
                if style == "mr_nobreve":
                    return strip_marks(s.replace("\u2019", "\x00")).replace("\x00", "'")
                return strip_marks(s)
            fam = cap(post("".join(rom.mr.word(fam_h))))
            res = {"hyphen": fam + " " + cap(post("-".join(rom.mr.given(giv_h)))),
                   "joined": fam + " " + cap(post("".join(rom.mr.word(giv_h)))),
                   "space": fam + " " + " ".join(cap(post(rom.mr.standalone(h))) for h in giv_h)}
            return res
        if style == "rr":
            f = [dueum(fam_h[0])] + list(fam_h[1:])
            g = [dueum(giv_h[0])] + list(giv_h[1:])
            fam = cap("".join(rr_syllable(h) for h in f))
            gs = [rr_syllable(h) for h in g]
        elif style == "western":
            f = [dueum(fam_h[0])] + list(fam_h[1:])
            g = [dueum(giv_h[0])] + list(giv_h[1:])
            fw = [rom.western(h, True) for h in f]
            gs = [rom.western(h, False) for h in g]
            if None in fw or None in gs:
                return None
            fam = cap("".join(fw))
        else:  # hangul
            fam = "".join(fam_h)
            return {"joined": fam + "".join(giv_h), "space": fam + " " + "".join(giv_h)}
        return {"hyphen": fam + " " + cap("-".join(gs)),
                "space": fam + " " + " ".join(cap(x) for x in gs),
                "joined": fam + " " + cap("".join(gs))}

    import itertools
    combos = list(itertools.product(*cands))
    if len(combos) > 64:
        combos = combos[:64]
    skipped = []
    for style in STYLES:
        rendered = [render(style, c) for c in combos]
        if any(r is None for r in rendered):
            skipped.append(style)
            continue
        first = rendered[0]
        for join in JOINS:
            if join not in first:
                continue
            texts = {r[join] for r in rendered}
            if len(texts) != 1:
                skipped.append(f"{style}/{join}")
                continue
            out.append((style, join, first[join]))
    return out, ("ambiguous: " + ", ".join(skipped)) if skipped else ""


def hangul_homonym(query, listed_names, rom):
    """True if a Hangul query (given and family name, spaced either way, or one
    word family-first) is, syllable by syllable and in order, a spelling of one of
    listed_names (Latin, family name first): the same name, not an innocent one."""
    toks = query.split()
    if not toks or not all(all(is_syllable(c) for c in t) for t in toks):
        return False
    forms = []
    if len(toks) == 1 and len(toks[0]) >= 2:
        forms.append((toks[0][0], toks[0][1:]))
    elif len(toks) == 2:
        a, b = toks
        if len(b) == 1:
            forms.append((b, a))
        if len(a) == 1:
            forms.append((a, b))
    for fam, giv in forms:
        want = [fam] + list(giv)
        for name in listed_names:
            parts = [p for p in re.split(r"[\s\-]+", name) if p]
            if len(parts) != len(want):
                continue
            if all(consistent(rom.mr, p, h) or latin_key(p) in
                   (rom.western(dueum(h), i == 0) or "", rom.western(h, i == 0) or "")
                   for i, (p, h) in enumerate(zip(parts, want))):
                return True
    return False
