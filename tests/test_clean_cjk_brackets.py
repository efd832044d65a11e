"""A copy glued after itself takes its own opening bracket with it in every script: 【お知らせ】S
【お知らせ】S left a dangling 【 (try7 C2), as the book-title marks, full-width square brackets and tortoise
shell brackets did."""

from __future__ import annotations

import pytest

from textdedup import clean

_NOTICE = "本日の営業は午後六時までとなります。ご来店のお客様にはご不便をおかけしますが、よろしくお願いいたします。"


@pytest.mark.parametrize(
    ("opener", "closer"),
    [("【", "】"), ("《", "》"), ("［", "］"), ("〔", "〕"), ("〈", "〉"), ("〖", "〗")],
)
def test_the_copys_opening_bracket_goes_with_it(opener: str, closer: str) -> None:
    once = f"{opener}お知らせ{closer}{_NOTICE}"
    result = clean(f"{once}{once}\n")
    assert result.text == f"{once}\n"
    assert len(result.removals) == 1
