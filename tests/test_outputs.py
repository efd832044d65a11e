"""Outputs that are not plain files: a symbolic link is followed, a FIFO is written into.

A temporary file renamed over the output path would replace the link itself (the file it
points to keeping its old text) or swap a device or FIFO for a plain file (as root,
``-o /dev/null`` would have replaced the system's /dev/null).
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from click.testing import CliRunner

from textdedup.cli import main
from textdedup.io import atomic_write, output_target

RECORD = '{"id": "a", "text": "one two three four five six seven"}\n'


def _corpus(tmp_path: Path) -> Path:
    src = tmp_path / "in.jsonl"
    src.write_text(RECORD, encoding="utf-8")
    return src


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    real = tmp_path / "real.jsonl"
    real.write_text("previous\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    res = CliRunner().invoke(main, ["dedup", str(src), "-o", str(link), "-q"])
    assert res.exit_code == 0, res.output
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == RECORD


def _read_fifo(path: Path, got: list[bytes]) -> None:
    with open(path, "rb") as fh:
        got.append(fh.read())


def test_output_to_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=_read_fifo, args=(fifo, got), daemon=True)
    reader.start()
    res = CliRunner().invoke(main, ["dedup", str(src), "-o", str(fifo), "-q"])
    reader.join(timeout=60)
    assert res.exit_code == 0, res.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got == [RECORD.encode()]


def test_atomic_write_into_a_fifo_and_through_a_link(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert output_target(fifo) == (fifo, True)
    got: list[bytes] = []
    reader = threading.Thread(target=_read_fifo, args=(fifo, got), daemon=True)
    reader.start()
    atomic_write(fifo, "report\n")
    reader.join(timeout=60)
    assert got == [b"report\n"] and stat.S_ISFIFO(fifo.stat().st_mode)
    real = tmp_path / "r.json"
    link = tmp_path / "l.json"
    link.symlink_to(real)
    assert output_target(link) == (real.resolve(), False)
    atomic_write(link, "x\n")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "x\n"


def test_an_index_inside_an_input_folder_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.txt").write_text("words words words here\n", encoding="utf-8")
    idx = folder / "idx.sqlite"
    res = CliRunner().invoke(main, ["index", "add", str(idx), str(folder)])
    assert res.exit_code == 2
    assert (
        f"Error: INDEX_PATH {idx} is inside the input folder {folder}, so a later run would "
        "read it as input; write it elsewhere" in res.stderr
    )
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]
    res = CliRunner().invoke(main, ["dedup", str(folder), "--index", str(idx), "-o", "-"])
    assert res.exit_code == 2
    assert f"Error: --index {idx} is inside the input folder {folder}" in res.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]


def test_review_refuses_an_output_inside_the_corpus_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    doc = corpus / "a.txt"
    doc.write_text("some words here and there\n", encoding="utf-8")
    clusters = tmp_path / "cl.jsonl"
    res = CliRunner().invoke(main, ["find", str(corpus), "--clusters", str(clusters), "-q"])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(
        main, ["review", str(clusters), "--corpus", str(corpus), "-o", str(doc)]
    )
    assert res.exit_code == 2
    assert (
        f"Error: output {doc} is an input file (read from the input folder {corpus}); "
        "name another output" in res.stderr
    )
    assert doc.read_text(encoding="utf-8") == "some words here and there\n"


def test_parquet_fields_that_json_cannot_carry(tmp_path: Path) -> None:
    # A binary column is refused before anything is read (it would come out as Python's
    # repr of the bytes); a NaN is written as null (JSON has no NaN: a bare NaN is not JSON).
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    binary = tmp_path / "binary.parquet"
    pq.write_table(pa.table({"text": ["some words here"], "blob": [b"\x00\xff"]}), binary)
    res = CliRunner().invoke(main, ["dedup", str(binary), "-o", "-"])
    assert res.exit_code == 1
    assert res.stderr.startswith(
        f"Error: {binary}: column 'blob' holds binary data (binary), which JSONL output "
        "cannot carry; drop or convert that column first"
    )
    nan = tmp_path / "nan.parquet"
    texts = ["one two three four five six", "seven eight nine ten eleven"]
    pq.write_table(pa.table({"text": texts, "score": [float("nan"), 1.5]}), nan)
    res = CliRunner().invoke(main, ["dedup", str(nan), "-o", "-", "-q"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["score"] for r in rows] == [None, 1.5]
