"""What a threshold and ``num_perm`` mean in practice: bands, detection curve, errors, memory.

A planning aid beside the flow, not a stage of it: it takes the settings a corpus
run would use and reports the bands and rows :meth:`textdedup.DedupConfig.lsh`
chooses for them, the chance that a pair of a given Jaccard similarity becomes a
candidate (the S-curve ``1 - (1 - s**rows)**bands``), the false positive and
false negative areas the optimizer weighed, and how much memory and disk an
index of ``docs`` items takes. ``textdedup params`` prints it; nothing here
imports click.

Memory formulas (bytes, ``N`` items):

* signatures in memory: ``N * num_perm * 4`` (uint32 per permutation);
* band keys in memory: ``N * bands * 8`` (one uint64 per band);
* SQLite index, rough: ``N * (1.25 * (4 * num_perm + 0.5 * chars + 40) + 40 * bands)``:
  the signature blob, the zlib-compressed key (about half its ``chars`` characters
  for English prose), digest, id and row overhead, with a quarter for page slack,
  plus a row and an index entry per band. Calibrated on synthetic English
  corpora (within about 10%); other scripts compress differently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import DedupConfig
from .lsh import LSHParams
from .verify import CandidateTarget

__all__ = [
    "PLOT_FORMATS",
    "CurvePoint",
    "MemoryEstimate",
    "ParamsReport",
    "format_bytes",
    "format_report",
    "lsh_report",
    "plot_curve",
    "plot_format",
]

#: Similarities at which the detection curve is tabulated.
CURVE_STEP = 0.05
SQLITE_FORMULA = "N * (1.25 * (4 * num_perm + 0.5 * chars + 40) + 40 * bands)"


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """The chance that a pair with Jaccard ``similarity`` shares at least one band."""

    similarity: float
    probability: float


@dataclass(frozen=True, slots=True)
class MemoryEstimate:
    """Estimated bytes for ``docs`` items of ``chars`` characters (see the module formulas)."""

    docs: int
    chars: int
    signature_bytes: int
    band_key_bytes: int
    sqlite_bytes: int

    @property
    def memory_bytes(self) -> int:
        """Signatures plus band keys: what a run holds in memory for the LSH step."""
        return self.signature_bytes + self.band_key_bytes


@dataclass(frozen=True, slots=True)
class ParamsReport:
    """Bands, rows, detection curve, error areas and memory for one set of settings.

    ``false_positive`` is the area under the detection curve below the threshold
    and ``false_negative`` the area above the curve above it (datasketch's
    measure; areas over similarity, not shares of pairs).
    """

    threshold: float
    num_perm: int
    verify: bool
    lsh: LSHParams
    curve: tuple[CurvePoint, ...]
    memory: MemoryEstimate
    scorer: str = "jaccard"
    shingle: str = "word"
    ngram: int = 5
    target: CandidateTarget | None = None

    @property
    def bands(self) -> int:
        return self.lsh.bands

    @property
    def rows(self) -> int:
        return self.lsh.rows

    @property
    def false_positive(self) -> float:
        return self.lsh.false_positive

    @property
    def false_negative(self) -> float:
        return self.lsh.false_negative

    def probability(self, similarity: float) -> float:
        """Chance that a pair of this Jaccard similarity becomes a candidate."""
        return float(self.lsh.probability(similarity))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of everything in the report."""
        m = self.memory
        return {
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "verify": self.verify,
            "scorer": self.scorer,
            "shingle": self.shingle,
            "ngram": self.ngram,
            "lsh_jaccard": round(self.lsh.threshold, 6),
            "lsh_source": self.target.source if self.target else "",
            "target_recall": self.target.recall if self.target else None,
            "bands": self.bands,
            "rows": self.rows,
            "probability_at_threshold": round(self.probability(self.threshold), 6),
            "probability_at_lsh_jaccard": round(self.probability(self.lsh.threshold), 6),
            "false_positive_area": round(self.false_positive, 6),
            "false_negative_area": round(self.false_negative, 6),
            "curve": [
                {"similarity": p.similarity, "probability": round(p.probability, 6)}
                for p in self.curve
            ],
            "memory": {
                "docs": m.docs,
                "chars": m.chars,
                "signature_bytes": m.signature_bytes,
                "band_key_bytes": m.band_key_bytes,
                "memory_bytes": m.memory_bytes,
                "sqlite_bytes": m.sqlite_bytes,
                "sqlite_formula": SQLITE_FORMULA,
            },
        }


def lsh_report(
    threshold: float,
    *,
    num_perm: int = 128,
    verify: bool = True,
    docs: int = 1_000_000,
    chars: int = 2000,
    scorer: str = "jaccard",
    shingle: str = "word",
    ngram: int = 5,
) -> ParamsReport:
    """Report what ``threshold`` and ``num_perm`` give, as a corpus run would use them.

    Parameters
    ----------
    threshold:
        Similarity in [0, 1] at which pairs are duplicates, by ``scorer``.
    num_perm:
        MinHash permutations.
    verify:
        Whether candidates are verified afterwards; if so, misses weigh 9:1 over
        false candidates when bands and rows are chosen (as in ``dedup``).
    docs:
        Number of items for the memory estimate.
    chars:
        Average characters per item (its normalized key), for the index estimate.
    scorer, shingle, ngram:
        The verifier (``jaccard``, ``containment``, ``ratio``) and the shingles: the
        bands are tuned for the Jaccard that ``scorer`` at ``threshold`` implies
        (:func:`textdedup.verify.candidate_target`). ``verify=False`` needs ``jaccard``.

    >>> lsh_report(0.9, scorer="ratio", shingle="char", ngram=3).lsh.threshold.__round__(3)
    0.31
    >>> r = lsh_report(0.8, num_perm=128, verify=False, docs=1000)
    >>> r.bands, r.rows, r.memory.signature_bytes
    (9, 13, 512000)
    >>> [p.similarity for p in r.curve][:3], r.curve[-1].probability
    ([0.0, 0.05, 0.1], 1.0)
    """
    if isinstance(docs, bool) or not isinstance(docs, int) or docs < 0:
        raise ValueError(f"docs must be an int >= 0, got {docs!r}")
    if isinstance(chars, bool) or not isinstance(chars, int) or chars < 0:
        raise ValueError(f"chars must be an int >= 0, got {chars!r}")
    if not verify and scorer != "jaccard":
        raise ValueError(f"without verification the MinHash estimate decides, not {scorer}")
    config = DedupConfig(
        threshold=threshold,
        num_perm=num_perm,
        verify=scorer if verify else "none",  # type: ignore[arg-type]
        shingle=shingle,  # type: ignore[arg-type]
        ngram=ngram,
    )
    params = config.lsh()
    target = config.candidate_target()
    grid = np.round(np.arange(0.0, 1.0 + CURVE_STEP / 2, CURVE_STEP), 4)
    curve = tuple(
        CurvePoint(float(s), float(p)) for s, p in zip(grid, params.probability(grid), strict=True)
    )
    sqlite = docs * (1.25 * (4 * num_perm + 0.5 * chars + 40) + 40 * params.bands)
    memory = MemoryEstimate(
        docs=docs,
        chars=chars,
        signature_bytes=docs * num_perm * 4,
        band_key_bytes=docs * params.bands * 8,
        sqlite_bytes=round(sqlite),
    )
    return ParamsReport(
        threshold, num_perm, verify, params, curve, memory, scorer, shingle, ngram, target
    )


def format_bytes(n: float) -> str:
    """Bytes in binary units.

    >>> format_bytes(512), format_bytes(3 * 2**20)
    ('512 B', '3.0 MiB')
    """
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def format_report(report: ParamsReport) -> str:
    """The report as the readable text ``textdedup params`` prints.

    >>> print(format_report(lsh_report(0.8, verify=False, docs=10)).splitlines()[0])
    threshold 0.8, num_perm 128, verify off: 9 bands x 13 rows (117 of 128 permutations used)
    """
    r, m = report, report.memory
    lines = [
        f"threshold {r.threshold:g}, num_perm {r.num_perm}, verify {'on' if r.verify else 'off'}: "
        f"{r.bands} bands x {r.rows} rows ({r.bands * r.rows} of {r.num_perm} permutations used)",
        f"probability at the threshold: {r.probability(r.threshold):.3f}",
    ]
    if r.target is not None and (r.scorer != "jaccard" or r.shingle != "word" or r.ngram != 5):
        lines.append(
            f"{r.scorer} >= {r.threshold:g} on {r.shingle} {r.ngram}-grams: bands tuned for "
            f"Jaccard {r.lsh.threshold:.3f}, "
            f"P(candidate) there {r.probability(r.lsh.threshold):.3f}"
        )
        lines.append(f"  ({r.target.source})")
    lines += [
        f"false positive area (below threshold): {r.false_positive:.4f}",
        f"false negative area (above threshold): {r.false_negative:.4f}",
        "",
        "similarity  P(candidate)",
    ]
    lines += [f"{p.similarity:10.2f}  {p.probability:12.4f}" for p in r.curve]
    lines += [
        "",
        f"memory for {m.docs} items:",
        f"  signatures  {format_bytes(m.signature_bytes):>10}  (N * num_perm * 4)",
        f"  band keys   {format_bytes(m.band_key_bytes):>10}  (N * bands * 8)",
        f"  SQLite index, rough {format_bytes(m.sqlite_bytes)}"
        f"  ({SQLITE_FORMULA}, chars={m.chars})",
    ]
    return "\n".join(lines)


PLOT_FORMATS = ("png", "svg", "pdf")


def plot_format(path: str) -> str:
    """The image format ``path``'s suffix names: png, svg or pdf.

    A device or FIFO without a suffix (``/dev/stdout``) gets PNG.

    >>> plot_format("curve.SVG")
    'svg'
    >>> plot_format("curve.jpg")
    Traceback (most recent call last):
    ...
    ValueError: curve.jpg: the plot is written as PNG, SVG or PDF; name a .png, .svg or .pdf file
    """
    from .io import output_target

    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    if suffix in PLOT_FORMATS:
        return suffix
    if not suffix and output_target(path)[1]:
        return "png"
    raise ValueError(
        f"{path}: the plot is written as PNG, SVG or PDF; name a .png, .svg or .pdf file"
    )


def plot_curve(report: ParamsReport, path: str) -> None:
    """Draw the detection curve to a PNG, SVG or PDF, by ``path``'s suffix.

    Needs matplotlib (imported here only). Raises ``ValueError`` for another suffix.
    """
    fmt = plot_format(path)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = np.linspace(0.0, 1.0, 201)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(s, report.lsh.probability(s), color="tab:blue")
    ax.axvline(report.threshold, color="tab:gray", linestyle="--", label="threshold")
    ax.fill_between(
        s, 0, report.lsh.probability(s), where=s <= report.threshold, alpha=0.2, color="tab:red"
    )
    ax.set_xlabel("Jaccard similarity")
    ax.set_ylabel("P(candidate)")
    ax.set_title(
        f"threshold {report.threshold:g}, num_perm {report.num_perm}: "
        f"{report.bands} bands x {report.rows} rows"
    )
    ax.legend(loc="upper left")
    fig.tight_layout()
    from .io import atomic_replace

    try:
        with atomic_replace(path) as fh:  # beside the target, then renamed into place
            fig.savefig(fh, dpi=100, format=fmt)
    finally:
        plt.close(fig)
