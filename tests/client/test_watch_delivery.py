"""A watch hands each event to its informer's handler as one loop event, ``watch_delay`` later,
in the order the changes came, interleaved with other timers exactly as ``call_later`` would."""

from __future__ import annotations

import pytest

from k8slearn.apiserver.watch import Selection, Watch
from k8slearn.sim import Loop


class _Server:  # what a Watch reads of its API server
    def __init__(self, loop: Loop, delay: float) -> None:
        self.loop, self.watch_delay = loop, delay


@pytest.mark.parametrize("delay, timers", [
    (0.001, [0.001, 0.0005, 0.002]),
    (0.0, [0.0, 0.0]),
    (0.25, [0.25]),
], ids=["deliveries and timers due at the same moment run in the order they were scheduled",
        "with no delay a delivery still waits for the events already due",
        "a longer delay delays every delivery by as much"])
def test_deliveries_run_where_call_later_would_put_them(delay, timers):
    loop = Loop(trace=False)
    seen: list[tuple] = []
    watch = Watch(_Server(loop, delay), "pods", "pod", Selection(), "tester",
                  handler=lambda kind, obj: seen.append((loop.now, kind, obj["metadata"]["name"])))
    for i, after in enumerate(timers):
        watch.send("ADDED", {"metadata": {"name": f"p{i}"}})
        loop.call_later(after, lambda i=i: seen.append((loop.now, "timer", f"t{i}")))
    pending = loop.pending
    loop.run(1.0)
    expected = []
    for i, after in enumerate(timers):
        expected += [(delay, 0, 2 * i, ("ADDED", f"p{i}")), (after, 0, 2 * i + 1, ("timer", f"t{i}"))]
    expected.sort()
    assert pending == 2 * len(timers)
    assert seen == [(when, *what) for when, _, _, what in expected]
    assert watch.delivered == len(timers)


def test_a_stopped_watch_delivers_nothing_more():
    loop = Loop(trace=False)
    seen: list[str] = []
    watch = Watch(_Server(loop, 0.001), "pods", "pod", Selection(), "tester",
                  handler=lambda kind, obj: seen.append(kind))
    watch.send("ADDED", {"metadata": {"name": "a"}})
    watch.stop()
    watch.send("MODIFIED", {"metadata": {"name": "a"}})
    loop.run(1.0)
    assert seen == [] and watch.delivered == 0
