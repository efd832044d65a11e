"""Profile one ``textdedup`` command in this process (cProfile, CPU-time clock), by phase.

    PYTHONPATH=src .venv/bin/python benchmarks/end_to_end_profile.py OUT.prof -- \\
        dedup corpus.jsonl --id-field id --threshold 0.8 -o out.jsonl
    PYTHONPATH=src .venv/bin/python benchmarks/end_to_end_profile.py --report A.prof [B.prof ...]
    PYTHONPATH=src .venv/bin/python benchmarks/end_to_end_profile.py --sample OUT.json -- \\
        dedup corpus.jsonl --id-field id --threshold 0.8 -o out.jsonl

The first form runs the command (the CLI's ``main``, as ``textdedup ...`` would) under
cProfile timed by ``time.process_time`` (so time waiting for the CPU on a shared machine
is not counted, but the profiler's own clock calls are, as system time), writes the
profile and prints the phase table; the second prints the table for saved profiles, side
by side. The phases are cumulative times of the functions that make them; they overlap
nowhere except where indented. The third form samples instead (a ``SIGPROF`` timer every
2 ms of the process's CPU time, threads included, and the Python stack at each tick): no
per-call cost, so Python-heavy phases are not inflated; it writes the phase shares and
the 40 functions most often on the stack as JSON. Nothing runs at import.
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
    ("  of which the compiled ASCII pass", "_kernel.py", "ascii_key"),
    ("engine.add (key spill, exact digest, bookkeeping)", "engine.py", "add"),
    ("record spill (pickle)", "pipeline.py", "_dump"),
    ("signatures (keys read back, UTF-8 batch, kernel)", "engine.py", "signatures"),
    ("  of which the fused kernel (incl. loading it)", "_kernel.py", "word_signatures"),
    ("LSH band keys", "lsh.py", "band_keys"),
    ("LSH candidate pairs", "lsh.py", "candidate_pairs"),
    ("text digests of items whose key is not unique", "engine.py", "_text_digests_later"),
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


def sample(command: list[str], out: Path, every: float = 0.002) -> dict[str, object]:
    """Run ``command`` under a CPU-time sampling timer; phase shares of the samples.

    A sample counts toward a phase when the phase's function is anywhere on the stack;
    the shares are of all samples of the command (so of its CPU time, numba's threads
    included: the timer counts the whole process's CPU time).
    """
    import collections
    import json
    import signal

    on_stack: collections.Counter[tuple[str, str]] = collections.Counter()
    total = 0

    def tick(signum: int, frame: object) -> None:
        nonlocal total
        total += 1
        seen = set()
        f = frame
        while f is not None:
            code = f.f_code  # type: ignore[attr-defined]
            seen.add((code.co_filename.rsplit("/", 1)[-1], code.co_name))
            f = f.f_back  # type: ignore[attr-defined]
        on_stack.update(seen)

    from textdedup.cli import main as cli

    signal.signal(signal.SIGPROF, tick)
    cpu, wall = time.process_time(), time.perf_counter()
    signal.setitimer(signal.ITIMER_PROF, every, every)
    try:
        cli(command, standalone_mode=False)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall

    def share(suffix: str, name: str) -> float:
        hits = sum(n for (f, fn), n in on_stack.items() if f.endswith(suffix) and fn == name)
        return hits / max(total, 1)

    result = {
        "command": command,
        "cpu_s": cpu,
        "wall_s": wall,
        "samples": total,
        "phases": [
            *[(label, share(f, n)) for label, f, n in PHASES],
            # Imports happen inside the phases above (numba's inside the first kernel call).
            ("imports (textdedup, numpy, numba), across the phases", share("", "_find_and_load")),
        ],
        "top": [(f"{f}:{fn}", n / max(total, 1)) for (f, fn), n in on_stack.most_common(40)],
    }
    out.write_text(json.dumps(result, indent=1) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--report"]:
        print(report([Path(a) for a in argv[1:]]))
        return 0
    if argv[:1] == ["--sample"]:
        rest = argv[2:]
        result = sample(rest[1:] if rest[:1] == ["--"] else rest, Path(argv[1]))
        print(f"CPU {result['cpu_s']:.1f} s, wall {result['wall_s']:.1f} s", file=sys.stderr)
        print("| phase | share of CPU samples | CPU s |\n|---|---:|---:|")
        for label, x in result["phases"]:  # type: ignore[attr-defined]
            print(f"| {label} | {100 * x:.0f}% | {x * float(result['cpu_s']):.1f} |")  # type: ignore[arg-type]
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
