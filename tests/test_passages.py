"""Tests for passages: the aligner against a brute-force reference, edits and re-wraps,
corpus-level candidates, and span-level contamination."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup.contamination import contamination
from textdedup.passages import Passage, align, find_passages
from textdedup.synthetic import vocabulary

from .conftest import prose as _prose


@pytest.fixture(scope="module")
def vocabs() -> tuple[list[str], list[str]]:
    """Two disjoint vocabularies: one for filler text, one for planted passages."""
    words = [w.lower() for w in vocabulary()]
    words = sorted(set(words))
    return words[::2], words[1::2]


# -- the aligner against a naive reference ---------------------------------------------


def _reference(a: list[str], b: list[str], min_words: int) -> set[tuple[int, int, int]]:
    """All maximal common word substrings of length >= min_words: (a_start, b_start, n)."""
    out = set()
    for i in range(len(a)):
        for j in range(len(b)):
            if a[i] != b[j] or (i and j and a[i - 1] == b[j - 1]):
                continue
            n = 0
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            if n >= min_words:
                out.add((i, j, n))
    return out


def _word_starts(text: str) -> dict[int, int]:
    starts: dict[int, int] = {}
    pos = 0
    for k, w in enumerate(text.split()):
        pos = text.index(w, pos)
        starts[pos] = k
        pos += len(w)
    return starts


def _as_words(text_a: str, text_b: str, ps: list[Passage]) -> set[tuple[int, int, int]]:
    sa, sb = _word_starts(text_a), _word_starts(text_b)
    return {(sa[p.a_start], sb[p.b_start], p.words) for p in ps}


SMALL = st.lists(st.sampled_from("abcd"), min_size=0, max_size=60)


@settings(max_examples=200, deadline=None)
@given(a=SMALL, b=SMALL, ngram=st.integers(1, 4), extra=st.integers(0, 3), wrap=st.booleans())
def test_exact_matches_equal_brute_force(
    a: list[str], b: list[str], ngram: int, extra: int, wrap: bool
) -> None:
    min_words = ngram + extra
    text_a = " ".join(a)
    text_b = textwrap.fill(" ".join(b), 13) if wrap else " ".join(b)
    got = align(
        text_a, text_b, ngram=ngram, min_words=min_words, max_gap=0, min_score=0, max_pairs=10**9
    )
    assert _as_words(text_a, text_b, got) == _reference(a, b, min_words)
    for p in got:
        assert text_a[p.a_start : p.a_end].split() == text_b[p.b_start : p.b_end].split()
        assert p.matched == p.words and p.score == 1.0


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    edits=st.lists(st.sampled_from(["sub", "ins", "del"]), max_size=3),
    width_a=st.integers(40, 200),
    width_b=st.integers(40, 200),
)
def test_planted_passage_found_whole_across_edits_and_rewrapping(
    vocabs: tuple[list[str], list[str]],
    seed: int,
    edits: list[str],
    width_a: int,
    width_b: int,
) -> None:
    filler, own = vocabs
    rng = random.Random(seed)
    passage = _prose(rng, 6, own).split(" ")
    copy = list(passage)
    # Edits spread over the middle of the passage, at least 12 words apart.
    for k, kind in enumerate(edits):
        at = 15 + 15 * k
        if kind == "sub":
            copy[at] = "zzchanged"
        elif kind == "ins":
            copy.insert(at, "zzinserted")
        else:
            del copy[at]
    pa, pb = " ".join(passage), " ".join(copy)
    # Marker words at the edges, so that filler words do not happen to extend the copy.
    before_a, before_b = _prose(rng, 5, filler) + " Qqa.", _prose(rng, 3, filler) + " Qqb."
    after_a, after_b = "Rra " + _prose(rng, 4, filler), "Rrb " + _prose(rng, 6, filler)
    text_a = textwrap.fill(before_a + " " + pa + " " + after_a, width_a)
    text_b = textwrap.fill(before_b + " " + pb + " " + after_b, width_b)
    got = align(text_a, text_b)
    assert len(got) == 1
    p = got[0]
    assert " ".join(text_a[p.a_start : p.a_end].split()) == pa
    assert " ".join(text_b[p.b_start : p.b_end].split()) == pb
    assert p.words == len(copy)
    assert p.matched == len(copy) - sum(k in ("sub", "ins") for k in edits)


def test_no_passage_between_unrelated_texts(vocabs: tuple[list[str], list[str]]) -> None:
    filler, own = vocabs
    rng = random.Random(3)
    assert align(_prose(rng, 30, filler), _prose(rng, 30, own)) == []
    assert align("", "") == []
    assert align("one two", "one two", ngram=2, min_words=2) != []


def test_align_rejects_bad_options() -> None:
    with pytest.raises(ValueError, match="min_words must be >= ngram"):
        align("a", "b", ngram=8, min_words=5)
    with pytest.raises(ValueError, match="max_gap must be >= 0, got -1"):
        align("a", "b", max_gap=-1)
    with pytest.raises(ValueError, match=r"min_score must be in \[0, 1\], got 2"):
        align("a", "b", min_score=2)
    with pytest.raises(TypeError, match="expected str"):
        align(b"a", "b")  # type: ignore[arg-type]


# -- corpus level ----------------------------------------------------------------------------


def _corpus(
    vocabs: tuple[list[str], list[str]], seed: int
) -> tuple[list[str], list[tuple[int, int, str]]]:
    """Long documents with passages planted across them, plus shared boilerplate."""
    filler, own = vocabs
    rng = random.Random(seed)
    boiler = (
        "This document is provided as is without any warranty of any kind and may be "
        "copied freely for any purpose provided that this notice is kept intact in every copy."
    )
    docs = [_prose(rng, 40, filler) for _ in range(12)]
    truth = []
    for k in range(5):
        src, dst = rng.sample(range(12), 2)
        passage = _prose(rng, rng.randint(2, 8), own)
        cut = docs[src].index(". ", rng.randint(0, len(docs[src]) - 200)) + 2
        docs[src] = docs[src][:cut] + passage + " " + docs[src][cut:]
        cut = docs[dst].index(". ", rng.randint(0, len(docs[dst]) - 200)) + 2
        docs[dst] = docs[dst][:cut] + passage + " " + docs[dst][cut:]
        truth.append((src, dst, passage))
        del k
    docs = [boiler + " " + d for d in docs]
    docs = [textwrap.fill(d, rng.choice([70, 100, 180])) for d in docs]
    return docs, truth


def test_find_passages_recovers_planted_and_ignores_boilerplate(
    vocabs: tuple[list[str], list[str]],
) -> None:
    docs, truth = _corpus(vocabs, 7)
    found = find_passages(docs)
    got = {
        (m.a, m.b, " ".join(docs[m.b][m.passage.b_start : m.passage.b_end].split())) for m in found
    }
    want = {(min(s, d), max(s, d), p) for s, d, p in truth}
    assert got == want
    for m in found:
        a_text = " ".join(docs[m.a][m.passage.a_start : m.passage.a_end].split())
        assert a_text == " ".join(docs[m.b][m.passage.b_start : m.passage.b_end].split())


def test_find_passages_is_deterministic_and_order_free(
    vocabs: tuple[list[str], list[str]],
) -> None:
    docs, _ = _corpus(vocabs, 11)
    first = find_passages(docs)
    assert first == find_passages(list(docs))
    rev = list(reversed(docs))
    n = len(docs)

    def spans(ms: list, flip: bool) -> set:  # type: ignore[type-arg]
        out = set()
        for m in ms:
            a, b = (n - 1 - m.a, n - 1 - m.b) if flip else (m.a, m.b)
            p = m.passage
            out.add(frozenset({(a, p.a_start, p.a_end), (b, p.b_start, p.b_end)}))
        return out

    assert spans(find_passages(rev), True) == spans(first, False)


# -- contamination at span level -------------------------------------------------------------


def test_contamination_finds_items_planted_in_long_training_documents(
    vocabs: tuple[list[str], list[str]],
) -> None:
    filler, own = vocabs
    rng = random.Random(5)
    header = "Read the passage below and answer the question that follows it in one word only."
    items = [header + " " + _prose(rng, rng.randint(2, 3), own) for _ in range(30)]
    training = [_prose(rng, 60, filler) for _ in range(40)]
    planted = set(range(0, 30, 2))
    for i in sorted(planted):
        t = rng.randrange(40)
        body = items[i][len(header) + 1 :]
        cut = training[t].index(". ", rng.randint(0, len(training[t]) - 300)) + 2
        training[t] = training[t][:cut] + body + " " + training[t][cut:]
    # The instruction line is boilerplate of the training data too.
    training = [textwrap.fill(header + " " + t, rng.choice([80, 180])) for t in training]
    ours = contamination(items, training)
    assert {c.item for c in ours if c.contaminated} == planted
    for c in ours:
        if c.item in planted:
            # The copied body is covered; the header is not (boilerplate).
            body_start = len(header) + 1
            assert c.spans == ((body_start, len(items[c.item])),)
            src = c.sources[0]
            assert (
                " ".join(training[src.doc][src.start : src.end].split())
                == items[c.item][src.item_start : src.item_end]
            )
        else:
            assert c.coverage == 0.0 and c.spans == () and c.sources == ()
    # The 13-gram rule flags every item: each shares the 15-word header with training.
    rule = contamination(items, training, definition="ngram13")
    assert all(c.contaminated for c in rule)
    assert {c.item for c in rule if c.coverage > 0.5} == planted


def test_contamination_bad_options() -> None:
    with pytest.raises(ValueError, match="definition must be one of textdedup, ngram13"):
        contamination(["a"], ["b"], definition="gpt3")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"threshold must be in \[0, 1\], got 1.5"):
        contamination(["a"], ["b"], threshold=1.5)
    assert contamination([], ["b"]) == []
    assert contamination(["short item"], [])[0].coverage == 0.0


def test_offsets_refer_to_original_text_with_unicode_and_punctuation() -> None:
    body = " ".join(f"“Wörd{i}”," for i in range(30))
    a = "Préface —\n" + textwrap.fill(body, 50)
    b = "Autre texte.\r\n" + textwrap.fill(body, 90) + "\n\nFin."
    (p,) = align(a, b)
    # Spans take the punctuation that clings to the outer words.
    assert a[p.a_start : p.a_end].startswith("“Wörd0”")
    assert b[p.b_start : p.b_end].startswith("“Wörd0”")
    assert a[p.a_start : p.a_end].endswith("Wörd29”,")
    assert " ".join(a[p.a_start : p.a_end].split()) == body
    assert np.isclose(p.score, 1.0)


# -- the CLI ---------------------------------------------------------------------------------


def _cli_files(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> tuple[str, str, str, list[dict[str, str]]]:
    import json

    filler, own = vocabs
    rng = random.Random(21)
    passage = _prose(rng, 5, own)
    a = textwrap.fill(_prose(rng, 20, filler) + " " + passage + " " + _prose(rng, 9, filler), 80)
    b = textwrap.fill(_prose(rng, 8, filler) + " " + passage + " " + _prose(rng, 9, filler), 150)
    (tmp_path / "a.txt").write_text(a + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(b + "\n", encoding="utf-8")
    sentences = passage.split(". ")
    items = [
        {"id": "q1", "text": ". ".join(sentences[1:3]) + "."},
        {"id": "q2", "text": _prose(rng, 2, own)},
    ]
    (tmp_path / "test.jsonl").write_text(
        "".join(json.dumps(x) + "\n" for x in items), encoding="utf-8"
    )
    return a + "\n", b + "\n", passage, items


def test_cli_passages_writes_spans_in_both_files(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    import json

    from click.testing import CliRunner

    from textdedup.cli import main

    a, b, passage, _ = _cli_files(tmp_path, vocabs)
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(
        main, ["passages", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert res.stderr == "1 passages in 2 records\n"
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["a"].endswith("a.txt") and row["b"].endswith("b.txt")
    assert " ".join(a[row["a_start"] : row["a_end"]].split()) == passage
    assert " ".join(b[row["b_start"] : row["b_end"]].split()) == passage
    assert row["words"] == len(passage.split()) and row["score"] == 1.0


def test_cli_passages_against_training(tmp_path: Path, vocabs: tuple[list[str], list[str]]) -> None:
    import json

    from click.testing import CliRunner

    from textdedup.cli import main

    a, _, _, items = _cli_files(tmp_path, vocabs)
    args = ["passages", str(tmp_path / "test.jsonl"), "--id-field", "id"]
    args += ["--against", str(tmp_path / "a.txt")]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["id"], r["contaminated"]) for r in rows] == [("q1", True), ("q2", False)]
    assert rows[0]["coverage"] == 1.0
    assert rows[0]["spans"] == [[0, len(items[0]["text"])]]
    src = rows[0]["sources"][0]
    assert " ".join(a[src["start"] : src["end"]].split()) == items[0]["text"]
    assert res.stderr == "1 of 2 records (50.0%) found in 1 training documents (textdedup)\n"
    res = CliRunner().invoke(main, [*args, "--fail-above", "0.2", "-q"])
    assert res.exit_code == 1
    assert res.stderr == "Error: contamination 50.0% is above --fail-above 20.0%\n"


def test_cli_passages_errors(tmp_path: Path, vocabs: tuple[list[str], list[str]]) -> None:
    from click.testing import CliRunner

    from textdedup.cli import main

    _cli_files(tmp_path, vocabs)
    a = str(tmp_path / "a.txt")
    res = CliRunner().invoke(main, ["passages", a, "--min-words", "3"])
    assert res.exit_code == 2
    assert "Error: --min-words must be >= --ngram (8)" in res.stderr
    res = CliRunner().invoke(main, ["passages", a, "-o", a])
    assert res.exit_code == 2
    assert f"Error: output {a} is an input file; name another output" in res.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"x": 1}\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["passages", str(bad)])
    assert res.exit_code == 1
    assert res.stderr == (
        f"Error: {bad}, line 1: missing field 'text'\n"
        "hint: --on-error skip would skip this record, count it and name it in the summary\n"
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    res = CliRunner().invoke(main, ["passages", str(empty)])
    assert res.exit_code == 0 and res.stdout == ""


def test_rewrapped_short_copy_kind_of_case_11() -> None:
    """The kind of shared case 11 (a short copy wrapped at another width), across two texts:
    the copy is found whole, as one passage, with spans in both texts as written."""
    from tests.conftest import SHARED

    article = (SHARED / "cases" / "11-rewrapped-short-copy" / "article.txt").read_text("utf-8")
    lines = article.splitlines(keepends=True)
    first, second = "".join(lines[:4]), "".join(lines[4:7])
    (p,) = align(first, second, min_words=20)
    assert second[p.b_start : p.b_end] == second.strip()
    assert first[p.a_start : p.a_end] == "".join(lines[1:4]).strip()
    assert p.score == 1.0
    # The same kind, own input: a copy re-wrapped at 35 columns inside other text.
    src = textwrap.fill(
        "The river board has agreed to dredge the lower reach of the canal before the autumn "
        "rains, and barges will moor at the east basin while the work goes on for six weeks.",
        70,
    )
    dst = "Notes from the meeting.\n" + textwrap.fill(" ".join(src.split()), 35) + "\nEnd."
    (q,) = align("Preface.\n" + src + "\nMore.", dst, min_words=20)
    assert " ".join(dst[q.b_start : q.b_end].split()) == " ".join(src.split())


def test_contamination_short_items_are_one_shingle() -> None:
    training = ["Some training text where the answer is forty two, said the computer, loudly."]
    items = ["The answer is forty two", "The answer is forty three", "", "..."]
    for definition in ("ngram13", "textdedup"):
        got = contamination(items, training, definition=definition)  # type: ignore[arg-type]
        assert [c.contaminated for c in got] == [True, False, False, False]
        assert got[0].spans == ((0, len(items[0])),)
        src = got[0].sources[0]
        assert training[0][src.start : src.end] == "the answer is forty two,"


def test_phrase_repeated_in_one_text_is_not_chained_twice_against_one_copy() -> None:
    """Found on the benchmark: one copy of a phrase in a, two in b; the two exact matches
    overlap in a and must not make a 21-word passage out of 11 words of a."""
    a = "Filler words here. ANY EXPRESS OR CONSEQUENTIAL DAMAGES ARISING OUT OF THE COST OF it."
    b = (
        "Other opening text. ANY EXPRESS OR CONSEQUENTIAL DAMAGES ARISING OUT OF ALL NECESSARY "
        "SERVICING, REPAIR OR CONSEQUENTIAL DAMAGES ARISING OUT OF THE COST OF more."
    )
    assert align(a, b, min_words=20) == []
    (p,) = align(a, b, min_words=11, min_score=0.5)
    assert p.matched <= 11
    assert p.score == round(p.matched / p.words, 6)


def test_chinese_counts_one_character_as_one_word() -> None:
    copied = "今天市场上的价格比去年高了很多，因为天气不好，收成也不如往年。"
    a = "第一段文字和别的内容。" + copied + "后面还有一些话。"
    b = "完全不同的开头，" + copied + "结尾。"
    (p,) = align(a, b)
    assert a[p.a_start : p.a_end] == copied
    assert b[p.b_start : p.b_end] == copied
    assert p.words == sum(ch.isalpha() for ch in copied)


def test_an_item_copied_into_several_training_documents_is_contaminated() -> None:
    # 100 training documents of their own words; the item is copied into 5 of them.
    # Boilerplate is a shingle in more than 5 % of the documents (at least 4): the item
    # counts, where a fixed limit of 4 took it for boilerplate.
    from textdedup.contamination import contamination
    from textdedup.passages import auto_doc_freq

    item = (
        "The committee reviewed the harbour lease on Monday and asked the council to publish "
        "every bid it received before the vote in March."
    )
    training = [" ".join(f"w{d}x{i}" for i in range(60)) for d in range(100)]
    for d in (3, 20, 41, 77, 90):
        training[d] = training[d] + " " + item + " tail words here"
    assert auto_doc_freq(100) == 5 and auto_doc_freq(10) == 4 and auto_doc_freq(1000) == 50
    [found] = contamination([item], training)
    assert found.contaminated and found.coverage == 1.0
    [strict] = contamination([item], training, max_doc_freq=4)
    assert not strict.contaminated
