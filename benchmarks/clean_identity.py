"""Digests of ``clean`` outputs, to show that a speed change changes no output.

Run it under two checkouts and compare the two files::

    PYTHONPATH=/work/main/src python benchmarks/clean_identity.py --out /tmp/main.json
    PYTHONPATH=src python benchmarks/clean_identity.py --out /tmp/branch.json
    python benchmarks/clean_identity.py --compare /tmp/main.json /tmp/branch.json

Documents: the clean benchmark's generated documents (``clean_quality.generate``), the
cases and the fixture of ``../shared``, seeded random texts made of a few sentences (ASCII
and not), corpus records (issue #12's overlapping corpus and ``clean_corpus.py``'s
scraped-style records, some with CRLF and trailing spaces), and seeded short-line and
repeated-paragraph texts like the ones ``end_to_end.py`` cleans, of a few hundred KB and
of just over 1M characters (clean's long-text paths); each under several ``CleanConfig``s.
A digest is the SHA-1 of ``[text, to_dict()]``, so the text and the whole report must agree.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def documents(n_bench: int, seed: int) -> dict[str, str]:
    """Named documents, the same on every run and every checkout."""
    docs: dict[str, str] = {}
    cq = _load("clean_quality")
    for k, d in enumerate(cq.generate(n_bench, seed)):
        docs[f"bench/{k}"] = d.text
    for p in sorted((SHARED / "cases").glob("*/*.txt")):
        docs[f"case/{p.parent.name}/{p.name}"] = p.read_text(encoding="utf-8")
    for p in sorted((SHARED / "fixtures").glob("*.txt")):
        docs[f"fixture/{p.name}"] = p.read_text(encoding="utf-8")
    rng = random.Random(seed)
    words = ["the", "market", "price", "rose", "fell", "Data", "ok", "4.2", "1,000", "x_y"]
    other = ["市场", "рынок", "ﬁne", "naïve", "“quoted”", "a—b", "10²", "ok`"]
    seps = [" ", "\n", "\n\n", ". ", "<p>", "\n> ", "\n- ", ", "]
    for k in range(300):
        vocab = words + (other if k % 2 else [])
        pool = [
            " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 14))) + rng.choice(".!?:")
            for _ in range(rng.randint(1, 6))
        ]
        parts = [rng.choice(pool) + rng.choice(seps) for _ in range(rng.randint(0, 40))]
        docs[f"random/{k}"] = "".join(parts)
    # Corpus records, nearly all with nothing repeated (clean's screen passes them):
    # issue #12's overlapping corpus and the scraped-style records of clean_corpus.py
    # (half with the body pasted twice), with trailing spaces, CRLF and tabs on some.
    from textdedup.synthetic import overlapping_corpus

    for k, r in enumerate(overlapping_corpus(200, seed=seed).records):
        docs[f"overlap/{k}"] = r["text"]
    for k, text, _, _ in _load("clean_corpus").iter_corpus(100, seed=seed, doubled=0.5):
        docs[f"corpus/{k}"] = text
        if k % 4 == 1:
            docs[f"corpus-layout/{k}"] = text.replace("\n", " \r\n").replace(". ", ".\t", 3)
    e2e = _load("end_to_end")
    for n in (2_000, 20_000):
        docs[f"lines/{n}"] = e2e.short_lines(n, seed)
    docs["paragraphs/300k"] = e2e.repeated_text(300_000, seed)
    # Past clean's long-text thresholds (1M characters: the compiled piece finder, the
    # repeats found before the blocks): lines, paragraphs, and paragraphs with a stutter
    # in the middle, so that a second pass runs over more than 1M characters.
    docs["lines/25k"] = e2e.short_lines(25_000, seed)
    big = e2e.repeated_text(1_200_000, seed)
    docs["paragraphs/1.2m"] = big
    mid = big.index("\n\n", len(big) // 2) + 2
    end = big.index("\n\n", mid) + 2
    docs["paragraphs/1.2m-stutter"] = big[:end] + big[mid:end] + big[end:]
    return docs


def configs() -> dict[str, Any]:
    from textdedup import CleanConfig

    return {
        "default": CleanConfig(),
        "line": CleanConfig(blocks="line"),
        "paragraph-last": CleanConfig(blocks="paragraph", keep="last"),
        "loose": CleanConfig(threshold=0.5, isolated="remove"),
        "exact": CleanConfig(near=False, min_span=5, min_copy=10, min_copy_span=8),
        "sentence": CleanConfig(blocks="sentence"),
    }


def digests(n_bench: int, seed: int) -> dict[str, str]:
    from textdedup import clean

    out: dict[str, str] = {}
    cfgs = configs()
    for name, text in documents(n_bench, seed).items():
        big = name.startswith(("lines/", "paragraphs/"))
        for cname, cfg in cfgs.items():
            if big and cname not in ("default", "line"):
                continue
            try:
                r = clean(text, config=cfg)
                payload = json.dumps([r.text, r.to_dict()], sort_keys=True, ensure_ascii=True)
            except Exception as exc:  # an error must be the same error too
                payload = f"{type(exc).__name__}: {exc}"
            out[f"{name}|{cname}"] = hashlib.sha1(payload.encode()).hexdigest()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="write the digests here (JSON)")
    ap.add_argument("--bench", type=int, default=60, help="clean benchmark documents")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"), help="compare two digest files")
    args = ap.parse_args(argv)
    if args.compare:
        a, b = (json.loads(Path(p).read_text()) for p in args.compare)
        differ = sorted(k for k in (a.keys() | b.keys()) - {"textdedup"} if a.get(k) != b.get(k))
        print(f"{len(a)} and {len(b)} digests; {len(differ)} differ")
        for k in differ[:20]:
            print("  differs:", k)
        return 1 if differ else 0
    import textdedup

    res = digests(args.bench, args.seed)
    Path(args.out).write_text(json.dumps({"textdedup": textdedup.__file__, **res}, indent=0))
    print(f"{len(res)} digests from {textdedup.__file__} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
