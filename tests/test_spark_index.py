"""``dedup --engine spark --index``: A then B with Spark equals A then B locally, in ``local[2]``.

The same kept records, the same removals (the matched id, kind and score, the
removed blocks with the kept copy), the same index rows afterwards; and deduplicating
A, then B against the index of A's kept items removes what A+B at once removes
(the greedy rule, ``--keep first``).
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from textdedup.cli import main
from textdedup.synthetic import planted_corpus

if os.environ.get("CI") == "true":
    import pyspark  # noqa: F401 - under CI the Spark tests may not skip
else:
    pytest.importorskip("pyspark", reason="the spark extra is not installed")

from tests.test_spark import block_records

pytestmark = [
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


def _records(unit: str) -> list[dict[str, Any]]:
    if unit == "doc":
        return planted_corpus(240, seed=13).records
    return block_records(100, seed=7, unit=unit)


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _dedup(
    engine: str, src: Path, out: Path, unit: str, *extra: str, index: Path | None = None
) -> tuple[list[dict[str, Any]], str]:
    """One ``textdedup dedup`` run; its output rows (in input order) and its stderr."""
    args = ["dedup", str(src), "--id-field", "id", "--unit", unit, "--shingle", "word"]
    args += ["-o", str(out), "--engine", engine, *extra]
    if index is not None:
        args += ["--index", str(index)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    if engine == "local":
        lines = out.read_text().splitlines()
    else:
        lines = [line for p in sorted(out.glob("part-*")) for line in p.read_text().splitlines()]
    return [_no_nulls(json.loads(line)) for line in lines if line.strip()], result.stderr


def _no_nulls(value: Any) -> Any:
    """``value`` without its null fields: Spark's JSON writer leaves them out (with or
    without an index), the local writer writes them."""
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_nulls(v) for v in value]
    return value


def _index_rows(path: Path) -> dict[str, Any]:
    """Everything an index holds, in the order it holds it."""
    db = sqlite3.connect(path)
    try:
        return {
            "items": db.execute(
                "SELECT id, doc_id, digest, length, signature, key FROM items ORDER BY id"
            ).fetchall(),
            "bands": db.execute("SELECT band, bkey, item FROM bands ORDER BY item, band").fetchall(),
            "settings": json.loads(
                db.execute("SELECT value FROM meta WHERE name = 'settings'").fetchone()[0]
            ),
        }
    finally:
        db.close()


def _fates(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What goes, without naming the kept copy: the record, or its removed blocks."""
    out = []
    for r in rows:
        ann = r["dedup"]
        blocks = [(b["start"], b["end"]) for b in ann.get("blocks", [])]
        out.append((r["id"], ann["duplicate"], blocks, len(ann.get("in_document", []))))
    return out


@pytest.mark.parametrize("unit", ["doc", "paragraph"])
def test_a_then_b_with_spark_equals_a_then_b_locally(spark, tmp_path: Path, unit: str) -> None:  # type: ignore[no-untyped-def]
    records = _records(unit)
    half = len(records) // 2
    a = _write(tmp_path / "a.jsonl", records[:half])
    b = _write(tmp_path / "b.jsonl", records[half:])
    both = _write(tmp_path / "ab.jsonl", records)
    runs: dict[str, dict[str, Any]] = {}
    for engine in ("local", "spark"):
        index = tmp_path / f"{engine}.sqlite"
        suffix = ".jsonl" if engine == "local" else ""
        got_a, _ = _dedup(
            engine, a, tmp_path / f"{engine}-a{suffix}", unit, "--action", "annotate", index=index
        )
        after_a = _index_rows(index)
        got_b, err = _dedup(
            engine, b, tmp_path / f"{engine}-b{suffix}", unit, "--action", "annotate", index=index
        )
        runs[engine] = {"a": got_a, "b": got_b, "after_a": after_a, "index": _index_rows(index)}
        runs[engine]["said"] = [line for line in err.splitlines() if line.startswith("added ")]
    local, remote = runs["local"], runs["spark"]
    # The corpus exercises what it should: B loses records or blocks to A's index items.
    a_ids = {str(r["id"]) for r in records[:half]}
    gone_b = [r["dedup"] for r in local["b"] if r["dedup"]["duplicate"] or r["dedup"].get("blocks")]
    if unit == "doc":
        matched = [d["duplicate_of"] for d in gone_b]
    else:
        matched = [blk["kept"]["id"] for d in gone_b for blk in d["blocks"]]
    assert any(m.split("#")[0] in a_ids for m in matched)
    assert local["after_a"]["items"]
    # The same decisions, removals and index, record for record and row for row.
    assert remote["a"] == local["a"]
    assert remote["b"] == local["b"]
    assert remote["after_a"] == local["after_a"]
    assert remote["index"] == local["index"]
    assert len(remote["index"]["items"]) > len(remote["after_a"]["items"])
    # The greedy rule: A, then B against A's kept items, removes what A+B at once does.
    at_once, _ = _dedup("spark", both, tmp_path / "spark-ab", unit, "--action", "annotate")
    assert _fates(at_once) == _fates(remote["a"]) + _fates(remote["b"])
