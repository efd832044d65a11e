"""CPU time and memory of each stage of ``clean`` on the inputs of the clean scale benchmark.

Makes the seeded input of ``end_to_end.py --sections clean`` (``--bytes`` of repeated
paragraphs or ``--lines`` short lines), cleans it in this process, and prints for each
stage of each pass (``normalize``, ``_find_repeats``: the repeated spans, found before the
blocks on a long text; ``segment``; ``_unrepeated_blocks``: the screen; ``__init__``: keys;
``_spans``: the span decisions; ``_near_pairs``: MinHash, LSH and verification;
``_point_at_copy_before``, ``_extend_runs`` and ``_decide_runs``: block runs;
``_point_at_kept``: the report) its CPU time, the RSS after it and the peak RSS so far::

    PYTHONPATH=src python benchmarks/clean_stages.py --lines 300000
    PYTHONPATH=src python benchmarks/clean_stages.py --bytes 10000000

Timers wrap the methods of ``textdedup.clean._Cleaner``; nothing runs at import.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import resource
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STAGES = (
    "__init__",
    "_spans",
    "_near_pairs",
    "_point_at_copy_before",
    "_extend_runs",
    "_decide_runs",
    "_blocks",
    "_point_at_kept",
)
# Functions of textdedup.clean that clean() calls before the cleaner (or around it).
FUNCTIONS = ("normalize", "_find_repeats", "segment", "_unrepeated_blocks", "_finish")


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(cls: Any, name: str) -> None:
    method = getattr(cls, name)

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        out = method(*args, **kwargs)
        print(
            f"  {name}: {time.process_time() - start:.2f} s CPU, RSS {_rss_mb():.0f} MB,"
            f" peak {_peak_mb():.0f} MB",
            flush=True,
        )
        return out

    setattr(cls, name, wrapper)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--lines", type=int, help="short lines, as short_lines_1m")
    size.add_argument("--bytes", type=int, help="repeated paragraphs, as repeats_10mb")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from end_to_end import repeated_text, short_lines

    if args.lines:
        text = short_lines(args.lines, args.seed)
    else:
        text = repeated_text(args.bytes, args.seed)
    clean_module = importlib.import_module("textdedup.clean")
    for name in STAGES:
        _timed(clean_module._Cleaner, name)
    for name in FUNCTIONS:
        _timed(clean_module, name)
    start, wall = time.process_time(), time.perf_counter()
    result = clean_module.clean(text)
    print(
        f"clean: {time.process_time() - start:.2f} s CPU, {time.perf_counter() - wall:.2f} s wall,"
        f" peak {_peak_mb():.0f} MB; {len(text):,} characters in, {len(result.text):,} out,"
        f" {len(result.removals)} removals, {len(result.isolated)} isolated"
    )


if __name__ == "__main__":
    main()
