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


def _key_reference(text: str, config: KeyConfig) -> str:
    """normalize_key as first written: the per-character table, then a regular expression."""
    import re
    import unicodedata

    from textdedup.normalize import _table

    key = text.translate(_table(config))
    if config.whitespace:
        key = re.sub(" {2,}", " ", key).strip()
    if not key and not text.isspace() and text:
        visible = "".join(c for c in text.casefold() if unicodedata.category(c) not in ("Cf", "Cc"))
        key = " ".join(visible.split())  # invisible characters dropped
    return key


_KEY_CONFIGS = st.builds(
    KeyConfig,
    nfkc=st.booleans(),
    casefold=st.booleans(),
    quotes=st.booleans(),
    dashes=st.booleans(),
    punctuation=st.booleans(),
    whitespace=st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.characters(max_codepoint=127)),  # the ASCII fast path
        st.text(alphabet=st.characters(max_codepoint=127)).map(lambda t: t + "\u00a0\u2019é"),
        st.text(),
        st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u3000\x00\x07\x7f,.-a"),
    ),
    _KEY_CONFIGS,
)
def test_key_fast_paths_equal_the_reference(text: str, config: KeyConfig) -> None:
    # The ASCII path (bytes.translate) and the split-and-join space collapse give the
    # key the per-character table and a regular expression give, for every config.
    assert normalize_key(text, config) == _key_reference(text, config)
    assert normalize_key(text) == _key_reference(text, KeyConfig())


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.characters(max_codepoint=127)),
        st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x00\x07\x7f,.-'`\"aZ9"),
    ),
    _KEY_CONFIGS,
)
def test_compiled_ascii_key_equals_the_python_path(text: str, config: KeyConfig) -> None:
    # normalize_key switches its ASCII path to a compiled pass once numba is loaded
    # (or after COMPILED_KEY_AFTER_CHARS characters): the same key, byte for byte.
    import sys

    from textdedup import _kernel

    module = sys.modules["textdedup.normalize"]
    saved = list(module._KEY_KERNEL)
    try:
        module._KEY_KERNEL[:] = [None]  # Python: bytes.translate and split
        python = normalize_key(text, config)
        module._KEY_KERNEL[:] = [_kernel]  # the compiled pass
        compiled = normalize_key(text, config)
    finally:
        module._KEY_KERNEL[:] = saved
    assert compiled == python == _key_reference(text, config)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x00\x07\x7f,.-'`\"aZ9"),
            st.text(alphabet=st.characters(max_codepoint=127)),
            st.text(),
        ),
        max_size=8,
    ),
    _KEY_CONFIGS,
)
def test_batched_keys_equal_one_by_one(texts: list[str], config: KeyConfig) -> None:
    # normalize_keys_utf8 takes the ASCII texts of a batch through one compiled call.
    import sys

    from textdedup import _kernel
    from textdedup.normalize import normalize_keys_utf8

    module = sys.modules["textdedup.normalize"]
    saved = list(module._KEY_KERNEL)
    want = [_key_reference(t, config).encode("utf-8", "surrogatepass") for t in texts]
    try:
        for kernel in (None, _kernel):
            module._KEY_KERNEL[:] = [kernel]
            assert normalize_keys_utf8(texts, config) == want
    finally:
        module._KEY_KERNEL[:] = saved


def test_compiled_ascii_key_takes_over_after_the_threshold() -> None:
    import sys

    module = sys.modules["textdedup.normalize"]
    saved_kernel, saved_chars = list(module._KEY_KERNEL), list(module._KEY_CHARS)
    try:
        module._KEY_KERNEL.clear()
        module._KEY_CHARS[:] = [0]
        text = "Hello,  World! " * 1000
        want = _key_reference(text, KeyConfig())
        seen = []
        for _ in range(module.COMPILED_KEY_AFTER_CHARS // len(text) + 2):
            assert normalize_key(text) == want
            seen.append(bool(module._KEY_KERNEL))
        # numba may be loaded already by an earlier test: then the switch is at once.
        assert seen[-1] and seen[-2]
    finally:
        module._KEY_KERNEL[:] = saved_kernel
        module._KEY_CHARS[:] = saved_chars


_ASCII_STEP_TEXT = st.text(
    alphabet=st.sampled_from(["a", "b", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x00", "\x1f"]),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(_ASCII_STEP_TEXT)
def test_ascii_fast_paths_equal_the_regexes(text: str) -> None:
    # invisible() and trailing_whitespace() skip or replace their regex on ASCII text
    # (bytes.translate; a few plain searches that prove the regex would change nothing).
    from textdedup.normalize import _INVISIBLE, _TRAILING, invisible, trailing_whitespace

    assert invisible(text) == _INVISIBLE.sub("", text)
    assert trailing_whitespace(text) == _TRAILING.sub("", text)
    for line in ("x \ny", "x\t\ny", "x \r\ny", "x ", "x\n \n", "x\x0c"):
        assert trailing_whitespace(line) == _TRAILING.sub("", line) != line
    assert invisible("a\x00b\x7f") == "ab"


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.characters(max_codepoint=127)),
        st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x00\x07\x7f,.-'`\"aZ9"),
        st.text(),
    ),
    _KEY_CONFIGS,
)
def test_key_text_ascii_path_equals_the_table(text: str, config: KeyConfig) -> None:
    # key_text takes ASCII text through bytes.translate and split-and-join: the same
    # key as the per-character table with the space-run regex, and as key_with_offsets.
    from textdedup.normalize import _SPACE_RUN, _table, key_text

    want = text.translate(_table(config))
    if config.whitespace:
        want = _SPACE_RUN.sub(" ", want).strip(" ")
    assert key_text(text, config) == want == key_with_offsets(text, config)[0]


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.characters(max_codepoint=127)),
        st.text(alphabet=" \t\n\x0b\x1c\x1f\x00\x7f,.-'`*\"aZ9"),
        st.text(),
    ),
    _KEY_CONFIGS,
)
def test_key_text_and_key_equal_the_two_functions(text: str, config: KeyConfig) -> None:
    from textdedup.normalize import key_text, key_text_and_key

    assert key_text_and_key(text, config) == (key_text(text, config), normalize_key(text, config))
