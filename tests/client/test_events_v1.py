"""The events.k8s.io recorder: an Event per (object at its resourceVersion, reason, action), and an
EventSeries for repeats, written at the second, then at the half-hourly refresh or when it ends."""

from k8slearn.apiserver import APIServer
from k8slearn.client.events_v1 import EventsRecorder
from k8slearn.etcd import MVCCStore
from k8slearn.sim import Loop


def setup():
    loop = Loop(seed=0)
    server = APIServer(MVCCStore(), loop)
    client = server.client("test")
    client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    pod = client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default"},
                         "spec": {"containers": [{"name": "app", "image": "nginx"}]}})
    recorder = EventsRecorder(loop, server.client("kube-scheduler"), "default-scheduler",
                              "default-scheduler-control-plane").start()
    return loop, client, pod, recorder


def failed(recorder, pod):
    return recorder.event(pod, "Warning", "FailedScheduling", "0/1 nodes are available", action="Scheduling")


def series(client):
    return [(e["eventTime"], e.get("series")) for e in client.list("events", "default")]


def test_a_single_event_has_an_event_time_and_the_reporting_instance_and_none_of_the_core_fields():
    loop, client, pod, recorder = setup()
    loop.run(1.5)
    event = failed(recorder, pod)
    assert {k: event[k] for k in ("eventTime", "firstTimestamp", "lastTimestamp", "source", "action",
                                  "reportingComponent", "reportingInstance", "message")} == {
        "eventTime": "2026-01-05T09:00:01.500000Z", "firstTimestamp": None, "lastTimestamp": None, "source": {},
        "action": "Scheduling", "reportingComponent": "default-scheduler",
        "reportingInstance": "default-scheduler-control-plane", "message": "0/1 nodes are available"}
    assert "count" not in event and "series" not in event
    assert event["involvedObject"]["resourceVersion"] == pod["metadata"]["resourceVersion"]


def test_repeats_make_a_series_written_at_the_second_then_counted_until_it_ends():
    loop, client, pod, recorder = setup()
    failed(recorder, pod)
    loop.run(60)
    assert failed(recorder, pod)["series"] == {"count": 2, "lastObservedTime": "2026-01-05T09:01:00.000000Z"}
    loop.run(60)
    assert failed(recorder, pod) is None  # the third: counted in memory only
    assert series(client)[0][1]["count"] == 2
    loop.run(600)  # no repeat for 6 minutes: finishSeries writes the last count and forgets the series
    assert series(client) == [("2026-01-05T09:00:00.000000Z",
                               {"count": 3, "lastObservedTime": "2026-01-05T09:02:00.000000Z"})]
    assert "series" not in failed(recorder, pod)  # a repeat after the end: a new Event
    assert len(series(client)) == 2


def test_the_same_event_about_another_resource_version_is_another_event():
    loop, client, pod, recorder = setup()
    failed(recorder, pod)
    changed = client.patch("pods", "web", {"metadata": {"labels": {"a": "b"}}})
    loop.run(1)
    failed(recorder, changed)
    assert [s for _, s in series(client)] == [None, None]


def test_a_long_series_is_written_again_at_the_half_hourly_refresh():
    loop, client, pod, recorder = setup()
    for _ in range(20):  # one every 100 s: the series never ends
        failed(recorder, pod)
        loop.run(100)
    assert series(client)[0][1] == {"count": 18, "lastObservedTime": "2026-01-05T09:28:20.000000Z"}  # at 30 min


def test_a_series_whose_event_was_deleted_is_created_again():
    loop, client, pod, recorder = setup()
    first = failed(recorder, pod)
    client.delete("events", first["metadata"]["name"], "default")
    loop.run(10)
    again = failed(recorder, pod)
    assert (again["metadata"]["name"], again["series"]["count"]) == (first["metadata"]["name"], 2)
