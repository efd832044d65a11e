from __future__ import annotations

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
