"""``dedup --engine spark --index``: A then B with Spark equals A then B locally, in ``local[2]``.

The same kept records, the same removals (the matched id, kind and score, the
removed blocks with the kept copy), the same index rows afterwards; and deduplicating
A, then B against the index of A's kept items removes what A+B at once removes
(the greedy rule, ``--keep first``).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.spark_support import SPARK_WARNINGS, require_pyspark
from textdedup.cli import main
from textdedup.synthetic import planted_corpus

require_pyspark()

from tests.test_spark import block_records

pytestmark = SPARK_WARNINGS


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


def _added(stderr: str) -> list[str]:
    """What a run says it added to the index (the index's path left out)."""
    return [x.split(" to ")[0] for x in stderr.splitlines() if x.startswith("added ")]


def _index_rows(path: Path) -> dict[str, Any]:
    """Everything an index holds, in the order it holds it."""
    db = sqlite3.connect(path)
    try:
        return {
            "items": db.execute(
                "SELECT id, doc_id, digest, length, signature, key FROM items ORDER BY id"
            ).fetchall(),
            "bands": db.execute(
                "SELECT band, bkey, item FROM bands ORDER BY item, band"
            ).fetchall(),
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


def _a_then_b(
    engine: str, tmp_path: Path, unit: str, a: Path, b: Path, *extra: str
) -> dict[str, Any]:
    """A into a new index, then B against it: annotated, and removing (on a copy of the
    index as A left it); what each wrote, said and left in the index."""
    index, copy = tmp_path / f"{engine}.sqlite", tmp_path / f"{engine}-copy.sqlite"
    suffix = ".jsonl" if engine == "local" else ""
    out = {}
    out["a"], _ = _dedup(
        engine,
        a,
        tmp_path / f"{engine}-a{suffix}",
        unit,
        "--action",
        "annotate",
        *extra,
        index=index,
    )
    out["after_a"] = _index_rows(index)
    shutil.copyfile(index, copy)
    out["b"], said = _dedup(
        engine,
        b,
        tmp_path / f"{engine}-b{suffix}",
        unit,
        "--action",
        "annotate",
        *extra,
        index=index,
    )
    out["said"] = _added(said)
    out["index"] = _index_rows(index)
    out["kept_b"], _ = _dedup(
        engine, b, tmp_path / f"{engine}-kept-b{suffix}", unit, *extra, index=copy
    )
    # Annotating and removing add the same items.
    assert _index_rows(copy) == out["index"]
    return out


def _check_parity(
    records: list[dict[str, Any]], local: dict[str, Any], remote: dict[str, Any], unit: str
) -> None:
    half = len(records) // 2
    # The corpus exercises what it should: B loses records or blocks to A's index items.
    a_ids = {str(r["id"]) for r in records[:half]}
    gone_b = [r["dedup"] for r in local["b"] if r["dedup"]["duplicate"] or "blocks" in r["dedup"]]
    if unit == "doc":
        matched = [(d["duplicate_of"], d["reason"]) for d in gone_b]
    else:
        matched = [(blk["kept"]["id"], blk["reason"]) for d in gone_b for blk in d["blocks"]]
    assert any(m.split("#")[0] in a_ids and why == "near" for m, why in matched)
    assert local["after_a"]["items"]
    assert len(local["index"]["items"]) > len(local["after_a"]["items"])
    assert len(local["kept_b"]) < len(records) - half
    # The same decisions, removals, output and index, record for record and row for row.
    for name in ("a", "after_a", "b", "said", "index", "kept_b"):
        assert remote[name] == local[name], name


@pytest.mark.slow
@pytest.mark.parametrize(
    ("unit", "extra"),
    [("doc", ()), ("paragraph", ()), ("line", ("--mode", "exact"))],
    ids=["doc", "paragraph", "line-exact"],
)
def test_a_then_b_with_spark_equals_a_then_b_locally(
    spark,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    unit: str,
    extra: tuple[str, ...],
) -> None:
    records = _records(unit)
    half = len(records) // 2
    a = _write(tmp_path / "a.jsonl", records[:half])
    b = _write(tmp_path / "b.jsonl", records[half:])
    local = _a_then_b("local", tmp_path, unit, a, b, *extra)
    remote = _a_then_b("spark", tmp_path, unit, a, b, *extra)
    _check_parity(records, local, remote, unit)
    # The greedy rule: A, then B against A's kept items, removes what A+B at once does.
    both = _write(tmp_path / "ab.jsonl", records)
    at_once, _ = _dedup("spark", both, tmp_path / "spark-ab", unit, "--action", "annotate", *extra)
    assert _fates(at_once) == _fates(remote["a"]) + _fates(remote["b"])


@pytest.mark.slow
def test_spark_against_an_index_and_a_run_that_fails_leaves_it_as_it_was(
    spark,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import textdedup.io

    records = planted_corpus(40, seed=1).records
    a = _write(tmp_path / "a.jsonl", records[:20])
    b = _write(tmp_path / "b.jsonl", records[20:])
    expected = {}
    for engine in ("local", "spark"):
        index = tmp_path / f"{engine}.sqlite"
        out = tmp_path / (f"{engine}-a.jsonl" if engine == "local" else "spark-a")
        expected[engine] = _dedup(engine, a, out, "doc", index=index)[0]
    assert expected["spark"] == expected["local"]
    after_a = _index_rows(tmp_path / "spark.sqlite")
    assert after_a == _index_rows(tmp_path / "local.sqlite")

    def broken(*args: object) -> None:
        raise OSError("disk full")

    # The output cannot be put in place: nothing is added to the index.
    with monkeypatch.context() as m:
        m.setattr(textdedup.io, "replace_folder", broken)
        args = ["dedup", str(b), "--id-field", "id", "--shingle", "word", "--engine", "spark"]
        args += ["-o", str(tmp_path / "spark-b"), "--index", str(tmp_path / "spark.sqlite")]
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr.endswith("Error: disk full\n")
    assert not (tmp_path / "spark-b").exists()
    assert _index_rows(tmp_path / "spark.sqlite") == after_a

    # The Python API compares with the index (its settings, without a config) and
    # leaves it alone.
    from textdedup import spark as td_spark

    frame = spark.createDataFrame(records[20:])
    api = td_spark.dedup(
        frame, id_field="id", index_path=str(tmp_path / "spark.sqlite"), action="annotate"
    )
    api_rows = [_no_nulls(r.asDict(recursive=True)) for r in api.collect()]
    assert _index_rows(tmp_path / "spark.sqlite") == after_a

    got = {}
    for engine in ("local", "spark"):
        index = tmp_path / f"{engine}.sqlite"
        out = tmp_path / (f"{engine}-b.jsonl" if engine == "local" else "spark-b")
        got[engine] = _dedup(engine, b, out, "doc", "--action", "annotate", index=index)
    rows, said = got["local"]
    a_ids = {r["id"] for r in records[:20]}
    gone = [r["dedup"] for r in rows if r["dedup"]["duplicate"]]
    # Removed for items of A's index: named by their ids, reason near (the index has
    # keys only), as well as for records of B itself.
    assert {d["reason"] for d in gone if d["duplicate_of"] in a_ids} == {"near"}
    assert any(d["duplicate_of"] not in a_ids for d in gone)
    assert got["spark"][0] == rows
    assert api_rows == rows
    grown = len(_index_rows(tmp_path / "local.sqlite")["items"]) - len(after_a["items"])
    assert grown > 0
    assert _added(got["spark"][1]) == _added(said) == [f"added {grown} items"]
    assert _index_rows(tmp_path / "spark.sqlite") == _index_rows(tmp_path / "local.sqlite")


def test_an_index_inside_the_spark_output_folder_is_refused_before_spark_starts(
    tmp_path: Path,
) -> None:
    src = _write(tmp_path / "in.jsonl", [{"id": "a", "text": "some text"}])
    out = tmp_path / "out"
    args = ["dedup", str(src), "-o", str(out), "-q", "--engine", "spark", "--shingle", "word"]
    result = CliRunner().invoke(main, [*args, "--index", str(out / "i.sqlite")])
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(
        f"Error: --index {out / 'i.sqlite'} is inside the output folder {out}, which is "
        "replaced as a whole; write it elsewhere\n"
    )
    assert not out.exists()


def test_the_index_rows_spark_joins_find_what_index_candidates_finds(tmp_path: Path) -> None:
    """The join of the Spark job, done here in Python over the rows the driver reads:
    band hits, every stored item with a hit's digest (format 3 gives band rows to the
    first item of a key only), and digest hits; the same items as ``Index.candidates``."""
    import numpy as np

    from textdedup import DedupConfig
    from textdedup._hashing import digest
    from textdedup.engines.batches import signature_rows
    from textdedup.index import Index
    from textdedup.index_ops import band_row_chunks, digest_row_chunks
    from textdedup.normalize import normalize_key

    config = DedupConfig(shingle="word")
    stored = [str(r["text"]) for r in planted_corpus(120, seed=3).records]
    queries = [str(r["text"]) for r in planted_corpus(120, seed=4).records] + stored[:5]
    queries += [t + " And one sentence more at its end." for t in stored[10:20]]  # near copies
    with Index(tmp_path / "i.sqlite", config) as index:
        # Exact copies under other ids: items with no band rows of their own.
        pairs = enumerate(stored + stored[:30])
        index.add([(f"d{i}", normalize_key(t, config.key), len(t)) for i, t in pairs])
        keys = [normalize_key(t, config.key) for t in queries]
        rows = signature_rows(keys, config)
        bands = [r for chunk in band_row_chunks(index, size=100) for r in chunk]
        digests = [r for chunk in digest_row_chunks(index, size=7) for r in chunk]
        by_band: dict[tuple[int, int], set[int]] = {}
        for band, bkey, item in bands:
            by_band.setdefault((band, bkey), set()).add(item)
        items_of: dict[bytes, set[int]] = {}
        for item, dig in digests:
            items_of.setdefault(dig, set()).add(item)
        digest_of = dict(digests)
        hits = {
            item
            for row in rows.bands.tolist()
            for band, bkey in enumerate(row)
            for item in by_band.get((band, bkey), ())
        }
        found = {same for item in hits for same in items_of[digest_of[item]]}
        found |= {item for k in keys for item in items_of.get(digest(k), ())}
        expected = index.candidates(rows.bands.view(np.uint64), [digest(k) for k in keys])
    assert len(bands) < len(digests) * config.lsh().bands  # some items have no band rows
    assert found == {r.rowid for r in expected}
    assert len(found) > 5
