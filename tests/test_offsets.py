"""Offsets of clean's source and output mapped back to the input as written."""

from __future__ import annotations

import random

from hypothesis import example, given, settings
from hypothesis import strategies as st

from textdedup import CleanConfig, clean
from textdedup.normalize import NormalizeConfig, normalize
from textdedup.offsets import InputOffsets, OffsetMap

P = "A paragraph long enough to be a block of its own, with words in it."
Q = "Another paragraph, also long enough, that follows the first one here."
LP = NormalizeConfig().line_preserving()


def test_identity_and_simple_edits() -> None:
    m = OffsetMap.identity(5)
    assert m.span(1, 4) == (1, 4)
    m = OffsetMap.between("ab\r\ncd", "ab\ncd")
    assert m.span(3, 5) == (4, 6)
    m = OffsetMap.between("a\u00a0b", "a b")  # a same-length substitution stays paired
    assert m.span(0, 3) == (0, 3)
    m = OffsetMap.between("x\u200by", "xy")  # a removed character widens the span
    assert m.span(0, 2) == (0, 3)
    assert m.span(1, 2) == (2, 3)


def test_long_changed_lines_are_aligned_in_linear_time() -> None:
    old = ("word\u00a0" * 3000) + "\u200bend"
    new = ("word " * 3000) + "end"
    m = OffsetMap.between(old, new)
    assert m.span(len(new) - 3, len(new)) == (len(old) - 3, len(old))


def test_keep_last_maps_the_output_to_the_kept_copy_not_the_removed_one() -> None:
    text = f"Title\r\n\r\n{P}\r\n\r\n{Q}\r\n\r\n{P}\r\n\r\n{Q}\r\n"
    result = clean(text, config=CleanConfig(keep="last"))
    (removal,) = result.removals
    where = InputOffsets(text, result)
    kept_start, kept_end = where.from_source(removal.kept.start, removal.kept.end)
    start = result.text.index(P)
    a, b = where.from_output(start, start + len(P))
    assert text[a:b] == P
    assert kept_start <= a < b <= kept_end  # the later copy, which keep=last keeps
    first = InputOffsets(text, clean(text))
    a1, _ = first.from_output(start, start + len(P))
    assert a1 < a  # with keep=first, the first copy


def _doc(rng: random.Random) -> str:
    words = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "theta", "iota"]
    paras = [
        " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) + "."
        for _ in range(rng.randint(1, 4))
    ]
    if rng.random() < 0.5:
        paras += paras  # a doubled body
    noise = ["", "\u00a0", "\u200b", "  ", "e\u0301"]
    sep = rng.choice(["\n\n", "\r\n\r\n", "\n\n\n\n"])
    return sep.join(p.replace(" ", rng.choice(noise) + " ", 1) for p in paras) + rng.choice(
        ["", "\n", "\r\n"]
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
@example(280)  # a doubled body with changed lines: line k of the input is line k
def test_every_output_block_maps_to_input_text_that_normalizes_to_it(seed: int) -> None:
    text = _doc(random.Random(seed))
    result = clean(text, config=CleanConfig(blocks="paragraph"))
    where = InputOffsets(text, result)
    pos = 0
    for para in result.text.split("\n\n"):
        start = result.text.index(para, pos)
        pos = start + len(para)
        if not para.strip():
            continue
        a, b = where.from_output(start, pos)
        assert normalize(text[a:b], LP).split() == para.split()
    for r in result.removals:
        a, b = where.from_source(r.removed.start, r.removed.end)
        assert (
            normalize(text[a:b], LP).split()
            == result.source[r.removed.start : r.removed.end].split()
        )
