"""The params report against measured LSH candidate rates, and the ``params`` command."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from textdedup.cli import main
from textdedup.lsh import band_keys, candidate_pairs
from textdedup.minhash import MinHasher
from textdedup.params import format_bytes, lsh_report
from textdedup.shingle import Shingles

# 2000 independent pairs per similarity: the standard error of a measured rate is at
# most 0.5 / sqrt(2000) = 0.011, so a 0.05 tolerance is 4.5 standard errors and the
# chance that any of the 14 similarities strays that far by luck is below 1e-4.
PAIRS = 2000
UNION = 40  # shingles in A | B; Jaccard is shared / UNION exactly
SIMILARITIES = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]


def planted_pairs(similarity: float, n: int, rng: np.random.Generator) -> Shingles:
    """``n`` pairs of shingle sets (texts 2k and 2k+1) with Jaccard exactly ``similarity``."""
    shared = round(similarity * UNION)
    only_a = (UNION - shared) // 2
    hashes, offsets = [], [0]
    for _ in range(n):
        pool = rng.integers(0, 2**64, UNION, dtype=np.uint64, endpoint=False)
        a = pool[: shared + only_a]
        b = np.concatenate([pool[:shared], pool[shared + only_a :]])
        for s in (a, b):
            hashes.append(s)
            offsets.append(offsets[-1] + s.size)
    return Shingles(np.concatenate(hashes), np.array(offsets, dtype=np.int64))


def exact(a_size: int, b_size: int, shared: int) -> float:
    return shared / (a_size + b_size - shared)


def measured_rate(sig: np.ndarray, report_lsh: object) -> float:
    """Share of the planted pairs (2k, 2k+1) that ``candidate_pairs`` returns."""
    pairs = candidate_pairs(band_keys(sig, report_lsh))  # type: ignore[arg-type]
    planted = (pairs.left % 2 == 0) & (pairs.right == pairs.left + 1)
    return int(planted.sum()) / (sig.shape[0] // 2)


@pytest.mark.parametrize(
    ("threshold", "num_perm", "verify"), [(0.8, 128, True), (0.5, 128, False), (0.7, 64, True)]
)
def test_predicted_probability_matches_measured_candidate_rate(
    threshold: float, num_perm: int, verify: bool
) -> None:
    report = lsh_report(threshold, num_perm=num_perm, verify=verify)
    hasher = MinHasher(num_perm=num_perm, seed=7, key=None, workers=1)
    rng = np.random.default_rng(12345)
    deviations = {}
    for s in SIMILARITIES:
        sh = planted_pairs(s, PAIRS, rng)
        true_j = round(s * UNION) / UNION
        deviations[s] = abs(
            measured_rate(hasher.signatures_of(sh), report.lsh) - report.probability(true_j)
        )
    worst = max(deviations, key=deviations.__getitem__)
    assert deviations[worst] <= 0.05, (worst, deviations)


def test_planted_pairs_have_the_planted_jaccard() -> None:
    sh = planted_pairs(0.65, 3, np.random.default_rng(0))
    a = sh.hashes[sh.offsets[0] : sh.offsets[1]]
    b = sh.hashes[sh.offsets[1] : sh.offsets[2]]
    shared = np.intersect1d(a, b).size
    assert exact(a.size, b.size, shared) == pytest.approx(26 / 40)


def test_report_uses_the_engine_weighting() -> None:
    # With verification misses weigh 9:1, so more, shorter bands than without.
    on, off = lsh_report(0.8, verify=True), lsh_report(0.8, verify=False)
    assert (on.bands, on.rows) == (14, 9)
    assert (off.bands, off.rows) == (9, 13)
    assert on.false_negative < off.false_negative
    assert on.probability(0.8) > off.probability(0.8)


def test_memory_formulas() -> None:
    r = lsh_report(0.8, num_perm=128, verify=True, docs=1000, chars=2000)
    assert r.memory.signature_bytes == 1000 * 128 * 4
    assert r.memory.band_key_bytes == 1000 * 14 * 8
    assert r.memory.sqlite_bytes == round(1000 * (1.25 * (512 + 1000 + 40) + 40 * 14))
    assert r.memory.memory_bytes == r.memory.signature_bytes + r.memory.band_key_bytes


def test_curve_is_monotone_from_0_to_1() -> None:
    r = lsh_report(0.6, num_perm=256)
    probs = [p.probability for p in r.curve]
    assert len(r.curve) == 21 and r.curve[0].similarity == 0.0 and r.curve[-1].similarity == 1.0
    assert probs[0] == 0.0 and probs[-1] == 1.0
    assert all(x <= y for x, y in itertools.pairwise(probs))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 1.5}, "threshold must be in [0, 1], got 1.5"),
        ({"threshold": 0.8, "docs": -1}, "docs must be an int >= 0, got -1"),
        ({"threshold": 0.8, "chars": 1.5}, "chars must be an int >= 0, got 1.5"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    threshold = kwargs.pop("threshold")
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        lsh_report(threshold, **kwargs)  # type: ignore[arg-type]


def test_format_bytes() -> None:
    assert format_bytes(1023) == "1023 B"
    assert format_bytes(1536) == "1.5 KiB"
    assert format_bytes(5 * 2**40) == "5120.0 GiB"


# -- the command ---------------------------------------------------------------------------


def test_params_command_prints_bands_curve_and_memory() -> None:
    result = CliRunner().invoke(
        main, ["params", "--threshold", "0.8", "--num-perm", "128", "--docs", "1000"]
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "threshold 0.8, num_perm 128, verify on: 14 bands x 9 rows (126 of 128 permutations used)"
    )
    assert "      0.80        0.8670" in lines
    assert "memory for 1000 items:" in lines
    assert "  signatures   500.0 KiB  (N * num_perm * 4)" in lines


def test_params_command_no_verify_and_json() -> None:
    result = CliRunner().invoke(main, ["params", "--threshold", "0.8", "--no-verify", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["bands"], data["rows"], data["verify"]) == (9, 13, False)
    assert len(data["curve"]) == 21


def test_params_command_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "curve.png"
    result = CliRunner().invoke(main, ["params", "--threshold", "0.7", "--plot", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.stderr == f"wrote {out}\n"


def test_params_command_rejects_bad_threshold() -> None:
    result = CliRunner().invoke(main, ["params", "--threshold", "1.5"])
    assert result.exit_code == 2
    assert "Invalid value for '--threshold': must be in [0, 1], got 1.5" in result.stderr
