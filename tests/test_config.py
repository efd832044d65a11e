"""DedupConfig: bounds checked at construction, and the old import paths still work."""

from __future__ import annotations

import pytest

from textdedup.config import DedupConfig


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": -1}, r"seed must be an int in \[0, 2\*\*64\), got -1"),
        ({"num_perm": 5000}, r"num_perm must be an int in \[1, 4096\], got 5000"),
        ({"ngram": 65}, r"ngram must be an int in \[1, 64\], got 65"),
        ({"threshold": 1.5}, r"threshold must be in \[0, 1\], got 1.5"),
        ({"verify": "cosine"}, "verify must be one of jaccard, containment, ratio, none"),
    ],
)
def test_bad_settings_fail_at_construction(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DedupConfig(**kwargs)  # type: ignore[arg-type]


def test_old_import_paths_name_the_same_objects() -> None:
    import textdedup
    from textdedup import _hashing, config, engine, spark
    from textdedup.engines import spark as engines_spark

    assert engine.DedupConfig is config.DedupConfig is textdedup.DedupConfig
    assert engine.VERIFIERS is config.VERIFIERS
    assert engine.digest is _hashing.digest
    assert spark.dedup is engines_spark.dedup
    assert spark.local_session is engines_spark.local_session


def test_engine_still_exports_the_short_text_vocabulary() -> None:
    from textdedup import config, engine

    for name in ("AUTO_CHAR_NGRAM", "SHORT_TEXT_WORDS", "SHINGLES", "NUMBERS", "SCORER_OF"):
        assert getattr(engine, name) is getattr(config, name), name
    assert engine.pair_scores.__module__ == "textdedup.engine"


def test_auto_shingles_check_minhash_bounds_at_construction() -> None:
    with pytest.raises(ValueError, match=r"seed must be an int in \[0, 2\*\*64\), got -1"):
        DedupConfig(shingle="auto", seed=-1)
    auto = DedupConfig(shingle="auto")
    with pytest.raises(ValueError, match="shingle='auto' is decided from the items"):
        auto.hasher()
    assert auto.resolved(12).hasher().unit == "char"
    assert auto.resolved(400).hasher().unit == "word"
