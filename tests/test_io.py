"""The io package: the format registry, and the one atomic-replace helper."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from textdedup import io as tio
from textdedup.io import atomic_replace, formats
from textdedup.records import Record, RecordWriter, iter_records, output_format

SRC = Path(__file__).resolve().parents[1] / "src" / "textdedup"


def test_registry_lists_every_format_once_with_its_reader_and_writer() -> None:
    assert formats.INPUT_FORMATS == ("text", "jsonl", "parquet", "arrow")
    assert formats.OUTPUT_FORMATS == (
        "jsonl",
        "jsonl.gz",
        "jsonl.zst",
        "jsonl.bz2",
        "jsonl.xz",
        "parquet",
    )
    for module in formats.FORMAT_MODULES:
        assert (SRC / "io" / f"{module}.py").is_file(), module
    assert {f.name for f in formats.FORMATS.values() if f.write is None} == {"text", "arrow"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a.jsonl", "jsonl"),
        ("a.JSON.bz2", "jsonl"),
        ("a.ndjson.xz", "jsonl"),
        ("a.parquet", "parquet"),
        ("data-00000-of-00001.arrow", "arrow"),
        ("notes.txt", "text"),
        ("notes.txt.gz", "text"),
        ("README", "text"),
        ("-", "jsonl"),
    ],
)
def test_input_format_by_suffix(path: str, expected: str) -> None:
    assert formats.format_of_path(path) == expected


def test_output_format_by_suffix_refuses_what_no_writer_writes() -> None:
    assert output_format("x.ndjson.gz") == "jsonl.gz"
    for bad in ("x.parquet.gz", "x.arrow", "x.txt"):
        assert formats.output_format_of_path(bad) is None
    with pytest.raises(Exception, match=r"name a \.jsonl, \.jsonl\.gz, .* or \.parquet output"):
        output_format("x.arrow")


def test_a_new_format_is_one_module_and_one_registry_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What docs/architecture.md promises: records.py names no format itself."""

    def read(path: str, options: formats.ReadOptions) -> Iterator[Record]:
        for n, line in enumerate(Path(path).read_text().splitlines(), 1):
            rid, text = line.split("\t")
            options.stats.records += 1
            yield Record(id=rid, text=text, path=path, line=n)

    class TsvSink:
        def __init__(self, raw: IO[bytes], options: formats.WriteOptions) -> None:
            self.raw = raw

        def write(self, obj: dict[str, Any], where: str | None) -> None:
            self.raw.write(f"{obj['id']}\t{obj['text']}\n".encode())

        def finish(self) -> None:
            pass

        def close(self) -> None:
            pass

    tsv = formats.Format(name="tsv", suffixes=(".tsv",), read=read, write=TsvSink)
    monkeypatch.setitem(formats.FORMATS, "tsv", tsv)
    source = tmp_path / "in.tsv"
    source.write_text("a\tfirst\nb\tsecond\n")
    records = list(iter_records([str(source)]))
    assert [(r.id, r.text) for r in records] == [("a", "first"), ("b", "second")]
    out = tmp_path / "out.tsv"
    with RecordWriter(str(out)) as writer:
        for r in records:
            writer.write(r, text=r.text.upper())
    assert out.read_text() == "a\tFIRST\nb\tSECOND\n"


def test_atomic_replace_keeps_the_old_file_when_the_block_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    with pytest.raises(RuntimeError, match="interrupted"), atomic_replace(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temporary left
    with atomic_replace(target) as fh:
        fh.write(b"new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640  # the replaced file's mode is kept


def test_atomic_replace_follows_a_link_and_writes_into_a_device(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with atomic_replace(link) as fh:
        fh.write(b"new")
    assert link.is_symlink() and real.read_text() == "new"
    with atomic_replace(os.devnull) as fh:
        fh.write(b"gone")
    assert Path(os.devnull).is_char_device()


def test_every_output_file_goes_through_the_one_helper() -> None:
    """os.replace and temporary files appear only in io/ (atomic.py; files.py for folders)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in ("io/atomic.py", "io/files.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.replace\(|NamedTemporaryFile|temp_beside\(", text):
            found.append(rel)
    assert found == []


def test_old_import_paths_still_work() -> None:
    from textdedup.io import atomic_write, check_output_file, decode, read_text
    from textdedup.records import OUTPUT_FORMATS

    assert OUTPUT_FORMATS is formats.OUTPUT_FORMATS
    assert tio.atomic_write is atomic_write
    assert callable(check_output_file) and callable(decode) and callable(read_text)
    assert dataclasses.is_dataclass(tio.Format)


# -- kept records are written as the lines they were read from -------------------------

_AS_READ = [
    # compact separators, another key order, escapes, a float as written, nesting
    b'{"text":"alpha beta gamma delta epsilon zeta eta","id":"a","n":1.50,"m":{"k":[1,2]}}',
    b'{"id": "b", "text": "caf\\u00e9 \\ud83d\\ude00 theta iota kappa lambda mu nu xi"}',
    b'  {"id": "c", "text": "omicron pi rho sigma tau upsilon phi chi psi"}  ',
    b'{"id": "d", "text": "one two three four five six seven eight", "big": 12345678901234567890}',
]


def test_dedup_writes_kept_records_byte_for_byte(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from textdedup.cli import main

    dup = b'{"id": "e", "text": "Alpha beta gamma delta epsilon zeta eta!"}'
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join([*_AS_READ, dup]) + b"\n")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["dedup", str(src), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert out.read_bytes() == b"".join(line + b"\n" for line in _AS_READ)


def test_lines_that_cannot_be_written_back_as_read_are_encoded(tmp_path: Path) -> None:
    # NaN (JSON has no such number: written null), a CRLF line end (written \n), a
    # byte order mark (dropped), a decoding that replaced bytes: none is written raw.
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'\xef\xbb\xbf{"id": "a", "text": "first record here"}\r\n'
        b'{"id": "b", "text": "second record here", "x": NaN}\r\n'
        b'{"id": "c", "text": "third record here"}\r\n'
    )
    records = list(iter_records([str(src)]))
    assert [r.raw for r in records] == [None, None, b'{"id": "c", "text": "third record here"}']
    out = tmp_path / "out.jsonl"
    with RecordWriter(str(out)) as w:
        for r in records:
            w.write(r)
    assert out.read_bytes() == (
        b'{"id": "a", "text": "first record here"}\n'
        b'{"id": "b", "text": "second record here", "x": null}\n'
        b'{"id": "c", "text": "third record here"}\n'
    )
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "a",  "text": "caf\xe9"}\n')
    (rec,) = iter_records([str(bad)], errors="replace")
    assert rec.raw is None and rec.text == "caf\ufffd"


def test_a_changed_or_annotated_record_is_encoded_not_copied(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text":"a b c","id":"x"}\n')
    (rec,) = iter_records([str(src)])
    assert rec.raw == b'{"text":"a b c","id":"x"}'
    out = tmp_path / "out.jsonl"
    with RecordWriter(str(out)) as w:
        w.write(rec)
        w.write(rec, text="a b")
        w.write(rec, extra={"duplicate": False})
    with RecordWriter(str(tmp_path / "other.jsonl"), text_field="body") as w:
        w.write(rec)  # another text field: the record gains a field
    assert out.read_bytes() == (
        b'{"text":"a b c","id":"x"}\n'
        b'{"text": "a b", "id": "x"}\n'
        b'{"text": "a b c", "id": "x", "duplicate": false}\n'
    )
    assert (tmp_path / "other.jsonl").read_bytes() == (
        b'{"text": "a b c", "id": "x", "body": "a b c"}\n'
    )
    gz = tmp_path / "out.jsonl.gz"
    with RecordWriter(str(gz)) as w:
        w.write(rec)
    import gzip

    assert gzip.decompress(gz.read_bytes()) == b'{"text":"a b c","id":"x"}\n'


def test_an_input_named_twice_is_refused_by_name(tmp_path: Path) -> None:
    """The same file twice (by its name, through its folder, or a link) would make every
    record a duplicate of itself: refused, naming the file, before anything is read."""
    from textdedup.errors import InputError
    from textdedup.records import expand_inputs

    folder = tmp_path / "shards"
    folder.mkdir()
    shard = folder / "a.jsonl"
    shard.write_text('{"id": 1, "text": "x"}\n')
    (folder / "b.jsonl").write_text('{"id": 2, "text": "y"}\n')
    link = tmp_path / "link.jsonl"
    link.symlink_to(shard)
    assert expand_inputs([str(folder)]) == [str(shard), str(folder / "b.jsonl")]
    with pytest.raises(InputError, match="is given twice; each input is read once") as e:
        expand_inputs([str(shard), str(shard)])
    assert e.value.path == str(shard)
    with pytest.raises(InputError, match=r"given twice \(also named as .*a\.jsonl\)") as e:
        expand_inputs([str(folder), str(link)])
    assert e.value.path == str(link)
    with pytest.raises(InputError, match="given twice"):
        expand_inputs(["-", "-"])


@pytest.mark.parametrize(
    "args",
    [["dedup", "-", "-o", "{f}"], ["clean", "-", "-o", "{f}"], ["dedup", "-", "--stats", "{f}"]],
)
def test_an_output_that_is_the_file_on_stdin_is_refused(tmp_path: Path, args: list[str]) -> None:
    """`textdedup dedup - -o a.jsonl < a.jsonl` would replace its own input: refused (exit 2),
    the input unchanged."""
    import subprocess
    import sys

    data = '{"id": "a", "text": "one line of text"}\n{"id": "b", "text": "one line of text"}\n'
    f = tmp_path / "a.jsonl"
    f.write_text(data)
    env = {**os.environ, "PYTHONPATH": str(Path(tio.__file__).parents[2])}
    with f.open("rb") as stdin:
        run = subprocess.run(
            [sys.executable, "-m", "textdedup", *(a.format(f=f) for a in args)],
            stdin=stdin,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    assert run.returncode == 2, run.stderr
    assert "is the file on standard input; name another output" in run.stderr
    assert f.read_text() == data


def test_every_record_skipped_is_an_error_not_an_empty_run(tmp_path: Path) -> None:
    """--on-error skip with a misnamed field skips every record: the run read nothing, so
    it fails (a contamination gate must not pass, an output must not be emptied)."""
    from textdedup.errors import InputError

    f = tmp_path / "a.jsonl"
    f.write_text('{"id": 1, "text": "x"}\n{"id": 2, "text": "y"}\n')
    with pytest.raises(InputError, match=r"every record was skipped \(2\).*missing field 'q'"):
        list(iter_records([str(f)], text_field="q", on_error="skip"))
    # Some read, some skipped: the skipped ones are counted, no error.
    g = tmp_path / "b.jsonl"
    g.write_text('{"id": 1, "text": "x"}\n{"id": 2}\n')
    from textdedup.records import ReadStats

    stats = ReadStats()
    assert [r.id for r in iter_records([str(g)], on_error="skip", stats=stats)] == ["1"]
    assert stats.skipped == 1
    # Empty input is empty output, not an error.
    e = tmp_path / "e.jsonl"
    e.write_text("")
    assert list(iter_records([str(e)], on_error="skip")) == []
