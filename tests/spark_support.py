"""What the Spark test modules share: when they skip, and which warnings they ignore."""

from __future__ import annotations

import os

import pytest

# PySpark and py4j warn about their own deprecated calls (and leave sockets to the JVM);
# pytest runs with filterwarnings=error, so each Spark module ignores these.
SPARK_WARNINGS = [
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


def require_pyspark() -> None:
    """Skip the calling module when pyspark is missing, except under CI, where it must import.

    Call it at module level, before the module imports anything of Spark's.

    Raises
    ------
    ImportError
        Under CI (``CI=true``) when pyspark is not installed: the Spark tests must run there.
    """
    if os.environ.get("CI") == "true":
        import pyspark  # noqa: F401 - under CI the Spark tests may not skip
    else:
        pytest.importorskip("pyspark", reason="the spark extra is not installed")
