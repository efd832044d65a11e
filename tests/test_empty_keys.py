"""Texts of invisible characters only are empty after normalization: the empty key."""

from __future__ import annotations

import pytest

import textdedup
from textdedup.normalize import normalize, normalize_key, normalize_keys_utf8


@pytest.mark.parametrize("text", ["\u200b", "\u200b\u200b", "\ufeff", "\u00ad", "\u2060\u200d"])
def test_invisible_only_texts_have_the_empty_key(text: str) -> None:
    assert normalize_key(text) == ""
    assert normalize_keys_utf8([text, "plain"]) == [b"", b"plain"]


@pytest.mark.parametrize("text", ["* * *", "…", "---", "§", "😀"])
def test_visible_marks_keep_their_key(text: str) -> None:
    assert normalize_key(text) != ""
    # Invisible characters around them do not make another key (a new user's find).
    assert normalize_key(f"\u200b{text}") == normalize_key(f"{text}\u00ad") == normalize_key(text)


def test_invisible_only_records_are_exact_copies_of_the_empty_one() -> None:
    texts = ["", " ", "\u200b", "\u200b\u200b", "real text here"]
    assert {normalize(t) for t in texts[:4]} == {""}
    out = list(textdedup.dedup_records(texts))
    assert [d.kept for d in out] == [True, False, False, False, True]
    assert [d.reason for d in out[1:4]] == ["exact"] * 3
