"""Where deduplication runs: the engines, over the shared batch functions of :mod:`.batches`.

Every engine maps the same pure functions (:mod:`textdedup.engines.batches`), so on
the same input every engine makes the same decisions. :data:`ENGINES` names them;
an engine module is imported only when it is asked for (Spark needs pyspark), with
:func:`get_engine`. Each engine module offers ``available() -> bool`` and
``dedup_dicts(records, *, config, text_field, id_field) -> list[dict]``: the
records with their output text and the annotation of ``--action annotate``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["ENGINES", "get_engine"]

ENGINES: dict[str, str] = {
    "local": "textdedup.engines.local",
    "spark": "textdedup.engines.spark",
}
"""Engine name -> module, imported lazily."""


def get_engine(name: str) -> ModuleType:
    """The module of engine ``name``.

    Raises
    ------
    ValueError
        For a name not in :data:`ENGINES`.
    ImportError
        When the engine's optional dependency is not installed.

    >>> get_engine("local").__name__
    'textdedup.engines.local'
    """
    if name not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {name!r}")
    return importlib.import_module(ENGINES[name])
