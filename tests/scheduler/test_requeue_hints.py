"""When a pending pod is tried again: the queueing hints of InterPodAffinity and TaintToleration,
and the events an update of an assigned pod produces (a kubelet's status write is none)."""

import pytest
from scheduler_builders import pod, pod_term, toleration

from k8slearn import Cluster
from k8slearn.scheduler.events import QueueingHint
from k8slearn.scheduler.plugins.inter_pod_affinity import InterPodAffinity
from k8slearn.scheduler.plugins.taint_toleration import TaintToleration

QUEUE, SKIP = QueueingHint.Queue, QueueingHint.QueueSkip

WANTS_DB = pod("app", labels={"app": "app"}, affinity={
    "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [pod_term({"app": "db"})]}})
AVOIDS_WEB = pod("web-4", labels={"app": "web"}, affinity={
    "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [pod_term({"app": "web"})]}})


def assigned(name, labels, **kwargs):
    return pod(name, labels=labels, node_name="node-1", **kwargs)


@pytest.mark.parametrize(
    "target, old, new, expected",
    [
        pytest.param(WANTS_DB, None, assigned("db", {"app": "db"}), QUEUE,
                     id="an added pod that the affinity selects may help"),
        pytest.param(WANTS_DB, None, assigned("cache", {"app": "cache"}), SKIP,
                     id="an added pod that the affinity does not select cannot help"),
        pytest.param(AVOIDS_WEB, None, assigned("web-1", {"app": "web"}), SKIP,
                     id="an added pod that the anti-affinity selects only makes things worse"),
        pytest.param(WANTS_DB, None, pod("db", labels={"app": "db"}), SKIP,
                     id="a pod that is not on a node yet cannot help"),
        pytest.param(AVOIDS_WEB, assigned("web-1", {"app": "web"}), None, QUEUE,
                     id="a deleted pod that the anti-affinity selected may help"),
        pytest.param(WANTS_DB, assigned("cache", {"app": "cache"}), None, SKIP,
                     id="a deleted pod that no term selected cannot help"),
        pytest.param(WANTS_DB, assigned("x", {"app": "cache"}), assigned("x", {"app": "db"}), QUEUE,
                     id="a pod relabelled to match the affinity may help"),
        pytest.param(AVOIDS_WEB, assigned("x", {"app": "web"}), assigned("x", {"app": "old"}), QUEUE,
                     id="a pod relabelled away from the anti-affinity may help"),
        pytest.param(AVOIDS_WEB, assigned("x", {"app": "web"}), assigned("x", {"app": "web", "v": "2"}), SKIP,
                     id="a pod relabelled but still selected by the anti-affinity cannot help"),
    ],
)
def test_inter_pod_affinity_queues_only_for_a_pod_change_that_may_help(target, old, new, expected):
    assert InterPodAffinity().is_schedulable_after_pod_change(target, old, new) == expected


def with_uid(p, uid):
    return {**p, "metadata": {**p["metadata"], "uid": uid}}


PENDING = with_uid(pod("gpu-job"), "uid-1")
TOLERATING = with_uid(pod("gpu-job", tolerations=[toleration("gpu", "Exists")]), "uid-1")
OTHER = with_uid(assigned("other", {"app": "x"}), "uid-2")
OTHER_TOLERATING = with_uid(assigned("other", {"app": "x"}, tolerations=[toleration("gpu", "Exists")]), "uid-2")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(PENDING, TOLERATING, QUEUE, id="the pending pod that got a new toleration may now fit"),
        pytest.param(OTHER, OTHER_TOLERATING, SKIP, id="another pod that got a new toleration cannot help"),
        pytest.param(PENDING, PENDING, SKIP, id="an update of the pending pod without a new toleration cannot help"),
    ],
)
def test_taint_toleration_queues_only_for_the_pods_own_new_toleration(old, new, expected):
    assert TaintToleration().is_schedulable_after_pod_toleration_change(PENDING, old, new) == expected


ANTI_AFFINITY_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: anti}
spec:
  replicas: 4
  selector: {matchLabels: {app: anti}}
  template:
    metadata: {labels: {app: anti}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: anti}}
            topologyKey: kubernetes.io/hostname
      containers: [{name: app, image: nginx}]
"""


def pending_replica(c):
    (name,) = [p["metadata"]["name"] for p in c.api.list("pods") if p["metadata"]["name"].startswith("anti-")
               and not p["spec"].get("nodeName")]
    return name


def failed_scheduling_events(c, name):
    return [e for e in c.api.list("events") if e["involvedObject"]["name"] == name and e["reason"] == "FailedScheduling"]


def test_a_replica_that_anti_affinity_keeps_out_waits_while_its_siblings_start():
    c = Cluster(workers=3, seed=0)
    c.settle()
    c.kubectl("apply -f -", stdin=ANTI_AFFINITY_DEPLOYMENT)
    c.loop.run(60)  # the siblings are bound, pull their image and start: nothing that can help
    name = pending_replica(c)
    assert c.scheduler.explain(name).attempt.number == 1
    assert len(failed_scheduling_events(c, name)) == 1


def test_the_waiting_replica_is_tried_again_by_the_five_minute_flush():
    c = Cluster(workers=3, seed=0)
    c.settle()
    c.kubectl("apply -f -", stdin=ANTI_AFFINITY_DEPLOYMENT)
    c.loop.run(400)
    assert c.scheduler.explain(pending_replica(c)).attempt.number == 2


def test_the_waiting_replica_schedules_when_a_node_is_freed():
    c = Cluster(workers=3, seed=0)
    c.settle()
    c.kubectl("apply -f -", stdin=ANTI_AFFINITY_DEPLOYMENT)
    c.loop.run(60)
    name = pending_replica(c)
    c.kubectl("delete pod " + next(p["metadata"]["name"] for p in c.api.list("pods")
                                   if p["spec"].get("nodeName") == "node-1" and p["metadata"]["name"].startswith("anti-")))
    c.loop.run(60)
    assert c.api.get("pods", name)["spec"].get("nodeName") == "node-1"


def test_a_pod_waiting_for_a_host_port_is_not_retried_when_a_node_is_relabelled():
    c = Cluster(workers=1, seed=0)
    c.settle()
    for name in ("hp-1", "hp-2"):
        c.api.create(pod(name, host_port=8080))
    c.loop.run(5)
    assert c.scheduler.explain("hp-2").attempt.number == 1
    c.kubectl("label node node-1 disk=ssd")
    c.loop.run(5)
    assert c.scheduler.explain("hp-2").attempt.number == 1
    c.kubectl("delete pod hp-1")
    c.loop.run(5)
    assert c.api.get("pods", "hp-2")["spec"].get("nodeName") == "node-1"


def labelled_node(labels):
    return {"metadata": {"name": "node-4", "labels": labels}}


@pytest.mark.parametrize(
    "labels, expected",
    [
        pytest.param({"kubernetes.io/hostname": "node-4"}, QUEUE, id="a node with the term's topology key may help"),
        pytest.param({"disk": "ssd"}, SKIP, id="a node without the term's topology key cannot help"),
    ],
)
def test_inter_pod_affinity_queues_for_a_node_with_the_topology_key(labels, expected):
    assert InterPodAffinity().is_schedulable_after_node_change(AVOIDS_WEB, None, labelled_node(labels)) == expected
