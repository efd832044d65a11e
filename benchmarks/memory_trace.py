"""Where a textdedup command's memory peaks: resident set size sampled by phase.

    PYTHONPATH=src python benchmarks/memory_trace.py dedup corpus.jsonl --id-field id -o out.jsonl

Runs the command line in this process while a thread samples, every ``--every`` seconds
(0.25), the process's resident set size (psutil) and the innermost textdedup functions
on the main thread's stack. Prints the peak with its stack, then the highest sample seen
in each innermost function, in the order they first ran (a phase table: reading,
signatures, candidate pairs, verification, writing). RSS is what the kernel counts, so a
phase can show memory an earlier one freed but the allocator kept.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback


def main() -> None:
    import psutil

    from textdedup.cli import main as cli_main

    args = sys.argv[1:]
    every = 0.25
    if args[:1] == ["--every"]:
        every, args = float(args[1]), args[2:]
    proc = psutil.Process()
    samples: list[tuple[int, str]] = []
    done = threading.Event()
    main_id = threading.get_ident()

    def sample() -> None:
        while not done.is_set():
            frame = sys._current_frames().get(main_id)
            stack = traceback.extract_stack(frame) if frame is not None else []
            names = [
                f"{os.path.basename(s.filename)}:{s.name}"
                for s in stack
                if "textdedup" in s.filename
            ]
            samples.append((proc.memory_info().rss, " > ".join(names[-4:])))
            time.sleep(every)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        cli_main(args)
    except SystemExit:
        pass
    finally:
        done.set()
        thread.join()
    if not samples:
        return
    rss, stack = max(samples)
    print(f"peak {rss / 1e6:.0f} MB at {stack or '-'}", file=sys.stderr)
    phases: dict[str, int] = {}
    for rss, stack in samples:
        name = stack.rsplit(" > ", 1)[-1] if stack else "-"
        phases[name] = max(phases.get(name, 0), rss)
    for name, rss in phases.items():
        print(f"{rss / 1e6:9.0f} MB  {name}", file=sys.stderr)


if __name__ == "__main__":
    main()
