"""Detect hard-wrapped prose and reflow it, with an exact map back to the text as written.

Sits between normalization and segmentation: a document written with a newline every
~80 or ~180 characters and few blank lines is one "paragraph" and hundreds of "lines",
and neither unit survives a copy that was wrapped at another width. Reflowing joins the
line breaks that only wrap a paragraph, so sentences and word windows can be cut from
the result, and every offset in it maps back to the original text exactly
(:attr:`Reflowed.offsets`).

A paragraph (lines between blank lines) counts as hard-wrapped when its lines look like
the output of a greedy line filler: most lines are *full*, i.e. the first word of the
next line would not have fitted within the paragraph's widest line (the test at the
heart of greedy wrapping, as in Python's ``textwrap``); most lines end mid-sentence;
it is not verse (which capitalizes every line, more often than words inside sentences
are, and ends most lines with punctuation); the lines are
mostly letters, share one indentation and carry no list markers, table rules or code
line endings. Poetry, code, lists and tables therefore stay as written.

Inside a hard-wrapped paragraph a break is kept where a short line ends a sentence or
has no closing punctuation (a paragraph end or a heading in a text without blank
lines), and joined everywhere else: ``[ \\t]*\\n[ \\t]*`` becomes one space.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import regex

__all__ = ["Reflowed", "is_hard_wrapped", "reflow"]

I64 = npt.NDArray[np.int64]

_PARAGRAPH_BREAK = regex.compile(r"\n(?:[^\S\n]*\n)+")
_LIST_MARKER = regex.compile(r"^\s*(?:[-*+\u2022\u2023\u25e6\u2043>#]|\d{1,3}[.)]|\(?[a-z][.)])\s")
_TABLE = regex.compile(r"\t|\S {3,}\S|^[\s\-=+_|:]{4,}$")
_CODE_END = regex.compile(r"(?:[;{}\[\]]|\)\s*:|=)\s*$")
_SENTENCE_END = regex.compile(r"[.!?\u2026\u3002\uff01\uff1f:][\"'\u201d\u2019)\]]*$")
# A word inside a line that does not start a sentence: preceded by a word that does not
# end one.
_INNER_WORD = regex.compile(r"(?<=[^\s.!?:\u2026\"'\u201d\u2019)\]]\s+)\S+")
_PUNCT_END = regex.compile(r"\p{P}$")
_JOIN_END = regex.compile(r"[,;\-\u2013\u2014(]$")
# A greedy filler leaves a line short by less than the next word; allow a little slack
# for filler that counts a trailing space or breaks at hyphens.
_SLACK = 2
#: Share of lines that must pass each test (full, mid-sentence, not capitalized).
MIN_SHARE = 0.7
#: Narrowest widest-line (characters) that counts as wrapping.
MIN_WIDTH = 30


@dataclass(frozen=True, slots=True)
class Reflowed:
    """A reflowed text and the map back to the text it came from.

    ``offsets`` is an int64 array of ``len(text) + 1`` entries: ``text[i]`` stands for
    the original character at ``offsets[i]`` (a joined line break stands for the first
    whitespace character of the break), and ``offsets[-1]`` is the original length.
    ``joined`` counts the line breaks that were joined.
    """

    text: str
    offsets: I64
    joined: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the reflowed span ``[start, end)``.

        >>> r = reflow("x")
        >>> r.span(0, 1)
        (0, 1)
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span must satisfy 0 <= start <= end <= {len(self.text)}")
        if start == end:
            return int(self.offsets[start]), int(self.offsets[start])
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


def _lines(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of the lines of ``text[a:b]``, without their newline."""
    spans = []
    pos = a
    while pos <= b:
        nl = text.find("\n", pos, b)
        end = b if nl < 0 else nl
        spans.append((pos, end))
        if nl < 0:
            break
        pos = nl + 1
    return spans


def _first_word(line: str) -> str:
    parts = line.split(maxsplit=1)
    return parts[0] if parts else ""


def is_hard_wrapped(lines: list[str]) -> bool:
    """Whether the lines of one paragraph look like prose wrapped at a fixed width.

    Parameters
    ----------
    lines:
        The lines of one paragraph (no blank lines inside), without newlines.

    >>> prose = ("The committee met on Tuesday to discuss the budget for the coming",
    ...          "year, and after a long debate about the roads and the schools it",
    ...          "agreed to raise the grant for the library by a tenth of its size.")
    >>> is_hard_wrapped(list(prose))
    True
    >>> is_hard_wrapped(["Roses are red,", "Violets are blue,", "Sugar is sweet,"])
    False
    """
    lines = [ln.rstrip() for ln in lines]
    if len(lines) < 2 or any(not ln.strip() for ln in lines):
        return False
    body = "".join(lines)
    nonspace = sum(not c.isspace() for c in body)
    letters = sum(c.isalpha() for c in body)
    if nonspace == 0 or letters < 0.75 * nonspace:
        return False
    # A list has markers on many lines (one "(a)" may start a wrapped line by chance); a
    # table has rules, column gaps or cells on many lines.
    markers = sum(bool(_LIST_MARKER.match(ln)) for ln in lines[1:])
    cells = sum(ln.count("|") >= 2 for ln in lines)
    if markers >= max(1, 0.2 * (len(lines) - 1)) or cells >= max(2, 0.5 * len(lines)):
        return False
    if any(_TABLE.search(ln) for ln in lines):
        return False
    if len({ln[: len(ln) - len(ln.lstrip())] for ln in lines[1:]}) > 1:
        return False
    if sum(bool(_CODE_END.search(ln)) for ln in lines) > 0.2 * len(lines):
        return False
    width = max(len(ln) for ln in lines)
    if width < MIN_WIDTH:
        return False
    heads = lines[:-1]
    full = sum(
        len(ln) + 1 + len(_first_word(nxt)) > width - _SLACK
        for ln, nxt in itertools.pairwise(lines)
    )
    mid = [i for i, ln in enumerate(heads) if not _SENTENCE_END.search(ln)]
    capital = sum(lines[i + 1].lstrip()[:1].isupper() for i in mid)
    # Verse capitalizes every line; prose capitalizes a word after a line break about as
    # often as any word inside a sentence (more in German, or in legal text).
    inner = [w for ln in lines for w in _INNER_WORD.findall(ln)]
    base = sum(w[:1].isupper() for w in inner) / len(inner) if inner else 0.0
    capitalized = capital > max(1 - MIN_SHARE, 2 * base) * max(len(mid), 1)
    # ... and ends most lines with punctuation, where a filler breaks after any word.
    punctuated = sum(bool(_PUNCT_END.search(ln)) for ln in heads) > 0.4 * len(heads)
    return (
        full >= MIN_SHARE * len(heads)
        and len(mid) >= MIN_SHARE * len(heads)
        and not (capitalized and punctuated)
    )


def _keep_break(line: str, nxt: str, width: int) -> bool:
    """Inside a wrapped paragraph: keep the break after a short line that ends a unit."""
    line = line.rstrip()
    full = len(line) + 1 + len(_first_word(nxt)) > width - _SLACK
    if full or _JOIN_END.search(line):
        return False
    return not nxt.lstrip()[:1].islower()


def reflow(text: str) -> Reflowed:
    r"""Join the line breaks that only wrap prose; leave everything else as written.

    Returns a :class:`Reflowed` whose ``offsets`` map each character back to ``text``.
    A text with no hard-wrapped paragraph comes back unchanged (``joined == 0``).

    >>> wrapped = ("The committee met on Tuesday to discuss the budget for the coming\n"
    ...            "year, and after a long debate about the roads and the schools it\n"
    ...            "agreed to raise the grant for the library by a tenth of its size.\n")
    >>> r = reflow(wrapped)
    >>> r.text.count("\n"), r.joined
    (1, 2)
    >>> start = r.text.index("agreed")
    >>> wrapped[r.offsets[start]:r.offsets[start] + 6]
    'agreed'
    >>> reflow("Roses are red,\nViolets are blue.\n").joined
    0
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    pieces: list[str] = []
    maps: list[I64] = []
    joined = 0
    pos = 0  # original offset up to which text has been copied

    def copy(upto: int) -> None:
        nonlocal pos
        if upto > pos:
            pieces.append(text[pos:upto])
            maps.append(np.arange(pos, upto, dtype=np.int64))
        pos = upto

    cuts = [0]
    for m in _PARAGRAPH_BREAK.finditer(text):
        cuts += [m.start(), m.end()]
    cuts.append(len(text))
    for a, b in zip(cuts[::2], cuts[1::2], strict=True):
        spans = [(s, e) for s, e in _lines(text, a, b) if text[s:e].strip()]
        lines = [text[s:e] for s, e in spans]
        if not is_hard_wrapped(lines):
            continue
        width = max(len(ln.rstrip()) for ln in lines)
        for (s0, e0), (s1, e1) in itertools.pairwise(spans):
            if _keep_break(text[s0:e0], text[s1:e1], width):
                continue
            # The break is the whitespace from the end of the line's words to the next word.
            gap_start = e0
            while gap_start > s0 and text[gap_start - 1] in " \t":
                gap_start -= 1
            gap_end = s1
            while gap_end < e1 and text[gap_end] in " \t":
                gap_end += 1
            copy(gap_start)
            pieces.append(" ")
            maps.append(np.array([gap_start], dtype=np.int64))
            pos = gap_end
            joined += 1
    copy(len(text))
    out = "".join(pieces)
    offsets = np.concatenate([*maps, np.array([len(text)], dtype=np.int64)])
    return Reflowed(text=out, offsets=offsets, joined=joined)
