"""CLI tests for passages inside the corpus commands: ``check --unit passage`` (span-level
contamination of a test set planted inside long training documents), ``find`` and
``dedup`` at passage level."""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from textdedup.cli import main
from textdedup.contamination import contamination
from textdedup.synthetic import vocabulary

from .conftest import prose as _prose

HEADER = "Read the passage below and answer the question that follows it in one word only."


@pytest.fixture(scope="module")
def vocabs() -> tuple[list[str], list[str]]:
    """Two disjoint vocabularies: one for filler text, one for planted passages."""
    words = sorted({w.lower() for w in vocabulary()})
    return words[::2], words[1::2]


def _planted(
    tmp_path: Path, vocabs: tuple[list[str], list[str]], seed: int = 3
) -> tuple[list[dict[str, str]], dict[str, str], dict[str, str]]:
    """A test set (JSONL) and long hard-wrapped training documents (text files), with
    the bodies of some items planted inside training documents.

    Returns the items, the training texts by file path, and the planted item ids with
    the training file each went into. Every item and every training document starts
    with the same instruction line: boilerplate.
    """
    filler, own = vocabs
    rng = random.Random(seed)
    items = [
        {"id": f"q{i}", "text": HEADER + " " + _prose(rng, rng.randint(2, 4), own)}
        for i in range(24)
    ]
    bodies = [_prose(rng, 50, filler) for _ in range(12)]
    planted: dict[str, int] = {}
    for i in range(0, 24, 3):
        t = rng.randrange(12)
        body = items[i]["text"][len(HEADER) + 1 :]
        cut = bodies[t].index(". ", rng.randint(0, len(bodies[t]) - 300)) + 2
        bodies[t] = bodies[t][:cut] + body + " " + bodies[t][cut:]
        planted[items[i]["id"]] = t
    # Hard-wrapped at 70 or 180 characters, no blank lines, boilerplate header first.
    train_dir = tmp_path / "train"
    train_dir.mkdir()
    training = {}
    for t, body in enumerate(bodies):
        path = train_dir / f"doc{t:02d}.txt"
        text = textwrap.fill(HEADER + " " + body, rng.choice([70, 180])) + "\n"
        path.write_text(text, encoding="utf-8")
        training[str(path)] = text
    test = tmp_path / "test.jsonl"
    test.write_text("".join(json.dumps(it) + "\n" for it in items), encoding="utf-8")
    return items, training, {q: str(train_dir / f"doc{t:02d}.txt") for q, t in planted.items()}


def _check(tmp_path: Path, *args: str) -> tuple[int, list[dict[str, object]], str]:
    res = CliRunner().invoke(
        main, ["check", str(tmp_path / "test.jsonl"), "--id-field", "id", *args]
    )
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    return res.exit_code, rows, res.stderr


def test_check_passage_level_finds_items_planted_in_long_training_documents(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    items, training, planted = _planted(tmp_path, vocabs)
    text_of = {it["id"]: it["text"] for it in items}
    code, rows, err = _check(tmp_path, "--training", str(tmp_path / "train"))
    assert code == 0, err
    assert err == "8 of 24 records (33.3%) found in 12 training documents (textdedup)\n"
    assert [r["id"] for r in rows] == [it["id"] for it in items]
    assert {r["id"] for r in rows if r["contaminated"]} == set(planted)
    body_start = len(HEADER) + 1
    for r in rows:
        item = text_of[str(r["id"])]
        if r["id"] not in planted:
            assert r["coverage"] == 0.0 and r["spans"] == [] and r["sources"] == []
            continue
        # The planted body is covered exactly; the shared instruction line is not.
        assert r["coverage"] < 1.0
        assert r["spans"] == [[body_start, len(item)]]
        sources = r["sources"]
        assert isinstance(sources, list) and sources
        src = sources[0]
        assert src["id"] == planted[str(r["id"])]
        # Offsets into the training file as written (hard-wrapped): the same words.
        found = training[src["id"]][src["start"] : src["end"]]
        assert "\n" in found
        assert " ".join(found.split()) == item[src["item_start"] : src["item_end"]]
        assert src["item_start"] == body_start and src["item_end"] == len(item)


def test_check_passage_level_ngram13_flags_boilerplate_too(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    _, _, planted = _planted(tmp_path, vocabs)
    code, rows, err = _check(
        tmp_path, "--training", str(tmp_path / "train"), "--definition", "ngram13"
    )
    assert code == 0, err
    # Every item shares the 15-word instruction line with the training text.
    assert all(r["contaminated"] for r in rows)
    assert err == "24 of 24 records (100.0%) found in 12 training documents (ngram13)\n"
    big = {r["id"] for r in rows if float(r["coverage"]) > 0.5}  # type: ignore[arg-type]
    assert big == set(planted)


def test_check_passage_level_gate_and_unit_flag(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    _planted(tmp_path, vocabs)
    train = str(tmp_path / "train")
    code, rows, err = _check(tmp_path, "--unit", "passage", "--training", train, "-q")
    assert code == 0 and err == "" and len(rows) == 24
    assert _check(tmp_path, "--training", train, "-q")[1] == rows  # --training implies it
    code, _, err = _check(tmp_path, "--training", train, "--fail-above", "0.3", "-q")
    assert code == 1
    assert err == "Error: contamination 33.3% is above --fail-above 30.0%\n"
    # A higher threshold: an item must be covered almost whole by one document.
    code, rows, _ = _check(tmp_path, "--training", train, "--threshold", "0.95", "-q")
    assert code == 0 and not any(r["contaminated"] for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "passage"], "--unit passage needs --training (files or folders)"),
        ([], "Missing option '--against' (the index; or --training DIR)."),
        (["--unit", "line", "--training", "T"], "--training goes with --unit passage"),
        (
            ["--training", "T", "--shingle", "word", "--seed", "3"],
            "--shingle, --seed: not used by --unit passage",
        ),
        (
            ["--training", "T", "--against", "I"],
            "--unit passage streams the training text given with --training; --against"
            " names an index, which holds keys, not the texts as written",
        ),
    ],
)
def test_check_passage_level_usage_errors(
    tmp_path: Path, vocabs: tuple[list[str], list[str]], args: list[str], message: str
) -> None:
    _planted(tmp_path, vocabs)
    (tmp_path / "I").write_bytes(b"")
    args = [str(tmp_path / a) if a in ("T", "I") else a for a in args]
    args = [str(tmp_path / "train") if a == str(tmp_path / "T") else a for a in args]
    code, rows, err = _check(tmp_path, *args)
    assert code == 2 and rows == []
    assert err.splitlines()[-1] == f"Error: {message}"


def test_contamination_same_result_with_worker_processes(
    vocabs: tuple[list[str], list[str]],
) -> None:
    filler, own = vocabs
    rng = random.Random(9)
    items = [_prose(rng, 3, own) for _ in range(10)]
    training = [_prose(rng, 20, filler) for _ in range(30)]
    for i in range(0, 10, 2):
        t = rng.randrange(30)
        training[t] = training[t] + " " + items[i] + " " + _prose(rng, 2, filler)
    one = contamination(items, training, workers=1)
    assert {c.item for c in one if c.contaminated} == {0, 2, 4, 6, 8}
    assert contamination(items, iter(training), workers=2, chunk_size=4) == one  # 8 chunks
    seen: list[int] = []
    contamination(items, training, workers=1, chunk_size=7, progress=seen.append)
    assert seen == [7, 7, 7, 7, 2]


def test_contamination_worker_options_are_checked() -> None:
    with pytest.raises(ValueError, match=r"^workers must be an int >= 1, got 0$"):
        contamination(["a b c"], ["a b c"], workers=0)
    with pytest.raises(ValueError, match=r"^chunk_size must be an int >= 1, got True$"):
        contamination(["a b c"], ["a b c"], chunk_size=True)
    with pytest.raises(TypeError, match=r"^expected str, got bytes$"):
        contamination(["a b c d e f g"], [b"a b c"] * 10, workers=2, chunk_size=2)


# -- find and dedup --unit passage ------------------------------------------------------------


def _corpus(tmp_path: Path, vocabs: tuple[list[str], list[str]]) -> tuple[list[str], str]:
    """Five records: r0 holds a passage, r1 and r3 copy it re-wrapped (r3 with one word
    changed), r2 and r4 are their own; every record has text of its own."""
    filler, own = vocabs
    rng = random.Random(11)
    passage = _prose(rng, 6, own)
    words = passage.split()
    edited = " ".join([*words[:30], "CHANGED", *words[31:]])
    texts = [
        textwrap.fill(_prose(rng, 8, filler) + " " + passage + " " + _prose(rng, 5, filler), 70),
        _prose(rng, 4, filler)
        + "\n\n"
        + textwrap.fill(passage, 120)
        + "\n\n"
        + _prose(rng, 3, filler),
        _prose(rng, 9, filler),
        textwrap.fill(_prose(rng, 3, filler) + " " + edited + " " + _prose(rng, 2, filler), 90),
        _prose(rng, 7, filler),
    ]
    rows = [{"id": f"r{i}", "text": t, "lang": "en"} for i, t in enumerate(texts)]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return texts, passage


def _fold(text: str) -> str:
    return " ".join(text.split())


def test_find_unit_passage_writes_spans_in_both_records(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    texts, passage = _corpus(tmp_path, vocabs)
    res = CliRunner().invoke(
        main, ["find", str(tmp_path / "c.jsonl"), "--id-field", "id", "--unit", "passage"]
    )
    assert res.exit_code == 0, res.output
    assert res.stderr == "3 passages in 3 pairs of documents, from 5 records\n"
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["a"], r["b"]) for r in rows] == [("r0", "r1"), ("r0", "r3"), ("r1", "r3")]
    for r in rows:
        a, b = texts[int(r["a"][1:])], texts[int(r["b"][1:])]
        copy_a, copy_b = _fold(a[r["a_start"] : r["a_end"]]), _fold(b[r["b_start"] : r["b_end"]])
        if r["b"] == "r1":  # verbatim, re-wrapped
            assert copy_a == copy_b == passage and r["score"] == 1.0
        else:  # one word changed: bridged, scored below 1
            assert copy_a == passage and copy_b == passage.replace(
                passage.split()[30], "CHANGED", 1
            )
            assert 0.8 <= r["score"] < 1.0


def test_dedup_unit_passage_cuts_later_copies_and_keeps_the_first(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    texts, passage = _corpus(tmp_path, vocabs)
    out, log, stats = tmp_path / "out.jsonl", tmp_path / "removals.jsonl", tmp_path / "s.json"
    args = ["dedup", str(tmp_path / "c.jsonl"), "--id-field", "id", "--unit", "passage"]
    res = CliRunner().invoke(
        main, [*args, "-o", str(out), "--removals", str(log), "--stats", str(stats)]
    )
    assert res.exit_code == 0, res.output
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in kept] == ["r0", "r1", "r2", "r3", "r4"]
    assert all(r["lang"] == "en" for r in kept)  # every field passes through
    # The first copy stays whole; the untouched records are as read.
    for n in (0, 2, 4):
        assert kept[n]["text"] == texts[n]
    removals = {r["id"]: r for r in map(json.loads, log.read_text(encoding="utf-8").splitlines())}
    # r3's copy changed a word ("CHANGED", in no other record): cutting it would lose
    # that word, so r3 stays whole; r1's verbatim copy goes.
    assert sorted(removals) == ["r1"]
    assert kept[3]["text"] == texts[3] and "CHANGED" in kept[3]["text"]
    (start, end), *more = removals["r1"]["cut"]
    assert more == []
    # Exactly the cut span is gone: the text before and after it is as read.
    assert kept[1]["text"] == texts[1][:start] + texts[1][end:]
    assert _fold(texts[1][start:end]) == passage
    assert removals["r1"]["passages"][0]["copy_of"] == "r0"
    assert removals["r1"]["kept"] is True
    # One copy of the passage is left in the output, and every other sentence is.
    joined = _fold(" ".join(r["text"] for r in kept))
    assert joined.count(passage) == 1
    for text in texts:
        for sentence in _fold(text).replace(passage, "").split(". "):
            if sentence.strip():
                assert sentence.strip() in joined
    s = json.loads(stats.read_text(encoding="utf-8"))
    assert (s["passages"], s["records_changed"], s["records_dropped"]) == (1, 1, 0)
    assert res.stderr == (
        f"cut 1 spans ({s['characters_cut']:,} characters, 1 passage pairs with earlier"
        " records) from 1 of 5 records; 0 left empty\n"
    )


def test_dedup_unit_passage_annotate_cuts_nothing_and_drops_empty_copies(
    tmp_path: Path, vocabs: tuple[list[str], list[str]]
) -> None:
    texts, passage = _corpus(tmp_path, vocabs)
    path = tmp_path / "c.jsonl"
    # r5 is nothing but the passage: cut, nothing is left, the record goes.
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "r5", "text": textwrap.fill(passage, 50)}) + "\n")
    args = ["dedup", str(path), "--id-field", "id", "--unit", "passage", "-q"]
    res = CliRunner().invoke(main, [*args, "--action", "annotate"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["text"] for r in rows] == [*texts, textwrap.fill(passage, 50)]
    marks = {r["id"]: r["dedup"] for r in rows}
    assert marks["r0"] == {"kept": True, "passages": [], "cut": []}
    assert marks["r5"]["kept"] is False and marks["r5"]["cut"] == [[0, len(rows[5]["text"])]]
    # r3 changed a word of it: r5 holds a word r3 lacks, so that pair cuts nothing.
    assert {p["copy_of"] for p in marks["r5"]["passages"]} == {"r0", "r1"}
    res = CliRunner().invoke(main, args)
    assert [json.loads(line)["id"] for line in res.stdout.splitlines()] == [
        "r0",
        "r1",
        "r2",
        "r3",
        "r4",
    ]


@pytest.mark.parametrize(
    ("command", "extra", "message"),
    [
        (["dedup"], ["--keep", "longest"], "--unit passage keeps the first copy of a passage"),
        (["dedup"], ["--engine", "spark"], "--unit passage runs with the local engine only"),
        (["find"], ["--num-perm", "64"], "--num-perm: not used by --unit passage"),
        (["find"], ["--ngram", "30"], "--unit passage needs --ngram <= 20"),
        (["index", "add", "IDX"], [], "an index holds documents or blocks; --unit passage works"),
    ],
)
def test_unit_passage_usage_errors(
    tmp_path: Path,
    vocabs: tuple[list[str], list[str]],
    command: list[str],
    extra: list[str],
    message: str,
) -> None:
    _corpus(tmp_path, vocabs)
    command = [str(tmp_path / "i.sqlite") if c == "IDX" else c for c in command]
    args = [*command, str(tmp_path / "c.jsonl"), "--unit", "passage", *extra]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1].startswith(f"Error: {message}")
    assert not (tmp_path / "i.sqlite").exists()


def test_dedup_unit_passage_never_cuts_words_of_its_own(tmp_path: Path) -> None:
    # Two lists that differ in one value a line, and two stanzas that differ in one
    # line: each later copy holds words the earlier lacks, so nothing is cut.
    first = "\n".join(
        f"- item {i}: the value of field number {i} is set to zero" for i in range(15)
    )
    second = first.replace("zero", "one")
    stanza = (
        "the wind is cold along the lane,\nthe gate is shut against the rain,\n"
        "{line}\nand all the lamps are lit again."
    )
    rows = [
        {"id": "l1", "text": first},
        {"id": "l2", "text": second},
        {"id": "p1", "text": stanza.format(line="the moon is high above the barn,")},
        {"id": "p2", "text": stanza.format(line="the kettle sings its little tune,")},
        {"id": "l3", "text": "Copied list:\n" + first},
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = CliRunner().invoke(
        main, ["dedup", str(path), "--id-field", "id", "--unit", "passage", "-q"]
    )
    assert res.exit_code == 0, res.output
    out = {r["id"]: r["text"] for r in map(json.loads, res.stdout.splitlines())}
    for rid in ("l1", "l2", "p1", "p2"):
        assert out[rid] == next(r["text"] for r in rows if r["id"] == rid)
    # The verbatim copy of the first list does go (the cut starts at its first word).
    assert out["l3"].startswith("Copied list:") and "item" not in out["l3"]


def test_check_with_no_training_documents_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    test = tmp_path / "t.jsonl"
    test.write_text(json.dumps({"id": "q", "text": "a question of a few words"}) + "\n")
    out = tmp_path / "o.jsonl"
    args = ["check", str(test), "--training", str(tmp_path / "empty"), "--fail-above", "0"]
    res = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert res.exit_code == 1 and "no training documents were read" in res.stderr
    assert not out.exists()
