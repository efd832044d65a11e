"""Session 7's speed paths of clean() give what the plain ways give.

Each cached or narrowed computation is checked against the obviously-correct way it
replaces, on seeded random texts (hypothesis) with the characters that matter: sentence
marks, closing quotes, Thai letters (the stop between two Thai phrases), CJK full stops.
"""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup.normalize import key_text

clean_module = importlib.import_module("textdedup.clean")

PIECES = st.sampled_from(
    [
        "word",
        "Word",
        " ",
        "\n",
        ".",
        "!",
        "?",
        "\u2026",
        '"',
        "\u201d",
        ")",
        ",",
        "**",
        "1.",
        "4.2",
        "<p>",
        "\u3002",
        "\u0e20\u0e32\u0e29\u0e32",  # Thai
        " \u0e44\u0e17\u0e22",
        "\u0440\u044b\u043d\u043e\u043a",
        "\u5e02\u573a",
    ]
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


def _plain_stops(src: str, start: int, end: int) -> list[tuple[int, int]]:
    """clean._stops with the full pattern always (as before session 7)."""
    out = []
    for m in clean_module._STOP.finditer(src, start, end):
        line = src.rfind("\n", 0, m.start()) + 1
        if m.group() == "." and clean_module._LIST_NUMBER.fullmatch(src, line, m.start()):
            continue
        if m.start() == line or (src[m.start() - 1] in " \t" and not src[line : m.start()].strip()):
            continue
        out.append(m.span())
    return out


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_stops_match_the_full_pattern(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    got = [m.span() for m in clean_module._stops(text, start, end)]
    assert got == _plain_stops(text, start, end)
    assert [m.span() for m in clean_module._stops(text, 0, len(text))] == _plain_stops(
        text, 0, len(text)
    )


def test_stops_between_thai_phrases_are_found_from_inside_a_range() -> None:
    # The Thai stop is zero-width after a Thai letter: a range starting right after the
    # letter must still see it (the narrowed pattern would miss it).
    text = "\u0e20\u0e32\u0e29\u0e32 \u0e44\u0e17\u0e22 ok. Next"
    at = text.index(" ")
    assert next(m.span() for m in clean_module._stops(text, at, len(text))) == (at, at)
    assert _plain_stops(text, at, len(text))[0] == (at, at)


WORDS = st.sampled_from(["the", "Market", "price", "rose", "fell", "рынок", "ok`", "4.2", "“q”"])
LINE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=6), st.lists(st.integers(0, 5), max_size=40))
def test_screen_hands_the_keys_the_cleaner_would_make(pool: list[str], picks: list[int]) -> None:
    text = "\n".join(pool[k % len(pool)] for k in picks) or pool[0]
    config = clean_module.CleanConfig()
    blocks = clean_module.segment(text, "line")
    keyed: dict[str, tuple[str, str]] = {}
    clean_module._screen_blocks(blocks, config, keyed=keyed)
    handed = clean_module._Cleaner(
        text, config, segmented=("line", blocks), repeats=[], keyed=dict(keyed)
    )
    plain = clean_module._Cleaner(text, config, segmented=("line", blocks), repeats=[])
    assert handed.keys == plain.keys
    assert handed.ikeys == plain.ikeys
    for block_text, (key, ikey) in keyed.items():
        assert key == clean_module.normalize_key(block_text, config.key)
        assert ikey == clean_module.identity_key(block_text)


def test_identity_key_of_shares_the_text_when_equal() -> None:
    text = "plain words, kept as they are"
    assert clean_module._identity_key_of(text) is text
    assert clean_module._identity_key_of("a  `b`") == clean_module.identity_key("a  `b`")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(LINE, min_size=2, max_size=6), st.lists(st.integers(0, 5), min_size=60, max_size=120)
)
def test_find_repeats_remakes_its_key_text_from_the_codes(
    pool: list[str], picks: list[int]
) -> None:
    # Over _COMPILED_MIN key characters, find_repeats drops the key text it made during
    # the suffix array and makes it again from the codes: the same repeats as with the
    # key text handed in (kept all along). The bound is lowered so the texts stay small.
    repeats_module = importlib.import_module("textdedup.repeats")
    text = "\n".join(pool[k % len(pool)] + " and so on again" for k in picks)
    given_key = key_text(text)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(repeats_module, "_COMPILED_MIN", 256)
        made = repeats_module.find_repeats(text, min_words=6)
        handed = repeats_module.find_repeats(text, min_words=6, keytext=given_key)
    assert made == handed
