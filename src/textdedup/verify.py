"""Verify candidate pairs: score each pair and keep those at or above a threshold.

Sixth stage of the flow. Two scorers: rapidfuzz's normalized similarity of the
keys (batched with ``process.cpdist``, all cores), or the exact Jaccard similarity
of the shingle sets. Scores are floats in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import regex
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .normalize import identity_key
from .segment import tokens
from .shingle import Shingles

__all__ = [
    "SCORERS",
    "SHORT_WORDS",
    "Comparison",
    "compare",
    "exact_jaccard",
    "fuzzy_scores",
    "jaccard_scores",
    "numbers",
]

# -- the cleaner's comparison of two texts -----------------------------------------------

# A number: digits with decimal, thousands or time separators, and its sign when the
# sign is not a hyphen inside a word ("-4.2" is negative, "COVID-19" is not).
# Every run of digits is a number, wherever it stands ("24.5" in "North,24.5,91", the
# "2" in "x2"): a number that differs is a fact that differs.
_NUMBER = regex.compile(r"(?:(?<![\p{L}\p{N}_])[-+])?(?<!\p{Nd})\p{Nd}+(?:[.,:]\p{Nd}+)*")
# Markup tags are layout, not text: a copy wrapped in <p>...</p> says the same thing.
_TAG = regex.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
_WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
# Operators of code and formulas: replacing one by another changes what is computed.
_OPERATOR = regex.compile(r"[+*/=<>%&|^~]")
# An identifier of code (snake_case, camelCase): a changed letter names another thing.
_IDENTIFIER = regex.compile(r"\w_|_\w|\p{Ll}\p{Lu}")
#: Texts with fewer tokens than this are short: a word replaced by an unlike word
#: (a different place, name or item) makes them different records, whatever the score.
SHORT_WORDS = 20
# Words added (or left out) in one place that make a passage of their own, at any length.
_ADDED_PASSAGE = 3
_LONG_TOKENS = 2000


def numbers(text: str) -> list[str]:
    """The numbers in ``text``, in order, with their signs and decimal points.

    >>> numbers("Route 4101 (CR 4101), -4.2 km, 00:12:31,480, COVID-19")
    ['4101', '4101', '-4.2', '00:12:31,480', '19']
    """
    return _NUMBER.findall(text)


@dataclass(frozen=True, slots=True)
class Comparison:
    """How two texts compare, as the cleaner decides copies.

    ``exact``: their :func:`~textdedup.normalize.identity_key` are equal.
    ``other_words``: how many words (or operators) one text has in place of unlike
    ones of the other, plus, on short texts (under :data:`SHORT_WORDS` tokens), the
    words one has beside the other's; 0 on texts of 2000 tokens or more.
    ``score``: in [0, 1], the smaller of the character similarity (rapidfuzz
    ``ratio``, i.e. 1 - Indel distance / total length, of the identity keys) and the
    token similarity (see :func:`_token_ratio`) of the case-folded identity keys with
    markup tags left out; 1.0 only when ``exact``.
    On the token sequence every word, number or run of punctuation weighs one, so
    a substituted content word costs its whole weight however few characters
    differ. ``same_numbers``: both texts hold the same numbers in the same order.
    ``passage_words``: words that one text has, three or more in one place, where
    the other has nothing (0 on texts of 2000 tokens or more).
    """

    exact: bool
    score: float
    same_numbers: bool
    other_words: int = 0
    passage_words: int = 0

    def near(self, threshold: float, *, passages: bool = True) -> bool:
        """Whether the texts are near duplicates.

        Identical, or: the same numbers, ``score >= threshold``, no word or operator
        replaced by an unlike one, on short texts (under :data:`SHORT_WORDS` tokens)
        no word added, and with ``passages`` no passage added (three words or more in
        one place: a clause or sentence of its own). Whole blocks are compared with
        ``passages``; spans, whose edges are snapped separately, without.
        """
        return self.exact or (
            self.same_numbers
            and self.score >= threshold
            and self.other_words == 0
            and (self.passage_words == 0 or not passages)
        )


def compare(a: str, b: str, *, score_cutoff: float = 0.0) -> Comparison:
    """Compare two texts for the single-document cleaner.

    Parameters
    ----------
    a, b:
        The two texts.
    score_cutoff:
        Scores below this may be returned as 0.0 (faster on long texts).

    Returns
    -------
    Comparison
        Identity, similarity score in [0, 1] and whether the numbers agree.

    >>> compare("Route 4101 runs to Oakfield.", "Route 4102 runs to Oakfield.").near(0.9)
    False
    >>> a = "Route 12 runs from Oakfield to the Marsh County line."
    >>> compare(a, a.replace("Oakfield", "Elmwood")).near(0.9)
    False
    >>> compare(a, a.replace("County", "Conuty")).near(0.9)
    True
    >>> c = compare("merged.update(config.user_values)", 'merged.update(config["user_values"])')
    >>> c.exact, c.score < 0.9
    (False, True)
    >>> compare("\u201cHi,\u201d  she said.", '"Hi," she said.')
    Comparison(exact=True, score=1.0, same_numbers=True, other_words=0, passage_words=0)
    """
    ka, kb = identity_key(a), identity_key(b)
    if ka == kb:
        return Comparison(exact=True, score=1.0, same_numbers=True)
    same_numbers = numbers(ka) == numbers(kb)
    # Tokens as written (camelCase tells an identifier) and case-folded (to align).
    ra, rb = tokens(_TAG.sub(" ", ka)), tokens(_TAG.sub(" ", kb))
    # Characters as they are (case and markup count, so only identical texts score
    # 1.0); tokens case-folded and without markup (a copy re-cased or wrapped in <p>
    # says the same words).
    chars = fuzz.ratio(ka, kb, score_cutoff=score_cutoff * 100)
    words = 0.0
    other = 0
    passage = 0
    if chars:
        ta, tb = [t.casefold() for t in ra], [t.casefold() for t in rb]
        if min(len(ta), len(tb)) >= _LONG_TOKENS:
            # On long texts a typo's whole-token cost is negligible: plain Indel ratio.
            words = fuzz.ratio(ta, tb, score_cutoff=score_cutoff * 100)
        else:
            ratio, replaced, added, passage = _token_ratio(ta, tb, ra, rb)
            words = 100.0 * ratio
            # A word replaced by an unlike word (or an operator by another) changes a
            # fact at any length; a word added or left out does only on short texts.
            other = replaced + (added if min(len(ta), len(tb)) < SHORT_WORDS else 0)
    return Comparison(
        exact=False,
        score=min(chars, words) / 100.0,
        same_numbers=same_numbers,
        other_words=other,
        passage_words=passage,
    )


def _token_ratio(
    ta: list[str], tb: list[str], ra: list[str], rb: list[str]
) -> tuple[float, int, int, int]:
    """Weighted token similarity in [0, 1], tokens replaced, words added, passage words.

    Each token weighs one. A token deleted or inserted costs its weight (a word counts
    as added, or as a passage when three or more are in one place); a word replaced by a
    similar word (a typo fixed, a spelling variant: character ratio r >= 0.75, neither
    an identifier such as ``get_user`` or ``getUser``) costs 2 (1 - r); a punctuation
    run replaced by another costs 1, and counts as replaced when either holds an
    operator (``+ * / = < > % & | ^ ~``); any other replacement costs 2, and counts as
    replaced. The score is 1 - cost / (len(ta) + len(tb)), the Indel ratio when no
    replaced token is similar. ``ta``, ``tb`` are case-folded tokens, ``ra``, ``rb`` the
    same tokens as written.
    """
    cost = 0.0
    other = 0
    added = 0
    passage = 0
    for op in Levenshtein.opcodes(ta, tb):
        if op.tag == "equal":
            continue
        left, right = ta[op.src_start : op.src_end], tb[op.dest_start : op.dest_end]
        raw = zip(ra[op.src_start : op.src_end], rb[op.dest_start : op.dest_end], strict=False)
        for (x, y), (rx, ry) in zip(zip(left, right, strict=False), raw, strict=True):
            wx, wy = bool(_WORDLIKE.match(x)), bool(_WORDLIKE.match(y))
            if wx and wy:
                r = fuzz.ratio(x, y) / 100.0
                if r >= 0.75 and not (_IDENTIFIER.search(rx) or _IDENTIFIER.search(ry)):
                    cost += 2 * (1 - r)
                    continue
            elif not wx and not wy:
                cost += 1
                if _OPERATOR.search(x) or _OPERATOR.search(y):
                    # "value + factor" and "value * factor" compute different things.
                    other += 1
                continue
            cost += 2
            other += 1
        extra = left[len(right) :] or right[len(left) :]
        cost += len(extra)
        words = sum(1 for t in extra if _WORDLIKE.match(t))
        if words >= _ADDED_PASSAGE:
            # Several words in a row that the other text lacks: a clause or sentence
            # of its own, new content, not an edit (an edit adds a word or two).
            passage += words
        else:
            added += words
    total = len(ta) + len(tb)
    return (1.0 - cost / total if total else 1.0), other, added, passage


Scorer = Literal["ratio", "token_sort_ratio", "jaccard"]
SCORERS: tuple[Scorer, ...] = ("ratio", "token_sort_ratio", "jaccard")
_FUZZ = {"ratio": fuzz.ratio, "token_sort_ratio": fuzz.token_sort_ratio}


def fuzzy_scores(
    left: Sequence[str],
    right: Sequence[str],
    *,
    scorer: Literal["ratio", "token_sort_ratio"] = "ratio",
    workers: int = -1,
) -> npt.NDArray[np.float64]:
    """Rapidfuzz similarity of ``left[k]`` and ``right[k]`` for every ``k``, in [0, 1].

    >>> fuzzy_scores(["hello world", "abc"], ["hello world!", "xyz"]).round(2).tolist()
    [0.96, 0.0]
    """
    if len(left) != len(right):
        raise ValueError(f"left and right differ in length: {len(left)} and {len(right)}")
    if not left:
        return np.zeros(0, dtype=np.float64)
    scores = process.cpdist(left, right, scorer=_FUZZ[scorer], workers=workers, dtype=np.float64)
    return np.asarray(scores, dtype=np.float64) / 100.0


def exact_jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    """Jaccard similarity of two sets of shingle hashes (1.0 for two empty sets).

    >>> exact_jaccard(np.array([1, 2, 3], np.uint64), np.array([2, 3, 4], np.uint64))
    0.5
    """
    ua, ub = np.unique(a), np.unique(b)
    union = np.union1d(ua, ub).size
    if union == 0:
        return 1.0
    return float(np.intersect1d(ua, ub, assume_unique=True).size / union)


def jaccard_scores(
    shingles: Shingles, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Exact Jaccard similarity of the shingle sets of each pair of texts."""
    h, off = shingles.hashes, shingles.offsets
    return np.array(
        [
            exact_jaccard(h[off[i] : off[i + 1]], h[off[j] : off[j + 1]])
            for i, j in zip(left.tolist(), right.tolist(), strict=True)
        ],
        dtype=np.float64,
    )
