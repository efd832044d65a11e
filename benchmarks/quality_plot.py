"""Draw a PNG from the JSON written by ``quality.py``.

    PYTHONPATH=src .venv/bin/python benchmarks/quality_plot.py [benchmarks/results/quality.json]

writes ``quality.png`` next to the JSON (or ``--out PATH``). Nothing runs at import.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _setting(results: dict[str, Any], unit: str, ngram: int, score: str, num_perm: int) -> Any:
    for s in results["clough"]["settings"]:
        if (s["unit"], s["ngram"], s["score"], s["num_perm"]) == (unit, ngram, score, num_perm):
            return s
    raise KeyError((unit, ngram, score, num_perm))


def draw(results: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    grid = results["clough"]["grid"]

    # 1. Clough: F1 against threshold, word-3 Jaccard, oracle vs MinHash+LSH.
    ax = axes[0, 0]
    s = _setting(results, "word", 3, "jaccard", 128)
    styles = {"oracle": "k-", "lsh_verify": "b--", "lsh_only": "r:"}
    for name, style in styles.items():
        ax.plot(grid, s["methods"][name]["f1_curve"], style, label=name)
    c = _setting(results, "word", 3, "containment", 128)
    ax.plot(grid, c["methods"]["oracle"]["f1_curve"], "g-", alpha=0.6, label="oracle, containment")
    ax.set_xlim(0, 0.6)
    ax.set_xlabel("threshold")
    ax.set_ylabel("F1 (cut+light vs heavy+non)")
    ax.set_title("Clough & Stevenson, word 3-grams, num_perm 128")
    ax.legend()

    # 2. Clough: best in-sample vs leave-one-task-out F1 per setting (num_perm 128).
    ax = axes[0, 1]
    rows = [x for x in results["clough"]["settings"] if x["num_perm"] == 128]
    labels = [f"{x['unit'][0]}{x['ngram']} {x['score'][:3]}" for x in rows]
    pos = list(range(len(rows)))
    for k, (name, color) in enumerate((("oracle", "k"), ("lsh_verify", "b"), ("lsh_only", "r"))):
        ax.scatter(
            [p + (k - 1) * 0.2 for p in pos],
            [x["methods"][name]["best"]["f1"] for x in rows],
            color=color,
            marker="o",
            label=f"{name} in-sample",
        )
        ax.scatter(
            [p + (k - 1) * 0.2 for p in pos],
            [x["methods"][name]["loto"]["f1"] for x in rows],
            color=color,
            marker="x",
            label=f"{name} leave-one-task-out",
        )
    oracle = results["summary"]["oracle_word3_jaccard"]["best"]["f1"]
    ax.axhline(oracle, color="gray", linestyle="--", linewidth=1)
    ax.set_xticks(pos, labels, rotation=45, ha="right")
    ax.set_ylabel("F1")
    ax.set_title("Clough: F1 per setting (o in-sample, x LOTO)")
    ax.legend(fontsize=7, ncol=2)

    # 3. Synthetic: F1 against threshold per edit rate, word-5 engine vs word-5 oracle.
    ax = axes[1, 0]
    for corpus, color in zip(results["synthetic"]["corpora"], ("b", "g", "r"), strict=False):
        for method, verify, style in (("oracle", None, "-"), ("engine", "jaccard", "--")):
            pts = [
                r
                for r in corpus["rows"]
                if r["method"] == method
                and r["shingle"] == "word"
                and r["ngram"] == 5
                and r["verify"] == verify
                and r["num_perm"] in (None, 128)
            ]
            ax.plot(
                [r["threshold"] for r in pts],
                [r["f1"] for r in pts],
                color + style,
                label=f"edit {corpus['edit_rate']}: {method}",
            )
    ax.set_xlabel("threshold")
    ax.set_ylabel("pair F1")
    ax.set_title("synthetic planted copies, word 5-grams (engine: num_perm 128, verified)")
    ax.legend(fontsize=7)

    # 4. params: predicted vs measured candidate probability.
    ax = axes[1, 1]
    for case, color in zip(results["params"]["cases"], ("b", "g", "r"), strict=False):
        pts = case["points"]
        label = f"t={case['threshold']} perm={case['num_perm']} ({case['bands']}x{case['rows']})"
        ax.plot(
            [p["jaccard"] for p in pts], [p["predicted"] for p in pts], color + "-", label=label
        )
        ax.plot([p["jaccard"] for p in pts], [p["measured"] for p in pts], color + "o")
    ax.set_xlabel("Jaccard similarity of the planted pair")
    ax.set_ylabel("P(candidate): line predicted, dots measured")
    ax.set_title(
        f"params vs measured (max |diff| {results['summary']['params_max_abs_deviation']})"
    )
    ax.legend(fontsize=8)

    fig.suptitle(f"textdedup detection quality ({results['date']})")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Draw quality.json as a PNG.")
    ap.add_argument("results", nargs="?", type=Path, default=HERE / "results" / "quality.json")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    out = args.out or args.results.with_suffix(".png")
    draw(results, out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
