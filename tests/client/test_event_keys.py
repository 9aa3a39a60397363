"""The memory-saving pieces of event recording decide exactly as the plain computations do.

The correlator's nested keys against client-go's flat ones, the recorder's own object key against
``get_spam_key``, and the kubelet's shared ``Pulled`` message against the plain text.
"""

import pytest

from k8slearn.client.events_cache import (
    EventCorrelator,
    aggregate_key,
    get_event_key,
    get_spam_key,
)
from k8slearn.client.record import EventRecorder


def _flat_event_key(e):
    o, s = e.get("involvedObject") or {}, e.get("source") or {}
    return (s.get("component", ""), s.get("host", ""), o.get("kind", ""), o.get("namespace", ""),
            o.get("name", ""), o.get("uid", ""), o.get("apiVersion", ""), o.get("fieldPath", ""),
            e.get("type", ""), e.get("reason", ""), e.get("message", ""))


def _flat_aggregate_key(e):
    o, s = e.get("involvedObject") or {}, e.get("source") or {}
    return (s.get("component", ""), s.get("host", ""), o.get("kind", ""), o.get("namespace", ""),
            o.get("name", ""), o.get("uid", ""), o.get("apiVersion", ""), e.get("type", ""),
            e.get("reason", ""), e.get("reportingComponent", ""), e.get("reportingInstance", ""))


def _ev(field_path="", type_="Normal", reason="Pulled", message="m", rc="kubelet", ri="node-1", name="web"):
    obj = {"kind": "Pod", "namespace": "default", "name": name, "uid": "u1", "apiVersion": "v1"}
    if field_path:
        obj["fieldPath"] = field_path
    return {"involvedObject": obj, "source": {"component": "kubelet", "host": "node-1"}, "type": type_,
            "reason": reason, "message": message, "reportingComponent": rc, "reportingInstance": ri}


_KEY_CASES = [
    (_ev(), _ev()),
    (_ev(message="a"), _ev(message="b")),
    (_ev(field_path="spec.containers{a}"), _ev(field_path="spec.containers{b}")),
    (_ev(reason="Created"), _ev(reason="Started")),
    (_ev(rc="kubelet"), _ev(rc="other")),
    (_ev(ri="node-1"), _ev(ri="")),
    (_ev(name="web"), _ev(name="api")),
    # an event key equal to an aggregate key: field path, type, reason, message line up with
    # type, reason, reporting controller and instance (flat keys are equal there too)
    (_ev(field_path="Normal", type_="Pulled", reason="kubelet", message="node-1"), _ev()),
    ({}, {}),
]
_KEY_IDS = [
    "the same event",
    "events that differ only in message",
    "events that differ only in field path",
    "events that differ only in reason",
    "events that differ only in reporting controller",
    "events that differ only in reporting instance",
    "events about different objects",
    "an event whose strings line up with another's aggregate key",
    "events with none of the fields",
]


@pytest.mark.parametrize("a, b", _KEY_CASES, ids=_KEY_IDS)
def test_nested_keys_are_equal_exactly_when_flat_keys_are(a, b):
    kinds = [(get_event_key, _flat_event_key), (aggregate_key, _flat_aggregate_key)]
    for nested_a, flat_a in kinds:
        for nested_b, flat_b in kinds:
            assert (nested_a(a) == nested_b(b)) == (flat_a(a) == flat_b(b))


@pytest.mark.parametrize("a, b", _KEY_CASES, ids=_KEY_IDS)
def test_a_correlators_shared_keys_equal_the_module_functions_keys(a, b):
    c = EventCorrelator()
    for e in (a, b):
        e = {**e, "metadata": {"name": "web.1"}}
        result = c.correlate(e, 0.0)
        assert result.event_key == get_event_key(e)
        assert aggregate_key(e) in list(c._aggregate)


class _Echo:
    """A client whose create returns what was sent (and remembers it)."""

    def __init__(self):
        self.created = []

    def create(self, event):
        self.created.append(event)
        return event


_NODE = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1", "uid": "x"}}
_POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "prod", "uid": "u",
                                                         "resourceVersion": "7"}}
_CLUSTER_ROLE = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                 "metadata": {"name": "view", "uid": "r"}}


@pytest.mark.parametrize("obj, host, field_path", [
    (_POD, "node-1", "spec.containers{web}"),
    (_POD, "", ""),
    (_NODE, "node-1", ""),
    (_CLUSTER_ROLE, "", ""),
    ({"kind": "Pod", "metadata": {}}, "", ""),
], ids=[
    "a pod's container, from a kubelet",
    "a pod, from a controller with no host",
    "a node, named by its name as its uid",
    "a cluster-scoped object without a namespace",
    "an object with no name, uid or apiVersion",
])
def test_the_recorders_object_key_is_the_events_spam_key(obj, host, field_path):
    client = _Echo()
    recorder = EventRecorder(client, "kubelet", host=host, clock=lambda: 1.5)
    recorder.event(obj, "Normal", "Started", "Started container web", field_path=field_path)
    assert list(recorder.correlator._spam) == [get_spam_key(client.created[0])]


@pytest.mark.parametrize("image, pull, total, size", [
    ("nginx:1.27", 1.024, 1.024, 72404038),
    ("nginx:1.27", 0.3, 1.324, 72404038),
    ("nginx:1.27", 0.3, 1.324, 72404038.0),
    ("registry.k8s.io/pause:3.10", 65.2, 65.2, 1),
    ("busybox", 0, 0.0, 0),
], ids=[
    "a pull that did not wait",
    "a pull that waited for the one before it",
    "the same pull with a size written as a float",
    "a pull of over a minute",
    "a pull that took no time",
])
def test_the_shared_pulled_message_is_the_plain_text(image, pull, total, size):
    from k8slearn.api.meta import go_duration
    from k8slearn.kubelet.image_manager import _pulled
    plain = (f'Successfully pulled image "{image}" in {go_duration(pull)} '
             f"({go_duration(total)} including waiting). Image size: {size} bytes.")
    assert _pulled(image, pull, total, size) == plain
    assert _pulled(image, pull, total, size) is _pulled(image, pull, total, size)


def test_keys_with_the_same_middle_strings_share_one_tuple_across_correlators():
    first, second = EventCorrelator(), EventCorrelator()
    a = first.correlate({**_ev(name="a"), "metadata": {"name": "a.1"}}, 0.0)
    b = second.correlate({**_ev(name="b"), "metadata": {"name": "b.1"}}, 0.0)
    assert a.event_key[1] == ("", "Normal", "Pulled") and a.event_key[1] is b.event_key[1]
    (akey,), (bkey,) = list(first._aggregate), list(second._aggregate)
    assert akey[1] == ("Normal", "Pulled", "kubelet") and akey[1] is bkey[1]
