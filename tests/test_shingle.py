"""Shingle hashes against a slow reference tokenization."""

from __future__ import annotations

import numpy as np
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import shingle
from textdedup.shingle import mix64, shingle_hashes, token_hashes

# Spelled out here, not imported, so that the reference does not follow a change of
# textdedup.scripts by itself.
_SINGLE = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}"
    r"\p{Tai_Le}\p{New_Tai_Lue}\p{Tai_Tham}\p{Tai_Viet}\p{Javanese}\p{Balinese}\p{Buginese}]"
)


def ref_tokens(key: str, unit: str = "word") -> list[str]:
    """Split a key on spaces; characters of scripts written without spaces are single tokens."""
    if unit == "char":
        return list(key)
    return _SINGLE.sub(r" \g<0> ", key).split(" ")


def ref_shingles(key: str, ngram: int, unit: str = "word") -> list[tuple[str, ...]]:
    toks = [t for t in ref_tokens(key, unit) if t or unit == "char"]
    if not toks:
        return []
    if len(toks) < ngram:
        return [tuple(toks)]
    return [tuple(toks[i : i + ngram]) for i in range(len(toks) - ngram + 1)]


# Small alphabets, so equal tokens and equal n-grams are common; CJK and accents included.
_WORD = st.text(alphabet="abé日本語", min_size=1, max_size=3)
_KEY = st.lists(_WORD, max_size=12).map(" ".join)


def _assert_same_partition(labels: list[object], hashes: np.ndarray) -> None:
    """Equal labels must have equal hashes, and different labels different hashes."""
    seen: dict[object, int] = {}
    by_hash: dict[int, object] = {}
    for label, h in zip(labels, hashes.tolist(), strict=True):
        assert seen.setdefault(label, h) == h, f"{label!r} hashed two ways"
        assert by_hash.setdefault(h, label) == label, f"{label!r} collides with {by_hash[h]!r}"


@settings(max_examples=150, deadline=None)
@given(st.lists(_KEY, max_size=6))
def test_token_hashes_match_reference_tokens(keys: list[str]) -> None:
    h, off = token_hashes(keys)
    tokens = [ref_tokens(k) for k in keys]
    tokens = [[t for t in ts if t] for ts in tokens]
    assert np.diff(off).tolist() == [len(ts) for ts in tokens]
    _assert_same_partition([t for ts in tokens for t in ts], h)


@settings(max_examples=150, deadline=None)
@given(st.lists(_KEY, max_size=6), st.integers(1, 4), st.sampled_from(["word", "char"]))
def test_shingle_hashes_match_reference_shingles(keys: list[str], ngram: int, unit: str) -> None:
    s = shingle_hashes(keys, ngram=ngram, unit=unit)  # type: ignore[arg-type]
    ref = [ref_shingles(k, ngram, unit) for k in keys]
    assert np.diff(s.offsets).tolist() == [len(r) for r in ref]
    _assert_same_partition([g for r in ref for g in r], s.hashes)


def test_cjk_characters_are_words() -> None:
    s = shingle_hashes(["今天天气很好", "今天 天气 很好", "今天天气不好"], ngram=2)
    a, b, c = (set(s.hashes[s.offsets[i] : s.offsets[i + 1]].tolist()) for i in range(3))
    assert a == b
    assert len(a) == 5
    assert len(a & c) == 3


@pytest.mark.parametrize(
    "text",
    [
        "ꦱꦼꦏꦺꦴꦭꦃꦲꦶꦁꦏꦸꦛ",  # Javanese
        "ᬲᬸᬩᬓ᭄ᬮᬶᬦ᭄ᬢᬸᬤᬸ",  # Balinese
        "ᨅᨗᨌᨑ ᨕᨘᨁᨗ",  # Buginese
        "ᨣᩤᨾᨾᩮᩬᩥᨦ",  # Tai Tham
    ],
)
def test_letters_of_scripts_without_spaces_are_words(text: str) -> None:
    # Written without spaces, a sentence would otherwise be one token: no 2-gram at all.
    letters = [c for c in text if not c.isspace()]
    s = shingle_hashes([text], ngram=2)
    assert len(s.hashes) == len(letters) - 1


def test_short_and_empty_texts() -> None:
    s = shingle_hashes(["a b", "", "a b c", "b a"], ngram=3)
    assert s.offsets.tolist() == [0, 1, 1, 2, 3]
    assert len(set(s.hashes.tolist())) == 3


def test_text_with_newlines_keeps_its_own_tokens() -> None:
    # Texts are joined with a newline internally; a newline inside a text must not split it.
    h, off = token_hashes(["a\nb", "c", "d\n", "\ne"])
    assert off.tolist() == [0, 2, 3, 4, 5]
    h2, _ = token_hashes(["a b c d e"])
    assert h.tolist() == h2.tolist()


def test_batching_and_workers_do_not_change_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = [" ".join(f"w{i * 7 + j}" for j in range(i % 9)) for i in range(300)]
    alone = [shingle_hashes([k], ngram=3).hashes for k in keys]
    monkeypatch.setattr(shingle, "_CHUNK_CHARS", 64)  # many chunks
    for workers in (1, 2):
        s = shingle_hashes(keys, ngram=3, workers=workers)
        for i, a in enumerate(alone):
            assert s.hashes[s.offsets[i] : s.offsets[i + 1]].tolist() == a.tolist()


def test_unit_and_ngram_are_validated() -> None:
    with pytest.raises(ValueError, match="unit must be 'word' or 'char', got 'line'"):
        token_hashes(["a"], unit="line")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"ngram must be in \[1, 64\], got 0"):
        shingle_hashes(["a"], ngram=0)


def test_mix64_is_a_bijection_on_a_sample() -> None:
    x = np.arange(100_000, dtype=np.uint64)
    assert np.unique(mix64(x)).size == x.size


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.one_of(_KEY, st.text(alphabet="a b\n\t\x00€😀日", max_size=20)), max_size=8),
    st.integers(1, 6),
    st.sampled_from(["word", "char"]),
)
def test_numba_engine_gives_the_same_hashes(keys: list[str], ngram: int, unit: str) -> None:
    pytest.importorskip("numba")
    fast = shingle_hashes(keys, ngram=ngram, unit=unit, engine="numba")  # type: ignore[arg-type]
    slow = shingle_hashes(keys, ngram=ngram, unit=unit, engine="numpy")  # type: ignore[arg-type]
    assert fast.offsets.tolist() == slow.offsets.tolist()
    assert fast.hashes.tolist() == slow.hashes.tolist()


def test_engine_is_validated() -> None:
    with pytest.raises(ValueError, match="engine must be 'auto', 'numpy' or 'numba', got 'gpu'"):
        shingle_hashes(["a"], engine="gpu")  # type: ignore[arg-type]
