"""``textdedup.spark.dedup`` says ``text_field``/``id_field``/``annotate_field`` like
every other function; its first names (``text_col``, ...) still work, with a
DeprecationWarning, and mean the same."""

from __future__ import annotations

import pytest

from textdedup import DedupConfig

pytestmark = [
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

ROWS = [
    {"key": "a", "body": "the cat sat on the mat and looked at the door"},
    {"key": "b", "body": "the cat sat on the mat and looked at the door!"},
    {"key": "c", "body": "a different sentence about rivers and mills entirely"},
]


def test_old_column_keywords_warn_and_mean_the_new_ones(spark) -> None:  # type: ignore[no-untyped-def]
    from textdedup import spark as td_spark

    df = spark.createDataFrame(ROWS)
    config = DedupConfig(shingle="word", ngram=3)
    new = td_spark.dedup(
        df,
        text_field="body",
        id_field="key",
        config=config,
        action="annotate",
        annotate_field="dup",
    ).collect()
    with pytest.warns(DeprecationWarning) as caught:
        old = td_spark.dedup(
            df, text_col="body", id_col="key", config=config, action="annotate", annotate_col="dup"
        ).collect()
    said = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    for old_name, new_name in [
        ("text_col", "text_field"),
        ("id_col", "id_field"),
        ("annotate_col", "annotate_field"),
    ]:
        assert any(
            f"dedup({old_name}=...) is deprecated" in m and f"use {new_name}=" in m for m in said
        )
    assert [r.asDict(recursive=True) for r in old] == [r.asDict(recursive=True) for r in new]
    assert [r["dup"]["duplicate_of"] for r in new] == [None, "a", None]
