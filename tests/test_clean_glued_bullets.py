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
    # The original opens with another bullet, and more than the mark stands between the
    # copies: the en dash before the copy is the text's own dash.
    text = f"• {_ITEM} Bikes travel free. – {_ITEM}\n"
    assert "–" in clean(text).text


def test_a_mark_alone_between_the_copies_goes_with_the_copy() -> None:
    # Session 8: the dash is all that stands between the copies, a separator of glued
    # copies (as " ▶ ", " | ", " / "): "S, en dash, S" is S (before, nothing was removed).
    assert clean(f"{_ITEM} – {_ITEM}\n").text == f"{_ITEM}\n"


@pytest.mark.parametrize("bullet", ["◆", "☑", "➤", "★", "🔹", "◦"])
def test_a_bullet_opening_the_text_and_its_copy(bullet: str) -> None:
    # The original's bullet opens the text (no character before it): a new user's try8.
    once = f"{bullet} {_ITEM}"
    result = clean(f"{once} {once}\n")
    assert result.text == f"{once}\n"
