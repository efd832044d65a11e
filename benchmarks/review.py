"""The review page on a planted corpus: time, peak memory and page size.

    PYTHONPATH=src python benchmarks/review.py [--records 100000] [--out FILE.json]
        [--screenshot docs/review.png]

Generates the seeded corpus of ``benchmarks/corpus.py`` (planted exact and near
duplicates, and records that only borrow a paragraph), runs ``textdedup find
--stats`` on it, then ``textdedup review`` with ``--corpus``, and reports the
seconds and peak RSS of each step, the page's size and how many clusters it
shows. With ``--screenshot``, headless Chromium draws the page to a PNG. With
``--clusters-only``, it reviews a synthetic clusters file of ``--records``
records instead (no corpus, no find): the streaming read at scale.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _run(cmd: list[str]) -> dict[str, object]:
    """Run ``cmd``; its own seconds and peak RSS (``os.wait4``), and its stderr."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace").strip()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "stderr": stderr,
    }


def _browser(size: str) -> Any:
    """Headless Chromium (Debian's package) driven by Selenium, its window ``size``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={size}"):
        options.add_argument(arg)
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def _screenshots(page: Path, png: Path) -> None:
    """Two PNGs: the summary (``png``) and the cluster closest to the threshold, opened."""
    from selenium.webdriver.common.by import By

    browser = _browser("1100,1300")
    try:
        browser.get(page.as_uri())
        browser.save_screenshot(str(png))
        closest = browser.find_elements(By.CSS_SELECTOR, "h3 ~ details.cluster")
        heading = browser.find_element(By.XPATH, "//h3[starts-with(., 'Closest')]")
        after = [d for d in closest if d.location["y"] > heading.location["y"]]
        target = after[0] if after else closest[0]
        target.find_element(By.TAG_NAME, "summary").click()
        browser.execute_script("arguments[0].scrollIntoView()", target)
        browser.save_screenshot(str(png.with_name(png.stem + "-cluster.png")))
    finally:
        browser.quit()


def _write_corpus(path: Path, records: int, seed: int, kind: str = "planted") -> None:
    """Write the planted or overlapping corpus of :mod:`textdedup.synthetic`, in a child
    process: the parent stays small, so the peak RSS the children report (Linux carries
    it across fork and exec) is theirs."""
    code = (
        f"import json, sys; from textdedup.synthetic import {kind}_corpus as make; "
        "c = make(int(sys.argv[2]), seed=int(sys.argv[3])); "
        "open(sys.argv[1], 'w', encoding='utf-8').write("
        "''.join(json.dumps(r) + '\\n' for r in c.records))"
    )
    subprocess.run([sys.executable, "-c", code, str(path), str(records), str(seed)], check=True)


def _fixture_screenshot(fixture: Path, png: Path) -> dict[str, object]:
    """``clean --report`` on the real example, ``review`` of that report, and a PNG of the
    page's clean view (removed spans struck through, linked to the copy they repeat)."""
    from selenium.webdriver.common.by import By

    tool = [sys.executable, "-m", "textdedup"]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        report, page = d / "report.json", d / "fixture.html"
        clean = _run([*tool, "clean", str(fixture), "--report", str(report), "-o", str(d / "o")])
        review = _run([*tool, "review", str(report), "-o", str(page)])
        browser = _browser("1100,900")
        try:
            browser.get(page.as_uri())
            target = browser.find_element(By.ID, "clean")
            browser.execute_script("arguments[0].scrollIntoView()", target)
            browser.save_screenshot(str(png))
        finally:
            browser.quit()
        removals = json.loads(report.read_text(encoding="utf-8"))["removals"]
    return {"clean": clean, "review": review, "removals": len(removals)}


def _synthetic_clusters(path: Path, records: int, seed: int) -> int:
    """A clusters file as ``find`` writes it, over ``records`` records: 80% pairs, the rest
    3-40 members, scores uniform in [0.7, 1]. Returns the number of clusters."""
    rng = random.Random(seed)
    n = count = 0
    with path.open("w", encoding="utf-8") as fh:
        while n < records:
            size = 2 if rng.random() < 0.8 else rng.randint(3, 40)
            kept = f"doc{n:07d}"
            members = [{"id": kept, "kept": True, "score": None, "preview": "x" * 77 + "..."}]
            members += [
                {
                    "id": f"doc{n + j:07d}",
                    "kept": False,
                    "score": round(rng.uniform(0.7, 1.0), 6),
                    "preview": "y" * 77 + "...",
                }
                for j in range(1, size)
            ]
            row = {"cluster": kept, "kept": kept, "size": size, "members": members}
            fh.write(json.dumps(row) + "\n")
            n += size
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", default="benchmarks/results/review.json")
    parser.add_argument("--screenshot", default=None, help="PNG of the page (needs chromium)")
    parser.add_argument("--html", default=None, help="Keep the page here")
    parser.add_argument(
        "--corpus",
        choices=("planted", "overlapping"),
        default="planted",
        help="Which seeded corpus of textdedup.synthetic (benchmarks/corpus.py) to review",
    )
    parser.add_argument(
        "--fixture-screenshot",
        default=None,
        help="Also clean shared/fixtures/doubled_article.txt with --report, review the "
        "report and draw its clean view to this PNG (needs chromium)",
    )
    parser.add_argument(
        "--clusters-only",
        action="store_true",
        help="Review a synthetic clusters file of --records records (no corpus, no find)",
    )
    args = parser.parse_args()
    if args.clusters_only:
        with tempfile.TemporaryDirectory() as tmp:
            clusters = Path(tmp) / "clusters.jsonl"
            count = _synthetic_clusters(clusters, args.records, args.seed)
            cmd = [sys.executable, "-m", "textdedup", "review", str(clusters), "--threshold"]
            review = _run([*cmd, "0.7", "-o", str(Path(tmp) / "review.html")])
            result = {
                "command": "PYTHONPATH=src python benchmarks/review.py " + " ".join(sys.argv[1:]),
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "records": args.records,
                "clusters": count,
                "clusters_mb": round(clusters.stat().st_size / 1e6, 1),
                "page_kb": round((Path(tmp) / "review.html").stat().st_size / 1024, 1),
                "review": review,
            }
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(result, indent=2))
        return

    tool = [sys.executable, "-m", "textdedup"]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        src = d / "corpus.jsonl"
        _write_corpus(src, args.records, args.seed, args.corpus)
        corpus_mb = round(src.stat().st_size / 1e6, 1)
        clusters, stats, page = d / "clusters.jsonl", d / "stats.json", d / "review.html"
        ids = ["--id-field", "id"]
        find = _run(
            [*tool, "find", str(src), *ids, "--clusters", str(clusters), "--stats", str(stats)]
        )
        review = _run(
            [
                *tool,
                "review",
                str(clusters),
                str(stats),
                "--corpus",
                str(src),
                *ids,
                "-o",
                str(page),
            ]
        )
        html = page.read_text(encoding="utf-8")
        if args.html:
            shutil.copyfile(page, args.html)
        if args.screenshot:
            _screenshots(page, Path(args.screenshot))
        lines = sum(1 for _ in clusters.open(encoding="utf-8"))
    result = {
        "command": "PYTHONPATH=src python benchmarks/review.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "records": args.records,
        "corpus": args.corpus,
        "clusters": lines,
        "corpus_jsonl_mb": corpus_mb,
        "page_kb": round(len(html.encode("utf-8")) / 1024, 1),
        "clusters_shown": html.count('class="cluster"'),
        "find": find,
        "review": review,
    }
    if args.fixture_screenshot:
        fixture = Path(__file__).resolve().parents[1].parent / "shared/fixtures/doubled_article.txt"
        result["fixture"] = _fixture_screenshot(fixture, Path(args.fixture_screenshot))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
