"""``textdedup clean`` over a corpus of scraped-style records with doubled bodies.

    PYTHONPATH=src python benchmarks/clean_corpus.py [--records 100000] [--compare 5000]
        [--per-file 40] [--doubled 0.5] [--seed 0] [--out FILE.json]

Generates ``--records`` seeded JSONL records shaped like scraped news articles (a
headline, then two to five paragraphs of words drawn as in
:mod:`textdedup.synthetic`); a ``--doubled`` share of them has its body pasted twice
(after a blank line, or glued to the first copy's last line), the seed case of issue
#17. Then, through the command line:

1. ``textdedup clean corpus.jsonl --field text -o clean.jsonl`` on all the records,
   with every core (``--workers 0``);
2. the first ``--compare`` records with ``--workers 1`` and ``--workers 2``;
3. ``textdedup clean FILE -o OUT`` once per record, each record a text file, on the
   first ``--per-file`` records; records per second extrapolated to the corpus (a
   sample, so the figure is an estimate, and says so).

Accuracy beside speed: every doubled record must come out as its body once (headline
kept), every other record unchanged; the counts of wrong records are reported. Load
average before and after goes into the results (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from index_units import run_measured  # this folder is on sys.path when run as a script


def iter_corpus(n: int, *, seed: int, doubled: float) -> Iterator[tuple[int, str, str, str]]:
    """``(index, text, expected, kind)`` for ``n`` seeded records, one at a time: the
    text each should have after cleaning, and how it was made (``single``, ``doubled``
    after a blank line, ``glued``: the copy follows on the first copy's last line)."""
    from textdedup.synthetic import vocabulary

    rng = np.random.default_rng(seed)
    vocab = np.array(vocabulary())
    for i in range(n):

        def sentence() -> str:
            words = vocab[rng.integers(0, vocab.size, int(rng.integers(8, 25)))]
            return " ".join(words).capitalize() + "."

        headline = " ".join(vocab[rng.integers(0, vocab.size, int(rng.integers(5, 12)))])
        paragraphs = [
            " ".join(sentence() for _ in range(int(rng.integers(2, 5))))
            for _ in range(int(rng.integers(2, 6)))
        ]
        body = "\n\n".join(paragraphs)
        clean_text = f"{headline.capitalize()}\n\n{body}\n"
        if rng.random() < doubled:
            glue = "\n\n" if rng.random() < 0.8 else " "
            text = f"{headline.capitalize()}\n\n{body}{glue}{body}\n"
            yield i, text, clean_text, "doubled" if glue == "\n\n" else "glued"
        else:
            yield i, clean_text, clean_text, "single"


def make_corpus(
    n: int, *, seed: int, doubled: float
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """``n`` records (:func:`iter_corpus`), the text each should have after cleaning,
    and how each was made."""
    records, expected, kinds = [], [], []
    for i, text, clean_text, kind in iter_corpus(n, seed=seed, doubled=doubled):
        records.append({"id": f"a{i:07d}", "url": f"https://example.org/{i}", "text": text})
        expected.append(clean_text)
        kinds.append(kind)
    return records, expected, kinds


def _run(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return seconds


def _clean_cmd(src: Path, out: Path, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "textdedup", "clean", str(src), "--field", "text",
        "-o", str(out), "--workers", str(workers), "-q",
    ]  # fmt: skip


def _wrong(out: Path, expected: list[str], kinds: list[str]) -> dict[str, Any]:
    """Records whose cleaned text is not the expected one, by how they were made."""
    with out.open(encoding="utf-8") as fh:
        got = [json.loads(line)["text"] for line in fh]
    if len(got) != len(expected):
        raise RuntimeError(f"{out}: {len(got)} records out, {len(expected)} in")
    wrong = [i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e]
    by_kind: dict[str, int] = {}
    for i in wrong:
        by_kind[kinds[i]] = by_kind.get(kinds[i], 0) + 1
    return {"count": len(wrong), "by_kind": by_kind, "first": wrong[:5]}


def _write(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--compare", type=int, default=5000, help="records for 1 vs 2 workers")
    ap.add_argument("--per-file", type=int, default=40, help="records run one file at a time")
    ap.add_argument("--doubled", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-full", action="store_true", help="leave out step 1")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/clean_corpus.json"))
    args = ap.parse_args(argv)
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "cores": len(os.sched_getaffinity(0)),
        "records": args.records,
        "doubled_share": args.doubled,
        "seed": args.seed,
    }
    records, expected, kinds = make_corpus(args.records, seed=args.seed, doubled=args.doubled)
    with tempfile.TemporaryDirectory(prefix="clean_corpus.") as tmp:
        work = Path(tmp)
        src = work / "corpus.jsonl"
        _write(src, records)
        result["corpus_mb"] = round(src.stat().st_size / 1e6, 1)
        result["kinds"] = {k: kinds.count(k) for k in ("single", "doubled", "glued")}
        if not args.skip_full:
            out = work / "clean.jsonl"
            cmd = _clean_cmd(src, out, 0)
            seconds = _run(cmd)
            result["full"] = {
                "command": "textdedup clean corpus.jsonl --field text -o clean.jsonl",
                "records": args.records,
                "seconds": round(seconds, 1),
                "records_per_second": round(args.records / seconds, 1),
                "wrong_records": _wrong(out, expected, kinds),
            }
            print(json.dumps(result["full"]), file=sys.stderr)
        m = min(args.compare, args.records)
        sample = work / "sample.jsonl"
        _write(sample, records[:m])
        result["workers"] = {}
        for workers in (1, 2):
            out = work / f"sample{workers}.jsonl"
            # CPU too (the pool processes' from /proc): the wall time of a shared
            # machine depends on its load, the CPU time much less.
            run = run_measured(_clean_cmd(sample, out, workers))
            seconds = run["wall_seconds"]
            result["workers"][str(workers)] = {
                "records": m,
                "seconds": round(seconds, 1),
                "records_per_second": round(m / seconds, 1),
                "cpu_seconds": run["cpu_seconds"],
                "pool_cpu_seconds": run["helper_cpu_seconds"],
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "wrong_records": _wrong(out, expected[:m], kinds[:m]),
            }
            print(workers, json.dumps(result["workers"][str(workers)]), file=sys.stderr)
        k = min(args.per_file, args.records)
        docs = work / "docs"
        docs.mkdir()
        wrong: dict[str, int] = {}
        start = time.perf_counter()
        for i, r in enumerate(records[:k]):
            path, out = docs / f"{i}.txt", docs / f"{i}.clean.txt"
            path.write_text(r["text"], encoding="utf-8")
            cmd = [sys.executable, "-m", "textdedup", "clean", str(path), "-o", str(out), "-q"]
            _run(cmd)
            if out.read_text(encoding="utf-8") != expected[i]:
                wrong[kinds[i]] = wrong.get(kinds[i], 0) + 1
        seconds = time.perf_counter() - start
        result["per_file"] = {
            "records": k,
            "seconds": round(seconds, 1),
            "records_per_second": round(k / seconds, 2),
            "extrapolated_seconds_for_all_records": round(seconds / k * args.records),
            "wrong_records": wrong,
        }
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
