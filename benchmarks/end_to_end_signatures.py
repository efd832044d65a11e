"""Text -> signatures with the default key, against rensa fed by Python shingling (issue #14).

    PYTHONPATH=src .venv/bin/python benchmarks/end_to_end_signatures.py [--n 20000] [--repeats 7]

On the paragraphs of ``benchmarks/data.make_corpus(n, seed=0)`` (the corpus of
``benchmarks/run.py``), in one process, each measured after one untimed warm-up call,
medians of ``--repeats`` calls, wall and CPU time (CPU counts every thread):

- ``normalize_key`` over every text, and the key as first written (``str.translate``
  then a regular expression), which it must equal;
- ``MinHasher()`` (default key, default engine) and ``MinHasher(key=None)``;
- rensa's ``digest_matrix_from_token_sets`` (and ``_rho``) on Python word 5-gram shingles,
  as a rensa user writes it (``str.split``, ``" ".join``: no normalization at all);
- the kernels alone on the same shingle hashes: textdedup's ``signatures_of`` against
  rensa's ``digest_matrix_from_flat_token_hashes``.

Writes ``benchmarks/results/signatures_key.json`` (or ``--out``). Nothing runs at import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
NUM_PERM, NGRAM, SEED = 128, 5, 1


def timed(fn: Callable[[], Any], repeats: int) -> dict[str, Any]:
    """Median wall and CPU seconds of ``repeats`` calls, after one untimed warm-up call."""
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return {
        "wall_s": float(np.median(wall)),
        "cpu_s": float(np.median(cpu)),
        "wall_runs": wall,
        "cpu_runs": cpu,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "signatures_key.json")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from rensa import RMinHash

    from data import make_corpus
    from run import python_shingles
    from textdedup.minhash import MinHasher
    from textdedup.normalize import KeyConfig, _table, normalize_key
    from textdedup.shingle import shingle_hashes

    texts = make_corpus(args.n, seed=0).texts
    space_run = re.compile(" {2,}")
    table = _table(KeyConfig())

    def key_reference(text: str) -> str:
        key = space_run.sub(" ", text.translate(table)).strip()
        return key or (" ".join(text.casefold().split()) if text.strip() else key)

    if [normalize_key(t) for t in texts] != [key_reference(t) for t in texts]:
        raise SystemExit("normalize_key differs from the reference key")
    normed = MinHasher(num_perm=NUM_PERM, ngram=NGRAM, seed=SEED)
    bare = MinHasher(num_perm=NUM_PERM, ngram=NGRAM, seed=SEED, key=None)
    shingles = shingle_hashes([normalize_key(t) for t in texts], ngram=NGRAM)
    flat_offsets = shingles.offsets.astype(np.uint64)
    cases: dict[str, tuple[str, Callable[[], Any]]] = {
        "normalize_key": ("normalize_key per text", lambda: [normalize_key(t) for t in texts]),
        "key_reference": (
            "the key as first written: str.translate + regex",
            lambda: [key_reference(t) for t in texts],
        ),
        "textdedup_default_key": (
            "MinHasher().signatures: default key, default engine",
            lambda: normed.signatures(texts),
        ),
        "textdedup_no_key": ("MinHasher(key=None).signatures", lambda: bare.signatures(texts)),
        "python_shingling": ("str.split + ' '.join 5-grams", lambda: python_shingles(texts)),
        "rensa_token_sets": (
            "python shingling + RMinHash.digest_matrix_from_token_sets",
            lambda: RMinHash.digest_matrix_from_token_sets(python_shingles(texts), NUM_PERM, SEED),
        ),
        "rensa_token_sets_rho": (
            "python shingling + RMinHash.digest_matrix_from_token_sets_rho",
            lambda: RMinHash.digest_matrix_from_token_sets_rho(
                python_shingles(texts), NUM_PERM, SEED
            ),
        ),
        "textdedup_kernel": (
            "MinHasher.signatures_of on precomputed shingle hashes (the permutation pass)",
            lambda: bare.signatures_of(shingles),
        ),
        "rensa_kernel": (
            "RMinHash.digest_matrix_from_flat_token_hashes on the same shingle hashes",
            lambda: RMinHash.digest_matrix_from_flat_token_hashes(
                shingles.hashes, flat_offsets, NUM_PERM, SEED
            ),
        ),
    }
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["benchmarks/end_to_end_signatures.py", *(argv or sys.argv[1:])]),
        "texts": len(texts),
        "shingles": int(shingles.hashes.size),
        "load_average_at_start": os.getloadavg(),
        "cases": {},
    }
    for name, (note, fn) in cases.items():
        r = timed(fn, args.repeats)
        r["note"] = note
        results["cases"][name] = r
        print(f"  {name:24s} {r['wall_s']:8.3f} s wall {r['cpu_s']:8.3f} s CPU", flush=True)
    c = results["cases"]
    rensa = min(c["rensa_token_sets"]["wall_s"], c["rensa_token_sets_rho"]["wall_s"])
    rensa_cpu = min(c["rensa_token_sets"]["cpu_s"], c["rensa_token_sets_rho"]["cpu_s"])
    results["ratios"] = {
        "default_key_vs_fastest_rensa_wall": rensa / c["textdedup_default_key"]["wall_s"],
        "default_key_vs_fastest_rensa_cpu": rensa_cpu / c["textdedup_default_key"]["cpu_s"],
        "kernel_time_over_rensa_kernel_wall": c["textdedup_kernel"]["wall_s"]
        / c["rensa_kernel"]["wall_s"],
        "kernel_time_over_rensa_kernel_cpu": c["textdedup_kernel"]["cpu_s"]
        / c["rensa_kernel"]["cpu_s"],
        "key_reference_over_normalize_key_cpu": c["key_reference"]["cpu_s"]
        / c["normalize_key"]["cpu_s"],
    }
    results["load_average_at_end"] = os.getloadavg()
    print(json.dumps(results["ratios"], indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
