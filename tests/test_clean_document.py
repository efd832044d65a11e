"""textdedup.clean_document.clean_document_to called directly: one document in, its
cleaned text out, what ``textdedup clean FILE`` prints as its summary."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from textdedup import CleanConfig
from textdedup.clean_document import clean_document_to, looks_like_jsonl
from textdedup.cli import main
from textdedup.errors import IncompatibleSettingsError, InputError, OutputConflictError

PARA = "A paragraph long enough to count as a block of its own in this document."
OTHER = "Another paragraph, unique, that says something about the river and the mill."


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(f"{PARA}\n\n{PARA}\n\n{OTHER}\n", encoding="utf-8")
    return path


def test_writes_what_the_command_writes_and_returns_its_summary(doc: Path, tmp_path: Path) -> None:
    lib, cli, report = tmp_path / "lib.txt", tmp_path / "cli.txt", tmp_path / "r.json"
    done = clean_document_to(str(doc), str(lib), config=CleanConfig(), report=str(report))
    result = CliRunner().invoke(main, ["clean", str(doc), "-o", str(cli)])
    assert result.exit_code == 0, result.output
    assert lib.read_bytes() == cli.read_bytes() == f"{PARA}\n\n{OTHER}\n".encode()
    assert result.stderr == done.summary() + "\n"
    assert done.summary().startswith(f"{doc}: removed 1 (1 exact), ")
    payload = json.loads(report.read_text())
    assert payload["input"] == str(doc) and len(payload["removals"]) == len(done.result.removals)
    assert done.changes == ()  # computed with check only


def test_check_writes_nothing_and_returns_the_changes(doc: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    done = clean_document_to(str(doc), str(out), config=CleanConfig(), check=True)
    assert not out.exists()
    assert [c.kind for c in done.changes] == ["removal", "layout"]  # a blank line goes too
    assert CliRunner().invoke(main, ["clean", str(doc), "--check"]).exit_code == 1
    unique = tmp_path / "unique.txt"
    unique.write_text(f"{PARA}\n\n{OTHER}\n")
    assert clean_document_to(str(unique), config=CleanConfig(), check=True).changes == ()


def test_in_place_and_diff(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = doc.read_text()
    clean_document_to(str(doc), config=CleanConfig(), diff=True)
    shown = capsys.readouterr().out
    assert shown.startswith(f"--- a/{doc}\n+++ b/{doc}\n") and f"-{PARA}\n" in shown
    assert doc.read_text() == before  # a diff writes nothing
    clean_document_to(str(doc), config=CleanConfig(), in_place=True)
    assert doc.read_text() == f"{PARA}\n\n{OTHER}\n"
    assert Path(f"{doc}.orig").read_text() == before


def test_in_place_keeps_the_original_and_never_overwrites_a_backup(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    original = f"{PARA}\n\n{PARA}\n\n{OTHER}\n"
    doc.write_text(original)
    clean_document_to(str(doc), config=CleanConfig(), in_place=True, backup=".bak")
    assert (tmp_path / "doc.txt.bak").read_text() == original
    assert doc.read_text() == f"{PARA}\n\n{OTHER}\n"
    # A second run would overwrite the backup: refused before anything is written.
    doc.write_text(original)
    with pytest.raises(OutputConflictError, match=r"doc.txt.bak exists: in_place keeps"):
        clean_document_to(str(doc), config=CleanConfig(), in_place=True, backup=".bak")
    assert doc.read_text() == original
    assert (tmp_path / "doc.txt.bak").read_text() == original
    for bad in ("", "/x"):
        with pytest.raises(OutputConflictError, match="backup must be a file name suffix"):
            clean_document_to(str(doc), config=CleanConfig(), in_place=True, backup=bad)
    # Nothing to remove: nothing is written, no backup made.
    unique = tmp_path / "unique.txt"
    unique.write_text(f"{PARA}\n\n{OTHER}\n")
    clean_document_to(str(unique), config=CleanConfig(), in_place=True)
    assert not (tmp_path / "unique.txt.orig").exists()
    result = CliRunner().invoke(main, ["clean", str(doc), "--in-place", "--backup", ".bak"])
    assert result.exit_code == 2
    assert "doc.txt.bak exists: --in-place keeps the original there" in result.stderr


def test_stdin_that_looks_like_records_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = b'{"text": "a"}\n{"text": "b"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    with pytest.raises(InputError, match="stdin looks like JSONL records") as info:
        clean_document_to("-", config=CleanConfig())
    assert (info.value.path, info.value.line) == ("<stdin>", 1)
    assert looks_like_jsonl(lines.decode()) and not looks_like_jsonl(PARA)
    # --format text: the caller says it is one text.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO()))
    assert clean_document_to("-", config=CleanConfig(), fmt="text").result.text == lines.decode()


def test_settings_that_do_not_go_together_are_named(doc: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out.txt")
    cases = [
        (
            {"diff": True, "in_place": True},
            "diff prints to stdout; it cannot be used with in_place",
        ),
        ({"in_place": True, "output": out}, "in_place and output cannot be used together"),
    ]
    for kwargs, message in cases:
        with pytest.raises(IncompatibleSettingsError, match=message):
            clean_document_to(str(doc), config=CleanConfig(), **kwargs)  # type: ignore[arg-type]
    with pytest.raises(IncompatibleSettingsError, match="in_place needs a FILE, not stdin"):
        clean_document_to("-", config=CleanConfig(), in_place=True)
    with pytest.raises(OutputConflictError, match="is the input file; use in_place"):
        clean_document_to(str(doc), str(doc), config=CleanConfig())
    assert doc.read_text().count(PARA) == 2  # nothing written


def test_in_place_backup_is_a_copy_where_hard_links_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    def no_links(src: str, dst: str, **kwargs: object) -> None:
        raise OSError("no hard links on this file system")

    doc = tmp_path / "doc.txt"
    original = f"{PARA}\n\n{PARA}\n"
    doc.write_text(original)
    doc.chmod(0o640)
    monkeypatch.setattr(os, "link", no_links)
    clean_document_to(str(doc), config=CleanConfig(), in_place=True)
    backup = tmp_path / "doc.txt.orig"
    assert backup.read_text() == original and doc.read_text() == f"{PARA}\n"
    assert backup.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "doc.txt.orig"]


def test_in_place_on_a_symbolic_link_keeps_the_original_content(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    original = f"{PARA}\n\n{PARA}\n"
    real.write_text(original)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    clean_document_to(str(link), config=CleanConfig(), in_place=True)
    assert link.is_symlink() and real.read_text() == f"{PARA}\n"  # the link stays
    backup = tmp_path / "link.txt.orig"
    assert not backup.is_symlink() and backup.read_text() == original


def test_in_place_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(IncompatibleSettingsError, match="replaces a regular file"):
        clean_document_to(str(fifo), config=CleanConfig(), in_place=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_in_place_twice_on_a_clean_file_is_not_refused(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(f"{PARA}\n\n{PARA}\n")
    clean_document_to(str(doc), config=CleanConfig(), in_place=True)
    # Nothing left to change: the backup from the first run is no obstacle.
    done = clean_document_to(str(doc), config=CleanConfig(), in_place=True)
    assert done.result.removals == () and doc.read_text() == f"{PARA}\n"
    assert (tmp_path / "doc.txt.orig").read_text() == f"{PARA}\n\n{PARA}\n"
