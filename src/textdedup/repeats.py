"""Long repeated spans at character level, wherever they start.

Used by the single-document cleaner for copies that do not begin on a block
boundary (a body pasted straight after the last sentence). The document's key
(see :func:`textdedup.normalize.key_with_offsets`) goes through a suffix array:
pydivsufsort's longest-previous-factor array gives, for every position, the length
of the longest text starting there that also starts earlier. A left-to-right scan
takes the long ones as exact pieces, and pieces whose earlier copies line up are
chained across small gaps, so a fixed typo or a changed word does not split a
repeat in two. Exact, linear time in the document length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import regex
from pydivsufsort import longest_previous_factor

from .normalize import KeyConfig, key_with_offsets
from .segment import word_count

__all__ = ["Repeat", "find_repeats"]


@dataclass(frozen=True, slots=True)
class Repeat:
    """Source text ``[start, end)`` repeats the earlier ``[source_start, source_end)``.

    Offsets are into the text given to :func:`find_repeats`. ``length`` is the
    length of the later copy in key characters, and ``matched`` how many of those
    are exact matches (the rest are in the gaps that chaining bridged). ``pieces``
    holds the exact pieces of a chained repeat as ``(start, end, source_start,
    source_end)`` source offsets, empty when the repeat is one piece.
    """

    start: int
    end: int
    source_start: int
    source_end: int
    length: int
    matched: int
    pieces: tuple[tuple[int, int, int, int], ...] = ()

    def split(self) -> list[Repeat]:
        """The exact pieces a chained repeat was made of, each as a repeat of its own.

        Used when the chained copies fail verification: the gaps it bridged may hold
        other facts (another name in a header line between two pasted sentences),
        while the pieces are exact copies.
        """
        return [Repeat(a, b, c, d, b - a, b - a) for a, b, c, d in self.pieces]


@dataclass(frozen=True, slots=True)
class _Piece:
    i: int  # key offset of the later copy
    j: int  # key offset of the earlier copy
    n: int  # length in key characters


def find_repeats(
    text: str,
    *,
    min_length: int = 200,
    min_words: int | None = None,
    max_gap: int = 32,
    key: KeyConfig | None = None,
) -> list[Repeat]:
    """Find every span of at least ``min_length`` key characters that repeats earlier text.

    With ``min_words``, the shortest span is measured in words instead (a CJK
    character counts as one word, see :func:`textdedup.segment.word_count`), so it
    means the same amount of text in every script; ``min_length`` is then ignored.
    Each later copy is reported once, against its earliest earlier copy; the
    repeats are sorted and do not overlap one another.

    >>> body = "The quick brown fox jumps over the lazy dog near the river bank. " * 2
    >>> text = "Title. " + body + "Tail."
    >>> [(text[r.start:r.end][:9], r.source_start) for r in find_repeats(text, min_length=40)]
    [('The quick', 7)]
    >>> [r.start for r in find_repeats(text, min_words=10)]
    [72]
    """
    if min_words is not None:
        if min_words < 1:
            raise ValueError(f"min_words must be >= 1, got {min_words}")
        # A word is at least one key character; pieces of 25 characters keep the
        # scan fast on long texts and still see a copy of a few sentences.
        min_length = min_words
        min_piece = max(8, min(25, 2 * min_words))
    else:
        if min_length < 1:
            raise ValueError(f"min_length must be >= 1, got {min_length}")
        min_piece = max(8, min(min_length, max(16, min_length // 8)))
    keytext, offsets = key_with_offsets(text, key)
    if len(keytext) < 2 * min_length:
        return []
    codes = np.frombuffer(keytext.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lpf = longest_previous_factor(codes.astype(np.int32))
    starts = np.flatnonzero(lpf >= min_piece)
    pieces: list[_Piece] = []
    k = 0
    while k < starts.size:
        i = int(starts[k])
        n = int(lpf[i])
        sub = keytext[i : i + n]
        j = -1
        if pieces:
            # Prefer the continuation of the previous piece's earlier copy.
            prev = pieces[-1]
            expect = prev.j + prev.n + (i - prev.i - prev.n)
            lo = max(0, expect - max_gap)
            j = keytext.find(sub, lo, min(i + n - 1, expect + n + max_gap))
            if j >= i:
                j = -1
        if j < 0:
            j = keytext.find(sub)
        pieces.append(_Piece(i, j, n))
        k = int(np.searchsorted(starts, i + n))
    repeats = []
    for chain in _chains(pieces, max_gap):
        first, last = chain[0], chain[-1]
        length = last.i + last.n - first.i
        matched = sum(p.n for p in chain)
        # Bridged gaps may not make up more than a tenth of a repeat.
        if length < min_length or matched < 0.9 * length:
            continue
        if min_words is not None and (
            word_count(keytext, first.i, last.i + last.n, limit=min_words) < min_words
        ):
            continue
        # A repeat starts and ends on word boundaries in both copies: "region. The
        # text" against "Westhaven. The text" share "n the text", and the copy
        # starts at "The" (a partial word would shift the copies' edges by a word).
        lead = 0
        if _mid_word(keytext, first.i) or _mid_word(keytext, first.j):
            space = keytext.find(" ", first.i, first.i + first.n)
            if space < 0:
                continue
            lead = space - first.i
        trail = 0
        if _mid_word(keytext, last.i + last.n) or _mid_word(keytext, last.j + last.n):
            space = keytext.rfind(" ", last.i, last.i + last.n)
            if space < 0 or space <= first.i + lead:
                continue
            trail = last.i + last.n - space
        # Word separators at the edges belong to neither copy.
        if keytext[first.i + lead] == " ":
            lead += 1
        if keytext[last.i + last.n - trail - 1] == " ":
            trail += 1
        later_end = last.i + last.n - trail
        earlier_end = last.j + last.n - trail
        exact: tuple[tuple[int, int, int, int], ...] = ()
        if len(chain) > 1:
            exact = tuple(
                (
                    int(offsets[p.i]),
                    int(offsets[p.i + p.n - 1]) + 1,
                    int(offsets[p.j]),
                    int(offsets[p.j + p.n - 1]) + 1,
                )
                for p in chain
            )
        repeats.append(
            Repeat(
                start=int(offsets[first.i + lead]),
                end=int(offsets[later_end - 1]) + 1,
                source_start=int(offsets[first.j + lead]),
                source_end=int(offsets[earlier_end - 1]) + 1,
                length=length,
                matched=matched,
                pieces=exact,
            )
        )
    return repeats


# Letters of scripts written without spaces: each is a word of its own.
_SINGLE = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}]"
)


def _mid_word(keytext: str, pos: int) -> bool:
    """Whether key offset ``pos`` falls between two characters of one word."""
    if pos <= 0 or pos >= len(keytext):
        return False
    a, b = keytext[pos - 1], keytext[pos]
    return a != " " and b != " " and not _SINGLE.match(a) and not _SINGLE.match(b)


# Key characters by which the two gaps of a bridged edit may differ (about two words).
_MAX_SHIFT = 12


def _chains(pieces: list[_Piece], max_gap: int) -> list[list[_Piece]]:
    chains: list[list[_Piece]] = []
    for p in pieces:
        if chains:
            q = chains[-1][-1]
            gap_later = p.i - (q.i + q.n)
            gap_earlier = p.j - (q.j + q.n)
            # A gap bridges an edit: a word changed, a typo fixed, a word or two added or
            # left out. When one copy's gap is longer than the other's by more than
            # that, the copy holds text of its own there (a sentence inserted after a
            # stutter), and bridging it would cut that text out with the copy.
            if (
                0 <= gap_later <= max_gap
                and -max_gap <= gap_earlier <= max_gap
                and abs(gap_later - gap_earlier) <= min(max_gap, _MAX_SHIFT)
            ):
                chains[-1].append(p)
                continue
        chains.append([p])
    return chains
