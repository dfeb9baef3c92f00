"""Numbers, amounts, percentages and dates as values, in English and in Chinese.

"3.5 million" = "3,500,000" = 350万 = 三百五十万; 1.2亿 = "120 million"; full-width digits;
"June 25" = 6月25日 (both give the month 6 and the day 25); "25th" = 25. Chinese numerals
are read with ``cn2an``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "mn": 1e6, "bn": 1e9, "m": 1e6, "k": 1e3}
WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90, "dozen": 12})

_EN = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:st|nd|rd|th)?"
    r"(?:\s*(?P<pct>%|per ?cent\b))?"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion|trillion|mn|bn)\b)?"
    r"|(?<![\w-])(?P<word>" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
    r"(?:\s+(?P<wscale>hundred|thousand|million|billion|trillion)\b)"
    r"|\b(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?(?=\s+\d{1,2}\b)",
    re.IGNORECASE)
_HAS_NUMBER = re.compile(r"\d|hundred|thousand|illion", re.IGNORECASE)
_ZH_DIGITS = re.compile(r"[0-9]+(?:[.][0-9]+)?(?:[万亿]+)?|[零〇一二两三四五六七八九十百千万亿]{2,}|[一二两三四五六七八九]?[十百千万亿][零〇一二两三四五六七八九十百千万亿]*")
_ZH_MONTH = re.compile(r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})月")


@dataclass(frozen=True)
class Number:
    value: float
    start: int
    end: int
    text: str


_FULLWIDTH = re.compile("[\uff10-\uff19\uff0e]")


def _to_halfwidth(text: str) -> str:
    return unicodedata.normalize("NFKC", text) if _FULLWIDTH.search(text) else text


@lru_cache(maxsize=16384)
def english_numbers(text: str) -> tuple[Number, ...]:
    """Values of the numbers in English text (with their spans); cached, as references
    are shared by every system."""
    if not _HAS_NUMBER.search(text):
        return ()
    out = []
    for m in _EN.finditer(text):
        if m.group("month"):
            if m.group("month").lower() == "may" and not text[m.start():m.start() + 1].isupper():
                continue
            out.append(Number(float(MONTHS[m.group("month").lower().rstrip(".")]), m.start(), m.end(), m.group()))
            continue
        if m.group("word"):
            value = WORDS[m.group("word").lower()] * SCALES[m.group("wscale").lower()]
            out.append(Number(float(value), m.start(), m.end(), m.group()))
            continue
        raw = m.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        if m.group("scale"):
            value *= SCALES[m.group("scale").lower()]
        out.append(Number(value, m.start(), m.end(), m.group()))
    return tuple(out)


@lru_cache(maxsize=16384)
def chinese_numbers(text: str) -> tuple[Number, ...]:
    """Values of the numbers in Chinese text: digits, 万/亿 scales, Chinese numerals, months.
    Cached: every system of a corpus shares the source."""
    import cn2an

    text = _to_halfwidth(text)
    out = []
    for m in _ZH_DIGITS.finditer(text):
        s = m.group()
        if s in ("十分", "万一", "一一") or (s.startswith("十") and text[m.end():m.end() + 1] == "分"):
            continue
        try:
            value = float(cn2an.cn2an(s, "smart"))
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        # a percentage written as 百分之十五
        out.append(Number(value, m.start(), m.end(), s))
    return tuple(out)


def significant(n: Number) -> bool:
    """Numbers worth comparing across languages: 10 or more, or written with digits and a
    decimal point. Small counts are too often written as words ("two", "a") or dropped."""
    return n.value >= 10 or ("." in n.text and n.text[0].isdigit())


def same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))
