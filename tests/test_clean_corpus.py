"""clean over corpora: many files, folders, JSONL/Parquet records, in parallel, in order."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from textdedup import CleanConfig, clean
from textdedup.clean_corpus import clean_files, clean_records
from textdedup.cli import main
from textdedup.normalize import NormalizeConfig, normalize
from textdedup.records import Record

BODY = (
    "The minister said the talks would go on next week, with more countries at the table.\n\n"
    "Prices of the metals rose by a tenth after the news, traders in London said on Monday.\n"
)
LP = NormalizeConfig().line_preserving()


def _texts() -> list[str]:
    """Documents of the kinds clean meets in scraped corpora, and some it must leave alone."""
    refrain = "Ride on, ride on, the morning train is calling me."
    return [
        "Headline one\n\n" + BODY + "\n" + BODY,  # the body pasted twice
        "Headline two\r\n\r\n" + BODY.replace("\n", "\r\n") * 2,  # CRLF, doubled
        "Zero\u200bwidth title\u00a0here\n\n" + BODY + "\n\n\n" + BODY,  # invisible, NBSP
        f"A verse.\n\n{refrain}\n\nAnother verse.\n\n{refrain}\n",  # structure: kept
        "Nothing repeats in this one.\n",
        "",
        "Cafe\u0301 au lait  \n\n" + BODY + BODY,  # NFC, trailing spaces
    ]


def _records(texts: list[str]) -> list[dict[str, object]]:
    return [{"id": f"r{i}", "text": t, "lang": "en"} for i, t in enumerate(texts)]


@pytest.mark.parametrize("workers", [1, 2])
def test_each_record_is_cleaned_on_its_own_in_input_order(workers: int) -> None:
    texts = _texts() * 3
    got = list(clean_records(_records(texts), workers=workers, chunk_size=2))
    assert [g.record.id for g in got] == [f"r{i}" for i in range(len(texts))]
    for g, text in zip(got, texts, strict=True):
        want = clean(text)
        assert g.text == want.text
        assert len(g.removals) == len(want.removals)
        assert [r["reason"] for r in g.removals] == [r.reason for r in want.removals]
        assert [r["reason"] for r in g.isolated] == [r.reason for r in want.isolated]
    assert [g.changed for g in got[:7]] == [True, True, True, False, False, False, True]


def test_report_offsets_point_into_the_text_as_written() -> None:
    for item in clean_records(_records(_texts()), workers=1):
        text = item.record.text
        source = clean(text).source
        for entry, removal in zip(item.removals, clean(text).removals, strict=True):
            for side, loc in (("removed", removal.removed), ("kept", removal.kept)):
                a, b = entry[side]["start"], entry[side]["end"]
                assert normalize(text[a:b], LP).split() == source[loc.start : loc.end].split()
                assert entry[side]["line_start"] == loc.line_start
        if source == text:
            assert list(item.removals) == [r.to_dict(source) for r in clean(text).removals]


def test_the_offsets_of_crlf_input_differ_from_the_source_and_are_right() -> None:
    text = "Headline two\r\n\r\n" + BODY.replace("\n", "\r\n") * 2
    (item,) = clean_records([text], workers=1)
    (entry,) = item.removals
    start, end = entry["removed"]["start"], entry["removed"]["end"]
    assert text[start:end] == BODY.replace("\n", "\r\n").rstrip("\r\n")
    assert start == len("Headline two\r\n\r\n") + len(BODY.replace("\n", "\r\n"))
    assert start != clean(text).removals[0].removed.start  # the source has no CR


def test_a_failure_inside_clean_names_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    import textdedup.clean_corpus as cc

    def boom(text: str, *, config: CleanConfig | None = None) -> object:
        raise RecursionError("deep")

    monkeypatch.setattr(cc, "clean", boom)
    records = [Record(id="a", text="x", path="in.jsonl", line=7)]
    with pytest.raises(cc.InputError, match=r"in.jsonl, line 7: clean failed on this record"):
        list(clean_records(records, workers=1))


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"workers must be an int >= 0 \(0: every core\), got -1"):
        list(clean_records(["a"], workers=-1))
    assert [r.text for r in clean_records(["a"], workers=0)] == ["a"]  # 0: every core
    with pytest.raises(ValueError, match="chunk_size must be an int >= 1, got 0"):
        list(clean_records(["a"], chunk_size=0))


# -- the command line ----------------------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_cli_jsonl_is_cleaned_record_by_record_never_as_one_document(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = _records(_texts())
    src = _write_jsonl(tmp_path / "corpus.jsonl", rows)
    out, report = tmp_path / "clean.jsonl", tmp_path / "report.jsonl"
    r = runner.invoke(
        main, ["clean", str(src), "--field", "text", "-o", str(out), "--report", str(report)]
    )
    assert r.exit_code == 0, r.output
    got = _rows(out)
    assert [g["id"] for g in got] == [row["id"] for row in rows]
    assert all(g["lang"] == "en" for g in got)  # other fields pass through
    assert [g["text"] for g in got] == [clean(str(row["text"])).text for row in rows]
    lines = _rows(report)
    assert [line["id"] for line in lines] == [row["id"] for row in rows]
    assert lines[0]["removals"][0]["kind"] == "repeated-run"
    assert [line["removed"] for line in lines] == [len(clean(t).removals) for t in _texts()]
    kinds: dict[str, int] = {}
    for t in _texts():
        for removal in clean(t).removals:
            kinds[removal.kind] = kinds.get(removal.kind, 0) + 1
    shown = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    assert r.stderr.startswith(f"read 7 records; changed 4; removed 4 ({shown}), "), r.stderr


def test_cli_workers_do_not_change_the_output(runner: CliRunner, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", _records(_texts() * 5))
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl.gz"
        rep = tmp_path / f"rep{workers}.jsonl"
        args = ["clean", str(src), "--id-field", "id", "-o", str(out), "--report", str(rep)]
        r = runner.invoke(main, [*args, "--workers", workers, "-q"])
        assert r.exit_code == 0 and r.stderr == ""
        outs.append((_rows(out), rep.read_bytes()))
    assert outs[0] == outs[1]
    assert len(outs[0][0]) == 35


def test_cli_text_folder_to_folder_and_to_jsonl(runner: CliRunner, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    texts = _texts()
    (docs / "a.txt").write_text(texts[0], encoding="utf-8")
    (docs / "sub" / "b.txt").write_bytes(texts[1].encode("utf-8"))
    (docs / "c.txt").write_text(texts[3], encoding="utf-8")
    r = runner.invoke(main, ["clean", str(docs), "-o", str(tmp_path / "out") + "/", "-q"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "out" / "docs"
    assert (out / "a.txt").read_text(encoding="utf-8") == clean(texts[0]).text
    assert (out / "sub" / "b.txt").read_bytes() == clean(texts[1]).text.encode("utf-8")
    assert (out / "c.txt").read_text(encoding="utf-8") == texts[3]
    r = runner.invoke(main, ["clean", str(docs / "a.txt"), str(docs / "c.txt"), "-q"])
    assert r.exit_code == 0
    assert [json.loads(x) for x in r.stdout.splitlines()] == [
        {"id": str(docs / "a.txt"), "text": clean(texts[0]).text},
        {"id": str(docs / "c.txt"), "text": texts[3]},
    ]


def test_cli_one_text_file_and_stdin_stay_one_document(runner: CliRunner, tmp_path: Path) -> None:
    text = _texts()[0]
    r = runner.invoke(main, ["clean", "-q"], input=text)
    assert r.exit_code == 0 and r.stdout == clean(text).text
    line = json.dumps({"id": 1, "text": text}) + "\n"
    r = runner.invoke(main, ["clean", "--format", "jsonl", "-q"], input=line)
    assert r.exit_code == 0
    assert json.loads(r.stdout) == {"id": 1, "text": clean(text).text}
    # --format text reads a .jsonl file as one plain-text document, as asked: one line
    # whose string holds the text's paragraphs behind "\n\n" escapes, cleaned as they
    # are (the copy inside the string goes, as with --format jsonl; id and quotes stay).
    src = tmp_path / "x.jsonl"
    src.write_text(line, encoding="utf-8")
    r = runner.invoke(main, ["clean", str(src), "--format", "text", "-q"])
    assert r.exit_code == 0 and r.stdout == json.dumps({"id": 1, "text": clean(text).text}) + "\n"


def test_cli_corpus_refusals(runner: CliRunner, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", _records(_texts()))
    r = runner.invoke(main, ["clean", str(src), "--diff"])
    assert r.exit_code == 2
    assert "Error: --diff works on one text document, not on records or many files" in r.stderr
    r = runner.invoke(main, ["clean", str(src), "--in-place"])
    assert r.exit_code == 2
    assert "--in-place works on one text document; write records to -o OUT.jsonl" in r.stderr
    r = runner.invoke(main, ["clean", str(src), "-o", str(src)])
    assert r.exit_code == 2
    assert f"Error: output {src} is an input file; name another output" in r.stderr
    r = runner.invoke(
        main, ["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--report", str(src)]
    )
    assert r.exit_code == 2
    assert f"Error: --report {src} is an input file; name another output" in r.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_cli_corpus_check_writes_nothing_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", _records(_texts()))
    r = runner.invoke(main, ["clean", str(src), "--check", "--workers", "1"])
    assert r.exit_code == 1 and r.stdout == ""
    assert "\n--check: 4 of 7 records would change (records by kind of change: " in r.stderr
    same = _write_jsonl(tmp_path / "ok.jsonl", _records([_texts()[3], _texts()[4]]))
    r = runner.invoke(main, ["clean", str(same), "--check", "-q"])
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == ""


def test_cli_bad_records_name_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "dump.jsonl"
    good = json.dumps({"text": _texts()[0]})
    src.write_text(f'{good}\n{{"text": "cut off in the mid\n{good}\n', encoding="utf-8")
    r = runner.invoke(main, ["clean", str(src), "-o", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 1
    assert r.stderr.startswith(
        f"Error: {src}, line 2: malformed JSON (unterminated string starting at column 10; "
        "the line looks cut off)\n"
    )
    assert not (tmp_path / "o.jsonl").exists()
    r = runner.invoke(
        main, ["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--on-error", "skip"]
    )
    assert r.exit_code == 0
    assert len(_rows(tmp_path / "o.jsonl")) == 2
    assert "read 2 records;" in r.stderr and "(1 skipped)" in r.stderr


def test_cli_lone_surrogates_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "esc.jsonl"
    src.write_bytes(b'{"id": "a", "text": "half \\ud83d an emoji"}\n')
    r = runner.invoke(main, ["clean", str(src), "-q"])
    assert r.exit_code == 0
    assert r.stdout_bytes == b'{"id": "a", "text": "half \\ud83d an emoji"}\n'
    raw = tmp_path / "raw.jsonl"
    raw.write_bytes(b'{"id": "b", "text": "caf\xe9"}\n')
    r = runner.invoke(main, ["clean", str(raw), "--errors", "surrogateescape", "-q"])
    assert r.exit_code == 0 and r.stdout_bytes == b'{"id": "b", "text": "caf\xe9"}\n'


def test_cli_empty_input_is_empty_output(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_text("", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    r = runner.invoke(main, ["clean", str(src), "-o", str(out), "-q"])
    assert r.exit_code == 0 and out.read_bytes() == b""


def test_cli_parquet_records(runner: CliRunner, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    texts = _texts()
    table = pa.table({"id": [f"p{i}" for i in range(len(texts))], "body": texts})
    pq.write_table(table, tmp_path / "in.parquet")
    r = runner.invoke(
        main, ["clean", str(tmp_path / "in.parquet"), "--field", "body", "--id-field", "id", "-q"]
    )
    assert r.exit_code == 0, r.output
    got = [json.loads(x) for x in r.stdout.splitlines()]
    assert got == [{"id": f"p{i}", "body": clean(t).text} for i, t in enumerate(texts)]


def test_cli_parquet_in_parquet_out_and_report_on_stdout(runner: CliRunner, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    texts = _texts()
    table = pa.table({"id": list(range(len(texts))), "body": texts})
    pq.write_table(table, tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    args = ["clean", str(tmp_path / "in.parquet"), "--field", "body", "-o", str(out), "-q"]
    r = runner.invoke(main, [*args, "--report", "-"])
    assert r.exit_code == 0, r.output
    back = pq.read_table(out)
    assert back.column("id").to_pylist() == list(range(len(texts)))  # ints stay ints
    assert back.column("body").to_pylist() == [clean(t).text for t in texts]
    assert len(r.stdout.splitlines()) == len(texts)  # the report, one line per record
    r = runner.invoke(main, ["clean", str(tmp_path / "in.parquet"), "--report", "-"])
    assert r.exit_code == 2
    assert "--report and the cleaned records would both go to stdout" in r.stderr


def test_clean_files_report_inside_the_output_folder_is_refused(tmp_path: Path) -> None:
    from textdedup.errors import OutputError

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(_texts()[0], encoding="utf-8")
    with pytest.raises(OutputError, match="is inside the output folder"):
        clean_files(
            [str(tmp_path / "docs")],
            str(tmp_path / "out") + "/",
            report=str(tmp_path / "out" / "r.jsonl"),
            workers=1,
        )


def test_ctrl_c_stops_the_workers_and_leaves_the_previous_output(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    line = json.dumps({"text": _texts()[0]}) + "\n"
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    cmd = [sys.executable, "-m", "textdedup", "clean", "--format", "jsonl", "-o", str(out)]
    proc = subprocess.Popen(
        [*cmd, "--workers", "2", "-q"], stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdin is not None
    proc.stdin.write(line * 200)  # more than one chunk: the pool runs; stdin stays open
    proc.stdin.flush()
    time.sleep(3.0)
    proc.send_signal(2)  # SIGINT
    # It stops (no hang: communicate raises after 120 s); how fast is not asserted,
    # the machine may be loaded.
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0, err
    assert out.read_text() == "previous\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_map_chunks_keeps_input_order_whoever_does_the_work(workers: int) -> None:
    import operator

    from textdedup.clean_corpus import map_chunks
    from textdedup.records import Record

    records = [Record(f"r{i}", f"text {i}", "-", i + 1) for i in range(203)]
    chunks = [records[i : i + 5] for i in range(0, len(records), 5)]
    got = list(map_chunks(operator.add, "!", chunks, workers=workers))
    assert [c for c, _ in got] == chunks
    assert [x for _, done in got for x in done] == [f"text {i}!" for i in range(203)]
    assert list(map_chunks(operator.add, "!", [], workers=workers)) == []
