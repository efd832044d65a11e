"""Verify candidate pairs: score each pair and keep those at or above a threshold.

Sixth stage of the flow, and the only place pair scores are defined:
:data:`SCORER_TABLE` lists every score (Jaccard and containment of the shingle sets,
rapidfuzz ratios of the keys, the MinHash estimate), each saying whether it is
symmetric and which Jaccard threshold LSH is tuned for, and :func:`score_pairs`
computes any of them over a batch of pairs. Shingle-set scores run in batches over
arrays (:class:`ShingleSets`, :func:`set_intersections`); rapidfuzz's are batched with
``process.cpdist`` on all cores. Scores are floats in [0, 1].
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Literal

import numpy as np
import numpy.typing as npt
import regex
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from .normalize import _STROKED, identity_key, normalize_key
from .segment import tokens
from .shingle import Shingles

__all__ = [
    "MODEL_WORDS",
    "NEGATIONS",
    "NUMBER_WORDS",
    "SCORERS",
    "SCORER_TABLE",
    "SHORT_WORDS",
    "TARGET_RECALL",
    "VERY_SHORT_WORDS",
    "CandidateTarget",
    "Comparison",
    "PairScorer",
    "ShingleSets",
    "ShortText",
    "candidate_target",
    "compare",
    "exact_jaccard",
    "fuzzy_scores",
    "indel_qgram_jaccard",
    "jaccard_scores",
    "markers",
    "numbers",
    "numbers_agree",
    "numbers_within",
    "replaced_words",
    "score_pairs",
    "set_containment",
    "set_intersections",
    "set_jaccard",
    "short_texts_agree",
    "short_texts_differ",
    "word_changes",
]

# -- the cleaner's comparison of two texts -----------------------------------------------

# A number: digits with decimal, thousands or time separators, and its sign when the
# sign is not a hyphen inside a word ("-4.2" is negative, "COVID-19" is not).
# Every run of digits is a number, wherever it stands ("24.5" in "North,24.5,91", the
# "2" in "x2"): a number that differs is a fact that differs.
_NUMBER = regex.compile(r"(?:(?<![\p{L}\p{N}_])[-+])?(?<!\p{Nd})\p{Nd}+(?:[.,:]\p{Nd}+)*")
# Markup tags are layout, not text: a copy wrapped in <p>...</p> says the same thing.
_TAG = regex.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
# Inline markup that wraps words without being words: a Markdown or reST link's
# brackets and target ("[old observatory](/en/observatory)", "`old observatory
# </en/observatory>`_"), BBCode tags ("[b]", "[url=...]"), and emphasis or literal
# marks around words ("*most*", "**S**", "_a phrase_", "``code``", MediaWiki's
# two or three apostrophes; the identity key writes a backtick as one). An opening mark
# follows no word character and precedes no space, a closing one the reverse, and the
# two are the same mark: "a * b * c", "x*y", "**kwargs" and "snake_case_name" hold
# none. (Strike-through, "~~", is left: the struck words are content.)
_MD_LINK = regex.compile(
    r"!?\[(?P<text>[^\[\]\n]{1,200})\]\((?P<target>[^()\s]{1,300})(?:\s+\"[^\"\n]*\")?\)"
)
_REST_LINK = regex.compile(r"[`'](?P<text>[^`'<\n]{1,200}?)\s*<(?P<target>[^<>\s]{1,300})>[`']__?")
_BBCODE = regex.compile(
    r"\[(?P<tag>b|i|u|s|em|strong|url|color|size|font)(?:=[^\]\n]{0,200})?\]"
    r"(?P<text>[^\n]{0,300}?)\[/(?P=tag)\]",
    regex.IGNORECASE,
)
_EMPHASIS = regex.compile(
    r"(?<![\w*`'\\])(?P<mark>\*{1,3}|``|'{2,3})(?=[^\s*`'])(?P<text>[^\n]{1,300}?)"
    r"(?<=[^\s*`'\\])(?P=mark)(?![\w*`'])"
    r"|(?<![\w_\\])(?P<mark>_{1,2})(?=[^\s_])(?P<text>[^\n]{0,300}?\s[^\n]{0,300}?)(?<=[^\s_\\])(?P=mark)(?![\w_])"
)


def _plain(key: str) -> str:
    """Identity key ``key`` without its markup (HTML tags, and the inline markup of
    :data:`_EMPHASIS`, :data:`_MD_LINK`, :data:`_REST_LINK`, :data:`_BBCODE`): the words
    a reader sees. A copy that only lost its emphasis or a link says the same words.

    >>> _plain("The survey found that *most* residents")
    'The survey found that most residents'
    >>> _plain("a [b]bold[/b] move, see [the map](/maps/3) or ``run()``")
    'a bold move, see the map or run()'
    >>> _plain("f(*args, **kwargs) and a * b * c and snake_case_name")
    'f(*args, **kwargs) and a * b * c and snake_case_name'
    """
    if not _MAYBE_MARKUP.search(key):
        return key
    key = _MD_LINK.sub(r"\g<text>", key)
    key = _REST_LINK.sub(r"\g<text>", key)
    key = _TAG.sub(" ", key)
    key = _BBCODE.sub(r"\g<text>", key)
    return _EMPHASIS.sub(r"\g<text>", key)


_MAYBE_MARKUP = regex.compile(r"[<\[*_`]")


def _link_targets(key: str) -> list[str]:
    """The targets of the Markdown and reST links of ``key``, in order: what each link
    points to is a fact, as an ``href`` is (see :func:`_attribute_values`)."""
    return [m["target"] for m in _MD_LINK.finditer(key)] + [
        m["target"] for m in _REST_LINK.finditer(key)
    ]


_WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
# Operators of code and formulas: replacing one by another changes what is computed.
# Operators, and brackets: "prices(index)" calls, "prices[index]" indexes.
_OPERATOR = regex.compile(r"[+*/=<>%&|^~()\[\]{}]")
# An identifier of code (snake_case, camelCase): a changed letter names another thing.
# An operator that makes another value when added ("~12000", "<30"): brackets aside.
_SIGN = regex.compile(r"[+*/=<>%&|^~]")
_IDENTIFIER = regex.compile(r"\w_|_\w|\p{Ll}\p{Lu}")
#: Texts with fewer tokens than this are short: a word replaced by an unlike word
#: (a different place, name or item) makes them different records, whatever the score.
SHORT_WORDS = 20
# Words added (or left out) in one place that make a passage of their own, at any length.
_ADDED_PASSAGE = 3
# A copy may differ from its original by one word added or left out per this many words
# (of the shorter text): a long paste retouched. Under it, a word is a fact.
_EDIT_WORDS = 100
_LONG_TOKENS = 2000


def numbers(text: str) -> list[str]:
    """The numbers in ``text``, in order, with their signs and decimal points.

    >>> numbers("Route 4101 (CR 4101), -4.2 km, 00:12:31,480, COVID-19")
    ['4101', '4101', '-4.2', '00:12:31,480', '19']
    """
    return _NUMBER.findall(text)


def numbers_agree(a: str, b: str) -> bool:
    """Whether the numbers of ``a`` and ``b`` agree where both give them.

    ``a`` and ``b`` are texts as written (a key has lost decimal points and signs). They
    agree when the numbers of one text (:func:`numbers`, with their signs and decimal
    points) are the numbers of the other in the same order, some left out: a record
    with its pages left out still agrees with the full record, but ``26(1)`` and
    ``26(2)``, ``1(2)`` and ``2(1)``, ``0.5 mg`` and ``5 mg`` or ``-5`` and ``5`` do not.

    >>> numbers_agree("MIS Quarterly 2002;26(1)", "MIS Quarterly 2002;26(2)")
    False
    >>> numbers_agree("Stroke 2002;33(4):101-110", "Stroke 2002;33(4)")
    True
    >>> numbers_agree("Journal 2002;1(2)", "Journal 2002;2(1)")
    False
    """
    return numbers_within(numbers(a), numbers(b))


def numbers_within(na: Sequence[str], nb: Sequence[str]) -> bool:
    """:func:`numbers_agree` on numbers already found: the shorter list is a subsequence
    of the other (same order, some left out); an empty list agrees with any."""
    if not na or not nb:
        return True
    if len(na) > len(nb):
        na, nb = nb, na
    rest = iter(nb)
    return all(x in rest for x in na)


#: Texts with fewer words than this (a title, a product name, a short line) are different
#: records when one word is replaced by an unlike word (:func:`short_texts_differ`).
#: Measured with ``benchmarks/records.py``: the same check under :data:`SHORT_WORDS`
#: words took the sentences' precision from 0.771 to 0.983 but F1 from 0.871 to 0.859
#: (synonyms, "approved" / "passed", split), so it stays at 10.
VERY_SHORT_WORDS = 10
#: Words that, added to a short text, say the opposite.
NEGATIONS = frozenset({"not", "no", "never", "nor", "none", "without", "cannot", "nothing"})
#: Words that, added to or replaced in a short text, name another model, size or edition
#: ("iPhone 13" / "iPhone 13 Pro", "XL" / "XXL"); a trailing ``+`` reads as ``plus``.
MODEL_WORDS = frozenset(
    {"pro", "plus", "max", "mini", "ultra", "lite", "air", "xs", "xl", "xxl", "xxxl", "se"}
)
#: Number words: replacing one by another changes a quantity ("million" / "billion").
NUMBER_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "twenty", "hundred", "thousand", "million", "billion", "trillion",
    "first", "second", "third", "fourth", "fifth", "half", "quarter", "double", "triple",
    "single",
})  # fmt: skip
# Markers of a record that is another record even with the same title: a correction, a
# retraction, a numbered part or volume. Read on keys (case-folded, no punctuation).
_KIND_MARKER = regex.compile(
    r"\b(?:(correction|corrigendum|corrigenda|erratum|errata|retraction|retracted|withdrawn"
    r"|expression of concern)|(part|vol|volume|book)\s+(\d+|[ivxl]+|one|two|three|four|five"
    r"|six|seven|eight|nine|ten|first|second|third|fourth|fifth))\b"
)
_KIND_OF = {"corrigendum": "correction", "corrigenda": "correction", "erratum": "correction",
            "errata": "correction", "retracted": "retraction", "withdrawn": "retraction",
            "vol": "volume"}  # fmt: skip
_ORDINAL = {w: i + 1 for i, w in enumerate(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])}  # fmt: skip
_ORDINAL.update(first=1, second=2, third=3, fourth=4, fifth=5)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_PLUS = regex.compile(r"(?<=[\p{L}\p{N}])\+")


def _part_number(word: str) -> str:
    if word.isdigit():
        return str(int(word))
    if word in _ORDINAL:
        return str(_ORDINAL[word])
    total = 0
    for k, c in enumerate(word):  # Roman numerals (i..l)
        v = _ROMAN[c]
        total += -v if k + 1 < len(word) and _ROMAN[word[k + 1]] > v else v
    return str(total)


def markers(key: str) -> frozenset[str]:
    """The kind markers of a key: ``correction``, ``retraction``, ``part 2``, ``volume 1``.

    >>> sorted(markers("correction to the rise of x part ii"))
    ['correction', 'part 2']
    """
    out = set()
    for m in _KIND_MARKER.finditer(key):
        if m.group(1):
            out.add(_KIND_OF.get(m.group(1), m.group(1)))
        else:
            out.add(f"{_KIND_OF.get(m.group(2), m.group(2))} {_part_number(m.group(3))}")
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class ShortText:
    """What the short-text rule compares: a text's numbers (as written), words and markers.

    ``numbers``: :func:`numbers` of the text as written (signs and decimal points kept);
    ``words``: the words of its key, diacritics folded, a trailing ``+`` read as ``plus``;
    ``markers``: :func:`markers` of that key.
    """

    numbers: tuple[str, ...]
    words: tuple[str, ...]
    markers: frozenset[str]

    @classmethod
    def of(cls, text: str) -> ShortText:
        """The facts of ``text`` (as written; a key works too, without signs and decimals).

        >>> ShortText.of("Vitamin D3 -0.5 mg, Galaxy S21+").numbers
        ('3', '-0.5', '21')
        """
        from .fields import fold

        key = normalize_key(fold(_PLUS.sub(" plus", text)))
        return cls(tuple(numbers(text)), tuple(key.split()), markers(key))


def _alike(x: str, y: str) -> bool:
    """Whether word ``y`` in place of ``x`` can be the same word: equal, an initial or an
    abbreviation ("p" for "peter", "hydrol" for "hydrology"), or a typo (one edit, with
    transpositions, in words of 4 letters or more; two when the first two letters are
    the same: "said" / "says"). Number words and model words are never alike another word."""
    if x == y:
        return True
    if x in NUMBER_WORDS or y in NUMBER_WORDS or x in MODEL_WORDS or y in MODEL_WORDS:
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    if long_.startswith(short) and (len(short) >= 3 or (len(short) == 1 and len(long_) >= 3)):
        return True
    if short.isdigit() or long_.isdigit():
        # "26" / "26m": the same number with a unit (the numbers rule compares numbers).
        unit = long_[len(short) :]
        return (
            short.isdigit()
            and long_.startswith(short)
            and unit.isalpha()
            and (unit not in MODEL_WORDS)
        )
    distance = OSA.distance(x, y)
    return len(short) >= 4 and (distance <= 1 or (distance <= 2 and x[:2] == y[:2]))


def _opposite(x: str, y: str) -> bool:
    """Whether ``y`` in place of ``x`` says another thing at any length under
    :data:`SHORT_WORDS`: a negating prefix ("effective" / "ineffective"), another number
    word ("million" / "billion") or another model word ("XL" / "XXL")."""
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    if long_.endswith(short) and long_[: len(long_) - len(short)] in _NEGATING:
        return True
    return (x in NUMBER_WORDS and y in NUMBER_WORDS) or (x in MODEL_WORDS and y in MODEL_WORDS)


def word_changes(a: Sequence[str], b: Sequence[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Words of ``a`` replaced in ``b`` by unlike words, and words added or left out.

    Words are aligned with the Levenshtein opcodes of rapidfuzz; a replaced pair counts
    unless the words are alike (an initial, an abbreviation, a typo: see ``_alike``) or one
    of them occurs elsewhere in the other text (a moved word).

    >>> word_changes("first record fine".split(), "third record not fine".split())
    ([('first', 'third')], ['not'])
    """
    replaced: list[tuple[str, str]] = []
    added: list[str] = []
    in_a, in_b = set(a), set(b)
    for op in Levenshtein.opcodes(list(a), list(b)):
        if op.tag == "equal":
            continue
        xs, ys = a[op.src_start : op.src_end], b[op.dest_start : op.dest_end]
        if op.tag == "replace":
            for x, y in zip(xs, ys, strict=False):
                # A word found elsewhere in the other text moved ("Peter Smith" / "Smith, P.").
                if not (_alike(x, y) or x in in_b or y in in_a):
                    replaced.append((x, y))
            n = min(len(xs), len(ys))
            xs, ys = xs[n:], ys[n:]
        added.extend(xs)
        added.extend(ys)
    return replaced, added


def replaced_words(a: str, b: str) -> int:
    """How many words of key ``a`` are replaced in key ``b`` by unlike words.

    >>> replaced_words("first record complete and fine", "third record complete and fine")
    1
    >>> replaced_words("langhorne peter stroke", "langhorne p stroke")
    0
    >>> replaced_words("mens shirt male", "womens shirt female")
    2
    """
    return len(word_changes(a.split(), b.split())[0])


def short_texts_differ(a: str | ShortText, b: str | ShortText) -> str | None:
    """Why two short texts are different records, or ``None`` when the rule lets them pass.

    ``a`` and ``b`` are texts as written (or their :class:`ShortText`). They differ when
    their numbers do not agree (:func:`numbers_within`), when one is a correction,
    retraction or numbered part and the other not or another (:func:`markers`), when one
    has fewer than :data:`SHORT_WORDS` words and a negation or model word
    (:data:`NEGATIONS`, :data:`MODEL_WORDS`) is added or left out or a word is replaced by
    its opposite (a negating prefix, another number word or model word), and when one has
    fewer than :data:`VERY_SHORT_WORDS` words and a word is replaced by any unlike word.

    >>> short_texts_differ("Vitamin D3 0.5 mg", "Vitamin D3 5 mg")
    'the numbers differ (3 0.5 / 3 5)'
    >>> short_texts_differ("The drug was effective", "The drug was not effective")
    "'not' added or left out"
    >>> short_texts_differ("Langhorne, Peter: Stroke", "Langhorne P. Stroke") is None
    True
    """
    fa = a if isinstance(a, ShortText) else ShortText.of(a)
    fb = b if isinstance(b, ShortText) else ShortText.of(b)
    if not numbers_within(fa.numbers, fb.numbers):
        return f"the numbers differ ({' '.join(fa.numbers)} / {' '.join(fb.numbers)})"
    if fa.markers != fb.markers:
        one = ", ".join(sorted(fa.markers)) or "none"
        other = ", ".join(sorted(fb.markers)) or "none"
        return f"another kind or part of record ({one} / {other})"
    words = min(len(fa.words), len(fb.words))
    if words >= SHORT_WORDS:
        return None
    replaced, added = word_changes(fa.words, fb.words)
    strong = [(x, y) for x, y in replaced if _opposite(x, y)]
    if strong or (replaced and words < VERY_SHORT_WORDS):
        replaced = strong or replaced
        x, y = replaced[0]
        return f"{len(replaced)} word(s) replaced by unlike words ({x!r} / {y!r})"
    for w in added:
        if w in NEGATIONS or w in MODEL_WORDS:
            return f"{w!r} added or left out"
    return None


def short_texts_agree(a: str | ShortText, b: str | ShortText) -> bool:
    """The rule for short texts: :func:`short_texts_differ` finds no difference.

    >>> short_texts_agree("First record complete and fine", "Third record complete and fine")
    False
    >>> short_texts_agree("MIS Quarterly 2002;26(1)", "MIS Quarterly 2002;26(1):iii-iv")
    True
    """
    return short_texts_differ(a, b) is None


@dataclass(frozen=True, slots=True)
class Comparison:
    """How two texts compare, as the cleaner decides copies.

    ``exact``: their :func:`~textdedup.normalize.identity_key` are equal.
    ``other_words``: how many words (or operators) one text has in place of unlike
    ones of the other, plus the words one has beside the other's (on a text of one
    sentence or under ``_EDIT_WORDS`` (100) words all of them, on a longer one those
    beyond one per 100 words); 0 on texts of 2000 tokens or more.
    ``score``: in [0, 1], the smaller of the character similarity (rapidfuzz
    ``ratio``, i.e. 1 - Indel distance / total length, of the case-folded identity
    keys, less a tenth of what case alone takes off, see :func:`_char_ratio`) and the
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
        replaced by an unlike one, no word added or left out (on texts of 100 words or
        more, one per 100 words), and with ``passages`` no passage added (three words or more in
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

    Examples
    --------
    >>> compare("Route 4101 runs to Oakfield.", "Route 4102 runs to Oakfield.").near(0.9)
    False
    >>> a = "Route 12 runs from Oakfield to the Marsh County line."
    >>> compare(a, a.replace("Oakfield", "Elmwood")).near(0.9)
    False
    >>> compare(a, a.replace("line", "lnie")).near(0.9)
    True
    >>> compare(a, a.replace("Marsh", "Marsch")).near(0.9)  # a name: another place
    False
    >>> b = "The account is locked after five failed logins, as the policy says."
    >>> compare(b, b.replace("locked", "unlocked")).near(0.9)  # a negation: no typo
    False
    >>> c = compare("merged.update(config.user_values)", 'merged.update(config["user_values"])')
    >>> c.exact, c.score < 0.9
    (False, True)
    >>> compare("\u201cHi,\u201d  she said.", '"Hi," she said.')
    Comparison(exact=True, score=1.0, same_numbers=True, other_words=0, passage_words=0)
    """
    ka, kb = identity_key(a), identity_key(b)
    if ka == kb:
        return Comparison(exact=True, score=1.0, same_numbers=True)
    accents = _accents_dropped(ka, kb)
    if accents:
        # One text is the other with its accents dropped, word after word (a scraper's
        # transliteration: "Le café … fermé" / "Le cafe … ferme"): the same words, a
        # small edit. A dropped accent costs what a change of case costs (a tenth).
        score = 100.0 - _CASE_WEIGHT * (100.0 - fuzz.ratio(ka, kb))
        return Comparison(exact=False, score=score / 100.0, same_numbers=True)
    plain_a, plain_b = _plain(ka), _plain(kb)
    pa, pb = plain_a, plain_b
    if _has_digit_glyph(pa) or _has_digit_glyph(pb):
        # A digit OCR read for a letter ("0ctober", "vi1lage") is read as the letter
        # where the other text has the word: the tokens then agree.
        pa, pb = _ocr_digits(pa, pb), _ocr_digits(pb, pa)
    # Characters with markup (a change of case costs a tenth, so only identical texts
    # score 1.0); tokens case-folded and without markup (a copy re-cased or wrapped in
    # <p> says the same words).
    if (pa != ka or pb != kb) and pa.split() == pb.split():
        # The copies differ in their markup alone (a link's target, emphasis marks):
        # that costs what a change of case does, a tenth of a change per character.
        chars = 100.0 - _CASE_WEIGHT * (100.0 - _char_ratio(ka, kb, 0.0))
    else:
        chars = _char_ratio(ka, kb, score_cutoff * 100)
    same_numbers = numbers(ka) == numbers(kb)
    if not chars and score_cutoff > 0.0:
        # Under the cutoff on characters alone: the score is at most the character
        # score, so the facts and the tokens below cannot make it near (two unrelated
        # sentences, most of the pairs a long text's span stage compares).
        return Comparison(exact=False, score=0.0, same_numbers=same_numbers)
    if not same_numbers and _OCR_GLYPHS.search(ka + " " + kb):
        # A digit OCR read for a letter inside a word ("vi1lage") is no number: the
        # word is judged as a word (see _ocr_misread).
        same_numbers = numbers(_ocr_digits(ka, kb)) == numbers(_ocr_digits(kb, ka))
    # Addresses and symbols are compared whole (see _ADDRESS): one changed is a fact.
    # (ASCII operators are compared as tokens below; markup tags are layout.)
    other_facts = int(_ADDRESS.findall(plain_a) != _ADDRESS.findall(plain_b))
    # A link's target is what it names: when both texts link, the targets agree.
    la, lb = _link_targets(ka), _link_targets(kb)
    other_facts += int(bool(la) and bool(lb) and la != lb)
    # A tag's attribute values name what the element is (a photo's src, a mirror's href,
    # an option's value, a time's datetime): when both texts give values, they must agree.
    # A copy that only gained or lost its markup (<p>, a bare text) gives none on a side.
    va, vb = _attribute_values(ka), _attribute_values(kb)
    other_facts += int(bool(va) and bool(vb) and va != vb)
    # Quotes and brackets around a value are part of it (see _delimiters).
    other_facts += int(_delimiters(ka) != _delimiters(kb))
    # Tokens as written (camelCase tells an identifier) and case-folded (to align).
    ra, rb = tokens(pa), tokens(pb)
    words = 0.0
    other = other_facts
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
            # fact at any length. So does a word added or left out, in a text of one
            # sentence or of fewer than _EDIT_WORDS words: "The chair said that the
            # former treasurer…", "apply for conditional approval", a negation in a
            # language off any list ("Det er ikke tilladt"). Only a long copy (a pasted
            # article, case 09: 119 words with "cleaned" / "cleaned up") is a paste
            # retouched here and there: one word added or left out per _EDIT_WORDS
            # words is an edit. No frequency or stop-word list tells an idle word from
            # a fact: negations are among the most frequent words of every language,
            # and "only", "next", "former" are as frequent as "also", "still", "then".
            one = min(_sentences(pa), _sentences(pb)) == 1
            size = min(
                sum(1 for t in ta if _WORDLIKE.match(t)), sum(1 for t in tb if _WORDLIKE.match(t))
            )
            other += replaced + (added if one else max(0, added - size // _EDIT_WORDS))
    return Comparison(
        exact=False,
        score=min(chars, words) / 100.0,
        same_numbers=same_numbers,
        other_words=other,
        passage_words=passage,
    )


# Where a sentence ends inside a text: a full stop, "!", "?" or "…" (and closing
# quotes or brackets) followed by a space and a word that opens with a capital or a
# letter of a script without case (not "... at the property. €240", not "the U.S.
# officials", "approx. 40", "etc. and"), or a CJK or other script's full stop. A full
# stop after a single letter (an initial: "J. Smith", "U.S.") or a common
# abbreviation ("Mr.", "Dr.", "St.", "Inc.", "vs.") ends no sentence. Counting too
# few sentences errs on the safe side: a word added to one sentence is a fact.
_ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Inc|Ltd|Co|Corp|Mt|Ft|Gen|Col|Lt|Sgt|Rev|Gov|Sen|Rep|"
    "Hon|No|Nr|Vol|Fig|vs|approx|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_SENTENCE_END = regex.compile(
    rf"(?:[!?\u2026]|(?<!\b(?:\p{{L}}|{_ABBREVIATIONS}))\.)+[\"')\]\u201d\u2019]*\s+"
    r"(?=[\"'\u201c\u2018(]?[\p{Lu}\p{Lt}\p{Lo}])"
    r"|[\u3002\uff01\uff1f\u0964\u06d4\u0589\u1362\u104b](?=\S)"
)


def _sentences(key: str) -> int:
    """How many sentences ``key`` holds (at least one).

    >>> _sentences("One. Two! Three"), _sentences("The c.5946delT variant is rare.")
    (3, 1)
    >>> _sentences("Mr. Lee met U.S. officials at approx. 9 a.m. on Monday. They agreed.")
    2
    """
    return 1 + len(_SENTENCE_END.findall(key.strip()))


# What a letter that differs only in case costs, against a letter that differs: a copy
# re-cased ("Road Works On Main Street") is a small edit, not another text.
_CASE_WEIGHT = 0.1


def _ocr_digits(text: str, other: str) -> str:
    """``text`` with each word that is an OCR misreading (:func:`_ocr_misread`) of a
    word of ``other`` read as that word, so its digits are no numbers."""
    words = {_ocr_form(w): w for w in regex.findall(r"\p{L}+", other.casefold())}

    def read(m: regex.Match[str]) -> str:
        word = m.group()
        seen = words.get(_ocr_form(word.casefold()))
        return seen if seen is not None and _ocr_misread(word.casefold(), seen) else word

    return regex.sub(r"[\p{L}\d]*\p{L}[\p{L}\d]*", read, text)


#: Letters with an accent dropped in one text, at least, for :func:`_accents_dropped` to
#: call it a transliteration of the other (one is a typo's business: see :func:`_typo`).
_MIN_ACCENTS = 2


def _accents_dropped(ka: str, kb: str) -> int:
    """How many letters one identity key has with an accent where the other has the same
    letter without one, when that is the only difference and it goes one way (every
    accent of the differing letters is on the same side); else 0.

    >>> _accents_dropped("Le café a fermé, René.", "Le cafe a ferme, Rene.")
    3
    >>> _accents_dropped("Le café a fermé.", "Le cafe a fermè.")  # an accent changed
    0
    >>> _accents_dropped("résumé", "resumé")  # one letter: a typo's business
    0
    """
    if len(ka) != len(kb):
        return 0
    sides = set()
    count = 0
    for x, y in zip(ka, kb, strict=True):
        if x == y:
            continue
        if _base_letter(x) == y and x != y:
            sides.add(0)
        elif _base_letter(y) == x:
            sides.add(1)
        else:
            return 0
        count += 1
        if len(sides) > 1:
            return 0
    return count if count >= _MIN_ACCENTS else 0


def _char_ratio(ka: str, kb: str, cutoff: float) -> float:
    """Character similarity (0-100) in which a change of case costs a tenth of a change.

    The rapidfuzz ``ratio`` of the case-folded texts, less a tenth of what case alone
    takes off the ``ratio`` of the texts as written; so only identical texts score 100.
    """
    folded = fuzz.ratio(ka.casefold(), kb.casefold(), score_cutoff=cutoff)
    if not folded:
        return 0.0
    cased = fuzz.ratio(ka, kb)
    return folded - _CASE_WEIGHT * max(0.0, folded - cased)


# Prefixes that turn a word into its opposite: "locked"/"unlocked" is no typo.
_NEGATING = ("un", "in", "im", "il", "ir", "dis", "non", "non-", "de", "anti")
# Words of opposite direction or comparison: one in place of the other states the
# opposite fact ("sales increased" / "sales decreased"), however few letters differ.
# Most pairs are unlike anyway (a replaced word); the list says so for all of them.
_CONTRARY_WORDS = frozenset(
    frozenset(pair)
    for pair in (
        ("more", "less"), ("higher", "lower"), ("up", "down"), ("before", "after"),
        ("above", "below"), ("gain", "loss"), ("profit", "loss"), ("win", "lose"),
        ("won", "lost"), ("rose", "fell"), ("rise", "fall"), ("risen", "fallen"),
        ("will", "won"), ("better", "worse"), ("best", "worst"), ("true", "false"),
        ("open", "closed"), ("on", "off"), ("always", "never"), ("all", "none"),
        ("pass", "fail"), ("passed", "failed"), ("accept", "reject"),
        ("accepted", "rejected"), ("allow", "deny"), ("allowed", "denied"),
    )
)  # fmt: skip
# Prefixes of opposite direction on the same stem: "increased" / "decreased",
# "internal" / "external", "ascending" / "descending", "overpaid" / "underpaid".
_CONTRARY_PREFIXES = (
    ("in", "de"), ("in", "ex"), ("im", "ex"), ("in", "out"), ("as", "des"),
    ("over", "under"), ("up", "down"), ("min", "max"), ("pre", "post"),
    ("micro", "macro"), ("hypo", "hyper"), ("intra", "inter"), ("north", "south"),
    ("east", "west"), ("northeast", "northwest"), ("southeast", "southwest"),
)  # fmt: skip
# Addresses (URLs with their scheme, e-mail addresses, @handles) and symbols (currency
# signs, arrows, emoji: Unicode Sc, So, and Sm outside ASCII) are facts like numbers:
# another one in a copy, however few letters or one sign away, is another account,
# endpoint, currency, direction or verdict ("$49.99" / "€49.99", "→" / "←", "👍" / "👎",
# a flag's tag sequence).
# Attribute values of markup tags (name="value", name='value', name=value); presentation
# attributes (class, style, id, width, height, lang, dir, title, alt) say how an element
# looks or is read, not which resource or value it is, and are left out.
_ATTRIBUTE = regex.compile(
    r"""\s([A-Za-z_:][-\w:.]*)\s*=\s*(?:"([^"<>\n]*)"|'([^'<>\n]*)'|([^\s"'<>=`]+))"""
)
_PRESENTATION = frozenset(
    ("class", "style", "id", "width", "height", "lang", "dir", "title", "alt", "align")
)


def _attribute_values(key: str) -> list[tuple[str, str]]:
    """``(name, value)`` of every attribute of every tag of ``key``, in order, less the
    presentation ones (:data:`_PRESENTATION`).

    >>> _attribute_values('<a href="/x/1" class="c">Go</a> <img src=a.png>')
    [('href', '/x/1'), ('src', 'a.png')]
    """
    out: list[tuple[str, str]] = []
    for tag in _TAG.finditer(key):
        for m in _ATTRIBUTE.finditer(tag.group()):
            name = m.group(1).casefold()
            if name not in _PRESENTATION:
                out.append((name, m.group(2) or m.group(3) or m.group(4) or ""))
    return out


_ADDRESS = regex.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b\p{L}[\p{L}\d+.-]*://[^\s<>\"']+|(?<![\w@])@\w+"
    # A symbol with its emoji tags and ZWJ-joined parts is one symbol (UTS #51): the
    # tags make the flag of Scotland or of England. (A presentation selector, U+FE0F
    # after "❤", only chooses how the same symbol is drawn: left out.)
    r"|[\p{Sc}\p{So}](?:[\U000e0020-\U000e007f]|\u200d[\p{So}])*"
    r"|(?![\x00-\x7f])\p{Sm}",
    regex.IGNORECASE,
)
# A negation added or left out states the opposite at any length ("has been given" /
# "has not been given"); "n't" is the tokens ' and t ("hasn't": hasn ' t).
# Also the common negations of other languages (German, Dutch, French, Spanish,
# Italian, Portuguese, Russian and other Slavic languages, Chinese, Japanese, Korean):
# "hält nicht", "не останавливается", "ne s'arrête pas".
_NEGATION_TOKENS = frozenset({
    "not", "no", "never", "nor", "none", "without", "cannot",
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals",
    "niet", "geen", "nooit", "ne", "pas", "jamais", "non", "nunca", "ninguno", "ninguna",
    "não", "nem", "не", "ни", "нет", "никогда", "ні", "不", "没", "沒",
    "未", "別", "别", "ない", "않", "안", "못",
    "ikke", "inte", "ej", "aldrig", "ei", "nu", "δεν", "μην", "όχι", "לא", "אין",
    "لا", "لم", "لن", "ليس", "tidak", "tak", "bukan", "jangan", "si", "hapana",
    "không", "chưa", "chẳng", "नहीं", "मत", "değil", "hindi", "wala", "نه", "نہیں",
})  # fmt: skip


# A quote mark or bracket that holds a value: it touches, on its inner side, a letter,
# a digit, "$" or a backslash ("null" and '$HOME' are values; "(!!!)" is not), and a
# quote mark between two letters or digits is an apostrophe ("don't", "O'Brien").
_VALUE = r"[\p{L}\p{N}$\\]"
_DELIMITER = regex.compile(
    rf"[(\[{{](?={_VALUE})|(?<={_VALUE})[)\]}}]"
    rf"|(?<![\p{{L}}\p{{N}}])['\"](?={_VALUE})|(?<={_VALUE})['\"](?![\p{{L}}\p{{N}}])"
)
# What makes the kind of quote mark part of the meaning: a variable (``$HOME``,
# ``${x}``, ``$(cmd)``) or a backslash, which a shell, Perl, PHP or Ruby string
# expands between double quotes and not between single ones ('$HOME' is five
# characters, "$HOME" the folder); and ``=``, a sign of code, where the kind of quote
# is the type ('x' a string and "x" a column in SQL, 'a' a character in C).
_QUOTE_MATTERS = regex.compile(r"\$[\p{L}_{(]|\\|=")


def _delimiters(key: str) -> tuple[str, ...]:
    """The quote marks and brackets of identity key ``key`` in order, markup left out.

    A value quoted or bracketed is another value: ``null`` and ``"null"`` (JSON's null
    and a string), ``42`` and ``'42'`` (SQL's number and text), ``1,240,000`` and
    ``(1,240,000)`` (an amount and, in accounts, a negative one). So two texts whose
    quote marks and brackets differ in number or place state different facts. The
    kind of quote (``'`` or ``"``) counts only where it changes what the text means:
    when the text holds a ``$`` variable, a backslash or ``=`` (see
    :data:`_QUOTE_MATTERS`); in prose ``'Hello,' she said`` and ``"Hello," she said``
    are the same words.

    >>> _delimiters('{"a": null}') == _delimiters('{"a": "null"}')
    False
    >>> _delimiters("The mayor said: 'Rain.'") == _delimiters('The mayor said: "Rain."')
    True
    >>> _delimiters("echo '$HOME'") == _delimiters('echo "$HOME"')
    False
    >>> _delimiters("don't stop") == _delimiters("do not stop")
    True
    """
    text = _plain(key)
    marks = [m.group() for m in _DELIMITER.finditer(text)]
    if not _QUOTE_MATTERS.search(_DELIMITER.sub(" ", text)):
        marks = ['"' if m == "'" else m for m in marks]
    return tuple(marks)


def _contrary(x: str, y: str) -> bool:
    """Whether case-folded word ``y`` in place of ``x`` states the opposite direction:
    a pair of :data:`_CONTRARY_WORDS` or the same stem (3 letters or more) under a pair
    of :data:`_CONTRARY_PREFIXES`.

    >>> _contrary("increased", "decreased"), _contrary("internal", "external")
    (True, True)
    >>> _contrary("increased", "increase")
    False
    """
    if frozenset((x, y)) in _CONTRARY_WORDS:
        return True
    for p, q in _CONTRARY_PREFIXES:
        for u, v in ((x, y), (y, x)):
            stem = u[len(p) :]
            if u.startswith(p) and v.startswith(q) and len(stem) >= 3 and stem == v[len(q) :]:
                return True
    return False


def _negations(toks: Sequence[str], start: int, end: int) -> int:
    """How many negations tokens ``toks[start:end]`` hold (a word of
    :data:`_NEGATION_TOKENS`, or the ``t`` of ``n't`` after an apostrophe)."""
    return sum(
        1
        for i in range(start, end)
        if toks[i] in _NEGATION_TOKENS
        or (toks[i] == "t" and i > 0 and toks[i - 1] in {"'", "\u2019"})
    )


def _typo(x: str, y: str, rx: str, ry: str) -> bool:
    """Whether similar words ``x``/``y`` (case-folded; ``rx``/``ry`` as written) can be a typo.

    Not when either is an identifier of code (``get_user``, ``getUser``: a changed letter
    names another thing), a name (written with a capital in both: "Smith" and "Smyth"
    are two people; a word one copy writes in lower case is no name, "Nveer"/"never"
    is a typo and a change of case), or one is the other with a negating prefix
    ("compatible"/"incompatible"), or either holds a digit (a hash, a colour, a
    version: another value).
    """
    if _IDENTIFIER.search(rx) or _IDENTIFIER.search(ry):
        return False
    if rx[:1].isupper() and ry[:1].isupper():
        return False
    if _contrary(x, y):
        return False
    if _ocr_misread(x, y):
        return True
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    if long_.endswith(short) and long_[: len(long_) - len(short)] in _NEGATING:
        return False
    if x in NUMBER_WORDS or y in NUMBER_WORDS:
        return False  # "million" / "billion", "seventeen" / "seventy": other numbers
    if any(c.isdigit() for c in x) or any(c.isdigit() for c in y):
        return False  # a digest, a colour, a version: "3a7bd5" / "3a7be5" are two values
    # A typo is one slip: a letter added, left out or changed, or two swapped (OSA
    # distance 1), in a word of 4 letters or more, not at its first letter unless the
    # first two are swapped. Two real words further apart are two words, however
    # alike: "prednisone" / "prednisolone", "hypertension" / "hypotension", "male" /
    # "female", "ethanol" / "methanol", "typical" / "atypical", "mcg" / "mg".
    if len(short) < 4 or OSA.distance(x, y) != 1:
        return False
    if not any(c.islower() for c in x + y):
        # A script without case (Arabic, Hebrew, Devanagari, Thai...) cannot show a
        # name by its capital: "محمد" / "محمود", "מיכאל" / "מיכל" are two people.
        return False
    n = min(len(x), len(y))
    first = next((i for i in range(n) if x[i] != y[i]), n)
    swapped = (
        len(x) == len(y) and first + 1 < n and x[first] == y[first + 1] and x[first + 1] == y[first]
    )
    if first < 2 and not swapped:
        # Prefixes live in the first two letters: a letter added, left out or changed
        # there makes another word ("включите" / "выключите": on / off). Two letters
        # swapped is a slip anywhere ("sbucontract").
        return False
    if len(x) == len(y):
        diff = [i for i in range(len(x)) if x[i] != y[i]]
        if len(diff) == 1:
            # A letter changed is a slip of the hand only onto a key next to it
            # (Kernighan, Church and Gale 1990: substitutions concentrate on
            # neighbouring keys). "dysphagia" / "dysphasia", "chloride" / "chlorite",
            # "ileum" / "ilium" change a letter for a far one: two words, two facts.
            # An accent dropped or added ("café" / "cafe") is a spelling variant.
            i = diff[0]
            if i == 0:
                return False
            if _base_letter(x[i]) == _base_letter(y[i]):
                return True
            if not _neighbour_keys(x[i], y[i]):
                return False
    # A slip makes a misspelling, not another word: two words that a dictionary knows
    # ("causal" / "casual", "from" / "form", "quiet" / "quite") are a word replaced,
    # unless they are one word's British and American spellings ("travelled").
    return _spelling_variant(x, y) or not _both_words(x, y)


# The regular differences of British and American spelling (-our/-or, a doubled l
# before a suffix, -re/-er, -ise/-ize, -yse/-yze), as each maps to the American form;
# see "American and British English spelling differences" (Oxford, Merriam-Webster).
_SPELLINGS = (
    (regex.compile(r"our(?=s?$|ed$|ing$|ite|able|ful|less)"), "or"),
    (regex.compile(r"ll(?=ed$|ing$|er$|ers$|or$|ors$|ery$)"), "l"),
    (regex.compile(r"(?<=[bt])re(?=s?$|d$)"), "er"),
    (regex.compile(r"is(?=e$|es$|ed$|ing$|ation)"), "iz"),
    (regex.compile(r"ys(?=e$|es$|ed$|ing$)"), "yz"),
)


def _spelling_variant(x: str, y: str) -> bool:
    """Whether case-folded words ``x`` and ``y`` are one word's British and American
    spellings.

    >>> _spelling_variant("travelled", "traveled"), _spelling_variant("colour", "color")
    (True, True)
    >>> _spelling_variant("centre", "center"), _spelling_variant("casual", "causal")
    (True, False)
    """

    return x != y and _american(x) == _american(y)


#: The dictionary of :func:`_both_words`: pyspellchecker's English word list (common
#: misspellings are not in it), the words of it seen at least ``_WORD_COUNT`` times: a
#: third of its 160,000 words sit at its floor of 50, rare words a slip can make by
#: chance ("cerate" for "create"), not the word the writer meant to change.
_WORDS_LANGUAGE = "en"
_WORD_COUNT = 100


@cache
def _dictionary() -> Callable[[str], bool]:
    """Membership in the English word list, loaded on first use (about 0.3 s, 20 MB)."""
    from spellchecker import SpellChecker

    spell = SpellChecker(language=_WORDS_LANGUAGE, distance=1)
    counts = spell.word_frequency.dictionary
    return lambda word: counts.get(word, 0) >= _WORD_COUNT


def _both_words(x: str, y: str) -> bool:
    """Whether ``x`` and ``y`` (case-folded) are both words of the dictionary.

    Only letters of the English alphabet are looked up: another script or an accented
    word is no English word, and stays a possible slip as before.

    >>> _both_words("causal", "casual"), _both_words("received", "recieved")
    (True, False)
    """
    if not (x.isascii() and y.isascii() and x.isalpha() and y.isalpha()):
        return False
    known = _dictionary()
    return known(x) and known(y)


# The glyphs OCR reads one for another (Rice, Jenkins and Nartker 1996, "The Fifth
# Annual Test of OCR Accuracy": rn/m, cl/d, vv/w, li/h, ii/u, and digits for the letters
# they look like, 1/l and 0/o, inside a word or opening or closing one: "0ctober",
# "We1l"), each mapped to one form.
_OCR_GLYPHS = regex.compile(r"rn|cl|vv|li|ii|(?<=\p{L})[10]|[10](?=\p{L})")
_DIGIT_GLYPH = regex.compile(r"\p{L}[10]|[10]\p{L}")


def _has_digit_glyph(text: str) -> bool:
    """Whether ``text`` has a 1 or 0 beside a letter (:data:`_DIGIT_GLYPH`); the regex
    is tried only on texts with such a digit (it costs a Unicode class test at every
    character: 8 s of a 10 MB text's clean, where few texts have one)."""
    return ("1" in text or "0" in text) and _DIGIT_GLYPH.search(text) is not None


_OCR_FORM = {"rn": "m", "cl": "d", "vv": "w", "li": "h", "ii": "u", "1": "l", "0": "o"}


def _ocr_form(word: str) -> str:
    return _OCR_GLYPHS.sub(lambda m: _OCR_FORM[m.group()], word)


def _ocr_misread(x: str, y: str) -> bool:
    """Whether case-folded words ``x`` and ``y`` are one word and its OCR misreading:
    the same once each of :data:`_OCR_GLYPHS` is read as the glyph it is taken for, and
    one of them is no word of the dictionary (``tirnber``, ``vi1lage``; ``modern`` and
    ``modem`` are two words).

    >>> _ocr_misread("tirnber", "timber"), _ocr_misread("vi1lage", "village")
    (True, True)
    >>> _ocr_misread("modern", "modem"), _ocr_misread("b1c", "blc")
    (False, False)
    >>> _ocr_misread("rnodernised", "modernised"), _ocr_misread("tlie", "the")
    (True, True)
    >>> _ocr_misread("0ctober", "october")
    True
    """
    if x == y or _ocr_form(x) != _ocr_form(y):
        return False
    # The reading that holds no OCR glyph must be a word, the other not.
    return _both_words(x, y) is False and (_is_word(x) or _is_word(y))


def _is_word(word: str) -> bool:
    """Whether ``word`` (case-folded) is a word of the dictionary of :func:`_both_words`,
    in its American or its British spelling (the list spells "modernized"; "modernised"
    is the same word, see :data:`_SPELLINGS`).

    >>> _is_word("modernised"), _is_word("colour"), _is_word("rnodernised")
    (True, True, False)
    """
    if not (word.isascii() and word.isalpha()):
        return False
    known = _dictionary()
    return known(word) or known(_american(word))


def _american(word: str) -> str:
    """``word`` in the American spelling :data:`_SPELLINGS` maps it to."""
    for pattern, repl in _SPELLINGS:
        word = pattern.sub(repl, word)
    return word


# The letter keys of a QWERTY keyboard, row by row, each row offset by a quarter to a
# half key from the one above: two keys are neighbours when they touch.
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@cache
def _key_position(letter: str) -> tuple[int, int] | None:
    for row, keys in enumerate(_KEY_ROWS):
        col = keys.find(letter)
        if col >= 0:
            return row, col
    return None


def _base_letter(letter: str) -> str:
    """A letter without its accents: ``é`` -> ``e``, ``ł`` -> ``l`` (see
    :func:`~textdedup.normalize.fold_accents`)."""
    return unicodedata.normalize("NFD", letter.translate(_STROKED))[:1]


def _neighbour_keys(a: str, b: str) -> bool:
    """Whether letters ``a`` and ``b`` (lower case) are neighbouring keys of a QWERTY
    keyboard (same row and next to each other, or touching on the next row). Letters
    outside it (other scripts, accents) have no neighbours: a changed letter there
    is never taken for a slip.

    >>> _neighbour_keys("g", "h"), _neighbour_keys("s", "d"), _neighbour_keys("e", "d")
    (True, True, True)
    >>> _neighbour_keys("g", "s"), _neighbour_keys("e", "i")
    (False, False)
    """
    pa, pb = _key_position(a), _key_position(b)
    if pa is None or pb is None:
        return False
    (ra, ca), (rb, cb) = pa, pb
    if ra == rb:
        return abs(ca - cb) == 1
    if abs(ra - rb) != 1:
        return False
    # Each row starts about half a key right of the one above: key c of the upper row
    # touches keys c - 1 and c of the lower one.
    upper, lower = (ca, cb) if ra < rb else (cb, ca)
    return lower in (upper - 1, upper)


def _token_ratio(
    ta: list[str], tb: list[str], ra: list[str], rb: list[str]
) -> tuple[float, int, int, int]:
    """Weighted token similarity in [0, 1], tokens replaced, words added, passage words.

    Each token weighs one. A token deleted or inserted costs its weight (a word counts
    as added, or as a passage when three or more are in one place); a word replaced by a
    similar word (a typo fixed, a spelling variant: character ratio r >= 0.75, and not an
    identifier, a name or a negation, see :func:`_typo`) costs 2 (1 - r); a punctuation
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
                # (An OCR misreading of a short word, "olcl" for "old", is less alike.)
                if (r >= 0.75 or _ocr_form(x) == _ocr_form(y)) and _typo(x, y, rx, ry):
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
        # An operator added or left out ("~12000" / "12000", "10%" / "10", ">5" / "5")
        # makes another value.
        # A bare ">" (or "> >") is a quote marker, the markup of a quoted line, not an
        # operator on a value.
        other += sum(
            1 for t in extra if not _WORDLIKE.match(t) and _SIGN.search(t) and t.strip(">")
        )
        # A negation added or left out ("not", the "n't" of "hasn't") says the opposite
        # at any length: it counts as a replaced word.
        if len(left) > len(right):
            other += _negations(ta, op.src_start + len(right), op.src_end)
        else:
            other += _negations(tb, op.dest_start + len(left), op.dest_end)
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
    workers: int = 0,
) -> npt.NDArray[np.float64]:
    """Rapidfuzz similarity of ``left[k]`` and ``right[k]`` for every ``k``, in [0, 1].

    ``workers``: threads, ``0`` every core (the one rule of
    :func:`textdedup.config.resolve_workers`; rapidfuzz's ``-1`` is taken too).

    >>> fuzzy_scores(["hello world", "abc"], ["hello world!", "xyz"]).round(2).tolist()
    [0.96, 0.0]
    """
    if len(left) != len(right):
        raise ValueError(f"left and right differ in length: {len(left)} and {len(right)}")
    if not left:
        return np.zeros(0, dtype=np.float64)
    threads = -1 if workers in (0, -1) else workers  # rapidfuzz's "every core" is -1
    scores = process.cpdist(left, right, scorer=_FUZZ[scorer], workers=threads, dtype=np.float64)
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


# -- batched set scores --------------------------------------------------------------
# Candidate pairs are scored in batches over arrays: every text is shingled once into a
# sorted set of shingle hashes, and the intersections of a whole batch of pairs are
# counted with one ``searchsorted``, never one pair per call.

_PAIR_ELEMENTS = 1 << 23  # set elements gathered at once when scoring a batch of pairs


@dataclass(frozen=True, slots=True)
class ShingleSets:
    """The shingle set of each text: text ``i`` owns ``hashes[offsets[i]:offsets[i + 1]]``.

    Each text's hashes are sorted and distinct (uint64, shape ``(total,)``);
    ``offsets`` is int64 of shape ``(n_texts + 1,)``.

    >>> s = ShingleSets.from_texts(["a b a b", "b a"], ngram=1)
    >>> s.sizes().tolist()
    [2, 2]
    """

    hashes: npt.NDArray[np.uint64]
    offsets: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.offsets.size - 1)

    def sizes(self) -> npt.NDArray[np.int64]:
        """The number of distinct shingles of each text."""
        return np.diff(self.offsets)

    @classmethod
    def from_shingles(cls, shingles: Shingles) -> ShingleSets:
        """Sort and deduplicate each text's shingle hashes."""
        h, off = shingles.hashes, shingles.offsets
        n = off.size - 1
        kernel = _compiled_for(h.size)
        if kernel is not None:
            out = h.copy()
            counts = np.zeros(n, dtype=np.int64)
            kernel.sort_unique(out, off, counts)
            offsets = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(counts, out=offsets[1:])
            return cls(out[_runs(off[:-1], counts)], offsets)
        text_of = np.repeat(np.arange(n, dtype=np.int64), np.diff(off))
        order = np.lexsort((h, text_of))
        h, text_of = h[order], text_of[order]
        new = np.ones(h.size, dtype=bool)
        new[1:] = (h[1:] != h[:-1]) | (text_of[1:] != text_of[:-1])
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(text_of[new], minlength=n), out=offsets[1:])
        return cls(np.ascontiguousarray(h[new]), offsets)

    @classmethod
    def from_texts(
        cls, texts: Sequence[str], *, ngram: int = 5, unit: Literal["word", "char"] = "word"
    ) -> ShingleSets:
        """Shingle ``texts`` (see :func:`textdedup.shingle.shingle_hashes`) into sets."""
        from .shingle import shingle_hashes

        return cls.from_shingles(shingle_hashes(texts, ngram=ngram, unit=unit, engine="auto"))

    @classmethod
    def concat(cls, parts: Sequence[ShingleSets]) -> ShingleSets:
        """The sets of several batches of texts, one after the other."""
        if not parts:
            return cls(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64))
        if len(parts) == 1:
            return parts[0]
        sizes = np.concatenate([p.sizes() for p in parts])
        offsets = np.zeros(sizes.size + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        return cls(np.concatenate([p.hashes for p in parts]), offsets)


def _runs(starts: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Concatenation of ``arange(s, s + k)`` for every start ``s`` and size ``k``."""
    total = int(sizes.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    begin = np.cumsum(sizes) - sizes
    return np.asarray(np.arange(total, dtype=np.int64) + np.repeat(starts - begin, sizes))


def set_intersections(
    sets: ShingleSets, left: npt.ArrayLike, right: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """The size of the intersection of the sets of ``left[k]`` and ``right[k]``, for every ``k``.

    Pairs are handled in batches of bounded size: the sets of a batch are mapped to
    dense ranks, each pair's left set is offset by its pair number so that all of them
    form one sorted array, and the right sets are looked up in it at once.

    Returns
    -------
    numpy.ndarray of int64, shape ``(n_pairs,)``

    >>> s = ShingleSets.from_texts(["a b c", "b c d", "x"], ngram=1)
    >>> set_intersections(s, [0, 0], [1, 2]).tolist()
    [2, 0]
    """
    lft = np.asarray(left, dtype=np.int64)
    rgt = np.asarray(right, dtype=np.int64)
    if lft.shape != rgt.shape:
        raise ValueError(f"left and right differ in shape: {lft.shape} and {rgt.shape}")
    out = np.zeros(lft.size, dtype=np.int64)
    if lft.size == 0:
        return out
    if lft.min() < 0 or max(int(lft.max()), int(rgt.max())) >= len(sets) or rgt.min() < 0:
        raise ValueError(f"pairs must name sets in [0, {len(sets)})")
    size = sets.sizes()
    kernel = _compiled_for(int(size[lft].sum() + size[rgt].sum()))
    if kernel is not None:
        kernel.intersections(sets.hashes, sets.offsets, lft, rgt, out)
        return out
    cost = np.cumsum(size[lft] + size[rgt])
    cuts = np.searchsorted(cost, np.arange(_PAIR_ELEMENTS, int(cost[-1]), _PAIR_ELEMENTS))
    bounds = np.unique(np.concatenate([[0], np.maximum(cuts, 1), [lft.size]]))
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        out[lo:hi] = _intersections(sets, size, lft[lo:hi], rgt[lo:hi])
    return out


def _intersections(
    sets: ShingleSets,
    size: npt.NDArray[np.int64],
    lft: npt.NDArray[np.int64],
    rgt: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    m = lft.size
    items, where = np.unique(np.concatenate([lft, rgt]), return_inverse=True)
    values = sets.hashes[_runs(sets.offsets[items], size[items])]
    ranks = np.unique(values)
    dense = np.searchsorted(ranks, values).astype(np.int64)  # order kept: sets stay sorted
    start = np.zeros(items.size, dtype=np.int64)
    np.cumsum(size[items][:-1], out=start[1:])
    width = np.int64(ranks.size + 1)

    def gather(local: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        k = size[items][local]
        pair = np.repeat(np.arange(m, dtype=np.int64), k)
        return dense[_runs(start[local], k)] + pair * width, pair

    a, _ = gather(where[:m])
    b, pair_b = gather(where[m:])
    if a.size == 0 or b.size == 0:
        return np.zeros(m, dtype=np.int64)
    at = np.minimum(np.searchsorted(a, b), a.size - 1)
    hit = a[at] == b
    return np.bincount(pair_b[hit], minlength=m).astype(np.int64)


def set_jaccard(
    sets: ShingleSets, left: npt.ArrayLike, right: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Exact Jaccard similarity of the sets of each pair (1.0 for two empty sets).

    >>> s = ShingleSets.from_texts(["a b c", "b c d"], ngram=1)
    >>> set_jaccard(s, [0], [1]).tolist()
    [0.5]
    """
    lft = np.asarray(left, dtype=np.int64)
    rgt = np.asarray(right, dtype=np.int64)
    inter = set_intersections(sets, lft, rgt)
    size = sets.sizes()
    union = size[lft] + size[rgt] - inter
    return np.where(union > 0, inter / np.maximum(union, 1), 1.0)


def set_containment(
    sets: ShingleSets, left: npt.ArrayLike, right: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Share of the set of ``left[k]`` found in the set of ``right[k]`` (1.0 for an empty left).

    Not symmetric: a short text copied into a long one has containment 1.0 in it.

    >>> s = ShingleSets.from_texts(["a b", "a b c d"], ngram=1)
    >>> set_containment(s, [0, 1], [1, 0]).tolist()
    [1.0, 0.5]
    """
    lft = np.asarray(left, dtype=np.int64)
    rgt = np.asarray(right, dtype=np.int64)
    inter = set_intersections(sets, lft, rgt)
    size = sets.sizes()[lft]
    return np.where(size > 0, inter / np.maximum(size, 1), 1.0)


# -- compiled kernels (numba, when installed) ------------------------------------------
# Plain functions, compiled by _compiled() on first use: numba is imported only then,
# never by ``import textdedup``. The numpy code above computes the same integers.


def _sort_unique_py(
    hashes: npt.NDArray[np.uint64], offsets: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]
) -> None:
    """Sort each text's hashes in place; its distinct ones move to the front, counted."""
    for t in range(offsets.size - 1):
        lo, hi = offsets[t], offsets[t + 1]
        if hi == lo:
            continue
        hashes[lo:hi] = np.sort(hashes[lo:hi])
        w = lo + 1
        for k in range(lo + 1, hi):
            if hashes[k] != hashes[w - 1]:
                hashes[w] = hashes[k]
                w += 1
        counts[t] = w - lo


def _intersections_py(
    hashes: npt.NDArray[np.uint64],
    offsets: npt.NDArray[np.int64],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    out: npt.NDArray[np.int64],
) -> None:
    """Merge the two sorted sets of each pair and count the common hashes."""
    for k in range(left.size):
        i, i_end = offsets[left[k]], offsets[left[k] + 1]
        j, j_end = offsets[right[k]], offsets[right[k] + 1]
        common = 0
        while i < i_end and j < j_end:
            a, b = hashes[i], hashes[j]
            if a == b:
                common += 1
                i += 1
                j += 1
            elif a < b:
                i += 1
            else:
                j += 1
        out[k] = common


#: Below this many shingle hashes a call runs on the numpy code, unless numba is in use
#: in the process already: loading numba and the compiled kernels costs about 1 s, far
#: more than numpy needs for a small input (the threshold of ``engine="auto"``,
#: :data:`textdedup.shingle.AUTO_COMPILE_MIN_CHARS`). Both give the same integers.
COMPILE_MIN_HASHES = 1 << 20


def _compiled_for(work: int) -> SimpleNamespace | None:
    """:func:`_compiled` for a call on ``work`` hashes, or ``None`` for the numpy code."""
    if work < COMPILE_MIN_HASHES and not _IN_USE:
        from . import _kernel

        if not _kernel.is_loaded():
            return None
    kernel = _compiled()
    if kernel is not None:
        _IN_USE.append(True)
    return kernel


_IN_USE: list[bool] = []  # not empty once the compiled kernels have served a call


@cache
def _compiled() -> SimpleNamespace | None:
    """The numba-compiled kernels, or ``None`` when numba is not installed."""
    import importlib.util

    if importlib.util.find_spec("numba") is None:
        return None
    import numba

    jit = numba.njit(cache=True, nogil=True)
    return SimpleNamespace(sort_unique=jit(_sort_unique_py), intersections=jit(_intersections_py))


# -- the scorer table ------------------------------------------------------------------


def _same(threshold: float) -> float:
    return threshold


#: Share of the pairs at the verifier's threshold that LSH must make candidates, when
#: the bands are chosen from a bound (see :func:`candidate_target`).
TARGET_RECALL = 0.95
#: The Indel bound is stated for pairs of texts totalling at least this many characters
#: (it rises with length, so longer pairs have a higher Jaccard than the bound).
BOUND_CHARS = 80


@dataclass(frozen=True, slots=True)
class CandidateTarget:
    """The Jaccard similarity LSH must catch for a scorer at a threshold.

    ``jaccard`` is the Jaccard similarity of the shingle sets that the bands are tuned
    for. ``recall`` is the chance of becoming a candidate that the bands must give a
    pair at that Jaccard (``None``: the bands are chosen as for a Jaccard threshold,
    weighing misses 9:1). ``source`` says where the map comes from.
    """

    jaccard: float
    recall: float | None
    source: str


def indel_qgram_jaccard(ratio: float, q: int, chars: int = BOUND_CHARS) -> float:
    """A lower bound on the character ``q``-gram Jaccard of two texts with Indel ratio ``ratio``.

    Two texts of total length ``S = |a| + |b|`` with ratio ``r`` (rapidfuzz
    ``fuzz.ratio / 100``, ``1 - Indel distance / S``) have a common subsequence of
    ``l = r S / 2`` characters and an Indel distance ``d = (1 - r) S``. Every ``q``-gram
    of that subsequence is a ``q``-gram of both texts unless a deleted or inserted run
    falls inside it, and each of the at most ``d`` runs breaks at most ``q - 1`` of them
    (the ``q``-gram lemma of Ukkonen, "Approximate string-matching with q-grams and
    maximal matches", Theor. Comput. Sci. 92, 1992, for the Indel distance). So at least
    ``m = l - (q - 1) - (q - 1) d`` ``q``-grams are shared, and the Jaccard similarity is
    at least ``m / (S - 2 (q - 1) - m)``. The bound rises with ``S``; it is given for
    ``S = chars``. It counts ``q``-grams with their repeats; on sets (what MinHash sees)
    it holds when no ``q``-gram repeats inside a text, nearly always so for short texts
    (the benchmark ``benchmarks/records.py`` checks it on every pair).

    >>> round(indel_qgram_jaccard(0.9, 3), 3)
    0.31
    >>> indel_qgram_jaccard(0.9, 6)
    0.0
    """
    s = float(chars)
    shared = ratio * s / 2 - (q - 1) - (q - 1) * (1 - ratio) * s
    if shared <= 0:
        return 0.0
    return min(1.0, shared / (s - 2 * (q - 1) - shared))


def candidate_target(
    scorer: str, threshold: float, *, unit: Literal["word", "char"], ngram: int
) -> CandidateTarget:
    """Which Jaccard the LSH bands must catch when ``scorer`` decides at ``threshold``.

    * ``jaccard``, ``estimate``: the threshold itself;
    * ``containment``: ``c / (2 - c)``, the Jaccard of two sets of equal size with
      containment ``c``;
    * ``ratio`` on character ``q``-grams: :func:`indel_qgram_jaccard`, a lower bound,
      with bands that make a pair at the bound a candidate with chance at least
      :data:`TARGET_RECALL`; with bounds under 0.05 (long ``q``-grams, low thresholds)
      nothing useful is known and the bands are those of Jaccard 0.05;
    * ``ratio``, ``token_sort_ratio`` otherwise: no bound (a change in one character of
      every word changes every word shingle), so the threshold is used as a Jaccard
      threshold and recall is not known.

    >>> candidate_target("ratio", 0.9, unit="char", ngram=3).jaccard.__round__(3)
    0.31
    >>> candidate_target("jaccard", 0.7, unit="word", ngram=5).recall is None
    True
    """
    if scorer == "containment":
        return CandidateTarget(
            _containment_as_jaccard(threshold), None, "containment c as Jaccard c / (2 - c)"
        )
    if scorer == "ratio" and unit == "char":
        bound = indel_qgram_jaccard(threshold, ngram)
        if bound < 0.05:
            return CandidateTarget(
                0.05,
                TARGET_RECALL,
                f"ratio {threshold:g} on char {ngram}-grams: the Indel q-gram bound is "
                f"{bound:.3f}, too low to use; bands for Jaccard 0.05",
            )
        return CandidateTarget(
            bound,
            TARGET_RECALL,
            f"ratio {threshold:g} on char {ngram}-grams implies q-gram Jaccard >= {bound:.3f} "
            f"(Indel q-gram bound, texts of {BOUND_CHARS}+ characters in all)",
        )
    if scorer in ("ratio", "token_sort_ratio"):
        return CandidateTarget(
            threshold,
            None,
            f"no bound from {scorer} to {unit} {ngram}-gram Jaccard: the threshold is used "
            "as a Jaccard threshold (recall unknown; char 3-grams give a bound)",
        )
    return CandidateTarget(threshold, None, f"{scorer} is the Jaccard threshold itself")


def _containment_as_jaccard(threshold: float) -> float:
    # Two sets of equal size with containment c have Jaccard c / (2 - c).
    return threshold / (2.0 - threshold)


@dataclass(frozen=True, slots=True)
class PairScorer:
    """One entry of :data:`SCORER_TABLE`: a pair score and how to use it.

    ``symmetric`` says whether ``score(a, b) == score(b, a)``; an asymmetric score is
    computed in both directions. ``needs`` is what it reads: shingle ``"sets"``,
    comparison ``"keys"`` or MinHash ``"signatures"``. ``lsh_jaccard(threshold)`` is the
    Jaccard similarity that LSH is tuned for when this score decides at ``threshold``.
    """

    name: str
    symmetric: bool
    needs: Literal["sets", "keys", "signatures"]
    lsh_jaccard: Callable[[float], float]
    description: str


SCORER_TABLE: dict[str, PairScorer] = {
    s.name: s
    for s in (
        PairScorer(
            "jaccard",
            True,
            "sets",
            _same,
            "|A & B| / |A | B| of the shingle sets (exact, from the 64-bit shingle hashes)",
        ),
        PairScorer(
            "containment",
            False,
            "sets",
            _containment_as_jaccard,
            "|A & B| / |A|: the share of A's shingles found in B. LSH finds pairs of similar "
            "size (Jaccard c / (2 - c)); a short text inside a much longer one is found only "
            "when their Jaccard is high enough, so compare paragraphs for that",
        ),
        PairScorer(
            "ratio",
            True,
            "keys",
            _same,
            "rapidfuzz fuzz.ratio / 100 of the keys (normalized Indel similarity); on char "
            "q-grams LSH is tuned for the Jaccard bound of candidate_target, otherwise "
            "for the threshold as a Jaccard threshold",
        ),
        PairScorer(
            "token_sort_ratio",
            True,
            "keys",
            _same,
            "rapidfuzz fuzz.token_sort_ratio / 100 of the keys (word order ignored)",
        ),
        PairScorer(
            "estimate",
            True,
            "signatures",
            _same,
            "share of equal MinHash values: an unbiased estimate of the Jaccard similarity",
        ),
    )
}


def score_pairs(
    scorer: str,
    left: npt.ArrayLike,
    right: npt.ArrayLike,
    *,
    sets: ShingleSets | None = None,
    keys: Sequence[str] | None = None,
    signatures: npt.NDArray[np.uint32] | None = None,
) -> npt.NDArray[np.float64]:
    """Score the pairs ``(left[k], right[k])`` with one scorer of :data:`SCORER_TABLE`.

    Items are numbers into ``sets``, ``keys`` or ``signatures``, whichever the scorer
    needs. Asymmetric scores read "left in right".

    Returns
    -------
    numpy.ndarray of float64, shape ``(n_pairs,)``, in [0, 1]

    Raises
    ------
    ValueError
        For an unknown scorer, or when what it needs is not given.

    >>> s = ShingleSets.from_texts(["a b", "a b c d"], ngram=1)
    >>> score_pairs("containment", [0], [1], sets=s).tolist()
    [1.0]
    >>> score_pairs("jaccard", [0], [1], sets=s).tolist()
    [0.5]
    """
    if scorer not in SCORER_TABLE:
        raise ValueError(f"scorer must be one of {', '.join(SCORER_TABLE)}, got {scorer!r}")
    needs = SCORER_TABLE[scorer].needs
    lft = np.asarray(left, dtype=np.int64)
    rgt = np.asarray(right, dtype=np.int64)
    if needs == "sets":
        if sets is None:
            raise ValueError(f"scorer {scorer!r} needs sets")
        return (set_jaccard if scorer == "jaccard" else set_containment)(sets, lft, rgt)
    if needs == "keys":
        if keys is None:
            raise ValueError(f"scorer {scorer!r} needs keys")
        which: Literal["ratio", "token_sort_ratio"] = (
            "ratio" if scorer == "ratio" else "token_sort_ratio"
        )
        return fuzzy_scores(
            [keys[i] for i in lft.tolist()], [keys[j] for j in rgt.tolist()], scorer=which
        )
    if signatures is None:
        raise ValueError(f"scorer {scorer!r} needs signatures")
    if lft.size == 0:
        return np.zeros(0, dtype=np.float64)
    return np.asarray((signatures[lft] == signatures[rgt]).mean(axis=1), dtype=np.float64)
