"""Text processing: Unicode-aware tokenising, stop words and a light stemmer.

Everything here is deterministic and dependency-free.  Stems are only used as
matching keys; readable reasons are built from the surface words (see
:mod:`projects.matching.reasons`), so the stemmer may be aggressive as long as
it is consistent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

__all__ = [
    "STOP_WORDS",
    "fold",
    "iter_words",
    "segments",
    "stem",
    "surface_tokens",
    "tokens",
]

# \w is Unicode-aware in Python 3, so French, German... words survive.  Digits
# are kept when glued to letters ("co2", "pm10") because they carry meaning in
# civic texts, but bare numbers are dropped in ``tokens`` (they match by chance).
_WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SEGMENT_RE = re.compile(r"(?:;|\.\s+|\n+|•|\u2022|:\s+(?=[A-Z]))")

_EN_STOP_TEXT = """
a about above across after again against all almost along already also although
always am among an and another any anyone anything are around as at be became
because become been before being below besides between both but by can cannot
could did do does doing done down during each either else enough etc even ever
every few for from further had has have having he her here hers herself him
himself his how however i if in into is it its itself just least less many may
me might more most much must my myself namely neither never nevertheless no nor
not now of off often on once one only onto or other others otherwise our ours
ourselves out over own per perhaps rather same several shall she should since so
some such than that the their theirs them themselves then there thereby
therefore these they this those though through throughout thus to together too
toward towards under until up upon us very via was we well were what whatever
when where whether which while who whom whose why will with within without would
yet you your yours yourself yourselves
"""

_FR_STOP_TEXT = """
a afin ai aie aient ainsi alors au aucun aucune aupres auquel aura aurait aussi
autre autres aux avaient avais avait avant avec avoir c ca ce ceci cela celle
celles celui ces cet cette ceux chaque chez comme comment d dans de des donc dont
du elle elles en encore entre est et etaient etait ete etre eu eux il ils j je l
la le les leur leurs lui m ma mais me meme memes mes moi moins mon n ne ni nos
notre nous on ont ou par parce pas peu peut plus pour pourquoi puis qu quand que
quel quelle quelles quels qui s sa sans se sera seront ses si sien son sont sous
sur t ta te tes toi ton tous tout toute toutes tres tu un une vos votre vous y
"""

STOP_WORDS: frozenset[str] = frozenset(_EN_STOP_TEXT.split()) | frozenset(
    _FR_STOP_TEXT.split()
)

# Ordered longest-first within each group so the most specific rule wins.
# The replacement keeps the stem a recognisable prefix of the related words
# ("sustainable"/"sustainability" -> "sustain").
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ationally", ""),
    ("izations", ""),
    ("isations", ""),
    ("fulness", ""),
    ("iveness", ""),
    ("ization", ""),
    ("isation", ""),
    ("abilities", ""),
    ("ibilities", ""),
    ("ational", ""),
    ("ability", ""),
    ("ibility", ""),
    ("ements", ""),
    ("ations", ""),
    ("itions", ""),
    ("nesses", ""),
    ("ically", ""),
    ("ement", ""),
    ("ation", ""),
    ("ition", ""),
    ("ments", ""),
    ("ities", ""),
    ("ances", ""),
    ("ences", ""),
    ("ively", ""),
    ("ously", ""),
    ("ness", ""),
    ("ment", ""),
    ("able", ""),
    ("ible", ""),
    ("ance", ""),
    ("ence", ""),
    ("ings", ""),
    ("ical", ""),
    ("ists", ""),
    ("isms", ""),
    ("ions", ""),
    ("ives", ""),
    ("ally", ""),
    ("ious", ""),
    ("ing", ""),
    ("ity", ""),
    ("ies", ""),
    ("ist", ""),
    ("ism", ""),
    ("ion", ""),
    ("ive", ""),
    ("ous", ""),
    ("ers", ""),
    ("ful", ""),
    ("ic", ""),
    ("al", ""),
    ("ed", ""),
    ("er", ""),
    ("es", ""),
    ("ly", ""),
    ("e", ""),
    ("s", ""),
    ("y", ""),
)
_MIN_STEM = 3


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return a light stem of an already folded, lower-case word.

    Strips at most two suffixes (e.g. "communities" -> "commun",
    "sustainability" -> "sustain") while keeping at least three characters,
    so short words and acronyms ("co2", "bus", "ev") stay intact.
    """
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    for round_ in range(2):
        for suffix, repl in _SUFFIXES:
            if round_ and len(suffix) == 1:
                # A second single-letter cut over-stems ("housing" -> "hous"
                # -> "hou") without joining any new word family.
                break
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                if suffix == "s" and word[-2] in "sui":
                    # "process", "bus", "analysis" are not plurals.
                    break
                word = word[: len(word) - len(suffix)] + repl
                break
        else:
            break
    # Collapse a doubled final consonant ("planning" -> "plann" -> "plan") so
    # the inflected and base forms meet.
    if len(word) > _MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Énergie" and "energie" meet."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _split_word(word: str) -> list[str]:
    # Hyphenated compounds count as their parts ("car-sharing" ~ "car sharing");
    # French elisions drop the article ("l'energie" -> "energie").
    head, *rest = re.split(r"['’]", word)
    if rest and len(head) <= 2:
        head, rest = rest[0], rest[1:]
    parts: list[str] = []
    for chunk in (head, *rest):
        parts.extend(p for p in chunk.split("-") if p)
    return parts


def iter_words(text: str) -> Iterator[tuple[str, str, int, int]]:
    """Yield ``(folded_word, surface_word, start, end)`` for each word part."""
    for match in _WORD_RE.finditer(text):
        surface = match.group(0)
        start = match.start()
        if "-" in surface or "'" in surface or "’" in surface:
            offset = 0
            for part in re.split(r"(['’-])", surface):
                if part and part not in "'’-":
                    yield fold(part), part, start + offset, start + offset + len(part)
                offset += len(part)
            continue
        yield fold(surface), surface, start, match.end()


def _keep(word: str) -> bool:
    return len(word) > 1 and word not in STOP_WORDS and not word.isdigit()


# Word -> stem ("" when the word is dropped).  A plain dict lookup per word is
# what makes tokenising 100k proposals fast; the cache is bounded by clearing.
_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_MAX = 500_000
# Hyphens and apostrophes split words here: compounds count as their parts and
# elided articles ("l'", "d'") fall out as one-letter stop words.
_SIMPLE_WORD_RE = re.compile(r"[^\W_]+")


def _analyse(word: str) -> str:
    return stem(word) if _keep(word) else ""


def tokens(text: str) -> list[str]:
    """Stemmed content tokens of ``text`` (the matching keys)."""
    if not text:
        return []
    words = _SIMPLE_WORD_RE.findall(fold(text))
    cache = _STEM_CACHE
    try:
        stems = [cache[w] for w in words]
    except KeyError:
        if len(cache) > _STEM_CACHE_MAX:
            cache.clear()
        for w in words:
            if w not in cache:
                cache[w] = _analyse(w)
        stems = [cache[w] for w in words]
    return [s for s in stems if s]


def surface_tokens(text: str) -> list[tuple[str, str]]:
    """``(stem, surface_word)`` pairs in text order, stop words dropped.

    Stop words are kept as ``("", surface)`` placeholders so callers can tell
    that two content words were *not* adjacent ("heat for pump").
    """
    out: list[tuple[str, str]] = []
    for folded, surface, _start, _end in iter_words(text):
        if _keep(folded):
            out.append((stem(folded), surface.lower()))
        else:
            out.append(("", surface.lower()))
    return out


def segments(text: str, *, min_tokens: int = 3) -> list[str]:
    """Split a long description into clause-like sub-queries.

    Pieces shorter than ``min_tokens`` content tokens are glued to the next one
    so that fragments like "Targets:" do not become queries of their own.
    """
    pieces = [p.strip() for p in _SEGMENT_RE.split(text or "") if p and p.strip()]
    out: list[str] = []
    carry = ""
    for piece in pieces:
        candidate = f"{carry} {piece}".strip() if carry else piece
        if len(tokens(candidate)) < min_tokens:
            carry = candidate
            continue
        out.append(candidate)
        carry = ""
    if carry:
        if out:
            out[-1] = f"{out[-1]} {carry}"
        else:
            out.append(carry)
    return out


def join_fields(fields: Iterable[str]) -> str:
    """Join text fields with a sentence break so segments never straddle them."""
    return ". ".join(f for f in fields if f)
