"""Short texts and records: fields and their rules, numbers that must agree, shingles by length,
and LSH bands tuned to the verifier (issue 16)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from textdedup import dedup_records
from textdedup.cli import main
from textdedup.engine import AUTO_CHAR_NGRAM, DedupConfig
from textdedup.fields import name_key, parse_fields, record_agree, record_key
from textdedup.normalize import normalize_key
from textdedup.shingle import shingle_hashes
from textdedup.synthetic import planted_corpus
from textdedup.verify import candidate_target, indel_qgram_jaccard, numbers_agree

WORDS = [
    *[
        "stroke",
        "rehabilitation",
        "outcomes",
        "randomized",
        "trial",
        "information",
        "systems",
        "adoption",
    ],
    *[
        "supply",
        "chains",
        "coastal",
        "erosion",
        "protein",
        "folding",
        "urban",
        "mobility",
        "soil",
        "carbon",
    ],
    *[
        "dynamics",
        "hospital",
        "readmission",
        "graph",
        "algorithms",
        "migration",
        "policy",
        "wetland",
    ],
]


def _qgrams(text: str, q: int = 3) -> set[int]:
    sh = shingle_hashes([text], ngram=q, unit="char")
    return set(sh.hashes.tolist())


def _edited(rng: random.Random, text: str, edits: int) -> str:
    """``text`` with ``edits`` single-character insertions or deletions, spread out."""
    chars = list(text)
    for _ in range(edits):
        i = rng.randrange(len(chars))
        if rng.random() < 0.5 and len(chars) > 1:
            del chars[i]
        else:
            chars.insert(i, rng.choice("abcdefghijklmnopqrstuvwxyz"))
    return "".join(chars)


# -- the bound and the bands -----------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    a=st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=40, max_size=90),
    edits=st.integers(0, 12),
    seed=st.integers(0, 10_000),
)
def test_indel_bound_holds_on_qgram_sets(a: str, edits: int, seed: int) -> None:
    b = _edited(random.Random(seed), a, edits)
    ratio = fuzz.ratio(a, b) / 100
    qa, qb = _qgrams(a), _qgrams(b)
    # The bound counts q-grams with repeats; on sets it holds when none repeats.
    assume(len(qa) == len(a) - 2 and len(qb) == len(b) - 2 and len(a) + len(b) >= 80)
    jaccard = len(qa & qb) / len(qa | qb)
    assert jaccard >= indel_qgram_jaccard(ratio, 3) - 1e-9


def test_ratio_bands_come_from_the_bound_not_the_threshold() -> None:
    config = DedupConfig(verify="ratio", threshold=0.9, shingle="char", ngram=3)
    target = config.candidate_target()
    assert target.jaccard == pytest.approx(indel_qgram_jaccard(0.9, 3))
    params = config.lsh()
    assert float(params.probability(target.jaccard)) >= 0.95
    # Before issue 16 the bands were those of Jaccard 0.9: a pair at the bound was never found.
    assert float(DedupConfig(threshold=0.9).lsh().probability(target.jaccard)) < 0.01
    # Word shingles have no bound: the threshold is used, and the source says so.
    word = candidate_target("ratio", 0.9, unit="word", ngram=5)
    assert word.jaccard == 0.9 and word.recall is None and "no bound" in word.source


def test_a_pair_ratio_accepts_is_found_through_lsh() -> None:
    """Pairs at ratio >= 0.9 (edits spread out: the hard case) are all found by dedup."""
    rng = random.Random(16)
    found = 0
    tried = 0
    for _ in range(200):
        a = " ".join(rng.sample(WORDS, rng.randint(6, 12)))
        b = _edited(rng, a, rng.randint(1, 12))
        if fuzz.ratio(normalize_key(a), normalize_key(b)) < 90 or normalize_key(a) == normalize_key(
            b
        ):
            continue
        tried += 1
        # numbers="ignore": the short-text rule aside, every such pair must be a candidate.
        config = DedupConfig(
            verify="ratio", threshold=0.9, shingle="auto", numbers="ignore", seed=tried
        )
        items = list(dedup_records([a, b], config=config))
        found += not items[1].kept
    assert tried >= 50
    assert found == tried


# -- numbers and fields -----------------------------------------------------------------


def test_series_items_differing_in_one_number_are_kept_apart() -> None:
    texts = [
        "Straub D. Editor's Comments. MIS Quarterly 2002;26(1):iii-iv",
        "Straub D. Editor's Comments. MIS Quarterly 2002;26(2):iii-iv",
        "Straub D. Editor's Comments. MIS Quarterly 2002;26(3):iii-iv",
        "Straub D. Editors Comments. MIS Quarterly 2002;26(1):iii-iv",  # the first, again
    ]
    items = list(dedup_records(texts, config=DedupConfig(shingle="auto", threshold=0.5)))
    assert [i.kept for i in items] == [True, True, True, False]
    assert items[3].duplicate_of == "0"
    # With fixed word shingles and numbers left alone, documents compare as before.
    config = DedupConfig(shingle="char", ngram=3, threshold=0.5)
    assert [i.kept for i in dedup_records(texts, config=config)] == [True, False, False, False]


def test_very_short_texts_differ_in_one_unlike_word() -> None:
    texts = [
        "First record, complete and fine.",
        "Third record, complete and fine.",
        "Apple iPhone 12 64GB Black",
        "Apple iPhone 12 64GB White",
        "Langhorne P. Stroke outcomes",
        "Langhorne Peter. Stroke outcomes",  # an initial spelled out: the same record
    ]
    items = list(dedup_records(texts, config=DedupConfig(shingle="auto", threshold=0.5)))
    assert [i.kept for i in items] == [True, True, True, True, True, False]


def test_a_missing_number_agrees_a_different_one_does_not() -> None:
    # The engine compares keys (punctuation gone): "40:101" is two numbers there.
    assert numbers_agree(normalize_key("Stroke 2009;40:101-110"), normalize_key("Stroke 2009;40"))
    assert numbers_agree("Stroke 2009;40(4), 101-110", "Stroke 2009;40(4)")
    assert not numbers_agree("Handbook, Part 1", "Handbook, Part 2")
    assert not numbers_agree("Editorial Introduction, vol 3 issue 4", "vol 3 issue 5")


RECORDS = [
    {"id": "a", "title": "Stroke rehabilitation outcomes", "authors": "Langhorne, Peter; Müller, Jürgen",
     "journal": "Stroke", "year": 2009, "volume": 40, "issue": 4, "pages": "101-110"},
    {"id": "b", "title": "Stroke Rehabilitation Outcomes.", "authors": "J. Muller and P. Langhorne",
     "journal": "Stroke", "year": 2009, "volume": 40},
    {"id": "c", "title": "Stroke rehabilitation outcomes", "authors": "Langhorne, Peter; Müller, Jürgen",
     "journal": "Stroke", "year": 2009, "volume": 40, "issue": 5, "pages": "101-110"},
    {"id": "d", "title": "Editorial Introduction", "authors": "Rossi, Ana", "journal": "BMJ",
     "year": 2010, "issue": 1},
    {"id": "e", "title": "Editorial Introduction", "authors": "Rossi, Ana", "journal": "BMJ",
     "year": 2010, "issue": 2},
]  # fmt: skip
FIELDS = ("title", "authors", "journal", "year", "volume", "issue", "pages")


def test_records_with_fields_must_agree_in_exact_fields() -> None:
    config = DedupConfig(verify="ratio", threshold=0.85, shingle="auto", fields=FIELDS)
    items = list(dedup_records(RECORDS, config=config))
    assert [(i.record.id, i.kept, i.duplicate_of) for i in items] == [
        ("a", True, None),
        ("b", False, "a"),  # names folded and reordered, issue and pages missing: same record
        ("c", True, None),  # issue 5, not 4
        ("d", True, None),
        ("e", True, None),  # another issue of the monthly editorial
    ]


def test_field_rules() -> None:
    assert parse_fields(["title", "authors", "year", "doi", "venue:fuzzy"]) == (
        ("title", "folded"),
        ("authors", "names"),
        ("year", "exact"),
        ("doi", "exact"),
        ("venue", "fuzzy"),
    )
    with pytest.raises(ValueError, match="rule must be one of"):
        parse_fields(["year:strict"])
    with pytest.raises(ValueError, match="named twice"):
        DedupConfig(fields=("year", "year"))
    with pytest.raises(TypeError, match="tuple"):
        DedupConfig(fields="title")  # type: ignore[arg-type]
    assert name_key("Langhorne, Peter; Müller, J.") == name_key("J Muller & P. Langhorne")
    assert record_key({"title": "Über", "year": 2002}, ["title", "year"]) == "uber 2002"
    assert record_agree(RECORDS[1], FIELDS) == ("2009", "40", None, None)


# -- shingles by length -----------------------------------------------------------------


def test_auto_keeps_word_shingles_for_documents() -> None:
    corpus = planted_corpus(150, seed=3)
    plain = list(dedup_records(corpus.records, config=DedupConfig()))
    auto = list(dedup_records(corpus.records, config=DedupConfig(shingle="auto")))
    assert [(i.kept, i.duplicate_of, i.score) for i in auto] == [
        (i.kept, i.duplicate_of, i.score) for i in plain
    ]
    assert sum(not i.kept for i in plain) > 0


def test_auto_resolution() -> None:
    short = DedupConfig(shingle="auto").resolved(12)
    assert (short.shingle, short.ngram, short.numbers_agree) == ("char", AUTO_CHAR_NGRAM, True)
    long_ = DedupConfig(shingle="auto").resolved(300)
    assert (long_.shingle, long_.ngram, long_.numbers_agree) == ("word", 5, False)
    lines = DedupConfig(shingle="auto", unit="line").resolved(8)
    assert lines.shingle == "word"
    with pytest.raises(ValueError, match="decided from the items"):
        DedupConfig(shingle="auto").lsh()


# -- the command line -------------------------------------------------------------------


def test_cli_fields_keep_records_as_they_are(tmp_path: Path) -> None:
    src = tmp_path / "recs.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "dedup",
            str(src),
            "--fields",
            ",".join(FIELDS),
            "--verify",
            "ratio",
            "--threshold",
            "0.85",
        ],
    )
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out == [r for r in RECORDS if r["id"] != "b"]
    assert "shingles: char 3-grams (auto: median item" in result.stderr


def test_cli_short_texts_default_to_auto(tmp_path: Path) -> None:
    src = tmp_path / "short.jsonl"
    texts = [
        "Straub D. Editor's Comments. MIS Quarterly 2002;26(1)",
        "Straub D. Editor's Comments. MIS Quarterly 2002;26(2)",
        "Langhorne, P. Stroke rehabilitation outcomes. Stroke 2009;40:101-110",
        "Langhorne, Peter. Stroke rehabilitation outcomes. Stroke 2009;40:101-110",
    ]
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    stats = tmp_path / "stats.json"
    result = CliRunner().invoke(
        main, ["dedup", str(src), "--verify", "ratio", "--threshold", "0.9", "--stats", str(stats)]
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["text"] for x in result.stdout.splitlines()] == texts[:3]
    settings_ = json.loads(stats.read_text())["settings"]
    assert (settings_["shingle"], settings_["ngram"], settings_["rows"]) == ("char", 3, 2)
    assert settings_["lsh_jaccard"] == pytest.approx(indel_qgram_jaccard(0.9, 3))


def test_cli_index_refuses_auto_given(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text('{"text": "one two three"}\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["index", "add", str(tmp_path / "i.sqlite"), str(src), "--shingle", "auto"]
    )
    assert result.exit_code == 2
    assert "an index needs fixed shingles" in result.stderr


def test_cli_params_show_the_mapping() -> None:
    result = CliRunner().invoke(
        main,
        ["params", "--threshold", "0.9", "--score", "ratio", "--shingle", "char", "--ngram", "3"],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("threshold 0.9, num_perm 128, verify on: 64 bands x 2 rows")
    assert lines[2] == (
        "ratio >= 0.9 on char 3-grams: bands tuned for Jaccard 0.310, P(candidate) there 0.998"
    )


def test_explain_says_numbers_differ() -> None:
    result = CliRunner().invoke(
        main,
        [
            "explain",
            "--text",
            "Editorial Introduction. BMJ 2010;1",
            "Editorial Introduction. BMJ 2010;2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "verdict: not a duplicate (the numbers differ (2010 1 / 2010 2): short texts must agree "
        "in their numbers)"
    )


def test_bands_for_recall_reach_it() -> None:
    from textdedup.lsh import lsh_params_for_recall

    for j in (0.1, 0.31, 0.5, 0.8):
        p = lsh_params_for_recall(j, 128, 0.95)
        assert float(p.probability(j)) >= 0.95
        more = p.rows + 1
        assert 1 - (1 - j**more) ** (128 // more) < 0.95 or more > 128
    assert np.isclose(lsh_params_for_recall(0.31, 128).threshold, 0.31)


def test_spark_refuses_auto_and_fields() -> None:
    pytest.importorskip("pyspark")
    from textdedup import spark as td_spark

    for config in (DedupConfig(shingle="auto"), DedupConfig(fields=("title", "year"))):
        with pytest.raises(ValueError, match="the Spark engine needs fixed shingles"):
            td_spark.dedup(object(), config=config)  # type: ignore[arg-type]


def test_index_refuses_auto_and_fields(tmp_path: Path) -> None:
    from textdedup.index import Index

    for config in (DedupConfig(shingle="auto"), DedupConfig(fields=("title",))):
        with pytest.raises(ValueError, match="an index needs fixed shingles"):
            Index(str(tmp_path / "i.sqlite"), config)
