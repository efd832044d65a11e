"""Paragraph and line units: every removed block and span listed, offsets into the record as read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from textdedup import DedupConfig, dedup_records
from textdedup.cli import main
from textdedup.normalize import normalize

P1 = "The first paragraph is long enough to be compared across documents."
P2 = "A second paragraph, also long enough, that appears in two documents."
P3 = "An introduction that only the third document has, long enough too."
P4 = "A closing paragraph of the third document, with words of its own."


def _docs() -> list[str]:
    return [
        f"{P1}\n\n{P2}\n",
        # CRLF, a zero-width space, its own paragraph pasted twice, then P2 of doc 0.
        f"{P3}\u200b\r\n\r\n{P4}\r\n\r\n{P4}\r\n\r\n{P2}\r\n",
        f"Intro\u00a0unique to doc three and long enough.\n\n\n\n{P1}\n",
        "Short\n\nShort\n",
    ]


def _words(text: str) -> list[str]:
    return normalize(text).split()


def test_removed_blocks_point_into_the_record_as_read_and_name_the_kept_copy() -> None:
    docs = _docs()
    items = list(dedup_records(docs, config=DedupConfig(level="paragraph")))
    assert [i.record.text for i in items] == docs  # the text as read, always
    by_id = {i.record.id: i for i in items}
    (block,) = by_id["1"].removed_blocks
    assert docs[1][block["start"] : block["end"]] == P2
    assert block["duplicate_of"] == "0" and block["reason"] == "exact"
    kept = block["kept"]
    assert kept["id"] == "0" and docs[0][kept["start"] : kept["end"]] == P2
    (block,) = by_id["2"].removed_blocks
    assert docs[2][block["start"] : block["end"]] == P1
    assert docs[0][block["kept"]["start"] : block["kept"]["end"]] == P1
    # The in-document repeat is listed too, in the record as read.
    (span,) = by_id["1"].in_document
    removed = span["removed"]
    assert docs[1][removed["start"] : removed["end"]] == P4
    assert removed["start"] == docs[1].index(P4, docs[1].index(P4) + 1)
    assert docs[1][span["kept"]["start"] : span["kept"]["end"]] == P4
    assert by_id["3"].removed_blocks == () and by_id["3"].in_document == ()


@pytest.mark.parametrize("unit", ["paragraph", "line"])
def test_cutting_the_listed_spans_from_the_text_as_read_gives_the_output(unit: str) -> None:
    docs = _docs() * 2 + [f"{P4}\n{P4}\n{P1}\n"]
    for item in dedup_records(docs, config=DedupConfig(level=unit)):  # type: ignore[arg-type]
        cuts = [(b["start"], b["end"]) for b in item.removed_blocks]
        cuts += [(r["removed"]["start"], r["removed"]["end"]) for r in item.in_document]
        text, pieces, pos = item.record.text, [], 0
        for a, b in sorted(cuts):
            pieces.append(text[pos:a])
            pos = max(pos, b)
        pieces.append(text[pos:])
        assert _words("".join(pieces)) == _words(item.text), item.record.id


def test_an_index_item_as_kept_copy_has_no_offsets(tmp_path: Path) -> None:
    from textdedup import Index

    config = DedupConfig(level="paragraph")
    with Index(str(tmp_path / "i.sqlite"), config) as index:
        kept = []
        list(
            dedup_records(
                [_docs()[0]],
                config=config,
                index=index,
                on_kept=lambda *row: kept.append(row),
            )
        )
        index.add(kept)
        (item,) = dedup_records([f"{P3}\n\n{P2}\n"], config=config, index=index)
    (block,) = item.removed_blocks
    assert block["kept"] == {"id": "0#1", "start": None, "end": None}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _write_jsonl(path: Path, docs: list[str]) -> Path:
    rows = [{"id": f"d{i}", "text": t, "src": "x"} for i, t in enumerate(docs)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_annotate_with_block_units_marks_without_cutting(runner: CliRunner, tmp_path: Path) -> None:
    docs = _docs()
    src = _write_jsonl(tmp_path / "in.jsonl", docs)
    out = tmp_path / "out.jsonl"
    args = ["dedup", str(src), "--id-field", "id", "--unit", "paragraph", "-q"]
    r = runner.invoke(main, [*args, "--action", "annotate", "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["text"] for row in rows] == docs  # nothing cut
    assert all(row["src"] == "x" for row in rows)
    note = rows[1]["dedup"]
    assert note["duplicate"] is False
    (block,) = note["blocks"]
    assert docs[1][block["start"] : block["end"]] == P2
    assert block["kept"]["id"] == "d0"
    (span,) = note["in_document"]
    assert span["kind"] in ("exact", "repeated-run", "span")
    assert docs[1][span["removed"]["start"] : span["removed"]["end"]] == P4
    assert "blocks" not in rows[3]["dedup"] and "in_document" not in rows[3]["dedup"]


def test_removals_file_lists_each_record_that_loses_something(
    runner: CliRunner, tmp_path: Path
) -> None:
    docs = _docs()
    src = _write_jsonl(tmp_path / "in.jsonl", docs)
    out, log = tmp_path / "out.jsonl", tmp_path / "removals.jsonl"
    args = ["dedup", str(src), "--id-field", "id", "--unit", "paragraph", "-q", "-o", str(out)]
    r = runner.invoke(main, [*args, "--removals", str(log)])
    assert r.exit_code == 0, r.output
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["d1", "d2"]
    assert [len(line.get("blocks", [])) for line in lines] == [1, 1]
    assert [len(line.get("in_document", [])) for line in lines] == [1, 0]
    b = lines[1]["blocks"][0]
    assert docs[2][b["start"] : b["end"]] == P1 and b["kept"]["id"] == "d0"
    # Document units list each removed record.
    dup = _write_jsonl(tmp_path / "dup.jsonl", [docs[0], docs[0], docs[3]])
    r = runner.invoke(
        main,
        ["dedup", str(dup), "--id-field", "id", "-q", "-o", str(out), "--removals", str(log)],
    )
    assert r.exit_code == 0
    (line,) = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == "d1" and line["duplicate_of"] == "d0" and line["reason"] == "exact"
    r = runner.invoke(main, ["dedup", str(dup), "-o", str(out), "--removals", str(dup)])
    assert r.exit_code == 2
    assert f"Error: --removals {dup} is an input file; name another output" in r.stderr


def test_find_rows_carry_the_in_document_removals(runner: CliRunner, tmp_path: Path) -> None:
    docs = _docs()
    src = _write_jsonl(tmp_path / "in.jsonl", docs)
    r = runner.invoke(main, ["find", str(src), "--id-field", "id", "--unit", "paragraph", "-q"])
    assert r.exit_code == 0
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["d1", "d2"]
    assert len(rows[0]["in_document"]) == 1 and rows[1]["in_document"] == []


@pytest.mark.parametrize("unit", ["paragraph", "line", "doc"])
@pytest.mark.parametrize(("workers", "pool_after"), [(1, 0), (2, 0), (2, 1500), (2, 1 << 25)])
def test_index_entries_are_record_items_for_any_worker_count(
    monkeypatch: pytest.MonkeyPatch, unit: str, workers: int, pool_after: int
) -> None:
    # The pool starts after pool_after characters cleaned here: at once, after a few
    # chunks, or never (an input this small).
    from textdedup import pipeline
    from textdedup.pipeline import index_entries, record_items
    from textdedup.records import Record

    monkeypatch.setattr(pipeline, "_POOL_AFTER_CHARS", pool_after)

    # 28 records, 24 of them with a closing line of their own (an exact copy is keyed
    # once), chunks of 3: the pool and this process both take chunks.
    records = [
        Record(f"r{n}", text + (f"\n\nRecord {n} closes here." if n > 3 else ""), "in.jsonl", n + 1)
        for n, text in enumerate(_docs() * 7)
    ]
    config = DedupConfig(level=unit)
    want = [
        (r.id if b < 0 else f"{r.id}#{b}", key, length)
        for r in records
        for b, key, length in record_items(r, config)[2]
    ]
    got = list(index_entries(iter(records), config, workers=workers, chunk_size=3))
    assert got == want
    # The doubled paragraph of document 1 was cleaned away before keying: one entry.
    if unit == "paragraph":
        assert [e[0] for e in got if e[0].startswith("r1#")] == ["r1#0", "r1#1", "r1#2"]


@pytest.mark.parametrize("remember", [1, 1 << 14])
def test_index_entries_clean_each_distinct_text_once(
    monkeypatch: pytest.MonkeyPatch, remember: int
) -> None:
    """An exact copy of a record takes its items; with a memory of 1 text, copies are redone."""
    from textdedup import pipeline
    from textdedup.records import Record

    texts = _docs()
    order = [0, 1, 0, 2, 0, 3, 1, 1, 2, 0]
    records = [Record(f"r{n}", texts[k], "in.jsonl", n + 1) for n, k in enumerate(order)]
    config = DedupConfig(level="paragraph")
    want = [
        (f"{r.id}#{b}", key, length)
        for r in records
        for b, key, length in pipeline.record_items(r, config)[2]
    ]
    cleaned: list[str] = []
    real = pipeline._block_keys

    def counted(text: str, config: DedupConfig) -> list[tuple[int, str, int]]:
        cleaned.append(text)
        return real(text, config)

    monkeypatch.setattr(pipeline, "_block_keys", counted)
    monkeypatch.setattr(pipeline, "_RECENT_TEXTS", remember)
    got = list(pipeline.index_entries(iter(records), config, workers=1, chunk_size=3))
    assert got == want
    if remember > 1:
        assert sorted(cleaned) == sorted(texts)  # each text once
    else:
        assert len(cleaned) > len(texts)  # forgotten texts are cleaned again, same items
