"""A flattened list glued after itself: the copy's bullet goes with the copy (try7 C1: "✅",
"[*]", "•", an en dash were left at the seam), and a bullet is taken only when the original opens
with the same one."""

from __future__ import annotations

import pytest

from textdedup import clean

_ITEM = (
    "The ferry to the island leaves from the north pier every hour between eight and six. "
    "Tickets are sold at the harbour office."
)


@pytest.mark.parametrize("bullet", ["✅ ", "[*]", "• ", "– ", "▶ "])
def test_the_copys_bullet_goes_with_it(bullet: str) -> None:
    once = f"{bullet}{_ITEM}"
    result = clean(f"Tour details: {once} {once}\n")
    assert result.text == f"Tour details: {once}\n"
    assert len(result.removals) == 1


def test_the_next_item_keeps_its_bullet() -> None:
    text = f"Key facts: • {_ITEM} • {_ITEM} • Bikes travel free on every crossing.\n"
    assert clean(text).text == f"Key facts: • {_ITEM} • Bikes travel free on every crossing.\n"


def test_another_mark_before_the_copy_stays() -> None:
    # The original opens with no bullet: the en dash before the copy is the text's own dash.
    text = f"{_ITEM} – {_ITEM}\n"
    assert "–" in clean(text).text


@pytest.mark.parametrize("bullet", ["◆", "☑", "➤", "★", "🔹", "◦"])
def test_a_bullet_opening_the_text_and_its_copy(bullet: str) -> None:
    # The original's bullet opens the text (no character before it): a new user's try8.
    once = f"{bullet} {_ITEM}"
    result = clean(f"{once} {once}\n")
    assert result.text == f"{once}\n"
