from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textdedup.segment import resolve_mode, segment, sentence_bounds


def test_fixture_is_line_mode(article: str) -> None:
    blocks = segment(article)
    assert resolve_mode(article) == "line"
    assert len(blocks) == 19
    assert [(b.line_start, b.line_end) for b in blocks[:2]] == [(1, 1), (2, 2)]


def test_paragraphs_keep_their_lines() -> None:
    text = "\nfirst line\nsecond line\n\n   \nthird\n"
    blocks = segment(text)
    assert [(b.text, b.line_start, b.line_end) for b in blocks] == [
        ("first line\nsecond line", 2, 3),
        ("third", 6, 6),
    ]
    assert all(text[b.start : b.end] == b.text for b in blocks)


def test_sentences() -> None:
    text = "One sentence. Another one!\n\n第一句。第二句？"
    assert [b.text for b in segment(text, "sentence")] == [
        "One sentence.",
        "Another one!",
        "第一句。",
        "第二句？",
    ]


def test_unknown_mode() -> None:
    with pytest.raises(ValueError, match="mode must be one of auto, paragraph, line, sentence"):
        segment("x", "words")  # type: ignore[arg-type]


@given(st.text(alphabet="ab .\n\t。"), st.sampled_from(["auto", "paragraph", "line", "sentence"]))
def test_spans_are_exact_and_ordered(text: str, mode: str) -> None:
    blocks = segment(text, mode)  # type: ignore[arg-type]
    for b in blocks:
        assert text[b.start : b.end] == b.text == b.text.strip()
        assert b.line_start == text.count("\n", 0, b.start) + 1
        assert b.line_end == text.count("\n", 0, b.end - 1) + 1
    assert all(a.end <= b.start for a, b in itertools.pairwise(blocks))
    assert all(a < b for a, b in sentence_bounds(text))


@pytest.mark.parametrize("count", [3, 64, 65, 300])
def test_line_numbers_counted_or_indexed_agree(count: int) -> None:
    # Up to 64 blocks, lines are counted with str.count; past that, LineIndex finds them.
    text = "".join(f"block {i}\nstill {i}\n" + "\n" * (i % 3) for i in range(count))
    for mode in ("paragraph", "line"):
        blocks = segment(text, mode)  # type: ignore[arg-type]
        for b in blocks:
            assert b.line_start == text.count("\n", 0, b.start) + 1
            assert b.line_end == text.count("\n", 0, b.end - 1) + 1
