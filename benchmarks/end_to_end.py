"""End to end, side by side: textdedup's CLI against rensa, datasketch, text-dedup and datatrove.

Run from the repository root (the peers live in their own virtualenv)::

    PYTHONPATH=src /work/main/.venv/bin/python benchmarks/end_to_end.py \\
        --docs 100000 --repeats 3 --peers-python /work/peers/bin/python

    # small, for development: 5k documents, one repeat, two tools, no paragraph/clean runs
    PYTHONPATH=src .venv/bin/python benchmarks/end_to_end.py --docs 5000 --repeats 1 \\
        --tools textdedup,rensa --sections dedup --out /tmp/e2e.json

Three sections, each tool run as its own subprocess (``os.wait4`` gives the child's CPU
time and peak RSS; the CPU time includes the child's own worker processes, the peak RSS
is the largest single process of the tree):

``dedup``
    One seeded JSONL corpus (``textdedup.synthetic.planted_corpus``: 10% exact copies,
    10% near copies at 2% word substitutions plus case, punctuation and whitespace noise,
    5% documents that reuse one paragraph of another). Every tool removes near-duplicate
    documents at threshold 0.8, num_perm 128, word 5-grams, seed 1 where the tool takes
    them. The runs are interleaved (round robin over the tools, ``--repeats`` times) after
    one untimed warm-up run of each tool on a small corpus; medians are reported, with
    ratios to textdedup. Accuracy is against the planted truth (see :func:`truth`).
``paragraph``
    ``textdedup dedup --unit paragraph`` (default near mode, and ``--mode exact``) against
    a plain Python dictionary of paragraph digests on the same input.
``clean``
    ``textdedup clean`` of a 10 MB text made of repeated paragraphs and of 1M short lines,
    each capped by ``--clean-timeout``; a run that is stopped is reported as such.

Results go to ``benchmarks/results/end_to_end.json`` (or ``--out``);
``end_to_end_plot.py`` draws them. Nothing runs at import. This module is also the
peers' driver: ``--worker NAME IN OUT`` runs one peer script in the peers' interpreter,
so only the standard library is imported at the top.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
THIS = Path(__file__).resolve()

NUM_PERM = 128
NGRAM = 5
SEED = 1
THRESHOLD = 0.8
# datasketch's error criterion at threshold 0.8 and 128 permutations (its
# ``_optimal_param``) gives 9 bands x 13 rows; datatrove takes bands and rows, not a
# threshold, so it gets these (117 hashes).
DATATROVE_BANDS, DATATROVE_ROWS = 9, 13
TOOLS = ("textdedup", "rensa", "datasketch", "text-dedup", "datatrove")
_WORD = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# textdedup never removes a paragraph shorter than this across documents (--min-length).
MIN_PARAGRAPH_CHARS = 30


# --------------------------------------------------------------------------- shingles


def word_shingles(text: str, ngram: int = NGRAM) -> list[str]:
    """Word n-grams of the case-folded ``\\w+`` tokens (the whole text when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) < ngram:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + ngram]) for i in range(len(words) - ngram + 1)]


# --------------------------------------------------------------------------- peer workers
# Each runs in the peers' interpreter: read JSONL, deduplicate, write the kept records.


def _batches(path: str, size: int = 10_000) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                batch.append(line)
                if len(batch) == size:
                    yield batch
                    batch = []
    if batch:
        yield batch


def worker_rensa(inp: str, out: str) -> None:
    """rensa 0.5's ``RMinHashDeduplicator`` (LSH on), fed token lists in batches of 10k."""
    from rensa import RMinHashDeduplicator

    dedup = RMinHashDeduplicator(THRESHOLD, NUM_PERM, True, seed=SEED)
    with open(out, "wb") as fo:
        for batch in _batches(inp):
            docs = [json.loads(line) for line in batch]
            flags = dedup.add_pairs([(str(d["id"]), word_shingles(d["text"])) for d in docs])
            fo.writelines(line for line, new in zip(batch, flags, strict=True) if new)


def worker_datasketch(inp: str, out: str) -> None:
    """datasketch ``MinHash`` + ``MinHashLSH``: query each document, keep it if nothing matches."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with open(out, "wb") as fo:
        for batch in _batches(inp):
            for line in batch:
                doc = json.loads(line)
                m = MinHash(num_perm=NUM_PERM, seed=SEED)
                m.update_batch([s.encode("utf-8") for s in word_shingles(doc["text"])])
                if lsh.query(m):
                    continue
                lsh.insert(str(doc["id"]), m)
                fo.write(line)


def worker_datatrove(inp: str, out: str) -> None:
    """datatrove's four MinHash stages, each a ``LocalPipelineExecutor``, one after another."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import (
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    src = Path(inp)
    work = Path(out).parent / "datatrove_work"
    cfg = MinhashConfig(
        n_grams=NGRAM, num_buckets=DATATROVE_BANDS, hashes_per_bucket=DATATROVE_ROWS, seed=SEED
    )

    def reader() -> Any:
        return JsonlReader(str(src.parent), glob_pattern=src.name, id_key="id", text_key="text")

    stages = [
        ([reader(), MinhashDedupSignature(output_folder=str(work / "sigs"), config=cfg)], 1, 1),
        (
            [
                MinhashDedupBuckets(
                    input_folder=str(work / "sigs"), output_folder=str(work / "buckets"), config=cfg
                )
            ],
            DATATROVE_BANDS,
            2,
        ),
        (
            [
                MinhashDedupCluster(
                    input_folder=str(work / "buckets"),
                    output_folder=str(work / "remove"),
                    config=cfg,
                )
            ],
            1,
            1,
        ),
        (
            [
                reader(),
                MinhashDedupFilter(input_folder=str(work / "remove")),
                JsonlWriter(out, compression=None),
            ],
            1,
            1,
        ),
    ]
    for i, (pipeline, tasks, workers) in enumerate(stages):
        LocalPipelineExecutor(
            pipeline=pipeline,
            tasks=tasks,
            workers=workers,
            logging_dir=str(work / f"logs{i}"),
        ).run()


def worker_paragraph_dict(inp: str, out: str) -> None:
    """Exact-hash baseline: drop every paragraph whose digest was seen before in the corpus.

    Paragraphs are split at blank lines and compared stripped, byte for byte (a BLAKE2b
    digest in a dict); paragraphs under 30 characters are always kept, like textdedup's
    ``--min-length``; a record left with no paragraph is dropped.
    """
    seen: dict[bytes, str] = {}
    with open(inp, encoding="utf-8") as fi, open(out, "w", encoding="utf-8") as fo:
        for line in fi:
            if not line.strip():
                continue
            rec = json.loads(line)
            kept = []
            for para in _PARAGRAPH_BREAK.split(rec["text"]):
                body = para.strip()
                if not body:
                    continue
                if len(body) >= MIN_PARAGRAPH_CHARS:
                    digest = hashlib.blake2b(body.encode("utf-8"), digest_size=16).digest()
                    if digest in seen:
                        continue
                    seen[digest] = rec["id"]
                kept.append(para)
            if kept:
                rec["text"] = "\n\n".join(kept)
                fo.write(json.dumps(rec, ensure_ascii=False) + "\n")


WORKERS = {
    "rensa": worker_rensa,
    "datasketch": worker_datasketch,
    "datatrove": worker_datatrove,
    "paragraph-dict": worker_paragraph_dict,
}


# --------------------------------------------------------------------------- measuring


# Runs one command and reports its rusage. It is a small fresh process on purpose: Linux
# carries a process's peak RSS across fork + exec (``exec_mmap`` keeps the old mm's high
# water mark in ``signal->maxrss``), so a tool forked straight from this script, which holds
# the corpus and the truth (hundreds of MB), would report at least this script's RSS.
_LAUNCHER = """
import json, os, subprocess, sys, time
cmd = json.loads(sys.argv[1])
start = time.perf_counter()
proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
_, status, ru = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
proc.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[2], "w") as fh:
    json.dump({"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime, "maxrss_kib": ru.ru_maxrss,
               "exit_code": proc.returncode}, fh)
"""


def measure(
    cmd: list[str], *, env: dict[str, str], timeout: float, log: Path, cwd: Path | None = None
) -> dict[str, Any]:
    """Run ``cmd``; wall time, CPU time (user + sys, children included) and peak RSS.

    ``cmd`` is started by a small launcher process (see ``_LAUNCHER``) that reports the
    child's ``os.wait4`` rusage, so the peak RSS is the tool's own (floor: the launcher's
    ~10 MB), not this script's. The launcher runs in its own session; at ``timeout``
    seconds the whole process group is killed and the run is marked ``timed_out``.
    """
    timed_out = threading.Event()
    report = log.with_name(log.name + ".rusage.json")
    report.unlink(missing_ok=True)
    launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, json.dumps(cmd), str(report)]
    with log.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            launcher,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    tail = log.read_text("utf-8", errors="replace").strip().splitlines()[-3:]
    if timed_out.is_set() or not report.exists():
        return {
            "wall_s": round(wall, 3),
            "cpu_s": None,
            "user_s": None,
            "sys_s": None,
            "peak_rss_mb": None,
            "exit_code": proc.returncode,
            "timed_out": timed_out.is_set(),
            "stderr_tail": tail,
        }
    ru = json.loads(report.read_text())
    report.unlink()
    return {
        "wall_s": round(ru["wall"], 3),
        "cpu_s": round(ru["user"] + ru["sys"], 3),
        "user_s": round(ru["user"], 3),
        "sys_s": round(ru["sys"], 3),
        "peak_rss_mb": round(ru["maxrss_kib"] / 1024, 1),  # Linux: KiB
        "exit_code": ru["exit_code"],
        "timed_out": False,
        "stderr_tail": tail,
    }


# --------------------------------------------------------------------------- truth


def truth(records: list[dict[str, Any]], dup_of: list[str | None]) -> dict[str, Any]:
    """Planted truth at Jaccard >= 0.8 of word 5-grams (case-folded ``\\w+`` tokens).

    A planted group is a base document and its exact and near copies. A record is a
    **true duplicate** when its group holds an earlier record (in file order) whose
    shingle set has exact Jaccard >= 0.8 with its own. ``partners[id]`` lists every
    member of its group (earlier or later) at Jaccard >= 0.8.
    """
    index = {str(r["id"]): i for i, r in enumerate(records)}
    groups: dict[str, list[int]] = {}
    for i, src in enumerate(dup_of):
        if src is not None:
            groups.setdefault(src, [index[src]]).append(i)
    true_dups: set[str] = set()
    partners: dict[str, set[str]] = {}
    near_jaccard: list[float] = []
    for members in groups.values():
        members.sort()
        sets = {i: set(word_shingles(str(records[i]["text"]))) for i in members}
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                sa, sb = sets[a], sets[b]
                union = len(sa | sb)
                j = len(sa & sb) / union if union else 1.0
                if b == members[0] or a == members[0]:
                    near_jaccard.append(j)
                if j >= THRESHOLD:
                    ida, idb = str(records[a]["id"]), str(records[b]["id"])
                    true_dups.add(idb)
                    partners.setdefault(ida, set()).add(idb)
                    partners.setdefault(idb, set()).add(ida)
    planted = sum(len(m) - 1 for m in groups.values())
    # Components of the partner graph: a tool that keeps any one member of each (not
    # necessarily the earliest) and removes the rest is right in the order-free account.
    parent = {i: i for i in partners}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, bs in partners.items():
        for b in bs:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    component = {i: find(i) for i in partners}
    return {
        "ids": [str(r["id"]) for r in records],
        "true_dups": true_dups,
        "partners": partners,
        "component": component,
        "planted_copies": planted,
        "copies_below_threshold": sum(1 for j in near_jaccard if j < THRESHOLD),
    }


def score(kept: set[str], t: dict[str, Any]) -> dict[str, Any]:
    """Precision and recall of the removed records against :func:`truth`.

    Strict (``precision``, ``recall``): the removed set against the true duplicates
    (records with an *earlier* planted partner at Jaccard >= 0.8), so a tool that keeps
    a later copy and removes the first is charged for it. Order-free
    (``precision_any_order``, ``recall_any_order``): a removal is right when the record has
    a planted partner at Jaccard >= 0.8 in either direction; recall counts, per component
    of size s of the partner graph, at most s - 1 removals. ``lost``: removed records
    none of whose partners at Jaccard >= 0.8 was kept (their content is gone).
    """
    removed = {i for i in t["ids"] if i not in kept}
    true_dups = t["true_dups"]
    hits = len(removed & true_dups)
    lost = sum(1 for i in removed if not (t["partners"].get(i, set()) & kept))
    with_partner = removed & t["component"].keys()
    size: dict[str, int] = {}
    for root in t["component"].values():
        size[root] = size.get(root, 0) + 1
    removed_in: dict[str, int] = {}
    for i in with_partner:
        root = t["component"][i]
        removed_in[root] = removed_in.get(root, 0) + 1
    found = sum(min(n, size[root] - 1) for root, n in removed_in.items())
    wanted = sum(n - 1 for n in size.values())
    return {
        "precision_any_order": round(len(with_partner) / len(removed), 4) if removed else 1.0,
        "recall_any_order": round(found / wanted, 4) if wanted else 1.0,
        "kept": len(kept),
        "removed": len(removed),
        "true_duplicates": len(true_dups),
        "correct_removals": hits,
        "precision": round(hits / len(removed), 4) if removed else 1.0,
        "recall": round(hits / len(true_dups), 4) if true_dups else 1.0,
        "lost": lost,
        "kept_ids_sha256_16": hashlib.sha256("\n".join(sorted(kept)).encode()).hexdigest()[:16],
    }


def jsonl_ids(paths: list[Path]) -> set[str]:
    ids: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    ids.add(str(json.loads(line)["id"]))
    return ids


# --------------------------------------------------------------------------- tools


class Runner:
    """Builds each tool's command line and reads back which records it kept."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        src = args.textdedup_src
        self.tenv = {**os.environ, "PYTHONPATH": str(src)} if src else dict(os.environ)
        # textdedup-baseline: the same command from another checkout (before/after).
        self.benv = {**os.environ, "PYTHONPATH": str(args.baseline_src or "")}
        self.penv = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "HF_DATASETS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
        }
        self.penv.pop("PYTHONPATH", None)
        # Byte-compile textdedup's sources, as pip does when it installs a wheel (the peers
        # are installed so): with PYTHONDONTWRITEBYTECODE set, as on this machine, a source
        # checkout would otherwise be compiled again by every run, about 0.2 s of CPU.
        for tree in (src, args.baseline_src):
            if tree:
                compileall.compile_dir(str(tree), quiet=1)

    def command(self, tool: str, inp: Path, out: Path) -> tuple[list[str], dict[str, str]]:
        a = self.args
        if tool in ("textdedup", "textdedup-baseline"):
            # The command users run (``textdedup dedup ...``), through the given interpreter.
            cmd = [a.textdedup_python, "-m", "textdedup", "dedup", str(inp)]
            cmd += ["--id-field", "id", "--threshold", str(THRESHOLD), "-o", str(out)]
            return cmd, self.tenv if tool == "textdedup" else self.benv
        if tool == "text-dedup":
            cmd = [a.peers_python, "-m", "text_dedup.minhash", "--path", "json"]
            cmd += ["--data_files", str(inp), "--split", "train", "--cache_dir"]
            cmd += [str(out.parent / "hf_cache"), "--output", str(out), "--column", "text"]
            cmd += ["--num_perm", str(NUM_PERM), "--ngram", str(NGRAM)]
            cmd += ["--threshold", str(THRESHOLD), "--seed", str(SEED)]
            return cmd, {**self.penv, "HF_DATASETS_CACHE": str(out.parent / "hf_cache")}
        return [a.peers_python, str(THIS), "--worker", tool, str(inp), str(out)], self.penv

    def kept(self, tool: str, out: Path) -> set[str]:
        if tool == "datatrove":
            return jsonl_ids(sorted(out.glob("*.jsonl")))
        if tool == "text-dedup":
            # It saves an Arrow dataset (save_to_disk); read its ids with the peers' datasets.
            code = (
                "import sys, datasets; ds = datasets.load_from_disk(sys.argv[1]);"
                "sys.stdout.write('\\n'.join(str(x) for x in ds['id']))"
            )
            res = subprocess.run(
                [self.args.peers_python, "-c", code, str(out)],
                env=self.penv,
                capture_output=True,
                text=True,
                check=True,
            )
            return set(res.stdout.split())
        return jsonl_ids([out])

    def run(self, tool: str, inp: Path, t: dict[str, Any], timeout: float) -> dict[str, Any]:
        run_dir = Path(tempfile.mkdtemp(prefix=f"{tool}-", dir=self.work))
        out = run_dir / ("out" if tool in ("datatrove", "text-dedup") else "out.jsonl")
        try:
            cmd, env = self.command(tool, inp, out)
            res = measure(cmd, env=env, timeout=timeout, log=run_dir / "stderr.txt")
            ok = res["exit_code"] == 0 and not res["timed_out"]
            if ok:
                res.update(score(self.kept(tool, out), t))
            return res
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)


# --------------------------------------------------------------------------- inputs


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec) + "\n")


def repeated_text(target_bytes: int, seed: int) -> str:
    """About ``target_bytes`` of paragraphs drawn with replacement from a pool of 2,000."""
    import numpy as np

    from textdedup.synthetic import vocabulary

    rng = np.random.default_rng(seed)
    vocab = np.array(vocabulary())
    pool = []
    for _ in range(2000):
        words = vocab[rng.integers(0, vocab.size, int(rng.integers(40, 120)))]
        pool.append(" ".join(words).capitalize() + ".")
    out: list[str] = []
    size = 0
    while size < target_bytes:
        para = pool[int(rng.integers(0, len(pool)))]
        out.append(para)
        size += len(para) + 2
    return "\n\n".join(out) + "\n"


def short_lines(n: int, seed: int) -> str:
    """``n`` lines of 3-9 words drawn with replacement from a pool of ``n // 2`` lines."""
    import numpy as np

    from textdedup.synthetic import vocabulary

    rng = np.random.default_rng(seed)
    vocab = np.array(vocabulary())
    pool = [
        " ".join(vocab[rng.integers(0, vocab.size, int(k))])
        for k in rng.integers(3, 10, max(1, n // 2))
    ]
    picks = rng.integers(0, len(pool), n)
    return "\n".join(pool[int(i)] for i in picks) + "\n"


def count_paragraphs(path: Path) -> tuple[int, int]:
    """Records and paragraphs (non-blank, split at blank lines) in a JSONL file."""
    records = paragraphs = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                records += 1
                text = json.loads(line)["text"]
                paragraphs += sum(1 for p in _PARAGRAPH_BREAK.split(text) if p.strip())
    return records, paragraphs


# --------------------------------------------------------------------------- sections


def _num(value: float | None, width: int, digits: int) -> str:
    return f"{value:{width}.{digits}f}" if value is not None else "-".rjust(width)


def _median(runs: list[dict[str, Any]], key: str) -> float | None:
    vals = [r[key] for r in runs if r.get("exit_code") == 0 and not r.get("timed_out")]
    return round(statistics.median(vals), 3) if vals else None


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in runs if r.get("exit_code") == 0 and not r.get("timed_out")]
    out: dict[str, Any] = {
        "runs": len(runs),
        "finished": len(ok),
        "wall_s": _median(runs, "wall_s"),
        "cpu_s": _median(runs, "cpu_s"),
        "peak_rss_mb": _median(runs, "peak_rss_mb"),
        "wall_s_all": [r["wall_s"] for r in runs],
    }
    if ok:
        last = ok[-1]
        for key in (
            "kept",
            "removed",
            "correct_removals",
            "true_duplicates",
            "precision",
            "recall",
            "precision_any_order",
            "recall_any_order",
            "lost",
        ):
            if key in last:
                out[key] = last[key]
        digests = {r["kept_ids_sha256_16"] for r in ok if "kept_ids_sha256_16" in r}
        out["same_output_every_run"] = len(digests) <= 1
    return out


def _ratios(summary: dict[str, dict[str, Any]], base: str) -> dict[str, dict[str, float | None]]:
    """``other / base`` for wall, CPU and peak RSS: above 1 means ``base`` is ahead."""
    ref = summary.get(base, {})
    out: dict[str, dict[str, float | None]] = {}
    for tool, s in summary.items():
        if tool == base:
            continue
        out[tool] = {
            key: round(s[key] / ref[key], 2) if s.get(key) and ref.get(key) else None
            for key in ("wall_s", "cpu_s", "peak_rss_mb")
        }
    return out


def section_dedup(args: argparse.Namespace, runner: Runner, work: Path) -> dict[str, Any]:
    from textdedup.synthetic import planted_corpus

    t0 = time.perf_counter()
    corpus = planted_corpus(args.docs, seed=args.seed)
    records = [{"id": r["id"], "text": r["text"]} for r in corpus.records]
    inp = work / "corpus.jsonl"
    write_jsonl(inp, records)
    t = truth(records, corpus.dup_of)
    kinds = {k: corpus.kind.count(k) for k in sorted(set(corpus.kind))}
    print(
        f"corpus: {args.docs} docs, {inp.stat().st_size / 1e6:.1f} MB, {kinds}, "
        f"{len(t['true_dups'])} true duplicates ({time.perf_counter() - t0:.0f} s)",
        flush=True,
    )
    res: dict[str, Any] = {
        "docs": args.docs,
        "input_bytes": inp.stat().st_size,
        "mean_text_bytes": round(sum(len(r["text"].encode()) for r in records) / len(records), 1),
        "planted": kinds,
        "true_duplicates": len(t["true_dups"]),
        "near_copies_below_threshold": t["copies_below_threshold"],
        "tools": args.tools,
    }
    if not args.no_warmup:
        # 6,000 documents (about 10 MB): past the 8M characters from which textdedup
        # loads numba (shingle.AUTO_COMPILE_MIN_CHARS), so the warm-up writes numba's cache
        # for the source tree measured. With 1,000 it stayed on numpy, and the first timed
        # run compiled the kernels (24 s of CPU against 11 in a run of session 8).
        small = planted_corpus(min(6000, args.docs), seed=args.seed + 1)
        small_recs = [{"id": r["id"], "text": r["text"]} for r in small.records]
        winp = work / "warmup" / "corpus.jsonl"
        winp.parent.mkdir()
        write_jsonl(winp, small_recs)
        wt = truth(small_recs, small.dup_of)
        res["warmup"] = {}
        for tool in args.tools:
            r = runner.run(tool, winp, wt, args.timeout)
            res["warmup"][tool] = {k: r.get(k) for k in ("wall_s", "exit_code", "timed_out")}
            print(f"  warm-up {tool:12s} {r['wall_s']:8.2f} s  exit {r['exit_code']}", flush=True)
            if r["exit_code"] != 0:
                print("    " + "\n    ".join(r["stderr_tail"]), flush=True)
    runs: dict[str, list[dict[str, Any]]] = {tool: [] for tool in args.tools}
    for rep in range(args.repeats):
        for tool in args.tools:
            if len(runs[tool]) >= args.tool_repeats.get(tool, args.repeats):
                continue
            r = runner.run(tool, inp, t, args.timeout)
            r["repeat"] = rep
            r["load_average_after"] = os.getloadavg()
            runs[tool].append(r)
            acc = (
                f"P={r['precision']:.4f} R={r['recall']:.4f} lost={r['lost']}"
                f" (any order: P={r['precision_any_order']:.4f} R={r['recall_any_order']:.4f})"
                if "precision" in r
                else ("TIMED OUT" if r["timed_out"] else f"FAILED {r['stderr_tail']}")
            )
            print(
                f"  [{rep + 1}/{args.repeats}] {tool:12s} {r['wall_s']:8.2f} s wall"
                f" {_num(r['cpu_s'], 8, 2)} s CPU {_num(r['peak_rss_mb'], 7, 0)} MB  {acc}",
                flush=True,
            )
    res["runs"] = runs
    res["summary"] = {tool: _summary(rs) for tool, rs in runs.items()}
    res["ratios_to_textdedup"] = _ratios(res["summary"], "textdedup")
    return res


def section_paragraph(args: argparse.Namespace, runner: Runner, work: Path) -> dict[str, Any]:
    from textdedup.synthetic import planted_corpus

    corpus = planted_corpus(args.paragraph_docs, seed=args.seed)
    inp = work / "paragraph.jsonl"
    write_jsonl(inp, [{"id": r["id"], "text": r["text"]} for r in corpus.records])
    n_records, n_paragraphs = count_paragraphs(inp)
    tpy = args.textdedup_python
    base = [tpy, "-m", "textdedup", "dedup", str(inp), "--id-field", "id", "--unit", "paragraph"]
    variants = {
        "paragraph-dict": ([tpy, str(THIS), "--worker", "paragraph-dict", str(inp)], runner.tenv),
        "textdedup-paragraph": (base, runner.tenv),
        "textdedup-paragraph-exact": ([*base, "--mode", "exact"], runner.tenv),
    }
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in variants}
    for rep in range(args.paragraph_repeats):
        for name, (cmd, env) in variants.items():
            out = work / f"{name}.out.jsonl"
            full = [*cmd, str(out)] if name == "paragraph-dict" else [*cmd, "-o", str(out)]
            r = measure(full, env=env, timeout=args.timeout, log=work / f"{name}.err")
            if r["exit_code"] == 0 and not r["timed_out"]:
                kept_records, kept_paragraphs = count_paragraphs(out)
                r["records_kept"] = kept_records
                r["paragraphs_kept"] = kept_paragraphs
                r["paragraphs_removed"] = n_paragraphs - kept_paragraphs
            out.unlink(missing_ok=True)
            runs[name].append(r)
            print(
                f"  [{rep + 1}/{args.paragraph_repeats}] {name:26s} {r['wall_s']:8.2f} s wall"
                f" {_num(r['cpu_s'], 8, 2)} s CPU {_num(r['peak_rss_mb'], 7, 0)} MB"
                f"  removed {r.get('paragraphs_removed', '-')} paragraphs"
                + ("  TIMED OUT" if r["timed_out"] else ""),
                flush=True,
            )
    summary = {}
    for name, rs in runs.items():
        s = _summary(rs)
        ok = [r for r in rs if r["exit_code"] == 0 and not r["timed_out"]]
        if ok:
            s["records_kept"] = ok[-1]["records_kept"]
            s["paragraphs_removed"] = ok[-1]["paragraphs_removed"]
        summary[name] = s
    return {
        "docs": args.paragraph_docs,
        "records": n_records,
        "paragraphs": n_paragraphs,
        "runs": runs,
        "summary": summary,
        # Here the baseline is the reference: "textdedup-paragraph": 40 means 40x slower.
        "ratios_to_dict_baseline": {
            name: {
                key: round(summary[name][key] / summary["paragraph-dict"][key], 2)
                if summary[name].get(key) and summary["paragraph-dict"].get(key)
                else None
                for key in ("wall_s", "cpu_s", "peak_rss_mb")
            }
            for name in runs
            if name != "paragraph-dict"
        },
    }


def section_clean(args: argparse.Namespace, runner: Runner, work: Path) -> dict[str, Any]:
    inputs = {
        "repeats_10mb": repeated_text(args.clean_bytes, args.seed),
        "short_lines_1m": short_lines(args.clean_lines, args.seed),
    }
    res: dict[str, Any] = {"timeout_s": args.clean_timeout, "inputs": {}}
    for name, text in inputs.items():
        path = work / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        out = work / f"{name}.out.txt"
        cmd = [args.textdedup_python, "-m", "textdedup", "clean", str(path), "-o", str(out)]
        runs = []
        for _ in range(args.clean_repeats):
            r = measure(cmd, env=runner.tenv, timeout=args.clean_timeout, log=work / f"{name}.err")
            if r["exit_code"] == 0 and not r["timed_out"]:
                r["output_bytes"] = out.stat().st_size
            out.unlink(missing_ok=True)
            runs.append(r)
            status = (
                f"did not finish in {args.clean_timeout:.0f} s"
                if r["timed_out"]
                else f"{r['wall_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU,"
                f" {r['peak_rss_mb']:.0f} MB, exit {r['exit_code']},"
                f" {r.get('output_bytes', '-')} bytes out"
            )
            print(f"  clean {name}: {status}", flush=True)
        s = _summary(runs)
        s["input_bytes"] = path.stat().st_size
        s["input_lines"] = text.count("\n")
        s["output_bytes"] = next((r["output_bytes"] for r in runs if "output_bytes" in r), None)
        s["timed_out"] = sum(1 for r in runs if r["timed_out"])
        res["inputs"][name] = {"command": " ".join(cmd[1:]), "runs": runs, "summary": s}
        path.unlink()
    return res


# --------------------------------------------------------------------------- main


def versions(args: argparse.Namespace, runner: Runner) -> dict[str, Any]:
    code = (
        "import json, sys, platform; from importlib.metadata import version as v\n"
        "out = {'python': platform.python_version()}\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        out[name] = v(name)\n"
        "    except Exception as exc:\n"
        "        out[name] = 'not installed'\n"
        "print(json.dumps(out))\n"
    )
    tcode = (
        "import json, textdedup, numpy, platform\n"
        "try:\n    import numba; nb = numba.__version__\nexcept ImportError:\n    nb = None\n"
        "print(json.dumps({'python': platform.python_version(),"
        " 'textdedup': getattr(textdedup, '__version__', '?'),"
        " 'textdedup_file': textdedup.__file__,"
        " 'numpy': numpy.__version__, 'numba': nb}))\n"
    )
    out: dict[str, Any] = {}
    res = subprocess.run(
        [args.textdedup_python, "-c", tcode],
        env=runner.tenv,
        capture_output=True,
        text=True,
        check=True,
    )
    out["textdedup_env"] = json.loads(res.stdout)
    peers = ["rensa", "datasketch", "text-dedup", "datatrove", "datasets", "numpy"]
    res = subprocess.run(
        [args.peers_python, "-c", code, *peers], env=runner.penv, capture_output=True, text=True
    )
    out["peers_env"] = json.loads(res.stdout) if res.returncode == 0 else res.stderr[-500:]
    return out


def _tool_repeats(spec: str) -> dict[str, int]:
    out = {}
    for item in filter(None, spec.split(",")):
        tool, _, n = item.partition("=")
        out[tool.strip()] = int(n)
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000, help="documents in the dedup corpus")
    ap.add_argument("--repeats", type=int, default=3, help="interleaved repeats (dedup)")
    ap.add_argument(
        "--tools",
        default=",".join(TOOLS),
        help=f"comma-separated subset of {','.join(TOOLS)}",
    )
    ap.add_argument(
        "--tool-repeats",
        type=_tool_repeats,
        default={},
        help="fewer repeats for slow tools, e.g. datatrove=1 (default: --repeats for all)",
    )
    ap.add_argument(
        "--sections", default="dedup,paragraph,clean", help="comma-separated: dedup,paragraph,clean"
    )
    ap.add_argument(
        "--textdedup-python",
        default=sys.executable,
        help="interpreter that runs textdedup (e.g. /work/main/.venv/bin/python)",
    )
    ap.add_argument(
        "--textdedup-src",
        default=str(HERE.parent / "src"),
        help="PYTHONPATH for textdedup's child processes (a checkout's src; '' for none)",
    )
    ap.add_argument(
        "--baseline-src",
        default="",
        help="another checkout's src: adds the tool textdedup-baseline (the same command "
        "with that PYTHONPATH), interleaved with the others, for before/after",
    )
    ap.add_argument("--peers-python", default="/work/peers/bin/python")
    ap.add_argument("--seed", type=int, default=3, help="corpus seed")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per dedup run")
    ap.add_argument("--paragraph-docs", type=int, default=2000)
    ap.add_argument("--paragraph-repeats", type=int, default=3)
    ap.add_argument("--clean-bytes", type=int, default=10_000_000)
    ap.add_argument("--clean-lines", type=int, default=1_000_000)
    ap.add_argument("--clean-repeats", type=int, default=1)
    ap.add_argument("--clean-timeout", type=float, default=120.0)
    ap.add_argument("--no-warmup", action="store_true", help="skip the untimed warm-up runs")
    ap.add_argument("--workdir", default=None, help="where inputs and outputs go (default: /tmp)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "end_to_end.json")
    args = ap.parse_args(argv)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if args.baseline_src and "textdedup-baseline" not in args.tools:
        args.tools.insert(args.tools.index("textdedup") + 1 if "textdedup" in args.tools else 0,
                          "textdedup-baseline")  # fmt: skip
    unknown = sorted(set(args.tools) - set(TOOLS) - {"textdedup-baseline"})
    if unknown:
        ap.error(f"--tools: unknown {unknown}; choose from {','.join(TOOLS)}")
    args.sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    if "textdedup" not in args.tools and "dedup" in args.sections:
        ap.error("--tools must include textdedup: ratios are to textdedup")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:
        if len(argv) != 4 or argv[1] not in WORKERS:
            raise SystemExit(f"usage: --worker {{{','.join(WORKERS)}}} IN OUT")
        WORKERS[argv[1]](argv[2], argv[3])
        return 0
    args = parse_args(argv)
    if args.textdedup_src:
        sys.path.insert(0, args.textdedup_src)
    started = time.time()
    load_start = os.getloadavg()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["benchmarks/end_to_end.py", *argv]),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            # The machine is shared: a load above the CPU count means other work ran too.
            "load_average_at_start": load_start,
        },
        "settings": {
            "threshold": THRESHOLD,
            "num_perm": NUM_PERM,
            "ngram": NGRAM,
            "minhash_seed": SEED,
            "corpus_seed": args.seed,
            "repeats": args.repeats,
            "tool_repeats": args.tool_repeats,
            "datatrove_bands_rows": [DATATROVE_BANDS, DATATROVE_ROWS],
            "textdedup_python": args.textdedup_python,
            "textdedup_src": args.textdedup_src,
            "baseline_src": args.baseline_src,
            "peers_python": args.peers_python,
        },
    }
    with tempfile.TemporaryDirectory(prefix="e2e-", dir=args.workdir) as tmp:
        work = Path(tmp)
        runner = Runner(args, work)
        results["versions"] = versions(args, runner)
        print(json.dumps(results["versions"]), flush=True)
        for name, fn in (
            ("dedup", section_dedup),
            ("paragraph", section_paragraph),
            ("clean", section_clean),
        ):
            if name in args.sections:
                print(f"[{name}] load average {os.getloadavg()}", flush=True)
                section = fn(args, runner, work)
                section["load_average_after"] = os.getloadavg()
                results[name] = section
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["wall_seconds"] = round(time.time() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.out.with_name(args.out.name + ".tmp")
    tmp_out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tmp_out.replace(args.out)
    print(f"wrote {args.out} in {results['wall_seconds']:.0f} s", flush=True)
    if "dedup" in results:
        print(json.dumps(results["dedup"]["summary"], indent=1))
        print(json.dumps(results["dedup"]["ratios_to_textdedup"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
