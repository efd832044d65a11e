"""The Spark engine under its first name: see :mod:`textdedup.engines.spark`."""

from __future__ import annotations

from .engines.spark import MAX_BUCKET, dedup, find_java_home, local_session

__all__ = ["MAX_BUCKET", "dedup", "find_java_home", "local_session"]
