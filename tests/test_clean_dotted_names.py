"""A stop glued to a capital ends a sentence ("…century.Kalk Bay"), but not inside a dotted
name: a log's logger ("c.e.shop.OrderController", "etl.jobs.ImportOrders") is one word, and a
cut never starts there (a new user's try7 A1: the second failure's line was cut to
"… ERROR etl.jobs." and its traceback removed)."""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.clean import _STOP

_TRACE = (
    "Traceback (most recent call last):\n"
    '  File "/srv/etl/jobs.py", line 88, in run\n'
    "    rows = fetch_orders(since=last_run)\n"
    '  File "/srv/etl/source.py", line 41, in fetch_orders\n'
    '    raise ConnectionError("orders database unreachable")\n'
    "ConnectionError: orders database unreachable\n"
)


@pytest.mark.parametrize(
    "text",
    [
        "2026-04-02 03:00:01 ERROR etl.jobs.ImportOrders: nightly import failed",
        "ERROR [exec-4] c.e.shop.OrderController - order failed",
        "at org.apache.Catalina.Start(Catalina.java:12)",
    ],
)
def test_no_stop_inside_a_dotted_name(text: str) -> None:
    assert [m.group() for m in _STOP.finditer(text)] == []


def test_a_glued_sentence_still_ends_at_its_stop() -> None:
    text = "It was built in the 17th century.Kalk Bay is a fishing village."
    assert [m.start() for m in _STOP.finditer(text)] == [text.index(".Kalk"), len(text) - 1]


def test_a_log_with_the_same_failure_twice_keeps_both_events() -> None:
    log = (
        "2026-04-02 03:00:01,004 ERROR etl.jobs.ImportOrders: nightly import failed, will retry "
        "in 5 minutes\n" + _TRACE + "2026-04-02 03:00:01,010 INFO etl.jobs: retry scheduled\n"
        "2026-04-02 03:05:01,087 ERROR etl.jobs.ImportOrders: nightly import failed, will retry "
        "in 5 minutes\n" + _TRACE + "2026-04-02 03:05:01,090 INFO etl.jobs: giving up\n"
    )
    result = clean(log)
    # Nothing cut inside a line: every line of the output is a whole line of the input.
    lines = set(log.splitlines())
    assert all(line in lines for line in result.text.splitlines())
    assert "2026-04-02 03:05:01,087 ERROR etl.jobs.ImportOrders: nightly import failed" in (
        result.text
    )
