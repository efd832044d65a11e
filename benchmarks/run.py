"""Benchmark suite: textdedup against datasketch, rensa and a compiled numba floor.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/run.py            # full run (~15 min)
    PYTHONPATH=src .venv/bin/python benchmarks/run.py --quick    # short run (~1 min)
    PYTHONPATH=src .venv/bin/python benchmarks/run.py --million  # + numpy engine at 1M

Sections, all on the same seeded corpus (see ``data.py``), num_perm=128, word 5-grams:

1. text -> signatures: textdedup with its default engine (``"auto"``: the compiled numba
   kernels when numba is installed) and with ``engine="numpy"``, on pre-lowercased keys
   with ``key=None`` (and the full key normalization separately); the cold-start cost of
   the compiled engine (first call in a fresh process, with and without numba's on-disk
   cache), measured apart from the warm timings; the numba floor of the same hashing, rensa's matrix
   API fed by Python shingling, datasketch ``MinHash.bulk`` and per-token ``update``
   (the datasketch ones on a subsample, reported as throughput); accuracy of the
   estimates against exact Jaccard on the planted pairs.
2. candidate generation from signatures: textdedup ``band_keys`` + ``candidate_pairs``,
   datasketch ``MinHashLSH`` insert + query, rensa ``RMinHashLSH`` insert + query.
3. end to end, text -> verified clusters at Jaccard >= 0.8, with precision and recall
   against the planted truth and peak RSS; each engine runs in its own subprocess
   (textdedup twice: default engine and ``engine="numpy"``; the compiled engine is warmed
   up on a few texts before the clock and the peak-RSS mark start). Twice: on the
   20k-text corpus, and on 100k texts (fewer repeats; datasketch takes about a minute).
4. scale curve of textdedup end to end: 10k -> 1M texts with the default engine,
   10k -> 100k with ``engine="numpy"`` (to 1M as well with ``--million``).

Timings are medians of repeated runs; results go to ``benchmarks/results/<name>.json``
and ``plot.py`` draws them. Nothing runs at import.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

NUM_PERM = 128
NGRAM = 5
SEED = 1
THRESHOLD = 0.8
# End to end, LSH runs at a lower threshold so that pairs just above THRESHOLD are found
# (the banding curve is only ~40% at its own threshold); verification then applies THRESHOLD.
LSH_THRESHOLD = 0.6


def median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, list[float], Any]:
    """Median wall time of ``repeats`` calls (after one warm-up call), and the last result."""
    result = fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), times, result


def python_shingles(texts: list[str]) -> list[list[str]]:
    """Word 5-gram shingling in plain Python, as a user of datasketch or rensa would write it."""
    out = []
    for t in texts:
        w = t.split()
        if len(w) < NGRAM:
            out.append([" ".join(w)] if w else [])
        else:
            out.append([" ".join(w[i : i + NGRAM]) for i in range(len(w) - NGRAM + 1)])
    return out


def ideal_mae(jaccard: np.ndarray, num_perm: int = NUM_PERM) -> float:
    """Mean over pairs of E|Binomial(num_perm, J)/num_perm - J|: the best any MinHash can do."""
    k = np.arange(num_perm + 1)
    log_comb = np.array(
        [math.lgamma(num_perm + 1) - math.lgamma(x + 1) - math.lgamma(num_perm - x + 1) for x in k]
    )
    total = 0.0
    for j in jaccard.tolist():
        if j <= 0.0 or j >= 1.0:
            continue
        pmf = np.exp(log_comb + k * math.log(j) + (num_perm - k) * math.log1p(-j))
        total += float(np.sum(pmf * np.abs(k / num_perm - j)))
    return total / max(len(jaccard), 1)


def accuracy(est: np.ndarray, exact: np.ndarray) -> dict[str, float]:
    ideal = ideal_mae(exact)
    mae = float(np.mean(np.abs(est - exact)))
    return {
        "mae": mae,
        "bias": float(np.mean(est - exact)),
        "ideal_mae": ideal,
        "mae_over_ideal": mae / ideal if ideal else float("nan"),
        "pairs": int(exact.size),
    }


def pair_estimates(sig: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.mean(np.asarray(sig)[left] == np.asarray(sig)[right], axis=1)


# --------------------------------------------------------------------------- section 1

_COLD = """
import time
t0 = time.perf_counter()
from textdedup.minhash import MinHasher
t1 = time.perf_counter()
MinHasher(engine="numba", key=None).signatures(["a b c d e f g"] * 100)
t2 = time.perf_counter()
MinHasher(engine="numba", key=None).signatures(["a b c d e f g"] * 100)
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def cold_start() -> dict[str, float]:
    """First-call cost of the compiled engine in a fresh process, in seconds.

    ``compile``: with an empty numba cache (a new ``NUMBA_CACHE_DIR``), so the kernels
    are compiled. ``cached``: with the cache those runs left, as every later process
    sees it. ``second_call``: the same call again, in the same process.
    """
    import tempfile

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src"), "NUMBA_CACHE_DIR": cache}
        for name in ("compile", "cached"):
            res = subprocess.run(
                [sys.executable, "-c", _COLD], env=env, capture_output=True, text=True, check=True
            )
            imp, first, second = map(float, res.stdout.split())
            out[f"{name}_import_s"] = imp
            out[f"{name}_first_call_s"] = first
            out[f"{name}_second_call_s"] = second
    return out


def bench_signatures(corpus: Any, repeats: int, sub: int) -> dict[str, Any]:
    from datasketch import MinHash
    from rensa import RMinHash

    import floor
    from textdedup.minhash import MinHasher
    from textdedup.shingle import compiled, shingle_hashes

    texts = corpus.texts
    n = len(texts)
    res: dict[str, Any] = {"n_texts": n, "subsample": sub, "engines": {}}
    eng = res["engines"]

    def record(name: str, seconds: float, times: list[float], count: int, note: str) -> None:
        eng[name] = {
            "seconds": seconds,
            "times": times,
            "texts": count,
            "texts_per_s": count / seconds,
            "note": note,
        }
        print(f"  {name:32s} {seconds:8.3f} s  {count / seconds:12.0f} texts/s", flush=True)

    res["cold_start"] = cold_start()
    print(f"  cold start: {json.dumps(res['cold_start'])}", flush=True)
    # "auto" is the default engine: numba when it is installed, numpy otherwise.
    res["auto_engine"] = "numpy" if compiled("auto") is None else "numba"
    hasher = MinHasher(num_perm=NUM_PERM, ngram=NGRAM, seed=SEED, key=None)
    slow = MinHasher(num_perm=NUM_PERM, ngram=NGRAM, seed=SEED, key=None, engine="numpy")
    # median_time warms up with one untimed call, so compile/load time is not in these.
    s, t, sig = median_time(lambda: hasher.signatures(texts), repeats)
    record(
        "textdedup", s, t, n, f"MinHasher(key=None).signatures, engine auto = {res['auto_engine']}"
    )
    s, t, nsig = median_time(lambda: slow.signatures(texts), repeats)
    record("textdedup_numpy", s, t, n, "MinHasher(key=None, engine='numpy').signatures")
    res["engines_equal"] = bool(np.array_equal(sig, nsig))
    s, t, usig = median_time(lambda: hasher.signatures_of(hasher.shingles(texts)), repeats)
    record(
        "textdedup_unfused",
        s,
        t,
        n,
        "signatures_of(shingles(texts)), default engine: shingle arrays kept (as end to end)",
    )
    res["unfused_equal"] = bool(np.array_equal(sig, usig))
    s, t, _ = median_time(lambda: hasher.shingles(texts), repeats)
    record("textdedup_shingling_only", s, t, n, "shingling alone, default engine")
    s, t, _ = median_time(lambda: slow.shingles(texts), repeats)
    record("textdedup_numpy_shingling_only", s, t, n, "shingle_hashes alone, numpy engine")
    shingles = shingle_hashes(texts, ngram=NGRAM)
    s, t, _ = median_time(lambda: hasher.signatures_of(shingles), repeats)
    record("textdedup_affine_pass_only", s, t, n, "signatures_of on shingles, default engine")
    s, t, _ = median_time(lambda: slow.signatures_of(shingles), repeats)
    record("textdedup_numpy_affine_pass_only", s, t, n, "signatures_of on shingles, numpy engine")
    normed = MinHasher(num_perm=NUM_PERM, ngram=NGRAM, seed=SEED)
    s, t, _ = median_time(lambda: normed.signatures(texts), repeats)
    record(
        "textdedup_normalized",
        s,
        t,
        n,
        "MinHasher() with default KeyConfig (normalize_key per text), default engine",
    )

    s, t, fsig = median_time(lambda: floor.signatures(texts, hasher), repeats)
    record("numba_floor", s, t, n, "tokenize + shingle + minhash compiled with numba, parallel")
    res["numba_floor_equal"] = bool(np.array_equal(fsig, sig))
    s, t, ksig = median_time(lambda: floor.signatures_of(shingles, hasher), repeats)
    record("numba_affine_pass_only", s, t, n, "numba affine pass on textdedup's shingles")
    res["numba_affine_equal"] = bool(np.array_equal(ksig, sig))

    s, t, _ = median_time(lambda: python_shingles(texts), repeats)
    record("python_shingling_only", s, t, n, "str.split + ' '.join 5-grams")

    def rensa_sets() -> Any:
        return RMinHash.digest_matrix_from_token_sets(python_shingles(texts), NUM_PERM, SEED)

    def rensa_rho() -> Any:
        return RMinHash.digest_matrix_from_token_sets_rho(python_shingles(texts), NUM_PERM, SEED)

    s, t, rmat = median_time(rensa_sets, repeats)
    record("rensa_matrix", s, t, n, "python shingling + RMinHash.digest_matrix_from_token_sets")
    s, t, _ = median_time(rensa_rho, repeats)
    record(
        "rensa_matrix_rho", s, t, n, "python shingling + RMinHash.digest_matrix_from_token_sets_rho"
    )
    s, t, _ = median_time(
        lambda: RMinHash.digest_matrix_from_flat_token_hashes(
            shingles.hashes, shingles.offsets.astype(np.uint64), NUM_PERM, SEED
        ),
        repeats,
    )
    record(
        "rensa_flat_hashes_only",
        s,
        t,
        n,
        "rensa kernel on textdedup's shingle hashes (no shingling)",
    )

    sub_texts = texts[:sub]
    sub_sh = python_shingles(sub_texts)

    def ds_update() -> list[Any]:
        out = []
        for sh in sub_sh:
            m = MinHash(num_perm=NUM_PERM, seed=SEED)
            for x in sh:
                m.update(x.encode("utf-8"))
            out.append(m)
        return out

    def ds_bulk() -> list[Any]:
        return MinHash.bulk(
            [[x.encode("utf-8") for x in sh] for sh in python_shingles(sub_texts)],
            num_perm=NUM_PERM,
            seed=SEED,
        )

    s, t, _ = median_time(ds_update, max(1, repeats // 3))
    record("datasketch_update", s, t, sub, "per-token MinHash.update on a subsample")
    s, t, _ = median_time(ds_bulk, max(1, repeats // 3))
    record("datasketch_bulk", s, t, sub, "MinHash.bulk on a subsample")

    tps = {k: v["texts_per_s"] for k, v in eng.items()}
    fastest_rensa = max(("rensa_matrix", "rensa_matrix_rho"), key=lambda k: tps[k])
    floor_same_shingles = 1.0 / (
        1.0 / tps["textdedup_numpy_shingling_only"] + 1.0 / tps["numba_affine_pass_only"]
    )
    res["ratios"] = {
        "vs_fastest_rensa": tps["textdedup"] / tps[fastest_rensa],
        "numpy_vs_fastest_rensa": tps["textdedup_numpy"] / tps[fastest_rensa],
        "fastest_rensa": fastest_rensa,
        "vs_datasketch_update": tps["textdedup"] / tps["datasketch_update"],
        "numpy_vs_datasketch_update": tps["textdedup_numpy"] / tps["datasketch_update"],
        "vs_datasketch_bulk": tps["textdedup"] / tps["datasketch_bulk"],
        "numpy_vs_datasketch_bulk": tps["textdedup_numpy"] / tps["datasketch_bulk"],
        "slowdown_vs_numba_floor": tps["numba_floor"] / tps["textdedup"],
        "unfused_slowdown_vs_numba_floor": tps["numba_floor"] / tps["textdedup_unfused"],
        "numpy_slowdown_vs_numba_floor": tps["numba_floor"] / tps["textdedup_numpy"],
        "numpy_slowdown_vs_numba_affine_same_shingles": floor_same_shingles
        / tps["textdedup_numpy"],
        "default_vs_numpy_engine": tps["textdedup"] / tps["textdedup_numpy"],
        "affine_pass_vs_numba_affine": tps["numba_affine_pass_only"]
        / tps["textdedup_affine_pass_only"],
        "normalized_vs_rensa": tps["textdedup_normalized"] / tps[fastest_rensa],
    }

    # Accuracy on the planted pairs (rensa and datasketch on the pairs' texts).
    left, right, exact = corpus.pair_left, corpus.pair_right, corpus.pair_jaccard
    acc = {"textdedup": accuracy(pair_estimates(sig, left, right), exact)}
    rsig = np.array(rmat.to_rows(), dtype=np.uint64)
    acc["rensa_matrix"] = accuracy(pair_estimates(rsig, left, right), exact)
    k = min(500, left.size)
    idx = np.unique(np.concatenate([left[:k], right[:k]]))
    pos = {int(v): i for i, v in enumerate(idx.tolist())}
    ds = MinHash.bulk(
        [[x.encode() for x in sh] for sh in python_shingles([texts[i] for i in idx])],
        num_perm=NUM_PERM,
        seed=SEED,
    )
    dsig = np.array([m.hashvalues for m in ds])
    li = np.array([pos[int(v)] for v in left[:k]])
    ri = np.array([pos[int(v)] for v in right[:k]])
    acc["datasketch_bulk"] = accuracy(pair_estimates(dsig, li, ri), exact[:k])
    res["accuracy"] = acc
    print(
        "  accuracy:",
        json.dumps({k: {x: round(y, 4) for x, y in v.items()} for k, v in acc.items()}),
        flush=True,
    )
    return res


# --------------------------------------------------------------------------- section 2


def rensa_bands(threshold: float) -> int:
    """Bands for rensa (which needs ``num_perm % bands == 0``), by the same error criterion."""
    from textdedup.lsh import _area

    best = min(
        (b for b in range(1, NUM_PERM + 1) if NUM_PERM % b == 0),
        key=lambda b: (
            _area(b, NUM_PERM // b, 0.0, threshold, miss=False)
            + _area(b, NUM_PERM // b, threshold, 1.0, miss=True)
        ),
    )
    return best


def bench_candidates(corpus: Any, repeats: int) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH
    from rensa import RMinHash, RMinHashLSH

    from textdedup.lsh import band_keys, candidate_pairs, lsh_params
    from textdedup.minhash import MinHasher

    texts = corpus.texts
    n = len(texts)
    sig = MinHasher(num_perm=NUM_PERM, ngram=NGRAM, seed=SEED, key=None).signatures(texts)
    params = lsh_params(THRESHOLD, NUM_PERM)
    res: dict[str, Any] = {
        "n_texts": n,
        "threshold": THRESHOLD,
        "bands": params.bands,
        "rows": params.rows,
        "engines": {},
    }
    eng = res["engines"]
    truth_hi = {
        (a, b)
        for a, b, j in zip(
            corpus.pair_left.tolist(),
            corpus.pair_right.tolist(),
            corpus.pair_jaccard.tolist(),
            strict=True,
        )
        if j >= THRESHOLD
    }

    def record(
        name: str, seconds: float, times: list[float], pairs: set[tuple[int, int]], note: str
    ) -> None:
        found = len(pairs & truth_hi)
        eng[name] = {
            "seconds": seconds,
            "times": times,
            "candidates": len(pairs),
            "recall_of_pairs_at_threshold": found / max(len(truth_hi), 1),
            "note": note,
        }
        recall = eng[name]["recall_of_pairs_at_threshold"]
        print(
            f"  {name:32s} {seconds:8.3f} s  {len(pairs):8d} pairs  recall {recall:.3f}",
            flush=True,
        )

    def ours() -> Any:
        return candidate_pairs(band_keys(sig, params))

    s, t, p = median_time(ours, repeats)
    record(
        "textdedup",
        s,
        t,
        set(zip(p.left.tolist(), p.right.tolist(), strict=True)),
        "band_keys + candidate_pairs",
    )

    def as_pairs(results: list[list[int]]) -> set[tuple[int, int]]:
        return {(min(i, j), max(i, j)) for i, r in enumerate(results) for j in r if j != i}

    # rensa: its own digests of the same shingles (its LSH only takes its own MinHash type).
    sh = python_shingles(texts)
    robjs = RMinHash.from_token_sets(sh, NUM_PERM, SEED)
    rmat = RMinHash.digest_matrix_from_token_sets(sh, NUM_PERM, SEED)

    # rensa needs bands dividing num_perm: take the divisor datasketch's criterion prefers.
    rbands = rensa_bands(THRESHOLD)
    res["rensa_bands"] = rbands

    def rensa_lsh() -> list[list[int]]:
        lsh = RMinHashLSH(THRESHOLD, NUM_PERM, rbands)
        lsh.insert_matrix(rmat)
        return lsh.query_all(robjs)

    s, t, r = median_time(rensa_lsh, repeats)
    record(
        "rensa_lsh",
        s,
        t,
        as_pairs(r),
        f"RMinHashLSH(num_bands={rbands}).insert_matrix + query_all",
    )

    def rensa_flags() -> list[bool]:
        lsh = RMinHashLSH(THRESHOLD, NUM_PERM, rbands)
        return lsh.insert_matrix_and_query_duplicate_flags(rmat)

    s, t, _ = median_time(rensa_flags, repeats)
    eng["rensa_flags_only"] = {
        "seconds": s,
        "times": t,
        "note": "insert_matrix_and_query_duplicate_flags: flags, not pairs",
    }
    print(f"  {'rensa_flags_only':32s} {s:8.3f} s  (flags only, no pairs)", flush=True)

    dmh = [
        MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=row.astype(np.uint64), scheme="affine32")
        for row in np.asarray(sig)
    ]

    def ds_lsh() -> list[list[int]]:
        lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, params=(params.bands, params.rows))
        with lsh.insertion_session() as session:
            for i, m in enumerate(dmh):
                session.insert(i, m)
        return [lsh.query(m) for m in dmh]

    s, t, r = median_time(ds_lsh, max(1, repeats // 2))
    record(
        "datasketch_lsh", s, t, as_pairs(r), "MinHashLSH insert + query on textdedup's signatures"
    )
    base = eng["textdedup"]["seconds"]
    res["ratios"] = {
        "vs_rensa_lsh": eng["rensa_lsh"]["seconds"] / base,
        "vs_rensa_flags_only": eng["rensa_flags_only"]["seconds"] / base,
        "vs_datasketch_lsh": eng["datasketch_lsh"]["seconds"] / base,
    }
    return res


# --------------------------------------------------------------------------- section 3


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak_rss() -> int:
    """Reset the kernel's peak-RSS mark (Linux) so it covers only what follows; current RSS, KiB.

    Corpus generation happens before, and its own peak must not count.
    """
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_rss() -> int:
    """Peak RSS in KiB since the last :func:`reset_peak_rss`."""
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def e2e_child(engine: str, n: int, seed: int) -> dict[str, Any]:
    """One end-to-end run in this (fresh) process: text -> verified clusters."""
    from data import make_corpus

    corpus = make_corpus(n, seed=seed)
    texts = corpus.texts
    warmup = 0.0
    if engine.startswith("textdedup"):
        from textdedup.minhash import MinHasher

        hasher = MinHasher(
            num_perm=NUM_PERM,
            ngram=NGRAM,
            seed=SEED,
            key=None,
            engine="numpy" if engine == "textdedup_numpy" else "auto",
        )
        # Load (or compile) the numba kernels before the clock: a one-off per process,
        # reported by section 1's cold-start numbers.
        t0 = time.perf_counter()
        hasher.signatures_of(hasher.shingles(texts[:10]))
        warmup = time.perf_counter() - t0
    rss_before = reset_peak_rss()
    t0 = time.perf_counter()
    if engine.startswith("textdedup"):
        from textdedup.cluster import connected_components
        from textdedup.lsh import band_keys, candidate_pairs, lsh_params
        from textdedup.verify import jaccard_scores

        shingles = hasher.shingles(texts)
        sig = hasher.signatures_of(shingles)
        params = lsh_params(LSH_THRESHOLD, NUM_PERM)
        cand = candidate_pairs(band_keys(sig, params))
        score = jaccard_scores(shingles, cand.left, cand.right)
        ok = score >= THRESHOLD
        left, right = cand.left[ok], cand.right[ok]
        labels = connected_components(len(texts), left, right)
        n_cand = len(cand)
    elif engine == "datasketch":
        from datasketch import MinHash, MinHashLSH

        from run import python_shingles

        sets = [set(s) for s in python_shingles(texts)]
        mhs = MinHash.bulk([[x.encode() for x in s] for s in sets], num_perm=NUM_PERM, seed=SEED)
        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        with lsh.insertion_session() as session:
            for i, m in enumerate(mhs):
                session.insert(i, m)
        cands = {(min(i, j), max(i, j)) for i, m in enumerate(mhs) for j in lsh.query(m) if j != i}
        n_cand = len(cands)
        keep = []
        for i, j in sorted(cands):
            union = len(sets[i] | sets[j])
            if union and len(sets[i] & sets[j]) / union >= THRESHOLD:
                keep.append((i, j))
        parent = list(range(len(texts)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, j in keep:
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
        labels = np.array([find(i) for i in range(len(texts))])
        left = np.array([i for i, _ in keep], dtype=np.int64)
        right = np.array([j for _, j in keep], dtype=np.int64)
    else:
        raise ValueError(f"engine must be textdedup[_numpy] or datasketch, got {engine!r}")
    seconds = time.perf_counter() - t0
    rss_after = peak_rss()
    truth = {
        (a, b)
        for a, b, j in zip(
            corpus.pair_left.tolist(),
            corpus.pair_right.tolist(),
            corpus.pair_jaccard.tolist(),
            strict=True,
        )
        if j >= THRESHOLD
    }
    found = set(zip(left.tolist(), right.tolist(), strict=True))
    tp = len(found & truth)
    return {
        "engine": engine,
        "n_texts": n,
        "seconds": seconds,
        "warmup_s": warmup,
        "texts_per_s": n / seconds,
        "candidates": n_cand,
        "verified_pairs": len(found),
        "true_pairs": len(truth),
        "precision": tp / max(len(found), 1),
        "recall": tp / max(len(truth), 1),
        "clusters": int(np.sum(np.bincount(labels, minlength=len(texts)) > 1)),
        "peak_rss_mb": rss_after / 1024,
        "rss_before_mb": rss_before / 1024,
        "rss_delta_mb": (rss_after - rss_before) / 1024,
    }


def run_child(engine: str, n: int, seed: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    out = subprocess.run(
        [
            sys.executable,
            str(HERE / "run.py"),
            "--child",
            engine,
            "--n",
            str(n),
            "--seed",
            str(seed),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_e2e(n: int, repeats: int, numpy_repeats: int, ds_repeats: int) -> dict[str, Any]:
    res: dict[str, Any] = {
        "n_texts": n,
        "threshold": THRESHOLD,
        "lsh_threshold": LSH_THRESHOLD,
        "engines": {},
    }
    for engine, reps in (
        ("textdedup", repeats),
        ("textdedup_numpy", numpy_repeats),
        ("datasketch", ds_repeats),
    ):
        runs = [run_child(engine, n, 0) for _ in range(reps)]
        summary = dict(runs[-1])
        summary["seconds"] = float(np.median([r["seconds"] for r in runs]))
        summary["times"] = [r["seconds"] for r in runs]
        summary["texts_per_s"] = n / summary["seconds"]
        summary["peak_rss_mb"] = float(np.median([r["peak_rss_mb"] for r in runs]))
        res["engines"][engine] = summary
        print(
            f"  {engine:16s} {summary['seconds']:8.3f} s"
            f"  P={summary['precision']:.3f} R={summary['recall']:.3f}"
            f"  peak RSS {summary['peak_rss_mb']:.0f} MB (+{summary['rss_delta_mb']:.0f} MB)",
            flush=True,
        )
    e = res["engines"]
    res["ratios"] = {
        "vs_datasketch": e["datasketch"]["seconds"] / e["textdedup"]["seconds"],
        "numpy_vs_datasketch": e["datasketch"]["seconds"] / e["textdedup_numpy"]["seconds"],
        "default_vs_numpy_engine": e["textdedup_numpy"]["seconds"] / e["textdedup"]["seconds"],
    }
    return res


def bench_scale(sizes: list[int], numpy_sizes: list[int], repeats: int) -> dict[str, Any]:
    res: dict[str, Any] = {"engine": "textdedup"}
    for key, engine, ns in (
        ("points", "textdedup", sizes),
        ("numpy_points", "textdedup_numpy", numpy_sizes),
    ):
        print(f"  {engine}", flush=True)
        res[key] = _scale(engine, ns, repeats)
    pts = res["points"]
    # Near-linear means a flat time per text: the largest point against the smallest.
    res["time_per_text_growth"] = (pts[-1]["seconds"] / pts[-1]["n_texts"]) / (
        pts[0]["seconds"] / pts[0]["n_texts"]
    )
    return res


def _scale(engine: str, sizes: list[int], repeats: int) -> list[dict[str, Any]]:
    points = []
    for n in sizes:
        # Above 100k a point costs minutes (the corpus alone takes ~80 s at 1M): one run.
        runs = [run_child(engine, n, 1) for _ in range(repeats if n <= 100_000 else 1)]
        sec = float(np.median([r["seconds"] for r in runs]))
        point = {
            **runs[-1],
            "seconds": sec,
            "times": [r["seconds"] for r in runs],
            "texts_per_s": n / sec,
        }
        points.append(point)
        print(
            f"  n={n:8d} {sec:8.3f} s  {n / sec:10.0f} texts/s"
            f"  peak RSS {point['peak_rss_mb']:.0f} MB"
            f"  R={point['recall']:.3f} P={point['precision']:.3f}",
            flush=True,
        )
    return points


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small corpus and few repeats (~1 min)")
    ap.add_argument("--million", action="store_true", help="add 1M texts to the scale curve")
    ap.add_argument("--out", type=Path, default=None, help="JSON output path")
    ap.add_argument(
        "--child", choices=["textdedup", "textdedup_numpy", "datasketch"], help=argparse.SUPPRESS
    )
    ap.add_argument("--n", type=int, default=20_000, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(e2e_child(args.child, args.n, args.seed)))
        return 0

    from data import make_corpus

    n = 5_000 if args.quick else 20_000
    repeats = 3 if args.quick else 7
    sub = 300 if args.quick else 1_000
    sizes = [10_000, 30_000] if args.quick else [10_000, 30_000, 100_000, 300_000, 1_000_000]
    numpy_sizes = [10_000, 30_000] if args.quick else [10_000, 30_000, 100_000]
    if args.million:
        numpy_sizes.append(1_000_000)
    started = time.time()
    corpus = make_corpus(n, seed=0)
    print(f"corpus: {n} texts, {corpus.pair_left.size} planted pairs", flush=True)
    from importlib.metadata import version

    import datasketch
    import numba
    import rensa  # noqa: F401

    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            # The machine is shared: a load above the CPU count means other work ran too.
            "load_average_at_start": os.getloadavg(),
        },
        "versions": {
            "numpy": np.__version__,
            "datasketch": datasketch.__version__,
            "rensa": version("rensa"),
            "numba": numba.__version__,
        },
        "settings": {
            "num_perm": NUM_PERM,
            "ngram": NGRAM,
            "unit": "word",
            "seed": SEED,
            "threshold": THRESHOLD,
            "repeats": repeats,
        },
    }
    print("[1/4] text -> signatures", flush=True)
    results["signatures"] = bench_signatures(corpus, repeats, sub)
    print("[2/4] candidate generation", flush=True)
    results["candidates"] = bench_candidates(corpus, repeats)
    print("[3/4] end to end", flush=True)
    if args.quick:
        results["end_to_end"] = bench_e2e(n, 3, 3, 1)
    else:
        results["end_to_end"] = bench_e2e(n, 5, 5, 3)
        print("[3/4] end to end, 100k texts", flush=True)
        results["end_to_end_100k"] = bench_e2e(100_000, 3, 1, 1)
    print("[4/4] scale curve", flush=True)
    results["scale"] = bench_scale(sizes, numpy_sizes, 1 if args.quick else 3)
    results["wall_seconds"] = time.time() - started
    results["machine"]["load_average_at_end"] = os.getloadavg()
    out = args.out or HERE / "results" / ("quick.json" if args.quick else "full.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n")
    tmp.replace(out)
    print(f"wrote {out} in {results['wall_seconds']:.0f} s", flush=True)
    print(
        json.dumps(
            {
                k: results[k]["ratios"]
                for k in ("signatures", "candidates", "end_to_end", "end_to_end_100k")
                if k in results
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
