"""The fast paths of clean() give the same result as the full search.

``clean`` screens a document before its two costly searches (see
``textdedup.repeats._window_repeats`` and ``textdedup.clean._Cleaner._may_be_near``)
and finds each repeated piece's earlier copy without searching the whole text. Here
each fast path is checked against the slow, obviously-correct way: the screens
switched off, and the earlier copy found with ``str.find`` from the start.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import CleanConfig, CleanResult, clean
from textdedup.normalize import KeyConfig, key_text, key_with_offsets
from textdedup.repeats import Repeat, find_repeats

# The modules (textdedup.clean is also the name of the function the package exports).
clean_module = importlib.import_module("textdedup.clean")
repeats_module = importlib.import_module("textdedup.repeats")

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "clean_quality.py"
CASES = Path(__file__).resolve().parent.parent.parent / "shared" / "cases"
FIXTURE = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures"

WORDS = st.sampled_from(
    ["the", "market", "price", "rose", "fell", "市场", "рынок", "2024", "Data", "ok", "ﬁne"]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join).map(lambda s: s + ".")
SEP = st.sampled_from([" ", "\n", "\n\n", ". ", "<p>", "\n> "])


@st.composite
def repetitive(draw: st.DrawFn) -> str:
    """Text drawn from a few sentences, so long repeats (and near ones) are common."""
    pool = draw(st.lists(SENTENCE, min_size=1, max_size=5))
    parts = draw(st.lists(st.sampled_from(pool), max_size=30))
    seps = draw(st.lists(SEP, min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=True))


def _from_start(codes: np.ndarray, positions: list[int], width: int) -> list[int]:
    return [0] * len(positions)


def reference_repeats(
    text: str, *, min_words: int, max_gap: int = 32, key: KeyConfig | None = None
) -> list[Repeat]:
    """find_repeats the slow way: no window screen, every earlier copy searched from 0."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(repeats_module, "_SCREEN_MAX", -1)
        m.setattr(repeats_module, "_first_windows", _from_start)
        return as_tuples(text, min_words=min_words, max_gap=max_gap)


def as_tuples(text: str, **kwargs: int) -> list[Repeat]:
    # The whole repeats, their exact pieces included.
    return find_repeats(text, **kwargs)


@settings(max_examples=80, deadline=None)
@given(repetitive(), st.integers(1, 25), st.sampled_from([0, 32]))
def test_find_repeats_matches_the_reference(text: str, min_words: int, max_gap: int) -> None:
    assert as_tuples(text, min_words=min_words, max_gap=max_gap) == reference_repeats(
        text, min_words=min_words, max_gap=max_gap
    )


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=300), st.integers(1, 10))
def test_find_repeats_matches_the_reference_on_any_text(text: str, min_words: int) -> None:
    doubled = text + " " + text
    assert as_tuples(doubled, min_words=min_words) == reference_repeats(
        doubled, min_words=min_words
    )


def test_earlier_copy_is_the_first_occurrence_across_hash_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Small chunks: the first occurrence of a window is found in a later chunk than the
    # one holding the start of the text, and several pieces share one window.
    monkeypatch.setattr(repeats_module, "_CHUNK", 16)
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(40)]
    paras = [" ".join(rng.choice(words, 12)) + "." for _ in range(6)]
    text = "\n\n".join(paras[int(i)] for i in rng.integers(0, 6, 25))
    assert as_tuples(text, min_words=5) == reference_repeats(text, min_words=5)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_key_text_is_the_key_of_key_with_offsets(text: str) -> None:
    key, offsets = key_with_offsets(text)
    small_key, small = key_with_offsets(text, compact=True)
    assert key_text(text) == key == small_key
    assert offsets.dtype == np.int64 and small.dtype == np.int32
    assert offsets.tolist() == small.tolist()
    # Each key character comes from the source character at its offset.
    table = {}
    for ch in text:
        table[ch] = key_text(ch, KeyConfig(whitespace=False))
    spelled = [table[text[o]] for o in offsets[:-1].tolist()]
    assert all(k in s or k == " " for k, s in zip(key, spelled, strict=True))
    assert offsets[-1] == len(text)


# -- the screens on and off -----------------------------------------------------------


def full_path(text: str, config: CleanConfig, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(repeats_module, "_SCREEN_MAX", -1)
        m.setattr(repeats_module, "_first_windows", _from_start)
        m.setattr(clean_module, "_SCREEN_BLOCKS", -1)
        return _outcome(clean(text, config=config))


def _outcome(result: CleanResult) -> object:
    return (result.text, result.to_dict())


CONFIGS = [
    CleanConfig(),
    CleanConfig(blocks="line"),
    CleanConfig(blocks="paragraph", keep="last"),
    CleanConfig(threshold=0.5, isolated="remove"),
    CleanConfig(near=False, min_span=5, min_copy=10, min_copy_span=8),
]


@pytest.fixture(scope="module")
def bench_docs() -> list[str]:
    spec = importlib.util.spec_from_file_location("clean_quality", BENCH)
    assert spec is not None and spec.loader is not None
    mod: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules["clean_quality"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    docs = [d.text for d in mod.generate(30, 3)]
    docs += [p.read_text(encoding="utf-8") for p in sorted(CASES.glob("*/*.txt"))]
    docs += [p.read_text(encoding="utf-8") for p in sorted(FIXTURE.glob("*.txt"))]
    return docs


@pytest.mark.parametrize("config", CONFIGS[::2], ids=["default", "last", "exact"])
def test_screens_change_nothing_on_the_benchmark_documents(
    bench_docs: list[str], config: CleanConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    screened = 0
    for text in bench_docs:
        assert _outcome(clean(text, config=config)) == full_path(text, config, monkeypatch)
        screened += not repeats_module._window_repeats(repeats_module.key_text(text), 25)
    # The documents include ones the screen passes over (no repeat) and ones it does not.
    assert 0 < screened < len(bench_docs)


@settings(max_examples=60, deadline=None)
@given(repetitive(), st.sampled_from(range(len(CONFIGS))))
def test_screens_change_nothing_on_generated_text(text: str, which: int) -> None:
    config = CONFIGS[which]
    with pytest.MonkeyPatch.context() as m:
        fast = _outcome(clean(text, config=config))
        m.setattr(repeats_module, "_SCREEN_MAX", -1)
        m.setattr(repeats_module, "_first_windows", _from_start)
        m.setattr(clean_module, "_SCREEN_BLOCKS", -1)
        assert _outcome(clean(text, config=config)) == fast


def test_near_screen_lets_a_near_pair_through() -> None:
    # Two paragraphs one typo apart pass the screen, and are found.
    para = "The committee approved the budget for the new library after a long debate."
    text = f"{para}\n\nSomething else entirely, said at length here.\n\n{para.replace('long', 'lnog')}\n"
    result = clean(text, config=CleanConfig(blocks="paragraph", min_span=0))
    assert [r.kind for r in result.isolated + result.removals] == ["near"]


@pytest.mark.parametrize("recase", [str.upper, str.title])
def test_near_screen_lets_a_recased_pair_through(recase: object) -> None:
    # A change of case costs a tenth of a change (verify.compare): the copy in capitals
    # or title case is near although the ratio of the keys as written is far below the
    # threshold, so the screen compares case-folded keys.
    assert callable(recase)
    para = "Road works on Main Street will close two lanes from Monday until the end of the month."
    text = f"{para}\n\nSomething else entirely, said at length here.\n\n{recase(para)}\n"
    config = CleanConfig(blocks="paragraph", min_span=0)
    result = clean(text, config=config)
    assert [r.kind for r in result.isolated + result.removals] == ["near"]
    with pytest.MonkeyPatch.context() as m:
        m.setattr(clean_module, "_SCREEN_BLOCKS", -1)
        assert _outcome(clean(text, config=config)) == _outcome(result)


def test_window_screen_is_exact_at_the_edge() -> None:
    # A window of exactly `width` characters repeated is seen; one character less is not.
    assert repeats_module._window_repeats("abcdefgh-abcdefgh", 8)
    assert not repeats_module._window_repeats("abcdefgh-abcdefgX", 8)


# -- ASCII fast paths against the Unicode patterns ------------------------------------

ASCII_TEXT = st.lists(
    st.sampled_from([*"ab Z09_.,:;-'\"\n\t\x0b\x1c`", "1.5", "2,000", "x9", "  "]),
    max_size=40,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(ASCII_TEXT, st.integers(0, 90), st.integers(0, 90), st.sampled_from([None, 1, 3]))
def test_word_count_ascii_path_is_the_unicode_pattern(
    text: str, a: int, b: int, limit: int | None
) -> None:
    seg = importlib.import_module("textdedup.segment")
    assert text.isascii()
    start, end = min(a, b), max(a, b)
    found = seg._WORD.findall(text, start, end)
    expected = len(found) if limit is None else min(limit, len(found))
    assert seg.word_count(text, start, end, limit=limit) == expected
    assert seg._ASCII_WORD.findall(text, start, end) == found


@settings(max_examples=200, deadline=None)
@given(ASCII_TEXT, st.integers(0, 90), st.integers(0, 90), st.integers(1, 30))
def test_amount_ascii_path_is_the_unicode_pattern(text: str, a: int, b: int, limit: int) -> None:
    start, end = min(a, b), max(a, b)
    assert clean_module._ASCII_LETTER_RUN.findall(text, start, end) == [
        m.group() for m in clean_module._LETTER_RUN.finditer(text, start, end)
    ]
    words = clean_module.word_count(text, start, end, limit=limit)
    letters = sum(
        min(m.end() - m.start(), clean_module._LONG_WORD)
        for m in clean_module._LETTER_RUN.finditer(text, start, end)
    )
    expected = words if words >= limit else max(words, letters // 5)
    assert clean_module._amount(text, start, end, limit=limit) == expected


@settings(max_examples=200, deadline=None)
@given(ASCII_TEXT)
def test_space_runs_fold_as_the_unicode_pattern(text: str) -> None:
    import regex

    norm = importlib.import_module("textdedup.normalize")
    assert norm._SPACE_RUN.sub(" ", text) == regex.sub(r" {2,}", " ", text)


@pytest.mark.parametrize("spread", [3, 40, 10_000])
def test_band_pairs_are_the_candidate_pairs_of_all_bands(spread: int) -> None:
    from textdedup.lsh import candidate_pairs

    rng = np.random.default_rng(spread)
    # Few distinct keys: large buckets, giant ones (over 200 members) at spread 3.
    keys = rng.integers(0, spread, size=(6, 700)).astype(np.uint64)
    left, right = clean_module._band_pairs(keys)
    whole = candidate_pairs(keys.T)
    assert whole.giant_buckets > 0 or spread > 3
    assert left.tolist() == whole.left.tolist() and right.tolist() == whole.right.tolist()
    assert len(whole) > 0
    # Columns shared by copies (``which``) give the pairs of the expanded matrix.
    which = rng.integers(0, 700, size=900)
    left, right = clean_module._band_pairs(keys, which)
    whole = candidate_pairs(keys[:, which].T)
    assert left.tolist() == whole.left.tolist() and right.tolist() == whole.right.tolist()


def test_signatures_in_chunks_change_nothing(
    bench_docs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = bench_docs[:12]
    whole = [_outcome(clean(t, config=CONFIGS[0])) for t in docs]
    sizes: list[int] = []
    band_pairs = clean_module._copy_band_pairs
    monkeypatch.setattr(clean_module, "_SIGNATURE_ROWS", 3)
    monkeypatch.setattr(clean_module, "_ALL_PAIRS", -1)  # (the signatures' path)
    monkeypatch.setattr(
        clean_module,
        "_copy_band_pairs",
        lambda k, w, i: sizes.append(k.shape[1]) or band_pairs(k, w, i),
    )
    assert [_outcome(clean(t, config=CONFIGS[0])) for t in docs] == whole
    assert max(sizes) > 3  # some document was signed in several chunks


@settings(max_examples=200, deadline=None)
@given(ASCII_TEXT)
def test_identity_key_ascii_path_is_the_table(text: str) -> None:
    norm = importlib.import_module("textdedup.normalize")
    slow = " ".join(norm._nfkc_keeping_scripts(text).translate(norm._IDENTITY_TABLE).split())
    if not slow.isprintable():
        slow = " ".join(norm._FORMAT.sub("", slow).split())
    assert norm.identity_key(text) == slow


@settings(max_examples=300, deadline=None)
@given(ASCII_TEXT)
def test_line_spans_ascii_path_is_the_pattern(text: str) -> None:
    seg = importlib.import_module("textdedup.segment")
    slow = [seg._strip(text, m.start(), m.end()) for m in seg._LINE.finditer(text)]
    fast = seg._ascii_lines(text)
    assert fast is None if "\x1c" in text else fast == slow
    assert [(b.start, b.end) for b in seg.segment(text, "line")] == slow


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab .,!?\n\t)$+", "\u201d", "\u3002", "é"]), max_size=14).map(
        "".join
    ),
    st.integers(0, 14),
    st.integers(0, 14),
)
def test_trailing_run_is_the_regex_search(text: str, a: int, b: int) -> None:
    import regex

    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    m = regex.compile(r"[\p{P}\p{S}\s]+\Z").search(text, start, end)
    expected = end if m is None else m.start()
    assert clean_module._trailing_run(text, start, end) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f", "\r\n", "  \n"])).map("".join)
)
def test_ascii_screens_of_normalize_change_nothing(text: str) -> None:
    norm = importlib.import_module("textdedup.normalize")
    assert norm.trailing_whitespace(text) == norm._TRAILING.sub("", text)
    assert norm.line_endings(text) == norm._LINE_BREAK.sub("\n", text)


@pytest.mark.parametrize("limit", [0, 1, 3, 20])
def test_word_count_with_a_limit_on_long_spans(limit: int) -> None:
    # Spans longer than the findall path takes (32 * limit + 256 characters) go word by word.
    seg = importlib.import_module("textdedup.segment")
    for text in ("word " * 400, "市场 " * 400, "x" * 1000 + " y"):
        for start, end in ((0, len(text)), (3, 40), (7, 700)):
            total = len(seg._WORD.findall(text, start, end))
            assert seg.word_count(text, start, end, limit=limit) == min(total, limit)


def _near_pairs_one_by_one(self: object, cand: np.ndarray) -> dict[tuple[int, int], float]:
    """_Cleaner._near_pairs the plain way: every block signed, every pair compared."""
    from textdedup.minhash import MinHasher
    from textdedup.normalize import fold_accents
    from textdedup.verify import compare

    cfg = self.config  # type: ignore[attr-defined]
    hasher = MinHasher(
        num_perm=cfg.num_perm, ngram=cfg.ngram, unit="char", seed=cfg.seed, key=None, workers=1
    )
    keys = [fold_accents(self.keys[i]) for i in cand.tolist()]  # type: ignore[attr-defined]
    sigs = hasher.signatures(keys)
    params = clean_module._lsh_params(cfg.lsh_threshold, cfg.num_perm)
    pairs = clean_module.candidate_pairs(clean_module.band_keys(sigs, params))
    out: dict[tuple[int, int], float] = {}
    for i, j in zip(cand[pairs.left].tolist(), cand[pairs.right].tolist(), strict=True):
        blocks = self.blocks  # type: ignore[attr-defined]
        c = compare(blocks[i].text, blocks[j].text, score_cutoff=cfg.threshold)
        if c.near(cfg.threshold):
            out[(min(i, j), max(i, j))] = c.score
    return out


def test_near_pairs_signing_each_key_once_change_nothing(
    bench_docs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clean_module, "_ALL_PAIRS", -1)  # (the signatures' path)
    rng = np.random.default_rng(7)
    paras = [
        " ".join(rng.choice(["market", "price", "rose", "fell", "data", "week"], 30)) + "."
        for _ in range(8)
    ]
    # Copies, and near copies (one word changed), far apart: many equal keys.
    near = [p.replace("market", "markets", 1) for p in paras]
    doc = "\n\n".join(rng.choice(paras + near, 60).tolist()) + "\n"
    docs = [doc, *bench_docs[:20]]
    signed: list[int] = []
    fast = clean_module._Cleaner._near_pairs
    minhash = importlib.import_module("textdedup.minhash")
    sign = minhash.MinHasher.signatures
    monkeypatch.setattr(
        minhash.MinHasher, "signatures", lambda h, t: signed.append(len(t)) or sign(h, t)
    )
    clean(doc)
    # The 60 blocks are 16 distinct texts at most: each is signed once.
    assert signed and max(signed) <= 16
    for config in (CONFIGS[0], CONFIGS[3]):
        for text in docs:
            got = [_outcome(clean(text, config=config))]
            with monkeypatch.context() as m:
                m.setattr(clean_module._Cleaner, "_near_pairs", _near_pairs_one_by_one)
                got.append(_outcome(clean(text, config=config)))
            assert got[0] == got[1]
    assert clean_module._Cleaner._near_pairs is fast
    assert len(clean(doc).removals) > 0
