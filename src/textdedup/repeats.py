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

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import regex
from pydivsufsort import divsufsort, longest_previous_factor

from .normalize import KeyConfig, key_text, key_with_offsets
from .scripts import UNSPACED
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
    keytext: str | None = None,
) -> list[Repeat]:
    """Find every span of at least ``min_length`` key characters that repeats earlier text.

    With ``min_words``, the shortest span is measured in words instead (a CJK
    character counts as one word, see :func:`textdedup.segment.word_count`), so it
    means the same amount of text in every script; ``min_length`` is then ignored.
    ``keytext``, when the caller has it already, must be ``key_text(text, key)``.
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
    made_here = keytext is None
    if keytext is None:
        keytext = key_text(text, key)
    if len(keytext) < 2 * min_length:
        return []
    if len(keytext) <= _SCREEN_MAX and not _window_repeats(keytext, min_piece):
        # No min_piece characters occur twice, so the longest previous factor is
        # shorter than min_piece everywhere: no piece, no repeat (see _window_repeats).
        return []
    # The source offsets of the key (4 bytes a character) are made after the suffix
    # array is gone: they are not needed until the repeats are mapped back.
    if keytext.isascii():
        # One byte per character (the library takes no read-only buffer, hence the copy).
        codes: np.ndarray = np.frombuffer(keytext.encode("ascii"), dtype=np.uint8).copy()
    else:
        codes = np.frombuffer(keytext.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        codes = codes.astype(np.int32)
    if made_here and codes.size >= _COMPILED_MIN:
        # The suffix array and the kernel's two arrays are the memory peak: the key text
        # (no one else holds it) is made again from its codes after them, one to four
        # bytes a character less at the peak (50 MB on the 1M lines).
        del keytext
        piece_i, piece_n, known = _pieces(codes, min_piece)
        keytext = _key_text_of(codes)
    else:
        piece_i, piece_n, known = _pieces(codes, min_piece)
    count = piece_i.size
    # Each piece's earlier copy is the first occurrence of its text (the compiled
    # kernel finds most of them in the suffix array). The rest are searched for: the
    # first occurrence begins with the piece's first min_piece characters and ends with
    # its last ones, so it starts no earlier than the first position whose window
    # hashes like the first window, nor than n - min_piece before the first one that
    # hashes like the last window: the search starts at the later of the two.
    unknown = np.flatnonzero(known < 0)
    since = known.copy()
    if unknown.size:
        ui, un = piece_i[unknown], piece_n[unknown]
        earliest = _first_windows(codes, np.concatenate([ui, ui + un - min_piece]), min_piece)
        since[unknown] = np.maximum(
            earliest[: unknown.size], earliest[unknown.size :] - (un - min_piece)
        )
    piece_j = _copies(keytext, codes, piece_i, piece_n, known, since, max_gap)
    # Chains, and the ones long enough to be a repeat, on arrays: on a text of short
    # lines nearly every piece is a chain of its own, and few are repeats.
    firsts, lasts = _chain_edges(piece_i, piece_j, piece_n, max_gap)
    lengths = piece_i[lasts] + piece_n[lasts] - piece_i[firsts]
    sums = np.add.reduceat(piece_n, firsts) if count else np.zeros(0, dtype=np.int64)
    # Bridged gaps may not make up more than a tenth of a repeat.
    keep = (lengths >= min_length) & ~(sums < 0.9 * lengths)
    if min_words is not None and codes.dtype == np.uint8 and count:
        # An exact count of ASCII words in the compiled kernel screens the chains;
        # word_count below decides on the few left.
        kernels = _loop_kernels() if codes.size >= _COMPILED_MIN else None
        if kernels is not None:
            ends = piece_i[lasts] + piece_n[lasts]
            words = kernels[1](codes, piece_i[firsts], ends, np.int64(min_words))
            keep &= words >= min_words
    del codes
    if not keep.any():
        return []
    # key_text is the key of key_with_offsets (tests/test_clean_fast.py checks it).
    _, offsets = key_with_offsets(text, key, compact=True)
    chains = [
        [_Piece(int(piece_i[t]), int(piece_j[t]), int(piece_n[t])) for t in range(a, b + 1)]
        for a, b in zip(firsts[keep].tolist(), lasts[keep].tolist(), strict=True)
    ]
    repeats = []
    for chain in chains:
        first, last = chain[0], chain[-1]
        length = last.i + last.n - first.i
        matched = sum(p.n for p in chain)
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


def _key_text_of(codes: np.ndarray) -> str:
    """The text whose code points ``codes`` are (as :func:`find_repeats` made them).

    >>> _key_text_of(np.frombuffer("key text".encode("ascii"), dtype=np.uint8))
    'key text'
    >>> _key_text_of(np.array([0x5E02, 0x1F600], dtype=np.int32))
    '市😀'
    """
    if codes.dtype == np.uint8:
        return codes.tobytes().decode("ascii")
    return codes.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")


def _pieces(codes: np.ndarray, min_piece: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The exact pieces ``(i, n)``: a greedy left-to-right cover of the positions whose
    longest previous factor ``n`` is at least ``min_piece``.

    Returned as three int64 arrays: the starts ``i`` (increasing), the lengths ``n``,
    and each piece's first occurrence (the compiled kernel's; ``-1`` where not known).

    The first such position is a piece, the scan goes on at its end, and so on: where
    the pieces are depends on the longest previous factors alone. Long keys go through
    :func:`_compiled_pieces` (about 13 bytes a character at the peak, against about 19
    for pydivsufsort's ``longest_previous_factor``); the results are the same (see
    ``tests/test_repeats.py``).
    """
    if codes.size >= _COMPILED_MIN:
        kernel = _piece_kernel()
        if kernel is not None:
            return _compiled_pieces(codes, min_piece, kernel)
    piece_i, piece_n = _pieces_plain(codes, min_piece)
    return piece_i, piece_n, np.full(piece_i.size, -1, dtype=np.int64)


# Keys of at least this many characters find their pieces with the compiled kernel;
# shorter ones do not wait for numba to load (about a second, see docs/benchmarks.md).
_COMPILED_MIN = 1 << 20


def _compiled_pieces(
    codes: np.ndarray, min_piece: int, kernel: Callable[..., int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_pieces` from a suffix array in int32 and the kernel :func:`_greedy_pieces`."""
    if codes.dtype != np.uint8:
        # Fewer than 257 distinct characters (most texts in one script) fit in a byte,
        # which keeps the suffix array at one entry per character; equal characters
        # stay equal, so the factors are the same.
        present = np.zeros(int(codes.max()) + 1, dtype=bool)
        present[codes] = True
        if int(present.sum()) <= 256:
            rank = (np.cumsum(present) - 1).astype(np.uint8)
            codes = rank[codes]
    # divsufsort sorts a wider alphabet as bytes (an entry per byte): int32 codes get
    # the plain path, whose memory is the library's.
    if codes.dtype != np.uint8:
        piece_i, piece_n = _pieces_plain(codes, min_piece)
        return piece_i, piece_n, np.full(piece_i.size, -1, dtype=np.int64)
    n = codes.size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sa = np.asarray(divsufsort(codes), dtype=np.int32)
    prev = np.empty(n, dtype=np.int32)
    nxt = np.empty(n, dtype=np.int32)
    out_i = np.empty(n // min_piece + 1, dtype=np.int64)
    out_n = np.empty(n // min_piece + 1, dtype=np.int64)
    out_e = np.empty(n // min_piece + 1, dtype=np.int64)
    count = kernel(codes, sa, prev, nxt, np.int64(min_piece), out_i, out_n, out_e)
    del sa, prev, nxt
    return out_i[:count].copy(), out_n[:count].copy(), out_e[:count].copy()


def _pieces_plain(codes: np.ndarray, min_piece: int) -> tuple[np.ndarray, np.ndarray]:
    lpf = longest_previous_factor(codes)
    starts = np.flatnonzero(lpf >= min_piece)
    spans: list[tuple[int, int]] = []
    k = 0
    while k < starts.size:
        i = int(starts[k])
        n = int(lpf[i])
        spans.append((i, n))
        k = int(starts.searchsorted(i + n))
    out = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return out[:, 0].copy(), out[:, 1].copy()


def _lcp(codes: np.ndarray, i: int, j: int, cap: int) -> int:
    """Characters that suffixes ``i`` and ``j`` share, up to ``cap`` (``j < i``)."""
    n = codes.size
    k = 0
    while k < cap and i + k < n and codes[i + k] == codes[j + k]:
        k += 1
    return k


def _greedy_pieces_py(
    codes: np.ndarray,
    sa: np.ndarray,
    prev: np.ndarray,
    nxt: np.ndarray,
    min_piece: int,
    out_i: np.ndarray,
    out_n: np.ndarray,
    out_e: np.ndarray,
) -> int:
    """The greedy pieces from the suffix array ``sa`` (overwritten); returns their count.

    The longest previous factor of position ``i`` is its longest common prefix with
    one of two earlier suffixes: the nearest before it in suffix-array order with a
    smaller position (``prev``), and the nearest after it (``nxt``), as the common
    prefix of two suffixes is the least over the suffixes sorted between them
    (Crochemore and Ilie, "Computing Longest Previous Factor in linear time and
    applications", Information Processing Letters 106(2), 2008). Both are found with
    one stack pass over ``sa``; the stack lives in the part of ``sa`` already read.
    The scan then asks each position for ``min_piece`` characters only, and the
    factor's full length only where a piece starts: linear in the text.

    Each piece's first occurrence goes to ``out_e``. The suffixes that share the
    piece's text are an interval of ``sa`` around it; the earliest of them lies on the
    chain ``prev[i], prev[prev[i]], ...`` (the successive smaller positions going left
    in ``sa``) or on the ``nxt`` chain going right, and the common prefix with ``i``
    only shrinks along each chain, so each is followed while it still shares the whole
    piece. A chain of more than :data:`_CHAIN_STEPS` steps (a text found very many
    times) stops, and ``out_e`` is ``-1`` there (the caller searches).
    """
    n = codes.size
    top = 0
    for k in range(n):
        x = sa[k]
        while top > 0 and sa[top - 1] > x:
            nxt[sa[top - 1]] = x
            top -= 1
        prev[x] = sa[top - 1] if top > 0 else -1
        sa[top] = x
        top += 1
    for t in range(top):
        nxt[sa[t]] = -1
    count = 0
    i = 0
    while i < n:
        p = prev[i]
        q = nxt[i]
        a = _lcp(codes, i, p, min_piece) if p >= 0 else 0
        b = _lcp(codes, i, q, min_piece) if q >= 0 else 0
        if a < min_piece and b < min_piece:
            i += 1
            continue
        a = _lcp(codes, i, p, n) if p >= 0 else 0
        b = _lcp(codes, i, q, n) if q >= 0 else 0
        full = max(a, b)
        out_i[count] = i
        out_n[count] = full
        best = i
        steps = 0
        for side in range(2):
            x = p if side == 0 else q
            while x >= 0 and steps <= _CHAIN_STEPS:
                if _lcp(codes, i, x, full) < full:
                    break
                best = min(best, x)
                x = prev[x] if side == 0 else nxt[x]
                steps += 1
        out_e[count] = best if steps <= _CHAIN_STEPS else -1
        count += 1
        i += full
    return count


# Steps along the previous/next-smaller chains before the first occurrence of a piece
# is left to a search (:func:`_greedy_pieces_py`).
_CHAIN_STEPS = 256


@functools.cache
def _piece_kernel() -> Callable[..., int] | None:
    """:func:`_greedy_pieces_py` compiled with numba (cached on disk), or ``None``."""
    try:
        import numba as nb
    except ImportError:  # pragma: no cover - numba is a core dependency
        return None
    global _lcp
    _lcp = nb.njit(cache=True, inline="always")(_lcp_py)
    kernel: Callable[..., int] = nb.njit(cache=True)(_greedy_pieces_py)
    return kernel


_lcp_py = _lcp


# Keys up to this many characters are screened for a repeated window before the
# suffix array is built: on a text with no repeat (nearly every document) the screen
# is all the span search costs.
_SCREEN_MAX = 1 << 17
# Chunk of positions hashed at once by _first_windows (bounds its memory).
_CHUNK = 1 << 20
_BASE = 0x100000001B3  # odd, so invertible modulo 2**64
_SHIFT = 40  # hashes >> _SHIFT index a bitmap of 2**24 bits


def _window_repeats(keytext: str, width: int) -> bool:
    """Whether some ``width`` consecutive characters of ``keytext`` may occur twice.

    A piece is a position whose longest previous factor is at least ``min_piece``
    characters: its first ``min_piece`` characters occur at an earlier position too.
    So a text in which no window of ``min_piece`` characters occurs twice has no
    piece, hence no chain and no repeat, and :func:`find_repeats` may return ``[]``
    without building the suffix array. Windows are compared by a polynomial hash
    modulo 2**64: equal windows always hash alike, so ``False`` is exact; a collision
    can only answer ``True`` for nothing, and the full search then finds nothing.
    """
    count = len(keytext) - width + 1
    if count < 2:
        return False
    if keytext.isascii():
        codes = np.frombuffer(keytext.encode("ascii"), dtype=np.uint8)
    else:
        codes = np.frombuffer(keytext.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    h = _window_hashes(codes, width, *_tables(codes.size))
    h.sort()
    return bool((h[1:] == h[:-1]).any())


def _window_hashes(
    codes: np.ndarray, width: int, powers: np.ndarray, inverse: np.ndarray
) -> np.ndarray:
    """``sum(codes[i + t] * _BASE**t)`` modulo 2**64 for every window ``i`` (uint64).

    ``powers`` and ``inverse`` hold the powers of the base and of its inverse for at
    least ``codes.size`` positions (see :func:`_powers`).
    """
    count = codes.size - width + 1
    prefix = np.zeros(codes.size + 1, dtype=np.uint64)
    np.cumsum(codes.astype(np.uint64) * powers[: codes.size], out=prefix[1:])
    out: np.ndarray = (prefix[width : width + count] - prefix[:count]) * inverse[:count]
    return out


@functools.lru_cache(maxsize=4)
def _table_cache(size: int) -> tuple[np.ndarray, np.ndarray]:
    return _powers(size), _powers(size, _inverse(_BASE))


def _tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Powers of the base and of its inverse for ``n`` positions (at least)."""
    # Sizes round up to a power of two, so a handful of tables serve every length.
    return _table_cache(max(1024, 1 << (n - 1).bit_length()))


def _first_windows(codes: np.ndarray, positions: np.ndarray, width: int) -> np.ndarray:
    """For each position, the first position whose ``width`` characters hash alike.

    The hash is a polynomial of the codes modulo 2**64, so equal windows hash alike:
    the returned position is at or before the first occurrence of the window at
    ``positions[k]`` (a collision can only make it earlier). Positions are hashed in
    chunks, in order, and the scan stops once every window has been seen. Positions
    and the result are int64 arrays.
    """
    if not len(positions):
        return np.zeros(0, dtype=np.int64)
    size = codes.size - width + 1
    q = np.asarray(positions, dtype=np.int64)
    span = min(size, _CHUNK) + width
    powers, inverse = _powers(span), _powers(span, _inverse(_BASE))
    wanted = np.zeros(q.size, dtype=np.uint64)
    for t in range(width):
        wanted += codes[q + t].astype(np.uint64) * powers[t]
    keys, which = np.unique(wanted, return_inverse=True)
    first = np.full(keys.size, -1, dtype=np.int64)
    bitmap = np.zeros(1 << (64 - _SHIFT), dtype=bool)
    bitmap[keys >> _SHIFT] = True
    missing = keys.size
    for lo in range(0, size, _CHUNK):
        hi = min(size, lo + _CHUNK)
        h = _window_hashes(codes[lo : hi + width - 1], width, powers, inverse)
        # A bitmap of the wanted hashes' top bits passes few others to the search.
        maybe = np.flatnonzero(bitmap[h >> _SHIFT])
        slot = np.minimum(np.searchsorted(keys, h[maybe]), keys.size - 1)
        match = keys[slot] == h[maybe]
        hit, slot = maybe[match], slot[match]
        if hit.size:
            found, at = np.unique(slot, return_index=True)
            new = first[found] < 0
            first[found[new]] = lo + hit[at[new]]
            missing -= int(new.sum())
            if not missing:
                break
    out: np.ndarray = first[which.ravel()]
    return out


def _powers(n: int, base: int = _BASE) -> np.ndarray:
    """``base**t`` modulo 2**64 for ``t`` in ``range(n)`` (uint64)."""
    out = np.full(max(n, 1), base, dtype=np.uint64)
    out[0] = 1
    return np.cumprod(out, dtype=np.uint64)[:n]


def _inverse(odd: int) -> int:
    """The inverse of an odd number modulo 2**64 (Newton's iteration)."""
    x = odd
    for _ in range(6):
        x = x * (2 - odd * x) % (1 << 64)
    return x


# Letters of scripts written without spaces: each is a word of its own.
_SINGLE = regex.compile(rf"[{UNSPACED}]")


def _mid_word(keytext: str, pos: int) -> bool:
    """Whether key offset ``pos`` falls between two characters of one word."""
    if pos <= 0 or pos >= len(keytext):
        return False
    a, b = keytext[pos - 1], keytext[pos]
    return a != " " and b != " " and not _SINGLE.match(a) and not _SINGLE.match(b)


# Key characters by which the two gaps of a bridged edit may differ (about two words).
_MAX_SHIFT = 12


def _chain_edges(
    piece_i: np.ndarray, piece_j: np.ndarray, piece_n: np.ndarray, max_gap: int
) -> tuple[np.ndarray, np.ndarray]:
    """The chains of pieces, as the indices of each chain's first and last piece.

    A piece joins the chain of the piece before it when the gaps after that piece in
    the later and in the earlier copy bridge an edit: a word changed, a typo fixed, a
    word or two added or left out. When one copy's gap is longer than the other's by
    more than that, the copy holds text of its own there (a sentence inserted after a
    stutter), and bridging it would cut that text out with the copy.
    """
    count = piece_i.size
    if not count:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    gap_later = piece_i[1:] - (piece_i[:-1] + piece_n[:-1])
    gap_earlier = piece_j[1:] - (piece_j[:-1] + piece_n[:-1])
    joined = (
        (gap_later >= 0)
        & (gap_later <= max_gap)
        & (gap_earlier >= -max_gap)
        & (gap_earlier <= max_gap)
        & (np.abs(gap_later - gap_earlier) <= min(max_gap, _MAX_SHIFT))
    )
    firsts = np.flatnonzero(np.concatenate([[True], ~joined])).astype(np.int64)
    lasts = np.concatenate([firsts[1:] - 1, [count - 1]]).astype(np.int64)
    return firsts, lasts


def _copies(
    keytext: str,
    codes: np.ndarray,
    piece_i: np.ndarray,
    piece_n: np.ndarray,
    first: np.ndarray,
    since: np.ndarray,
    max_gap: int,
) -> np.ndarray:
    """The key offset of each piece's earlier copy (int64), as :func:`_copies_plain`.

    Long keys go through the compiled kernel :func:`_copies_py`; a piece whose first
    occurrence is not known is handed back to ``str.find``.
    """
    kernels = _loop_kernels() if codes.size >= _COMPILED_MIN else None
    if kernels is None:
        return _copies_plain(keytext, piece_i, piece_n, first, since, max_gap)
    count = piece_i.size
    out = np.full(count, -1, dtype=np.int64)
    k = 0
    while k < count:
        k = kernels[0](codes, piece_i, piece_n, first, np.int64(max_gap), out, np.int64(k))
        if k < count:
            i, n = int(piece_i[k]), int(piece_n[k])
            out[k] = keytext.find(keytext[i : i + n], int(since[k]))
            k += 1
    return out


def _copies_plain(
    keytext: str,
    piece_i: np.ndarray,
    piece_n: np.ndarray,
    first: np.ndarray,
    since: np.ndarray,
    max_gap: int,
) -> np.ndarray:
    """The key offset of each piece's earlier copy: the continuation of the previous
    piece's earlier copy where the piece's text is found there (within ``max_gap``),
    else its first occurrence (``first``, or where ``first`` is ``-1`` the first
    occurrence at or after ``since``, which is no later than it)."""
    out = np.full(piece_i.size, -1, dtype=np.int64)
    prev_i = prev_j = prev_n = -1
    for k, (i, n, known, bound) in enumerate(
        zip(piece_i.tolist(), piece_n.tolist(), first.tolist(), since.tolist(), strict=True)
    ):
        sub = keytext[i : i + n]
        j = -1
        if k:
            expect = prev_j + prev_n + (i - prev_i - prev_n)
            lo = max(0, expect - max_gap)
            j = keytext.find(sub, lo, min(i + n - 1, expect + n + max_gap))
            if j >= i:
                j = -1
        if j < 0:
            j = known if known >= 0 else keytext.find(sub, bound)
        out[k] = j
        prev_i, prev_j, prev_n = i, j, n
    return out


def _match_at(codes: np.ndarray, i: int, p: int, n: int) -> bool:
    """Whether ``codes[p : p + n]`` equals ``codes[i : i + n]``."""
    t = 0
    while t < n and codes[p + t] == codes[i + t]:
        t += 1
    return t == n


def _copies_py(
    codes: np.ndarray,
    piece_i: np.ndarray,
    piece_n: np.ndarray,
    first: np.ndarray,
    max_gap: int,
    out: np.ndarray,
    start: int,
) -> int:
    """:func:`_copies_plain` on the codes for pieces ``start`` on, into ``out``.

    Returns the number of pieces, or the index of the first piece that needs a search
    (not continued, and its first occurrence not known).
    """
    count = piece_i.size
    for k in range(start, count):
        i = piece_i[k]
        n = piece_n[k]
        j = -1
        if k > 0:
            expect = out[k - 1] + piece_n[k - 1] + (i - piece_i[k - 1] - piece_n[k - 1])
            lo = max(0, expect - max_gap)
            hi = min(i + n - 1, expect + n + max_gap)
            for p in range(lo, hi - n + 1):
                if _match_at(codes, i, p, n):
                    j = p
                    break
            if j >= i:
                j = -1
        if j < 0:
            j = first[k]
            if j < 0:
                return k
        out[k] = j
    return count


def _ascii_words_py(
    codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, limit: int
) -> np.ndarray:
    """:func:`textdedup.segment.word_count` of ASCII ``codes[starts[k]:ends[k]]`` with
    ``limit`` (int64): the matches of its ``_ASCII_WORD`` pattern, counted by hand
    (digits with their ``.,:`` groups, else a run of letters, digits and ``_``)."""
    out = np.empty(starts.size, dtype=np.int64)
    for k in range(starts.size):
        p = starts[k]
        e = ends[k]
        c = 0
        while p < e and c < limit:
            x = codes[p]
            if 48 <= x <= 57:
                p += 1
                while p < e and 48 <= codes[p] <= 57:
                    p += 1
                while p + 1 < e and (codes[p] == 46 or codes[p] == 44 or codes[p] == 58):
                    if not 48 <= codes[p + 1] <= 57:
                        break
                    p += 2
                    while p < e and 48 <= codes[p] <= 57:
                        p += 1
                c += 1
            elif (65 <= x <= 90) or (97 <= x <= 122) or x == 95:
                p += 1
                while p < e:
                    y = codes[p]
                    if not ((48 <= y <= 57) or (65 <= y <= 90) or (97 <= y <= 122) or y == 95):
                        break
                    p += 1
                c += 1
            else:
                p += 1
        out[k] = c
    return out


@functools.cache
def _loop_kernels() -> tuple[Callable[..., int], Callable[..., np.ndarray]] | None:
    """:func:`_copies_py` and :func:`_ascii_words_py` compiled with numba, or ``None``."""
    try:
        import numba as nb
    except ImportError:  # pragma: no cover - numba is a core dependency
        return None
    global _match_at
    _match_at = nb.njit(cache=True, inline="always")(_match_at_py)
    copies: Callable[..., int] = nb.njit(cache=True)(_copies_py)
    words: Callable[..., np.ndarray] = nb.njit(cache=True)(_ascii_words_py)
    return copies, words


_match_at_py = _match_at
