"""The ``textdedup`` command line. The only module that imports click.

Data goes to stdout, the summary and errors to stderr. Exit codes: 0 ok, 1 an
error (``Error: ...``) or, with ``--check``, something would be removed; 2 a usage
error.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .clean import CleanConfig, CleanResult, clean
from .cluster import KEEP_POLICIES
from .errors import TextdedupError
from .io import ERROR_HANDLERS, STDIN, atomic_write, read_text
from .segment import SEGMENT_MODES

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="textdedup")
def main() -> None:
    """Find and remove exact and near-duplicate text, and explain every removal."""


def _unit_interval(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise click.BadParameter(f"must be in [0, 1], got {value}")
    return value


@main.command("clean")
@click.argument(
    "file", default=STDIN, type=click.Path(allow_dash=True, dir_okay=True, path_type=str)
)
@click.option(
    "-o",
    "--output",
    default=STDIN,
    type=click.Path(allow_dash=True, path_type=str),
    help="Where to write the cleaned text (default: stdout).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write a JSON report of every removal here.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would be removed.")
@click.option("--in-place", is_flag=True, help="Replace FILE with the cleaned text (atomically).")
@click.option(
    "--mode",
    type=click.Choice(SEGMENT_MODES),
    default="auto",
    show_default=True,
    help="How the text is cut into blocks.",
)
@click.option(
    "--keep",
    type=click.Choice(KEEP_POLICIES),
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
    default=200,
    show_default=True,
    help="Shortest repeated span (characters) searched inside blocks; 0 turns it off.",
)
@click.option("--no-near", is_flag=True, help="Remove exact duplicates only.")
@click.option(
    "--encoding", default="utf-8", show_default=True, help="Encoding of the input and output."
)
@click.option(
    "--errors",
    type=click.Choice(ERROR_HANDLERS),
    default="strict",
    show_default=True,
    help="What to do with bytes that are invalid in the encoding.",
)
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def clean_command(
    file: str,
    output: str,
    report: str | None,
    check: bool,
    in_place: bool,
    mode: str,
    keep: str,
    threshold: float,
    min_length: int,
    min_span: int,
    no_near: bool,
    encoding: str,
    errors: str,
    quiet: bool,
) -> None:
    """Remove repeated blocks, runs and spans from one document.

    Reads FILE (or stdin, for - or no FILE), writes the cleaned text to stdout (or
    -o OUT), and prints a short summary of what was removed to stderr.
    """
    if in_place and file == STDIN:
        raise click.UsageError("--in-place needs a FILE, not stdin")
    if in_place and output != STDIN:
        raise click.UsageError("--in-place and --output cannot be used together")
    if output != STDIN and file != STDIN and _same_file(file, output):
        raise click.UsageError(f"output {output} is the input file; use --in-place to overwrite it")
    config = CleanConfig(
        mode=mode,  # type: ignore[arg-type]
        keep=keep,  # type: ignore[arg-type]
        threshold=threshold,
        min_length=min_length,
        min_span=min_span,
        near=not no_near,
    )
    try:
        text = read_text(file, encoding=encoding, errors=errors)
        result = clean(text, config=config)
        if report:
            payload = {"input": "<stdin>" if file == STDIN else file, **result.to_dict()}
            atomic_write(report, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        if not check:
            if in_place:
                atomic_write(file, result.text, encoding=encoding, errors=errors)
            elif output == STDIN:
                sys.stdout.buffer.write(result.text.encode(encoding, errors))
                sys.stdout.flush()
            else:
                atomic_write(output, result.text, encoding=encoding, errors=errors)
    except TextdedupError as exc:
        raise click.ClickException(str(exc)) from None
    except (OSError, UnicodeEncodeError, ValueError) as exc:
        raise click.ClickException(_describe(exc)) from None
    if not quiet:
        click.echo(_summary("<stdin>" if file == STDIN else file, result), err=True)
    if check and result.changed:
        sys.exit(1)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def _summary(name: str, result: CleanResult) -> str:
    if not result.removals:
        return f"{name}: nothing to remove ({result.blocks} {result.mode} blocks)"
    chars = sum(r.removed.end - r.removed.start for r in result.removals)
    counts: dict[str, int] = {}
    for r in result.removals:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in counts.items())
    lines = [f"{name}: removed {len(result.removals)} ({kinds}), {chars} characters"]
    lines += [f"  {r.reason}" for r in result.removals]
    return "\n".join(lines)
