"""``textdedup clean`` on the large inputs of issue #14, two checkouts interleaved.

The inputs of ``end_to_end.py --sections clean`` (10 MB of repeated paragraphs, 1M short
lines; seeded), each cleaned by the CLI of two checkouts in turn (``--src`` and
``--baseline-src``, as ``PYTHONPATH``), round after round, so both see the same load.
Each run's wall time, CPU time (user + system of the child) and peak RSS come from
``end_to_end.measure``; the outputs' SHA-1 shows that both checkouts wrote the same
text. Prints medians and writes everything to ``--out``::

    PYTHONPATH=src python benchmarks/clean_scale.py --src src --baseline-src /tmp/main/src \\
        --repeats 3 --lines-repeats 1 --out benchmarks/results/clean_scale.json

Nothing runs at import.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", required=True, help="the checkout's src measured")
    ap.add_argument("--baseline-src", help="a second checkout's src, run in turn")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--bytes", type=int, default=10_000_000)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=3, help="rounds on the 10 MB input")
    ap.add_argument("--lines-repeats", type=int, default=1, help="rounds on the lines")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=1800.0)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/clean_scale"))
    ap.add_argument("--out", type=Path, default=HERE / "results" / "clean_scale.json")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from end_to_end import measure, repeated_text, short_lines

    args.workdir.mkdir(parents=True, exist_ok=True)
    inputs = {
        "repeats_10mb": (repeated_text(args.bytes, args.seed), args.repeats),
        "short_lines_1m": (short_lines(args.lines, args.seed), args.lines_repeats),
    }
    checkouts = {"src": str(Path(args.src).resolve())}
    if args.baseline_src:
        checkouts["baseline"] = str(Path(args.baseline_src).resolve())
    result: dict[str, Any] = {
        "date_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
        "load_average_start": os.getloadavg(),
        "checkouts": checkouts,
        "runs": {},
    }
    for name, (text, rounds) in inputs.items():
        path = args.workdir / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        for rnd in range(rounds):
            for who, src in checkouts.items():
                out = args.workdir / f"{name}.{who}.out"
                cmd = [args.python, "-m", "textdedup", "clean", str(path), "-o", str(out)]
                env = {**os.environ, "PYTHONPATH": src}
                r = measure(cmd, env=env, timeout=args.timeout, log=args.workdir / f"{name}.err")
                r["sha1"] = _sha1(out) if out.exists() and r["exit_code"] == 0 else None
                r["load_average"] = os.getloadavg()
                result["runs"].setdefault(name, {}).setdefault(who, []).append(r)
                print(
                    f"[{rnd + 1}/{rounds}] {name} {who}: {r['cpu_s']} s CPU, {r['wall_s']} s wall,"
                    f" {r['peak_rss_mb']} MB, sha1 {r['sha1']}, load {r['load_average'][0]:.1f}",
                    flush=True,
                )
                out.unlink(missing_ok=True)
    summary: dict[str, Any] = {}
    for name, by in result["runs"].items():
        for who, runs in by.items():
            ok = [r for r in runs if r["cpu_s"] is not None]
            summary[f"{name}/{who}"] = {
                key: statistics.median(r[key] for r in ok) if ok else None
                for key in ("cpu_s", "wall_s", "peak_rss_mb")
            } | {"runs": len(runs), "sha1": sorted({r["sha1"] or "-" for r in runs})}
    result["summary"] = summary
    result["load_average_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    for key, s in summary.items():
        print(key, s)


if __name__ == "__main__":
    main()
