"""textdedup.passage_runs called directly: passages found, cut and measured into a writer."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from textdedup.errors import InputError
from textdedup.passage_runs import (
    ContaminationRun,
    NoTrainingError,
    contamination_to,
    cut_passages_to,
    find_passages_to,
    write_passage_stats,
)
from textdedup.passages import find_passages
from textdedup.records import ReadStats, Record, RecordWriter
from textdedup.synthetic import vocabulary


def _prose(rng: random.Random, words: int, vocab: list[str]) -> str:
    return " ".join(rng.choice(vocab) for _ in range(words))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Three documents: the third copies a 40-word passage of the first; the second is
    its own."""
    vocab = sorted({w.lower() for w in vocabulary()})
    rng = random.Random(7)
    a, b, passage = _prose(rng, 80, vocab), _prose(rng, 80, vocab), _prose(rng, 40, vocab)
    first = a[:200] + " " + passage + " " + a[200:]
    third = _prose(rng, 30, vocab) + " " + passage + " " + _prose(rng, 30, vocab)
    return [first, b, third]


def _records(texts: list[str]) -> list[Record]:
    return [Record(f"d{i}", t, "mem", i + 1) for i, t in enumerate(texts)]


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_find_passages_to_writes_what_find_passages_finds(tmp_path: Path, texts: list[str]) -> None:
    out = tmp_path / "p.jsonl"
    found = find_passages_to(_records(texts), RecordWriter(str(out)))
    reference = find_passages(texts)
    rows = _rows(out)
    assert (found.records, found.passages, found.pairs) == (3, len(reference), 1)
    assert len(rows) == len(reference) >= 1
    for row, m in zip(rows, reference, strict=True):
        assert (row["a"], row["b"]) == (f"d{m.a}", f"d{m.b}") == ("d0", "d2")
        assert (
            texts[0][m.passage.a_start : m.passage.a_end].split()[:3]
            == (texts[2][m.passage.b_start : m.passage.b_end].split()[:3])
        )
        assert (row["b_start"], row["b_end"], row["score"]) == (
            m.passage.b_start,
            m.passage.b_end,
            m.passage.score,
        )


def test_cut_passages_to_cuts_the_later_copy_and_logs_it(tmp_path: Path, texts: list[str]) -> None:
    out, log = tmp_path / "kept.jsonl", tmp_path / "removals.jsonl"
    cuts = cut_passages_to(_records(texts), RecordWriter(str(out)), removals_path=str(log))
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["d0", "d1", "d2"]
    assert rows[0]["text"] == texts[0] and rows[1]["text"] == texts[1]
    assert len(rows[2]["text"]) == len(texts[2]) - cuts.characters_cut
    assert (cuts.records, cuts.changed, cuts.dropped) == (3, 1, 0)
    assert cuts.passages >= 1 and cuts.spans >= 1
    logged = _rows(log)
    assert [r["id"] for r in logged] == ["d2"]
    assert logged[0]["kept"] is True and logged[0]["passages"][0]["copy_of"] == "d0"
    assert cuts.to_dict()["records_changed"] == 1


def test_cut_passages_to_annotating_cuts_nothing(tmp_path: Path, texts: list[str]) -> None:
    out = tmp_path / "annotated.jsonl"
    cuts = cut_passages_to(_records(texts), RecordWriter(str(out)), action="annotate")
    rows = _rows(out)
    assert [r["text"] for r in rows] == texts
    assert [r["dedup"]["kept"] for r in rows] == [True, True, True]
    assert [bool(r["dedup"]["cut"]) for r in rows] == [False, False, True]
    assert cuts.changed == 1


def test_contamination_to_writes_a_row_per_item(tmp_path: Path, texts: list[str]) -> None:
    out = tmp_path / "c.jsonl"
    run = contamination_to(
        _records([texts[2], texts[1]]), _records([texts[0]]), RecordWriter(str(out))
    )
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["d0", "d1"]
    assert run == ContaminationRun(records=2, contaminated=run.contaminated, training=1)
    # The test item copies 40 of its 100 words: covered in part, named with its source.
    assert 0.3 < rows[0]["coverage"] < 0.5 and rows[0]["sources"][0]["id"] == "d0"
    assert rows[1]["coverage"] == 0.0
    assert run.share == run.contaminated / 2


def test_no_training_is_an_error_naming_the_parameter_and_writes_nothing(
    tmp_path: Path, texts: list[str]
) -> None:
    out = tmp_path / "c.jsonl"
    with pytest.raises(NoTrainingError) as info:
        contamination_to(
            _records(texts),
            [],
            RecordWriter(str(out)),
            require_training=True,
            training_paths=("train/",),
        )
    assert isinstance(info.value, InputError)
    assert str(info.value) == (
        "no training documents were read from training train/: nothing to check against"
    )
    assert info.value.render({"training": "--training"}).startswith(
        "no training documents were read from --training"
    )
    assert not out.exists()
    # Without require_training, nothing read is a run of zero documents.
    assert contamination_to(_records(texts), [], RecordWriter(str(out))).training == 0


def test_write_passage_stats(tmp_path: Path) -> None:
    read = ReadStats(records=3, skipped=1)
    write_passage_stats(str(tmp_path / "s.json"), {"unit": "passage", "passages": 2}, read)
    assert json.loads((tmp_path / "s.json").read_text()) == {
        "unit": "passage",
        "passages": 2,
        "read": {"records": 3, "skipped": 1},
    }
