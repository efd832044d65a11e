"""Library errors that name parameters reach the command line as its flags (cli.FLAGS)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from textdedup.cli import FLAGS, main
from textdedup.errors import IncompatibleSettingsError


def _usage_error(command: str, message: str) -> str:
    return (
        f"Usage: main {command} [OPTIONS] [INPUTS]...\n"
        f"Try 'main {command} --help' for help.\n\nError: {message}\n"
    )


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "title": "On the roof", "text": "x"},
        {"id": "b", "title": "t", "text": "y"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # engines/spark.check_options: raised before pyspark is imported.
        (["--engine", "spark", "--fields", "title"], "--fields works with the local engine only"),
        # index_ops.config_for_index
        (["--fields", "title", "--index", "{tmp}/i.sqlite"], "--fields works without an index"),
        # config.DedupConfig
        (
            ["--fields", "title", "--unit", "paragraph"],
            "--fields compare whole records: --unit must be 'doc', got 'paragraph'",
        ),
    ],
)
def test_a_library_error_names_the_flags(
    src: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    out = tmp_path / ("out" if "spark" in extra else "out.jsonl")
    args = ["dedup", str(src), "-o", str(out), "-q"]
    args += [a.replace("{tmp}", str(tmp_path)) for a in extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stderr == _usage_error("dedup", message)
    assert not out.exists()


def test_spark_on_stdin_is_refused_naming_the_flags() -> None:
    result = CliRunner().invoke(main, ["dedup", "--engine", "spark", "-o", "out"], input="")
    assert result.exit_code == 2
    assert result.stderr == _usage_error(
        "dedup", "--engine spark reads named files or folders and writes to -o FOLDER"
    )


def test_every_parameter_a_library_error_names_has_a_flag() -> None:
    # The templates the library raises, by the parameters they name.
    named = {
        "fields",
        "level",
        "engine",
        "output",
        "stats_path",
        "training",
        # engines/spark.check_options
        "output_format",
        "removals_path",
        "index_path",
        "shingle",
        # clean_document.clean_document_to
        "diff",
        "in_place",
    }
    assert named <= FLAGS.keys()
    message = IncompatibleSettingsError("{stats_path} x is inside {output}").render(FLAGS)
    assert message == "--stats x is inside -o"


def test_clean_files_names_its_report_parameter_and_the_cli_the_flag(tmp_path: Path) -> None:
    from textdedup.clean_corpus import clean_files
    from textdedup.errors import OutputConflictError, OutputError

    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "a"}\n')
    with pytest.raises(OutputConflictError) as info:
        clean_files([str(src)], str(tmp_path / "out.jsonl"), report=str(src))
    assert isinstance(info.value, OutputError)
    assert info.value.parameters == ("report",)
    assert str(info.value) == f"report {src} is an input file; name another output"
    result = CliRunner().invoke(
        main, ["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--report", str(src)]
    )
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: --report {src} is an input file; name another output\n")


def test_open_output_chooses_the_writer_and_refuses_what_a_folder_cannot_hold(
    tmp_path: Path,
) -> None:
    from textdedup.errors import OutputConflictError
    from textdedup.pipeline import is_folder_output, open_output
    from textdedup.records import FolderWriter, RecordWriter

    src = tmp_path / "a.txt"
    src.write_text("text\n")
    assert isinstance(open_output(str(tmp_path / "o.jsonl"), [str(src)]), RecordWriter)
    out = f"{tmp_path}/out/"
    assert is_folder_output(out)
    assert isinstance(open_output(out, [str(src)]), FolderWriter)
    with pytest.raises(IncompatibleSettingsError) as info:
        open_output(out, [str(src)], action="annotate")
    assert info.value.render(FLAGS) == "--action annotate needs a JSONL output, not a folder"
    with pytest.raises(IncompatibleSettingsError) as info:
        open_output(out, [str(src)], output_format="jsonl")
    assert str(info.value) == (
        f"output {out} is a folder of text files; output_format names a file's format"
    )
    with pytest.raises(OutputConflictError) as conflict:
        open_output(out, [str(src)], beside={"stats_path": f"{out}s.json"})
    assert conflict.value.parameters == ("stats_path",)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--action", "annotate"], "--action annotate needs a JSONL output, not a folder"),
        (
            ["--output-format", "jsonl"],
            "-o {out} is a folder of text files; --output-format names a file's format",
        ),
    ],
)
def test_a_folder_output_refuses_annotate_and_a_format(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Some text of a document.\n")
    out = f"{tmp_path}/out/"
    result = CliRunner().invoke(main, ["dedup", str(src), "-o", out, "-q", *extra])
    assert result.exit_code == 2
    assert result.stderr == _usage_error("dedup", message.replace("{out}", out))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # engines/spark.check_options, through the registry's dispatch.
        (
            ["--output-format", "parquet"],
            "--engine spark writes a folder of JSONL parts; drop --output-format",
        ),
        (["--removals", "{tmp}/r.jsonl"], "--removals works with the local engine only"),
        (["--shingle", "auto"], "--engine spark needs --shingle word or char, not auto"),
    ],
)
def test_spark_refusals_name_the_flags(
    src: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    out = tmp_path / "out"
    args = ["dedup", str(src), "-o", str(out), "-q", "--engine", "spark"]
    args += [a.replace("{tmp}", str(tmp_path)) for a in extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stderr == _usage_error("dedup", message)
    assert not out.exists()
