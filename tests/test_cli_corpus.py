from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import textdedup
from textdedup import DedupConfig, Index
from textdedup.cli import main
from textdedup.index import IndexError_
from textdedup.synthetic import planted_corpus


def _write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


_SKIP_HINT = "hint: --on-error skip would skip this record, count it and name it in the summary\n"


def _ids(output: str) -> list[str]:
    return [json.loads(line)["id"] for line in output.splitlines()]


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, object]]:
    return planted_corpus(1200, seed=7).records


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_dedup_jsonl_keeps_other_fields_and_is_repeatable(
    runner: CliRunner, tmp_path: Path, corpus: list[dict[str, object]]
) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", corpus)
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    r1 = runner.invoke(main, ["dedup", str(src), "-o", str(out1), "--id-field", "id"])
    r2 = runner.invoke(main, ["dedup", str(src), "-o", str(out2), "--id-field", "id", "-q"])
    assert r1.exit_code == 0 and r2.exit_code == 0
    assert out1.read_bytes() == out2.read_bytes()
    rows = [json.loads(line) for line in out1.read_text().splitlines()]
    assert 0 < len(rows) < len(corpus)
    assert all(row["source"] == "synthetic" for row in rows)
    assert r1.stderr.startswith(
        f"read {len(corpus)} records; kept {len(rows)}, removed {len(corpus) - len(rows)}"
    )


def test_annotate_keeps_every_record(runner: CliRunner, tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "the quick brown fox jumps over the lazy dog near the river"},
        {"id": "b", "text": "The quick brown fox jumps over the lazy dog near the river!"},
        {"id": "c", "text": "an unrelated record about something else entirely"},
    ]
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    result = runner.invoke(
        main, ["dedup", str(src), "--id-field", "id", "--action", "annotate", "-q"]
    )
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    # b differs from a in case and punctuation only: same key (score 1.0), not the same text.
    assert [o["dedup"] for o in out] == [
        {"duplicate": False, "duplicate_of": None, "cluster": "a", "score": None, "reason": None},
        {"duplicate": True, "duplicate_of": "a", "cluster": "a", "score": 1.0, "reason": "near"},
        {"duplicate": False, "duplicate_of": None, "cluster": None, "score": None, "reason": None},
    ]


def test_find_writes_clusters_and_stats(runner: CliRunner, tmp_path: Path) -> None:
    rows = [
        {"id": str(i), "text": t}
        for i, t in enumerate(
            ["one two three four five six", "one two three four five six", "seven"]
        )
    ]
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    stats = tmp_path / "stats.json"
    result = runner.invoke(
        main, ["find", str(src), "--id-field", "id", "--stats", str(stats), "-q"]
    )
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {
            "cluster": "0",
            "kept": "0",
            "size": 2,
            "members": [
                {
                    "id": "0",
                    "kept": True,
                    "score": None,
                    "reason": None,
                    "preview": "one two three four five six",
                },
                {
                    "id": "1",
                    "kept": False,
                    "score": 1.0,
                    "reason": "exact",
                    "preview": "one two three four five six",
                },
            ],
        }
    ]
    assert json.loads(stats.read_text())["removed"] == 1
    assert src.read_text().count("\n") == 3  # find changes nothing


def test_text_folder_and_compressed_inputs(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    text = "A document that appears twice in the folder, word for word.\n"
    (folder / "a.txt").write_text(text)
    (folder / "b.txt").write_text(text)
    (folder / "c.txt").write_text("Something else.\n")
    result = runner.invoke(main, ["dedup", str(folder), "-q"])
    assert result.exit_code == 0
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [
        str(folder / "a.txt"),
        str(folder / "c.txt"),
    ]
    gz = tmp_path / "in.jsonl.gz"
    with gzip.open(gz, "wt") as fh:
        fh.write(json.dumps({"text": text}) + "\n" + json.dumps({"text": text}) + "\n")
    out = tmp_path / "out.jsonl.zst"
    assert runner.invoke(main, ["dedup", str(gz), "-o", str(out), "-q"]).exit_code == 0
    import zstandard

    assert (
        zstandard.ZstdDecompressor()
        .decompress(out.read_bytes(), max_output_size=1 << 20)
        .count(b"\n")
        == 1
    )


def test_parquet_input(runner: CliRunner, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table(
        {"id": ["x", "y"], "body": ["same words in both rows here", "same words in both rows here"]}
    )
    pq.write_table(table, tmp_path / "in.parquet")
    result = runner.invoke(
        main, ["dedup", str(tmp_path / "in.parquet"), "--field", "body", "--id-field", "id", "-q"]
    )
    assert result.exit_code == 0
    assert [json.loads(x) for x in result.stdout.splitlines()] == [
        {"id": "x", "body": "same words in both rows here"}
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "{not json",
            "line 2: malformed JSON (expected a property name in double quotes at column 2)",
        ),
        (
            '{"text": "cut off',
            "line 2: malformed JSON (unterminated string starting at column 10; "
            "the line looks cut off)",
        ),
        (
            '{"text": "a"}{"text": "b"}',
            "line 2: malformed JSON (extra data after the JSON value "
            "at column 14; is a line break missing?)",
        ),
        (
            '{"text": "a\tb"}',
            "line 2: malformed JSON (a raw control character (U+0009) inside a "
            "string at column 12; JSON needs it escaped)",
        ),
        ('{"id": 3}', "line 2: missing field 'text'"),
        ('{"text": 5}', "line 2: field 'text' must be a string, got int"),
        ("[1, 2]", "line 2: expected a JSON object, got list"),
    ],
)
def test_bad_jsonl_lines(runner: CliRunner, tmp_path: Path, line: str, message: str) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "fine"}\n' + line + '\n{"text": "also fine"}\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["dedup", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {src}, {message}\n{_SKIP_HINT}"
    assert not out.exists()
    skipped = runner.invoke(main, ["dedup", str(src), "--on-error", "skip"])
    assert skipped.exit_code == 0
    assert len(skipped.stdout.splitlines()) == 2
    assert "(1 skipped)" in skipped.stderr and f"skipped: {src}, {message}" in skipped.stderr


def test_output_naming_an_input_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", [{"text": "x"}])
    result = runner.invoke(main, ["dedup", str(src), "-o", str(src)])
    assert result.exit_code == 2
    assert f"output {src} is an input file" in result.stderr


def test_empty_input_is_empty_output(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_text("")
    result = runner.invoke(main, ["dedup", str(src), "-q"])
    assert result.exit_code == 0 and result.stdout == ""


def test_incremental_equals_all_at_once(
    runner: CliRunner, tmp_path: Path, corpus: list[dict[str, object]]
) -> None:
    a = _write_jsonl(tmp_path / "a.jsonl", corpus[:600])
    b = _write_jsonl(tmp_path / "b.jsonl", corpus[600:])
    both = _write_jsonl(tmp_path / "ab.jsonl", corpus)
    index = tmp_path / "index.sqlite"
    ra = runner.invoke(main, ["dedup", str(a), "--id-field", "id", "--index", str(index), "-q"])
    rb = runner.invoke(main, ["dedup", str(b), "--id-field", "id", "--index", str(index), "-q"])
    rab = runner.invoke(main, ["dedup", str(both), "--id-field", "id", "-q"])
    assert ra.exit_code == rb.exit_code == rab.exit_code == 0
    assert _ids(ra.stdout) + _ids(rb.stdout) == _ids(rab.stdout)
    with Index(index, DedupConfig()) as idx:
        assert len(idx) == len(_ids(rab.stdout))


def test_index_settings_mismatch_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", [{"text": "some text to index here"}])
    index = tmp_path / "i.sqlite"
    assert runner.invoke(main, ["index", "add", str(index), str(src), "-q"]).exit_code == 0
    result = runner.invoke(main, ["dedup", str(src), "--index", str(index), "--num-perm", "64"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {index} was built with other settings (num_perm: index has 128, asked for 64); "
        "leave these options out to use the index's settings, or use a new index\n"
    )
    # The library names every stored setting that differs, derived ones too.
    with pytest.raises(IndexError_, match=r"bands: index has 20, asked for 12.*num_perm"):
        Index(index, DedupConfig(num_perm=64))


def test_check_against_an_index(
    runner: CliRunner, tmp_path: Path, corpus: list[dict[str, object]]
) -> None:
    train = _write_jsonl(tmp_path / "train.jsonl", corpus[:300])
    test_rows = corpus[:10] + [
        {"id": f"new{i}", "text": f"fresh text number {i} that is not in training"}
        for i in range(10)
    ]
    test = _write_jsonl(tmp_path / "test.jsonl", test_rows)
    index = tmp_path / "train.sqlite"
    added = runner.invoke(main, ["index", "add", str(index), str(train), "--id-field", "id"])
    assert added.exit_code == 0
    assert added.stderr == (
        f"note: shingles: word 5-grams for the new index {index} (--shingle auto means word "
        "with an index; for short texts, make the index with --shingle char --ngram 3)\n"
        f"added 300 items from 300 records to {index}; it holds 300\n"
    )
    result = runner.invoke(main, ["check", str(test), "--against", str(index), "--id-field", "id"])
    assert result.exit_code == 0
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["contaminated"] for r in rows] == [True] * 10 + [False] * 10
    assert result.stderr == f"10 of 20 records (50.0%) already occur in {index}\n"
    gate = runner.invoke(
        main, ["check", str(test), "--against", str(index), "--fail-above", "0.25", "-q"]
    )
    assert gate.exit_code == 1
    assert gate.stderr == "Error: contamination 50.0% is above --fail-above 25.0%\n"


def _run_and_kill(args: list[str], delay: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "textdedup", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_kill_during_index_add_and_dedup_leaves_earlier_results(tmp_path: Path) -> None:
    records = planted_corpus(4000, seed=9).records
    first = _write_jsonl(tmp_path / "first.jsonl", records[:500])
    second = _write_jsonl(tmp_path / "second.jsonl", records[500:])
    index = tmp_path / "index.sqlite"
    out = tmp_path / "out.jsonl"
    env_args = ["--id-field", "id", "-q"]
    subprocess.run(
        [sys.executable, "-m", "textdedup", "index", "add", str(index), str(first), *env_args],
        check=True,
    )
    subprocess.run(
        [sys.executable, "-m", "textdedup", "dedup", str(first), "-o", str(out), *env_args],
        check=True,
    )
    before_out = out.read_bytes()
    rng = random.Random(1)
    for _ in range(3):
        _run_and_kill(["index", "add", str(index), str(second), *env_args], rng.uniform(0.2, 2.5))
        with Index(index, DedupConfig()) as idx:
            assert len(idx) in (500, 4000)  # all of the add, or none of it
        _run_and_kill(["dedup", str(second), "-o", str(out), *env_args], rng.uniform(0.2, 2.5))
        assert out.read_bytes() in (before_out, _expected_dedup(second, env_args))
    # A rerun completes, gives what an uninterrupted run gives, and clears what the
    # killed runs left behind.
    subprocess.run(
        [sys.executable, "-m", "textdedup", "dedup", str(second), "-o", str(out), *env_args],
        check=True,
    )
    assert out.read_bytes() == _expected_dedup(second, env_args)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


_EXPECTED: dict[str, bytes] = {}


def _expected_dedup(src: Path, args: list[str]) -> bytes:
    if str(src) not in _EXPECTED:
        run = subprocess.run(
            [sys.executable, "-m", "textdedup", "dedup", str(src), *args],
            check=True,
            capture_output=True,
        )
        _EXPECTED[str(src)] = run.stdout
    return _EXPECTED[str(src)]


def _usage_error(command: str, message: str) -> str:
    return (
        f"Usage: main {command} [OPTIONS] [INPUTS]...\n"
        f"Try 'main {command} --help' for help.\n\nError: {message}\n"
    )


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_folder_in_folder_out(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "docs"
    (src / "sub").mkdir(parents=True)
    text = "A document that appears twice in the folder, word for word.\n"
    (src / "a.txt").write_text(text)
    (src / "sub" / "b.txt").write_text(text)
    (src / "sub" / "c.txt").write_text("Something else entirely.\n")
    out = tmp_path / "clean"
    result = runner.invoke(main, ["dedup", str(src), "-o", f"{out}/", "-q"])
    assert result.exit_code == 0, result.output
    files = _files(out)
    assert files.pop(".textdedup-output.json").count("docs/") == 2
    assert files == {"docs/a.txt": text, "docs/sub/c.txt": "Something else entirely.\n"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    # Run again: the folder is textdedup's own output, replaced only when asked.
    again = runner.invoke(main, ["dedup", str(src), "-o", str(out), "-q"])
    assert again.exit_code == 2
    assert again.stderr == _usage_error(
        "dedup",
        f"output folder {out} is not empty; name a new folder, or give --overwrite to replace "
        "what an earlier textdedup run wrote there",
    )
    (src / "sub" / "b.txt").unlink()
    replaced = runner.invoke(main, ["dedup", str(src), "-o", str(out), "--overwrite", "-q"])
    assert replaced.exit_code == 0, replaced.output
    assert set(_files(out)) == {".textdedup-output.json", "docs/a.txt", "docs/sub/c.txt"}
    # A file the user put there stops even --overwrite.
    (out / "mine.txt").write_text("keep me")
    kept = runner.invoke(main, ["dedup", str(src), "-o", str(out), "--overwrite", "-q"])
    assert kept.exit_code == 2
    assert kept.stderr == _usage_error(
        "dedup",
        f"output folder {out} holds 1 file(s) textdedup did not write (first: mine.txt); "
        "move them, or name a new folder",
    )
    assert (out / "mine.txt").read_text() == "keep me"
    jsonl = _write_jsonl(tmp_path / "in.jsonl", [{"text": "x"}])
    refused = runner.invoke(main, ["dedup", str(jsonl), "-o", f"{tmp_path / 'o2'}/"])
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: {jsonl}: a folder output takes text-file inputs; write JSONL records to a "
        ".jsonl file (-o FILE.jsonl)\n"
    )
    assert not (tmp_path / "o2").exists()


def test_two_inputs_with_the_same_file_name_stay_two_files(
    runner: CliRunner, tmp_path: Path
) -> None:
    for folder, words in (("in_a", "spring fair opens"), ("in_b", "road works close a lane")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(f"{words} on Saturday morning\n")
    out = tmp_path / "out"
    args = ["dedup", str(tmp_path / "in_a"), str(tmp_path / "in_b"), "-o", f"{out}/"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("read 2 records; kept 2, removed 0;")
    assert {k: v for k, v in _files(out).items() if not k.startswith(".")} == {
        "in_a/notes.txt": "spring fair opens on Saturday morning\n",
        "in_b/notes.txt": "road works close a lane on Saturday morning\n",
    }
    # Two inputs of one name are refused before anything is read or written.
    (tmp_path / "x" / "in_a").mkdir(parents=True)
    (tmp_path / "x" / "in_a" / "other.txt").write_text("other\n")
    clash = runner.invoke(
        main,
        ["dedup", str(tmp_path / "in_a"), str(tmp_path / "x" / "in_a"), "-o", f"{tmp_path}/o2/"],
    )
    assert clash.exit_code == 2
    assert clash.stderr == _usage_error(
        "dedup",
        f"inputs {tmp_path / 'in_a'} and {tmp_path / 'x' / 'in_a'} would both be written under "
        "the name 'in_a' in the output folder; rename one, or write JSONL (-o FILE.jsonl)",
    )
    twice = runner.invoke(
        main,
        [
            "dedup",
            str(tmp_path / "in_a"),
            str(tmp_path / "in_a" / ".." / "in_a"),
            "-o",
            f"{tmp_path}/o3/",
        ],
    )
    # The same folder twice: refused as an input named twice, before anything is read.
    assert twice.exit_code == 1 and "is given twice (also named as" in twice.stderr
    assert not (tmp_path / "o2").exists() and not (tmp_path / "o3").exists()


@pytest.mark.parametrize("spelling", ["{corpus}", "{corpus}/", "{corpus}/."])
def test_an_output_folder_holding_an_input_is_refused(
    runner: CliRunner, tmp_path: Path, spelling: str
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "articles" / "a.txt").write_text("an article that must survive\n")
    (corpus / "other.jsonl").write_text('{"text": "an unrelated file"}\n')
    before = _files(corpus)
    output = spelling.format(corpus=corpus)
    result = runner.invoke(main, ["dedup", str(corpus / "articles"), "-o", output])
    assert result.exit_code == 2
    shown = output.rstrip("/")
    assert result.stderr == _usage_error(
        "dedup",
        f"output folder {shown} holds the input {corpus / 'articles'}; writing it would replace "
        "the input; name a new folder",
    )
    assert _files(corpus) == before
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_output_dot_is_refused_cleanly(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("an article that must survive\n")
    monkeypatch.chdir(tmp_path)
    holds = runner.invoke(main, ["dedup", "articles", "-o", "."])
    assert holds.exit_code == 2
    assert holds.stderr == _usage_error(
        "dedup",
        "output folder . holds the input articles; writing it would replace the input; "
        "name a new folder",
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    here = runner.invoke(main, ["dedup", str(tmp_path / "articles"), "-o", "."])
    assert here.exit_code == 2
    assert here.stderr == _usage_error(
        "dedup",
        "output folder . holds the current folder, which cannot be replaced; name a new "
        "folder, e.g. -o clean/",
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "articles", "empty"]


def test_outputs_inside_an_input_folder_or_equal_to_an_input(
    runner: CliRunner, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("a text in the input folder\n")
    cases = [
        (
            ["dedup", str(docs), "-o", f"{docs}/clean/"],
            f"output folder {docs}/clean is inside the input folder {docs}, so a later run "
            "would read it as input; name a folder elsewhere",
        ),
        (
            ["dedup", str(docs), "-o", str(docs / "out.jsonl")],
            f"output {docs / 'out.jsonl'} is inside the input folder {docs}, so a later run "
            "would read it as input; write it elsewhere",
        ),
        (
            ["dedup", str(docs), "-o", str(tmp_path / "o.jsonl"), "--stats", str(docs / "s.json")],
            f"--stats {docs / 's.json'} is inside the input folder {docs}, so a later run "
            "would read it as input; write it elsewhere",
        ),
        (
            ["dedup", str(docs / "a.txt"), "-o", str(docs / "a.txt")],
            f"output {docs / 'a.txt'} is an input file; name another output",
        ),
        (
            ["dedup", str(docs / "a.txt"), "-o", str(docs / "a.txt") + "/"],
            f"output folder {docs / 'a.txt'} is the input {docs / 'a.txt'}; name a new folder",
        ),
        (
            [
                "dedup",
                str(docs),
                "-o",
                str(tmp_path / "o.jsonl"),
                "--stats",
                str(tmp_path / "o.jsonl"),
            ],
            f"output and --stats name the same file {tmp_path / 'o.jsonl'}",
        ),
    ]
    for args, message in cases:
        result = runner.invoke(main, args)
        assert result.exit_code == 2, args
        assert result.stderr == _usage_error("dedup", message)
    find = runner.invoke(main, ["find", str(docs), "--clusters", str(docs / "c.jsonl")])
    assert find.exit_code == 2
    assert "--clusters " + str(docs / "c.jsonl") + " is inside the input folder" in find.stderr
    # A hidden output inside an input folder is never read as input: allowed.
    hidden = runner.invoke(main, ["dedup", str(docs), "-o", str(docs / ".out.jsonl"), "-q"])
    assert hidden.exit_code == 0
    assert sorted(p.name for p in docs.iterdir()) == [".out.jsonl", "a.txt"]


def test_a_failed_folder_run_leaves_nothing_behind(runner: CliRunner, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("fine text\n")
    (docs / "b.txt").write_bytes(b"binary \x00 data")
    result = runner.invoke(main, ["dedup", str(docs), "-o", f"{tmp_path / 'out'}/"])
    assert result.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


def test_index_settings_travel_with_the_index(runner: CliRunner, tmp_path: Path) -> None:
    para = (
        "The pool on Mill Lane will close for two weeks in August while the filters are replaced."
    )
    train = _write_jsonl(
        tmp_path / "train.jsonl", [{"id": "old", "text": f"Bulletin 12.\n\n{para}"}]
    )
    new = _write_jsonl(tmp_path / "new.jsonl", [{"id": "new", "text": para}])
    index = tmp_path / "i.sqlite"
    args = ["--id-field", "id", "-q"]
    built = runner.invoke(
        main, ["index", "add", str(index), str(train), "--unit", "paragraph", "--ngram", "3", *args]
    )
    assert built.exit_code == 0
    # A contradicting option is refused, naming both values ...
    refused = runner.invoke(
        main, ["dedup", str(new), "--unit", "doc", "--index", str(index), *args]
    )
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: {index} was built with other settings (unit: index has 'paragraph', asked for "
        "'doc'); leave these options out to use the index's settings, or use a new index\n"
    )
    both = runner.invoke(
        main, ["check", str(new), "--against", str(index), "--ngram", "5", "--seed", "2", *args]
    )
    assert both.exit_code == 1
    assert "(ngram: index has 3, asked for 5, seed: index has 1, asked for 2)" in both.stderr
    # ... and left out, the index's settings are used.
    check = runner.invoke(main, ["check", str(new), "--against", str(index), *args])
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout) == {
        "id": "new",
        "match": "old#1",
        "jaccard": 1.0,
        "containment": 1.0,
        "contaminated": True,
    }
    same = runner.invoke(
        main, ["dedup", str(new), "--unit", "paragraph", "--index", str(index), *args]
    )
    assert same.exit_code == 0 and same.stdout == ""  # its one paragraph is in the index
    more = runner.invoke(main, ["index", "add", str(index), str(new), *args])
    assert more.exit_code == 0
    info = runner.invoke(main, ["index", "info", str(index)])
    assert info.exit_code == 0
    assert info.stdout == (
        f"index:      {index} ({index.stat().st_size:,} bytes)\n"
        "items:      2 from 2 records\n"
        "unit:       paragraph\n"
        "mode:       near\n"
        "threshold:  0.7\n"
        "verify:     jaccard\n"
        "shingle:    word, ngram 3\n"
        "minhash:    num_perm 128, seed 1, 20 bands x 6 rows, hash poly64-splitmix-v1\n"
        "min_length: 30\n"
        "key:        casefold, dashes, nfkc, punctuation, quotes, whitespace\n"
        f"format:     index 3, signatures 1, made by textdedup {textdedup.__version__}\n"
    )
    as_json = json.loads(runner.invoke(main, ["index", "info", str(index), "--json"]).stdout)
    assert (as_json["items"], as_json["records"], as_json["settings"]["unit"]) == (
        2,
        2,
        "paragraph",
    )
    missing = runner.invoke(main, ["index", "info", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 1
    assert missing.stderr == f"Error: {tmp_path / 'none.sqlite'}: no such index\n"


def test_spark_output_folder_is_checked_before_spark_starts(
    runner: CliRunner, tmp_path: Path
) -> None:
    pytest.importorskip("pyspark")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    src = _write_jsonl(corpus / "in.jsonl", [{"id": "a", "text": "a record to keep safe"}])
    other = _write_jsonl(tmp_path / "other.jsonl", [{"text": "x"}])
    before = src.read_bytes()
    args = ["dedup", str(src), "--engine", "spark", "-o"]
    holds = runner.invoke(main, [*args, str(corpus)])
    assert holds.exit_code == 2
    assert holds.stderr == _usage_error(
        "dedup",
        f"output folder {corpus} holds the input {src}; writing it would replace the input; "
        "name a new folder",
    )
    assert src.read_bytes() == before
    not_ours = runner.invoke(main, [*args, str(tmp_path), "--overwrite"])
    assert not_ours.exit_code == 2
    assert f"output folder {tmp_path} holds the input {src}" in not_ours.stderr
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    busy = runner.invoke(
        main, ["dedup", str(other), "--engine", "spark", "-o", str(tmp_path / "out"), "--overwrite"]
    )
    assert busy.exit_code == 2
    assert busy.stderr == _usage_error(
        "dedup",
        f"output folder {tmp_path / 'out'} was not written by textdedup (it has no "
        ".textdedup-output.json); --overwrite replaces only textdedup's own output",
    )
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"


def test_stats_or_index_inside_a_folder_output_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("a text to write to the folder output\n")
    out = tmp_path / "out"
    for option, name in (("--stats", "s.json"), ("--index", "i.sqlite")):
        result = runner.invoke(main, ["dedup", str(docs), "-o", f"{out}/", option, f"{out}/{name}"])
        assert result.exit_code == 2
        assert result.stderr == _usage_error(
            "dedup",
            f"{option} {out}/{name} is inside the output folder {out}/, which is replaced as a "
            "whole; write it elsewhere",
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


def test_an_empty_file_becomes_a_new_index(runner: CliRunner, tmp_path: Path) -> None:
    index = tmp_path / "i.sqlite"
    index.touch()  # as `mktemp` leaves it
    src = _write_jsonl(tmp_path / "in.jsonl", [{"text": "a text to index in an empty file"}])
    added = runner.invoke(main, ["index", "add", str(index), str(src), "--unit", "line", "-q"])
    assert added.exit_code == 0, added.output
    info = json.loads(runner.invoke(main, ["index", "info", str(index), "--json"]).stdout)
    assert (info["settings"]["unit"], info["items"], info["records"]) == ("line", 1, 1)


def test_stats_in_a_missing_folder_is_written(runner: CliRunner, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", [{"text": "one record"}])
    stats = tmp_path / "new" / "deeper" / "s.json"
    result = runner.invoke(
        main, ["dedup", str(src), "-o", str(tmp_path / "o.jsonl"), "--stats", str(stats), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(stats.read_text())["records"] == 1


def test_an_unknown_output_suffix_is_refused_before_the_run(
    runner: CliRunner, tmp_path: Path
) -> None:
    # Never JSONL under another name: the output's suffix names its format, or it fails.
    src = _write_jsonl(tmp_path / "in.jsonl", [{"text": "one record"}])
    for name, shown in (("out.txt", "unknown suffix '.txt'"), ("out", "no suffix")):
        out = tmp_path / name
        result = runner.invoke(main, ["dedup", str(src), "-o", str(out)])
        assert result.exit_code == 2
        assert result.stderr == _usage_error(
            "dedup",
            f"output {out}: {shown}; name a .jsonl, .jsonl.gz, .jsonl.zst, .jsonl.bz2, "
            ".jsonl.xz or .parquet output, or give --output-format",
        )
        assert not out.exists()
