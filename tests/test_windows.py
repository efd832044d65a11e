"""Tests for sentence and word-window blocks (textdedup.windows) and the sentence and
window units of the corpus commands."""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import DedupConfig, dedup_records
from textdedup.cli import main
from textdedup.synthetic import vocabulary
from textdedup.windows import sentence_blocks, unit_blocks, window_blocks


def _prose(rng: random.Random, sentences: int, vocab: list[str]) -> str:
    return " ".join(
        " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 20))).capitalize() + "."
        for _ in range(sentences)
    )


@pytest.fixture(scope="module")
def vocabs() -> tuple[list[str], list[str]]:
    words = sorted({w.lower() for w in vocabulary()})
    return words[::2], words[1::2]


def _fold(text: str) -> str:
    return " ".join(text.split())


# -- sentence blocks -----------------------------------------------------------------------


def test_sentence_blocks_do_not_depend_on_the_line_width(
    vocabs: tuple[list[str], list[str]],
) -> None:
    rng = random.Random(1)
    prose = _prose(rng, 30, vocabs[0])
    expected = [_fold(b.text) for b in sentence_blocks(prose)]
    assert len(expected) == 30
    for width in (60, 70, 120, 180):
        text = textwrap.fill(prose, width)
        blocks = sentence_blocks(text)
        assert [_fold(b.text) for b in blocks] == expected
        for b in blocks:  # offsets into the text as written
            assert text[b.start : b.end] == b.text
            assert b.line_start == text.count("\n", 0, b.start) + 1


def test_sentence_blocks_cut_at_headings_of_hard_wrapped_text_without_blank_lines(
    vocabs: tuple[list[str], list[str]],
) -> None:
    rng = random.Random(2)
    one, two = _prose(rng, 8, vocabs[0]), _prose(rng, 8, vocabs[0])
    text = "Chapter One\n" + textwrap.fill(one, 72) + "\nChapter Two\n" + textwrap.fill(two, 72)
    texts = [b.text for b in sentence_blocks(text)]
    assert "Chapter One" in texts and "Chapter Two" in texts
    assert len(texts) == 18


def test_sentence_blocks_leave_verse_and_code_lines_together() -> None:
    verse = "Roses are red,\nViolets are blue,\nSugar is sweet,\nAnd so are you.\n"
    assert [b.text for b in sentence_blocks(verse)] == [verse.strip()]
    code = "def f(x):\n    return x + 1\n\nprint(f(2))\n"
    assert [b.text for b in sentence_blocks(code)] == ["def f(x):\n    return x + 1", "print(f(2))"]
    assert sentence_blocks("") == [] and sentence_blocks(" \n\n ") == []


# -- word windows --------------------------------------------------------------------------


def _reference_windows(words: list[str], size: int, step: int) -> list[list[str]]:
    if not words:
        return []
    out, start = [], 0
    while True:
        out.append(words[start : start + size])
        if start + size >= len(words):
            return out
        start = min(start + step, len(words) - size)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "bb", "c.", "d,", "e\n", "f  ", "g\n\n"]), max_size=40),
    st.integers(1, 8),
    st.integers(1, 8),
)
def test_window_blocks_match_a_naive_reference(parts: list[str], size: int, step: int) -> None:
    step = min(step, size)
    text = " ".join(parts)
    blocks = window_blocks(text, size=size, step=step)
    assert [b.text.split() for b in blocks] == _reference_windows(text.split(), size, step)
    for b in blocks:
        assert text[b.start : b.end] == b.text


def test_window_blocks_errors() -> None:
    with pytest.raises(ValueError, match=r"^size must be an int >= 1, got 0$"):
        window_blocks("a b", size=0)
    with pytest.raises(ValueError, match=r"^step must be an int in \[1, size=4\], got 5$"):
        window_blocks("a b", size=4, step=5)
    with pytest.raises(ValueError, match="unit must be one of paragraph, line, sentence, window"):
        unit_blocks("a b", "doc")


# -- the sentence and window units in the corpus commands ---------------------------------


def _two_docs(tmp_path: Path, vocabs: tuple[list[str], list[str]]) -> tuple[list[str], str]:
    """d0 hard-wrapped at 70 holds a passage of 8 sentences; d1 copies it wrapped at 150."""
    filler, own = vocabs
    rng = random.Random(1)
    passage = _prose(rng, 8, own)
    a = textwrap.fill(_prose(rng, 10, filler) + " " + passage + " " + _prose(rng, 6, filler), 70)
    b = textwrap.fill(_prose(rng, 5, filler) + " " + passage + " " + _prose(rng, 4, filler), 150)
    path = tmp_path / "c.jsonl"
    path.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate([a, b])),
        encoding="utf-8",
    )
    return [a, b], passage


def test_dedup_unit_sentence_removes_rewrapped_copies(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    (a, b), passage = _two_docs(tmp_path, vocabs)
    out, log = tmp_path / "out.jsonl", tmp_path / "removals.jsonl"
    args = ["dedup", str(tmp_path / "c.jsonl"), "--id-field", "id", "--unit", "sentence", "-q"]
    res = CliRunner().invoke(main, [*args, "-o", str(out), "--removals", str(log)])
    assert res.exit_code == 0, res.output
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert kept[0]["text"] == a
    (entry,) = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert entry["id"] == "d1"
    removed = entry["blocks"]
    assert len(removed) == 8  # the eight copied sentences, whatever the wrapping
    for blk in removed:
        copy = b[blk["start"] : blk["end"]]
        source = a[blk["kept"]["start"] : blk["kept"]["end"]]
        assert _fold(copy) == _fold(source) and _fold(copy) in passage
    assert passage not in _fold(kept[1]["text"])
    assert _fold(kept[1]["text"]) == _fold(b.replace(passage, "")) or _fold(
        kept[1]["text"]
    ) == _fold(_fold(b).replace(passage + " ", ""))


def test_find_and_annotate_unit_window_report_copies_and_cut_nothing(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    (a, b), passage = _two_docs(tmp_path, vocabs)
    args = ["dedup", str(tmp_path / "c.jsonl"), "--id-field", "id", "--unit", "window", "-q"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1].startswith("Error: --unit window finds copies but cuts none")
    res = CliRunner().invoke(main, [*args, "--action", "annotate"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["text"] for r in rows] == [a, b]  # nothing cut
    windows = rows[1]["dedup"]["blocks"]
    inside = [w for w in windows if _fold(b[w["start"] : w["end"]]) in passage]
    assert len(inside) >= 6
    for w in windows:  # every reported window overlaps the copied passage
        assert w["score"] >= 0.7
        words = set(_fold(b[w["start"] : w["end"]]).split())
        assert len(words & set(passage.split())) >= 0.7 * len(words)
    # The library reports windows and returns the text unchanged.
    items = list(dedup_records([a, b], config=DedupConfig(level="window")))
    assert [i.text for i in items] == [a, b] and items[1].removed_blocks


def test_index_add_and_check_unit_sentence(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    (a, _), passage = _two_docs(tmp_path, vocabs)
    train = tmp_path / "train.txt"
    train.write_text(a, encoding="utf-8")
    index = str(tmp_path / "i.sqlite")
    res = CliRunner().invoke(main, ["index", "add", index, str(train), "--unit", "sentence"])
    assert res.exit_code == 0, res.output
    test = tmp_path / "test.jsonl"
    sentences = [_fold(s.text) for s in sentence_blocks(passage)]
    rows = [
        {"id": "copied", "text": sentences[2]},
        {"id": "new", "text": _prose(random.Random(7), 1, vocabs[1])},
    ]
    test.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(test), "--id-field", "id", "--against", index])
    assert res.exit_code == 0, res.output
    got = {r["id"]: r["contaminated"] for r in map(json.loads, res.stdout.splitlines())}
    assert got == {"copied": True, "new": False}
