from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import KeyConfig, NormalizeConfig, normalize, normalize_key
from textdedup.normalize import CLEANING_STEPS, key_with_offsets


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("a\r\nb\rc\u2028d", "a\nb\nc\nd"),
        ("a\u00a0b\u2009c\u202fd", "a b c d"),
        ("zero\u200bwidth\u2060\ufeff\x07", "zerowidth"),
        ("keep\u200djoiner and \u200fmark", "keep\u200djoiner and \u200fmark"),
        ("full\u3000width", "full\u3000width"),
        ("trailing  \t\nspace ", "trailing\nspace"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("\n\n  \nbody\n\n\n", "body\n"),
        ("e\u0301", "\u00e9"),
    ],
)
def test_cleaning_steps(text: str, want: str) -> None:
    assert normalize(text) == want


def test_each_step_is_a_config_field_and_can_be_turned_off() -> None:
    fields = {f.name for f in dataclasses.fields(NormalizeConfig)}
    assert set(CLEANING_STEPS) <= fields
    config = NormalizeConfig(line_endings=False, blank_lines=False, edge_blank_lines=False)
    assert normalize("a\r\n\n\n\nb", config) == "a\r\n\n\n\nb"


def test_line_preserving_steps_keep_line_numbers() -> None:
    text = "one\r\ntwo\u2028three\n\n\n\nfour\n"
    out = normalize(text, NormalizeConfig().line_preserving())
    assert len(out.splitlines()) == len(text.splitlines())


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("\u201cHello,\u201d  she said \u2014 WORLD!", "hello she said world"),
        ("\u2018foreign supply\u2019", "foreign supply"),
        ("ＦＵＬＬ width", "full width"),
        ("Straße", "strasse"),
        ("今天天气很好。", "今天天气很好"),
        ("Привет, МИР!", "привет мир"),
        ("مرحبا بالعالم!", "مرحبا بالعالم"),
        ("* * *", "* * *"),
        ("...", "..."),
    ],
)
def test_keys(text: str, want: str) -> None:
    assert normalize_key(text) == want


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_key_is_never_empty_for_visible_text(text: str) -> None:
    key = normalize_key(text)
    if text.strip() and any(c.isalnum() for c in text):
        assert key.strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"])))
def test_key_offsets_point_at_the_source(text: str) -> None:
    key, offsets = key_with_offsets(text)
    assert offsets.size == len(key) + 1
    assert list(offsets) == sorted(offsets)
    table_key = normalize_key(text, KeyConfig())
    if table_key and any(c.isalnum() for c in text):
        assert key == table_key


def test_bytes_are_refused_with_advice() -> None:
    with pytest.raises(TypeError, match=r"expected str, got bytes: decode it first"):
        normalize(b"abc")  # type: ignore[arg-type]
