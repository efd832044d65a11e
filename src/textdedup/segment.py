"""Split a document into blocks with exact character spans and line numbers.

Second stage of the flow: normalized text in, :class:`Block` objects out. A block
is a paragraph (text between blank lines), a line, or a sentence. Spans are
offsets into the text given, and line numbers are 1-based.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import regex

from .scripts import UNSPACED

__all__ = [
    "SEGMENT_MODES",
    "Block",
    "LineIndex",
    "resolve_mode",
    "segment",
    "sentence_bounds",
    "tokens",
    "word_count",
]

SegmentMode = Literal["auto", "paragraph", "line", "sentence"]
SEGMENT_MODES: tuple[SegmentMode, ...] = ("auto", "paragraph", "line", "sentence")

_BLANK_LINE = regex.compile(r"\n[^\S\n]*\n")
_PARAGRAPH_BREAK = regex.compile(r"\n(?:[^\S\n]*\n)+")
_LINE = regex.compile(r"^[^\n]*\S[^\n]*", regex.MULTILINE)
# A sentence ends at . ! ? or an ellipsis followed by whitespace, or right after a
# CJK full stop, exclamation or question mark; closing quotes and brackets stay with it.
_SENTENCE_END = regex.compile(
    r"(?:(?<![.!?\u2026])[.!?\u2026]++[\"'\u201d\u2019)\]]*+(?=\s)"
    r"|[\u3002\uff01\uff1f\uff0e]+[\u300d\u300f\uff09\"'\u201d\u2019]*)"
)
# A line without a letter or digit: markup ("====", "****", "----"), a rule.
_MARKUP_LINE = regex.compile(r"^[^\S\n]*[^\s\p{L}\p{N}]+[^\S\n]*$", regex.MULTILINE)

# Scripts written without spaces between words: each letter (or mark, or digit) counts as
# one word; their punctuation (the Javanese pada lungsi) does not.
_SINGLE_CHAR_WORD = rf"(?=[\p{{L}}\p{{M}}\p{{N}}])[{UNSPACED}]"
_NUMBER = r"\p{Nd}+(?:[.,:]\p{Nd}+)*"
_WORD = regex.compile(
    rf"{_NUMBER}|{_SINGLE_CHAR_WORD}|(?:(?!{_SINGLE_CHAR_WORD})[\p{{L}}\p{{N}}\p{{M}}_])+"
)
_TOKEN = regex.compile(_WORD.pattern + r"|[^\s\p{L}\p{N}\p{M}_]+")
# _WORD on ASCII text: no ASCII character is CJK or Thai, \p{Nd} and \p{N} are 0-9 there,
# \p{L} is A-Z a-z and \p{M} is empty. The standard re engine runs it about ten times faster.
_ASCII_WORD = re.compile(r"[0-9]+(?:[.,:][0-9]+)*|[A-Za-z0-9_]+")


def word_count(
    text: str, start: int = 0, end: int | None = None, *, limit: int | None = None
) -> int:
    """Words in ``text[start:end]``; a CJK, Thai or similar character counts as one word.

    Used to measure amounts of text the same way in every script. With ``limit``,
    counting stops there: ``word_count(t, limit=n) >= n`` asks "at least n words?"
    in time proportional to n, not to the text.

    >>> word_count("Two words.")
    2
    >>> word_count("今天很好。")
    4
    >>> word_count("one two three four", limit=2)
    2
    """
    end = len(text) if end is None else end
    # isascii() reads a flag of the string (constant time), not its characters.
    pattern = _ASCII_WORD if text.isascii() else _WORD
    if limit is None:
        return len(pattern.findall(text, start, end))
    if limit >= 0 and end - start <= 32 * limit + 256:
        # A span this short costs findall little more than the first ``limit`` words, and
        # findall makes no Python object per match as finditer does.
        return min(len(pattern.findall(text, start, end)), limit)
    return sum(1 for _ in itertools.islice(pattern.finditer(text, start, end), limit))


def tokens(text: str) -> list[str]:
    """Words (as in :func:`word_count`) and runs of other non-space characters, in order.

    >>> tokens('config["user_values"]')
    ['config', '["', 'user_values', '"]']
    >>> tokens("市场 rose -4.2%")
    ['市', '场', 'rose', '-', '4.2', '%']
    """
    return _TOKEN.findall(text)


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document: a paragraph, a line or a sentence.

    ``text[start:end]`` of the segmented text is this block's text, with no
    leading or trailing whitespace. ``line_start`` and ``line_end`` are the 1-based
    first and last lines it touches.
    """

    index: int
    start: int
    end: int
    line_start: int
    line_end: int
    text: str


class LineIndex:
    """Maps character offsets to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        if text.isascii():
            codes: np.ndarray = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        else:
            codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        starts = np.empty(int(np.count_nonzero(codes == 10)) + 1, dtype=np.int64)
        starts[0] = 0
        starts[1:] = np.flatnonzero(codes == 10) + 1
        self._starts: npt.NDArray[np.int64] = starts

    def line_of(self, offset: int) -> int:
        """The line holding the character at ``offset``.

        >>> LineIndex("a\\nb\\nc").line_of(2)
        2
        """
        return int(np.searchsorted(self._starts, offset, side="right"))

    def lines_of(self, offsets: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """:meth:`line_of` for many offsets at once.

        >>> LineIndex("a\\nb\\nc").lines_of([0, 2, 4]).tolist()
        [1, 2, 3]
        """
        return np.searchsorted(self._starts, offsets, side="right").astype(np.int64)

    def line_start(self, line: int) -> int:
        """Offset of the first character of a 1-based line."""
        return int(self._starts[line - 1])


def resolve_mode(text: str, mode: SegmentMode = "auto") -> SegmentMode:
    """The mode ``auto`` stands for: paragraphs if a blank line separates text, else lines.

    >>> resolve_mode("one\\ntwo\\n\\n\\n")
    'line'
    >>> resolve_mode("one\\n\\ntwo")
    'paragraph'
    """
    if mode not in SEGMENT_MODES:
        raise ValueError(f"mode must be one of {', '.join(SEGMENT_MODES)}, got {mode!r}")
    if mode != "auto":
        return mode
    return "paragraph" if _BLANK_LINE.search(text.strip()) else "line"


def sentence_bounds(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences in ``text[start:end]``, trimmed of whitespace.

    >>> t = "One. Two!  Three"
    >>> [t[a:b] for a, b in sentence_bounds(t)]
    ['One.', 'Two!', 'Three']
    >>> t = "今天很好。明天也好。"
    >>> [t[a:b] for a, b in sentence_bounds(t)]
    ['今天很好。', '明天也好。']
    """
    end = len(text) if end is None else end
    cuts = [start] + [m.end() for m in _SENTENCE_END.finditer(text, start, end)] + [end]
    if text.find("\n", start, end) >= 0:
        # A line of markup only ("====", "****", "{panel}") is a block of its own: the
        # delimiters of a block are no part of the sentence they stand next to.
        marks = [x for m in _MARKUP_LINE.finditer(text, start, end) for x in m.span()]
        if marks:
            cuts = sorted(set(cuts).union(marks))
    spans = []
    for a, b in itertools.pairwise(cuts):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
    return spans


def segment(text: str, mode: SegmentMode = "auto") -> list[Block]:
    """Split ``text`` into blocks.

    Parameters
    ----------
    text:
        The (normalized) document.
    mode:
        ``"paragraph"`` splits at blank lines, ``"line"`` makes every non-blank line
        a block, ``"sentence"`` splits paragraphs into sentences, and ``"auto"``
        picks paragraphs when a blank line separates text and lines otherwise.

    Examples
    --------
    >>> [b.text for b in segment("Title\\nBody one.\\n\\n\\n")]
    ['Title', 'Body one.']
    >>> [(b.text, b.line_start, b.line_end) for b in segment("a\\nb\\n\\nc", "paragraph")]
    [('a\\nb', 1, 2), ('c', 4, 4)]
    """
    resolved = resolve_mode(text, mode)
    if resolved == "line":
        spans = _ascii_lines(text)
        if spans is None:
            spans = [(m.start(), m.end()) for m in _LINE.finditer(text)]
            spans = [_strip(text, a, b) for a, b in spans]
    else:
        cuts = [0]
        for m in _PARAGRAPH_BREAK.finditer(text):
            cuts += [m.start(), m.end()]
        cuts.append(len(text))
        spans = [_strip(text, a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
        spans = [(a, b) for a, b in spans if a < b]
        if resolved == "sentence":
            spans = [s for a, b in spans for s in sentence_bounds(text, a, b)]
    if len(spans) <= _COUNTED_SPANS:
        firsts, lasts = _counted_lines(text, spans)
    else:
        lines = LineIndex(text)
        firsts = lines.lines_of([a for a, _ in spans]).tolist()
        lasts = lines.lines_of([b - 1 for _, b in spans]).tolist()
    # Copies of a block share one string (a file of repeated lines holds each line once).
    shared: dict[str, str] = {}
    texts = [shared.setdefault(t, t) for t in (text[a:b] for a, b in spans)]
    del shared
    # A block on one line holds one int object for both line numbers (28 bytes a block
    # less: a file of 1M lines is 1M blocks). Arguments by position: a seventh less
    # time than by keyword for the frozen dataclass's __init__.
    return [
        Block(i, a, b, first, first if first == last else last, t)
        for i, ((a, b), first, last, t) in enumerate(zip(spans, firsts, lasts, texts, strict=True))
    ]


# Up to this many blocks, their line numbers are counted with str.count (a record of a
# few paragraphs: about 1 us against 20 us of LineIndex's fixed numpy cost).
_COUNTED_SPANS = 64


def _counted_lines(text: str, spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The lines of each span's first and last character, for sorted spans (as LineIndex)."""
    firsts: list[int] = []
    lasts: list[int] = []
    line, pos = 1, 0
    for a, b in spans:
        line += text.count("\n", pos, a)
        firsts.append(line)
        line += text.count("\n", a, b - 1)
        lasts.append(line)
        pos = b - 1
    return firsts, lasts


def _ascii_lines(text: str) -> list[tuple[int, int]] | None:
    """The stripped spans of the lines ``_LINE`` finds, by string methods; ``None`` if not ASCII.

    On ASCII text without the separators U+001C..U+001F, ``\\S`` (regex) and
    ``not str.isspace()`` agree, so a line ``_LINE`` matches is one that strips to
    something, and ``str.strip`` removes what :func:`_strip` does.
    """
    if not text.isascii() or _FILE_SEPARATORS.search(text):
        return None
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        a = pos + len(line) - len(line.lstrip())
        b = pos + len(line.rstrip())
        if a < b:
            spans.append((a, b))
        pos += len(line) + 1
    return spans


_FILE_SEPARATORS = re.compile("[\x1c-\x1f]")


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
