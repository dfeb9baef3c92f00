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

ORDINALS = {w: i for i, w in enumerate(
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
    "twentieth".split(), 10)}
ORDINALS.update({"thirtieth": 30, "twenty-first": 21, "twenty-second": 22, "twenty-third": 23,
                 "twenty-fourth": 24, "twenty-fifth": 25, "twenty-sixth": 26, "twenty-seventh": 27,
                 "twenty-eighth": 28, "twenty-ninth": 29, "thirty-first": 31})
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
          "ninth": 9}
_EN_NUM = re.compile(
    r"(?<!\d)(?<!\d[.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:st|nd|rd|th)?"
    r"(?:\s*(?P<pct>%|per ?cent\b))?"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion|trillion|mn|bn)\b)?")
_EN_WORD = re.compile(
    r"(?<![\w-])(?P<word>" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
    r"(?:\s+(?P<wscale>hundred|thousand|million|billion|trillion)\b)"
    r"|(?<![\w-])(?P<bare>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozen)(?:-(?P<unit>one|two|three|four|five|six|"
    r"seven|eight|nine|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))?(?!\w)"
    r"|(?<![\w-])(?P<ord>" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE)
_EN_MONTH = re.compile(r"\b(?P<month>" + "|".join(sorted({m.capitalize() for m in MONTHS}, key=lambda m: (-len(m), m)))
                       + r")\b\.?")
_DIGIT = re.compile(r"\d")
_DECADE_S = re.compile(r" ?s\b")
_WORD_HINTS = (" ten", "ten ", "ten-", "tenth", "eleven", "twel", "teen", "twent", "thirt", "forty", "fortieth",
               "fift", "sixt", "sevent", "eight", "ninet", "dozen", "hundred", "thousand", "illion")
_HAS_MONTH = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_ZH_ARABIC = re.compile(r"(?<![0-9.])(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
                        r"(?:\s?余?(?P<scale>万亿|亿|万|千)(?P<rest>[0-9]{1,4}(?![0-9.]))?)?")
_ZH_CHENG = re.compile(r"(?<![零〇一二两三四五六七八九十])([一二三四五六七八九])成(?![为功立长果绩员本熟])")
_ZH_IDIOMS = {"十四五": (14.0, 5.0), "十三五": (13.0, 5.0), "十二五": (12.0, 5.0)}
# a bare 万 before a measure word: 万名 = 10,000 (people), 每万字 = per 10,000 characters
_ZH_BARE_WAN = re.compile(r"(?<![零〇一二两三四五六七八九十百千0-9.余几数])万(?=[名人元字户亩吨份台辆个只条次])")
_ZH_DIGIT_RUN = re.compile(r"(?<![零〇一二两三四五六七八九十百千万亿])[〇零一二三四五六七八九]{2,}(?![十百千万亿])")
_DOTTED_DATE = re.compile(r"(?<![0-9.])((?:19|20)[0-9]{2})[./]([0-9]{1,2})[./]([0-9]{1,2})(?![0-9])")
# Chinese numerals with a unit (十/百/千/万/亿); not 几十 "dozens", 十分 "very", 红十字 "Red Cross"
_ZH_HANZI = re.compile(r"(?<![零〇一二两三四五六七八九十百千万亿几数红])"
                       r"(?:[一二两三四五六七八九]?[十百千万亿][零〇一二两三四五六七八九十百千万亿]*)(?!分|足|字会|几)")
_ZH_ABOUT = re.compile(r"(?<=[近上逾超约数])([百千万])(?![万亿])|([百])(?=年)")
# 七八十 "seventy or eighty": a range, either value may be meant
_ZH_RANGE = re.compile(r"([一二三四五六七八九])([一二三四五六七八九])十")
_ZH_SCALE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
_ZH_MONTH = re.compile(r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})月")


@dataclass(frozen=True)
class Number:
    value: float
    start: int
    end: int
    text: str
    #: other values the same text may stand for ("1980s" is also 80, as in 80年代)
    alts: tuple[float, ...] = ()
    #: part of a name or code ("COVID-19", "LP28", "B-52") or a month name: it may match,
    #: but its absence on the other side is not reported
    optional: bool = False

    def matches(self, other: "Number") -> bool:
        mine = (self.value, *self.alts)
        theirs = (other.value, *other.alts)
        return any(same(a, b) for a in mine for b in theirs)


_FULLWIDTH = re.compile("[\uff10-\uff19\uff0e]")


def _to_halfwidth(text: str) -> str:
    return unicodedata.normalize("NFKC", text) if _FULLWIDTH.search(text) else text


@lru_cache(maxsize=16384)
def english_numbers(text: str) -> tuple[Number, ...]:
    """Values of the numbers in English text (with their spans); cached, as references
    are shared by every system."""
    out: list[Number] = []
    if _DIGIT.search(text):
        for m in _DOTTED_DATE.finditer(text):  # 2021.6.11
            out.extend(Number(float(m.group(g)), m.start(g), m.end(g), m.group(g)) for g in (1, 2, 3))
        text = _DOTTED_DATE.sub(lambda m: "#" * len(m.group()), text)
        for m in _EN_NUM.finditer(text):
            value = float(m.group("num").replace(",", ""))
            if m.group("scale"):
                value *= SCALES[m.group("scale").lower()]
            alts: tuple[float, ...] = ()
            if 1900 <= value < 2100 and value % 10 == 0 and _DECADE_S.match(text, m.end()):
                alts = (value % 100,)  # the 1980s = 80年代
            coded = m.start() > 0 and (text[m.start() - 1].isalpha() or (
                text[m.start() - 1] == "-" and m.start() > 1 and text[m.start() - 2].isalpha()))
            out.append(Number(value, m.start(), m.end(), m.group(), alts, optional=coded))
    low = text.lower()
    if any(h in low for h in _WORD_HINTS):
        for m in _EN_WORD.finditer(text):
            if m.group("word"):
                value = WORDS[m.group("word").lower()] * SCALES[m.group("wscale").lower()]
            elif m.group("bare"):
                value = WORDS[m.group("bare").lower()] + _UNITS.get((m.group("unit") or "").lower(), 0)
            else:
                value = ORDINALS[m.group("ord").lower()]
            out.append(Number(float(value), m.start(), m.end(), m.group()))
    if _HAS_MONTH.search(text):
        for m in _EN_MONTH.finditer(text):
            name = m.group("month").lower()
            if name in ("may", "mar", "jan", "jun", "dec") and not re.match(r"\.?\s+\d{1,2}\b", text[m.end():]) \
                    and not re.search(r"\b\d{1,2}\s+$", text[:m.start()]):
                continue  # "May" or "Mar" as words; short forms only next to a day
            out.append(Number(float(MONTHS[name]), m.start(), m.end(), m.group(), optional=True))
    out.sort(key=lambda n: n.start)
    return tuple(out)


@lru_cache(maxsize=16384)
def chinese_numbers(text: str) -> tuple[Number, ...]:
    """Values of the numbers in Chinese text: digits, 万/亿 scales, Chinese numerals, months.
    Cached: every system of a corpus shares the source."""
    import cn2an

    text = _to_halfwidth(text)
    out = []
    for m in _DOTTED_DATE.finditer(text):  # 2021.6.11
        out.extend(Number(float(m.group(g)), m.start(g), m.end(g), m.group(g)) for g in (1, 2, 3))
    text = _DOTTED_DATE.sub(lambda m: "#" * len(m.group()), text)
    for m in _ZH_DIGIT_RUN.finditer(text):  # 六四 (a name), 三四五六 (grades 3 to 6)
        digits = "".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in m.group())
        out.append(Number(float(digits), m.start(), m.end(), m.group(), optional=True))
    for m in _ZH_ARABIC.finditer(text):
        value = float(m.group("num").replace(",", "")) * _ZH_SCALE.get(m.group("scale") or "", 1.0)
        if m.group("rest"):  # 2万4801 = 24,801
            value += float(m.group("rest"))
        alts: tuple[float, ...] = ()
        if text[m.end():m.end() + 2] == "年代" and value < 100:  # 80年代 = the 1980s
            alts = (1900 + value, 2000 + value)
        coded = m.start() > 0 and (text[m.start() - 1].isascii() and text[m.start() - 1].isalpha() or (
            text[m.start() - 1] == "-" and m.start() > 1 and text[m.start() - 2].isupper()))
        out.append(Number(value, m.start(), m.end(), m.group(), alts, optional=coded))
    for m in _ZH_CHENG.finditer(text):  # 六成 = 60%
        out.append(Number(float(int("一二三四五六七八九".index(m.group(1)) + 1) * 10), m.start(), m.end(), m.group()))
    for idiom, values in _ZH_IDIOMS.items():
        if idiom not in text:
            continue
        for k in [i for i in range(len(text)) if text.startswith(idiom, i)]:
            out.extend(Number(v, k, k + len(idiom), idiom, optional=v < 10) for v in values)
    for idiom in _ZH_IDIOMS:  # mask them, so that 十四五 is not read again as 145
        text = text.replace(idiom, "#" * len(idiom))
    for m in _ZH_BARE_WAN.finditer(text):
        out.append(Number(1e4, m.start(), m.end(), m.group()))
    for m in _ZH_ABOUT.finditer(text):  # 近千名 "nearly a thousand", 百年 "a hundred years"
        unit = m.group(1) or m.group(2)
        out.append(Number({"百": 100.0, "千": 1000.0, "万": 1e4}[unit], m.start(), m.end(), m.group(),
                          optional=True))  # vague: "thousands of", "nearly a thousand"
    for m in _ZH_RANGE.finditer(text):
        for g in (1, 2):
            out.append(Number(10.0 * ("一二三四五六七八九".index(m.group(g)) + 1), m.start(), m.end(), m.group(),
                              optional=True))
    text = _ZH_RANGE.sub(lambda m: "#" * len(m.group()), text)
    for m in _ZH_HANZI.finditer(text):
        s = m.group()
        if len(s) == 1 and s in "百万亿千":
            continue  # a lone unit is a word (百班千人), not a number
        if s == "万一" or s.startswith("万一"):
            continue  # 万一 "in case"
        try:
            value = float(cn2an.cn2an("一" + s if s[0] in "百千万亿" else s, "smart"))
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        # 千万, 百万 without a leading numeral are usually "tens of millions", "millions"
        out.append(Number(value, m.start(), m.end(), s, optional=s[0] in "百千万亿"))
    return tuple(out)


def significant(n: Number) -> bool:
    """Numbers worth comparing across languages: 10 or more, or written with digits and a
    decimal point. Small counts are too often written as words ("two", "a") or dropped."""
    return n.value >= 10 or ("." in n.text and n.text[0].isdigit())


def same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))
