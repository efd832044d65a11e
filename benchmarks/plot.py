"""Draw a PNG from a results JSON written by ``run.py``.

    PYTHONPATH=src .venv/bin/python benchmarks/plot.py benchmarks/results/full.json

writes ``benchmarks/results/full.png`` next to it (or ``--out PATH``). Nothing runs at import.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def draw(results: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    sig = results["signatures"]["engines"]
    names = sorted(sig, key=lambda k: sig[k]["texts_per_s"])
    ax = axes[0, 0]
    ax.barh(
        names,
        [sig[k]["texts_per_s"] for k in names],
        color=["tab:blue" if k.startswith("textdedup") else "tab:gray" for k in names],
    )
    ax.set_xscale("log")
    ax.set_xlabel("texts / s (log)")
    ax.set_title(f"text -> signatures, {results['signatures']['n_texts']} texts, num_perm=128")

    cand = results["candidates"]["engines"]
    names = [k for k in cand if "seconds" in cand[k]]
    ax = axes[0, 1]
    ax.barh(
        names,
        [cand[k]["seconds"] * 1000 for k in names],
        color=["tab:blue" if k == "textdedup" else "tab:gray" for k in names],
    )
    ax.set_xscale("log")
    ax.set_xlabel("ms (log)")
    ax.set_title("candidate generation from signatures")

    # End to end at 20k (and 100k, when the run has it): one bar per engine and size.
    ax = axes[1, 0]
    labels, secs, notes = [], [], []
    for section in ("end_to_end", "end_to_end_100k"):
        if section not in results:
            continue
        part = results[section]
        for k, e in part["engines"].items():
            short = {"textdedup": "textdedup", "textdedup_numpy": "numpy eng."}.get(k, k)
            labels.append(f"{short}\n{part['n_texts'] // 1000}k")
            secs.append(e["seconds"])
            notes.append(
                f"P={e['precision']:.3f} R={e['recall']:.3f}\n{e['peak_rss_mb']:.0f} MB peak"
            )
    bars = ax.bar(
        labels,
        secs,
        color=["tab:gray" if k.startswith("datasketch") else "tab:blue" for k in labels],
    )
    for bar, note in zip(bars, notes, strict=True):
        ax.annotate(
            note,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=7,
        )
    ax.set_yscale("log")
    ax.set_ylabel("seconds (log)")
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title("end to end: text -> verified clusters")

    ax = axes[1, 1]
    ax2 = ax.twinx()
    for key, style in (("points", "-"), ("numpy_points", ":")):
        pts = results["scale"].get(key, [])
        if not pts:
            continue
        label = "default engine" if key == "points" else "numpy engine"
        xs = [p["n_texts"] for p in pts]
        ax.plot(xs, [p["seconds"] for p in pts], "o" + style, color="tab:blue", label=label)
        ax2.plot(xs, [p["peak_rss_mb"] for p in pts], "s" + style, color="tab:orange")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("texts")
    ax.set_ylabel("seconds (log)")
    ax.legend(loc="upper left", fontsize=8)
    ax2.set_ylabel("peak RSS, MB", color="tab:orange")
    ax.set_title("textdedup end to end, scale")
    fig.suptitle(f"{results['command']}  ({results['date']}, {results['machine']['cpus']} CPUs)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Plot benchmark results.")
    ap.add_argument("results", type=Path, help="JSON file written by run.py")
    ap.add_argument("--out", type=Path, default=None, help="PNG path (default: next to the JSON)")
    args = ap.parse_args(argv)
    results = json.loads(args.results.read_text())
    out = args.out or args.results.with_suffix(".png")
    draw(results, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
