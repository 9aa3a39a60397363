"""The controllers' simulation speed-ups give what the plain computations give.

Each fast answer is compared with the plain one over cases that include the awkward ones: pods in
another namespace, finished or deleting pods, missing labels, status or conditions, objects shared
between pods (as the watch cache shares them) and objects that are not.
"""

from __future__ import annotations

import pytest

from k8slearn.api.meta import FrozenDict, FrozenList, freeze, thaw
from k8slearn.client.cache import Indexer, Lister
from k8slearn.controllers.controller_utils import (
    POD_CONTROLLER_UID_INDEX,
    filter_active_pods,
    filter_pods_by_owner,
    get_pod_from_template,
    is_pod_active,
    pod_controller_uid_index,
    set_matcher,
)
from k8slearn.controllers.endpoints import _endpoint_view, endpoint_view_changed
from k8slearn.controllers.pod_util import is_pod_available, is_pod_ready
from k8slearn.controllers.replicaset import calculate_status

READY = FrozenList([FrozenDict({"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-05T09:00:00Z"})])
NOT_READY = FrozenList([FrozenDict({"type": "Ready", "status": "False"})])
WEB = FrozenDict({"app": "web", "pod-template-hash": "abc"})


def pod(name, namespace="default", owner="u-rs", phase="Running", conditions=READY, labels=WEB, deleting=False,
        status=True):
    meta = {"name": name, "namespace": namespace, "uid": f"u-{name}", "labels": labels}
    if owner:
        meta["ownerReferences"] = [{"kind": "ReplicaSet", "name": "web", "uid": owner, "controller": True}]
    if deleting:
        meta["deletionTimestamp"] = "2026-01-05T09:00:00Z"
    out = {"metadata": meta, "spec": {"nodeName": "node-1"}}
    if status:
        out["status"] = {"phase": phase, "conditions": conditions} if conditions is not None else {"phase": phase}
    return out


OWNER = {"metadata": {"name": "web", "namespace": "default", "uid": "u-rs"},
         "spec": {"replicas": 3, "template": {"metadata": {"labels": dict(WEB)}}}}

POD_SETS = [
    ("owned running pods are all kept", [pod("a"), pod("b")]),
    ("a pod of the owner's uid in another namespace is left out", [pod("a"), pod("b", namespace="other")]),
    ("orphans of the namespace follow the owned pods", [pod("z"), pod("a", owner=""), pod("b", owner="", namespace="x")]),
    ("finished pods are left out", [pod("a", phase="Succeeded"), pod("b", phase="Failed"), pod("c", phase="Pending")]),
    ("a deleting pod is left out", [pod("a", deleting=True), pod("b")]),
    ("a pod without a status is active", [pod("a", status=False), pod("b", conditions=None)]),
    ("pods of another owner are not listed", [pod("a", owner="u-other"), pod("b")]),
]


def informer_with(pods):
    class _Informer:  # the attribute filter_pods_by_owner reads
        lister = Lister(Indexer({POD_CONTROLLER_UID_INDEX: pod_controller_uid_index}))
    for p in pods:
        _Informer.lister.indexer.add(p)
    return _Informer


@pytest.mark.parametrize("pods", [c[1] for c in POD_SETS], ids=[c[0] for c in POD_SETS])
def test_the_owner_filters_list_what_the_plain_checks_list(pods):
    informer = informer_with(pods)
    namespace = OWNER["metadata"]["namespace"]
    plain = [p for p in sorted(pods, key=lambda p: p["metadata"]["name"])
             if p["metadata"]["namespace"] == namespace and pod_controller_uid_index(p)[0] == "u-rs"]
    plain += [p for p in sorted(pods, key=lambda p: p["metadata"]["name"])
              if p["metadata"]["namespace"] == namespace and not p["metadata"].get("ownerReferences")]
    assert filter_pods_by_owner(informer, OWNER) == plain
    assert filter_active_pods(plain) == [p for p in plain if is_pod_active(p)]


def plain_status_counts(rs, pods, now):
    """calculate_status's counts computed pod by pod, without remembering anything."""
    matches = set_matcher(rs["spec"]["template"]["metadata"].get("labels"))
    min_ready = rs["spec"].get("minReadySeconds") or 0
    ready = [p for p in pods if is_pod_ready(p)]
    counts = {"replicas": len(pods), "fullyLabeledReplicas": sum(matches(p["metadata"].get("labels")) for p in pods),
              "readyReplicas": len(ready),
              "availableReplicas": sum(not min_ready or is_pod_available(p, min_ready, now) for p in ready)}
    return {k: v for k, v in counts.items() if v or k == "replicas"}


STATUS_CASES = [
    ("pods sharing one labels object and one conditions list are all counted",
     [pod("a"), pod("b"), pod("c")], 0),
    ("a pod with other labels is not fully labeled though it shares the conditions",
     [pod("a"), pod("b", labels=FrozenDict({"app": "web"})), pod("c", labels=None)], 0),
    ("ready and not ready pods sharing lists are told apart",
     [pod("a"), pod("b", conditions=NOT_READY), pod("c", conditions=NOT_READY), pod("d")], 0),
    ("pods without a status or without conditions are not ready",
     [pod("a", status=False), pod("b", conditions=None), pod("c"), pod("d", conditions=FrozenList())], 0),
    ("equal but separate labels and conditions give the same answers",
     [pod("a", labels=dict(WEB), conditions=list(READY)), pod("b", labels=dict(WEB), conditions=list(NOT_READY))], 0),
    ("minReadySeconds is still checked pod by pod",
     [pod("a"), pod("b"), pod("c", conditions=FrozenList([FrozenDict(
         {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-05T10:00:00Z"})]))], 60),
]


@pytest.mark.parametrize("pods, min_ready", [c[1:] for c in STATUS_CASES], ids=[c[0] for c in STATUS_CASES])
def test_replica_set_status_counts_equal_the_plain_count(pods, min_ready):
    from k8slearn.api.meta import parse_timestamp
    rs = {**OWNER, "spec": {**OWNER["spec"], "minReadySeconds": min_ready}}
    now = parse_timestamp("2026-01-05T10:00:30Z")
    assert calculate_status(rs, pods, now) == plain_status_counts(rs, pods, now)


VIEW_CASES = [
    ("a pod that became ready changed its endpoints", pod("a", conditions=NOT_READY), pod("a")),
    ("a pod that only changed something endpoints do not show did not", pod("a"), pod("a", owner="u-other")),
    ("a pod that got a deletion timestamp changed", pod("a"), pod("a", deleting=True)),
    ("a pod whose labels changed changed", pod("a"), pod("a", labels=FrozenDict({"app": "db"}))),
]


@pytest.mark.parametrize("old, cur", [c[1:] for c in VIEW_CASES], ids=[c[0] for c in VIEW_CASES])
def test_the_remembered_endpoint_answer_is_the_computed_one(old, cur):
    old, cur = freeze(old), freeze(cur)
    expected = _endpoint_view(old) != _endpoint_view(cur)
    assert endpoint_view_changed(old, cur) == expected  # computed, then remembered
    assert endpoint_view_changed(old, cur) == expected  # the second controller's call: remembered
    assert endpoint_view_changed(cur, old) == expected  # another pair: computed again


def test_a_plain_pod_pair_is_never_remembered():
    old, cur = pod("a", conditions=NOT_READY), pod("a", conditions=NOT_READY)
    assert endpoint_view_changed(old, cur) is False
    cur["status"]["conditions"] = list(READY)  # a plain dict may change between two calls
    assert endpoint_view_changed(old, cur) is True


TEMPLATE = {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}


@pytest.mark.parametrize("template", [TEMPLATE, freeze(TEMPLATE)],
                         ids=["a plain template gives the pod it always gave",
                              "a read-only template (an informer's) gives the same stored pod"])
def test_a_pod_from_a_template_is_stored_as_from_a_plain_copy(template):
    from k8slearn.apiserver import APIServer
    from k8slearn.etcd import MVCCStore
    from k8slearn.sim import Loop

    api = APIServer(MVCCStore(), Loop(seed=0)).client("test")
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    made = get_pod_from_template(template, OWNER, None)
    assert made["metadata"] == {"generateName": "web-", "namespace": "default", "labels": {"app": "web"}}
    stored = api.create(made)
    plain = api.create(get_pod_from_template(thaw(template), OWNER, None))
    for obj in (stored, plain):
        for key in ("name", "uid", "resourceVersion", "creationTimestamp"):
            obj["metadata"].pop(key)
        # (each pod's token volume gets its own random name)
        obj["spec"]["volumes"][0]["name"] = obj["spec"]["containers"][0]["volumeMounts"][0]["name"] = "kube-api-access"
    assert stored == plain and stored["spec"]["containers"][0]["ports"] == [{"containerPort": 80, "protocol": "TCP"}]


class PatchRecorder:
    """A client that records each PATCH claim_objects sends and answers with the patched name."""

    def __init__(self):
        self.patches = []

    def patch(self, resource, name, patch, namespace):
        self.patches.append((name, patch["metadata"]["ownerReferences"][0].get("$patch", "adopt")))
        return {"metadata": {"name": name, "namespace": namespace, "patched": True}}


def plain_claim(client, owner, match, objects):
    """ClaimObjects written out with get_controller_of for each object (no adoption check)."""
    from k8slearn.controllers.controller_ref_manager import adopt_patch, release_patch
    from k8slearn.controllers.controller_utils import get_controller_of
    claimed, meta = [], owner["metadata"]
    for obj in objects:
        ref = get_controller_of(obj)
        if ref is not None:
            if ref.get("uid") == meta["uid"]:
                if match(obj):
                    claimed.append(obj)
                else:
                    claimed_patch = release_patch(meta["uid"], obj)
                    client.patch("pods", obj["metadata"]["name"], claimed_patch, obj["metadata"]["namespace"])
        elif match(obj) and not obj["metadata"].get("deletionTimestamp") and \
                obj["metadata"]["namespace"] == meta["namespace"]:
            claimed.append(client.patch("pods", obj["metadata"]["name"], adopt_patch(owner, obj),
                                        obj["metadata"]["namespace"]))
    return claimed


def with_refs(p, refs):
    p["metadata"]["ownerReferences"] = refs
    return p


CLAIM_CASES = [
    ("owned matching pods are kept", [pod("a"), pod("b")]),
    ("an owned pod whose labels no longer match is released", [pod("a"), pod("b", labels=FrozenDict({"app": "db"}))]),
    ("a pod another controller owns is ignored", [pod("a", owner="u-other"), pod("b")]),
    ("matching orphans of the namespace are adopted, others not",
     [pod("a", owner=""), pod("b", owner="", namespace="x"), pod("c", owner="", labels=None),
      pod("d", owner="", deleting=True)]),
    ("the controller reference is found after a plain owner reference",
     [with_refs(pod("a"), [{"kind": "Node", "uid": "u-n", "name": "n"},
                           {"kind": "ReplicaSet", "uid": "u-rs", "name": "web", "controller": True}])]),
    ("an object with only plain owner references is an orphan",
     [with_refs(pod("a"), [{"kind": "ReplicaSet", "uid": "u-rs", "name": "web"}])]),
]


@pytest.mark.parametrize("pods", [c[1] for c in CLAIM_CASES], ids=[c[0] for c in CLAIM_CASES])
def test_claiming_gives_the_plain_claim(pods):
    from k8slearn.controllers.controller_ref_manager import claim_objects
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", **OWNER}
    match = lambda p: set_matcher(dict(WEB))(p["metadata"].get("labels"))  # noqa: E731
    fast, plain = PatchRecorder(), PatchRecorder()
    assert claim_objects(fast, "pods", owner, match, pods) == plain_claim(plain, owner, match, pods)
    assert fast.patches == plain.patches


SHARED_REFS = FrozenList([FrozenDict({"kind": "ReplicaSet", "uid": "u-rs", "controller": True})])


@pytest.mark.parametrize("refs, kept_as_is", [
    (SHARED_REFS, True),
    (FrozenList(), True),
    (FrozenList([FrozenDict({"uid": "a"}), {"uid": "b"}]), False),
    ([{"uid": "c"}], False),
    (None, False),
], ids=["a read-only list of read-only references is kept as it is",
        "an empty read-only list is kept as it is",
        "a read-only list holding a plain reference is copied",
        "a plain list is copied",
        "no references give an empty list"])
def test_the_garbage_collectors_owner_list_equals_the_references(refs, kept_as_is):
    from k8slearn.controllers.gc_graph import _owner_list
    owners = _owner_list(refs)
    assert owners == [dict(r) for r in refs or ()]
    assert (owners is refs) == kept_as_is


@pytest.mark.parametrize("refs", [
    None, [], [{"uid": "u-a"}], [{"uid": "u-a"}, {"uid": "u-b", "controller": True}],
    [{"uid": "u-a", "controller": False}, {"uid": "u-b", "controller": True}, {"uid": "u-c", "controller": True}],
], ids=["a pod without references is an orphan", "an empty reference list is an orphan",
        "a plain owner reference is no controller", "the controller reference is found after a plain one",
        "the first controller reference counts"])
def test_the_controller_uid_index_names_get_controller_of(refs):
    from k8slearn.controllers.controller_utils import ORPHAN_POD_INDEX_KEY, get_controller_of
    p = {"metadata": {"name": "a", "ownerReferences": refs}}
    ref = get_controller_of(p)
    assert pod_controller_uid_index(p) == ([ref["uid"]] if ref else [ORPHAN_POD_INDEX_KEY])
