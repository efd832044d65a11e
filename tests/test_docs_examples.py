"""Every fenced shell and Python example in README.md and docs/ runs, verbatim.

A block fenced as ``sh``, ``bash`` or ``shell`` runs as one bash script (``set -e``,
``pipefail``); ``console`` blocks hold ``$ COMMAND`` lines, each run in turn, with the
lines after a command being its expected output (stdout and stderr together, compared
line by line after trailing spaces are stripped); ``python`` blocks run with ``exec``.
Each block runs on its own, in a fresh folder holding the sample inputs the docs name
(``corpus.jsonl``, ``train.jsonl``, ``test.jsonl``, ``docs/``, ``article.txt``,
``train.sqlite``, ... made by :func:`_samples`), with ``../shared`` the project's shared
folder, so a block is what a reader copies into an empty folder beside a checkout.

An HTML comment on the lines right before a fence says how the block is tested; it is
invisible on the site and on GitHub:

- ``<!-- no-test: REASON -->``: not run (needs Spark, a network, minutes); the test is
  reported as skipped with REASON.
- ``<!-- slow-test -->``: run only with ``-m slow``.
- ``<!-- unchecked-output: REASON -->`` (console): the commands run and must succeed, but
  the output shown is not compared (it comes from a larger corpus than the samples).
- ``<!-- prints -->`` before a ``text`` block: that block is what the Python block before
  it prints (stdout, compared line by line after trailing spaces are stripped).
- ``<!-- continues -->``: the block goes on from the page's previous block (its files,
  its Python names): both run, in order, in one folder.

Every fence must name its language; one that shows no code to run says so
(```` ```text ````, ```` ```json ````), so nothing is left out silently.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELL = {"sh", "bash", "shell"}
RUN = SHELL | {"console", "python"}
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<info>.*)$")
_MARKER = re.compile(
    r"^<!--\s*(?P<key>no-test|slow-test|unchecked-output|continues|prints)\s*(?::\s*(?P<why>.*?))?\s*-->$"
)


@dataclass(frozen=True)
class Block:
    page: str
    line: int  # of the opening fence, 1-based
    lang: str
    code: str
    markers: dict[str, str]

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"


def _blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, with the markers on the lines before each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out, i = [], 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, indent = m["fence"], len(m["indent"])
        lang = m["info"].strip().split(" ")[0].split("{")[0].lower()
        end = i + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        code = "\n".join(line[indent:] for line in lines[i + 1 : end]) + "\n"
        markers: dict[str, str] = {}
        j = i - 1
        while j >= 0 and (mk := _MARKER.match(lines[j].strip())):
            markers[mk["key"]] = mk["why"] or ""
            j -= 1
        out.append(Block(str(path.relative_to(ROOT)), i + 1, lang, code, markers))
        i = end + 1
    return out


BLOCKS = [b for page in PAGES for b in _blocks(page)]


def _printer(block: Block) -> Block | None:
    """The Python block whose output ``block`` (marked ``prints``) shows: the one before it."""
    before = [b for b in BLOCKS if b.page == block.page and b.line < block.line]
    return before[-1] if before and before[-1].lang == "python" else None


def _prints(block: Block) -> Block | None:
    """The ``text`` block marked ``prints`` that shows what ``block`` prints, if any."""
    after = [b for b in BLOCKS if b.page == block.page and b.line > block.line]
    return after[0] if after and "prints" in after[0].markers else None


def _chain(block: Block) -> list[Block]:
    """The blocks to run for ``block``: those it continues, then itself."""
    if "continues" not in block.markers:
        return [block]
    before = [b for b in BLOCKS if b.page == block.page and b.line < block.line and b.lang in RUN]
    if not before:
        raise AssertionError(f"{block.name}: marked continues, but no block runs before it")
    return [*_chain(before[-1]), block]


def _params() -> list[object]:
    params = []
    for b in BLOCKS:
        if b.lang not in RUN:
            continue
        marks: list[pytest.MarkDecorator] = []
        if "no-test" in b.markers:
            marks.append(pytest.mark.skip(reason=f"{b.name}: {b.markers['no-test']}"))
        if "slow-test" in b.markers:
            marks.append(pytest.mark.slow)
        params.append(pytest.param(_chain(b), id=b.name, marks=marks))
    return params


def test_every_fence_names_its_language():
    unnamed = [b.name for b in BLOCKS if not b.lang]
    assert unnamed == [], "name the language (```text for output, ```sh, ```python ...)"


def test_markers_stand_before_a_block_that_runs():
    misplaced = [
        b.name
        for b in BLOCKS
        if (b.markers and b.lang not in RUN and set(b.markers) != {"prints"})
        or ("prints" in b.markers and (b.lang != "text" or _printer(b) is None))
    ]
    assert misplaced == []
    checked = [b.name for b in BLOCKS if "unchecked-output" in b.markers and b.lang != "console"]
    assert checked == []
    assert all(b.markers["no-test"] for b in BLOCKS if "no-test" in b.markers), "give a reason"
    for b in BLOCKS:  # a block continued from must run whenever the block after it does
        if "continues" in b.markers and b.lang in RUN:
            assert all("no-test" not in c.markers for c in _chain(b)[:-1]), b.name


def test_the_blocks_are_found():
    # The parser finds what a reader sees: if it stopped finding blocks, every test
    # below would pass by running nothing.
    langs = {b.lang for b in BLOCKS}
    assert {"python", "sh", "console"} <= langs
    assert sum(b.lang == "python" for b in BLOCKS) >= 8
    assert any(b.page == "README.md" for b in BLOCKS)


# -- the sample inputs -------------------------------------------------------------------------

_WORDS = str.split(
    "river stone market winter garden letter engine harbor pencil forest window signal "
    "copper meadow lantern bridge canvas orbit ledger thunder velvet island marble comet "
    "silver basket anchor candle desert feather glacier hammer jungle kettle ladder mirror "
    "needle oyster pepper quarry rocket saddle timber umbrella valley wagon yarn zephyr"
)


def _text(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)) + "."


def _near(rng: random.Random, text: str) -> str:
    words = text.split()
    for _ in range(2):
        words[rng.randrange(len(words))] = rng.choice(_WORDS)
    return " ".join(words).capitalize()


def _jsonl(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    if path.suffix == ".zst":
        import zstandard

        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)


def _samples(root: Path) -> None:
    """The inputs the docs' examples name, small enough to run in a second or two."""
    rng = random.Random(18)
    unique = [_text(rng) for _ in range(30)]
    corpus = [{"id": f"d{n:02d}", "text": t} for n, t in enumerate(unique)]
    corpus += [{"id": f"d{30 + n}", "text": unique[n]} for n in range(5)]  # exact copies
    corpus += [{"id": f"d{35 + n}", "text": _near(rng, unique[5 + n])} for n in range(5)]
    _jsonl(root / "corpus.jsonl", corpus)
    _jsonl(root / "corpus.jsonl.zst", corpus)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # the parquet extra; the examples that read it fail and say so
        pass
    else:
        pq.write_table(pa.Table.from_pylist(corpus), root / "corpus.parquet")
    _jsonl(root / "train.jsonl", corpus[:20])
    _jsonl(root / "train" / "part-0.jsonl.zst", corpus[:10])
    _jsonl(root / "train" / "part-1.jsonl.zst", corpus[10:20])
    _jsonl(root / "test.jsonl", [{"id": f"t{n}", "text": _text(rng)} for n in range(10)])
    _jsonl(root / "new.jsonl", [{"id": f"n{n}", "text": t} for n, t in enumerate(unique[15:25])])
    # titles.jsonl and records.jsonl (docs/short-texts.md): short texts, citations
    titles = ["Deep learning for cats", "Deep Learning for Cats.", "Deep learning for dogs"]
    _jsonl(root / "titles.jsonl", [{"id": f"t{n}", "text": t} for n, t in enumerate(titles)])
    citation = {"title": "Deep learning for cats", "authors": "Smith, J.; Doe, A.",
                "journal": "Cat Science", "year": 2020, "volume": "3", "issue": "2",
                "pages": "1-10"}  # fmt: skip
    _jsonl(
        root / "records.jsonl",
        [citation, {**citation, "authors": "J Smith; A. Doe"}, {**citation, "year": 2021}],
    )
    # dumps/: documents that share whole paragraphs
    paragraphs = [_text(rng, 25) for _ in range(6)]
    for n in range(3):
        chosen = [paragraphs[(n + k) % 6] for k in range(3)]
        (root / "dumps").mkdir(exist_ok=True)
        (root / "dumps" / f"page{n}.txt").write_text("\n\n".join(chosen) + "\n")
    # docs/: texts that copy a passage from one another
    passage = _text(rng, 40)
    (root / "docs").mkdir()
    for n in range(4):
        body = _text(rng, 80)
        text = body + " " + passage + " " + _text(rng, 30) if n % 2 else body
        (root / "docs" / f"doc{n}.txt").write_text(text + "\n")
    article = SHARED / "fixtures" / "doubled_article.txt"
    shutil.copy(article, root / "article.txt")
    # doc.txt (docs/cli.md): CRLF line ends, two spaces after the title, a paragraph
    # twice, a zero-width space, blank lines at the end.
    para = "The town council approved the new budget for the harbour today."
    (root / "doc.txt").write_bytes(
        f"Harbour news  \r\n{para}\r\n{para}\r\nWork starts in\u200b May.\r\n\r\n\r\n\r\n".encode()
    )
    from textdedup import DedupConfig, Index, dedup_records

    with Index(str(root / "train.sqlite"), DedupConfig()) as index:
        kept: list[tuple[str, str, int]] = []
        for _ in dedup_records(corpus[:20], index=index, on_kept=lambda *a: kept.append(a)):
            pass
        index.add(kept)


@pytest.fixture(scope="session")
def sample_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (SHARED / "fixtures" / "doubled_article.txt").exists():
        pytest.skip(f"the docs name ../shared/fixtures/doubled_article.txt; {SHARED} is missing")
    root = tmp_path_factory.mktemp("samples")
    _samples(root)
    return root


@pytest.fixture
def workdir(tmp_path: Path, sample_inputs: Path) -> Path:
    """A fresh folder with the samples, and ``../shared`` beside it as in a checkout."""
    work = tmp_path / "work"
    shutil.copytree(sample_inputs, work)
    (tmp_path / "shared").symlink_to(SHARED, target_is_directory=True)
    return work


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("TERM", None)  # no progress bars
    return env


# -- running a block ---------------------------------------------------------------------------


def _console(code: str) -> list[tuple[str, list[str]]]:
    """``$ COMMAND`` lines (continued by a trailing backslash) and the output under each."""
    steps: list[tuple[str, list[str]]] = []
    lines = code.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\") and i + 1 < len(lines):
                i += 1
                command += "\n" + lines[i]
            steps.append((command, []))
        elif steps:
            steps[-1][1].append(line.rstrip())
        else:
            raise AssertionError(f"output before the first '$ ' command: {line!r}")
        i += 1
    return steps


def _run_console(block: Block, cwd: Path) -> None:
    steps = _console(block.code)
    assert steps, f"{block.name}: a console block with no '$ ' command"
    script = ["__rc=0"]
    for n, (command, _) in enumerate(steps):
        script += [
            f"printf '\\n@@step {n} %d@@\\n' $__rc",
            "(exit $__rc)",  # so that `echo $?` sees the previous command's status
            command,
            "__rc=$?",
        ]
    script.append("printf '\\n@@step end %d@@\\n' $__rc")
    proc = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    parts = re.split(r"\n?@@step (?:\d+|end) (\d+)@@\n", proc.stdout)
    # parts: [before, rc_before_0, out_0, rc_after_0(=before_1), out_1, ..., rc_end, ""]
    outputs = parts[2::2]
    statuses = [int(s) for s in parts[1::2]][1:]
    for n, (command, expected) in enumerate(steps):
        got = [line.rstrip() for line in outputs[n].rstrip("\n").splitlines()]
        next_is_status = n + 1 < len(steps) and steps[n + 1][0].strip() == "echo $?"
        assert statuses[n] == 0 or next_is_status, (
            f"{block.name}: `{command}` exited {statuses[n]}:\n{outputs[n]}"
        )
        if "unchecked-output" not in block.markers:
            while expected and not expected[-1]:
                expected.pop()
            assert got == expected, f"{block.name}: `{command}` printed other output"


def _run_shell(block: Block, cwd: Path) -> None:
    proc = subprocess.run(
        ["bash", "-c", "set -eo pipefail\n" + block.code],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, (
        f"{block.name} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )


@pytest.mark.parametrize("chain", _params())
def test_docs_example_runs(
    chain: list[Block], workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workdir)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in chain:
        if block.lang == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(block.code, f"<{block.name}>", "exec"), namespace)
            shown = _prints(block)
            if shown is not None:
                got = [line.rstrip() for line in out.getvalue().rstrip("\n").splitlines()]
                want = [line.rstrip() for line in shown.code.rstrip("\n").splitlines()]
                assert got == want, f"{block.name} prints other lines than {shown.name} shows"
        elif block.lang == "console":
            _run_console(block, workdir)
        else:
            _run_shell(block, workdir)


# -- the examples in each command's --help -------------------------------------------------------


def _commands() -> list[tuple[str, object]]:
    import click

    from textdedup.cli import main

    out: list[tuple[str, object]] = []

    def walk(cmd: click.Command, path: str) -> None:
        out.append((path, cmd))
        if isinstance(cmd, click.Group):
            for name, sub in sorted(cmd.commands.items()):
                walk(sub, f"{path} {name}".strip())

    walk(main, "")
    return out


def _help_examples(epilog: str | None) -> list[str]:
    lines = (epilog or "").splitlines()
    if "Examples:" not in lines:
        return []
    return [line.strip() for line in lines[lines.index("Examples:") + 1 :] if line.strip()]


@pytest.mark.parametrize(
    ("path", "command"), [pytest.param(p, c, id=p or "textdedup") for p, c in _commands()]
)
def test_help_examples_run(
    path: str, command: object, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command's --help ends with examples, and each one runs on the samples.

    They run in this process with click's CliRunner (a process per example would
    cost half a second each): ``cat FILE |`` becomes the input, ``> FILE`` the file
    stdout is written to; the exit status must be 0.
    """
    import click
    import click.testing

    from textdedup.cli import main

    assert isinstance(command, click.Command)
    examples = _help_examples(command.epilog)
    assert examples, f"textdedup {path} --help shows no examples"
    assert any(f"textdedup {path} ".replace("  ", " ") in line for line in examples), examples
    monkeypatch.chdir(workdir)
    for line in examples:
        words = shlex.split(line, comments=True)
        stdin = None
        if words[:1] == ["cat"]:
            assert words[2] == "|", line
            stdin, words = Path(words[1]).read_bytes(), words[3:]
        target = None
        if ">" in words:
            target, words = words[words.index(">") + 1], words[: words.index(">")]
        assert words[0] == "textdedup" and not set(words) & {"|", "<", ";", "&&"}, line
        result = click.testing.CliRunner().invoke(main, words[1:], input=stdin)
        assert result.exit_code == 0, f"{line}\n{result.output}\n{result.exception!r}"
        if target is not None:
            Path(target).write_bytes(result.stdout_bytes)
    # and --help shows them as written, one per line
    result = click.testing.CliRunner().invoke(command, ["--help"], terminal_width=200)
    shown = [line.strip() for line in result.output.splitlines()]
    assert all(line in shown for line in examples), result.output
