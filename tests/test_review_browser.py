"""The review page in a real browser: headless Chromium driven by Selenium.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and
the ``selenium`` package (test extras). Skipped when they are missing, except in
CI (``CI=true``), where a missing browser is a failure. Screenshots go to ``out/``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from textdedup.cli import main

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _driver() -> Any:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium")
    if missing:
        if IN_CI:
            pytest.fail(f"CI needs {', '.join(missing)} for the browser test (see .ci/run)")
        pytest.skip(f"no {', '.join(missing)}")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1400"):
        options.add_argument(arg)
    options.add_argument("--disable-dev-shm-usage")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The Debian driver, named explicitly: Selenium then downloads nothing.
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = _driver()
    try:
        yield driver
    finally:
        driver.quit()


def _page(tmp_path: Path) -> Path:
    base = (
        "The harbor lantern glowed over the copper water while the old falcon circled the "
        "glacier and the timber saddle creaked beside the walnut basket in the yellow dune. "
        "Later the meadow thunder rolled past the orchard, the candle burned down to the pepper "
        "jar, and the velvet anchor rested by the river stone until the maple cloud cleared."
    )
    edited = base.replace("copper", "cobalt")
    rows = [
        {"id": "kept-doc", "text": base},
        {"id": "edited-doc", "text": edited},
        {"id": "same-doc", "text": base + " <script>window.HACKED = 1</script>"},
        {"id": "other", "text": "Something else entirely, with no words in common at all here."},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    clusters, stats = tmp_path / "clusters.jsonl", tmp_path / "stats.json"
    runner = CliRunner()
    find = ["find", str(corpus), "--id-field", "id", "--clusters", str(clusters), "-q"]
    assert runner.invoke(main, [*find, "--stats", str(stats)]).exit_code == 0
    out = tmp_path / "review.html"
    args = [str(clusters), str(stats), "--corpus", str(corpus), "--id-field", "id"]
    assert runner.invoke(main, ["review", *args, "-o", str(out), "-q"]).exit_code == 0
    return out


def test_review_page_in_chromium(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = _page(tmp_path)
    browser.get(page.as_uri())
    assert browser.title == "textdedup review"
    # Loads without console errors (a CSP violation or script error would be one).
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    assert browser.execute_script("return window.HACKED === undefined") is True
    # A cluster starts closed and expands on a click.
    cluster = browser.find_element(By.ID, "cluster-0")
    assert cluster.get_attribute("open") is None
    changed = cluster.find_element(By.CSS_SELECTOR, "span.c-b")
    assert not changed.is_displayed()
    cluster.find_element(By.TAG_NAME, "summary").click()
    assert cluster.get_attribute("open") is not None
    # The highlighted difference is the changed word, in the removed copy (right column),
    # level with its counterpart in the kept copy (left column).
    assert changed.is_displayed() and changed.text == "cobalt"
    before = cluster.find_element(By.CSS_SELECTOR, "span.c-a")
    assert before.text == "copper"
    assert changed.location["x"] > before.location["x"] + 300
    assert abs(changed.location["y"] - before.location["y"]) < 5
    # The buttons collapse and expand every cluster (the page's own script runs).
    browser.find_element(By.ID, "collapse-all").click()
    assert cluster.get_attribute("open") is None
    browser.find_element(By.ID, "expand-all").click()
    opened = browser.find_elements(By.CSS_SELECTOR, "details.cluster[open]")
    assert len(opened) == len(browser.find_elements(By.CSS_SELECTOR, "details.cluster")) == 1
    # The threshold line sits at 0.7 of the histogram's axis.
    line = browser.find_element(By.ID, "threshold-line")
    assert line.get_attribute("x1") == f"{28 + 0.7 * (520 - 56):.1f}"
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    browser.find_element(By.ID, "clusters").location_once_scrolled_into_view  # noqa: B018
    assert browser.save_screenshot(str(out / "review.png"))
    assert (out / "review.png").stat().st_size > 10_000
