"""Corpus deduplication on planted and overlapping corpora: quality, speed and memory.

    PYTHONPATH=src python benchmarks/corpus.py [--records 20000] [--out FILE.json]

Generates two seeded corpora of the same size, writes each as JSONL and deduplicates
it through the command line (``textdedup dedup``, default settings):

- ``planted``: independent documents with planted exact copies (10%), near copies
  (10%) and records that borrow one paragraph of another (5%, not duplicates)
  (:func:`textdedup.synthetic.planted_corpus`);
- ``overlapping``: documents that are windows of consecutive paragraphs from one pool,
  so neighbours share paragraphs, with exact (10%) and near (12%) copies
  (:func:`textdedup.synthetic.overlapping_corpus`).

For each it reports the exact duplicates left in the output (kept records whose text
repeats another kept record's), pair precision and recall of the clusters against the
planted groups (a copy and its source), whether a rerun gives byte-identical output,
time and the peak RSS of the run (from ``wait4``), and the overlapping/planted ratios.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _pairs(groups: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


def _run(src: Path, out: Path, extra: list[str]) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "textdedup", "dedup", str(src), "-o", str(out), "--id-field", "id"]
    err = out.with_suffix(".stderr")
    start = time.perf_counter()
    with err.open("wb") as fh:
        proc = subprocess.Popen([*cmd, *extra], stdout=subprocess.DEVNULL, stderr=fh)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = err.read_text(encoding="utf-8").strip()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{stderr}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "stderr": stderr,
    }


def _clusters(path: Path) -> tuple[dict[str, set[str]], list[str]]:
    groups: dict[str, set[str]] = {}
    kept: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            groups.setdefault(row["dedup"]["cluster"] or row["id"], set()).add(row["id"])
            if not row["dedup"]["duplicate"]:
                kept.append(row["text"])
    return groups, kept


def _measure(
    name: str, corpus: Any, tmp: Path, seconds_to_make: float, repeat: int
) -> dict[str, Any]:
    src = tmp / f"{name}.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in corpus.records), encoding="utf-8")
    runs = [_run(src, tmp / f"{name}.{k}.jsonl", ["--action", "annotate"]) for k in range(repeat)]
    truth: dict[str, set[str]] = {}
    for record, src_id in zip(corpus.records, corpus.dup_of, strict=True):
        truth.setdefault(src_id or str(record["id"]), set()).add(str(record["id"]))
    found, kept = _clusters(tmp / f"{name}.0.jsonl")
    tp, pp = _pairs(truth), _pairs(found)
    hits = len(tp & pp)
    out_a = (tmp / f"{name}.0.jsonl").read_bytes()
    others = [(tmp / f"{name}.{k}.jsonl").read_bytes() for k in range(1, repeat)]
    return {
        "records": len(corpus.records),
        "planted": {k: corpus.kind.count(k) for k in sorted(set(corpus.kind))},
        "generation_seconds": round(seconds_to_make, 1),
        "exact_duplicates_kept": len(kept) - len(set(kept)),
        "kept_records": len(kept),
        "truth_pairs": len(tp),
        "found_pairs": len(pp),
        "precision": round(hits / len(pp), 4) if pp else 1.0,
        "recall": round(hits / len(tp), 4) if tp else 1.0,
        "rerun_identical": all(o == out_a for o in others) if others else None,
        "output_sha256_16": hashlib.sha256(out_a).hexdigest()[:16],
        "seconds": min(r["seconds"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "runs": runs,
    }


def _write(path: str, result: dict[str, Any]) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(path + ".tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def main() -> None:
    from textdedup.synthetic import overlapping_corpus, planted_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", default="benchmarks/results/corpus.json")
    parser.add_argument("--repeat", type=int, default=2, help="runs per corpus (best time)")
    args = parser.parse_args()

    result: dict[str, Any] = {
        "command": "PYTHONPATH=src python benchmarks/corpus.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("planted", planted_corpus), ("overlapping", overlapping_corpus)):
            started = time.perf_counter()
            corpus = make(args.records, seed=args.seed)
            made = time.perf_counter() - started
            result[name] = _measure(name, corpus, Path(tmp), made, args.repeat)
            _write(args.out, result)  # what is done so far, in case a big run is cut short
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    plain, over = result["planted"], result["overlapping"]
    result["overlapping_vs_planted"] = {
        "time": round(over["seconds"] / plain["seconds"], 2),
        "peak_rss": round(over["peak_rss_mb"] / plain["peak_rss_mb"], 2),
    }
    _write(args.out, result)
    brief = {
        name: {k: v for k, v in result[name].items() if k != "runs"}
        for name in ("planted", "overlapping")
    }
    brief["overlapping_vs_planted"] = result["overlapping_vs_planted"]
    print(json.dumps(brief, indent=2))
    for name in ("planted", "overlapping"):
        print(f"{name}: {result[name]['runs'][0]['stderr'].splitlines()[-1]}")


if __name__ == "__main__":
    main()
