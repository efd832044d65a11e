"""The compiled piece finder of textdedup.repeats against pydivsufsort's factors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import repeats
from textdedup.normalize import key_text
from textdedup.repeats import (
    _ascii_words_py,
    _chain_edges,
    _compiled_pieces,
    _copies,
    _copies_plain,
    _loop_kernels,
    _piece_kernel,
    _pieces_plain,
    find_repeats,
)
from textdedup.segment import word_count

FIXTURE = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "doubled_article.txt"


def _reference(codes: np.ndarray, min_piece: int) -> list[tuple[int, int]]:
    """The greedy pieces straight from the definition: the longest earlier match, by brute force."""
    n = codes.size
    out, i = [], 0
    while i < n:
        best = 0
        for j in range(i):
            k = 0
            while i + k < n and codes[i + k] == codes[j + k]:
                k += 1
            best = max(best, k)
        if best >= min_piece:
            out.append((i, best))
            i += best
        else:
            i += 1
    return out


def _compiled(codes: np.ndarray, min_piece: int) -> list[tuple[int, int]]:
    kernel = _piece_kernel()
    assert kernel is not None  # numba is a core dependency
    piece_i, piece_n, _ = _compiled_pieces(codes.copy(), min_piece, kernel)
    return list(zip(piece_i.tolist(), piece_n.tolist(), strict=True))


def _plain(codes: np.ndarray, min_piece: int) -> list[tuple[int, int]]:
    piece_i, piece_n = _pieces_plain(codes, min_piece)
    return list(zip(piece_i.tolist(), piece_n.tolist(), strict=True))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=60),
    st.integers(1, 9),
)
def test_compiled_pieces_match_the_definition(symbols: list[int], min_piece: int) -> None:
    codes = np.array(symbols, dtype=np.uint8) + 97
    expected = _reference(codes, min_piece)
    assert _plain(codes, min_piece) == expected
    assert _compiled(codes, min_piece) == expected


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab cдé中\n", min_size=1, max_size=300), st.integers(1, 12))
def test_compiled_pieces_match_pydivsufsort_on_any_text(text: str, min_piece: int) -> None:
    # Non-ASCII codes are mapped to a byte (fewer than 257 distinct characters).
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    assert _compiled(codes, min_piece) == _plain(codes, min_piece)


def test_compiled_pieces_on_a_wide_alphabet_fall_back_to_the_same_pieces() -> None:
    rng = np.random.default_rng(5)
    base = rng.integers(0x4E00, 0x4E00 + 400, 3000).astype(np.int32)
    codes = np.concatenate([base, base[500:1500], base])
    assert _compiled(codes, 25) == _plain(codes, 25)
    assert _plain(codes, 25)  # the copies are found


@pytest.mark.parametrize("min_piece", [8, 25])
def test_compiled_pieces_on_real_text(min_piece: int) -> None:
    text = key_text(FIXTURE.read_text(encoding="utf-8"))
    rng = np.random.default_rng(1)
    lines = text.split(" ")
    # The fixture, plus a seeded shuffle of its words repeated in part: many repeats.
    mixed = text + " " + " ".join(rng.permutation(lines)[: len(lines) // 2]) + " " + text[:5000]
    for t in (text, mixed):
        codes = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
        expected = _plain(codes, min_piece)
        assert expected
        assert _compiled(codes, min_piece) == expected


def test_find_repeats_is_the_same_through_either_path(monkeypatch: pytest.MonkeyPatch) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text + "\n\nInserted words here.\n\n" + text[: len(text) // 2]
    plain = find_repeats(text, min_words=15)
    monkeypatch.setattr(repeats, "_COMPILED_MIN", 1)
    assert find_repeats(text, min_words=15) == plain
    assert plain


def _first_occurrence(codes: np.ndarray, i: int, n: int) -> int:
    """Where ``codes[i : i + n]`` first occurs, by brute force."""
    return next(p for p in range(i + 1) if (codes[p : p + n] == codes[i : i + n]).all())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 2), min_size=1, max_size=80), st.integers(1, 6))
def test_compiled_pieces_name_the_first_occurrence(symbols: list[int], min_piece: int) -> None:
    codes = np.array(symbols, dtype=np.uint8) + 97
    kernel = _piece_kernel()
    assert kernel is not None
    piece_i, piece_n, first = _compiled_pieces(codes.copy(), min_piece, kernel)
    for i, n, e in zip(piece_i.tolist(), piece_n.tolist(), first.tolist(), strict=True):
        # -1 only where a chain is too long to follow (not in texts this short).
        assert e == _first_occurrence(codes, i, n)
        assert e < i


def _capped_pieces(codes: np.ndarray, min_piece: int) -> tuple[np.ndarray, ...]:
    """The piece kernel run as Python, with chains of more than one step not followed."""
    assert _piece_kernel() is not None  # compiles the inlined helper it calls
    n = codes.size
    sa = np.argsort([codes[i:].tobytes() for i in range(n)], kind="stable").astype(np.int32)
    prev, nxt = np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32)
    out = [np.empty(n // min_piece + 1, dtype=np.int64) for _ in range(3)]
    count = repeats._greedy_pieces_py(codes, sa, prev, nxt, min_piece, *out)
    return tuple(a[:count] for a in out)


def test_first_occurrences_the_chains_do_not_reach_are_searched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One line found very many times: with the chain steps capped at 1 some first
    # occurrences are not known, and the search from the window-hash bound finds them.
    rng = np.random.default_rng(2)
    lines = [" ".join(rng.choice(["ab", "cd", "ef", "gh"], 6)) for _ in range(8)]
    text = " ".join(lines[int(k)] for k in rng.integers(0, 8, 60))
    codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8).copy()
    monkeypatch.setattr(repeats, "_CHAIN_STEPS", 1)
    piece_i, piece_n, first = _capped_pieces(codes, 6)
    assert (first < 0).any() and (first >= 0).any()
    for i, n, e in zip(piece_i.tolist(), piece_n.tolist(), first.tolist(), strict=True):
        assert e in (-1, _first_occurrence(codes, i, n))
    since = np.zeros(piece_i.size, dtype=np.int64)
    unknown = np.full(piece_i.size, -1, dtype=np.int64)
    expected = _copies_plain(text, piece_i, piece_n, unknown, since, 32).tolist()
    assert _copies(text, codes, piece_i, piece_n, first, since, 32).tolist() == expected
    assert _copies_plain(text, piece_i, piece_n, first, since, 32).tolist() == expected


def _chains_reference(pieces: list[tuple[int, int, int]], max_gap: int) -> list[tuple[int, int]]:
    """Session 5's chaining loop, piece by piece: (first, last) piece indices."""
    out: list[tuple[int, int]] = []
    for k, (i, j, _) in enumerate(pieces):
        if out:
            qi, qj, qn = pieces[k - 1]
            gap_later, gap_earlier = i - (qi + qn), j - (qj + qn)
            if (
                0 <= gap_later <= max_gap
                and -max_gap <= gap_earlier <= max_gap
                and abs(gap_later - gap_earlier) <= min(max_gap, 12)
            ):
                out[-1] = (out[-1][0], k)
                continue
        out.append((k, k))
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(-60, 60), st.integers(1, 30)), max_size=30),
    st.sampled_from([0, 5, 32]),
)
def test_chain_edges_match_the_loop(steps: list[tuple[int, int, int]], max_gap: int) -> None:
    pieces, i, j = [], 0, 100
    for gap, shift, n in steps:
        i += gap
        j = max(0, j + gap + shift)
        pieces.append((i, j, n))
        i += n
        j += n
    arr = np.array(pieces, dtype=np.int64).reshape(-1, 3)
    firsts, lasts = _chain_edges(arr[:, 0], arr[:, 1], arr[:, 2], max_gap)
    got = list(zip(firsts.tolist(), lasts.tolist(), strict=True))
    assert got == _chains_reference(pieces, max_gap)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab c\n", min_size=1, max_size=300), st.sampled_from([0, 4, 32]))
def test_compiled_copies_match_the_plain_search(text: str, max_gap: int) -> None:
    codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8).copy()
    kernel, kernels = _piece_kernel(), _loop_kernels()
    assert kernel is not None and kernels is not None
    piece_i, piece_n, first = _compiled_pieces(codes.copy(), 3, kernel)
    unknown = np.full(piece_i.size, -1, dtype=np.int64)
    since = np.zeros(piece_i.size, dtype=np.int64)
    # The plain search from the text's start is the definition; the kernel starts from
    # the first occurrences the piece kernel found, or hands a piece back.
    expected = _copies_plain(text, piece_i, piece_n, unknown, since, max_gap).tolist()
    assert _copies_plain(text, piece_i, piece_n, first, since, max_gap).tolist() == expected
    out = np.full(piece_i.size, -1, dtype=np.int64)
    done = kernels[0](codes, piece_i, piece_n, first, np.int64(max_gap), out, np.int64(0))
    assert done == piece_i.size
    assert out.tolist() == expected
    half = first.copy()
    half[::2] = -1  # not known: str.find from the bound takes these
    assert _copies(text, codes, piece_i, piece_n, half, since, max_gap).tolist() == expected


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab1 2.,:_-x\n", max_size=80),
    st.integers(0, 80),
    st.integers(0, 80),
    st.integers(1, 12),
)
def test_ascii_word_count_kernel_matches_word_count(text: str, a: int, b: int, limit: int) -> None:
    kernels = _loop_kernels()
    assert kernels is not None
    codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    a, b = min(a, len(text)), min(b, len(text))
    starts, ends = np.array([a], dtype=np.int64), np.array([b], dtype=np.int64)
    expected = word_count(text, a, b, limit=limit)
    assert kernels[1](codes, starts, ends, np.int64(limit)).tolist() == [expected]
    assert _ascii_words_py(codes, starts, ends, limit).tolist() == [expected]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 7), min_size=1, max_size=120),
    st.integers(3, 6),
    st.sampled_from([0, 32]),
)
def test_find_repeats_is_the_same_through_either_path_on_any_lines(
    picks: list[int], min_words: int, max_gap: int
) -> None:
    pool = [
        "the river runs by the old mill",
        "a b c d e f g",
        "the river runs by the new mill",
        "42 3.5 cats",
        "x_y z 1,000 fish swim",
        "the river runs",
        "old mill old mill old mill",
        "ab",
    ]
    text = "\n".join(pool[k] for k in picks)
    plain = find_repeats(text, min_words=min_words, max_gap=max_gap)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(repeats, "_COMPILED_MIN", 1)
        assert find_repeats(text, min_words=min_words, max_gap=max_gap) == plain
