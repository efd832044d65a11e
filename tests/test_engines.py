"""Every available engine makes the same decisions on the same planted corpus."""

from __future__ import annotations

import pytest

from textdedup import DedupConfig
from textdedup.engines import ENGINES, get_engine
from textdedup.engines import batches as B
from textdedup.synthetic import overlapping_corpus

pytestmark = [
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


def _corpus(unit: str) -> list[dict[str, object]]:
    """Overlapping windows of paragraphs with exact and near copies; every fifth record
    repeats its first paragraph inside itself."""
    out = []
    for i, r in enumerate(overlapping_corpus(90, seed=11).records):
        paras = str(r["text"]).split("\n\n")
        if i % 5 == 2:
            paras.insert(1, paras[0])  # a stutter: cleaning removes it
        out.append({**r, "text": ("\n" if unit == "line" else "\n\n").join(paras)})
    return out


@pytest.mark.parametrize(
    ("unit", "keep"), [("doc", "first"), ("paragraph", "longest"), ("line", "last")]
)
def test_every_engine_makes_the_same_decisions(request, unit: str, keep: str) -> None:  # type: ignore[no-untyped-def]
    config = DedupConfig(level=unit, keep=keep)  # type: ignore[arg-type]
    records = _corpus(unit)
    results = {}
    for name in ENGINES:
        engine = get_engine(name)
        if name == "spark":
            request.getfixturevalue("spark")  # local[2]; skips (outside CI) without Spark
        elif not engine.available():
            continue
        results[name] = engine.dedup_dicts(records, config=config)
    local = results["local"]
    assert any(r["dedup"]["duplicate"] for r in local)
    for name, got in results.items():
        assert [r["id"] for r in got] == [r["id"] for r in local], name
        assert [r["dedup"] for r in got] == [r["dedup"] for r in local], name
        assert [r["text"] for r in got] == [r["text"] for r in local], name


def test_get_engine_names_the_choices() -> None:
    with pytest.raises(ValueError, match="engine must be one of local, spark, got 'ray'"):
        get_engine("ray")


def test_bucket_pairs_match_lsh_candidate_pairs() -> None:
    import numpy as np

    from textdedup.lsh import candidate_pairs

    rng = np.random.default_rng(3)
    for size in (2, 7, B.MAX_BUCKET + 5):
        members = rng.choice(10_000, size, replace=False).tolist()
        keys = np.zeros((10_000, 1), dtype=np.uint64)
        keys[members] = 1
        keys[np.setdiff1d(np.arange(10_000), members)] = (
            np.arange(10_000 - size, dtype=np.uint64)[:, None] + 2
        )
        ref = candidate_pairs(keys)
        assert sorted(zip(ref.left.tolist(), ref.right.tolist(), strict=True)) == B.bucket_pairs(
            members
        )


def test_record_rows_are_the_pipeline_items() -> None:
    from textdedup.pipeline import record_items
    from textdedup.records import Record

    first = "A first paragraph that is long enough to be compared across documents."
    text = f"{first}\n\n{first}\n\nAnother one, long enough too, with words of its own."
    config = DedupConfig(level="paragraph")
    rows = B.record_rows(text, config)
    out, blocks, items, removals = record_items(Record("x", text, "", 0), config)
    assert blocks is not None
    assert rows.text == out
    assert rows.spans == [(b.start, b.end) for b in blocks]
    assert [(i.block, i.key, i.length) for i in rows.items] == items
    assert len(rows.in_document) == len(removals) == 1
    # Offsets into the record as read: the stutter cut by cleaning shifts the last block.
    assert [text[i.start : i.end] for i in rows.items] == [
        first,
        "Another one, long enough too, with words of its own.",
    ]


def test_doc_text_digest_is_exact_only_for_equal_normalized_texts() -> None:
    from textdedup.normalize import normalize, normalize_key

    texts = ["Hello  world", "Hello world", "hello world", "Hello world\n", "Hello, world"]
    for a in texts:
        for b in texts:
            same = B.doc_text_digest(a, normalize_key(a)) == B.doc_text_digest(b, normalize_key(b))
            assert same == (normalize(a) == normalize(b) and normalize_key(a) == normalize_key(b))


def test_score_batch_scores_both_ways_for_an_asymmetric_score() -> None:
    keys = ["a b c", "a b c d e f"]
    jac = B.score_batch(DedupConfig(ngram=1), [0], [1], keys=keys)
    con = B.score_batch(DedupConfig(ngram=1, verify="containment"), [0], [1], keys=keys)
    assert [s.tolist() for s in jac] == [[0.5]]
    assert [s.tolist() for s in con] == [[1.0], [0.5]]
    with pytest.raises(ValueError, match="needs keys or sets"):
        B.score_batch(DedupConfig(), [0], [1])


_REPORT = (
    "The annual report of the society, volume 26 issue {n}, covers the membership, the "
    "finances, the meetings of the year and the prizes given at the autumn dinner{end}"
)
_NUMBERED = [
    {"id": "a", "text": _REPORT.format(n=1, end=".")},
    {"id": "b", "text": _REPORT.format(n=2, end=".")},  # another issue: its numbers differ
    {"id": "c", "text": _REPORT.format(n=1, end=" in full.")},  # the same issue, near
    {"id": "d", "text": "Something else entirely, with words of its own and no numbers at all."},
]


@pytest.mark.parametrize("verify", ["jaccard", "none"])
def test_every_engine_applies_the_numbers_rule(request, verify: str) -> None:  # type: ignore[no-untyped-def]
    decided = {}
    for numbers in ("ignore", "agree"):
        config = DedupConfig(verify=verify, numbers=numbers, threshold=0.6)  # type: ignore[arg-type]
        results = {}
        for name in ENGINES:
            engine = get_engine(name)
            if name == "spark":
                request.getfixturevalue("spark")
            elif not engine.available():
                continue
            results[name] = engine.dedup_dicts(_NUMBERED, config=config)
        local = results["local"]
        for name, got in results.items():
            assert [r["dedup"] for r in got] == [r["dedup"] for r in local], (name, numbers)
        decided[numbers] = [r["dedup"]["duplicate_of"] for r in local]
    assert decided["ignore"] == [None, "a", "a", None]
    assert decided["agree"] == [None, None, "a", None]


def test_score_batch_rejects_pairs_whose_numbers_disagree() -> None:
    from textdedup.engine import pair_scores

    keys = [_REPORT.format(n=1, end="."), _REPORT.format(n=2, end="."), _REPORT.format(n=1, end="")]
    left, right = [0, 0], [1, 2]
    for verify in ("jaccard", "containment", "ratio"):
        plain = B.score_batch(
            DedupConfig(verify=verify, numbers="ignore"),  # type: ignore[arg-type]
            left,
            right,
            keys=keys,
        )
        ruled = B.score_batch(
            DedupConfig(verify=verify, numbers="agree"),  # type: ignore[arg-type]
            left,
            right,
            keys=keys,
        )
        assert all(s[0] > 0 and s[1] > 0 for s in plain), verify
        assert len(ruled) == len(plain) == (2 if verify == "containment" else 1)
        for got, was in zip(ruled, plain, strict=True):  # both ways for containment
            assert got.tolist() == [-1.0, was[1]], verify
        first = pair_scores(keys, left, right, DedupConfig(verify=verify, numbers="agree"))  # type: ignore[arg-type]
        assert first.tolist() == ruled[0].tolist()
    assert B.numbers_veto(DedupConfig(), keys, left, right).tolist() == [True, False]
    assert not B.numbers_veto(DedupConfig(numbers="ignore"), keys, left, right).any()
