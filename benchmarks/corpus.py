"""Corpus deduplication on a planted corpus: quality, determinism and order independence.

    PYTHONPATH=src python benchmarks/corpus.py [--records 100000] [--out FILE.json]

Generates a seeded corpus with planted exact and near duplicates (and records that
only borrow a paragraph, which are not document duplicates), writes it as JSONL,
deduplicates it through the command line's reader and writer, and reports:
pair precision and recall of the planted duplicates at the default threshold,
whether a rerun gives byte-identical output, whether the clusters are the same
with the records shuffled, time and peak memory.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _pairs(groups: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


def _run(src: Path, out: Path, extra: list[str]) -> dict[str, float]:
    cmd = [sys.executable, "-m", "textdedup", "dedup", str(src), "-o", str(out), "--id-field", "id"]
    start = time.perf_counter()
    proc = subprocess.run([*cmd, *extra], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb_so_far": round(rss, 1),
        "stderr": proc.stderr.strip(),
    }


def _clusters(path: Path) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            groups.setdefault(row["dedup"]["cluster"] or row["id"], set()).add(row["id"])
    return groups


def main() -> None:
    from textdedup.synthetic import planted_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", default="benchmarks/results/corpus.json")
    args = parser.parse_args()

    started = time.perf_counter()
    corpus = planted_corpus(args.records, seed=args.seed)
    generated = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        src = d / "corpus.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in corpus.records), encoding="utf-8")
        shuffled = list(corpus.records)
        random.Random(args.seed).shuffle(shuffled)
        src_shuffled = d / "shuffled.jsonl"
        src_shuffled.write_text("".join(json.dumps(r) + "\n" for r in shuffled), encoding="utf-8")

        first = _run(src, d / "a.jsonl", ["--action", "annotate"])
        second = _run(src, d / "b.jsonl", ["--action", "annotate"])
        third = _run(src_shuffled, d / "c.jsonl", ["--action", "annotate"])
        removed = _run(src, d / "kept.jsonl", [])

        truth: dict[str, set[str]] = {}
        for record, src_id in zip(corpus.records, corpus.dup_of, strict=True):
            truth.setdefault(src_id or str(record["id"]), set()).add(str(record["id"]))
        found = _clusters(d / "a.jsonl")
        tp, pp = _pairs(truth), _pairs(found)
        hits = len(tp & pp)
        same_bytes = (d / "a.jsonl").read_bytes() == (d / "b.jsonl").read_bytes()
        order_free = {frozenset(g) for g in found.values()} == {
            frozenset(g) for g in _clusters(d / "c.jsonl").values()
        }
        kept = sum(1 for _ in (d / "kept.jsonl").open())
        digest = hashlib.sha256((d / "kept.jsonl").read_bytes()).hexdigest()[:16]
    kinds = {k: corpus.kind.count(k) for k in sorted(set(corpus.kind))}
    result = {
        "command": "PYTHONPATH=src python benchmarks/corpus.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "records": args.records,
        "planted": kinds,
        "generation_seconds": round(generated, 1),
        "truth_pairs": len(tp),
        "found_pairs": len(pp),
        "precision": round(hits / len(pp), 4) if pp else 1.0,
        "recall": round(hits / len(tp), 4) if tp else 1.0,
        "rerun_identical": same_bytes,
        "shuffled_clusters_identical": order_free,
        "kept_records": kept,
        "kept_sha256_16": digest,
        "runs": {
            "annotate": first,
            "annotate_again": second,
            "annotate_shuffled": third,
            "remove": removed,
        },
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))
    for name, run in result["runs"].items():
        print(f"{name}: {run['seconds']} s; {run['stderr'].splitlines()[-1]}")


if __name__ == "__main__":
    main()
