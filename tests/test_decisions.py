"""The decision rule of corpus deduplication and its invariants (issue #12).

Each invariant is checked from the outside, against a slow reference: candidate pairs
recomputed with the public LSH functions, scores recomputed pair by pair with
``exact_jaccard``, reasons recomputed from the normalized texts.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import DedupConfig, dedup_records
from textdedup.cluster import decide, keep_order
from textdedup.index import Index
from textdedup.lsh import band_keys, candidate_pairs
from textdedup.normalize import normalize, normalize_key
from textdedup.pipeline import DedupItem, DedupStats
from textdedup.shingle import shingle_hashes
from textdedup.synthetic import overlapping_corpus
from textdedup.verify import ShingleSets, exact_jaccard, set_containment, set_jaccard

FIXTURE = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "doubled_article.txt"


def _article() -> str:
    if FIXTURE.exists():
        return FIXTURE.read_text(encoding="utf-8")
    pytest.skip(f"fixture {FIXTURE} not found")


def _reference_score(a: str, b: str, config: DedupConfig) -> float:
    sh = shingle_hashes([a, b], ngram=config.ngram, unit=config.shingle)
    return exact_jaccard(sh.hashes[: sh.offsets[1]], sh.hashes[sh.offsets[1] :])


def check_invariants(texts: list[str], items: list[DedupItem], config: DedupConfig) -> None:
    """Invariants 1-3 of issue #12 for document units, against slow references."""
    ids = [i.record.id for i in items]
    by_id = dict(zip(ids, texts, strict=True))
    kept = [n for n, i in enumerate(items) if i.kept]
    keys = [normalize_key(t, config.key) for t in texts]
    # 1. No kept record is an exact duplicate (not even of its comparison key) of another.
    assert len({keys[n] for n in kept}) == len(kept)
    # 2. No pair of kept records that LSH proposes verifies at or above the threshold.
    if config.near and len(kept) > 1:
        sig = config.hasher().signatures([keys[n] for n in kept])
        valid = np.array([bool(keys[n]) for n in kept])
        pairs = candidate_pairs(band_keys(np.asarray(sig), config.lsh()), valid=valid)
        for a, b in zip(pairs.left.tolist(), pairs.right.tolist(), strict=True):
            s = _reference_score(keys[kept[a]], keys[kept[b]], config)
            assert s < config.threshold, (ids[kept[a]], ids[kept[b]], s)
    # 3. Every removed record names a kept record it matches, with the score and reason.
    for n, item in enumerate(items):
        if item.kept:
            continue
        assert item.duplicate_of is not None
        k = ids.index(item.duplicate_of)
        assert items[k].kept
        mine, theirs = keys[n], keys[k]
        if mine == theirs:
            assert item.score == 1.0
        else:
            expected = _reference_score(mine, theirs, config)
            assert item.score == pytest.approx(expected, abs=1e-12)
            assert expected >= config.threshold
        same_text = normalize(by_id[item.record.id]) == normalize(by_id[item.duplicate_of])
        assert item.reason == ("exact" if same_text else "near")


def _texts(records: list[dict[str, object]]) -> list[str]:
    return [str(r["text"]) for r in records]


# -- the rule on the examples ------------------------------------------------------


def _pieces(short: int, start: int) -> list[str]:
    words = _article().split(" ")
    end = " ".join(words[start:])
    return [" ".join(words[:short]), " ".join(words), end, end]


def test_doubled_article_keeps_one_of_two_identical_copies() -> None:
    # A shortened copy, the full text and two identical copies of the text's end (the
    # issue's example: the old chain split kept both copies of the end).
    docs = _pieces(282, 386)
    config = DedupConfig()
    items = list(dedup_records(docs, config=config))
    # shortened ~ full ~ end, shortened and end unlike: a chain. The shortened copy
    # stays; the full text goes as its near copy; the end matches no kept record and
    # stays; its identical copy goes.
    assert [i.kept for i in items] == [True, False, True, False]
    assert (items[1].duplicate_of, items[1].reason) == ("0", "near")
    assert (items[3].duplicate_of, items[3].score, items[3].reason) == ("2", 1.0, "exact")
    check_invariants(docs, items, config)


@pytest.mark.parametrize("mode", ["near", "exact"])
@pytest.mark.parametrize("keep", ["first", "last", "longest"])
def test_doubled_article_every_mode_policy_and_cut(mode: str, keep: str) -> None:
    config = DedupConfig(near=mode == "near", keep=keep)  # type: ignore[arg-type]
    for short, start in [(282, 386), (150, 300), (400, 200), (600, 100)]:
        docs = _pieces(short, start)
        docs.append(docs[1].upper())
        check_invariants(docs, list(dedup_records(docs, config=config)), config)


def test_a_word_reversed_copy_is_near_not_exact() -> None:
    words = [f"word{i}" for i in range(30)]
    docs = [" ".join(words), " ".join(reversed(words))]
    # One-word shingles: the Jaccard similarity is 1.0. (Under 50 words the numbers must
    # agree in order, and word0..word29 reversed does not: the rule is left out here.)
    config = DedupConfig(ngram=1, numbers="ignore")
    items = list(dedup_records(docs, config=config))
    assert not items[1].kept
    assert (items[1].score, items[1].reason) == (1.0, "near")
    check_invariants(docs, items, config)


def test_reasons_are_computed_from_the_normalized_text() -> None:
    text = "The cat sat on the mat and looked at the dog for a while.\n"
    docs = [
        text,
        text.replace("\n", "\r\n"),  # the same text after normalization: exact
        text.upper(),  # same key, other text: near with score 1.0
        text.replace("looked", "lookde"),  # other key (a typo): near
    ]
    stats = DedupStats()
    items = list(dedup_records(docs, config=DedupConfig(threshold=0.5, ngram=2), stats=stats))
    assert [(i.kept, i.reason) for i in items] == [
        (True, None),
        (False, "exact"),
        (False, "near"),
        (False, "near"),
    ]
    assert items[2].score == 1.0 and items[3].score is not None and items[3].score < 1.0
    assert stats.reasons == {"exact": 1, "near": 2}


def test_exact_mode_compares_keys_and_labels_true_reasons() -> None:
    docs = ["Hello, World! This is it.", "hello world this is it", "Hello, World! This is it."]
    items = list(dedup_records(docs, config=DedupConfig(near=False)))
    assert [(i.kept, i.duplicate_of, i.reason) for i in items] == [
        (True, None, None),
        (False, "0", "near"),
        (False, "0", "exact"),
    ]


def test_block_units_label_reasons_too() -> None:
    p1 = "The first paragraph is long enough to be compared across documents."
    docs = [f"{p1}\n\nIntro one that is also long enough here.\n", f"{p1.upper()}\n\nOther.\n"]
    items = list(dedup_records(docs, config=DedupConfig(level="paragraph")))
    assert [b["reason"] for b in items[1].removed_blocks] == ["near"]
    items = list(dedup_records([docs[0], f"Other.\n\n{p1}\n"], config=DedupConfig(level="line")))
    assert [b["reason"] for b in items[1].removed_blocks] == ["exact"]


# -- the invariants on overlapping corpora ---------------------------------------------


@pytest.fixture(scope="module")
def chained() -> list[dict[str, object]]:
    # Any overlap allowed: windows chain into near-duplicate runs.
    return overlapping_corpus(1000, seed=7, max_overlap=1.0).records


@pytest.mark.parametrize(
    "config",
    [
        DedupConfig(),
        DedupConfig(keep="last"),
        DedupConfig(keep="longest", threshold=0.6),
        DedupConfig(near=False),
        DedupConfig(verify="ratio", threshold=0.8),
    ],
    ids=["first", "last", "longest-0.6", "exact", "ratio"],
)
def test_invariants_on_an_overlapping_corpus(chained, config: DedupConfig) -> None:  # type: ignore[no-untyped-def]
    items = list(dedup_records(chained, config=config))
    assert sum(not i.kept for i in items) > 60
    if config.verify == "jaccard":
        check_invariants(_texts(chained), items, config)
    else:
        keys = [normalize_key(t) for t, i in zip(_texts(chained), items, strict=True) if i.kept]
        assert len(set(keys)) == len(keys)
        assert all(i.duplicate_of is not None for i in items if not i.kept)


def test_invariants_hold_whatever_the_order(chained) -> None:  # type: ignore[no-untyped-def]
    # Which record of a cluster stays depends on the order (that is what keep=first
    # means), and so can a chain's clusters; the invariants hold for every order.
    shuffled = list(chained)
    random.Random(3).shuffle(shuffled)
    config = DedupConfig()
    check_invariants(_texts(shuffled), list(dedup_records(shuffled, config=config)), config)


def test_overlapping_chains_keep_no_exact_duplicate_and_find_the_planted_copies() -> None:
    corpus = overlapping_corpus(3000, seed=5)
    items = list(dedup_records(corpus.records))
    kept_texts = [i.record.text for i in items if i.kept]
    assert len(kept_texts) == len(set(kept_texts))
    found = {i.record.id: i.duplicate_of for i in items if not i.kept}
    planted = {str(r["id"]): s for r, s in zip(corpus.records, corpus.dup_of, strict=True) if s}
    assert len(planted) > 500
    hit = sum(1 for rid, src in planted.items() if found.get(rid) == src)
    assert hit / len(planted) >= 0.99
    # Nothing else is removed: the base windows overlap below the threshold.
    assert set(found) <= set(planted)


# -- incremental equals all at once ------------------------------------------------------


@pytest.mark.parametrize("split", [1, 311, 500, 999])
def test_incremental_equals_all_at_once(chained, tmp_path: Path, split: int) -> None:  # type: ignore[no-untyped-def]
    config = DedupConfig()
    everything = {i.record.id for i in dedup_records(chained, config=config) if i.kept}
    with Index(str(tmp_path / "index.sqlite"), config) as index:
        entries: list[tuple[str, str, int]] = []
        first = list(
            dedup_records(
                chained[:split],
                config=config,
                on_kept=lambda i, k, n: entries.append((i, k, n)),
            )
        )
        index.add(entries)
        second = list(dedup_records(chained[split:], config=config, index=index))
    incremental = {i.record.id for i in first + second if i.kept}
    assert len(everything) < len(chained) - 150  # chains and copies: the rule is at work
    assert incremental == everything


# -- the decision core against a naive greedy reference ---------------------------------


def _naive(
    n: int, edges: dict[tuple[int, int], float], groups: list[int], order: list[int]
) -> list[int]:
    keeper = list(range(n))
    kept: list[int] = []
    for i in order:
        same = [k for k in kept if groups[k] == groups[i]]
        if same:
            keeper[i] = same[0]
            continue
        scored = [(edges[min(i, k), max(i, k)], k) for k in kept if (min(i, k), max(i, k)) in edges]
        if scored:
            best = max(s for s, _ in scored)
            keeper[i] = min((k for s, k in scored if s == best), key=order.index)
        else:
            kept.append(i)
    return keeper


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 25).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 9), min_size=n, max_size=n),
            st.dictionaries(
                st.tuples(st.integers(0, 9), st.integers(0, 9)).filter(lambda p: p[0] < p[1]),
                st.sampled_from([0.7, 0.8, 0.9]),
                max_size=30,
            ),
            st.permutations(list(range(n))),
        )
    )
)
def test_decide_equals_a_naive_greedy(case: Any) -> None:
    groups, group_edges, order = case
    n = len(groups)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    # Items with equal keys (one group) verify at 1.0 and score alike against the rest.
    full: dict[tuple[int, int], float] = {}
    for a, b in itertools.combinations(range(n), 2):
        ga, gb = sorted((groups[a], groups[b]))
        if ga == gb:
            full[a, b] = 1.0
        elif (ga, gb) in group_edges:
            full[a, b] = group_edges[ga, gb]
    near = {p: v for p, v in full.items() if groups[p[0]] != groups[p[1]]}
    d = decide(
        rank,
        [a for a, _ in near],
        [b for _, b in near],
        list(near.values()),
        key_group=groups,
    )
    assert d.keeper.tolist() == _naive(n, full, groups, order)
    kept = d.keeper == np.arange(n)
    assert (d.score[~kept] >= 0.7).all()
    for a, b in full:
        assert not (kept[a] and kept[b])


def test_keep_order_puts_prior_items_first() -> None:
    rank = keep_order("last", 4, prior=[False, True, False, True])
    assert np.argsort(rank).tolist() == [3, 1, 2, 0]
    with pytest.raises(ValueError, match="keep must be one of"):
        keep_order("best", 2)  # type: ignore[arg-type]


# -- batched set scores against exact_jaccard ---------------------------------------------


@pytest.mark.parametrize("compiled", [True, False])
def test_set_scores_equal_the_pairwise_reference(
    compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textdedup import verify

    if not compiled:
        monkeypatch.setattr(verify, "_compiled", lambda: None)
    else:  # small inputs run on numpy until numba is in use: not here
        monkeypatch.setattr(verify, "COMPILE_MIN_HASHES", 0)
    texts = [*_texts(overlapping_corpus(120, seed=2).records), "", "one", "one one one"]
    sh = shingle_hashes(texts, ngram=3)
    sets = ShingleSets.from_texts(texts, ngram=3)
    rng = np.random.default_rng(0)
    left, right = rng.integers(0, len(texts), 600), rng.integers(0, len(texts), 600)
    jac = set_jaccard(sets, left, right)
    con = set_containment(sets, left, right)
    for k, (a, b) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        x = np.unique(sh.hashes[sh.offsets[a] : sh.offsets[a + 1]])
        y = np.unique(sh.hashes[sh.offsets[b] : sh.offsets[b + 1]])
        assert jac[k] == exact_jaccard(x, y)
        inter = np.intersect1d(x, y).size
        assert con[k] == (inter / x.size if x.size else 1.0)


# -- the scorer table and containment ------------------------------------------------------


def test_scorer_table_says_symmetry_and_lsh_threshold() -> None:
    from textdedup.verify import SCORER_TABLE, score_pairs

    assert {n for n, s in SCORER_TABLE.items() if not s.symmetric} == {"containment"}
    assert SCORER_TABLE["jaccard"].lsh_jaccard(0.7) == 0.7
    # Equal-size sets with containment 0.8 have Jaccard 0.8 / 1.2.
    assert SCORER_TABLE["containment"].lsh_jaccard(0.8) == pytest.approx(2 / 3)
    sets = ShingleSets.from_texts(["a b c", "a b c d e f"], ngram=1)
    assert score_pairs("containment", [0, 1], [1, 0], sets=sets).tolist() == [1.0, 0.5]
    sig = DedupConfig().hasher().signatures(["a b c d e f g", "a b c d e f g"])
    assert score_pairs("estimate", [0], [1], signatures=np.asarray(sig)).tolist() == [1.0]
    assert score_pairs("token_sort_ratio", [0], [1], keys=["b a", "a b"]).tolist() == [1.0]
    with pytest.raises(ValueError, match="scorer must be one of"):
        score_pairs("cosine", [0], [1], sets=sets)
    with pytest.raises(ValueError, match="needs keys"):
        score_pairs("ratio", [0], [1], sets=sets)


def test_containment_removes_a_copy_inside_an_earlier_kept_record() -> None:
    base = " ".join(f"w{i}" for i in range(60))
    inside = " ".join(f"w{i}" for i in range(6, 60))  # 54 of 60 words: contained in base
    other = " ".join(f"w{i}" for i in range(60)) + " " + " ".join(f"z{i}" for i in range(20))
    config = DedupConfig(verify="containment", threshold=0.8)
    items = list(dedup_records([base, inside], config=config))
    assert [i.kept for i in items] == [True, False]
    assert items[1].duplicate_of == "0" and items[1].score == 1.0
    # The other way round the longer record is not contained in the shorter kept one.
    items = list(dedup_records([base, other], config=config))
    assert [i.kept for i in items] == [True, True]
    items = list(dedup_records([other, base], config=config))
    assert [i.kept for i in items] == [True, False]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 20).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.dictionaries(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
                    lambda p: p[0] != p[1]
                ),
                st.sampled_from([0.8, 0.9, 1.0]),
                max_size=30,
            ),
            st.permutations(list(range(n))),
        )
    )
)
def test_decide_with_directed_pairs_equals_a_naive_greedy(case: Any) -> None:
    n, edges, order = case
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    d = decide(
        rank,
        [a for a, _ in edges],
        [b for _, b in edges],
        list(edges.values()),
        key_group=list(range(n)),
        symmetric=False,
    )
    keeper = list(range(n))
    kept: list[int] = []
    for i in order:  # i goes when it matches (is contained in) an earlier kept item
        scored = [(edges[i, k], -order.index(k), k) for k in kept if (i, k) in edges]
        if scored:
            keeper[i] = max(scored)[2]
        else:
            kept.append(i)
    assert d.keeper.tolist() == keeper


def test_text_digests_asked_later_give_the_same_decisions() -> None:
    # Engine.add(text_later=True) asks solve() for the text digests of items whose key
    # is not unique only; the decisions and exact/near labels equal those made with
    # every digest given at add().
    from textdedup._hashing import digest
    from textdedup.engine import Decisions, Engine

    texts = [
        "the cat sat on the mat today and then it slept",
        "the cat sat on the mat today and then it slept",  # exact copy
        "The cat sat on the mat today, and then it slept!",  # same key, other text
        "the cat sat on the mat today and then it slept well",  # near copy
        "a different document with nothing in common here",
        "a different document with nothing in common here",
    ]
    config = DedupConfig(ngram=2, threshold=0.7)
    asked: list[list[int]] = []

    def run(later: bool) -> Decisions:
        engine = Engine(config)
        for t in texts:
            engine.add(
                normalize_key(t),
                length=len(t),
                text_digest=None if later else digest(t),
                text=t,
                text_later=later,
            )

        def text_digests(items: list[int]) -> list[bytes]:
            asked.append(items)
            return [digest(texts[i]) for i in items]

        try:
            return engine.solve(text_digests=text_digests)
        finally:
            engine.close()

    now, later = run(False), run(True)
    assert asked == [[0, 1, 2, 4, 5]]  # item 3's key is its own
    assert now.keeper.tolist() == later.keeper.tolist() == [0, 0, 0, 0, 4, 4]
    assert [later.reason(i) for i in range(6)] == [None, "exact", "near", "near", None, "exact"]
    assert [now.reason(i) for i in range(6)] == [later.reason(i) for i in range(6)]
    engine = Engine(config)
    engine.add("a b", text_later=True)
    engine.add("a b", text_later=True)
    with pytest.raises(ValueError, match="text_digests"):
        engine.solve()
    engine.close()


@pytest.mark.parametrize("scorer", ["jaccard", "containment"])
def test_set_verification_in_chunks_scores_as_at_once(
    monkeypatch: pytest.MonkeyPatch, scorer: str
) -> None:
    """Paired items whose shingles exceed the budget are verified in chunks of pairs,
    with the same scores and decisions as all at once (issue #14: bounded memory)."""
    from textdedup import engine as engine_module
    from textdedup._hashing import digest
    from textdedup.engine import Decisions, Engine

    texts = [str(r["text"]) for r in overlapping_corpus(300, seed=3).records]
    config = DedupConfig(threshold=0.6, verify=scorer)

    def run() -> tuple[Decisions, list[int]]:
        engine = Engine(config)
        for t in texts:
            engine.add(normalize_key(t), length=len(t), text_digest=digest(t))
        calls: list[int] = []
        real = engine_module.ShingleSets.from_texts

        def counted(keys, **kw):  # type: ignore[no-untyped-def]
            calls.append(len(keys))
            return real(keys, **kw)

        monkeypatch.setattr(engine_module.ShingleSets, "from_texts", counted)
        try:
            return engine.solve(), calls
        finally:
            monkeypatch.setattr(engine_module.ShingleSets, "from_texts", real)
            engine.close()

    whole, whole_calls = run()
    monkeypatch.setattr(engine_module, "_VERIFY_SHINGLES_AT_ONCE", 2_000)
    monkeypatch.setattr(engine_module, "_VERIFY_SHINGLES", 2_000)
    chunked, chunked_calls = run()
    assert whole.candidates > 20  # the corpus has candidate pairs to verify
    assert len(chunked_calls) > len(whole_calls)  # it did go in chunks
    assert chunked.keeper.tolist() == whole.keeper.tolist()
    assert chunked.score.tolist() == whole.score.tolist()
    assert chunked.exact.tolist() == whole.exact.tolist()
    assert chunked.verified == whole.verified


def test_set_verification_in_chunks_keeps_pair_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pairs in any order (not sorted by their left item) get their own scores back."""
    from textdedup import engine as engine_module
    from textdedup._hashing import digest
    from textdedup.engine import Engine

    texts = [str(r["text"]) for r in overlapping_corpus(60, seed=5).records]
    engine = Engine(DedupConfig(threshold=0.6))
    for t in texts:
        engine.add(normalize_key(t), length=len(t), text_digest=digest(t))
    rng = np.random.default_rng(0)
    left = rng.integers(0, len(texts), 400)
    right = rng.integers(0, len(texts), 400)
    sig = engine.signatures()
    try:
        whole = engine._verify(left, right, sig)
        monkeypatch.setattr(engine_module, "_VERIFY_SHINGLES_AT_ONCE", 500)
        monkeypatch.setattr(engine_module, "_VERIFY_SHINGLES", 500)
        chunked = engine._verify(left, right, sig)
    finally:
        engine.close()
    sh = shingle_hashes([normalize_key(t) for t in texts], ngram=5)
    own = [np.unique(sh.hashes[sh.offsets[i] : sh.offsets[i + 1]]) for i in range(len(texts))]
    want = [
        exact_jaccard(own[i], own[j]) for i, j in zip(left.tolist(), right.tolist(), strict=True)
    ]
    assert whole[0].tolist() == chunked[0].tolist()
    assert np.allclose(chunked[0], want)
