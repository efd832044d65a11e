"""The local engine: one process, items spilled to disk, numpy batches.

The engine itself is :class:`textdedup.engine.Engine` (signatures in batches, LSH
candidates, verification through :func:`textdedup.engines.batches.score_batch`, the
decision through :func:`textdedup.cluster.decide`), driven by
:func:`textdedup.pipeline.dedup_records`, which turns records into items with
:func:`textdedup.pipeline.record_items` and rebuilds block records with
:func:`textdedup.engines.batches.block_output`. This module gives it the interface
every engine of :data:`textdedup.engines.ENGINES` has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engine import Engine
from ..records import Record

if TYPE_CHECKING:
    from ..config import DedupConfig

__all__ = ["Engine", "available", "dedup_dicts"]


def available() -> bool:
    """Always true: the local engine needs nothing beyond the core package."""
    return True


def dedup_dicts(
    records: list[dict[str, Any]],
    *,
    config: DedupConfig,
    text_field: str = "text",
    id_field: str = "id",
) -> list[dict[str, Any]]:
    """Annotate ``records`` here, as ``dedup --action annotate`` writes them.

    Each record comes back with its text as read in ``text_field`` (annotate marks
    what would go and cuts nothing) and the annotation under ``"dedup"``, in input
    order.

    >>> from textdedup import DedupConfig
    >>> out = dedup_dicts([{"id": "a", "text": "x y z"}, {"id": "b", "text": "X y z!"}],
    ...                   config=DedupConfig())
    >>> [(r["id"], r["dedup"]["duplicate_of"], r["dedup"]["reason"]) for r in out]
    [('a', None, None), ('b', 'a', 'near')]
    """
    from ..pipeline import dedup_records

    recs = [
        Record(str(r[id_field]), str(r[text_field]), "<records>", n, dict(r))
        for n, r in enumerate(records)
    ]
    out = []
    for item in dedup_records(recs, config=config):
        obj = dict(item.record.data or {})
        obj[text_field] = item.record.text  # annotate cuts nothing: the text as read
        obj["dedup"] = item.annotation()
        out.append(obj)
    return out
