"""Event names: ``<object>.<Unix nanoseconds in hex>``, one event one name."""

from k8slearn import Cluster
from k8slearn.client.record import EventRecorder


def test_two_recorders_naming_events_about_one_name_at_one_instant_both_keep_their_event():
    # A DaemonSet and a PodDisruptionBudget both called "logs", each with a first event at the same
    # simulated instant: both names would be logs.<the same nanoseconds>; the second takes the next one.
    c = Cluster(workers=1, seed=0)
    c.settle()
    daemonsets = EventRecorder(c.api, "daemonset-controller", clock=lambda: c.now)
    budgets = EventRecorder(c.api, "controllermanager", clock=lambda: c.now)
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "logs", "namespace": "default", "uid": "a"}}
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
           "metadata": {"name": "logs", "namespace": "default", "uid": "b"}}
    first = daemonsets.event(ds, "Normal", "SuccessfulCreate", "Created pod: logs-x")
    second = budgets.event(pdb, "Normal", "NoPods", "No matching pods found")
    assert first is not None and second is not None
    assert int(second["metadata"]["name"].split(".")[1], 16) == int(first["metadata"]["name"].split(".")[1], 16) + 1
    stored = [(e["involvedObject"]["kind"], e["reason"]) for e in c.api.list("events", "default")
              if e["involvedObject"]["name"] == "logs"]
    assert sorted(stored) == [("DaemonSet", "SuccessfulCreate"), ("PodDisruptionBudget", "NoPods")]
