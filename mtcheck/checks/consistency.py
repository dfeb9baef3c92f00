"""Consistency checks: one name, one form, in every article (MT101-MT105)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Iterator, Sequence

from mtcheck.checks.base import Check
from mtcheck.corpus import Corpus, Document, Segment
from mtcheck.findings import Finding, Severity
from mtcheck.names import (
    CONNECTORS, DocNames, Mention, VariantMatcher, analyse, capital_word, default_matcher, fix_case,
    generic_words, is_rare, lower_word, names_in, near_spelling, proper_nouns, tokenize, variant_groups,
)

Key = tuple[str, ...]
_LOWER_WORD = re.compile(r"(?<![\w'’\-])[a-zà-öø-ÿ][^\W_]*(?:['’\-][^\W_]+)*")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def _strip_the(key: Key) -> Key:
    return key[1:] if key and key[0] == "the" else key


def _first(ms: Sequence) -> tuple[int, int]:
    return min((m.seg, m.start) for m in ms)


def _where(doc: Document, ms: Sequence) -> str:
    seg, _ = _first(ms)
    n = len(ms)
    return f"line {doc.segments[seg].line}" + (f", {n} mentions" if n > 1 else "")


def _surface(doc: Document, m) -> str:
    return doc.segments[m.seg].mt[m.start:m.end]


def ref_texts(doc: Document) -> list[str]:
    """All reference text of a document, every stream."""
    out: list[str] = []
    for k, al in enumerate(doc.alignments):
        if al is None:
            continue
        if al.ref_lines:
            out.extend(t for _, t in al.ref_lines)
        else:
            out.extend(s.refs[k] for s in doc.segments if s.refs[k])
    return out


def _decide(forms: dict, ref_count: dict) -> object:
    """The form to keep: the reference's, else the most frequent, else the earliest."""
    return max(forms, key=lambda f: (ref_count.get(f, 0), len(forms[f]), tuple(-x for x in _first(forms[f]))))


def _by_key(mentions: Iterable[Mention], min_len: int) -> dict[Key, list[Mention]]:
    out: dict[Key, list[Mention]] = defaultdict(list)
    for m in mentions:
        k = _strip_the(m.key)
        if len(k) >= min_len:
            out[k].append(m)
    return out


def _one_token_pairs(types: dict[Key, list], min_shared: int = 2) -> list[tuple[Key, Key, int]]:
    """Pairs of name types that differ in exactly one (name-like) word, and where."""
    generic = generic_words()
    buckets: dict[tuple, list[Key]] = defaultdict(list)
    for key in types:
        if len(key) < 2:
            continue
        for k, w in enumerate(key):
            if w in CONNECTORS or w in generic or not w[0].isalpha():
                continue
            buckets[(len(key), k, key[:k] + key[k + 1:])].append(key)
    pairs = []
    for (_, k, rest), keys in buckets.items():
        if len(keys) < 2:
            continue
        shared = sum(1 for w in rest if w not in CONNECTORS)
        if shared < min_shared:
            continue
        for i in range(len(keys)):
            for j in range(i + 1, len(keys)):
                pairs.append((keys[i], keys[j], k))
    return pairs


class _Components:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        self.parent[self.find(a)] = self.find(b)

    def groups(self) -> list[list]:
        out: dict = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return [sorted(g) for g in out.values() if len(g) > 1]


def _source_votes(doc: Document, forms: dict) -> Counter:
    if not any(s.src for s in doc.segments):
        return Counter()
    from mtcheck.checks.source import source_votes

    return source_votes(doc, forms)


def _matcher(extra: str) -> VariantMatcher:
    if not extra:
        return default_matcher()
    groups = [tuple(f.strip() for f in g.split("=") if f.strip()) for g in extra.split(";") if g.strip()]
    return VariantMatcher(variant_groups(groups))


class EntityVariant(Check):
    """The same entity is written with one differing word, or in two known variant forms.

    Bad: "Shanxi Xishi Cause Group Co., Ltd." ... later "Shanxi Hengshi Cause Group Co., Ltd."
    Good: "Shanxi Xishi Cause Group Co., Ltd." in every mention.
    The minority form is flagged and the majority form suggested; on a tie the later
    form is flagged. When the document has a reference, the reference's form decides.
    Known variant groups ("U.S." / "US" / "the United States", "Macao" / "Macau") are
    data (mtcheck/data/variants.tsv); add groups with ``variants = A=B;C=D``.
    """

    code = "MT101"
    name = "consistency.entity-variant"
    severity = Severity.ERROR
    scope = "document"
    options = {"variants": ""}

    def check_document(self, doc: Document) -> Iterator[Finding]:
        matcher = _matcher(self.opts["variants"])
        names = analyse(doc, matcher)
        refs = ref_texts(doc)
        done: set[tuple[int, int]] = set()
        kept: set[str] = set()  # the words the structural pass decided are right
        for f in self._structural(doc, names, refs, kept):
            done.add((f.line, f.start))
            yield f
        yield from self._known(doc, names, refs, matcher)
        yield from self._more_variants(doc, names, refs, done, kept)

    def _more_variants(self, doc: Document, names: DocNames, refs: list[str],
                       done: set[tuple[int, int]], kept: set[str]) -> Iterator[Finding]:
        """Near spellings, swapped head words, transliterated against translated heads."""
        from mtcheck.checks.name_variants import head_variants, near_words, surname_variants

        ref_mentions = [m for r in refs for m in names_in(r)]
        ref_words = Counter(w for m in ref_mentions for w in m.words)
        ref_keys = Counter(_strip_the(m.key) for m in ref_mentions)
        found = list(near_words(names.mentions, ref_words))
        types = _by_key(names.mentions, 2)
        found += head_variants(types, ref_keys)
        found += surname_variants(types, ref_keys)
        out = []
        for v in found:
            for m, i in v.mentions:
                seg = doc.segments[m.seg]
                lo, hi = i if isinstance(i, tuple) else (i, i + 1)  # a word, or words lo..hi
                start, end = m.spans[lo][0], m.spans[hi - 1][1]
                word = seg.mt[start:end]
                if (seg.line, start) in done or word.casefold() in kept:
                    continue
                done.add((seg.line, start))
                out.append(self.finding(
                    doc, seg, start, end,
                    f"'{word}' in '{_surface(doc, m)}' is elsewhere written '{v.keep_word}'; use {v.why}",
                    fix_case(v.keep_word, word)))
        out.sort(key=lambda f: (f.line, f.start))
        yield from out

    def _structural(self, doc: Document, names: DocNames, refs: list[str], kept: set[str]) -> Iterator[Finding]:
        types = _by_key(names.mentions, 2)
        owners: dict[str, set[Key]] = defaultdict(set)
        for key in types:
            for w in key:
                owners[w].add(key)
        alone = {m.key[0] for m in names.mentions if len(m.key) == 1}
        segs = {key: {m.seg for m in ms} for key, ms in types.items()}
        comp = _Components()
        diff_at: dict[tuple[Key, Key], int] = {}
        for a, b, k in _one_token_pairs(types):
            if segs[a] & segs[b]:
                continue  # named side by side: "Changsha Exhibition Hall, Zhuzhou Exhibition Hall"
            wa, wb = a[k], b[k]
            if not (is_rare(wa) and is_rare(wb)):
                continue
            if len(owners[wa]) > 1 and len(owners[wb]) > 1:
                continue  # both words name other things too: two entities, not one
            if wa in alone and wb in alone:
                continue  # both named on their own: "Ministry of Health of Malawi" / "... of Mauritius"
            comp.union(a, b)
            diff_at[(a, b)] = diff_at[(b, a)] = k
        if not comp.parent:
            return
        ref_keys = Counter(_strip_the(m.key) for r in refs for m in names_in(r))
        for group in comp.groups():
            forms = {key: types[key] for key in group}
            src_votes = _source_votes(doc, forms)  # the Chinese source, where there is one, decides
            keep = _decide(forms, src_votes or ref_keys)
            keep_text = _surface(doc, min(forms[keep], key=lambda m: (m.seg, m.start)))
            kept.update(w for other in group if other != keep and (k := diff_at.get((other, keep))) is not None
                        for w in (keep[k],))
            for key in group:
                if key == keep:
                    continue
                k = diff_at.get((key, keep))
                for m in forms[key]:
                    seg = doc.segments[m.seg]
                    if k is not None and len(m.spans) == len(m.words) and len(key) == len(m.key):
                        off = len(m.key) - len(key)
                        start, end = m.spans[k + off]
                        keep_word = keep_text.split()[k + off] if len(keep_text.split()) == len(m.words) else keep[k]
                        suggestion = fix_case(keep_word, seg.mt[start:end])
                    else:
                        start, end, suggestion = m.start, m.end, keep_text
                    why = "the source's form" if src_votes.get(keep) else "the reference's form" if ref_keys.get(keep) else (
                        "the more frequent form" if len(forms[keep]) > len(forms[key]) else "the earlier form")
                    yield self.finding(
                        doc, seg, start, end,
                        f"'{_surface(doc, m)}' is elsewhere written '{keep_text}' "
                        f"({_where(doc, forms[keep])}); use {why}",
                        suggestion)

    def _known(self, doc: Document, names: DocNames, refs: list[str], matcher: VariantMatcher) -> Iterator[Finding]:
        by_group: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for v in names.variants:
            by_group[v.group][v.form].append(v)
        ref_forms: Counter[str] = Counter()
        if refs:
            for r in refs:
                for v in matcher.find_cached(r):
                    ref_forms[v.form] += 1
        for g, forms in by_group.items():
            if len(forms) < 2:
                continue
            keep = _decide(forms, ref_forms)
            why = "the reference's form" if ref_forms.get(keep) else (
                "the most frequent form" if all(len(forms[keep]) > len(v) for f, v in forms.items() if f != keep)
                else "the earlier form")
            for form, occ in forms.items():
                if form == keep:
                    continue
                for v in occ:
                    seg = doc.segments[v.seg]
                    yield self.finding(
                        doc, seg, v.start, v.end,
                        f"'{form}' and '{keep}' name the same entity in this document "
                        f"('{keep}': {_where(doc, forms[keep])}); use {why}",
                        keep)


_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")


def _title_cased(text: str) -> bool:
    """A headline in title case: no full stop at the end, three or more longer words, nearly
    all capitalised."""
    words = _TITLE_WORD.findall(text)
    if len(words) < 3 or text.rstrip(" \"'”’)").endswith((".", "。")):
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= 0.75 * len(words)


def _name_word(w: str, pn: frozenset[str]) -> bool:
    """A word that is a name on its own: a rare word that is no common English word, or a frequent
    word that English capitalises ("Vienna")."""
    return w in pn or capital_word(w) or (is_rare(w) and not lower_word(w))


class Casing(Check):
    """A proper noun is written in a different casing from its other mentions.

    Bad: "make use of jincheng Vocational and Technical College" beside "Jincheng Vocational ..."
    Good: "make use of Jincheng Vocational and Technical College"
    Only lower-cased forms of names are flagged; a common word capitalised at the start
    of a sentence is not a finding, and evidence comes from mid-sentence mentions only.
    """

    code = "MT102"
    name = "consistency.casing"
    severity = Severity.ERROR
    scope = "document"

    def check_document(self, doc: Document) -> Iterator[Finding]:
        names = analyse(doc)
        evidence: dict[str, Counter[str]] = defaultdict(Counter)
        first_at: dict[str, int] = {}
        # a title-cased line (a headline) capitalises common words: it is no evidence of a name
        titled = {s for s, seg in enumerate(doc.segments) if _title_cased(seg.mt)}
        mentions = [m for m in names.mentions if m.seg not in titled]
        for m in mentions:
            for i, w in enumerate(m.words):
                if (i == 0 and m.initial) or not w[0].isupper() or w.lower() in CONNECTORS:
                    continue
                cf = w.casefold()
                evidence[cf][w] += 1
                first_at.setdefault(cf, m.seg)
        if not evidence:
            return
        pn = proper_nouns()
        types = _by_key(mentions, 2)
        # names that can be recognised in lower case: those with a rare word or a proper noun
        multi: dict[Key, list[Mention]] = {}
        # the word positions of each name that are capitalised somewhere other than at the start
        # of a sentence: "President" in "President of the X Committee: ..." opening a headline is
        # no evidence against "Kvesic, president of the X Committee"
        cap_at: dict[Key, set[int]] = {}
        for k, v in types.items():
            rare = [w for w in k if w in pn or (w[0].isalpha() and is_rare(w))]
            if (rare or len(v) >= 2) and len(k) <= 12:  # recognised in lower case, or written twice
                multi[k] = v
                at = cap_at[k] = set()
                for m in v:
                    off = len(m.key) - len(k)
                    at.update(p for p in range(len(k)) if m.words[p + off][0].isupper()
                              and not (p + off == 0 and m.initial and not _name_word(k[p], pn)))
        by_word: dict[str, list[tuple[Key, int]]] = defaultdict(list)
        joined: dict[str, list[str]] = defaultdict(list)  # the names of each word, as text
        for k in multi:
            text = " ".join(k)
            for pos, w in enumerate(k):
                if w not in CONNECTORS:
                    by_word[w].append((k, pos))
                    if text not in joined[w]:
                        joined[w].append(text)
        # single words: names (rare words, or frequent words English capitalises), not rare
        # common words capitalised in a title ("Fund for Orphans" beside "the orphans")
        single = {w for w in evidence if _name_word(w, pn)}
        lower_count: Counter[str] = Counter()
        todo: list[int] = []
        for s, seg in enumerate(doc.segments):
            lw = [w.casefold() for w in _LOWER_WORD.findall(seg.mt)]
            hit = False
            cf = None
            for w in lw:
                if w in single:
                    lower_count[w] += 1
                    hit = True
                elif not hit and w in joined:
                    if cf is None:
                        cf = seg.mt.casefold()
                    hit = any(t in cf for t in joined[w])
            if hit:
                todo.append(s)
        found: list[tuple[Key | None, Finding]] = []
        lower_hits: Counter[Key] = Counter()
        for s in todo:
            seg = doc.segments[s]
            words = [t for t in tokenize(seg.mt) if t.text != ","]
            keys = [t.text.casefold() for t in words]
            covered: set[int] = set()
            for i, t in enumerate(words):
                if i in covered or not (t.is_word and t.lower) or (
                        keys[i] not in evidence and keys[i] not in by_word):
                    continue
                hit = self._in_name(words, keys, i, multi, by_word) if keys[i] in by_word else None
                if hit is not None:
                    lo, hi, key = hit
                    wrong = [j for j in range(lo, hi) if words[j].is_word and words[j].lower
                             and keys[j] not in CONNECTORS]
                    covered.update(wrong)
                    wrong = [j for j in wrong if j - lo in cap_at[key]]
                    lower_hits[key] += 1
                    if not wrong:
                        continue
                    ms = multi[key]
                    right = _surface(doc, ms[0])
                    start, end = words[wrong[0]].start, words[wrong[-1]].end
                    ref_words = right.replace(",", "").split()
                    if len(ref_words) == hi - lo:
                        sugg = " ".join(ref_words[j - lo] for j in range(wrong[0], wrong[-1] + 1))
                    else:
                        sugg = right
                    found.append((key, self.finding(
                        doc, seg, start, end,
                        f"'{seg.mt[start:end]}' inside the name '{right}' is capitalised elsewhere "
                        f"({_where(doc, ms)})", sugg)))
                elif keys[i] in single \
                        and sum(evidence[keys[i]].values()) >= lower_count[keys[i]]:
                    covered.add(i)
                    form, n = evidence[keys[i]].most_common(1)[0]
                    found.append((None, self.finding(
                        doc, seg, t.start, t.end,
                        f"'{t.text}' is written '{form}' in its {n} other mention{'s' if n > 1 else ''} "
                        f"(first at line {doc.segments[first_at[keys[i]]].line})", form)))
        # a name written in lower case more often than capitalised is a common phrase the
        # document capitalises now and then ("Hunan black tea" beside one "Hunan Black Tea")
        for key, f in found:
            if key is None or len(multi[key]) >= lower_hits[key]:
                yield f

    @staticmethod
    def _in_name(words, keys, i, multi, by_word) -> tuple[int, int, Key] | None:
        """The longest name type whose words, case-folded, cover position ``i``."""
        best = None
        for key, pos in by_word[keys[i]]:
            lo, hi = i - pos, i - pos + len(key)
            if lo < 0 or hi > len(words) or tuple(keys[lo:hi]) != key:
                continue
            if best is not None and hi - lo <= best[1] - best[0]:
                continue
            span = words[lo:hi]
            if any(w.is_word and w.cap for w in span) and not all(
                    w.text == m_w for w, m_w in zip(span, multi[key][0].words)):
                best = (lo, hi, key)
        return best


class NameTruncation(Check):
    """A mention of a multiword name lost (or gained) a word against its full form elsewhere.

    Bad: "Shanxi Mechanical and Electrical Industry College" beside four mentions of
    "Shanxi Gaoping Mechanical and Electrical Industry College".
    Good: "Shanxi Gaoping Mechanical and Electrical Industry College" throughout, or a
    short form the text introduces and keeps to ("the College", an acronym in brackets).
    """

    code = "MT103"
    name = "consistency.name-truncation"
    severity = Severity.WARNING
    scope = "document"

    def check_document(self, doc: Document) -> Iterator[Finding]:
        names = analyse(doc)
        types = _by_key(names.mentions, 2)
        if not any(len(k) >= 3 for k in types):
            return
        generic = generic_words()
        ref_keys = Counter(_strip_the(m.key) for r in ref_texts(doc) for m in names_in(r))
        done: set[tuple[int, int]] = set()
        # the name inside a longer run of capitals: "... and Security" against "... and Social
        # Security of Yunnan"
        for long_key, longs in _name_windows(names.mentions, types).items():
            if len(long_key) < 3:
                continue
            at: dict[int, list[Mention]] = defaultdict(list)  # the long form's mentions per segment
            for m in longs:
                at[m.seg].append(m)
            for lo, hi, short_key in _shortenings(long_key, generic):
                shorts = types.get(short_key)
                if not shorts:
                    continue
                shorts = [m for m in shorts if not any(x.start < m.end and m.start < x.end for x in at.get(m.seg, ()))]
                if not shorts:
                    continue
                long_text = _surface(doc, longs[0])
                if ref_keys.get(short_key, 0) > ref_keys.get(long_key, 0):
                    flag, other, lost = longs, shorts, False
                elif ref_keys.get(long_key) or len(longs) >= len(shorts):
                    flag, other, lost = shorts, longs, True
                elif _first(shorts) < _first(longs) and all(w in CONNECTORS or w not in generic
                                                             for w in long_key[lo:hi]):
                    flag, other, lost = longs, shorts, False
                else:
                    continue  # a short form used consistently after the full name
                other_text = _surface(doc, min(other, key=lambda m: (m.seg, m.start)))
                for m in flag:
                    if (m.seg, m.start) in done:
                        continue
                    done.add((m.seg, m.start))
                    seg = doc.segments[m.seg]
                    if lost:
                        off = len(longs[0].key) - len(long_key)
                        dropped = " ".join(longs[0].words[off + lo:off + hi])
                        msg = (f"'{_surface(doc, m)}' lost '{dropped}' "
                               f"compared with '{long_text}' ({_where(doc, longs)})")
                    else:
                        msg = (f"'{_surface(doc, m)}' has an extra word compared with "
                               f"'{other_text}' ({_where(doc, other)})")
                    yield self.finding(doc, seg, m.start, m.end, msg, other_text)


def _sub(m: Mention, a: int, b: int) -> Mention:
    """Words ``a``..``b`` of a mention, as a mention of their own."""
    return Mention(m.seg, m.spans[a][0], m.spans[b - 1][1], m.words[a:b], m.initial and a == 0,
                   m.spans[a:b], m.key[a:b])


_EDGE = CONNECTORS | {"the"}


def _name_windows(mentions: Sequence[Mention], types: dict[Key, list[Mention]]) -> dict[Key, list[Mention]]:
    """The long forms a short name type may be a shortening of: the types, and the runs of three
    or more words inside longer mentions ("Department of Human Resources and Social Security" of
    "... Security of Yunnan"), a run neither starting nor ending with a connector."""
    longs: dict[Key, list[Mention]] = defaultdict(list)
    for k, v in types.items():
        longs[k].extend(v)
    # a shortening keeps the first and the last word and loses one or two: only windows that
    # some type could be a shortening of are worth keeping
    ends = {(k[0], k[-1], len(k)) for k in types}
    for m in mentions:
        if len(m.spans) != len(m.words):
            continue
        off, n = len(m.key) - len(_strip_the(m.key)), len(m.key)
        if n - off < 4:
            continue
        for a in range(off, n - 2):
            if m.key[a] in _EDGE:
                continue
            for b in range(a + 3, n + 1):
                w = m.key[a:b]
                if (a, b) != (off, n) and w[-1] not in _EDGE and (
                        (w[0], w[-1], b - a - 1) in ends or (w[0], w[-1], b - a - 2) in ends):
                    longs[w].append(_sub(m, a, b))
    return longs


def _shortenings(key: Key, generic: frozenset[str]) -> Iterator[tuple[int, int, Key]]:
    """The shorter names a multiword name becomes when it loses a word: (start, end of the lost
    words, the short key). One interior word of a four-word or longer name; one interior word of
    a three-word name that is no generic word and does not end in a rare word ("Gulf Cooperation
    Council" / "Gulf Council", not "Professor Shuji Nakamura" / "Professor Nakamura"); two
    neighbouring interior words of a five-word or longer name (or a word between connectors:
    "for Research and Development" / "for Development"). A lost
    leading word is left alone: "Municipal Education Commission" after "Beijing Municipal
    Education Commission" is the usual short form."""
    n = len(key)
    for k in range(1, n - 1):
        word = key[k]
        if word in CONNECTORS or not word[0].isalpha():
            continue
        if n == 3 and (word in generic or key[0] in CONNECTORS or is_rare(key[2])):
            continue  # a generic word, or a person's given name ("Professor Shuji Nakamura")
        if word in (key[k - 1], key[k + 1]):
            continue  # a doubled word ("Swiss Omega OMEGA")
        yield k, k + 1, key[:k] + key[k + 1:]
    if n >= 5:
        for k in range(1, n - 2):
            pair = key[k:k + 2]
            if any(w in CONNECTORS or not w[0].isalpha() for w in pair):
                continue
            yield k, k + 2, key[:k] + key[k + 2:]
        for k in range(1, n - 2):
            if key[k] not in CONNECTORS and key[k + 1] in CONNECTORS and key[k - 1] in CONNECTORS:
                yield k, k + 2, key[:k] + key[k + 2:]  # "for Research and Development" -> "for Development"


def _relation(mt_key: Key, ref_key: Key) -> str | None:
    """How an MT name relates to a reference name: 'variant', 'lost', 'gained' or None."""
    if mt_key == ref_key:
        return None
    if len(mt_key) == len(ref_key):
        diff = [i for i, (a, b) in enumerate(zip(mt_key, ref_key)) if a != b]
        if len(diff) != 1:
            return None
        a, b = mt_key[diff[0]], ref_key[diff[0]]
        if not (a[0].isalpha() and b[0].isalpha()) or a in CONNECTORS or b in CONNECTORS:
            return None
        if len(mt_key) == 1:
            from rapidfuzz.fuzz import ratio

            return "variant" if is_rare(a) and is_rare(b) and (ratio(a, b) >= 70 or near_spelling(a, b)) else None
        return "variant" if (is_rare(a) or is_rare(b)) else None
    if abs(len(mt_key) - len(ref_key)) == 1 and min(len(mt_key), len(ref_key)) >= 2:
        short, long_ = (mt_key, ref_key) if len(mt_key) < len(ref_key) else (ref_key, mt_key)
        for k in range(1, len(long_) - 1):
            if long_[:k] + long_[k + 1:] == short and long_[k] not in CONNECTORS and long_[k][0].isalpha():
                return "lost" if short is mt_key else "gained"
    return None


class CrossDocument(Check):
    """The same entity is written in different forms in different documents of one system.

    Bad: one article of a system writes "Shanxi Xishi Cause Group", another "Shanxi
    Hengshi Cause Group" (or "Macao" in one, "Macau" in the other).
    Good: one form across the system's documents.
    """

    code = "MT104"
    name = "consistency.cross-document"
    severity = Severity.INFO
    scope = "corpus"

    def check_corpus(self, corpus: Corpus) -> Iterator[Finding]:
        for system in corpus.systems:
            docs = corpus.by_system(system)
            if len(docs) > 1:
                yield from self._system(docs)

    def _system(self, docs: list[Document]) -> Iterator[Finding]:
        per_doc_types = []
        owners: dict[str, set[Key]] = defaultdict(set)
        for doc in docs:
            types = _by_key(analyse(doc).mentions, 2)
            per_doc_types.append(types)
            for key in types:
                for w in key:
                    owners[w].add(key)
        all_types: dict[Key, list[int]] = defaultdict(list)
        for d, types in enumerate(per_doc_types):
            for key in types:
                all_types[key].append(d)
        comp = _Components()
        for a, b, k in _one_token_pairs(all_types):
            if set(all_types[a]) & set(all_types[b]):
                continue  # both in one document: MT101's business
            if is_rare(a[k]) and is_rare(b[k]) and (len(owners[a[k]]) == 1 or len(owners[b[k]]) == 1):
                comp.union(a, b)
        for group in comp.groups():
            docs_of = {key: all_types[key] for key in group}
            keep = max(group, key=lambda key: (len(docs_of[key]), -min(docs_of[key])))
            first_doc = docs[min(docs_of[keep])]
            keep_m = per_doc_types[min(docs_of[keep])][keep][0]
            keep_text = _surface(first_doc, keep_m)
            for key in group:
                if key == keep:
                    continue
                for d in docs_of[key]:
                    m = min(per_doc_types[d][key], key=lambda m: (m.seg, m.start))
                    doc = docs[d]
                    yield self.finding(
                        doc, doc.segments[m.seg], m.start, m.end,
                        f"'{_surface(doc, m)}' is written '{keep_text}' in {len(docs_of[keep])} other "
                        f"document{'s' if len(docs_of[keep]) > 1 else ''} of this system "
                        f"(first: {first_doc.doc_id}, line {first_doc.segments[keep_m.seg].line})",
                        keep_text)
        yield from self._known(docs)

    def _known(self, docs: list[Document]) -> Iterator[Finding]:
        matcher = default_matcher()
        chosen: dict[int, dict[str, list[tuple[int, object]]]] = defaultdict(lambda: defaultdict(list))
        for d, doc in enumerate(docs):
            counts: dict[int, Counter[str]] = defaultdict(Counter)
            firsts: dict[tuple[int, str], object] = {}
            for v in analyse(doc, matcher).variants:
                counts[v.group][v.form] += 1
                firsts.setdefault((v.group, v.form), v)
            for g, c in counts.items():
                form = max(c, key=lambda f: (c[f], -firsts[(g, f)].seg))
                chosen[g][form].append((d, firsts[(g, form)]))
        for g, forms in chosen.items():
            if len(forms) < 2:
                continue
            keep = max(forms, key=lambda f: (len(forms[f]), -forms[f][0][0]))
            d0, v0 = forms[keep][0]
            for form, uses in forms.items():
                if form == keep:
                    continue
                for d, v in uses:
                    doc = docs[d]
                    yield self.finding(
                        doc, doc.segments[v.seg], v.start, v.end,
                        f"this document writes '{form}' where {len(forms[keep])} other "
                        f"document{'s' if len(forms[keep]) > 1 else ''} of this system write '{keep}' "
                        f"(first: {docs[d0].doc_id}, line {docs[d0].segments[v0.seg].line})", keep)


class ReferenceName(Check):
    """A name in the MT differs from the aligned reference's form of the same entity.

    Bad: MT "Shanxi Hengshi Cause Group" where the aligned reference says "Shanxi Xishi
    Cause Group"; MT "Shanxi Mechanical and Electrical Industry College" where it says
    "Shanxi Gaoping Mechanical and Electrical Industry College".
    Good: the reference's form.
    """

    code = "MT105"
    name = "consistency.reference-name"
    severity = Severity.WARNING
    scope = "segment"
    needs = frozenset({"ref"})

    def check_document(self, doc: Document) -> Iterator[Finding]:
        matcher = default_matcher()
        names = analyse(doc, matcher)
        by_seg: dict[int, list[Mention]] = defaultdict(list)
        for m in names.mentions:
            by_seg[m.seg].append(m)
        var_by_seg: dict[int, list] = defaultdict(list)
        for v in names.variants:
            var_by_seg[v.seg].append(v)
        ref_cache: dict[str, tuple[list[Mention], list]] = {}
        for seg in doc.segments:
            refs = [r for r in seg.refs if r]
            if not refs or not (by_seg.get(seg.index) or var_by_seg.get(seg.index)):
                continue
            ref_names: list[tuple[Mention, str]] = []
            ref_vars = []
            for r in refs:
                if r not in ref_cache:
                    ref_cache[r] = (names_in(r), matcher.find_cached(r))
                ref_names.extend((m, r[m.start:m.end]) for m in ref_cache[r][0])
                ref_vars.extend(ref_cache[r][1])
            yield from self._names(doc, seg, by_seg.get(seg.index, []), ref_names, refs)
            yield from self._variants(doc, seg, var_by_seg.get(seg.index, []), ref_vars)

    def _names(self, doc, seg: Segment, mentions, ref_names, refs) -> Iterator[Finding]:
        ref_keys = {_strip_the(m.key): text for m, text in ref_names}
        ref_lower = " ".join(refs).casefold()
        for m in mentions:
            key = _strip_the(m.key)
            text = seg.mt[m.start:m.end]
            if key in ref_keys or (text.casefold() in ref_lower and re.search(
                    rf"(?<!\w){re.escape(text.casefold())}(?!\w)", ref_lower)):
                continue
            for rk, ref_text in ref_keys.items():
                rel = _relation(key, rk)
                if rel is None:
                    continue
                if rel == "variant":
                    msg = f"'{text}' is '{ref_text}' in the aligned reference"
                elif rel == "lost":
                    msg = f"'{text}' lost a word: the aligned reference says '{ref_text}'"
                else:
                    msg = f"'{text}' has a word the aligned reference's '{ref_text}' lacks"
                yield self.finding(doc, seg, m.start, m.end, msg, ref_text)
                break

    def _variants(self, doc, seg: Segment, variants, ref_vars) -> Iterator[Finding]:
        ref_by_group: dict[int, set[str]] = defaultdict(set)
        for v in ref_vars:
            ref_by_group[v.group].add(v.form)
        for v in variants:
            forms = ref_by_group.get(v.group)
            if forms and v.form not in forms:
                want = sorted(forms)[0]
                yield self.finding(doc, seg, v.start, v.end,
                                   f"'{v.form}' is '{want}' in the aligned reference", want)
