from __future__ import annotations

import random
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FIXTURE = SHARED / "fixtures" / "doubled_article.txt"


@pytest.fixture(scope="session")
def article() -> str:
    """The real example: a news article whose body was pasted twice, then blank lines."""
    return FIXTURE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def article_lines(article: str) -> list[str]:
    """The article's first ten lines: headline and body, once."""
    return article.splitlines()[:10]


@pytest.fixture(scope="session")
def spark():  # type: ignore[no-untyped-def]
    """A Spark session in ``local[2]``, shared by the Spark tests; skipped without Spark."""
    import os
    import shutil

    if os.environ.get("CI") == "true":
        import pyspark  # noqa: F401 - under CI the Spark tests may not skip
    else:
        pytest.importorskip("pyspark", reason="the spark extra is not installed")
    from textdedup.engines import spark as td_spark

    if not (os.environ.get("JAVA_HOME") or td_spark.find_java_home() or shutil.which("java")):
        if os.environ.get("CI") == "true":
            pytest.fail("no Java runtime, and under CI the Spark tests may not skip")
        pytest.skip("no Java runtime on this machine")
    session = td_spark.local_session("local[2]")
    yield session
    session.stop()


def prose(rng: random.Random, sentences: int, vocab: list[str]) -> str:
    """``sentences`` sentences of 8-22 words drawn from ``vocab`` with ``rng`` (passage tests)."""
    out = []
    for _ in range(sentences):
        words = [rng.choice(vocab) for _ in range(rng.randint(8, 22))]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)
