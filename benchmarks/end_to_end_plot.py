"""Draw a PNG from the results JSON written by ``end_to_end.py``.

    PYTHONPATH=src .venv/bin/python benchmarks/end_to_end_plot.py benchmarks/results/end_to_end.json

writes ``end_to_end.png`` next to it (or ``--out PATH``; ``benchmarks/results/*.png`` is
git-ignored). Several JSON files may be given: a section (dedup, paragraph) comes from the
last file that has it, so a later dedup-only run replaces the dedup panels and keeps the
paragraph one. Nothing runs at import.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _bars(ax: Any, names: list[str], values: list[float | None], label: str, title: str) -> None:
    shown = [v if v is not None else 0.0 for v in values]
    colors = ["tab:blue" if n.startswith("textdedup") else "tab:gray" for n in names]
    ax.barh(names, shown, color=colors)
    for i, v in enumerate(values):
        ax.text(
            shown[i],
            i,
            f" {v:,.1f}" if v is not None else " no result (failed or timed out)",
            va="center",
        )
    ax.set_xlabel(label)
    ax.set_title(title, fontsize=10)
    ax.invert_yaxis()


def draw(results: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(14, 9))
    load = results["machine"]["load_average_at_start"][0]
    if "dedup" in results:
        d = results["dedup"]
        s = d["summary"]
        names = list(s)
        head = f"dedup, {d['docs']:,} JSONL docs, threshold 0.8"
        _bars(
            axes[0, 0],
            names,
            [s[n]["wall_s"] for n in names],
            "seconds (median)",
            f"{head}: wall time (load average {load:.1f} at start)",
        )
        _bars(
            axes[0, 1],
            names,
            [s[n]["cpu_s"] for n in names],
            "seconds (median, user + sys, children included)",
            f"{head}: CPU time",
        )
        ax = axes[1, 0]
        x = range(len(names))
        ax.bar([i - 0.2 for i in x], [s[n].get("precision_any_order", 0) for n in names], 0.4)
        ax.bar([i + 0.2 for i in x], [s[n].get("recall_any_order", 0) for n in names], 0.4)
        ax.set_xticks(list(x), names)
        ax.set_ylim(0, 1.05)
        ax.legend(["precision", "recall"], loc="lower left")
        ax.set_title("removed records vs planted truth (Jaccard >= 0.8, any order)", fontsize=10)
    if "paragraph" in results:
        p = results["paragraph"]["summary"]
        names = list(p)
        _bars(
            axes[1, 1],
            names,
            [p[n]["cpu_s"] for n in names],
            "CPU seconds (median)",
            f"dedup --unit paragraph, {results['paragraph']['docs']:,} docs, vs a digest dict",
        )
    fig.tight_layout()
    tmp = out.with_name(out.name + ".tmp.png")
    fig.savefig(tmp, dpi=90)
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path, nargs="+")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    results: dict[str, Any] = {}
    for path in args.results:
        results.update(json.loads(path.read_text(encoding="utf-8")))
    out = args.out or args.results[-1].with_suffix(".png")
    draw(results, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
