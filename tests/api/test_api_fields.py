"""Field selectors: parsing, escaping, matching objects, and the per-resource supported fields."""

import pytest

from k8slearn.api.fields import FieldSelectorError, parse_field_selector, supported_field_labels

POD = {"kind": "Pod", "metadata": {"name": "web", "namespace": "default"},
       "spec": {"nodeName": "node-1", "schedulerName": "default-scheduler"},
       "status": {"phase": "Running", "podIPs": [{"ip": "10.244.1.5"}]}}
EVENT = {"kind": "Event", "metadata": {"name": "web.1", "namespace": "default"}, "type": "Warning",
         "reason": "FailedScheduling", "involvedObject": {"kind": "Pod", "name": "web"},
         "source": {"component": "default-scheduler"}}
NODE = {"kind": "Node", "metadata": {"name": "node-1"}, "spec": {"unschedulable": True}}

MATCHING = [
    ("status.phase=Running", POD, True, "a pod in the selected phase matches"),
    ("status.phase!=Running", POD, False, "an inequality rejects the same value"),
    ("spec.nodeName==node-1", POD, True, "double equals compares the node name"),
    ("spec.nodeName=", {"kind": "Pod", "spec": {}}, True, "an empty value matches an unscheduled pod"),
    ("metadata.name=web,metadata.namespace=default", POD, True, "metadata fields are selectable"),
    ("status.podIP=10.244.1.5", POD, True, "status.podIP is the first pod IP"),
    ("spec.hostNetwork=false", POD, True, "an unset hostNetwork reads as false"),
    ("involvedObject.kind=Pod,involvedObject.name=web", EVENT, True, "events select on the involved object"),
    ("type=Warning,reason=FailedScheduling", EVENT, True, "events select on type and reason"),
    ("source=default-scheduler", EVENT, True, "an event's source is its source component"),
    ("spec.unschedulable=true", NODE, True, "a cordoned node is unschedulable=true"),
    ("", POD, True, "an empty field selector matches everything"),
]


@pytest.mark.parametrize("text,obj,expected", [m[:3] for m in MATCHING], ids=[m[3] for m in MATCHING])
def test_a_field_selector_matches_object_fields(text, obj, expected):
    assert parse_field_selector(text).matches(obj) is expected


PARSING = [
    ("a=b", [("a", "=", "b")], "a=b", "one equality term"),
    ("z==1,a!=2", [("a", "!=", "2"), ("z", "==", "1")], "a!=2,z=1",
     "terms are sorted and double equals prints as equals"),
    ("a=b\\,c", [("a", "=", "b,c")], "a=b\\,c", "an escaped comma stays in the value"),
]


@pytest.mark.parametrize("text,reqs,canonical", [p[:3] for p in PARSING], ids=[p[3] for p in PARSING])
def test_a_field_selector_parses_into_requirements(text, reqs, canonical):
    sel = parse_field_selector(text)
    assert (sel.requirements, str(sel)) == (reqs, canonical)


ERRORS = [
    ("a", "invalid selector: 'a'; can't understand 'a'", "a term without an operator is not understood"),
    ("a=b=c", "invalid field selector: unescaped character in value: 61",
     "an unescaped equals sign is rejected"),
    ("a=b\\x", "invalid field selector: invalid escape sequence: b\\x", "an unknown escape is rejected"),
]


@pytest.mark.parametrize("text,message", [e[:2] for e in ERRORS], ids=[e[2] for e in ERRORS])
def test_a_malformed_field_selector_gets_apimachinerys_message(text, message):
    with pytest.raises(FieldSelectorError) as err:
        parse_field_selector(text)
    assert str(err.value) == message


SUPPORTED = [
    ("pods",
     {"metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
              "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP",
              "status.nominatedNodeName"}, "pods support node, phase and IP fields"),
    ("nodes", {"metadata.name", "spec.unschedulable"}, "nodes support name and unschedulable"),
    ("deployments", {"metadata.name", "metadata.namespace"}, "other resources support only metadata"),
]


@pytest.mark.parametrize("plural,fields", [s[:2] for s in SUPPORTED], ids=[s[2] for s in SUPPORTED])
def test_supported_field_labels_per_resource(plural, fields):
    assert supported_field_labels(plural) == fields


def test_events_support_involved_object_and_source_fields():
    assert {"involvedObject.name", "involvedObject.kind", "reason", "reportingComponent", "source",
            "type"} <= (
        supported_field_labels("events"))


def test_an_unsupported_field_is_reported_with_the_api_servers_message():
    with pytest.raises(FieldSelectorError) as err:
        parse_field_selector("spec.replicas=3").check("deployments")
    assert str(err.value) == "field label not supported: spec.replicas"
