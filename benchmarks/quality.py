"""Detection quality on labelled data: precision, recall, F1 on pairs, ARI on clusters.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/quality.py            # ~3 min on 2 cores
    PYTHONPATH=src .venv/bin/python benchmarks/quality_plot.py       # PNG from the JSON

Sections (all seeded; results in ``benchmarks/results/quality.json``):

1. ``clough``: the Clough & Stevenson corpus of short answers
   (``/work/shared/data/clough-stevenson``). Each of the 95 answers is paired with its
   task's Wikipedia source; ``cut`` and ``light`` answers are positives, ``heavy`` and
   ``non`` negatives. For each setting (word or char n-grams, n, score = Jaccard or
   containment ``|A & B| / |A|`` with A the answer, num_perm) and each threshold on a
   grid, three detectors are scored:

   * ``oracle``: the exact score of the pair >= threshold (no MinHash, no LSH);
   * ``lsh_verify``: the pair shares an LSH band (bands from ``DedupConfig.lsh()``, misses
     weighed 9:1) and its exact score >= threshold (what ``dedup`` does);
   * ``lsh_only``: the pair shares a band (equal weights) and the MinHash-estimated score
     >= threshold (``--verify none``). Containment is estimated from the estimated
     Jaccard and the exact set sizes: ``C = J (|A| + |B|) / ((1 + J) |A|)``.

   For containment, LSH runs at the Jaccard threshold a containment threshold implies
   for the median answer and source sizes. Thresholds are reported two ways: the best
   threshold chosen on all 95 pairs (in-sample, optimistic), and leave-one-task-out
   (choose on four tasks, apply to the fifth, pool the five held-out predictions).
   Clusters: all 100 texts are compared with each other (LSH candidates over the
   corpus, then the score; containment as ``|A & B| / min(|A|, |B|)``), connected
   components form the clusters, and the truth is one cluster per task of the source
   with its cut and light answers, every other text alone. ARI at the in-sample threshold.

2. ``synthetic``: ``textdedup.synthetic.planted_corpus`` corpora (exact and near copies
   at a known word-substitution rate; paragraph reuse is not a document duplicate),
   run through the real :class:`textdedup.engine.Engine`; pairs are scored by pair
   counting over the clusters, against an exact-Jaccard oracle over all pairs.

3. ``params``: :func:`textdedup.params.lsh_report`'s predicted candidate probability against
   the measured candidate rate on shingle sets planted at exact Jaccard values.

Nothing runs at import.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import platform
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from textdedup.cluster import connected_components  # noqa: E402
from textdedup.engine import DedupConfig, Engine  # noqa: E402
from textdedup.lsh import LSHParams, band_keys, candidate_pairs  # noqa: E402
from textdedup.minhash import MinHasher  # noqa: E402
from textdedup.normalize import normalize_key  # noqa: E402
from textdedup.shingle import Shingles, shingle_hashes  # noqa: E402
from textdedup.synthetic import planted_corpus  # noqa: E402

CLOUGH = Path("/work/shared/data/clough-stevenson")
SEED = 1
GRID = np.round(np.arange(0.01, 0.901, 0.01), 2)
Arr = npt.NDArray[Any]
# The setting chosen before measuring: the oracle's word 3-gram Jaccard, num_perm 128.
CHOSEN = ("word", 3, "jaccard", 128)

# Settings measured on Clough: (unit, ngram, score, num_perm).
CLOUGH_SETTINGS = [
    (unit, n, score, num_perm)
    for unit, ns in (("word", (2, 3, 4, 5)), ("char", (5, 8, 10)))
    for n in ns
    for score in ("jaccard", "containment")
    for num_perm in (128, 256, 512)
]


# -- metrics --------------------------------------------------------------------------------


def prf(pred: Arr, truth: Arr) -> dict[str, float]:
    """Precision, recall and F1 of boolean predictions (0 when undefined)."""
    tp = int((pred & truth).sum())
    p = tp / int(pred.sum()) if pred.any() else 0.0
    r = tp / int(truth.sum()) if truth.any() else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp}


def _comb2(x: Arr) -> float:
    return float((x * (x - 1) / 2).sum())


def adjusted_rand_index(truth: Arr, pred: Arr) -> float:
    """ARI of two labelings (Hubert and Arabie), written out so no sklearn is needed.

    >>> adjusted_rand_index(np.array([0, 0, 1, 1]), np.array([5, 5, 7, 7]))
    1.0
    """
    _, t = np.unique(truth, return_inverse=True)
    _, p = np.unique(pred, return_inverse=True)
    n = t.size
    _, cells = np.unique(t * (p.max() + 1) + p, return_counts=True)
    index = _comb2(cells)
    a, b = _comb2(np.bincount(t)), _comb2(np.bincount(p))
    expected = a * b / (n * (n - 1) / 2)
    top = (a + b) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def pair_truth(labels: Arr) -> set[tuple[int, int]]:
    """Pairs of items that share a label."""
    order = np.argsort(labels, kind="stable")
    out: set[tuple[int, int]] = set()
    for group in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1):
        g = sorted(group.tolist())
        out.update((g[i], g[j]) for i in range(len(g)) for j in range(i + 1, len(g)))
    return out


def pair_counting(truth: Arr, pred: Arr) -> dict[str, float]:
    """Precision/recall/F1 over pairs of items put in one cluster."""
    t, p = pair_truth(truth), pair_truth(pred)
    tp = len(t & p)
    prec = tp / len(p) if p else 1.0
    rec = tp / len(t) if t else 1.0
    f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f, 4)}


# -- shared pieces --------------------------------------------------------------------------


@cache
def lsh_for(threshold: float, num_perm: int, verify: bool) -> LSHParams:
    """The engine's bands and rows for these settings (remembered: the search is slow)."""
    v = "jaccard" if verify else "none"
    return DedupConfig(threshold=float(threshold), num_perm=num_perm, verify=v).lsh()


def unique_sets(sh: Shingles) -> list[Arr]:
    return [
        np.unique(sh.hashes[sh.offsets[i] : sh.offsets[i + 1]]) for i in range(sh.offsets.size - 1)
    ]


def intersections(sets: list[Arr]) -> Arr:
    """|A & B| for every pair of sets, as a matrix."""
    n = len(sets)
    out = np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        out[i, i] = sets[i].size
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = np.intersect1d(sets[i], sets[j], assume_unique=True).size
    return out


# -- 1. Clough & Stevenson ------------------------------------------------------------------


def load_clough() -> dict[str, Any]:
    """Texts (95 answers, then the 5 sources), labels and tasks of the labelled pairs."""
    rows = list(csv.DictReader((CLOUGH / "file_information.csv").open(encoding="utf-8")))

    def read(name: str) -> str:
        return (CLOUGH / name).read_text(encoding="utf-8", errors="replace")

    answers = [r for r in rows if r["Category"] != "orig"]
    tasks = sorted({r["Task"] for r in answers})
    texts = [read(r["File"]) for r in answers] + [read(f"orig_task{t}.txt") for t in tasks]
    source_of = {t: len(answers) + k for k, t in enumerate(tasks)}
    cats = [r["Category"] for r in answers]
    truth_cluster = np.arange(len(texts))
    for i, r in enumerate(answers):
        if r["Category"] in ("cut", "light"):
            truth_cluster[i] = source_of[r["Task"]]
    return {
        "texts": texts,
        "keys": [normalize_key(t) for t in texts],
        "answer": np.arange(len(answers)),
        "source": np.array([source_of[r["Task"]] for r in answers]),
        "task": np.array([r["Task"] for r in answers]),
        "category": cats,
        "positive": np.array([c in ("cut", "light") for c in cats]),
        "truth_cluster": truth_cluster,
        "files": [r["File"] for r in answers],
    }


def implied_jaccard(containment: float, a: float, b: float) -> float:
    """The Jaccard similarity of sets of sizes ``a`` and ``b`` whose containment of A is given."""
    return containment * a / (a + b - containment * a)


def clough_setting(
    data: dict[str, Any], unit: str, ngram: int, score: str, num_perm: int, seed: int = SEED
) -> dict[str, Any]:
    keys = data["keys"]
    ans, src, y = data["answer"], data["source"], data["positive"]
    sh = shingle_hashes(keys, ngram=ngram, unit=unit)  # type: ignore[arg-type]
    sets = unique_sets(sh)
    inter = intersections(sets)
    size = np.diag(inter).astype(np.float64)
    union = size[:, None] + size[None, :] - inter
    jac = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    hasher = MinHasher(num_perm=num_perm, ngram=ngram, unit=unit, seed=seed, key=None)  # type: ignore[arg-type]
    sig = np.asarray(hasher.signatures_of(sh))
    est = np.zeros_like(jac)
    for i in range(sig.shape[0]):
        est[i] = (sig[i][None, :] == sig).mean(axis=1)
    if score == "jaccard":
        exact_pair, est_pair = jac[ans, src], est[ans, src]
        exact_all, est_all = jac, est
    else:
        # Pairs: the answer's share found in the source. Corpus: the smaller set's share.
        exact_pair = inter[ans, src] / size[ans]
        est_pair = est[ans, src] * (size[ans] + size[src]) / ((1 + est[ans, src]) * size[ans])
        small = np.minimum(size[:, None], size[None, :])
        exact_all = inter / np.maximum(small, 1)
        est_all = est * (size[:, None] + size[None, :]) / ((1 + est) * np.maximum(small, 1))
    a_med, b_med = float(np.median(size[ans])), float(np.median(size[np.unique(src)]))

    def lsh_threshold(t: float) -> float:
        if score == "jaccard":
            return float(t)
        return round(implied_jaccard(t, a_med, b_med), 2)

    methods: dict[str, dict[str, Any]] = {}
    preds: dict[str, list[Arr]] = {"oracle": [], "lsh_verify": [], "lsh_only": []}
    cand_rate: dict[str, list[float]] = {"lsh_verify": [], "lsh_only": []}
    keys_cache: dict[tuple[float, bool], Arr] = {}

    def bkeys(t: float, verify: bool) -> Arr:
        k = (lsh_threshold(t), verify)
        if k not in keys_cache:
            keys_cache[k] = band_keys(sig, lsh_for(k[0], num_perm, verify))
        return keys_cache[k]

    for t in GRID:
        preds["oracle"].append(exact_pair >= t)
        for name, verify, values in (
            ("lsh_verify", True, exact_pair),
            ("lsh_only", False, est_pair),
        ):
            bk = bkeys(t, verify)
            cand = (bk[ans] == bk[src]).any(axis=1)
            preds[name].append(cand & (values >= t - 1e-12))
            cand_rate[name].append(float(cand[~y].mean()))
    for name, plist in preds.items():
        curve = [prf(p, y)["f1"] for p in plist]
        best = int(np.argmax(curve))
        t_best = float(GRID[best])
        loto = np.zeros_like(y)
        chosen = {}
        for task in np.unique(data["task"]):
            train = data["task"] != task
            f1s = [prf(p[train], y[train])["f1"] for p in plist]
            k = int(np.argmax(f1s))
            chosen[str(task)] = float(GRID[k])
            loto[~train] = plist[k][~train]
        # Clusters over all 100 texts at the in-sample threshold.
        n = len(keys)
        if name == "oracle":
            iu = np.triu_indices(n, 1)
            hit = exact_all[iu] >= t_best
            left, right = iu[0][hit], iu[1][hit]
        else:
            verify = name == "lsh_verify"
            cp = candidate_pairs(bkeys(t_best, verify))
            vals = (exact_all if verify else est_all)[cp.left, cp.right]
            ok = vals >= t_best - 1e-12
            left, right = cp.left[ok], cp.right[ok]
        labels = connected_components(n, left, right)
        corpus_pairs = None if name == "oracle" else len(cp)
        methods[name] = {
            "f1_curve": curve,
            "best": {"threshold": t_best, **prf(plist[best], y)},
            "loto": {"thresholds": chosen, **prf(loto, y)},
            "ari": round(adjusted_rand_index(data["truth_cluster"], labels), 4),
            "negative_candidate_rate": cand_rate[name][best] if name in cand_rate else None,
            "corpus_candidate_pairs": corpus_pairs,
        }
        if name != "oracle":
            p = lsh_for(lsh_threshold(t_best), num_perm, name == "lsh_verify")
            methods[name]["lsh"] = {
                "threshold": lsh_threshold(t_best),
                "bands": p.bands,
                "rows": p.rows,
            }
    return {
        "unit": unit,
        "ngram": ngram,
        "score": score,
        "num_perm": num_perm,
        "median_by_category": {
            c: round(float(np.median(exact_pair[np.array(data["category"]) == c])), 4)
            for c in ("cut", "light", "heavy", "non")
        },
        "methods": methods,
    }


def clough_section(quick: bool) -> dict[str, Any]:
    data = load_clough()
    settings = CLOUGH_SETTINGS
    if quick:
        settings = [s for s in settings if s[3] == 128 and s[1] in (3, 5)]
    out = []
    for unit, ngram, score, num_perm in settings:
        t0 = time.perf_counter()
        res = clough_setting(data, unit, ngram, score, num_perm)
        out.append(res)
        m = res["methods"]
        print(
            f"clough {unit}-{ngram} {score:11s} perm {num_perm:3d}: "
            f"F1 oracle {m['oracle']['best']['f1']:.3f} / LOTO {m['oracle']['loto']['f1']:.3f}, "
            f"lsh+verify {m['lsh_verify']['best']['f1']:.3f} / "
            f"{m['lsh_verify']['loto']['f1']:.3f}, "
            f"lsh only {m['lsh_only']['best']['f1']:.3f} / {m['lsh_only']['loto']['f1']:.3f} "
            f"({time.perf_counter() - t0:.1f}s)",
            file=sys.stderr,
        )
    # MinHash is random: rerun the best settings with other seeds to see how much of a
    # difference between settings is luck (one pair moves F1 by about 0.013 here).
    # The first pair is chosen before looking (the oracle's own shingling, dedup's defaults
    # otherwise); the other two are the best after the fact, so selection-biased.
    chosen = next(x for x in out if (x["unit"], x["ngram"], x["score"], x["num_perm"]) == CHOSEN)
    spread = []
    for name, top in (
        ("lsh_verify", chosen),
        ("lsh_only", chosen),
        ("lsh_verify", max(out, key=lambda s: s["methods"]["lsh_verify"]["best"]["f1"])),
        ("lsh_only", max(out, key=lambda s: s["methods"]["lsh_only"]["best"]["f1"])),
    ):
        f1s, loto = [], []
        for seed in range(1, 11):
            res = clough_setting(
                data, top["unit"], top["ngram"], top["score"], top["num_perm"], seed
            )
            f1s.append(res["methods"][name]["best"]["f1"])
            loto.append(res["methods"][name]["loto"]["f1"])
        spread.append(
            {
                "method": name,
                "chosen_before_measuring": top is chosen,
                "setting": {k: top[k] for k in ("unit", "ngram", "score", "num_perm")},
                "seeds": list(range(1, 11)),
                "best_f1": f1s,
                "loto_f1": loto,
                "best_f1_mean": round(float(np.mean(f1s)), 4),
                "loto_f1_mean": round(float(np.mean(loto)), 4),
            }
        )
        print(f"seed spread {name}: {spread[-1]}", file=sys.stderr)
    return {
        "seed_spread": spread,
        "data": str(CLOUGH),
        "pairs": int(data["positive"].size),
        "positives": int(data["positive"].sum()),
        "grid": GRID.tolist(),
        "settings": out,
    }


# -- 2. synthetic ---------------------------------------------------------------------------


def oracle_labels(keys: list[str], ngram: int, threshold: float) -> Arr:
    """Connected components of all pairs whose exact word-n-gram Jaccard >= threshold."""
    sh = shingle_hashes(keys, ngram=ngram, unit="word")
    sets = unique_sets(sh)
    doc = np.concatenate([np.full(s.size, i) for i, s in enumerate(sets)])
    hashes = np.concatenate(sets)
    order = np.lexsort((doc, hashes))
    hashes, doc = hashes[order], doc[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    sizes = np.diff(np.r_[starts, hashes.size])
    counts: dict[tuple[int, int], int] = {}
    for s, k in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        members = doc[s : s + k].tolist()
        for i in range(k):
            for j in range(i + 1, k):
                pair = (members[i], members[j])
                counts[pair] = counts.get(pair, 0) + 1
    left, right = [], []
    for (i, j), c in counts.items():
        if c / (sets[i].size + sets[j].size - c) >= threshold:
            left.append(i)
            right.append(j)
    return connected_components(
        len(keys), np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)
    )


def synthetic_section(quick: bool) -> dict[str, Any]:
    n = 600 if quick else 1500
    thresholds = [0.3, 0.5, 0.7, 0.8, 0.9]
    settings = [("word", 3, 128), ("word", 5, 128), ("word", 5, 256), ("char", 8, 128)]
    if quick:
        settings = settings[:2]
    out = []
    for edit_rate in (0.03, 0.1, 0.2):
        corpus = planted_corpus(
            n, seed=11, near=0.15, exact=0.05, paragraph=0.05, edit_rate=edit_rate
        )
        ids = [str(r["id"]) for r in corpus.records]
        pos = {rid: i for i, rid in enumerate(ids)}
        truth = np.array([pos[d] if d is not None else i for i, d in enumerate(corpus.dup_of)])
        keys = [normalize_key(str(r["text"])) for r in corpus.records]
        rows: list[dict[str, Any]] = []
        for t in thresholds:
            for ngram in sorted({g for u, g, _ in settings if u == "word"}):
                labels = oracle_labels(keys, ngram, t)
                rows.append(
                    {
                        "method": "oracle",
                        "shingle": "word",
                        "ngram": ngram,
                        "num_perm": None,
                        "verify": None,
                        "threshold": t,
                        **pair_counting(truth, labels),
                        "ari": round(adjusted_rand_index(truth, labels), 4),
                    }
                )
            for unit, ngram, num_perm in settings:
                for verify in ("jaccard", "none"):
                    cfg = DedupConfig(
                        threshold=t,
                        ngram=ngram,
                        shingle=unit,
                        num_perm=num_perm,
                        verify=verify,  # type: ignore[arg-type]
                    )
                    engine = Engine(cfg)
                    for k in keys:
                        engine.add(k)
                    dec = engine.solve()
                    engine.close()
                    labels = np.where(dec.cluster >= 0, dec.cluster, np.arange(n))
                    rows.append(
                        {
                            "method": "engine",
                            "shingle": unit,
                            "ngram": ngram,
                            "num_perm": num_perm,
                            "verify": verify,
                            "threshold": t,
                            **pair_counting(truth, labels),
                            "ari": round(adjusted_rand_index(truth, labels), 4),
                            "candidates": dec.candidates,
                        }
                    )
        print(f"synthetic edit rate {edit_rate}: {len(rows)} runs", file=sys.stderr)
        out.append(
            {
                "edit_rate": edit_rate,
                "n": n,
                "planted_pairs": len(pair_truth(truth)),
                "kinds": {k: corpus.kind.count(k) for k in ("base", "exact", "near", "paragraph")},
                "rows": rows,
            }
        )
    return {"seed": 11, "corpora": out}


# -- 3. params vs measured ------------------------------------------------------------------


def params_section(pairs: int) -> dict[str, Any]:
    from textdedup.params import lsh_report

    union = 40
    sims = np.round(np.arange(0.3, 0.951, 0.05), 2)
    rng = np.random.default_rng(12345)
    out = []
    for threshold, num_perm, verify in ((0.8, 128, True), (0.5, 128, False), (0.7, 64, True)):
        report = lsh_report(threshold, num_perm=num_perm, verify=verify)
        hasher = MinHasher(num_perm=num_perm, seed=7, key=None)
        rows = []
        for s in sims:
            shared = round(s * union)
            only_a = (union - shared) // 2
            pool = rng.integers(0, 2**64, (pairs, union), dtype=np.uint64)
            a = pool[:, : shared + only_a]
            b = np.concatenate([pool[:, :shared], pool[:, shared + only_a :]], axis=1)
            hashes = np.concatenate([a, b], axis=1).ravel()
            sizes = np.tile([a.shape[1], b.shape[1]], pairs)
            sh = Shingles(hashes, np.r_[0, np.cumsum(sizes)].astype(np.int64))
            bk = band_keys(np.asarray(hasher.signatures_of(sh)), report.lsh)
            measured = float((bk[0::2] == bk[1::2]).any(axis=1).mean())
            jac = shared / union
            rows.append(
                {
                    "jaccard": jac,
                    "predicted": round(report.probability(jac), 4),
                    "measured": round(measured, 4),
                }
            )
        dev = max(abs(r["predicted"] - r["measured"]) for r in rows)
        out.append(
            {
                "threshold": threshold,
                "num_perm": num_perm,
                "verify": verify,
                "bands": report.bands,
                "rows": report.rows,
                "pairs_per_point": pairs,
                "max_abs_deviation": round(dev, 4),
                "points": rows,
            }
        )
        print(
            f"params t={threshold} perm={num_perm}: max |pred - measured| {dev:.4f}",
            file=sys.stderr,
        )
    return {"cases": out}


# -- summary --------------------------------------------------------------------------------


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """The headline: best MinHash+LSH setting on Clough vs the word-3 Jaccard oracle."""
    settings = results["clough"]["settings"]
    oracle = next(
        s for s in settings if (s["unit"], s["ngram"], s["score"]) == ("word", 3, "jaccard")
    )["methods"]["oracle"]
    # Best over every setting, chosen after measuring: selection-biased (see seed_spread).
    best: dict[str, Any] = {}
    for name in ("lsh_verify", "lsh_only"):
        top = max(
            settings,
            key=lambda s: (
                s["methods"][name]["best"]["f1"],
                s["methods"][name]["loto"]["f1"],
                -s["num_perm"],
            ),
        )
        best[name] = {
            "setting": {k: top[k] for k in ("unit", "ngram", "score", "num_perm")},
            "best": top["methods"][name]["best"],
            "loto": top["methods"][name]["loto"],
            "ari": top["methods"][name]["ari"],
            "lsh": top["methods"][name]["lsh"],
        }
    best_loto = max(settings, key=lambda s: s["methods"]["lsh_verify"]["loto"]["f1"])
    chosen = next(
        s for s in settings if (s["unit"], s["ngram"], s["score"], s["num_perm"]) == CHOSEN
    )
    return {
        "chosen_setting": {
            "setting": dict(zip(("unit", "ngram", "score", "num_perm"), CHOSEN, strict=True)),
            **{
                name: {
                    k: chosen["methods"][name][k]
                    for k in ("best", "loto", "ari", "lsh", "negative_candidate_rate")
                }
                for name in ("lsh_verify", "lsh_only")
            },
        },
        "seed_spread": results["clough"]["seed_spread"],
        "oracle_word3_jaccard": {
            "best": oracle["best"],
            "loto": oracle["loto"],
            "ari": oracle["ari"],
        },
        "best_over_settings_after_the_fact": best,
        "best_loto_lsh_verify": {
            "setting": {k: best_loto[k] for k in ("unit", "ngram", "score", "num_perm")},
            "best": best_loto["methods"]["lsh_verify"]["best"],
            "loto": best_loto["methods"]["lsh_verify"]["loto"],
        },
        "params_max_abs_deviation": max(c["max_abs_deviation"] for c in results["params"]["cases"]),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer settings, smaller corpora")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "quality.json")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    runs: dict[str, Callable[[], dict[str, Any]]] = {
        "clough": lambda: clough_section(args.quick),
        "synthetic": lambda: synthetic_section(args.quick),
        "params": lambda: params_section(1000 if args.quick else 4000),
    }
    results: dict[str, Any] = {
        "command": "PYTHONPATH=src .venv/bin/python benchmarks/quality.py"
        + (" --quick" if args.quick else ""),
        "date": dt.date.today().isoformat(),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "seed": SEED,
    }
    for name, run in runs.items():
        results[name] = run()
    results["summary"] = summary(results)
    results["seconds"] = round(time.perf_counter() - t0, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(json.dumps(results["summary"], indent=1))
    print(f"wrote {args.out} in {results['seconds']}s", file=sys.stderr)


if __name__ == "__main__":
    main()
