"""The ``textdedup`` command line. The only module that imports click.

Data goes to stdout, the summary and errors to stderr. Exit codes: 0 ok, 1 an
error (``Error: ...``) or, with ``--check``, something would be removed; 2 a usage
error.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .clean import ISOLATED_POLICIES, CleanConfig
from .config import MODES, NUMBERS, UNITS, VERIFIERS, DedupConfig
from .errors import (
    IncompatibleSettingsError,
    InputError,
    NamedParameters,
    OutputError,
    TextdedupError,
)
from .io import ERROR_HANDLERS, STDIN, atomic_write, read_text
from .io.formats import INPUT_FORMATS, format_of_path
from .segment import SEGMENT_MODES

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .progress import Progress
    from .records import ReadStats, Record

__all__ = ["main"]


class _Group(click.Group):
    """The command group, quiet when the reader of stdout leaves early (``| head``)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # As the Python docs advise (library/signal, "Note on SIGPIPE"): point stdout
            # at devnull, so the flush at exit raises nothing, and leave without a trace.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)


def _examples(*lines: str) -> str:
    """A command's ``--help`` epilog: example command lines, kept as written (``\\b``).

    Every line runs in ``tests/test_docs_examples.py`` on the docs' sample inputs.
    """
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


EXAMPLES = {
    "main": _examples(
        "textdedup clean article.txt -o article.clean.txt",
        "textdedup dedup corpus.jsonl --id-field id -o clean.jsonl",
        "textdedup dedup --help      # every option of a command, and examples",
    ),
    "clean": _examples(
        "textdedup clean article.txt -o article.clean.txt   # summary on stderr",
        "textdedup clean article.txt --report report.json > article.clean.txt",
        "cat article.txt | textdedup clean --blocks paragraph --keep last > clean.txt",
        "textdedup clean doc.txt --diff                     # what would change, as a diff",
        "textdedup clean corpus.jsonl --id-field id -o clean.jsonl --report report.jsonl"
        "  # each record",
    ),
    "dedup": _examples(
        "textdedup dedup corpus.jsonl --id-field id -o clean.jsonl",
        "textdedup dedup corpus.jsonl.zst --threshold 0.8 --keep longest -o clean.jsonl.zst",
        "textdedup dedup dumps/ --unit paragraph -o clean.jsonl        # repeated paragraphs",
        "textdedup dedup corpus.parquet --action annotate --stats stats.json -o annotated.jsonl",
        "textdedup dedup new.jsonl --index train.sqlite -o new.clean.jsonl  # and remember it",
    ),
    "find": _examples(
        "textdedup find corpus.jsonl --id-field id --clusters clusters.jsonl --stats stats.json",
        "textdedup find corpus.jsonl --mode exact --unit paragraph > blocks.jsonl",
    ),
    "passages": _examples(
        "textdedup passages docs/ -o passages.jsonl",
        "textdedup passages test.jsonl --id-field id --against docs/ --fail-above 0.05",
    ),
    "index": _examples(
        "textdedup index add train.sqlite train.jsonl --id-field id",
        "textdedup index info train.sqlite",
    ),
    "index add": _examples(
        "textdedup index add train.sqlite train/ --id-field id     # created if missing",
        "textdedup index add paragraphs.sqlite dumps/ --unit paragraph",
    ),
    "index info": _examples(
        "textdedup index info train.sqlite",
        "textdedup index info train.sqlite --json",
    ),
    "check": _examples(
        "textdedup check test.jsonl --against train.sqlite --fail-above 0.01   # a CI gate",
        "textdedup check test.jsonl --id-field id --against train.sqlite -o overlap.jsonl",
        "textdedup check test.jsonl --id-field id --training train/ -o spans.jsonl  # spans",
        "textdedup check test.jsonl --training train/ --definition ngram13 --fail-above 0",
    ),
    "params": _examples(
        "textdedup params --threshold 0.8 --num-perm 128",
        "textdedup params --threshold 0.7 --docs 10000000 --json",
    ),
    "explain": _examples(
        'textdedup explain --text "the cat sat on the mat today" "The cat sat on a mat today."',
        "textdedup explain docs/doc1.txt docs/doc3.txt --verify containment --json",
    ),
    "review": _examples(
        "textdedup find corpus.jsonl --id-field id --clusters clusters.jsonl --stats stats.json",
        "textdedup review clusters.jsonl stats.json --corpus corpus.jsonl --id-field id "
        "-o review.html",
        "textdedup clean article.txt --report report.json -o article.clean.txt",
        "textdedup review report.json -o article.html       # reads the report's input file",
    ),
}


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXAMPLES["main"],
)
@click.version_option(__version__, "--version", prog_name="textdedup")
def main() -> None:
    """Find and remove exact and near-duplicate text, and explain every removal."""


class _Option(click.Option):
    """An option whose earlier spellings (``old_names``) still work but are not shown.

    One meaning per word: when an option is renamed (``clean --mode`` is ``--blocks``,
    ``--field`` is ``--text-field``), its old name stays a hidden alias for a release,
    so scripts keep working while help and docs show one name.
    """

    def __init__(self, *args: Any, old_names: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.old_names = old_names

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        shown, self.opts = self.opts, [o for o in self.opts if o not in self.old_names]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = shown


class _Registry(click.Choice[str]):
    """The choices of a registry, read when the command line is parsed or its help shown.

    ``--engine`` offers the names of :data:`textdedup.engines.ENGINES` and ``--keep``
    those of :data:`textdedup.cluster.KEEP_POLICIES`: an engine or a keep policy added
    there is a choice here, with no line of this module.
    """

    def __init__(self, names: Callable[[], Sequence[str]]) -> None:
        self._names = names
        super().__init__(list(names()))

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return tuple(self._names())

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        pass  # always read from the registry


def _engines() -> Sequence[str]:
    from .engines import ENGINES

    return tuple(ENGINES)


def _keep_policies() -> Sequence[str]:
    from . import cluster

    return cluster.KEEP_POLICIES


#: The one rule for --workers in every command (and ``workers`` in the library:
#: :func:`textdedup.config.resolve_workers`).
WORKERS_HELP = "Worker processes or threads: 0 (default) is every core this process may use."


def _output_format_option(f: _F) -> _F:
    from .records import OUTPUT_FORMATS

    return click.option(
        "--output-format",
        type=click.Choice(["auto", *OUTPUT_FORMATS]),
        default="auto",
        show_default=True,
        help="Format of the output; auto goes by its suffix (stdout is JSONL). Parquet keeps"
        " the input columns' types (needs textdedup[parquet]).",
    )(f)


def _workers_option(f: _F) -> _F:
    """``--workers``, the same name, rule, help and default in every command."""
    return click.option(
        "--workers",
        type=click.IntRange(min=0),
        default=0,
        show_default=True,
        help=WORKERS_HELP,
    )(f)


def _text_field_option(help: str) -> Callable[[_F], _F]:
    """``--text-field`` (old name ``--field``, still accepted)."""
    return click.option(
        "--text-field",
        "--field",
        "text_field",
        cls=_Option,
        old_names=("--field",),
        default="text",
        show_default=True,
        help=help,
    )


def _unit_interval(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise click.BadParameter(f"must be in [0, 1], got {value}")
    return value


_F = Any  # a click-decorated function


def _reading_options_for(
    *,
    formats: tuple[str, ...] = ("auto", *INPUT_FORMATS),
    format_help: str = "Input format; auto goes by suffix (stdin is JSONL, compressed or not).",
    field_help: str = "JSONL/Parquet field that holds the text.",
    encoding_help: str = "Encoding of text inputs.",
    errors_help: str = "Invalid bytes in text inputs.",
    quiet_help: str = "No progress bar and no summary.",
) -> Callable[[_F], _F]:
    """Options of every command that reads records: fields, format, encoding, bad records.

    The corpus commands take the defaults; ``clean`` reads stdin as one text and
    words a few helps its own way.
    """
    options = [
        _text_field_option(field_help),
        click.option(
            "--id-field",
            default=None,
            help="Field that holds the record id [default: id, when a record has one; "
            "else FILE:LINE]; '' names every record FILE:LINE.",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(list(formats)),
            default="auto",
            show_default=True,
            help=format_help,
        ),
        click.option(
            "--on-error",
            type=click.Choice(["fail", "skip"]),
            default="fail",
            show_default=True,
            help="Bad records: stop with an error, or skip, count and report them.",
        ),
        click.option("--encoding", default="utf-8", show_default=True, help=encoding_help),
        click.option(
            "--errors",
            type=click.Choice(ERROR_HANDLERS),
            default="strict",
            show_default=True,
            help=errors_help,
        ),
        click.option("-q", "--quiet", is_flag=True, help=quiet_help),
    ]

    def apply(f: _F) -> _F:
        for option in reversed(options):
            f = option(f)
        return f

    return apply


_reading_options: Callable[[_F], _F] = _reading_options_for()


@main.command("clean", epilog=EXAMPLES["clean"])
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "-o",
    "--output",
    default=STDIN,
    type=click.Path(allow_dash=True, path_type=str),
    help="Where to write the cleaned text (default: stdout); for a corpus, JSONL "
    "(.gz/.zst compress) or DIR/ for text files.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help="Write a JSON report of every removal here (- for stdout, when the text goes "
    "elsewhere); for a corpus, JSONL, one line per record.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; list every change with its reason on stderr; exit 1 if any.",
)
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print a unified diff of what would change instead."
)
@click.option(
    "--in-place",
    is_flag=True,
    help="Replace FILE with the cleaned text (atomically), keeping the original as "
    "FILE.orig (see --backup); an unchanged FILE is not written.",
)
@click.option(
    "--backup",
    default=".orig",
    show_default=True,
    metavar="SUFFIX",
    help="With --in-place: the original is kept as FILE + SUFFIX (never overwritten).",
)
@click.option(
    "--blocks",
    "--mode",
    "blocks",
    cls=_Option,
    old_names=("--mode",),
    type=click.Choice(SEGMENT_MODES),
    default="auto",
    show_default=True,
    help="How the text is cut into blocks.",
)
@click.option(
    "--keep",
    type=_Registry(_keep_policies),
    default="first",
    show_default=True,
    help="Which copy of a duplicate stays.",
)
@click.option(
    "--threshold",
    type=float,
    default=0.9,
    show_default=True,
    callback=_unit_interval,
    help="Similarity in [0, 1] at which two blocks are near duplicates.",
)
@click.option(
    "--min-length",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Shorter blocks (in characters) are removed only inside a repeated run.",
)
@click.option(
    "--min-span",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Shortest repeated span searched inside blocks, in words (a CJK character "
    "is a word); 0 turns it off.",
)
@click.option(
    "--min-copy",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Shortest run of whole blocks (words) removed as a copy when it does not follow "
    "its earlier copy directly.",
)
@click.option(
    "--min-copy-span",
    type=click.IntRange(min=0),
    default=25,
    show_default=True,
    help="Shortest repeated span inside or across blocks (words) removed as a copy when it "
    "does not follow its earlier copy directly.",
)
@click.option(
    "--isolated",
    type=click.Choice(ISOLATED_POLICIES),
    default="keep",
    show_default=True,
    help="Repeats that are structure (a refrain, a repeated answer or clause): keep "
    "and report them, or remove them too.",
)
@click.option("--no-near", is_flag=True, help="Remove exact duplicates only.")
@_reading_options_for(
    format_help="Input format; auto goes by suffix (.jsonl/.json/.ndjson, .parquet, else text; "
    "stdin is text).",
    field_help="JSONL/Parquet field that holds the text (a corpus).",
    encoding_help="Encoding of the input and output.",
    errors_help="What to do with bytes that are invalid in the encoding.",
    quiet_help="No progress bar and no summary on stderr.",
)
@_workers_option
@_output_format_option
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace an output folder that an earlier textdedup run wrote (only that).",
)
def clean_command(
    inputs: tuple[str, ...],
    output: str,
    report: str | None,
    check: bool,
    show_diff: bool,
    in_place: bool,
    backup: str,
    blocks: str,
    keep: str,
    threshold: float,
    min_length: int,
    min_span: int,
    min_copy: int,
    min_copy_span: int,
    isolated: str,
    no_near: bool,
    encoding: str,
    errors: str,
    text_field: str,
    id_field: str | None,
    fmt: str,
    on_error: str,
    workers: int,
    output_format: str,
    overwrite: bool,
    quiet: bool,
) -> None:
    """Remove repeated blocks, runs and spans from one document, or from each of a corpus.

    One text FILE (or stdin, for - or no FILE): writes the cleaned text to stdout
    (or -o OUT) and prints a short summary of what was removed to stderr.

    Many files, folders, JSONL (.gz, .zst) or Parquet: cleans each document or record
    on its own, in parallel, and writes them back as dedup does (JSONL with every
    field kept, or DIR/ for text files); --report writes one JSONL line per record.
    """
    files = inputs or (STDIN,)
    single = (
        len(files) == 1
        and (fmt == "text" or (fmt == "auto" and (files[0] == STDIN or _text_suffix(files[0]))))
        and not Path(files[0]).is_dir()
    )
    config = CleanConfig(
        blocks=blocks,  # type: ignore[arg-type]
        keep=keep,  # type: ignore[arg-type]
        threshold=threshold,
        min_length=min_length,
        min_span=min_span,
        min_copy=min_copy,
        min_copy_span=min_copy_span,
        isolated=isolated,  # type: ignore[arg-type]
        near=not no_near,
    )
    if not single:
        _clean_corpus(
            files,
            output,
            report=report,
            check=check,
            show_diff=show_diff,
            in_place=in_place,
            config=config,
            o={
                "text_field": text_field,
                "id_field": id_field,
                "fmt": fmt,
                "on_error": on_error,
                "encoding": encoding,
                "errors": errors,
                "workers": workers,
                "output_format": output_format,
                "overwrite": overwrite,
                "quiet": quiet,
            },
        )
        return
    if output_format != "auto":
        raise click.UsageError(
            "--output-format is for records (a corpus); one text document is written as text"
        )
    file = files[0]
    if show_diff and (in_place or output != STDIN):
        raise click.UsageError("--diff prints to stdout; it cannot be used with --in-place or -o")
    if in_place and file == STDIN:
        raise click.UsageError("--in-place needs a FILE, not stdin")
    if in_place and output != STDIN:
        raise click.UsageError("--in-place and --output cannot be used together")
    from .clean_document import clean_document_to, same_file

    if output != STDIN and file != STDIN and same_file(file, output):
        raise click.UsageError(f"output {output} is the input file; use --in-place to overwrite it")
    text_to_stdout = show_diff or not (check or in_place or output != STDIN)
    _one_stdout(**{"--report": report, "the cleaned text": STDIN if text_to_stdout else None})
    try:
        done = clean_document_to(
            file,
            output,
            config=config,
            report=report,
            check=check,
            diff=show_diff,
            in_place=in_place,
            backup=backup,
            fmt=fmt,
            encoding=encoding,
            errors=errors,
        )
    except NamedParameters as exc:
        raise click.UsageError(exc.render(FLAGS)) from None
    except TextdedupError as exc:
        raise click.ClickException(str(exc)) from None
    except BrokenPipeError:
        raise
    except (OSError, UnicodeEncodeError, ValueError) as exc:
        raise click.ClickException(_describe(exc)) from None
    if not quiet:
        click.echo(done.summary(), err=True)
    if check:
        if not quiet:
            # Removals are listed above; the rest of what would change is here.
            for change in done.changes:
                if change.kind != "removal":
                    click.echo(f"  {change}", err=True)
        if done.changes:
            sys.exit(1)


def _text_suffix(path: str) -> bool:
    """Whether ``--format auto`` reads ``path`` as plain text (no record format's suffix)."""
    return format_of_path(path) == "text"


def _clean_corpus(
    files: tuple[str, ...],
    output: str,
    *,
    report: str | None,
    check: bool,
    show_diff: bool,
    in_place: bool,
    config: CleanConfig,
    o: dict[str, Any],
) -> None:
    """``clean`` of many documents or of records: each one cleaned on its own."""
    from .clean_corpus import clean_files
    from .records import ReadStats

    if show_diff:
        raise click.UsageError("--diff works on one text document, not on records or many files")
    if in_place:
        raise click.UsageError(
            "--in-place works on one text document; write records to -o OUT.jsonl (or DIR/)"
        )
    if check and output != STDIN:
        raise click.UsageError("--check writes nothing; it cannot be used with -o")
    _one_stdout(**{"--report": report, "the cleaned records": None if check else output})
    read = ReadStats()
    try:
        _make_parents(report)
        with _progress(o["quiet"], "clean") as bar:
            stats = clean_files(
                files,
                output,
                config=config,
                report=report,
                write=not check,
                text_field=o["text_field"],
                id_field=o["id_field"],
                fmt=o["fmt"],
                encoding=o["encoding"],
                errors=o["errors"],
                on_error=o["on_error"],
                overwrite=o["overwrite"],
                output_format=o["output_format"],
                workers=o["workers"],
                read_stats=read,
                progress=bar.update,
            )
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    if not o["quiet"]:
        click.echo(stats.report(read, check=check), err=True)
    if check and stats.changed:
        sys.exit(1)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


# -- corpus commands ---------------------------------------------------------------------


def _corpus_options(f: _F) -> _F:
    """Options shared by dedup, find, index add and check: reading and comparing."""
    options = [
        click.option(
            "--unit",
            type=click.Choice((*UNITS, "passage")),
            default="doc",
            show_default=True,
            help="Deduplicate whole documents, paragraphs, lines, sentences (of the reflowed"
            " text) or 50-word windows (found, never cut); passage: copied passages across"
            " documents, as spans (dedup, find, check).",
        ),
        click.option(
            "--mode",
            type=click.Choice(MODES),
            default="near",
            show_default=True,
            help="Exact duplicates only, or near duplicates too.",
        ),
        click.option(
            "--threshold",
            type=float,
            default=0.7,
            show_default=True,
            callback=_unit_interval,
            help="Similarity in [0, 1] (Jaccard of shingles, by default) for near duplicates.",
        ),
        click.option(
            "--verify",
            type=click.Choice(VERIFIERS),
            default="jaccard",
            show_default=True,
            help="How candidate pairs are verified.",
        ),
        click.option(
            "--num-perm",
            type=click.IntRange(1, 4096),
            default=128,
            show_default=True,
            help="MinHash permutations.",
        ),
        click.option(
            "--ngram",
            type=click.IntRange(1, 64),
            default=5,
            show_default=True,
            help="Tokens per shingle.",
        ),
        click.option(
            "--shingle",
            type=click.Choice(["word", "char", "auto"]),
            default="auto",
            show_default=True,
            help="Shingle tokens: words, characters, or auto: word n-grams for documents,"
            " char 3-grams when the median document is under 50 words (short texts, whose"
            " numbers must then agree). An index needs word or char (auto means word there).",
        ),
        click.option(
            "--seed",
            type=click.IntRange(0),
            default=1,
            show_default=True,
            help="Seed of the MinHash permutations.",
        ),
        click.option(
            "--min-length",
            type=click.IntRange(min=0),
            default=30,
            show_default=True,
            help="Paragraphs/lines shorter than this (characters) are never removed"
            " across documents.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return _reading_options(f)


def _record_options(f: _F) -> _F:
    """Options of dedup and find for short texts and records with fields."""
    options = [
        click.option(
            "--fields",
            default="",
            help="Compare records on these JSON fields, comma-separated, each with an optional"
            " rule: title,authors:names,year:exact (rules fuzzy, folded, names, exact; by"
            " default year/volume/issue/pages/ids are exact, authors/editors names, others"
            " folded). Exact fields must agree when both records give them.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return _numbers_option(f)


def _numbers_option(f: _F) -> _F:
    """--numbers, of every command that compares texts (dedup, find, check)."""
    return click.option(
        "--numbers",
        type=click.Choice(NUMBERS),
        default="auto",
        show_default=True,
        help="Short texts must agree in their numbers (26(1) and 26(2), 0.5 and 5 differ), kind"
        " (erratum, part 2) and words: agree (always), ignore, or auto (pairs under 50 words,"
        " and records with --fields, whatever the shingles).",
    )(f)


def _fields(o: dict[str, Any]) -> tuple[str, ...]:
    """The --fields option as a tuple; reading and writing then use the first field as text."""
    raw = o.get("fields") or ""
    fields = tuple(f.strip() for f in raw.split(",") if f.strip())
    if fields:
        o["text_field"] = fields[0].partition(":")[0]
    return fields


def _dedup_config(o: dict[str, Any], keep: str = "first", max_cluster_size: int = 0) -> DedupConfig:
    return DedupConfig(
        numbers=o.get("numbers", "auto"),
        fields=_fields(o),
        level=o["unit"],
        near=o["mode"] == "near",
        threshold=o["threshold"],
        keep=keep,  # type: ignore[arg-type]
        verify=o["verify"],
        num_perm=o["num_perm"],
        ngram=o["ngram"],
        shingle=o["shingle"],
        seed=o["seed"],
        min_length=o["min_length"],
        max_cluster_size=max_cluster_size,
    )


def _index_config(
    index_path: str,
    o: dict[str, Any],
    keep: str = "first",
    max_cluster_size: int = 0,
    *,
    notes: list[str] | None = None,
) -> DedupConfig:
    """The settings of a run that uses an index: :func:`textdedup.index_ops.config_for_index`
    with the options given on the command line (not left at their defaults).

    The note on the shingles of a new index goes to stderr now, or into ``notes`` (to
    print with the summary, once the outputs are checked and the run is done)."""
    from .index import SETTING_NAMES
    from .index_ops import config_for_index, index_exists

    ctx = click.get_current_context()
    if o["shingle"] == "auto" and not o.get("fields"):
        if _given("shingle"):
            raise click.UsageError(
                "an index needs fixed shingles: --shingle word, or char (with --ngram 3 for "
                "short texts)"
            )
        if not o.get("quiet") and not index_exists(index_path):
            # Said, because a run without an index may choose char 3-grams (short texts).
            note = (
                f"note: shingles: word {o['ngram']}-grams for the new index {index_path} "
                "(--shingle auto means word with an index; for short texts, make the index "
                "with --shingle char --ngram 3)"
            )
            if notes is None:
                click.echo(note, err=True)
            else:
                notes.append(note)
    given = [
        name
        for name in SETTING_NAMES
        if ctx.get_parameter_source(name)
        in (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT)
    ]
    return config_for_index(index_path, _dedup_config(o, keep, max_cluster_size), given=given)


def _preview(text: str, width: int = 80) -> str:
    """:func:`textdedup.pipeline.preview`, imported when used (the CLI starts light)."""
    from .pipeline import preview

    return preview(text, width)


def _records(
    inputs: tuple[str, ...],
    o: dict[str, Any],
    read: ReadStats,
    *,
    binary: bool = False,
    phases: Progress | None = None,
) -> Iterator[Record]:
    """The records of the inputs; with ``phases``, the reading phase (bytes, with a total
    when the input sizes are known) starts here."""
    from .records import input_bytes, iter_records

    inputs = inputs or (STDIN,)
    if phases is not None:
        phases.start("reading", total=input_bytes(inputs), unit="B")
    return iter_records(
        inputs,
        text_field=o["text_field"],
        id_field=o["id_field"],
        fmt=o["fmt"],
        encoding=o["encoding"],
        errors=o["errors"],
        on_error=o["on_error"],
        stats=read,
        binary=binary,
        on_bytes=None if phases is None else phases.update,
    )


def _phases(quiet: bool) -> Progress:
    """One progress bar per phase on stderr, when it is a terminal and not ``--quiet``."""
    from .progress import Bars

    return Bars(disable=quiet or not sys.stderr.isatty())


def _json_out(path: str, payload: Any, *, ensure_ascii: bool = True) -> None:
    """:func:`textdedup.pipeline.write_json`, imported when used (the CLI starts light)."""
    from .pipeline import write_json

    write_json(path, payload, ensure_ascii=ensure_ascii)


def _one_stdout(**outputs: str | None) -> None:
    """Refuse two outputs that would both go to stdout (``-``), before anything runs."""
    to_stdout = [name for name, path in outputs.items() if path == STDIN]
    if len(to_stdout) > 1:
        a, b = to_stdout[:2]
        raise click.UsageError(f"{a} and {b} would both go to stdout; name a file for one of them")


def _progress(quiet: bool, what: str) -> Any:
    from tqdm import tqdm

    return tqdm(
        desc=what,
        unit=" rec",
        disable=quiet or not sys.stderr.isatty(),
        file=sys.stderr,
        dynamic_ncols=True,
    )


#: The one place library parameter names become command-line flags, for the errors
#: that name parameters (:class:`textdedup.errors.IncompatibleSettingsError`).
FLAGS = {
    "engine": "--engine",
    "fields": "--fields",
    "index_path": "--index",
    "level": "--unit",
    "near": "--mode",
    "output": "-o",
    "output_format": "--output-format",
    "action": "--action",
    "stats_path": "--stats",
    "removals_path": "--removals",
    "report": "--report",
    "diff": "--diff",
    "in_place": "--in-place",
    "backup": "--backup",
    "shingle": "--shingle",
    "training": "--training",
    "unit": "--unit",
}


def _fail(exc: BaseException) -> Exception:
    if isinstance(exc, BrokenPipeError):
        return exc  # the reader of stdout left (| head): handled quietly at the top
    if isinstance(exc, NamedParameters):
        message = exc.render(FLAGS)
        if isinstance(exc, (IncompatibleSettingsError, OutputError)):
            return click.UsageError(message, click.get_current_context(silent=True))
        return click.ClickException(message)  # MissingDependencyError, NoTrainingError
    if isinstance(exc, OutputError):
        return click.UsageError(str(exc), click.get_current_context(silent=True))
    if isinstance(exc, InputError) and exc.skippable:
        return click.ClickException(
            f"{exc}\nhint: --on-error skip would skip this {exc.skippable}, count it and "
            "name it in the summary"
        )
    if isinstance(exc, TextdedupError):
        return click.ClickException(str(exc))
    return click.ClickException(_describe(exc))


def _check_outputs(inputs: tuple[str, ...], **outputs: str | None) -> None:
    """Refuse, before anything is read, output files that are or would become inputs.

    ``outputs`` maps an option name (``output``, ``stats``) to the path given
    (:func:`textdedup.io.check_outputs`, naming the flags).
    """
    from .io import check_outputs

    named = {(what if what == "output" else f"--{what}"): path for what, path in outputs.items()}
    check_outputs(inputs, named)


def _refuse_index_as_input(inputs: tuple[str, ...], name: str, index_path: str) -> None:
    """Refuse an index path that is one of the inputs, in the words of its own option
    (an index is made by ``index add``; records are not an index)."""
    from .io import check_outputs

    target = Path(index_path)
    for path in inputs:
        # The inputs as named: an index inside an input folder is check_outputs' case
        # (no second walk of the folders here).
        if path != STDIN and target.exists() and os.path.samefile(path, target):
            raise click.UsageError(
                f"{name} {index_path} is also an input; {name} names a textdedup index "
                "(a SQLite file that `textdedup index add` makes), not records"
            )
    check_outputs(inputs, {name: index_path})  # an index inside an input folder


def _make_parents(*paths: str | None) -> None:
    """Make the folders of output files once every check passed, as ``-o`` makes its own.

    A missing folder must not fail a run at its end, after all the work.
    """
    for path in paths:
        if path and path != STDIN:
            Path(path).parent.mkdir(parents=True, exist_ok=True)


@main.command("dedup", epilog=EXAMPLES["dedup"])
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "-o",
    "--output",
    default=STDIN,
    type=click.Path(allow_dash=True, path_type=str),
    help="Output: .jsonl (.jsonl.gz, .zst, .bz2, .xz compress), .parquet, or DIR/ for"
    " text files [default: JSONL on stdout].",
)
@_output_format_option
@click.option(
    "--keep",
    type=_Registry(_keep_policies),
    default="first",
    show_default=True,
    help="Which member of a cluster stays.",
)
@click.option(
    "--action",
    type=click.Choice(["remove", "annotate"]),
    default="remove",
    show_default=True,
    help="Drop duplicates, or keep every record and add a field about its cluster.",
)
@click.option(
    "--annotate-field", default="dedup", show_default=True, help="Field added by --action annotate."
)
@click.option(
    "--index",
    "index_path",
    type=click.Path(dir_okay=False, path_type=str),
    help="SQLite index: deduplicate against it, then add what is kept.",
)
@click.option(
    "--max-cluster-size",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Leave clusters larger than this alone (0: no limit).",
)
@click.option(
    "--stats",
    "stats_path",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help="Write run statistics as JSON here (- for stdout, when the output is a file).",
)
@click.option(
    "--removals",
    "removals_path",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write one JSONL line per record that loses something: the record, or each block "
    "and in-document span removed, with offsets into the record as read and the kept copy.",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace an output folder that an earlier textdedup run wrote (only that).",
)
@click.option(
    "--engine",
    type=_Registry(_engines),
    default="local",
    show_default=True,
    help="Run here, or as a Spark job (needs textdedup[spark]; -o is then a folder).",
)
@click.option(
    "--master",
    default="local[2]",
    show_default=True,
    help="Spark master URL, with --engine spark.",
)
@_record_options
@_corpus_options
def dedup_command(
    inputs: tuple[str, ...],
    output: str,
    output_format: str,
    keep: str,
    action: str,
    annotate_field: str,
    index_path: str | None,
    max_cluster_size: int,
    stats_path: str | None,
    removals_path: str | None,
    overwrite: bool,
    engine: str,
    master: str,
    **o: Any,
) -> None:
    """Deduplicate a corpus: text files, folders, JSONL (.gz, .zst, .bz2, .xz), Parquet,
    Hugging Face datasets folders.

    Writes the kept records (every field passes through) as JSONL or Parquet, by the
    suffix of -o, or with --action annotate every record, its text as read, with a
    field saying which cluster it belongs to, which kept record it duplicates and, for
    --unit paragraph|line, which blocks and spans would go (nothing is cut). With
    --fields, records are compared on those fields (the first one is then the text
    field of input and output).
    """
    _fields(o)  # --fields names the text field, for reading and for writing
    if o["unit"] == "passage":
        _passage_dedup_refusals(engine, index_path, keep, max_cluster_size)
    if o["unit"] == "window" and action == "remove":
        raise click.UsageError(
            "--unit window finds copies but cuts none (windows overlap, and a verified window"
            " may hold words of its own): use --action annotate, or --unit passage to cut"
            " copied passages"
        )
    if o["unit"] == "passage":
        _dedup_passages(
            inputs,
            output,
            output_format=output_format,
            action=action,
            annotate_field=annotate_field,
            overwrite=overwrite,
            removals_path=removals_path,
            stats_path=stats_path,
            o=o,
        )
        return
    from .engines import FilesRequest, get_engine

    module = get_engine(engine)
    try:
        request = FilesRequest(
            inputs=inputs,
            output=output,
            config=_dedup_config(o, keep, max_cluster_size),
            text_field=o["text_field"],
            id_field=o["id_field"],
            action=action,  # type: ignore[arg-type]
            annotate_field=annotate_field,
            output_format=output_format,
            stats_path=stats_path,
            removals_path=removals_path,
            index_path=index_path,
            overwrite=overwrite,
            fmt=o["fmt"],
            encoding=o["encoding"],
            errors=o["errors"],
            on_error=o["on_error"],
            master=master,
            chosen=frozenset(name for name in ("shingle",) if _given(name)),
            quiet=o["quiet"],
        )
        module.check_options(request)
        folder = module.FOLDER_OUTPUT or _is_folder_output(output)
        _one_stdout(output=None if folder else output, **{"--stats": stats_path})
        # Every output is checked before reading. The index is checked like an
        # output: inside an input folder it would be read as a record, and no
        # output may be the index.
        _check_outputs(
            inputs,
            output=None if folder else output,
            stats=stats_path,
            index=index_path,
            removals=removals_path,
        )
        notes: list[str] = []
        if index_path:
            config = _index_config(index_path, o, keep, max_cluster_size, notes=notes)
            request = dataclasses.replace(request, config=config)
        run = module.dedup_files(request)
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    for note in notes:
        click.echo(note, err=True)
    if index_path and not o["quiet"]:
        click.echo(f"added {run.added} items to {index_path}", err=True)
    if not o["quiet"]:
        click.echo(run.summary, err=True)


@main.command("find", epilog=EXAMPLES["find"])
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "--clusters",
    "clusters_path",
    default=STDIN,
    type=click.Path(allow_dash=True, path_type=str),
    help="Where the clusters go: .jsonl (compressed by suffix) or .parquet [default: JSONL"
    " on stdout].",
)
@_output_format_option
@click.option(
    "--stats",
    "stats_path",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help="Write statistics as JSON here (- for stdout, with --clusters FILE).",
)
@click.option(
    "--keep",
    type=_Registry(_keep_policies),
    default="first",
    show_default=True,
    help="Which member of a cluster is named as kept.",
)
@_record_options
@_corpus_options
def find_command(
    inputs: tuple[str, ...],
    clusters_path: str,
    output_format: str,
    stats_path: str | None,
    keep: str,
    **o: Any,
) -> None:
    """Report duplicate clusters without changing anything.

    Each output line is one cluster: its kept member and every member with its
    score and a one-line preview of its text. For --unit paragraph|line, each
    line is one record with the blocks that would be removed.
    """
    if o["unit"] == "passage":
        _find_passages(inputs, clusters_path, output_format, stats_path, o)
        return
    from .pipeline import DedupStats, find_clusters, write_stats
    from .records import ReadStats, RecordWriter

    _fields(o)  # --fields names the text field, for reading and for writing
    config = _dedup_config(o, keep)
    read, stats = ReadStats(), DedupStats()
    _one_stdout(**{"--clusters": clusters_path, "--stats": stats_path})
    try:
        _check_outputs(inputs, clusters=clusters_path, stats=stats_path)
        _make_parents(clusters_path, stats_path)
        # Opened before the run, so a bad output name fails at the start, not the end.
        with (
            RecordWriter(clusters_path, errors=o["errors"], fmt=output_format) as out,
            _phases(o["quiet"]) as phases,
        ):
            records = _records(inputs, o, read, phases=phases)
            for row in find_clusters(records, config=config, stats=stats, phases=phases):
                out.write_obj(row)
        if stats_path:
            write_stats(stats_path, stats, read, config)
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    if not o["quiet"]:
        click.echo(stats.summary(read), err=True)


# -- --unit passage in find and dedup: copied passages as spans (textdedup.passages) -----


def _passage_settings(o: dict[str, Any]) -> dict[str, Any]:
    """find_passages' settings from the corpus options: --ngram (8 unless given) and
    --threshold (the passage score, 0.8 unless given); other comparison options are
    refused when given."""
    _refuse_record_options()
    if o.get("fields"):
        raise click.UsageError("--fields compares whole records; --unit passage compares texts")
    ngram = o["ngram"] if _given("ngram") else 8
    if ngram > 20:
        raise click.UsageError(
            f"--unit passage needs --ngram <= 20 (passages of 20 words), got {ngram}"
        )
    return {"ngram": ngram, "min_score": o["threshold"] if _given("threshold") else 0.8}


def _find_passages(
    inputs: tuple[str, ...],
    output: str,
    output_format: str,
    stats_path: str | None,
    o: dict[str, Any],
) -> None:
    """``find --unit passage``: :func:`textdedup.passage_runs.find_passages_to`."""
    from .passage_runs import find_passages_to, write_passage_stats
    from .records import ReadStats, RecordWriter

    settings = _passage_settings(o)
    read = ReadStats()
    _one_stdout(**{"--clusters": output, "--stats": stats_path})
    try:
        _check_outputs(inputs, clusters=output, stats=stats_path)
        _make_parents(output, stats_path)
        writer = RecordWriter(output, errors=o["errors"], fmt=output_format)
        found = find_passages_to(_records(inputs, o, read), writer, **settings)
        if stats_path:
            stats = {"unit": "passage", **settings, "passages": found.passages}
            write_passage_stats(stats_path, stats, read)
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    if not o["quiet"]:
        click.echo(
            f"{found.passages} passages in {found.pairs} pairs of documents, from"
            f" {found.records} records",
            err=True,
        )
        for e in read.errors:
            click.echo(f"skipped: {e}", err=True)


def _passage_dedup_refusals(
    engine: str, index_path: str | None, keep: str, max_cluster_size: int
) -> None:
    if engine != "local":
        raise click.UsageError("--unit passage runs with the local engine only")
    if index_path:
        raise click.UsageError(
            "--unit passage compares the documents of one run; an index holds documents or blocks"
        )
    if keep != "first" or max_cluster_size:
        raise click.UsageError(
            "--unit passage keeps the first copy of a passage, in input order; drop --keep"
            " and --max-cluster-size"
        )


def _is_folder_output(output: str) -> bool:
    """:func:`textdedup.pipeline.is_folder_output`, imported when used."""
    from .pipeline import is_folder_output

    return is_folder_output(output)


def _dedup_passages(
    inputs: tuple[str, ...],
    output: str,
    *,
    output_format: str,
    action: str,
    annotate_field: str,
    overwrite: bool,
    removals_path: str | None,
    stats_path: str | None,
    o: dict[str, Any],
) -> None:
    """``dedup --unit passage``: :func:`textdedup.passage_runs.cut_passages_to`."""
    from .passage_runs import cut_passages_to, write_passage_stats
    from .pipeline import open_output
    from .records import ReadStats, RecordWriter

    folder = _is_folder_output(output)
    _one_stdout(output=None if folder else output, **{"--stats": stats_path})
    read = ReadStats()
    try:
        _check_outputs(
            inputs, output=None if folder else output, stats=stats_path, removals=removals_path
        )
        writer = open_output(
            output,
            inputs,
            action=action,  # type: ignore[arg-type]
            output_format=output_format,
            text_field=o["text_field"],
            fmt=o["fmt"],
            encoding=o["encoding"],
            errors=o["errors"],
            overwrite=overwrite,
            # As before the move: the passage run's own reading is not the writer's
            # source of column types.
            read=ReadStats(),
            beside={"stats_path": stats_path, "removals_path": removals_path},
        )
        _make_parents(stats_path, removals_path)
        settings = _passage_settings(o)
        parquet = isinstance(writer, RecordWriter) and writer.format == "parquet"
        cuts = cut_passages_to(
            _records(inputs, o, read, binary=parquet),
            writer,
            action=action,  # type: ignore[arg-type]
            annotate_field=annotate_field,
            removals_path=removals_path,
            errors=o["errors"],
            **settings,
        )
        if stats_path:
            stats = {"unit": "passage", **settings, **cuts.to_dict()}
            write_passage_stats(stats_path, stats, read)
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    if not o["quiet"]:
        verb = "would cut" if action == "annotate" else "cut"
        # Spans are what goes; one span may copy several earlier records (pairs).
        click.echo(
            f"{verb} {cuts.spans} spans ({cuts.characters_cut:,} characters, {cuts.passages}"
            f" passage pairs with earlier records) from {cuts.changed} of {cuts.records}"
            f" records; {cuts.dropped} left empty",
            err=True,
        )
        for e in read.errors:
            click.echo(f"skipped: {e}", err=True)


@main.command("passages", epilog=EXAMPLES["passages"])
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "--against",
    "training",
    multiple=True,
    type=click.Path(allow_dash=False, path_type=str),
    help="Training files or folders (repeatable): report, per record of INPUTS, the share"
    " of it found in them (contamination), instead of passages across INPUTS.",
)
@click.option(
    "-o",
    "--output",
    default=STDIN,
    type=click.Path(allow_dash=True, path_type=str),
    help="Where the results go, as JSONL (default stdout).",
)
@click.option(
    "--definition",
    type=click.Choice(["textdedup", "ngram13"]),
    default="textdedup",
    show_default=True,
    help="With --against: textdedup's own (share covered by one training document,"
    " boilerplate ignored) or the 13-gram rule (any 13-gram in common).",
)
@click.option(
    "--threshold",
    type=float,
    default=0.5,
    show_default=True,
    callback=_unit_interval,
    help="With --against and --definition textdedup: share of a record's words that"
    " makes it contaminated.",
)
@click.option(
    "--fail-above",
    type=float,
    default=None,
    callback=lambda c, p, v: v if v is None else _unit_interval(c, p, v),
    help="With --against: exit 1 if the share of contaminated records is above this.",
)
@click.option(
    "--ngram",
    type=click.IntRange(1, 64),
    default=None,
    help="Words per shingle [default: 8 for passages; 6 or 13 with --against].",
)
@click.option(
    "--min-words",
    type=click.IntRange(1),
    default=20,
    show_default=True,
    help="Shortest passage reported, in words.",
)
@click.option(
    "--max-gap",
    type=click.IntRange(0),
    default=20,
    show_default=True,
    help="Unmatched words bridged inside a passage (edits).",
)
@click.option(
    "--max-doc-freq",
    type=click.IntRange(2),
    default=None,
    help="Shingles in more documents than this are boilerplate, never seeds [default: 5%"
    " of the documents, at least 4].",
)
@_reading_options
def passages_command(
    inputs: tuple[str, ...],
    training: tuple[str, ...],
    output: str,
    definition: str,
    threshold: float,
    fail_above: float | None,
    ngram: int | None,
    min_words: int,
    max_gap: int,
    max_doc_freq: int | None,
    **o: Any,
) -> None:
    """Report passages copied between documents, as character spans in both.

    Each output line is one passage: the earlier document (a) and the later one (b),
    the spans a_start:a_end and b_start:b_end (characters of the texts as written,
    hard-wrapped or not), its length in words, the words in exact matches, and the
    score. With --against, each line is one record of INPUTS with the share of it
    found in the training documents and the spans (contamination at span level);
    the training documents are streamed once, with a progress bar on a terminal.
    """
    from .passage_runs import contamination_to, find_passages_to
    from .records import ReadStats, RecordWriter, iter_records

    try:
        _check_outputs(inputs + training, output=output)
    except TextdedupError as exc:
        raise _fail(exc) from None
    read = ReadStats()

    def records(paths: tuple[str, ...]) -> Iterator[Record]:
        return iter_records(
            paths,
            text_field=o["text_field"],
            id_field=o["id_field"],
            fmt=o["fmt"],
            encoding=o["encoding"],
            errors=o["errors"],
            on_error=o["on_error"],
            stats=read,
        )

    try:
        if min_words < (ngram or 8) and not training:
            raise click.UsageError(f"--min-words must be >= --ngram ({ngram or 8})")
        if not training:
            found = find_passages_to(
                records(inputs or (STDIN,)),
                RecordWriter(output),
                ngram=ngram or 8,
                min_words=min_words,
                max_gap=max_gap,
                max_doc_freq=max_doc_freq,
            )
            summary = f"{found.passages} passages in {found.records} records"
            hits = total = 0
        else:
            with _progress(o["quiet"], "training") as bar:
                run = contamination_to(
                    records(inputs or (STDIN,)),
                    records(training),
                    RecordWriter(output),
                    definition=definition,  # type: ignore[arg-type]
                    threshold=threshold,
                    ngram=ngram,
                    max_doc_freq=max_doc_freq,
                    progress=bar.update,
                )
            total, hits = run.records, run.contaminated
            summary = (
                f"{hits} of {total} records ({run.share:.1%}) found in {run.training} training"
                f" documents ({definition})"
            )
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    if not o["quiet"]:
        click.echo(summary, err=True)
        for e in read.errors:
            click.echo(f"skipped: {e}", err=True)
    if training and fail_above is not None and total and hits / total > fail_above:
        click.echo(
            f"Error: contamination {hits / total:.1%} is above --fail-above {fail_above:.1%}",
            err=True,
        )
        sys.exit(1)


@main.group("index", epilog=EXAMPLES["index"])
def index_group() -> None:
    """Build and inspect a persistent SQLite index."""


@index_group.command("add", epilog=EXAMPLES["index add"])
@click.argument("index_path", type=click.Path(dir_okay=False, path_type=str))
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@_corpus_options
def index_add_command(index_path: str, inputs: tuple[str, ...], **o: Any) -> None:
    """Add every record of INPUTS to INDEX (created if missing), in one transaction."""
    from .index_ops import add_to_index
    from .records import ReadStats

    read = ReadStats()
    if o["unit"] == "passage":
        raise click.UsageError(
            "an index holds documents or blocks; --unit passage works with dedup, find and"
            " check (check --training streams the training text)"
        )
    try:
        _refuse_index_as_input(inputs, "INDEX_PATH", index_path)
        config = _index_config(index_path, o)
        with _phases(o["quiet"]) as phases:
            done = add_to_index(
                index_path,
                _records(inputs, o, read, phases=phases),
                config=config,
                progress=phases,
            )
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    if not o["quiet"]:
        skipped = f" ({read.skipped} skipped)" if read.skipped else ""
        click.echo(
            f"added {done.added} items from {read.records} records{skipped} to {index_path}; "
            f"it holds {done.total}",
            err=True,
        )
        for e in read.errors:
            click.echo(f"skipped: {e}", err=True)


@index_group.command("info", epilog=EXAMPLES["index info"])
@click.argument("index_path", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the settings and counts as JSON.")
def index_info_command(index_path: str, as_json: bool) -> None:
    """Show the settings INDEX was built with, and how many items and records it holds."""
    from .index import read_index_info

    try:
        info = read_index_info(index_path)
    except (TextdedupError, OSError) as exc:
        raise _fail(exc) from None
    if as_json:
        click.echo(json.dumps(info.to_dict(), indent=2))
        return
    s = info.settings
    key = ", ".join(k for k, v in s["key"].items() if v) or "none"
    lines = [
        f"index:      {info.path} ({info.bytes:,} bytes)",
        f"items:      {info.items:,} from {info.records:,} records",
        f"unit:       {s['unit']}",
        f"mode:       {s['mode']}",
        f"threshold:  {s['threshold']}",
        f"verify:     {s['verify']}",
        f"shingle:    {s['shingle']}, ngram {s['ngram']}",
        f"minhash:    num_perm {s['num_perm']}, seed {s['seed']}, "
        f"{s['bands']} bands x {s['rows']} rows, hash {s['hash']}",
        f"min_length: {s['min_length']}",
        f"key:        {key}",
        f"format:     index {s['index_format']}, signatures {s['format_version']}, "
        f"made by textdedup {info.textdedup_version or 'unknown'}",
    ]
    click.echo("\n".join(lines))


def _given(name: str) -> bool:
    """Whether option ``name`` of the running command was given on the command line."""
    source = click.get_current_context().get_parameter_source(name)
    return source == click.core.ParameterSource.COMMANDLINE


def _refuse_record_options() -> None:
    """--unit passage: refuse the options of record and block units, when given."""
    given = [name for name in _RECORD_LEVEL_ONLY if _given(name)]
    if given:
        names = ", ".join("--" + n.replace("_", "-") for n in given)
        raise click.UsageError(f"{names}: not used by --unit passage")


def _check_passage_options(f: _F) -> _F:
    """Options of ``check`` at span level (--unit passage)."""
    options = [
        click.option(
            "--training",
            multiple=True,
            type=click.Path(allow_dash=False, path_type=str),
            help="Training files or folders (repeatable), streamed through an index of"
            " INPUTS: --unit passage (implied).",
        ),
        click.option(
            "--definition",
            type=click.Choice(["textdedup", "ngram13"]),
            default="textdedup",
            show_default=True,
            help="--unit passage: textdedup's own (share covered by one training document,"
            " boilerplate ignored; --threshold 0.5 by default) or the 13-gram rule of the"
            " evaluation harnesses (any 13-gram in common).",
        ),
        click.option(
            "--max-doc-freq",
            type=click.IntRange(1),
            default=None,
            help="--unit passage, textdedup definition: shingles in more training documents"
            " than this are boilerplate and do not count [default: 5% of the training"
            " documents, at least 4].",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            help="--unit passage: processes scanning the training text (0: every core).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


# Options of check that --unit passage does not use: refused when given.
_RECORD_LEVEL_ONLY = ("mode", "verify", "num_perm", "shingle", "seed", "min_length")


def _check_passages(
    inputs: tuple[str, ...],
    index_path: str | None,
    output: str,
    output_format: str,
    fail_above: float | None,
    o: dict[str, Any],
) -> bool:
    """``check --unit passage``: run it and return True; False for the other units."""
    training: tuple[str, ...] = o.pop("training")
    definition, max_doc_freq, workers = o.pop("definition"), o.pop("max_doc_freq"), o.pop("workers")
    if o["unit"] != "passage":
        if training and _given("unit"):
            raise click.UsageError("--training goes with --unit passage")
        if not training:
            if index_path is None:
                raise click.UsageError("Missing option '--against' (the index; or --training DIR).")
            return False
    if index_path is not None:
        raise click.UsageError(
            "--unit passage streams the training text given with --training; --against"
            " names an index, which holds keys, not the texts as written"
        )
    if not training:
        raise click.UsageError("--unit passage needs --training (files or folders)")
    _refuse_record_options()
    threshold = o["threshold"] if _given("threshold") else 0.5
    ngram = o["ngram"] if _given("ngram") else None
    from .clean_corpus import default_workers
    from .passage_runs import contamination_to
    from .records import ReadStats, RecordWriter

    read, train_read = ReadStats(), ReadStats()
    try:
        _check_outputs(inputs + training, output=output)
        with _progress(o["quiet"], "training") as bar:
            run = contamination_to(
                _records(inputs, o, read),
                _records(training, o, train_read),
                RecordWriter(output, errors=o["errors"], fmt=output_format),
                definition=definition,
                threshold=threshold,
                ngram=ngram,
                max_doc_freq=max_doc_freq,
                workers=workers or default_workers(),
                progress=bar.update,
                require_training=True,
                training_paths=training,
            )
    except (TextdedupError, OSError, ValueError, TypeError) as exc:
        raise _fail(exc) from None
    if not o["quiet"]:
        click.echo(
            f"{run.contaminated} of {run.records} records ({run.share:.1%}) found in"
            f" {run.training} training documents ({definition})",
            err=True,
        )
        for e in read.errors + train_read.errors:
            click.echo(f"skipped: {e}", err=True)
    if fail_above is not None and run.share > fail_above:
        click.echo(
            f"Error: contamination {run.share:.1%} is above --fail-above {fail_above:.1%}",
            err=True,
        )
        sys.exit(1)
    return True


@main.command("check", epilog=EXAMPLES["check"])
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "--against",
    "index_path",
    type=click.Path(dir_okay=False, exists=True, path_type=str),
    help="The SQLite index to check against (every unit but passage).",
)
@_check_passage_options
@click.option(
    "-o",
    "--output",
    default=STDIN,
    type=click.Path(allow_dash=True, path_type=str),
    help="Per-record results: .jsonl (compressed by suffix) or .parquet [default: JSONL on"
    " stdout].",
)
@_output_format_option
@click.option(
    "--fail-above",
    type=float,
    default=None,
    callback=lambda c, p, v: v if v is None else _unit_interval(c, p, v),
    help="Exit 1 if the share of contaminated records is above this (in [0, 1]).",
)
@_corpus_options
@_numbers_option
def check_command(
    inputs: tuple[str, ...],
    index_path: str,
    output: str,
    output_format: str,
    fail_above: float | None,
    **o: Any,
) -> None:
    """Report which records of INPUTS already occur in an index (contamination check).

    With --unit passage (implied by --training), the training text itself is streamed
    through an index of INPUTS, on every core: each output line is one record of INPUTS
    with the share of it found in the training text, its covered character spans and
    where they occur in training documents.
    """
    if _check_passages(inputs, index_path, output, output_format, fail_above, o):
        return
    from .index import Index
    from .pipeline import check_records
    from .records import ReadStats, RecordWriter

    read = ReadStats()
    total = hits = 0
    try:
        _check_outputs(inputs, output=output)
        _refuse_index_as_input(inputs, "--against", index_path)
        config = _index_config(index_path, o)
        with (
            Index(index_path, config, create=False) as index,
            RecordWriter(output, errors=o["errors"], fmt=output_format) as out,
            _phases(o["quiet"]) as phases,
        ):
            # Records are checked in batches as they are read: reading is the one phase.
            records = _records(inputs, o, read, phases=phases)
            for result in check_records(records, index, config=config):
                total += 1
                hits += result.contaminated
                out.write_obj(result.to_dict())
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    share = hits / total if total else 0.0
    if not o["quiet"]:
        click.echo(
            f"{hits} of {total} records ({share:.1%}) already occur in {index_path}", err=True
        )
    if fail_above is not None and share > fail_above:
        click.echo(
            f"Error: contamination {share:.1%} is above --fail-above {fail_above:.1%}", err=True
        )
        sys.exit(1)


# == params and explain: planning and diagnostics (appended section) ========================
# Logic lives in textdedup.params and textdedup.explain; imported inside the commands.


@main.command("params", epilog=EXAMPLES["params"])
@click.option(
    "--threshold",
    type=float,
    default=0.7,
    show_default=True,
    callback=_unit_interval,
    help="Similarity in [0, 1] at which pairs are duplicates (as dedup --threshold).",
)
@click.option(
    "--num-perm",
    type=click.IntRange(1, 4096),
    default=128,
    show_default=True,
    help="MinHash permutations.",
)
@click.option(
    "--docs",
    type=click.IntRange(min=0),
    default=1_000_000,
    show_default=True,
    help="Items for the memory estimate.",
)
@click.option(
    "--chars",
    type=click.IntRange(min=0),
    default=2000,
    show_default=True,
    help="Average characters per item, for the index size estimate.",
)
@click.option(
    "--verify",
    "verifier",
    type=click.Choice(VERIFIERS),
    default="jaccard",
    show_default=True,
    help="How candidate pairs are verified, as dedup --verify: the bands are tuned for the"
    " Jaccard its threshold implies (ratio on char 3-grams: a bound, with 95% recall at it);"
    " none: LSH decides alone (the MinHash estimate).",
)
@click.option(
    "--score",
    "scorer",
    type=click.Choice(["jaccard", "containment", "ratio"]),
    default=None,
    hidden=True,
    help="Old name of --verify.",
)
@click.option("--no-verify", "no_verify", is_flag=True, hidden=True, help="Old --verify none.")
@click.option(
    "--shingle",
    type=click.Choice(["word", "char"]),
    default="word",
    show_default=True,
    help="Shingle tokens the bands see.",
)
@click.option(
    "--ngram", type=click.IntRange(1, 64), default=5, show_default=True, help="Tokens per shingle."
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=str),
    help="Draw the curve to this file: PNG, SVG or PDF by its suffix.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def params_command(
    threshold: float,
    num_perm: int,
    docs: int,
    chars: int,
    verifier: str,
    scorer: str | None,
    no_verify: bool,
    shingle: str,
    ngram: int,
    plot: str | None,
    as_json: bool,
) -> None:
    """Show what a threshold and num_perm give: bands, detection curve, error areas, memory.

    The curve is the chance that a pair of a given Jaccard similarity shares an
    LSH band (and so is compared at all). The error areas are the areas under the
    curve below the threshold (false positives) and above it (false negatives).
    """
    from .params import format_report, lsh_report, plot_curve, plot_format

    if plot:
        try:
            plot_format(plot)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--plot'") from None
    if scorer is None:
        scorer = "jaccard" if verifier == "none" else verifier
    verify = not no_verify and (verifier != "none" or scorer != "jaccard")
    try:
        report = lsh_report(
            threshold,
            num_perm=num_perm,
            verify=verify,
            docs=docs,
            chars=chars,
            scorer=scorer,
            shingle=shingle,
            ngram=ngram,
        )
        if plot:
            try:
                plot_curve(report, plot)
            except ImportError:
                raise click.ClickException(
                    "--plot needs matplotlib: pip install matplotlib"
                ) from None
    except (OSError, ValueError) as exc:
        raise _fail(exc) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(format_report(report))
    if plot:
        click.echo(f"wrote {plot}", err=True)


@main.command("explain", epilog=EXAMPLES["explain"])
@click.argument("a")
@click.argument("b")
@click.option("--text", "as_text", is_flag=True, help="A and B are the texts, not file names.")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@click.option(
    "--threshold",
    type=float,
    default=0.7,
    show_default=True,
    callback=_unit_interval,
    help="Similarity in [0, 1] at which the pair counts as a duplicate.",
)
@click.option(
    "--verify",
    type=click.Choice(VERIFIERS),
    default="jaccard",
    show_default=True,
    help="Which score decides, as in dedup.",
)
@click.option(
    "--num-perm",
    type=click.IntRange(1, 4096),
    default=128,
    show_default=True,
    help="MinHash permutations.",
)
@click.option(
    "--ngram", type=click.IntRange(1, 64), default=5, show_default=True, help="Tokens per shingle."
)
@click.option(
    "--shingle",
    type=click.Choice(["word", "char", "auto"]),
    default="auto",
    show_default=True,
    help="Shingle tokens: words, characters, or auto (as dedup decides it, here from the"
    " two texts: char 3-grams when they are short).",
)
@click.option("--seed", type=click.IntRange(0), default=1, show_default=True, help="MinHash seed.")
@click.option(
    "--spans",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Longest matching runs shown.",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the files.")
@click.option(
    "--errors",
    type=click.Choice(ERROR_HANDLERS),
    default="strict",
    show_default=True,
    help="Invalid bytes in the files.",
)
@_numbers_option
def explain_command(
    a: str,
    b: str,
    as_text: bool,
    as_json: bool,
    threshold: float,
    verify: str,
    num_perm: int,
    ngram: int,
    shingle: str,
    seed: int,
    spans: int,
    encoding: str,
    errors: str,
    numbers: str,
) -> None:
    """Explain why two texts are or are not duplicates: every score, band and matching span.

    A and B are files (one of them may be - for stdin), or with --text the texts
    themselves. Character offsets in the report index the texts as read.
    """
    from .explain import explain, format_explanation

    if not as_text and a == STDIN and b == STDIN:
        raise click.UsageError("A and B cannot both be stdin")
    config = DedupConfig(
        threshold=threshold,
        verify=verify,  # type: ignore[arg-type]
        num_perm=num_perm,
        ngram=ngram,
        shingle=shingle,  # type: ignore[arg-type]
        seed=seed,
        numbers=numbers,  # type: ignore[arg-type]
    )
    try:
        if as_text:
            text_a, text_b = a, b
        else:
            text_a = read_text(a, encoding=encoding, errors=errors)
            text_b = read_text(b, encoding=encoding, errors=errors)
        result = explain(text_a, text_b, config=config, spans=spans)
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_explanation(result))


# == end of params and explain ==============================================================


# == review: an HTML page of what a run found (appended section) ============================
# Logic lives in textdedup.review; imported inside the command.


@main.command("review", epilog=EXAMPLES["review"])
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="The HTML file to write.",
)
@click.option(
    "--corpus",
    multiple=True,
    type=click.Path(exists=True, path_type=str),
    help="The corpus the clusters came from, to show texts and differences (repeatable).",
)
@_text_field_option("JSONL/Parquet field of the corpus that holds the text.")
@click.option(
    "--id-field", default=None, help="Field of the corpus with the record id, as given to find."
)
@click.option(
    "--document",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    help="The document a clean --report is about (default: the report's input).",
)
@click.option(
    "--threshold",
    type=float,
    default=None,
    callback=lambda c, p, v: v if v is None else _unit_interval(c, p, v),
    help="Threshold to mark, when no --stats file records it.",
)
@click.option(
    "--max-clusters",
    "--clusters",
    "max_clusters",
    cls=_Option,
    old_names=("--clusters",),
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Clusters shown (half the largest, half the closest to the threshold).",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=20_000,
    show_default=True,
    help="Characters of one text shown and compared.",
)
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def review_command(
    inputs: tuple[str, ...],
    output: str,
    corpus: tuple[str, ...],
    text_field: str,
    id_field: str | None,
    document: str | None,
    threshold: float | None,
    max_clusters: int,
    max_chars: int,
    quiet: bool,
) -> None:
    """Write one self-contained HTML page to review what find, dedup or clean did.

    INPUTS are find's clusters (JSONL), a --stats JSON of find or dedup, and/or a
    clean --report JSON. Clusters name records only: give --corpus (with the same
    --id-field as find) to see their texts and the words that differ.
    """
    from .records import iter_records
    from .review import (
        ReviewConfig,
        clean_source,
        load_inputs,
        needed_ids,
        read_texts,
        render_review,
    )

    try:
        _check_outputs(inputs + corpus + ((document,) if document else ()), output=output)
    except TextdedupError as exc:
        raise _fail(exc) from None
    config = ReviewConfig(clusters=max_clusters, max_chars=max_chars, threshold=threshold)
    notes: list[str] = []
    try:
        found = load_inputs(inputs, config=config)
        texts: dict[str, tuple[str, int]] = {}
        if found.clusters_file is not None:
            ids = needed_ids(found, config)
            if corpus:
                records = iter_records(corpus, text_field=text_field, id_field=id_field)
                texts = read_texts(records, ids, max_chars=max_chars)
                missing = len(ids - texts.keys())
                if missing:
                    notes.append(
                        f"{missing} of the {len(ids)} records shown are not in the corpus "
                        "(check --corpus and --id-field): previews only for them."
                    )
            elif ids:
                notes.append(
                    "No --corpus given: clusters show previews, not texts and differences."
                )
        source = None
        if found.clean_report is not None:
            doc: object = document or found.clean_report.get("input")
            if isinstance(doc, str) and doc != STDIN and Path(doc).is_file():
                source = clean_source(found.clean_report, read_text(doc), name=doc)
            else:
                notes.append(f"The document {doc!r} is not readable: pass --document FILE.")
        page = render_review(found, texts=texts, clean_document=source, notes=notes, config=config)
        atomic_write(output, page)
    except (TextdedupError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    if not quiet:
        click.echo(f"wrote {output} ({len(page)} characters)", err=True)
        for n in notes:
            click.echo(f"note: {n}", err=True)


# == end of review ==========================================================================
