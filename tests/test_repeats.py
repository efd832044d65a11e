"""The compiled piece finder of textdedup.repeats against pydivsufsort's factors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import repeats
from textdedup.normalize import key_text
from textdedup.repeats import _compiled_pieces, _piece_kernel, _pieces_plain, find_repeats

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
    return _compiled_pieces(codes.copy(), min_piece, kernel)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=60),
    st.integers(1, 9),
)
def test_compiled_pieces_match_the_definition(symbols: list[int], min_piece: int) -> None:
    codes = np.array(symbols, dtype=np.uint8) + 97
    expected = _reference(codes, min_piece)
    assert _pieces_plain(codes, min_piece) == expected
    assert _compiled(codes, min_piece) == expected


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab cдé中\n", min_size=1, max_size=300), st.integers(1, 12))
def test_compiled_pieces_match_pydivsufsort_on_any_text(text: str, min_piece: int) -> None:
    # Non-ASCII codes are mapped to a byte (fewer than 257 distinct characters).
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    assert _compiled(codes, min_piece) == _pieces_plain(codes, min_piece)


def test_compiled_pieces_on_a_wide_alphabet_fall_back_to_the_same_pieces() -> None:
    rng = np.random.default_rng(5)
    base = rng.integers(0x4E00, 0x4E00 + 400, 3000).astype(np.int32)
    codes = np.concatenate([base, base[500:1500], base])
    assert _compiled(codes, 25) == _pieces_plain(codes, 25)
    assert _pieces_plain(codes, 25)  # the copies are found


@pytest.mark.parametrize("min_piece", [8, 25])
def test_compiled_pieces_on_real_text(min_piece: int) -> None:
    text = key_text(FIXTURE.read_text(encoding="utf-8"))
    rng = np.random.default_rng(1)
    lines = text.split(" ")
    # The fixture, plus a seeded shuffle of its words repeated in part: many repeats.
    mixed = text + " " + " ".join(rng.permutation(lines)[: len(lines) // 2]) + " " + text[:5000]
    for t in (text, mixed):
        codes = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
        expected = _pieces_plain(codes, min_piece)
        assert expected
        assert _compiled(codes, min_piece) == expected


def test_find_repeats_is_the_same_through_either_path(monkeypatch: pytest.MonkeyPatch) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text + "\n\nInserted words here.\n\n" + text[: len(text) // 2]
    plain = find_repeats(text, min_words=15)
    monkeypatch.setattr(repeats, "_COMPILED_MIN", 1)
    assert find_repeats(text, min_words=15) == plain
    assert plain
