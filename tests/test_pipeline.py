from __future__ import annotations

import itertools
import random

import pytest

from textdedup import DedupConfig, dedup_records
from textdedup.pipeline import DedupStats
from textdedup.synthetic import planted_corpus


def _pairs(groups: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


def _truth(corpus) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    groups: dict[str, set[str]] = {}
    for record, src in zip(corpus.records, corpus.dup_of, strict=True):
        groups.setdefault(src or str(record["id"]), set()).add(str(record["id"]))
    return groups


def _clusters(items) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    groups: dict[str, set[str]] = {}
    for item in items:
        groups.setdefault(item.cluster or item.record.id, set()).add(item.record.id)
    return groups


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return planted_corpus(3000, seed=11)


def test_planted_duplicates_precision_and_recall(corpus) -> None:  # type: ignore[no-untyped-def]
    items = list(dedup_records(corpus.records))
    truth, pred = _pairs(_truth(corpus)), _pairs(_clusters(items))
    assert len(truth) > 400
    precision = len(truth & pred) / len(pred)
    recall = len(truth & pred) / len(truth)
    assert precision >= 0.95, precision
    assert recall >= 0.95, recall
    # Records that only borrow a paragraph are not document duplicates.
    borrowed = {
        str(r["id"]) for r, k in zip(corpus.records, corpus.kind, strict=True) if k == "paragraph"
    }
    assert all(item.kept for item in items if item.record.id in borrowed)


def test_shuffled_input_keeps_one_record_of_each_planted_group(corpus) -> None:  # type: ignore[no-untyped-def]
    # Which record stays depends on the order (keep=first), and so can a chain's
    # clusters (tests/test_decisions.py checks the invariants in any order); the
    # number of kept records of each exact-copy group does not.
    shuffled = list(corpus.records)
    random.Random(5).shuffle(shuffled)
    for records in (corpus.records, shuffled):
        kept = [i.record.text for i in dedup_records(records) if i.kept]
        assert len(kept) == len(set(kept))


def test_reruns_are_identical(corpus) -> None:  # type: ignore[no-untyped-def]
    records = corpus.records[:800]
    assert list(dedup_records(records)) == list(dedup_records(records))


def test_exact_mode_only_removes_identical_keys() -> None:
    docs = [
        "one two three four five six",
        "One two three four five six!",
        "one two three four five seven",
    ]
    items = list(dedup_records(docs, config=DedupConfig(near=False)))
    assert [i.kept for i in items] == [True, False, True]


def test_chains_are_split_at_the_keeper() -> None:
    base = [f"w{i}" for i in range(40)]
    a = " ".join(base)
    b = " ".join(base[:30] + [f"x{i}" for i in range(10)])
    c = " ".join(base[:20] + [f"x{i}" for i in range(10)] + [f"y{i}" for i in range(10)])
    # Under 50 words, texts whose numbers differ (w30 / x0) are kept apart: not here.
    config = DedupConfig(threshold=0.5, ngram=3, numbers="ignore")
    items = list(dedup_records([a, b, c], config=config))
    # a~b and b~c, but c is far from a: c stays, as its own keeper.
    assert [i.kept for i in items] == [True, False, True]
    assert items[1].duplicate_of == "0"


@pytest.mark.parametrize("keep", ["first", "last", "longest"])
def test_keep_policy(keep: str) -> None:
    short = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    long = short + " lambda"
    items = list(
        dedup_records([short, long, short], config=DedupConfig(keep=keep, threshold=0.6, ngram=2))
    )  # type: ignore[arg-type]
    kept = [i.record.id for i in items if i.kept]
    assert kept == {"first": ["0"], "last": ["2"], "longest": ["1"]}[keep]


def test_paragraph_unit_removes_paragraphs_across_documents() -> None:
    p1 = "The first paragraph is long enough to be compared across documents."
    p2 = "A second paragraph, also long enough, that appears in two documents."
    docs = [
        f"{p1}\n\n{p2}\n",
        f"Intro unique to doc two and long enough.\n\n{p2}\n",
        f"{p1}\n\n{p1}\n",
        "Short\n\nShort\n",
    ]
    stats = DedupStats()
    items = list(dedup_records(docs, config=DedupConfig(level="paragraph"), stats=stats))
    # "Short" is too short to go on its own, inside its document or across documents.
    assert [i.text for i in items] == [
        f"{p1}\n\n{p2}\n",
        "Intro unique to doc two and long enough.\n",
        "",
        "Short\n\nShort\n",
    ]
    assert [i.kept for i in items] == [True, True, False, True]
    assert items[1].removed_blocks[0]["duplicate_of"] == "0"
    assert stats.reasons == {"corpus-block": 2, "in-document": 1}


def test_max_cluster_size_leaves_big_clusters_alone() -> None:
    docs = ["same text repeated in many records here"] * 5 + ["other"]
    stats = DedupStats()
    items = list(dedup_records(docs, config=DedupConfig(max_cluster_size=3), stats=stats))
    assert all(i.kept for i in items)
    assert stats.warnings and "larger than max_cluster_size=3" in stats.warnings[0]


def test_a_giant_cluster_is_warned_about() -> None:
    docs = ["boilerplate footer text that every page has"] * 60 + [
        f"unique page {i} body text" for i in range(40)
    ]
    stats = DedupStats()
    list(dedup_records(docs, stats=stats))
    assert any("one cluster holds 60 of 100 items" in w for w in stats.warnings)


def test_bad_config() -> None:
    with pytest.raises(ValueError, match=r"threshold must be in \[0, 1\], got 2"):
        DedupConfig(threshold=2)
    with pytest.raises(
        ValueError, match="level must be one of doc, paragraph, line, sentence, window, got 'page'"
    ):
        DedupConfig(level="page")  # type: ignore[arg-type]


def test_a_giant_lsh_bucket_finishes_with_a_warning() -> None:
    # 400 texts that share one long common part fall into the same buckets.
    common = " ".join(f"common{i}" for i in range(200))
    docs = [f"{common} unique{i} tail{i}" for i in range(400)]
    stats = DedupStats()
    items = list(dedup_records(docs, config=DedupConfig(threshold=0.9), stats=stats))
    assert len(items) == 400
    assert any("LSH bucket(s) held more than 200 items" in w for w in stats.warnings)


def test_spilled_text_comes_back_whichever_field_holds_it() -> None:
    # A document's text is spilled once: named by the field of the record that holds it,
    # or stored beside a record whose data does not hold it. Every kind comes back as read.
    from textdedup.records import Record

    body = "the cat sat on the mat and looked at the dog for a while"
    records = [
        {"id": "a", "body": body, "n": 1},
        {"id": "b", "body": body + "  ", "n": 2},  # equal after normalize(): exact
        {"id": "f", "body": body.upper() + "!", "n": 6},  # equal keys only: near, score 1
        Record(id="c", text="a text of its own, in no field", path="x", line=3, data={"k": 1}),
        Record(id="d", text="a text with no data at all here", path="x", line=4),
        Record(id="e", text="", path="x", line=5, data={"empty": "", "other": ""}),
    ]
    items = list(dedup_records(records, text_field="body"))
    assert [(d.record.id, d.kept, d.duplicate_of, d.reason) for d in items] == [
        ("a", True, None, None),
        ("b", False, "a", "exact"),
        ("f", False, "a", "near"),
        ("c", True, None, None),
        ("d", True, None, None),
        ("e", True, None, None),
    ]
    assert [d.record.text for d in items] == [
        body,
        body + "  ",
        body.upper() + "!",
        "a text of its own, in no field",
        "a text with no data at all here",
        "",
    ]
    assert [d.text for d in items] == [d.record.text for d in items]
    assert items[0].record.data == {"id": "a", "body": body, "n": 1}
