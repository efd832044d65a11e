"""Properties of clean() that must hold for any input."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import CleanConfig, clean, normalize, normalize_key
from textdedup.normalize import NormalizeConfig

WORDS = st.sampled_from(
    [
        "the",
        "a",
        "of",
        "market",
        "price",
        "rose",
        "fell",
        "市场",
        "价格",
        "рынок",
        "цена",
        "سوق",
        "سعر",
        "data",
        "text",
        "2024",
        "ok",
    ]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=14).map(" ".join)
LINE = st.one_of(SENTENCE, st.text(max_size=40))
DOC = st.lists(LINE, max_size=12).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(DOC)
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean(text).text
    assert clean(once).text == once


@settings(max_examples=150, deadline=None)
@given(DOC)
def test_output_is_never_longer_than_the_normalized_input(text: str) -> None:
    out = clean(text).text
    # (clean keeps a document's own runs of up to two blank lines: see _finish)
    assert len(out) <= len(normalize(text, NormalizeConfig(max_blank_lines=2)))
    if unicodedata.is_normalized("NFC", text):
        assert len(out) <= len(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCE, max_size=10), st.data())
def test_blocks_without_a_duplicate_survive(lines: list[str], data: st.DataObject) -> None:
    # Make some lines unique, repeat others, and check every unique one survives as is.
    uniques = [f"unique line {i} {line}" for i, line in enumerate(lines)]
    repeated = data.draw(st.lists(st.sampled_from(uniques), max_size=5)) if uniques else []
    text = "\n".join(uniques + repeated) + "\n"
    out_lines = clean(text, config=CleanConfig(near=False)).text.splitlines()
    for line in uniques:
        # Every line survives in at least one copy, exactly as normalized.
        assert normalize(line).strip() in out_lines


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCE, max_size=10, unique_by=normalize_key))
def test_text_without_repetition_comes_back_normalized(lines: list[str]) -> None:
    text = "\n".join(f"line {i}: {line}" for i, line in enumerate(lines)) + "\n"
    result = clean(text, config=CleanConfig(near=False))
    assert result.text == normalize(text)
    assert result.removals == ()


@settings(max_examples=100, deadline=None)
@given(DOC)
def test_clean_is_deterministic(text: str) -> None:
    assert clean(text) == clean(text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(SENTENCE, min_size=3, max_size=10),
    st.sampled_from(["\n", "\n\n"]),
    st.data(),
)
def test_a_block_repeated_in_isolation_is_kept(
    sentences: list[str], sep: str, data: st.DataObject
) -> None:
    # Distinct blocks (each holds its own number), then one of them again somewhere
    # not next to itself: that is structure, and the document comes back unchanged.
    blocks = [f"block {i}: {s}" for i, s in enumerate(sentences)]
    k = data.draw(st.integers(0, len(blocks) - 1))
    where = data.draw(st.sampled_from([p for p in range(len(blocks) + 1) if p not in (k, k + 1)]))
    doc = [*blocks[:where], blocks[k], *blocks[where:]]
    text = sep.join(doc) + "\n"
    result = clean(text)
    assert result.text == normalize(text)
    assert result.removals == ()
