"""DefaultSelector remembers the selectors it built: asked again (a second pod of the same
ReplicaSet), it gives the selector it would build from scratch, for every kind of LabelSelector."""

import pytest

from k8slearn.api.labels import Selector, SelectorParseError, selector_from_label_selector, selector_from_set
from k8slearn.scheduler.plugins import helper
from k8slearn.scheduler.plugins.helper import controller_ref, default_selector


class Lister:
    def __init__(self, *objects):
        self.objects = list(objects)

    def get(self, name, namespace=None):
        return next((o for o in self.objects if o["metadata"]["name"] == name), None)

    def list(self, namespace=None):
        return list(self.objects)


def replica_set(selector):
    return {"metadata": {"name": "web-1", "namespace": "default"}, "spec": {"selector": selector}}


def service(selector):
    return {"metadata": {"name": "svc", "namespace": "default"}, "spec": {"selector": selector}}


def pod(name="p1", labels=None):
    ref = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "controller": True}
    labels = {"app": "web", "tier": "fe"} if labels is None else labels
    return {"metadata": {"name": name, "namespace": "default", "labels": labels, "ownerReferences": [ref]}}


def plain_default_selector(p, listers):
    """DefaultSelector without anything remembered."""
    labels = p["metadata"].get("labels") or {}
    merged = {}
    for svc in listers["services"].list("default"):
        chosen = svc["spec"].get("selector")
        if chosen is not None and all(labels.get(k) == v for k, v in chosen.items()):
            merged.update(chosen)
    selector = selector_from_set(merged)
    owner = controller_ref(p)
    controller = listers["replicasets"].get(owner["name"], "default")
    if controller is None:
        return selector
    try:
        other = selector_from_label_selector(controller["spec"].get("selector"))
    except SelectorParseError:
        return selector
    return Selector([*selector.requirements, *other.requirements])


def same(a, b):
    return (str(a), a.empty(), a.matches({"app": "web", "tier": "fe"})) == (
        str(b),
        b.empty(),
        b.matches({"app": "web", "tier": "fe"}),
    ) and type(a) is type(b) and a._nothing == b._nothing


@pytest.mark.parametrize(
    "label_selector, services",
    [
        ({"matchLabels": {"app": "web"}}, []),
        ({"matchLabels": {"app": "web"}}, [service({"tier": "fe"})]),
        (
            {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe"]}],
            },
            [],
        ),
        ({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, []),
        ({}, []),
        (None, []),
        ({"matchExpressions": [{"key": "tier", "operator": "Bad", "values": ["fe"]}]}, []),
        ({"matchLabels": {"app": "-bad-"}}, []),
        ({"matchLabels": {"app": 7}}, []),
    ],
    ids=[
        "a ReplicaSet's matchLabels selector",
        "a Service's selector merged with the ReplicaSet's",
        "matchLabels and matchExpressions together",
        "an Exists expression",
        "an empty LabelSelector selects everything",
        "a missing selector",
        "an unknown operator falls back to the Services' selector",
        "an invalid label value falls back to the Services' selector",
        "a label value that is not a string is not remembered and still parsed",
    ],
)
def test_a_remembered_default_selector_equals_one_built_from_scratch(label_selector, services, monkeypatch):
    monkeypatch.setattr(helper, "_combined_selectors", {})
    listers = {"replicasets": Lister(replica_set(label_selector)), "services": Lister(*services)}
    for name in ("p1", "p2", "p3"):  # the second and third pods get what the first one built
        p = pod(name)
        try:
            expected = plain_default_selector(p, listers)
        except Exception as err:  # noqa: BLE001 - the remembered path must fail the same way
            with pytest.raises(type(err)):
                default_selector(p, listers)
            continue
        assert same(default_selector(p, listers), expected)


def test_a_changed_replica_set_selector_is_not_answered_from_memory(monkeypatch):
    monkeypatch.setattr(helper, "_combined_selectors", {})
    listers = {"replicasets": Lister(replica_set({"matchLabels": {"app": "web"}})), "services": Lister()}
    assert str(default_selector(pod(), listers)) == "app=web"
    listers["replicasets"] = Lister(replica_set({"matchLabels": {"app": "web", "tier": "fe"}}))
    assert str(default_selector(pod("p2"), listers)) == "app=web,tier=fe"
