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
from textdedup.fields import (
    exact_value,
    name_key,
    parse_fields,
    record_agree,
    record_key,
    values_agree,
)
from textdedup.normalize import normalize_key
from textdedup.shingle import shingle_hashes
from textdedup.synthetic import planted_corpus
from textdedup.verify import (
    candidate_target,
    indel_qgram_jaccard,
    markers,
    numbers_agree,
    short_texts_differ,
)

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
    # The rule follows length, not the shingles; with numbers="ignore" they merge.
    config = DedupConfig(shingle="char", ngram=3, threshold=0.5)
    assert [i.kept for i in dedup_records(texts, config=config)] == [True, True, True, False]
    config = DedupConfig(shingle="char", ngram=3, threshold=0.5, numbers="ignore")
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
    # The names field's spelled-out given names come first, then the exact fields.
    assert record_agree(RECORDS[1], FIELDS)[1:] == ("2009", "40", None, None)


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
    assert (short.shingle, short.ngram) == ("char", AUTO_CHAR_NGRAM)
    long_ = DedupConfig(shingle="auto").resolved(300)
    assert (long_.shingle, long_.ngram) == ("word", 5)
    # The numbers rule follows the length of the pair, not the shingles.
    for config in (short, long_, DedupConfig(shingle="char", ngram=3), DedupConfig()):
        assert config.numbers_apply(12) and not config.numbers_apply(300)
    assert DedupConfig(numbers="agree").numbers_apply(300)
    assert not DedupConfig(numbers="ignore").numbers_apply(3)
    lines = DedupConfig(shingle="auto", level="line").resolved(8)
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
        ["params", "--threshold", "0.9", "--verify", "ratio", "--shingle", "char", "--ngram", "3"],
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


# -- findings of the second round (try16): numbers as written, kinds, names, fields ------


def _kept(texts: list[str], **options: object) -> list[bool]:
    return [i.kept for i in dedup_records(texts, config=DedupConfig(**options))]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Vitamin D3 0.5 mg softgels", "Vitamin D3 5 mg softgels"),  # decimal point
        ("Temperatures fell to -5 degrees overnight", "Temperatures fell to 5 degrees overnight"),
        ("Journal of Hydrology 2002;1(2):10-20", "Journal of Hydrology 2002;2(1):10-20"),  # order
        (
            "The vote passed by 52 to 48 in the Senate.",
            "The vote passed by 48 to 52 in the Senate.",
        ),
        ("Shares rose 2.5% on Monday", "Shares rose 2% on Monday"),
        ("Price: $1,299.99", "Price: $1,299"),
        ("Canon EF 50mm f/1.8 Lens", "Canon EF 50mm f/8 Lens"),
    ],
)
@pytest.mark.parametrize("shingle", ["auto", "char"])
def test_numbers_as_written_and_in_order_keep_texts_apart(a: str, b: str, shingle: str) -> None:
    # The rule reads the texts as written, and the char shingles a user picks keep it on.
    assert _kept([a, b], shingle=shingle, ngram=3, threshold=0.5) == [True, True]
    assert not numbers_agree(a, b)
    # The same pair with numbers="ignore" is one text (the rule, not the score, decides).
    if normalize_key(a) == normalize_key(b):
        assert _kept([a, b], shingle=shingle, ngram=3, numbers="ignore") == [True, False]


def test_numbers_left_out_still_agree() -> None:
    assert numbers_agree("Stroke 2002;33(4):101-110", "Stroke 2002;33(4)")
    assert numbers_agree("Route 66 closed", "Route 66 closed today")
    assert not numbers_agree("Route 66 closed", "Route -66 closed")


def test_equal_keys_with_other_numbers_are_not_exact() -> None:
    texts = ["Temperatures fell to -5 degrees.", "Temperatures fell to 5 degrees."]
    items = list(dedup_records(texts, config=DedupConfig(shingle="auto")))
    assert [i.kept for i in items] == [True, True]
    # Copies differing only in case are still duplicates, found by their key.
    items = list(dedup_records([texts[0], texts[0].upper()], config=DedupConfig(shingle="auto")))
    assert [i.kept for i in items] == [True, False]


def test_lines_with_char_shingles_keep_numbers(tmp_path: Path) -> None:
    # Three listings, each a record: a line that repeats an earlier record's line goes
    # (a record's own repeats are left to clean's in-document rule).
    src = tmp_path / "lines.jsonl"
    lines = [
        "Apple iPhone 13 128GB Midnight Black Unlocked for everyone",
        "Apple iPhone 13 256GB Midnight Black Unlocked for everyone",
        "Apple iPhone 13 128GB Midnight Black, Unlocked for everyone",
    ]
    src.write_text(
        "".join(json.dumps({"id": f"l{i}", "text": t}) + "\n" for i, t in enumerate(lines)),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        ["dedup", str(src), "--unit", "line", "--shingle", "char", "--ngram", "3",
         "--min-length", "10", "-o", "-", "-q"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "256GB" in result.stdout
    assert result.stdout.count("128GB") == 1


def test_check_has_numbers_option(tmp_path: Path) -> None:
    train = tmp_path / "train.jsonl"
    train.write_text('{"text": "Apple iPhone 13 128GB Midnight Black Unlocked"}\n')
    query = tmp_path / "q.jsonl"
    query.write_text('{"text": "Apple iPhone 13 512GB Midnight Black Unlocked"}\n')
    index = str(tmp_path / "i.sqlite")
    runner = CliRunner()
    added = runner.invoke(main, ["index", "add", index, str(train), "--shingle", "char",
                                 "--ngram", "3", "-q"])  # fmt: skip
    assert added.exit_code == 0, added.output
    for numbers, hits in (("auto", False), ("agree", False), ("ignore", True)):
        result = runner.invoke(
            main, ["check", "--against", index, str(query), "--numbers", numbers, "-q"]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["contaminated"] is hits, numbers


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The drug was effective in adults", "The drug was not effective in adults"),
        ("The bridge will open in March", "The bridge will never open in March"),
        ("Apple iPhone 13 128GB Black", "Apple iPhone 13 Pro 128GB Black"),
        ("Apple iPhone 13 Pro 128GB Black", "Apple iPhone 13 Pro Max 128GB Black"),
        ("Samsung Galaxy S21 256GB", "Samsung Galaxy S21+ 256GB"),
        ("Cotton T-Shirt Size XL Black", "Cotton T-Shirt Size XXL Black"),
        ("Nike Air Max Men's Running Shoes", "Nike Air Max Women's Running Shoes"),
        ("Male patient, 34, London", "Female patient, 34, London"),
        ("Gambling legal in Utah, court rules", "Gambling illegal in Utah, court rules"),
        ("Tax increase approved by Senate", "Tax decrease approved by Senate"),
        ("Vitamin D3 5 mg softgels", "Vitamin D3 5 mcg softgels"),
        ("Blood type A donors needed", "Blood type AB donors needed"),
        ("HP 64 Black Ink Cartridge", "HP 64XL Black Ink Cartridge"),
        # 10 to 19 words: an added negation or model word, or an opposite, still counts.
        ("The drug was effective in reducing blood pressure in adults.",
         "The drug was ineffective in reducing blood pressure in adults."),
        ("The company reported a profit of $5 million in the third quarter.",
         "The company reported a profit of $5 billion in the third quarter."),
        ("The drug was effective in reducing blood pressure in adults.",
         "The drug was not effective in reducing blood pressure in adults."),
    ],
)  # fmt: skip
def test_short_texts_with_another_word_are_apart(a: str, b: str) -> None:
    assert short_texts_differ(a, b) is not None
    assert _kept([a, b], shingle="auto", verify="ratio", threshold=0.75) == [True, True]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Langhorne, Peter: Stroke rehab", "Langhorne, P.: Stroke rehab"),
        ("Colour TV 32 inch", "Color TV 32 inch"),
        ("Müller J: Über Wellen", "Muller J: Uber Wellen"),
        ("worth 26 million dollars, officials said", "worth 26m dollars, officials says"),
        ("Stroke rehabilitation outcomes", "Stroke rehabilitation outcmoes"),
        (
            "Ewa Ostergaard (2012). The role of drought.",
            "Ostergaard, E. (2012). The role of drought.",
        ),
        # From 10 words a replaced word is not checked (measured: synonyms would split).
        (
            "The company reported a profit of $5 million in the third quarter.",
            "The company reported a loss of $5 million in the third quarter.",
        ),
    ],
)
def test_short_texts_with_alike_words_pass_the_rule(a: str, b: str) -> None:
    assert short_texts_differ(a, b) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Stroke rehabilitation after intensive care", "Correction to: Stroke rehabilitation after intensive care"),
        ("Stroke rehabilitation after intensive care", "Erratum: Stroke rehabilitation after intensive care"),
        ("Stroke rehabilitation after intensive care", "Retraction: Stroke rehabilitation after intensive care"),
        ("Handbook of coastal supply chains, Part I", "Handbook of coastal supply chains, Part II"),
        ("Handbook of coastal supply chains, part one", "Handbook of coastal supply chains, part two"),
        ("Handbook of coastal supply chains", "Handbook of coastal supply chains, Part 2"),
        ("Collected works of the society, Vol. 1", "Collected works of the society, Vol. 2"),
    ],
)  # fmt: skip
def test_kind_markers_keep_records_apart(a: str, b: str) -> None:
    assert markers(normalize_key(a)) != markers(normalize_key(b))
    assert _kept([a, b], shingle="auto", threshold=0.5) == [True, True]
    recs = [{"title": a, "authors": "Langhorne, P.", "year": 2011, "journal": "Lancet"},
            {"title": b, "authors": "Langhorne, Peter", "year": 2011}]  # fmt: skip
    fields = ("title", "authors", "journal", "year")
    config = DedupConfig(fields=fields, verify="ratio", threshold=0.7)
    assert [i.kept for i in dedup_records(recs, config=config)] == [True, True]


@pytest.mark.parametrize(
    ("field", "a", "b"),
    [
        ("year", "2011", 2011.0),
        ("year", 2011, "2011-05-12"),
        ("year", 2011, float("nan")),
        ("year", 2011, "NaN"),
        ("pages", "1693-1702", "1693-702"),
        ("pages", "1693-1702", "pp. 1693-1702"),
        ("pages", "1693\u20131702", "1693"),  # the start page alone agrees
        ("volume", "377", "Vol. 377"),
        ("issue", "9778", "No. 9778"),
        ("issue", "1", "01"),
    ],
)
def test_exact_fields_agree_as_values(field: str, a: object, b: object) -> None:
    fields = ("title", "authors", "journal", "year", "volume", "issue", "pages")
    base = {"title": "Stroke rehabilitation after intensive care: a randomised trial",
            "authors": "Langhorne, Peter; Bernhardt, Julie", "journal": "Lancet",
            "year": 2011, "volume": 377, "issue": 9778, "pages": "1693-1702"}  # fmt: skip
    recs = [dict(base, **{field: a}), dict(base, **{field: b})]
    for config in (
        DedupConfig(fields=fields, shingle="auto"),
        DedupConfig(fields=fields, shingle="auto", verify="ratio", threshold=0.85),
    ):
        items = list(dedup_records(recs, config=config))
        assert [i.kept for i in items] == [True, False]
        # Written differently: a near duplicate, never "exact".
        assert items[1].reason == "near"


@pytest.mark.parametrize(
    ("field", "a", "b"),
    [("pages", "1693-1702", "1694"), ("issue", "No. 1", "2"), ("year", 2011.0, "2012-01-01"),
     ("pages", "1693-702", "1693-1703")],
)  # fmt: skip
def test_exact_fields_that_differ_keep_records_apart(field: str, a: object, b: object) -> None:
    fields = ("title", "year", "issue", "pages")
    recs = [
        {"title": "Editorial Introduction", field: a},
        {"title": "Editorial Introduction", field: b},
    ]
    assert [i.kept for i in dedup_records(recs, config=DedupConfig(fields=fields))] == [True, True]


def test_exact_values() -> None:
    assert exact_value("pages", "pp. 1693-702") == "1693-1702"
    assert exact_value("year", 2011.0) == "2011"
    assert exact_value("volume", None) is None
    assert exact_value("issue", float("nan")) is None
    assert values_agree("1693-1702", "1693") and not values_agree("1693-1702", "1694")


@pytest.mark.parametrize(
    "authors",
    [
        "Langhorne P, Bernhardt J, Kwakkel G",
        "Langhorne P; Bernhardt J; Kwakkel G",
        "Peter Langhorne, Julie Bernhardt, Gert Kwakkel",
        "Langhorne, P., Bernhardt, J., Kwakkel, G.",
        "Kwakkel, Gert; Langhorne, Peter; Bernhardt, Julie",
        ["Langhorne, Peter", "Bernhardt, Julie", "Kwakkel, Gert"],
        [{"given": "Peter", "family": "Langhorne"}, {"given": "Julie", "family": "Bernhardt"},
         {"given": "G.", "family": "Kwakkel"}],
        "Kwakkel G, Bernhardt J, Langhorne P et al.",
    ],
)  # fmt: skip
def test_author_formats_give_one_name_key(authors: object) -> None:
    assert name_key(authors) == "bernhardt j; kwakkel g; langhorne p"


def test_name_particles_and_given_names() -> None:
    assert name_key("Jan van der Berg") == name_key("van der Berg, Jan") == "van der berg j"
    assert name_key("Berg, Jan van der") == "van der berg j"
    assert name_key([{"family": "Langhorne", "given": "Peter"}]) != name_key(
        [{"family": "Lang", "given": "Peter"}]
    )
    fields = ("title", "authors", "year")
    recs = [
        {"title": "Reply", "authors": "Langhorne, Peter; Smith, John", "year": 2011},
        {"title": "Reply", "authors": "Langhorne, Paul; Smith, Jane", "year": 2011},
        {"title": "Reply", "authors": "Smith, J.; Langhorne, P.", "year": "2011"},
    ]
    items = list(dedup_records(recs, config=DedupConfig(fields=fields)))
    # Peter is not Paul; P. may be either, so the third joins the first (not "exact").
    assert [i.kept for i in items] == [True, True, False]
    assert (items[2].duplicate_of, items[2].reason) == ("0", "near")
    same = list(dedup_records([recs[0], dict(recs[0])], config=DedupConfig(fields=fields)))
    assert same[1].reason == "exact"


def test_cli_params_option_names_match_dedup() -> None:
    runner = CliRunner()
    new = runner.invoke(main, ["params", "--verify", "ratio", "--shingle", "char", "--ngram", "3"])
    old = runner.invoke(main, ["params", "--score", "ratio", "--shingle", "char", "--ngram", "3"])
    assert new.exit_code == 0 and old.exit_code == 0, new.output + old.output
    assert new.stdout == old.stdout
    assert new.stdout.startswith("threshold 0.7,")  # dedup's default
    none = runner.invoke(main, ["params", "--verify", "none"])
    assert none.exit_code == 0 and "verify off" in none.stdout, none.output


def test_explain_takes_numbers() -> None:
    args = ["explain", "--text", "Vitamin D3 0.5 mg softgels", "Vitamin D3 5 mg softgels"]
    runner = CliRunner()
    apart = runner.invoke(main, args)
    same = runner.invoke(main, [*args, "--numbers", "ignore"])
    assert apart.exit_code == 0 and same.exit_code == 0, apart.output + same.output
    assert apart.stdout.startswith("verdict: not a duplicate (the numbers differ (3 0.5 / 3 5)")
    assert same.stdout.startswith("verdict: duplicate")
