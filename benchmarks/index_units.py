"""``textdedup index add`` per unit: time per input MB of ``--unit doc`` against ``paragraph``.

    PYTHONPATH=src python benchmarks/index_units.py [--records 10000] [--repeat 3]
        [--units doc,paragraph,line] [--phases] [--baseline SRC] [--out FILE.json]

Writes the seeded overlapping corpus of :func:`textdedup.synthetic.overlapping_corpus`
(documents made of windows of consecutive paragraphs from one pool, with exact and
near copies: issue #12's corpus) as JSONL, then runs
``textdedup index add INDEX corpus.jsonl --id-field id --unit UNIT`` into a fresh index
``--repeat`` times per unit, the units interleaved so that a change of load hits them
alike. For each run: wall seconds, CPU seconds (user + system: what the run costs
whatever else the machine does; the command's own from ``wait4``, its pool
processes' sampled from ``/proc``, Linux only) and peak RSS of the command; per unit
the medians, seconds per input MB and the ratio to ``--unit doc``. The index of each
run is checked: the items it holds are the items the unit makes (a run that wrote
nothing would look fast). Load average before and after goes into the results (the
machine may be shared).

With ``--phases``, each repeat also runs the same add in one process (no pool) in a
child Python that times its phases in CPU seconds: imports, reading the records,
cleaning and keying them (:func:`textdedup.pipeline.index_entries`), and
:meth:`Index.add <textdedup.index.Index.add>` (signatures, band keys, SQLite writes);
per unit the medians go into ``phases``.

With ``--baseline SRC`` (another checkout's ``src``, say main's), every run is made a
second time with that code (``PYTHONPATH=SRC``), interleaved with this code's, so that
both meet the same load; its figures go into ``baseline``.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_HZ = os.sysconf("SC_CLK_TCK")


def _tree_cpu(root: int, last: dict[int, float]) -> None:
    """Record the CPU seconds so far of ``root``'s descendants (from ``/proc``)."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / _HZ
    tree, grown = {root}, True
    while grown:
        grown = False
        for pid, ppid in parent.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grown = True
    for pid in tree - {root}:
        last[pid] = cpu[pid]


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall, CPU and peak RSS of ``cmd``.

    The pool processes that clean paragraph records are children of Python's
    forkserver, which the command never waits for, so ``wait4`` does not count
    them: their CPU is sampled from ``/proc`` every 0.05 s (the last 0.05 s of each
    may be missed) and added.
    """
    helpers: dict[int, float] = {}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            _tree_cpu(proc.pid, helpers)
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            message = err.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{message}")
    return {
        "wall_seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime + sum(helpers.values()), 2),
        "helper_cpu_seconds": round(sum(helpers.values()), 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


_PHASES = """
import json, sys, time
P = time.process_time
t0 = P()
from textdedup.config import DedupConfig
from textdedup.index import Index
from textdedup.pipeline import index_entries
from textdedup.records import iter_records
import textdedup.cli
t1 = P()
src, unit, index = sys.argv[1:4]
config = DedupConfig(level=unit, shingle="word")
records = list(iter_records([src], text_field="text", id_field="id"))
t2 = P()
with Index(index, config) as idx:
    entries = list(index_entries(records, config, workers=1))
    t3 = P()
    idx.add(entries)
    t4 = P()
print(json.dumps({"imports": t1 - t0, "read": t2 - t1, "clean_and_keys": t3 - t2,
                  "index_add": t4 - t3, "total": t4}))
"""


def run_phases(
    src: Path, unit: str, index: Path, env: dict[str, str] | None = None
) -> dict[str, float]:
    """CPU seconds per phase of one add in one process (see the module docstring)."""
    out = subprocess.run(
        [sys.executable, "-c", _PHASES, str(src), unit, str(index)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return {k: round(v, 2) for k, v in json.loads(out).items()}


def _items(index: Path) -> int:
    db = sqlite3.connect(index)
    try:
        return int(db.execute("SELECT COUNT(*) FROM items").fetchone()[0])
    finally:
        db.close()


def _summary(
    units: list[str],
    runs: dict[str, list[dict[str, float]]],
    phases: dict[str, list[dict[str, float]]],
    items: dict[str, int],
    mb: float,
) -> dict[str, Any]:
    """Per unit: medians, seconds per MB, ratios to ``doc`` (of the medians and per round)."""
    per_unit: dict[str, Any] = {}
    for unit in units:
        wall = statistics.median(r["wall_seconds"] for r in runs[unit])
        cpu = statistics.median(r["cpu_seconds"] for r in runs[unit])
        per_unit[unit] = {
            "items": items[unit],
            "median_wall_seconds": round(wall, 2),
            "median_cpu_seconds": round(cpu, 2),
            "wall_seconds_per_mb": round(wall / mb, 3),
            "cpu_seconds_per_mb": round(cpu / mb, 3),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs[unit]),
            "runs": runs[unit],
        }
        if phases[unit]:
            per_unit[unit]["phases"] = {
                name: round(statistics.median(p[name] for p in phases[unit]), 2)
                for name in phases[unit][0]
            }
    if "doc" in per_unit:
        base = per_unit["doc"]
        for unit in units:
            u = per_unit[unit]
            for what in ("wall", "cpu"):
                ratio = u[f"median_{what}_seconds"] / base[f"median_{what}_seconds"]
                u[f"{what}_ratio_to_doc"] = round(ratio, 2)
                # The same ratio within each round (runs next to each other in time).
                rounds = [
                    r[f"{what}_seconds"] / d[f"{what}_seconds"]
                    for r, d in zip(runs[unit], runs["doc"], strict=True)
                ]
                u[f"{what}_ratio_to_doc_per_round"] = [round(x, 2) for x in rounds]
            if phases[unit] and phases["doc"]:
                pairs = zip(phases[unit], phases["doc"], strict=True)
                totals = [p["total"] / d["total"] for p, d in pairs]
                u["one_process_cpu_ratio_to_doc"] = round(statistics.median(totals), 2)
    return per_unit


def main(argv: list[str] | None = None) -> None:
    from textdedup.synthetic import overlapping_corpus

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--units", default="doc,paragraph")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--phases", action="store_true", help="also time the phases, one process")
    ap.add_argument(
        "--baseline", type=Path, help="another src folder, run interleaved with this code"
    )
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/index_units.json"))
    args = ap.parse_args(argv)
    units = args.units.split(",")
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "cores": len(os.sched_getaffinity(0)),
        "records": args.records,
        "seed": args.seed,
        "command": "textdedup index add INDEX corpus.jsonl --id-field id --unit UNIT -q",
    }
    corpus = overlapping_corpus(args.records, seed=args.seed)
    codes: dict[str, dict[str, str] | None] = {"this": None}
    if args.baseline is not None:
        codes["baseline"] = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
        result["baseline_src"] = str(args.baseline)
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="index_units.") as tmp:
        work = Path(tmp)
        src = work / "corpus.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in corpus.records), encoding="utf-8")
        mb = src.stat().st_size / 1e6
        result["corpus_mb"] = round(mb, 2)
        runs: dict[str, dict[str, list[dict[str, float]]]] = {
            c: {u: [] for u in units} for c in codes
        }
        phases: dict[str, dict[str, list[dict[str, float]]]] = {
            c: {u: [] for u in units} for c in codes
        }
        items: dict[str, int] = {}
        for k in range(args.repeat):
            for code, env in codes.items():
                for unit in units:
                    index = work / f"{code}.{unit}.{k}.sqlite"
                    cmd = [
                        sys.executable, "-m", "textdedup", "index", "add", str(index), str(src),
                        "--id-field", "id", "--unit", unit, "-q",
                    ]  # fmt: skip
                    loads.append(round(os.getloadavg()[0], 2))
                    run = run_measured(cmd, env)
                    n = _items(index)
                    if items.setdefault(unit, n) != n or n == 0:
                        raise RuntimeError(f"--unit {unit}: {n} items, earlier runs {items[unit]}")
                    runs[code][unit].append(run)
                    print(code, unit, k, json.dumps(run), file=sys.stderr)
                    if args.phases:
                        where = work / f"{code}.{unit}.{k}.phases.sqlite"
                        timed = run_phases(src, unit, where, env)
                        phases[code][unit].append(timed)
                        print(code, unit, k, "phases", json.dumps(timed), file=sys.stderr)
    result["load_average_at_each_run"] = loads
    for code in codes:
        summary = _summary(units, runs[code], phases[code], items, mb)
        result["units" if code == "this" else code] = summary
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
