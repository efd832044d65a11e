"""Which doubled and glued records of ``clean_corpus.py`` ``textdedup.clean`` gets wrong.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/clean_corpus_wrong.py [--records 100000]

The records are those of :func:`clean_corpus.make_corpus`, made one at a time by
:func:`clean_corpus.iter_corpus` so the corpus never sits in memory, and cleaned in
process; only the doubled and glued ones are cleaned (``--all`` cleans every record).
Prints the number of wrong records by kind and their indices. About 2.5 ms a record on
an idle core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> None:
    import textdedup
    from clean_corpus import iter_corpus

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--doubled", type=float, default=0.5)
    ap.add_argument("--all", action="store_true", help="clean the single records too")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    cleaned = 0
    wrong: dict[str, list[int]] = {"doubled": [], "glued": [], "single": []}
    for i, text, expected, kind in iter_corpus(args.records, seed=args.seed, doubled=args.doubled):
        if kind == "single" and not args.all:
            continue
        cleaned += 1
        if textdedup.clean(text).text != expected:
            wrong[kind].append(i)
    seconds = time.perf_counter() - start
    print(f"{textdedup.__file__}: cleaned {cleaned} of {args.records} records in {seconds:.1f} s")
    print(json.dumps({"wrong": sum(map(len, wrong.values())), **wrong}))


if __name__ == "__main__":
    main()
