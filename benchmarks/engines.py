"""Local engine against the Spark engine: wall time and peak memory on the same input.

    PYTHONPATH=src python benchmarks/engines.py [--records 50000 500000] [--out FILE.json]

For each size, a seeded planted corpus is written as JSONL and deduplicated twice,
each run in its own process: ``textdedup dedup`` (local engine) and
``textdedup dedup --engine spark --master local[2]``. Wall time comes from the
child; Spark's start-up (session creation) is timed separately inside the Spark
child. Peak memory is the largest sum of the resident set sizes of the child and
all its descendants (the JVM included), sampled every 0.1 s. Both outputs are
compared: the kept ids must be identical.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _measure(cmd: list[str]) -> tuple[float, float, str]:
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(
                c.memory_info().rss for c in ps.children(recursive=True)
            )
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, err = proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"{cmd} failed: {err[-2000:]}")
    return time.perf_counter() - start, peak / 2**20, out


def _child_spark(src: str, out: str) -> None:
    """Run the Spark engine, printing start-up and job times as JSON."""
    t0 = time.perf_counter()
    from textdedup import DedupConfig
    from textdedup import spark as td_spark

    session = td_spark.local_session("local[2]")
    startup = time.perf_counter() - t0
    t1 = time.perf_counter()
    df = session.read.json(src)
    td_spark.dedup(df, id_field="id", config=DedupConfig()).select("id").write.mode(
        "overwrite"
    ).json(out)
    job = time.perf_counter() - t1
    session.stop()
    print(json.dumps({"startup_s": round(startup, 2), "job_s": round(job, 2)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[50_000, 500_000])
    parser.add_argument("--out", default="benchmarks/results/engines.json")
    parser.add_argument("--child-spark", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_spark:
        _child_spark(*args.child_spark)
        return
    from textdedup.synthetic import planted_corpus

    results = []
    for n in args.records:
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp)
            src = d / "in.jsonl"
            with src.open("w", encoding="utf-8") as fh:
                for r in planted_corpus(n, seed=17).records:
                    fh.write(json.dumps(r) + "\n")
            local_s, local_mb, _ = _measure(
                [
                    sys.executable,
                    "-m",
                    "textdedup",
                    "dedup",
                    str(src),
                    "-o",
                    str(d / "local.jsonl"),
                    "--id-field",
                    "id",
                    "-q",
                ]
            )
            spark_s, spark_mb, text = _measure(
                [sys.executable, __file__, "--child-spark", str(src), str(d / "spark")]
            )
            phases = json.loads([x for x in text.splitlines() if x.startswith("{")][-1])
            local_ids = [json.loads(x)["id"] for x in (d / "local.jsonl").open()]
            spark_ids = [
                json.loads(x)["id"]
                for p in sorted((d / "spark").glob("part-*.json"))
                for x in p.open()
            ]
            row = {
                "records": n,
                "local": {"wall_s": round(local_s, 2), "peak_rss_mb": round(local_mb)},
                "spark_local2": {
                    "wall_s": round(spark_s, 2),
                    "startup_s": phases["startup_s"],
                    "job_s": phases["job_s"],
                    "peak_rss_mb_incl_jvm": round(spark_mb),
                },
                "kept": len(local_ids),
                "identical_kept_ids": local_ids == spark_ids,
            }
            print(json.dumps(row), flush=True)
            results.append(row)
    payload = {
        "command": "PYTHONPATH=src python benchmarks/engines.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "results": results,
    }
    Path(args.out).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
