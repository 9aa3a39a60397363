"""Aggregate records shared between correlators decide exactly as records of their own would."""

import pytest

from k8slearn.client import events_cache
from k8slearn.client.events_cache import EventCorrelator


def event(i, node, reason="Started", message=None):
    ref = {"kind": "Pod", "namespace": "default", "name": f"web-{i}", "uid": f"u{i}", "apiVersion": "v1"}
    return {"metadata": {"name": f"web-{i}.{i:x}", "namespace": "default"}, "involvedObject": ref,
            "reason": reason, "message": message or f"{reason} container app", "source": {"component": "kubelet",
            "host": node}, "firstTimestamp": "t", "lastTimestamp": "t", "count": 1, "type": "Normal",
            "reportingComponent": "kubelet", "reportingInstance": node}


def run(stream):
    """Two kubelets' correlators fed ``stream`` (node, event, now): their decisions and records."""
    correlators = {"node-1": EventCorrelator(), "node-2": EventCorrelator()}
    decisions = []
    for node, e, now in stream:
        r = correlators[node].correlate(e, now)
        decisions.append((r.action, r.event))
        if r.action != "skip":
            correlators[node].update_state(r.event, r)
    records = {n: list(c._aggregate._data.items()) for n, c in correlators.items()}
    return decisions, records, correlators


STREAMS = [
    pytest.param([(n, event(i, n), 1.5) for i in range(3) for n in ("node-1", "node-2")],
                 id="two kubelets starting containers at the same instants"),
    pytest.param([("node-1", event(0, "node-1", message=f"m{j}"), 2.0 * j) for j in range(14)],
                 id="similar messages aggregated over time, the records becoming sets of messages"),
    pytest.param([(n, event(i % 2, n, reason="BackOff", message="Back-off"), 700.0 * i)
                  for i in range(6) for n in ("node-1", "node-2")],
                 id="a repeated message past the aggregation interval starts again"),
    pytest.param([("node-1", event(0, "node-1"), 1), ("node-2", event(0, "node-2"), 1.0),
                  ("node-1", event(1, "node-1"), 1)],
                 id="an integer instant is not shared with the equal float one"),
]


@pytest.mark.parametrize("stream", STREAMS)
def test_shared_records_decide_as_records_of_their_own(stream, monkeypatch):
    events_cache._RECORDS.clear()
    decisions, records, _ = run(stream)
    with monkeypatch.context() as m:
        m.setattr(events_cache, "_record", lambda message, now: (message, now))  # the plain computation
        plain_decisions, plain_records, _ = run(stream)
    assert decisions == plain_decisions
    assert records == plain_records
    assert all(type(v[1]) is type(p[1]) for n in records for (_, v), (_, p) in zip(records[n], plain_records[n]))


def test_two_kubelets_share_one_record_for_one_message_at_one_instant():
    events_cache._RECORDS.clear()
    _, _, correlators = run([(n, event(0, n), 1.5) for n in ("node-1", "node-2")])
    (one,), (two,) = (list(c._aggregate._data.values()) for c in correlators.values())
    assert one is two and one == ("Started container app", 1.5)
