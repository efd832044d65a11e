"""DedupConfig: bounds checked at construction, and the old import paths still work."""

from __future__ import annotations

import pytest

from textdedup.config import CleanConfig, DedupConfig, MinHashConfig


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


def test_minhash_config_nests_in_both_configs() -> None:
    import dataclasses

    from textdedup.clean import CleanConfig as clean_CleanConfig
    from textdedup.config import CleanConfig, MinHashConfig

    nested = DedupConfig(minhash=MinHashConfig(num_perm=64, ngram=3, seed=9))
    assert nested == DedupConfig(num_perm=64, ngram=3, seed=9)
    assert nested.minhash_config == MinHashConfig(num_perm=64, ngram=3, seed=9)
    assert nested.hasher().settings["num_perm"] == 64
    # dataclasses.replace keeps working on the flat fields and on the nested config
    assert dataclasses.replace(nested, ngram=4).minhash_config.ngram == 4
    assert dataclasses.replace(DedupConfig(), minhash=MinHashConfig(seed=2)).seed == 2
    # ... but a nested value that contradicts one already set is an error, not a choice
    with pytest.raises(ValueError, match=r"seed is given twice: seed=9 and minhash.seed=2"):
        dataclasses.replace(nested, minhash=MinHashConfig(seed=2))
    clean_config = CleanConfig(minhash=MinHashConfig(num_perm=32, seed=4))
    assert (clean_config.num_perm, clean_config.seed) == (32, 4)
    assert clean_config.minhash_config.shingle == "char"
    assert clean_CleanConfig is CleanConfig


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_perm": 0}, r"num_perm must be an int in \[1, 4096\], got 0"),
        ({"ngram": True}, r"ngram must be an int in \[1, 64\], got True"),
        ({"seed": 2**64}, r"seed must be an int in \[0, 2\*\*64\), got 18446744073709551616"),
        ({"shingle": "byte"}, "shingle must be one of word, char, auto, got 'byte'"),
    ],
)
def test_minhash_config_checks_bounds_at_construction(
    kwargs: dict[str, object], message: str
) -> None:
    from textdedup.config import CleanConfig, MinHashConfig

    with pytest.raises(ValueError, match=message):
        MinHashConfig(**kwargs)  # type: ignore[arg-type]
    if "shingle" not in kwargs:  # clean's shingles are characters, always
        with pytest.raises(ValueError, match=message):
            CleanConfig(**kwargs)  # type: ignore[arg-type]


def test_minhash_settings_given_twice_must_agree() -> None:
    from textdedup.config import CleanConfig, MinHashConfig

    with pytest.raises(ValueError, match=r"num_perm is given twice: num_perm=256 and minhash"):
        DedupConfig(num_perm=256, minhash=MinHashConfig(num_perm=64))
    with pytest.raises(ValueError, match=r"seed is given twice"):
        CleanConfig(seed=3, minhash=MinHashConfig(seed=4))
    with pytest.raises(TypeError, match="minhash must be a MinHashConfig"):
        DedupConfig(minhash={"num_perm": 64})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="shingle='auto' is decided from the items"):
        MinHashConfig(shingle="auto").hasher()


def test_one_rule_for_workers() -> None:
    import os

    from textdedup.config import resolve_workers
    from textdedup.verify import fuzzy_scores

    cores = len(os.sched_getaffinity(0))
    assert resolve_workers(0) == resolve_workers(None) == cores
    assert resolve_workers(0, cap=1) == 1
    assert resolve_workers(3) == 3
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="workers must be an int >= 0"):
            resolve_workers(bad)  # type: ignore[arg-type]
    texts = ["hello world", "abc"], ["hello world!", "xyz"]
    assert fuzzy_scores(*texts, workers=0).tolist() == fuzzy_scores(*texts, workers=1).tolist()


# -- one meaning per word: renamed settings, the old spellings for one release -------------


def test_level_and_near_are_the_settings_and_the_old_keywords_warn() -> None:
    import dataclasses

    new = DedupConfig(level="line", near=False)
    with pytest.warns(DeprecationWarning, match=r"DedupConfig\(unit=...\) is deprecated.*level"):
        old_unit = DedupConfig(unit="line", near=False)  # type: ignore[call-arg]
    with pytest.warns(DeprecationWarning, match=r"DedupConfig\(mode=...\) is deprecated.*near"):
        old_mode = DedupConfig(level="line", mode="exact")  # type: ignore[call-arg]
    assert old_unit == old_mode == new
    with pytest.warns(DeprecationWarning, match=r"DedupConfig.unit is deprecated.*level"):
        assert new.unit == "line"
    with pytest.warns(DeprecationWarning, match=r"DedupConfig.mode is deprecated.*near"):
        assert new.mode == "exact"
    with pytest.warns(DeprecationWarning):
        assert DedupConfig(mode="near").near is True  # type: ignore[call-arg]
    # dataclasses.replace with an old keyword: the keyword written wins.
    with pytest.warns(DeprecationWarning):
        assert dataclasses.replace(new, unit="paragraph").level == "paragraph"  # type: ignore[call-arg]
    assert dataclasses.replace(new, level="doc").level == "doc"


def test_bad_values_of_the_new_and_old_spellings_name_the_setting() -> None:
    with pytest.raises(ValueError, match="level must be one of doc, paragraph"):
        DedupConfig(level="page")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="near must be True or False, got 'exact'"):
        DedupConfig(near="exact")  # type: ignore[arg-type]
    with (
        pytest.warns(DeprecationWarning),
        pytest.raises(ValueError, match="mode must be one of exact, near, got 'fuzzy'"),
    ):
        DedupConfig(mode="fuzzy")  # type: ignore[call-arg]


def test_clean_config_blocks_and_its_old_name_mode() -> None:
    new = CleanConfig(blocks="paragraph")
    with pytest.warns(DeprecationWarning, match=r"CleanConfig\(mode=...\) is deprecated.*blocks"):
        assert CleanConfig(mode="paragraph") == new  # type: ignore[call-arg]
    with pytest.warns(DeprecationWarning, match=r"CleanConfig.mode is deprecated"):
        assert new.mode == "paragraph"


def test_minhash_hasher_backend_and_its_old_name_engine() -> None:
    config = MinHashConfig(num_perm=16)
    texts = ["the cat sat on the mat today again"]
    expected = config.hasher(backend="numpy").signatures(texts)
    with pytest.warns(DeprecationWarning, match=r"hasher\(engine=...\) is deprecated.*backend"):
        old = config.hasher(engine="numpy").signatures(texts)
    assert (old == expected).all()


def test_the_warning_points_at_the_callers_line() -> None:
    with pytest.warns(DeprecationWarning) as caught:
        DedupConfig(unit="line")  # type: ignore[call-arg]
    assert caught[0].filename == __file__
    with pytest.warns(DeprecationWarning) as caught:
        assert DedupConfig().unit == "doc"
    assert caught[0].filename == __file__
    with pytest.warns(DeprecationWarning) as caught:
        MinHashConfig().hasher(engine="numpy")
    assert caught[0].filename == __file__
