"""The garbage-collector settings of a build (issue 14: the tantivy build's CPU).

Workers collect rarely (index/workers.py) and the tantivy commit pauses the collector while
it feeds tantivy (segments.collector_paused); both must leave nothing behind that changes the
index or the collector's state in a process that goes on (a library user's)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from bahth.index.backend.tantivy.segments import collector_paused
from bahth.index.workers import WORKER_GC_THRESHOLD


@pytest.mark.parametrize("enabled_before", [True, False], ids=["enabled-stays-enabled", "disabled-stays-disabled"])
def test_the_collector_is_paused_inside_and_restored_after(enabled_before):
    was = gc.isenabled()
    try:
        (gc.enable if enabled_before else gc.disable)()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
    finally:
        (gc.enable if was else gc.disable)()


def test_the_collector_is_restored_when_the_feed_fails():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("tantivy refused a document")
    assert gc.isenabled()


def test_a_worker_collects_rarely_and_freezes_what_it_inherited():
    # in a fresh interpreter: gc.freeze() cannot be undone in this one
    code = (
        "import gc\n"
        "from bahth.index.workers import _calm_garbage_collector\n"
        "before = gc.get_threshold()\n"
        "_calm_garbage_collector()\n"
        "print(gc.get_threshold()[0], gc.get_threshold()[1:] == before[1:], gc.get_freeze_count() > 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(WORKER_GC_THRESHOLD), "True", "True"]


def test_the_worker_entry_point_calms_the_collector(monkeypatch):
    import bahth.index.workers as workers

    calls = []
    monkeypatch.setattr(workers, "_calm_garbage_collector", lambda: calls.append("calmed"))
    monkeypatch.setattr(workers, "_die_with_parent", lambda: None)

    class Tasks:
        def get(self):
            return None

    class Events:
        def __init__(self):
            self.sent = []

        def put(self, item):
            self.sent.append(item)

    events = Events()
    monkeypatch.setattr(workers.signal, "signal", lambda *a: None)
    monkeypatch.setattr(workers, "SegmentBuilder", lambda config: type("B", (), {"finish": lambda self: "segment"})())
    workers.worker_main(config=None, tasks=Tasks(), events=events, parent_pid=workers.os.getppid(), close_fds=[])
    assert calls == ["calmed"]
    assert events.sent[-1] == ("done", "segment")
