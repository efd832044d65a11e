"""Peak memory of ``textdedup dedup`` on a large corpus: it streams, so memory follows the index.

    PYTHONPATH=src python benchmarks/memory.py [--gigabytes 2] [--doc-kb 8] [--out FILE.json]
    PYTHONPATH=src python benchmarks/memory.py --docs 1000000 --doc-kb 0.25

Writes a seeded JSONL corpus of about ``--gigabytes`` GB (or of exactly ``--docs``
records) to a temporary folder, one record at a time (documents of about ``--doc-kb`` KB
of words; every tenth record repeats an earlier one), then runs ``textdedup dedup`` on it
in a child process. Reports the corpus size, records, wall and CPU time, peak RSS (the
kernel's ``ru_maxrss`` of the child, from ``os.wait4``), the peak as a share of the
corpus size and per document, and the resident set size of a Python process that only
imported textdedup and numba (``baseline_rss_mb``: what every run pays).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A process that imported what every dedup run imports, and loaded numba's kernels.
_FLOOR = (
    "import resource, textdedup.cli, textdedup._kernel as k; k.load(); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)"
)


def _doc(seed: int, words: list[str], size: int) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        w = rng.choice(words)
        out.append(w)
        total += len(w) + 1
    return " ".join(out)


def main() -> None:
    import psutil

    from textdedup.synthetic import vocabulary

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=2.0)
    parser.add_argument("--doc-kb", type=float, default=8.0)
    parser.add_argument("--docs", type=int, default=0, help="records (instead of --gigabytes)")
    parser.add_argument("--out", default="benchmarks/results/memory.json")
    args = parser.parse_args()
    words = list(vocabulary())
    size = int(args.doc_kb * 1024)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        target = int(args.gigabytes * 2**30)
        n = written = 0
        started = time.perf_counter()
        with src.open("w", encoding="utf-8") as fh:
            while (n < args.docs) if args.docs else (written < target):
                seed = n if n % 10 or n == 0 else random.Random(n).randrange(n)
                line = json.dumps({"id": n, "text": _doc(seed, words, size)}) + "\n"
                fh.write(line)
                written += len(line)
                n += 1
        generated = time.perf_counter() - started
        cmd = [
            sys.executable,
            "-m",
            "textdedup",
            "dedup",
            str(src),
            "-o",
            str(Path(tmp) / "out.jsonl"),
            "--id-field",
            "id",
            "--stats",
            str(Path(tmp) / "stats.json"),
            "-q",
        ]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
        ps = psutil.Process(proc.pid)
        sampled = 0
        while proc.poll() is None:
            with contextlib.suppress(psutil.Error):
                sampled = max(sampled, ps.memory_info().rss)
            time.sleep(0.2)
        _, err = proc.communicate()
        if proc.returncode:
            raise SystemExit(err)
        wall = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = max(usage.ru_maxrss * 1024, sampled)
        cpu = usage.ru_utime + usage.ru_stime
        floor = subprocess.run(
            [sys.executable, "-c", _FLOOR], capture_output=True, text=True, check=True
        )
        base = int(floor.stdout)
        stats = json.loads((Path(tmp) / "stats.json").read_text())
    result = {
        "command": "PYTHONPATH=src python benchmarks/memory.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "corpus_bytes": written,
        "records": n,
        "generation_s": round(generated, 1),
        "dedup_wall_s": round(wall, 1),
        "dedup_cpu_s": round(cpu, 1),
        "peak_rss_mb": round(peak / 2**20),
        "baseline_rss_mb": round(base / 2**20),
        "peak_rss_share_of_corpus": round(peak / written, 4),
        "peak_rss_bytes_per_record": round(peak / n),
        "above_baseline_bytes_per_record": round((peak - base) / n),
        "removed": stats["removed"],
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
