"""MinHash signatures against a pure-Python reference, and their determinism."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import minhash, shingle
from textdedup.minhash import EMPTY, MinHasher, jaccard_estimate
from textdedup.shingle import shingle_hashes

SRC = Path(__file__).resolve().parents[1] / "src"


def ref_signatures(hasher: MinHasher, texts: list[str]) -> list[list[int]]:
    """Slow reference: per text, per permutation, min of ((a*x + b) mod 2**64) >> 32."""
    a, b = (v.tolist() for v in hasher.permutations())
    keys = hasher.keys(texts)
    out = []
    for key in keys:
        xs = shingle_hashes([key], ngram=hasher.ngram, unit=hasher.unit).hashes.tolist()
        if not xs:
            out.append([int(EMPTY)] * hasher.num_perm)
            continue
        out.append(
            [min(((ai * x + bi) % 2**64) >> 32 for x in xs) for ai, bi in zip(a, b, strict=True)]
        )
    return out


_TEXTS = [
    "the quick brown fox jumps over the lazy dog",
    "the quick brown fox jumped over the lazy dog",
    "",
    "two words",
    "今天天气很好，我们去公园散步吧",
    "Ünïcödé, punctuation!  And   spaces.",
    "x",
]


@pytest.mark.parametrize("unit", ["word", "char"])
@pytest.mark.parametrize("key", [None, "default"])
def test_signatures_equal_reference(unit: str, key: str | None) -> None:
    hasher = MinHasher(num_perm=32, ngram=5 if unit == "word" else 3, unit=unit, seed=7)  # type: ignore[arg-type]
    if key is None:
        hasher = MinHasher(num_perm=32, ngram=hasher.ngram, unit=hasher.unit, seed=7, key=None)
    sig = hasher.signatures(_TEXTS)
    assert sig.shape == (len(_TEXTS), 32)
    assert sig.dtype == np.uint32
    assert sig.tolist() == ref_signatures(hasher, _TEXTS)
    assert (sig[2] == EMPTY).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="ab c日本\n", max_size=30), max_size=8),
    st.integers(1, 4),
    st.integers(0, 2**64 - 1),
)
def test_signatures_equal_reference_hypothesis(texts: list[str], ngram: int, seed: int) -> None:
    hasher = MinHasher(num_perm=8, ngram=ngram, seed=seed, key=None)
    assert hasher.signatures(texts).tolist() == ref_signatures(hasher, texts)


def test_permutations_are_odd_and_seeded() -> None:
    a, _ = MinHasher(num_perm=64, seed=3).permutations()
    assert (a & np.uint64(1)).all()
    assert np.unique(a).size == 64
    a2, _ = MinHasher(num_perm=64, seed=4).permutations()
    assert not np.array_equal(a, a2)


def _corpus(n: int) -> list[str]:
    rng = np.random.default_rng(0)
    return [" ".join(f"w{x}" for x in rng.integers(0, 500, rng.integers(0, 40))) for _ in range(n)]


def test_workers_and_chunking_do_not_change_signatures(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _corpus(400)
    expected = MinHasher(num_perm=16, key=None, workers=1).signatures(texts)
    monkeypatch.setattr(minhash, "_CHUNK_ELEMENTS", 16 * 50)  # many jobs
    monkeypatch.setattr(shingle, "_CHUNK_CHARS", 500)
    for workers in (1, 2):
        sig = MinHasher(num_perm=16, key=None, workers=workers).signatures(texts)
        assert np.array_equal(sig, expected)


_CHILD = """
import hashlib, sys
import numpy as np
from textdedup.minhash import MinHasher
texts = [" ".join(f"w{x}" for x in range(i, i + i % 17)) + " 今天" for i in range(200)]
sig = MinHasher(num_perm=64, seed=11).signatures(texts)
print(hashlib.sha256(np.ascontiguousarray(sig).tobytes()).hexdigest())
"""


def test_signatures_are_stable_across_processes() -> None:
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    texts = [" ".join(f"w{x}" for x in range(i, i + i % 17)) + " 今天" for i in range(200)]
    here = MinHasher(num_perm=64, seed=11).signatures(texts)
    digests.add(hashlib.sha256(np.ascontiguousarray(here).tobytes()).hexdigest())
    assert len(digests) == 1


def test_estimates_are_unbiased_and_near_binomial_error() -> None:
    # Pairs of shingle sets with known Jaccard; the estimate's error should match the
    # binomial ideal E|Bin(P, J)/P - J| and average out to zero.
    rng = np.random.default_rng(5)
    perm = 128
    hasher = MinHasher(num_perm=perm)
    hashes, offsets, exact = [], [0], []
    for _ in range(400):
        pool = rng.integers(0, 2**63, 300, dtype=np.uint64)
        shared = int(rng.integers(20, 150))
        a, b = pool[:150], pool[150 - shared : 300 - shared]
        exact.append(shared / (300 - shared))
        for s in (a, b):
            hashes.append(s)
            offsets.append(offsets[-1] + s.size)
    sig = hasher.signatures_of(
        shingle.Shingles(np.concatenate(hashes), np.array(offsets, dtype=np.int64))
    )
    est = np.array([jaccard_estimate(sig[2 * i], sig[2 * i + 1]) for i in range(400)])
    j = np.array(exact)
    k = np.arange(perm + 1)
    from math import comb

    ideal = np.mean(
        [
            sum(comb(perm, x) * p**x * (1 - p) ** (perm - x) * abs(x / perm - p) for x in k)
            for p in j
        ]
    )
    mae = float(np.mean(np.abs(est - j)))
    assert mae < 1.15 * ideal
    assert abs(float(np.mean(est - j))) < 0.01


def test_bad_arguments_name_the_argument() -> None:
    with pytest.raises(ValueError, match=r"num_perm must be an int in \[1, 4096\], got 0"):
        MinHasher(num_perm=0)
    with pytest.raises(TypeError, match="got one str"):
        MinHasher().signatures("one text")  # type: ignore[arg-type]
    sig = MinHasher(num_perm=8).signatures(["a b"])
    with pytest.raises(ValueError, match="num_perm: stored 8, requested 16"):
        MinHasher(num_perm=16).check(sig.settings)


# Edge cases for the engines: empty and blank texts, control bytes, newlines inside a
# text, CJK, Thai and Javanese (one character per word), astral characters, a lone surrogate,
# and one long text.
_EDGE_TEXTS = [
    "",
    " ",
    "\n\n",
    "a",
    "a b",
    "a\nb\tc\x00d\x1fe",
    "今天天气很好，我们去公园散步吧",
    "日本語のテキスト mixed with english words",
    "ภาษาไทย ไม่มี ช่องว่าง",
    # Javanese, Balinese, Tai Tham: letters of scripts written without spaces.
    "ꦱꦼꦏꦺꦴꦭꦃ ꦲꦶꦁ꧉ ᬲᬸᬩᬓ᭄ᬮᬶᬦ᭄ ᨣᩤᨾ",
    "emoji 😀 🎉 astral 𝔘𝔫𝔦",
    "lone \ud800 surrogate",
    "\udfff",
    " ".join(f"w{i % 97}" for i in range(3000)),
    # Around ngram=5 tokens: one short shingle, exactly one window, two windows.
    "a b c d",
    "a b c d e",
    "a b c d e f",
    "ab 今天 cd 天气 ef",
    "Ünïcödé ÀÉÎ ñ ß",
]


@pytest.mark.parametrize("unit", ["word", "char"])
@pytest.mark.parametrize("key", [None, "default"])
def test_numba_engine_matches_numpy_bit_for_bit(
    unit: str, key: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("numba")
    texts = _EDGE_TEXTS + _corpus(2000) + _EDGE_TEXTS
    base = MinHasher(num_perm=64, ngram=5 if unit == "word" else 3, unit=unit, seed=3)  # type: ignore[arg-type]
    if key is None:
        base = dataclasses.replace(base, key=None)
    # Many chunks and jobs on the numpy side, and many runs of the fused compiled path,
    # so the chunk boundaries of both are exercised.
    monkeypatch.setattr(minhash, "_CHUNK_ELEMENTS", 64 * 500)
    monkeypatch.setattr(shingle, "_CHUNK_CHARS", 4096)
    monkeypatch.setattr(minhash, "_FUSED_CHUNK_CHARS", 3000)
    expected = dataclasses.replace(base, engine="numpy").signatures(texts)
    for workers in (1, 2):
        fast = dataclasses.replace(base, engine="numba", workers=workers)
        sig = fast.signatures(texts)  # the fused kernel
        assert sig.dtype == np.uint32
        assert np.array_equal(sig, expected)
        assert sig.settings == expected.settings
        # The unfused compiled path (shingles kept, as verification needs them).
        assert np.array_equal(fast.signatures_of(fast.shingles(texts)), expected)
    assert (expected[0] == EMPTY).all()
    assert not (expected[3] == EMPTY).any()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="ab c日本\n\t€😀", max_size=40), max_size=10),
    st.integers(1, 6),
    st.sampled_from(["word", "char"]),
)
def test_numba_engine_matches_numpy_hypothesis(texts: list[str], ngram: int, unit: str) -> None:
    pytest.importorskip("numba")
    base = MinHasher(num_perm=8, ngram=ngram, unit=unit, key=None)  # type: ignore[arg-type]
    fast = dataclasses.replace(base, engine="numba").signatures(texts)
    slow = dataclasses.replace(base, engine="numpy").signatures(texts)
    assert fast.shape == slow.shape == (len(texts), 8)
    assert np.array_equal(fast, slow)


@pytest.mark.parametrize("ngram", [1, 2, 64])
@pytest.mark.parametrize("unit", ["word", "char"])
def test_fused_numba_path_at_extreme_ngrams(ngram: int, unit: str) -> None:
    # The fused kernel keeps a 2 * ngram token window; 1 and 64 are its edges.
    pytest.importorskip("numba")
    texts = _EDGE_TEXTS + [" ".join(f"w{i}" for i in range(k)) for k in (63, 64, 65, 130)]
    base = MinHasher(num_perm=16, ngram=ngram, unit=unit, key=None)  # type: ignore[arg-type]
    fast = dataclasses.replace(base, engine="numba").signatures(texts)
    assert np.array_equal(fast, dataclasses.replace(base, engine="numpy").signatures(texts))
    assert fast.tolist() == ref_signatures(base, texts)


def test_numba_engine_signatures_of_precomputed_shingles() -> None:
    pytest.importorskip("numba")
    sh = shingle_hashes(_corpus(300), ngram=3)
    fast = MinHasher(num_perm=32, engine="numba").signatures_of(sh)
    slow = MinHasher(num_perm=32, engine="numpy").signatures_of(sh)
    assert np.array_equal(fast, slow)


def test_engine_is_validated_and_not_in_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="engine must be 'auto', 'numpy' or 'numba', got 'cuda'"):
        MinHasher(engine="cuda")  # type: ignore[arg-type]
    settings_by_engine = [MinHasher(engine=e).settings for e in ("auto", "numpy")]
    assert settings_by_engine[0] == settings_by_engine[1]
    assert "engine" not in settings_by_engine[0]
    monkeypatch.setattr(shingle, "_numba_installed", lambda: False)
    with pytest.raises(ValueError, match=r"engine='numba' needs numba.*pip install numba"):
        MinHasher(engine="numba")
    MinHasher(engine="auto")  # still fine: falls back to numpy


_NO_NUMBA_CHILD = """
import sys
import textdedup
from textdedup.minhash import MinHasher
print("numba" in sys.modules)
sys.modules["numba"] = None  # as if numba were not installed
import textdedup._kernel  # importable without numba (pytest's doctest collection imports it)
sig = MinHasher(num_perm=16, ngram=2).signatures(["a b c", "", "今天 ok"])
print("numba" in sys.modules and sys.modules["numba"] is not None, sig.sum())
try:
    MinHasher(engine="numba")
except ValueError as e:
    print("ValueError")
"""


def test_numba_is_optional_and_imported_lazily() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", _NO_NUMBA_CHILD], env=env, capture_output=True, text=True, check=True
    )
    imported, after = out.stdout.splitlines()[:2]
    expected = MinHasher(num_perm=16, ngram=2, engine="numpy").signatures(["a b c", "", "今天 ok"])
    assert imported == "False"
    assert after == f"False {expected.sum()}"
    assert out.stdout.splitlines()[2] == "ValueError"


def test_a_plain_install_requires_numba() -> None:
    # README: `pip install textdedup` gives the compiled engine; numba is a core dependency,
    # not behind an extra marker.
    from importlib.metadata import requires

    core = [r for r in requires("textdedup") or [] if "extra ==" not in r]
    assert any(r.replace(" ", "").startswith("numba>=") for r in core), core


def test_auto_engine_resolves_to_the_compiled_kernels_for_large_work() -> None:
    from textdedup import _kernel
    from textdedup.shingle import AUTO_COMPILE_MIN_CHARS, compiled

    assert compiled("auto", work=AUTO_COMPILE_MIN_CHARS) is _kernel
    assert compiled("auto") is _kernel  # no size given: compiled whenever numba imports


def test_small_work_does_not_load_numba_in_a_fresh_process() -> None:
    # A small document never waits for the compiler; a large batch loads the kernels, and
    # once they are loaded every call uses them. Fresh interpreters, so nothing is preloaded.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from textdedup import MinHasher\n"
        "from textdedup import _kernel\n"
        "from textdedup.shingle import AUTO_COMPILE_MIN_CHARS, compiled\n"
        "MinHasher(num_perm=16).signatures(['a small text', 'another small one'])\n"
        "print('numba' in sys.modules, _kernel.is_loaded())\n"
        "assert compiled('auto', work=AUTO_COMPILE_MIN_CHARS) is _kernel\n"
        "print(compiled('auto', work=10) is _kernel)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False", "True"]


@pytest.mark.parametrize("key", [None, "default"])
@pytest.mark.parametrize("unit", ["word", "char"])
def test_signatures_utf8_equal_signatures(key: str | None, unit: str) -> None:
    # The corpus engine signs its keys as bytes: the same values as signatures() of
    # the decoded texts, for ASCII batches (the kernel reads them as they are) and
    # batches with other scripts, lone surrogates, empty and short texts.
    from textdedup import KeyConfig

    ascii_texts = ["", "a", "one two three four five six", "  spaced   out\ttext\n here  "] + [
        f"doc {i} " + "word " * (i % 17) + f"tail {i * 7}" for i in range(60)
    ]
    other = [*ascii_texts, "naïve café über", "中文文本没有空格", "half \ud83d surrogate", "ไทย"]
    for engine in ("numpy", "numba"):
        hasher = MinHasher(
            ngram=3,
            unit=unit,
            key=KeyConfig() if key else None,
            engine=engine,  # type: ignore[arg-type]
        )
        for texts in (ascii_texts, other):
            raw = [t.encode("utf-8", "surrogatepass") for t in texts]
            assert np.array_equal(hasher.signatures_utf8(raw), hasher.signatures(texts))
