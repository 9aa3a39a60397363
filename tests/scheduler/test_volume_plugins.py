"""The volume plugins: a pod whose claim does not exist waits at the scheduler, disks that conflict,
which plugins skip which pods, and which cluster events bring a waiting pod back."""

import pytest
from scheduler_builders import MiniCluster, node, node_info, pod

from k8slearn.scheduler.events import NODE_ADD, NODE_LABEL_CHANGE, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.node_volume_limits import NodeVolumeLimits
from k8slearn.scheduler.plugins.volume_binding import VolumeBinding
from k8slearn.scheduler.plugins.volume_claims import claim_is_for_pod
from k8slearn.scheduler.plugins.volume_restrictions import VolumeRestrictions, is_volume_conflict
from k8slearn.scheduler.plugins.volume_zone import VolumeZone
from k8slearn.scheduler.profile import Profile

CLAIM_NOT_FOUND = 'persistentvolumeclaim "data" not found'
WAITING_FOR_EPHEMERAL = (
    'waiting for ephemeral volume controller to create the persistentvolumeclaim "cache-scratch"'
)
NOT_HELPFUL_4 = "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."


def with_volumes(p: dict, *volumes: dict) -> dict:
    p["spec"]["volumes"] = list(volumes)
    return p


def claim_volume(claim: str = "data") -> dict:
    return {"name": "data", "persistentVolumeClaim": {"claimName": claim}}


def ephemeral_volume() -> dict:
    template = {"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
    return {"name": "scratch", "ephemeral": {"volumeClaimTemplate": template}}


def ebs_volume(volume_id: str = "vol-1") -> dict:
    return {"name": "disk", "awsElasticBlockStore": {"volumeID": volume_id}}


def gce_volume(read_only: bool) -> dict:
    return {"name": "disk", "gcePersistentDisk": {"pdName": "pd-1", "readOnly": read_only}}


CONFIG_MAP = {"name": "config", "configMap": {"name": "web"}}
SKIP = Status(Code.Skip)


def rejected(message: str) -> Status:
    return Status(Code.UnschedulableAndUnresolvable, message)


# Verdicts in profile order: VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone.
@pytest.mark.parametrize(
    "volumes, expected",
    [
        ((CONFIG_MAP,), (SKIP, SKIP, SKIP, SKIP)),
        (
            (CONFIG_MAP, claim_volume()),
            (rejected(CLAIM_NOT_FOUND), SUCCESS, rejected(CLAIM_NOT_FOUND), rejected(CLAIM_NOT_FOUND)),
        ),
        ((ephemeral_volume(),), (SKIP, SUCCESS, rejected(WAITING_FOR_EPHEMERAL), SKIP)),
        ((ebs_volume(),), (SUCCESS, SUCCESS, SKIP, SKIP)),
    ],
    ids=[
        "a pod without claims or disks is skipped by every volume plugin",
        "a missing claim is rejected by the plugins that look claims up, with the lister's error",
        "a generic ephemeral volume's missing claim is named <pod>-<volume> and waits for its controller",
        "an inline EBS disk is checked for conflicts and counted, but has no claim to bind",
    ],
)
def test_pre_filter_of_each_volume_plugin(volumes, expected):
    p = with_volumes(pod("cache"), *volumes)
    plugins = (VolumeRestrictions(), NodeVolumeLimits(), VolumeBinding(), VolumeZone())
    assert tuple(plugin.pre_filter(CycleState(), p) for plugin in plugins) == expected


def test_node_volume_limits_filter_rejects_a_node_when_a_claim_is_missing_with_the_upstream_words():
    p = with_volumes(pod("cache"), claim_volume())
    assert NodeVolumeLimits().filter(CycleState(), p, node_info(node("node-1"))) == rejected(
        f"looking up PVC default/data: {CLAIM_NOT_FOUND}"
    )


@pytest.mark.parametrize(
    "mine, theirs, expected",
    [
        (ebs_volume("vol-1"), ebs_volume("vol-1"), True),
        (ebs_volume("vol-1"), ebs_volume("vol-2"), False),
        (gce_volume(read_only=False), gce_volume(read_only=True), True),
        (gce_volume(read_only=True), gce_volume(read_only=True), False),
        ({"iscsi": {"iqn": "iqn.x", "readOnly": True}}, {"iscsi": {"iqn": "iqn.x"}}, True),
        ({"rbd": {"monitors": ["m1", "m2"], "image": "i"}}, {"rbd": {"monitors": ["m2"], "image": "i"}},
         True),
        ({"rbd": {"monitors": ["m1"], "image": "i"}}, {"rbd": {"monitors": ["m2"], "image": "i"}}, False),
    ],
    ids=[
        "two users of one EBS volume conflict",
        "two different EBS volumes do not conflict",
        "a GCE disk written by one pod conflicts with a reader",
        "a GCE disk only read by both pods does not conflict",
        "an iSCSI target one of the two may write conflicts",
        "an RBD image reached through a shared monitor conflicts",
        "RBD images behind different monitors do not conflict",
    ],
)
def test_is_volume_conflict(mine, theirs, expected):
    assert is_volume_conflict(mine, with_volumes(pod("other"), {"name": "v", **theirs})) is expected


def test_a_pod_whose_claim_does_not_exist_stays_pending_with_upstreams_failed_scheduling_message():
    c = MiniCluster(workers=3, control_plane=True)
    c.create(with_volumes(pod("db"), claim_volume()))
    c.settle()
    message = f"0/4 nodes are available: {CLAIM_NOT_FOUND}. {NOT_HELPFUL_4}"
    assert c.node_of("db") == ""
    assert c.events("db") == [("Warning", "FailedScheduling", message)]
    condition = c.condition("db")
    assert (condition["status"], condition["reason"]) == ("False", "Unschedulable")
    assert condition["message"] == message


@pytest.mark.parametrize(
    "volume, rejector, message",
    [
        (claim_volume(), "VolumeRestrictions", CLAIM_NOT_FOUND),
        (ephemeral_volume(), "VolumeBinding", WAITING_FOR_EPHEMERAL),
    ],
    ids=[
        "a persistentVolumeClaim volume is rejected first by VolumeRestrictions",
        "a generic ephemeral volume is rejected by VolumeBinding",
    ],
)
def test_the_first_volume_plugin_to_reject_the_pod_is_the_one_the_queue_waits_on(volume, rejector, message):
    c = MiniCluster(workers=1)
    c.create(with_volumes(pod("cache"), volume))
    c.settle()
    explanation = str(c.scheduler.explain("cache"))
    assert f"PreFilter rejected the pod before any node was tried: {message}" in explanation
    assert c.scheduler.queue.where("default/cache") == "unschedulablePods"
    assert list(c.scheduler.queue.unschedulable_pods["default/cache"].unschedulable_plugins) == [rejector]


@pytest.mark.parametrize(
    "volume, event, expected",
    [
        (claim_volume(), NODE_ADD, "after backoff"),
        (claim_volume(), NODE_LABEL_CHANGE, "skip"),
        (ephemeral_volume(), NODE_LABEL_CHANGE, "after backoff"),
        (claim_volume(), ClusterEvent("PersistentVolumeClaim", ActionType.Add, "PvcAdd"), "after backoff"),
    ],
    ids=[
        "a new node brings back a pod rejected for a missing claim",
        "a node label change does not bring back a pod VolumeRestrictions rejected",
        "a node label change brings back a pod VolumeBinding rejected",
        "the pod's claim being created brings it back",
    ],
)
def test_which_cluster_events_requeue_a_pod_waiting_for_its_claim(volume, event, expected):
    c = MiniCluster(workers=1)
    c.create(with_volumes(pod("cache"), volume))
    c.settle()
    pinfo = c.scheduler.queue.unschedulable_pods["default/cache"]
    claim = {"metadata": {"name": "data", "namespace": "default"}}
    new = claim if event.resource == "PersistentVolumeClaim" else node("node-9")
    assert c.scheduler.queue.is_pod_worth_requeuing(pinfo, event, None, new) == expected


@pytest.mark.parametrize(
    "claim_namespace, claim_name, ephemeral, expected",
    [
        ("default", "data", True, QueueingHint.Queue),
        ("other", "data", True, QueueingHint.QueueSkip),
        ("default", "cache-scratch", True, QueueingHint.Queue),
        ("default", "cache-scratch", False, QueueingHint.QueueSkip),
        ("default", "logs", True, QueueingHint.QueueSkip),
    ],
    ids=[
        "a claim the pod names, in its namespace, may help",
        "a claim of the same name in another namespace does not",
        "the claim of the pod's ephemeral volume may help VolumeBinding",
        "the claim of the pod's ephemeral volume does not concern VolumeRestrictions",
        "an unrelated claim does not",
    ],
)
def test_the_claim_queueing_hint(claim_namespace, claim_name, ephemeral, expected):
    p = with_volumes(pod("cache"), claim_volume(), ephemeral_volume())
    claim = {"metadata": {"name": claim_name, "namespace": claim_namespace}}
    assert claim_is_for_pod(p, claim, ephemeral) == expected


def test_a_pod_wanting_an_ebs_volume_in_use_waits_until_the_other_pod_is_deleted():
    c = MiniCluster(workers=1, control_plane=True)
    c.create(with_volumes(pod("first"), ebs_volume()))
    c.settle()
    c.create(with_volumes(pod("second"), ebs_volume()))
    c.settle()
    assert (c.node_of("first"), c.node_of("second")) == ("node-1", "")
    assert c.events("second")[-1][2] == (
        "0/2 nodes are available: 1 node(s) had no available disk, 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: "
        "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
    )
    c.api.delete("pods", "first", "default", grace_period_seconds=0)
    c.settle()
    assert c.node_of("second") == "node-1"


def test_without_volume_restrictions_volume_binding_rejects_the_missing_claim_in_its_place():
    c = MiniCluster(workers=1, profiles=[Profile().without("VolumeRestrictions")])
    c.create(with_volumes(pod("db"), claim_volume()))
    c.settle()
    assert list(c.scheduler.queue.unschedulable_pods["default/db"].unschedulable_plugins) == ["VolumeBinding"]
    assert c.events("db")[-1][2].startswith(f"0/1 nodes are available: {CLAIM_NOT_FOUND}. preemption: ")
