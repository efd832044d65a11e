"""An engine is one module and one line of ``engines.ENGINES``: the CLI follows.

A toy engine (exact copies of the whole text, the first copy kept) is written as a
module of its own and registered with one ``ENGINES`` entry (monkeypatch); then
``textdedup dedup --engine toy`` runs end to end, its option checks come from the
module, and ``--help`` lists it. Nothing of :mod:`textdedup.cli` is touched.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from textdedup import DedupConfig
from textdedup.cli import main
from textdedup.engines import ENGINES, FilesRequest, get_engine

TOY = textwrap.dedent(
    '''
    """A toy engine: exact copies of the whole text go, the first copy stays."""

    from textdedup.engines import FilesRequest, FilesResult
    from textdedup.errors import IncompatibleSettingsError
    from textdedup.records import RecordWriter, iter_records

    FOLDER_OUTPUT = False


    def available():
        return True


    def check_options(request):
        if request.config.level != "doc":
            raise IncompatibleSettingsError("{engine} toy compares whole documents: drop {level}")


    def dedup_dicts(records, *, config, text_field="text", id_field="id"):
        seen, out = {}, []
        for r in records:
            first = seen.setdefault(r[text_field], r[id_field])
            dup = first != r[id_field]
            out.append({**r, "dedup": {"duplicate": dup, "duplicate_of": first if dup else None}})
        return out


    def dedup_files(request):
        check_options(request)
        seen, read, kept = set(), 0, 0
        with RecordWriter(request.output, text_field=request.text_field) as out:
            for record in iter_records(request.inputs, text_field=request.text_field):
                read += 1
                if record.text not in seen:
                    seen.add(record.text)
                    out.write(record)
                    kept += 1
        return FilesResult(records=read, written=kept, summary=f"toy: read {read}, kept {kept}")
    '''
)


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The toy engine's module on the path and its one line in ENGINES."""
    folder = tmp_path / "engines"
    folder.mkdir()
    (folder / "toy_engine.py").write_text(TOY)
    monkeypatch.syspath_prepend(str(folder))
    # One line in ENGINES. (Under --doctest-modules with importlib imports, pytest may
    # have imported src/textdedup/engines/__init__.py a second time: both copies get it.)
    registries = {id(r): r for r in (ENGINES, sys.modules["textdedup.engines"].ENGINES)}
    for registry in registries.values():
        monkeypatch.setitem(registry, "toy", "toy_engine")
    return "toy"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    texts = ["one two three four", "five six seven", "one two three four", "One two three four"]
    path.write_text(
        "".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(texts))
    )
    return path


def test_a_registered_engine_runs_from_the_command_line(
    toy: str, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kept.jsonl"
    result = CliRunner().invoke(main, ["dedup", str(corpus), "--engine", toy, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "toy: read 4, kept 3\n"
    kept = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    # The toy compares exact texts: r2 goes, r3 (a capital O) stays, unlike the local engine.
    assert kept == ["r0", "r1", "r3"]


def test_the_engine_module_refuses_its_options_in_the_flags_words(
    toy: str, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kept.jsonl"
    args = ["dedup", str(corpus), "--engine", toy, "--unit", "line", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: --engine toy compares whole documents: drop --unit\n")
    assert not out.exists()


def test_the_engine_choices_are_the_registry(toy: str) -> None:
    result = CliRunner().invoke(main, ["dedup", "--help"])
    assert "--engine [local|spark|toy]" in result.output
    assert get_engine(toy).available()


def test_an_unregistered_engine_is_a_usage_error(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["dedup", str(corpus), "--engine", "toy"])
    assert result.exit_code == 2
    assert "'toy' is not one of 'local', 'spark'" in result.stderr


def test_every_engine_module_offers_the_protocol() -> None:
    for name in ENGINES:
        module = get_engine(name)  # importing needs no optional dependency
        for attr in ("available", "dedup_dicts", "check_options", "dedup_files"):
            assert callable(getattr(module, attr)), (name, attr)
        assert isinstance(module.FOLDER_OUTPUT, bool), name


def test_local_dedup_files_matches_the_command_line(corpus: Path, tmp_path: Path) -> None:
    from textdedup.engines import local

    lib_out, cli_out = tmp_path / "lib.jsonl", tmp_path / "cli.jsonl"
    run = local.dedup_files(
        FilesRequest(inputs=(str(corpus),), output=str(lib_out), config=DedupConfig(), quiet=True)
    )
    result = CliRunner().invoke(main, ["dedup", str(corpus), "-o", str(cli_out)])
    assert result.exit_code == 0, result.output
    assert lib_out.read_bytes() == cli_out.read_bytes()
    assert (run.records, run.written, run.added) == (4, 2, 0)
    assert run.summary.splitlines()[0].startswith("read 4 records; kept 2, removed 2;")


def test_spark_refusals_come_from_its_module() -> None:
    from textdedup.engines import spark
    from textdedup.errors import IncompatibleSettingsError

    base = {"inputs": ("a.jsonl",), "output": "out", "config": DedupConfig()}
    spark.check_options(FilesRequest(**base))  # type: ignore[arg-type]
    # shingle="auto" left at the command line's default means word shingles on Spark.
    auto = DedupConfig(shingle="auto")
    spark.check_options(FilesRequest(**{**base, "config": auto}))  # type: ignore[arg-type]
    cases = [
        ({"removals_path": "r.jsonl"}, "--removals works with the local engine only"),
        (
            {"output_format": "parquet"},
            "--engine spark writes a folder of JSONL parts; drop --output-format",
        ),
        (
            {"config": auto, "chosen": frozenset({"shingle"})},
            "--engine spark needs --shingle word or char, not auto",
        ),
        ({"config": DedupConfig(fields=("title",))}, "--fields works with the local engine only"),
    ]
    from textdedup.cli import FLAGS

    for extra, message in cases:
        with pytest.raises(IncompatibleSettingsError) as info:
            spark.check_options(FilesRequest(**{**base, **extra}))  # type: ignore[arg-type]
        assert info.value.render(FLAGS) == message
