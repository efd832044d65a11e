"""clean()'s screen is exact: a text it passes comes out as the full search leaves it.

``clean`` first asks whether the search could find anything (no two blocks with the
same identity key, no pair of long blocks passing the ratio screen, no repeated span;
see ``textdedup.clean._unrepeated_blocks``) and, when it cannot, returns the
normalized text without building the cleaner. Here every result of ``clean`` is
compared with the full search run on the same text (``full_clean``, which never
screens), on corpus records (where the screen passes nearly always), on the clean
benchmark's documents and the shared cases (where it mostly does not), and on
hypothesis texts made to sit on the screen's edges: blocks repeated exactly, repeated
with one word changed, spans repeated inside paragraphs, long and short blocks. The
ASCII fast paths of two normalization steps are checked against their regexes, and the
pipeline's reuse of the screen's blocks against segmenting the output again. The screen's
shortcuts are checked on their own: the key text it joins from its blocks' keys equals
``key_text`` of the whole text, cached keys equal fresh ones, and on ASCII text two
texts with one identity key have one comparison key (why identity keys may be skipped).
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from textdedup import CleanConfig, CleanResult, clean
from textdedup.config import DedupConfig
from textdedup.normalize import normalize, normalize_key
from textdedup.pipeline import _text_items
from textdedup.segment import resolve_mode, segment
from textdedup.synthetic import overlapping_corpus
from textdedup.windows import unit_blocks

cleaner = importlib.import_module("textdedup.clean")
normalizer = importlib.import_module("textdedup.normalize")

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

CONFIGS = {
    "default": CleanConfig(),
    "paragraph": CleanConfig(blocks="paragraph"),
    "line": CleanConfig(blocks="line"),
    "sentence": CleanConfig(blocks="sentence"),
    "exact": CleanConfig(near=False, min_span=5, min_copy=10, min_copy_span=8),
    "no-spans": CleanConfig(min_span=0),
    "loose": CleanConfig(threshold=0.5, isolated="remove", keep="last"),
    "short": CleanConfig(min_length=5, threshold=0.8),
    "blocks-exact": CleanConfig(near=False, min_span=0),
}


def full_clean(text: str, config: CleanConfig) -> CleanResult:
    """``clean`` without the screen: the whole search on every text."""
    source = normalize(text, config.normalize.line_preserving())
    run = cleaner._Cleaner(source, config).run
    result: CleanResult = run(ends_with_newline=text.endswith(("\n", "\r")))
    return result


def screened(text: str, config: CleanConfig) -> bool:
    """Whether the screen passed ``text`` (nothing to search for)."""
    source = normalize(text, config.normalize.line_preserving())
    blocks = segment(source, resolve_mode(source, config.blocks))
    if cleaner._unrepeated_blocks(blocks, config) is None:
        return False
    return not (config.min_span and cleaner._find_repeats(source, config))


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCH))  # clean_corpus imports its neighbour index_units
    try:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(BENCH))
    return mod


@pytest.fixture(scope="module")
def records() -> list[str]:
    """Corpus records: issue #12's overlapping corpus and scraped-style records, half doubled."""
    texts = [r["text"] for r in overlapping_corpus(60, seed=5).records]
    corpus = _load("clean_corpus").iter_corpus(40, seed=5, doubled=0.5)
    texts += [text for _, text, _, _ in corpus]
    # Layout the normalization changes: CRLF, trailing spaces and tabs, a final newline.
    texts += [t.replace("\n", " \r\n") + "\n" for t in texts[::9]]
    texts += [t.replace(". ", ".\t\n", 2) for t in texts[1::9]]
    return texts


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_screen_is_exact_on_corpus_records(records: list[str], name: str) -> None:
    config = CONFIGS[name]
    passed = 0
    for text in records:
        assert clean(text, config=config) == full_clean(text, config), text[:80]
        passed += screened(text, config)
    # The screen is what makes a record cheap: it passes most records (the
    # overlapping corpus repeats nothing inside a record), not all (half the
    # scraped-style records have their body pasted twice).
    assert len(records) // 2 < passed < len(records)


def test_screen_passes_the_unrepeated_and_stops_the_doubled() -> None:
    corpus = list(_load("clean_corpus").iter_corpus(60, seed=11, doubled=0.5))
    for _, text, expected, kind in corpus:
        assert screened(text, CleanConfig()) == (kind == "single"), kind
        assert clean(text).text == expected


def test_screen_is_exact_on_benchmark_documents_and_cases() -> None:
    docs = [d.text for d in _load("clean_quality").generate(20, 7)]
    docs += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "cases").glob("*/*.txt"))]
    docs += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "fixtures").glob("*.txt"))]
    assert len(docs) > 20
    for name in ("default", "line", "loose"):
        config = CONFIGS[name]
        for text in docs:
            assert clean(text, config=config) == full_clean(text, config), (name, text[:80])


_WORDS = ["market", "price", "rose", "fell", "data", "ok", "river", "bank", "north", "south"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Blocks from a small pool, some repeated exactly or with a word changed."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    pool = [
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 30))) + rng.choice(".!?")
        for _ in range(draw(st.integers(1, 8)))
    ]
    blocks = []
    for _ in range(draw(st.integers(0, 12))):
        block = rng.choice(pool)
        edit = rng.random()
        if edit < 0.2:  # a near copy: one word changed
            words = block.split()
            words[rng.randrange(len(words))] = rng.choice(_WORDS)
            block = " ".join(words)
        elif edit < 0.4:  # a near copy that only case or punctuation tells apart
            block = rng.choice([block.upper(), block[:-1] + ";", block.replace(" ", ", ", 1)])
        if rng.random() < 0.2:  # two blocks glued into one paragraph
            block += " " + rng.choice(pool)
        blocks.append(block)
    seps = ["\n\n", "\n\n", "\n\n", "\n", " \n\n", "\r\n\r\n", "\n\n\n"]
    text = "".join(b + rng.choice(seps) for b in blocks)
    return text if draw(st.booleans()) else text.rstrip()


@settings(max_examples=120, deadline=None)
@given(texts(), st.sampled_from(sorted(CONFIGS)))
def test_screen_is_exact_on_generated_texts(text: str, name: str) -> None:
    config = CONFIGS[name]
    assert clean(text, config=config) == full_clean(text, config)


@st.composite
def near_pairs(draw: st.DrawFn) -> str:
    """Unique blocks around one block and an edited copy of it, too short for a span.

    The copies sit on the ratio screen's edge: some verify as near duplicates, some
    just miss, and some are long enough to count (``min_length``) while others are not.
    """
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    block = " ".join(rng.choice(_WORDS) for _ in range(draw(st.integers(3, 18)))) + "."
    words = block.split()
    for _ in range(draw(st.integers(0, 3))):
        words[rng.randrange(len(words))] = rng.choice(_WORDS)
    copy = " ".join(words)
    # Case, punctuation, or a length of its own (the ratio screen's length bound).
    copy = rng.choice(
        [
            copy,
            copy.upper(),
            copy[:-1] + "!",
            copy.replace(" ", ", ", 2),
            copy[:-1] + " " + " ".join(rng.choices(_WORDS, k=rng.randint(1, 4))) + ".",
            " ".join(copy.split()[: -rng.randint(1, 3)]) + ".",
        ]
    )
    filler = [f"Filler number {k} says something else entirely." for k in range(6)]
    before = draw(st.integers(0, 3))
    between = draw(st.integers(0, 3))
    blocks = [*filler[:before], block, *filler[3 : 3 + between], copy]
    return "\n\n".join(blocks)


@settings(max_examples=120, deadline=None)
@given(near_pairs(), st.sampled_from(["default", "no-spans", "short", "loose", "line"]))
def test_screen_is_exact_on_near_pairs(text: str, name: str) -> None:
    config = CONFIGS[name]
    assert clean(text, config=config) == full_clean(text, config)


_ASCII = st.text(st.sampled_from(list("ab .\t\x0b\x0c\r\n\x1c\x1d\x1e\x1f")), max_size=30)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_ASCII, st.text(max_size=30)))
def test_ascii_fast_paths_match_the_regexes(text: str) -> None:
    assert normalizer.trailing_whitespace(text) == normalizer._TRAILING.sub("", text)
    assert normalizer.line_endings(text) == normalizer._LINE_BREAK.sub("\n", text)


@pytest.mark.parametrize("unit", ["paragraph", "line", "sentence", "window"])
def test_block_items_reuse_the_screens_blocks(records: list[str], unit: str) -> None:
    """The items are those of the cleaned text segmented again by the unit."""
    config = DedupConfig(level=unit)
    for text in records[::3]:
        found = _text_items(text, config)
        blocks = unit_blocks(found.text, unit)
        assert found.blocks == blocks
        keys = [normalize_key(b.text, config.key) for b in blocks]
        assert found.items == [
            (b, key, len(block.text))
            for b, (block, key) in enumerate(zip(blocks, keys, strict=True))
            if len(key) >= config.min_length
        ]


@settings(max_examples=500, deadline=None)
@given(st.text(min_size=1, max_size=60), st.text(min_size=1, max_size=60))
def test_the_length_bound_of_the_ratio_screen_holds(a: str, b: str) -> None:
    """rapidfuzz's ratio never exceeds the bound the screen skips pairs by."""
    bound = 200.0 * min(len(a), len(b)) / (len(a) + len(b))
    assert fuzz.ratio(a, b) <= bound + 1e-6


_KEY_TEXTS = st.lists(
    st.one_of(
        st.sampled_from(
            ["* * *", "---", "...", "Ok.", "今天很好。明天也好。", "A\u00a0b", "ﬁne", "x"]
        ),
        st.text(st.sampled_from(list("aB9 .,;*-'`\"\u00e9\u3002\t")), min_size=1, max_size=25),
    ),
    max_size=8,
)
_KEY_CONFIG_NAMES = ["default", "sentence", "line", "short"]


@settings(max_examples=300, deadline=None)
@given(
    _KEY_TEXTS,
    st.sampled_from(["\n\n", "\n", " "]),
    st.sampled_from(_KEY_CONFIG_NAMES),
    st.sampled_from(["default", "no-punctuation", "no-whitespace"]),
)
def test_screen_key_text_is_the_texts(parts: list[str], sep: str, name: str, key: str) -> None:
    """The key text the screen joins from its blocks' keys is key_text of the whole text."""
    from dataclasses import replace

    from textdedup.normalize import KeyConfig, key_text

    keys = {
        "default": KeyConfig(),
        "no-punctuation": KeyConfig(punctuation=False),
        "no-whitespace": KeyConfig(whitespace=False),
    }
    config = replace(CONFIGS[name], key=keys[key])
    source = normalize(sep.join(parts), config.normalize.line_preserving())
    blocks = segment(source, resolve_mode(source, config.blocks))
    for _ in range(2):  # the second time from the cache of block keys
        screen = cleaner._screen_blocks(blocks, config)
        if screen is None:
            assert len(blocks) > 1  # two blocks the block stage may act on
            continue
        assert screen.keys == [normalize_key(b.text, config.key) for b in blocks]
        if screen.keytext is not None:
            assert screen.keytext == key_text(source, config.key)


def test_screen_key_text_joins_the_blocks_keys() -> None:
    text = "First Paragraph, here.\n\n* * *\n\nSecond one!\n"
    config = CONFIGS["default"]
    blocks = segment(text, "paragraph")
    screen = cleaner._screen_blocks(blocks, config)
    assert screen is not None
    assert screen.keys == ["first paragraph here", "* * *", "second one"]
    assert screen.keytext == "first paragraph here second one"
    # Sentences of a CJK text touch (no gap): the joined key is not used there.
    blocks = segment("今天很好。明天也好。", "sentence")
    assert len(blocks) == 2
    screen = cleaner._screen_blocks(blocks, CONFIGS["sentence"])
    assert screen is not None and screen.keytext is None


@st.composite
def identity_twins(draw: st.DrawFn) -> tuple[str, str]:
    """Two ASCII texts with one identity key: whitespace, backticks and controls differ."""
    words = draw(st.lists(st.text(st.sampled_from(list("aZ9'`.,-*\"$")), min_size=1), max_size=6))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))

    def variant() -> str:
        out = []
        for word in words:
            word = "".join(rng.choice("'`") if c in "'`" else c for c in word)
            if rng.random() < 0.3:
                word = word[:1] + rng.choice("\x00\x07\x1b\x7f") + word[1:]
            out.append(word)
        seps = [rng.choice([" ", "  ", "\n", "\t ", " \x1c"]) for _ in out]
        return rng.choice(["", " ", "\n"]) + "".join(w + s for w, s in zip(out, seps, strict=True))

    return variant(), variant()


@settings(max_examples=400, deadline=None)
@given(identity_twins(), st.sampled_from(["default", "no-punctuation", "no-casefold"]))
def test_on_ascii_the_key_is_a_function_of_the_identity_key(
    twins: tuple[str, str], name: str
) -> None:
    """Why the screen may skip identity keys (see _screen_blocks): same identity, same key."""
    from textdedup.normalize import KeyConfig, identity_key, key_text_and_key

    key = {
        "default": KeyConfig(),
        "no-punctuation": KeyConfig(punctuation=False),
        "no-casefold": KeyConfig(casefold=False, dashes=False, nfkc=False),
    }[name]
    a, b = twins
    assert identity_key(a) == identity_key(b)
    (text_a, key_a), (text_b, key_b) = key_text_and_key(a, key), key_text_and_key(b, key)
    if text_a and text_b:  # neither is a text of punctuation alone
        assert key_a == key_b
