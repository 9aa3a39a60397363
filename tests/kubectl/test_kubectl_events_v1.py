"""Events read through events.k8s.io/v1: the same stored objects, in that API's shape.

``kubectl get events.events.k8s.io`` prints the table of ``kubectl get events`` (the server's table is
made from its internal object); ``-o yaml`` shows the events.k8s.io/v1 fields (pkg/apis/events/v1/
conversion.go, Convert_core_Event_To_v1_Event).
"""

import json

import pytest
import yaml

import k8slearn
from k8slearn.api.conversion import core_event_to_v1, v1_event_to_core


@pytest.fixture(scope="module")
def cluster():
    c = k8slearn.Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx")
    c.settle()
    return c


def _event(c, reason):
    return next(e for e in c.api.list("events", "default") if e["reason"] == reason)


def _as_v1(c, reason):
    name = _event(c, reason)["metadata"]["name"]
    result = c.kubectl(f"get events.events.k8s.io {name} -o yaml")
    assert result.code == 0, result.stderr
    return yaml.safe_load(result.stdout)


@pytest.mark.parametrize("resource", ["events.events.k8s.io", "events.v1.events.k8s.io", "event.events.k8s.io"])
def test_the_events_k8s_io_table_is_the_core_events_table(cluster, resource):
    assert cluster.kubectl(f"get {resource} -o wide").stdout == cluster.kubectl("get events -o wide").stdout


def test_a_kubelet_event_keeps_its_old_fields_as_deprecated_ones(cluster):
    core, v1 = _event(cluster, "Pulling"), _as_v1(cluster, "Pulling")
    assert v1 == {
        "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": core["metadata"], "eventTime": None,
        "reason": "Pulling", "note": 'Pulling image "nginx"', "type": "Normal",
        "regarding": core["involvedObject"], "reportingController": "kubelet", "reportingInstance": "node-1",
        "deprecatedSource": {"component": "kubelet", "host": "node-1"}, "deprecatedCount": 1,
        "deprecatedFirstTimestamp": core["firstTimestamp"], "deprecatedLastTimestamp": core["lastTimestamp"]}


def test_a_scheduler_event_has_an_event_time_and_action_and_null_deprecated_timestamps(cluster):
    v1 = _as_v1(cluster, "Scheduled")
    assert v1["eventTime"] and v1["action"] == "Binding"
    assert (v1["reportingController"], v1["reportingInstance"]) == ("default-scheduler",
                                                                     "default-scheduler-control-plane")
    assert (v1["deprecatedSource"], v1["deprecatedFirstTimestamp"], v1["deprecatedLastTimestamp"]) == ({}, None, None)
    assert "deprecatedCount" not in v1 and "message" not in v1 and "involvedObject" not in v1


def test_a_missing_event_is_named_with_its_group(cluster):
    result = cluster.kubectl("get events.events.k8s.io nosuch")
    assert (result.stderr, result.code) == ('Error from server (NotFound): events.events.k8s.io "nosuch" not found\n', 1)


def test_get_raw_lists_them_as_an_events_k8s_io_event_list(cluster):
    body = json.loads(cluster.kubectl("get --raw /apis/events.k8s.io/v1/namespaces/default/events").stdout)
    assert (body["kind"], body["apiVersion"]) == ("EventList", "events.k8s.io/v1")
    assert {item["apiVersion"] for item in body["items"]} == {"events.k8s.io/v1"}
    assert len(body["items"]) == len(cluster.api.list("events", "default"))


def test_api_resources_and_api_versions_list_the_group(cluster):
    rows = [line.split() for line in cluster.kubectl("api-resources --api-group=events.k8s.io").stdout.splitlines()]
    assert rows == [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"],
                    ["events", "ev", "events.k8s.io/v1", "true", "Event"]]
    assert "events.k8s.io/v1" in cluster.kubectl("api-versions").stdout.splitlines()


@pytest.mark.parametrize("core_field, value, v1_field", [
    pytest.param("message", "hello", "note", id="the message is the note"),
    pytest.param("involvedObject", {"kind": "Pod", "name": "web"}, "regarding",
                 id="the involved object is what the event is regarding"),
    pytest.param("reportingComponent", "kubelet", "reportingController",
                 id="the reporting component is the reporting controller"),
    pytest.param("source", {"component": "kubelet"}, "deprecatedSource", id="the source is deprecated"),
    pytest.param("count", 3, "deprecatedCount", id="the count is deprecated"),
    pytest.param("series", {"count": 2, "lastObservedTime": "2026-01-05T09:00:00.000000Z"}, "series",
                 id="a series stays a series"),
    pytest.param("related", {"kind": "Pod", "name": "other"}, "related", id="a related object stays related"),
])
def test_each_core_field_has_its_events_k8s_io_name_and_converts_back(core_field, value, v1_field):
    core = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"}, "involvedObject": {}, core_field: value}
    converted = core_event_to_v1(core)
    assert converted[v1_field] == value
    assert v1_event_to_core(converted)[core_field] == value


@pytest.mark.parametrize("core_field, v1_field", [
    pytest.param("message", "note", id="an empty message leaves no note"),
    pytest.param("count", "deprecatedCount", id="a zero count leaves no deprecated count"),
    pytest.param("reportingComponent", "reportingController", id="no reporting component, no controller"),
])
def test_empty_values_are_left_out_as_omitempty_does(core_field, v1_field):
    core = {"metadata": {"name": "e"}, core_field: 0 if core_field == "count" else ""}
    assert v1_field not in core_event_to_v1(core)


def test_watching_them_prints_the_same_table_as_watching_core_events():
    def watched(resource):
        c = k8slearn.Cluster(workers=1, seed=0)
        c.settle()
        return c.kubectl(f"get {resource} -w --request-timeout=2s").stdout

    assert watched("events.events.k8s.io") == watched("events")
