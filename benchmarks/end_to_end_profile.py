"""Profile one ``textdedup`` command in this process (cProfile, CPU-time clock), by phase.

    PYTHONPATH=src .venv/bin/python benchmarks/end_to_end_profile.py OUT.prof -- \\
        dedup corpus.jsonl --id-field id --threshold 0.8 -o out.jsonl
    PYTHONPATH=src .venv/bin/python benchmarks/end_to_end_profile.py --report A.prof [B.prof ...]

The first form runs the command (the CLI's ``main``, as ``textdedup ...`` would) under
cProfile timed by ``time.process_time`` (so time waiting for the CPU on a shared machine
is not counted, but the profiler's own clock calls are, as system time), writes the
profile and prints the phase table; the second prints the table for saved profiles, side
by side. The phases are cumulative times of the functions that make them; they overlap
nowhere except where indented. Nothing runs at import.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

# (label, file suffix, function name): cumulative time of that function.
PHASES = [
    ("reading (JSONL lines, JSON parse, Record)", "records.py", "iter_records"),
    ("key normalization (normalize_key per record)", "pipeline.py", "_items"),
    ("engine.add (key spill, exact digest, bookkeeping)", "engine.py", "add"),
    ("record spill (pickle)", "pipeline.py", "_dump"),
    ("signatures (keys read back, UTF-8 batch, kernel)", "engine.py", "signatures"),
    ("  of which the fused kernel (incl. loading it)", "_kernel.py", "word_signatures"),
    ("LSH band keys", "lsh.py", "band_keys"),
    ("LSH candidate pairs", "lsh.py", "candidate_pairs"),
    ("verification (shingle sets, intersections)", "engine.py", "_verify"),
    ("clustering (decide)", "cluster.py", "decide"),
    ("decisions back to records (spill read)", "pipeline.py", "_doc_items"),
    ("writing (JSON lines)", "records.py", "write"),
]


def phases(path: Path) -> tuple[float, list[tuple[str, float]]]:
    """Total of the command and the cumulative seconds of each phase, from a saved profile."""
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]

    def cum(suffix: str, name: str) -> float:
        return float(sum(v[3] for k, v in stats.items() if k[0].endswith(suffix) and k[2] == name))

    total = sum(
        v[3] for k, v in stats.items() if k[0].endswith("cli.py") and k[2].endswith("_command")
    )
    return float(total), [(label, cum(f, n)) for label, f, n in PHASES]


def report(paths: list[Path]) -> str:
    rows = [phases(p) for p in paths]
    head = "| phase | " + " | ".join(p.name for p in paths) + " |"
    lines = [head, "|---|" + "---:|" * len(paths)]
    for i, (label, _, _) in enumerate(PHASES):
        cells = [f"{r[1][i][1]:.1f} s ({100 * r[1][i][1] / r[0]:.0f}%)" for r in rows]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| the command (total) | " + " | ".join(f"{r[0]:.1f} s" for r in rows) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--report"]:
        print(report([Path(a) for a in argv[1:]]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    profiler = cProfile.Profile(time.process_time)
    cpu, wall = time.process_time(), time.perf_counter()
    profiler.enable()
    from textdedup.cli import main as cli

    try:
        cli(command, standalone_mode=False)
    finally:
        profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        profiler.dump_stats(str(args.out))
    print(f"CPU {cpu:.1f} s, wall {wall:.1f} s; profile in {args.out}", file=sys.stderr)
    print(report([args.out]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
