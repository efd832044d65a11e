"""explain() against slow references, and the ``explain`` command."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import DedupConfig, normalize_key
from textdedup.cli import main
from textdedup.explain import explain, format_explanation, word_diff
from textdedup.lsh import band_keys, candidate_pairs

BASE = (
    "The quick brown fox jumps over the lazy dog while the farmer sleeps under an old oak tree "
    "and the cows graze quietly in the green field beside the river."
)
EDITED = (
    "The quick brown fox jumps over the lazy dog, while the farmer sleeps under an old OAK tree "
    "and the sheep graze quietly in the green field beside the river!"
)


def ref_shingles(text: str, n: int) -> set[tuple[str, ...]]:
    """Word n-grams in plain Python: the obviously-correct reference."""
    words = normalize_key(text).split()
    if not words:
        return set()
    if len(words) < n:
        return {tuple(words)}
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_scores_match_python_sets() -> None:
    e = explain(BASE, EDITED)
    a, b = ref_shingles(BASE, 5), ref_shingles(EDITED, 5)
    shared = len(a & b)
    assert (e.shingles_a, e.shingles_b, e.shared) == (len(a), len(b), shared)
    assert e.jaccard == pytest.approx(shared / len(a | b))
    assert e.containment_a == pytest.approx(shared / len(a))
    assert e.containment_b == pytest.approx(shared / len(b))
    assert abs(e.jaccard_estimate - e.jaccard) < 0.15


words = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), min_size=0, max_size=25)


@settings(max_examples=150, deadline=None)
@given(words, words, st.integers(1, 4))
def test_jaccard_and_containment_equal_reference(wa: list[str], wb: list[str], n: int) -> None:
    a, b = " ".join(wa), " ".join(wb)
    e = explain(a, b, config=DedupConfig(ngram=n))
    ra, rb = ref_shingles(a, n), ref_shingles(b, n)
    union = ra | rb
    assert e.jaccard == pytest.approx(len(ra & rb) / len(union) if union else 1.0)
    assert e.containment_a == pytest.approx(len(ra & rb) / len(ra) if ra else 1.0)
    assert e.candidate == bool(e.bands)


@settings(max_examples=150, deadline=None)
@given(words, words)
def test_spans_point_at_equal_words(wa: list[str], wb: list[str]) -> None:
    # Punctuation and case in the originals must not shift the offsets.
    a = " ".join(w.upper() if i % 3 == 0 else w + "," for i, w in enumerate(wa))
    b = "  ".join(wb)
    e = explain(a, b, spans=100)
    assert e.matched_words == sum(s.words for s in e.spans)
    for s in e.spans:
        piece_a, piece_b = a[s.a_start : s.a_end], b[s.b_start : s.b_end]
        assert s.text == piece_a
        assert normalize_key(piece_a).split() == normalize_key(piece_b).split()
        assert len(normalize_key(piece_a).split()) == s.words


def test_spans_are_longest_first_with_offsets() -> None:
    a = "alpha beta gamma delta. one two three four five six seven eight."
    b = "one two three four five six seven eight! x y alpha beta"
    e = explain(a, b)
    first = e.spans[0]
    assert (first.words, first.text) == (8, "one two three four five six seven eight")
    assert (first.a_start, first.a_end) == (24, 63)
    assert (first.b_start, first.b_end) == (0, 39)


def test_bands_are_the_ones_that_collide() -> None:
    config = DedupConfig(threshold=0.5)
    e = explain(BASE, EDITED, config=config)
    sig = config.hasher().signatures([normalize_key(BASE), normalize_key(EDITED)])
    keys = band_keys(sig, config.lsh())
    assert e.bands == tuple(np.flatnonzero(keys[0] == keys[1]).tolist())
    assert e.candidate == (len(candidate_pairs(keys)) == 1)
    assert (e.bands_total, e.rows) == (config.lsh().bands, config.lsh().rows)


def test_verdicts_and_reasons() -> None:
    same = explain("Hello, World! " * 5, "hello world " * 5)
    assert same.duplicate and same.reason == "same key: exact duplicate (found without LSH)"
    far = explain(BASE, "Completely different words about something else entirely, nothing shared.")
    assert not far.duplicate and far.bands == () and far.spans == ()
    assert far.reason == "no LSH band collides, so the pair is never verified"
    empty = explain("", BASE)
    assert not empty.duplicate and empty.reason == "an empty key is never compared"
    near = explain(BASE, EDITED, config=DedupConfig(threshold=0.3))
    assert near.duplicate and near.reason.endswith(f"exact Jaccard {near.jaccard:.3f} >= 0.3")
    strict = explain(BASE, EDITED, config=DedupConfig(threshold=0.95))
    assert not strict.duplicate


def test_verify_names_the_score() -> None:
    base = DedupConfig(threshold=0.2)
    assert explain(BASE, EDITED, config=dataclasses.replace(base, verify="ratio")).score == (
        pytest.approx(explain(BASE, EDITED).ratio)
    )
    e = explain(BASE, EDITED, config=dataclasses.replace(base, verify="none"))
    assert e.score == e.jaccard_estimate


def test_char_shingles() -> None:
    e = explain("colour", "color", config=DedupConfig(ngram=3, shingle="char"))
    # col olo lou our | col olo lor: 2 shared of 5
    assert (e.shingles_a, e.shingles_b, e.shared) == (4, 3, 2)
    assert e.jaccard == pytest.approx(2 / 5)


def test_to_dict_is_json_ready() -> None:
    d = json.loads(json.dumps(explain(BASE, EDITED).to_dict()))
    assert set(d) >= {"jaccard", "jaccard_estimate", "containment", "fuzz", "lsh", "spans"}
    assert d["settings"]["bands"] * d["settings"]["rows"] <= 128
    assert set(d["fuzz"]) == {"ratio", "partial_ratio", "token_sort_ratio"}
    assert d["spans"][0]["a"] == [0, d["spans"][0]["a"][1]]


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="a and b must be str, got bytes and str"):
        explain(b"abc", "abc")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="spans must be an int >= 0, got -1"):
        explain("a", "b", spans=-1)


def test_report_text() -> None:
    lines = format_explanation(explain(BASE, EDITED)).splitlines()
    assert lines[0].startswith("verdict: ")
    assert any(line.startswith("containment: A in B ") for line in lines)
    assert lines[-1].startswith("  ")


# -- the command ---------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(BASE, encoding="utf-8")
    b.write_text(EDITED, encoding="utf-8")
    return a, b


def test_explain_files(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(
        main, ["explain", str(files[0]), str(files[1]), "--shingle", "word"]
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    e = explain(BASE, EDITED)
    lines = result.stdout.splitlines()
    assert lines[0] == f"verdict: not a duplicate ({e.reason})"
    assert f"jaccard: exact {e.jaccard:.4f}, MinHash estimate {e.jaccard_estimate:.4f}" in lines
    assert f"containment: A in B {e.containment_a:.4f}, B in A {e.containment_b:.4f}" in lines


def test_explain_text_json_with_options() -> None:
    result = CliRunner().invoke(
        main,
        ["explain", "--text", BASE, EDITED, "--json", "--threshold", "0.3", "--ngram", "3"],
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["duplicate"] is True
    assert data["settings"]["ngram"] == 3 and data["settings"]["threshold"] == 0.3


def test_explain_stdin(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(
        main, ["explain", "-", str(files[1]), "--json", "--shingle", "word"], input=BASE
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["jaccard"] == round(explain(BASE, EDITED).jaccard, 6)


def test_explain_missing_file(tmp_path: Path, files: tuple[Path, Path]) -> None:
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(main, ["explain", str(files[0]), str(missing)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {missing}: no such file\n"


def test_explain_usage_errors() -> None:
    runner = CliRunner()
    both = runner.invoke(main, ["explain", "-", "-"])
    assert both.exit_code == 2
    assert both.stderr.endswith("Error: A and B cannot both be stdin\n")
    bad = runner.invoke(main, ["explain", "--text", "a", "b", "--threshold", "2"])
    assert bad.exit_code == 2
    assert "Invalid value for '--threshold': must be in [0, 1], got 2.0" in bad.stderr
    one = runner.invoke(main, ["explain", "--text", "a"])
    assert one.exit_code == 2
    assert "Missing argument 'B'." in one.stderr


# -- the aligned word diff ----------------------------------------------------------------


def ref_lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence, by dynamic programming."""
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], prev + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


@settings(max_examples=200, deadline=None)
@given(words, words)
def test_word_diff_is_an_optimal_alignment(wa: list[str], wb: list[str]) -> None:
    a, b = " ".join(wa), "  ".join(wb)
    edits = word_diff(a, b)
    # The edits cover both texts' words in order, each word once.
    assert [w for e in edits for w in a[e.a_start : e.a_end].split()] == wa
    assert [w for e in edits for w in b[e.b_start : e.b_end].split()] == wb
    for e in edits:
        assert e.words_a == len(a[e.a_start : e.a_end].split())
        assert e.words_b == len(b[e.b_start : e.b_end].split())
        if e.tag == "equal":
            assert a[e.a_start : e.a_end].split() == b[e.b_start : e.b_end].split()
        assert (e.tag == "insert") == (e.words_a == 0)
        assert (e.tag == "delete") == (e.words_b == 0)
    # No two edits in a row are both changes (a delete beside an insert is one replace).
    tags = [e.tag for e in edits]
    assert all(x == "equal" or y == "equal" for x, y in itertools.pairwise(tags))
    # As many equal words as the longest common subsequence.
    assert sum(e.words_a for e in edits if e.tag == "equal") == ref_lcs(wa, wb)


def test_word_diff_keeps_case_and_punctuation() -> None:
    e = explain(BASE, EDITED)
    changed = {
        (BASE[d.a_start : d.a_end], EDITED[d.b_start : d.b_end]) for d in e.diff if d.tag != "equal"
    }
    assert changed == {("dog", "dog,"), ("oak", "OAK"), ("cows", "sheep"), ("river.", "river!")}
    assert e.diff_counts() == {"removed": 0, "added": 0, "changed_a": 4, "changed_b": 4}
    d = e.to_dict()["diff"]
    assert d["edits"][0] == {
        "tag": "replace",
        "a": [40, 43],
        "b": [40, 44],
        "a_text": "dog",
        "b_text": "dog,",
    }


def test_explain_command_shows_the_differences() -> None:
    result = CliRunner().invoke(
        main, ["explain", "--text", "the cat sat on the old mat", "the cat sat on a mat today"]
    )
    assert result.exit_code == 0
    tail = result.stdout.splitlines()
    start = next(i for i, line in enumerate(tail) if line.startswith("differences"))
    assert tail[start:] == [
        "differences (2): 0 words removed, 1 added, 2 changed into 1; first 2:",
        '  ~ A[15:22] B[15:16] changed "the old" -> "a"',
        '  + A[26:26] B[21:26] added "today"',
    ]
    same = CliRunner().invoke(main, ["explain", "--text", "one two", "one  two"])
    assert same.stdout.splitlines()[-1] == "differences: none (the same words in the same order)"
