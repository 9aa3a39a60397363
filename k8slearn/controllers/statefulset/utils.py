"""A StatefulSet pod's identity: its ordinal, its name, its labels, and which revision it runs.

Every pod of StatefulSet ``web`` is named ``web-<ordinal>``; the name *is* the identity. It is
also the pod's hostname, its subdomain is the governing Service (``serviceName``), and three
labels say who it is and which template it was made from:

>>> sts = {"apiVersion": "apps/v1", "kind": "StatefulSet",
...        "metadata": {"name": "web", "namespace": "default", "uid": "u-web"},
...        "spec": {"replicas": 3, "serviceName": "nginx", "selector": {"matchLabels": {"app": "web"}},
...                 "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
...                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}}}
>>> pod = new_versioned_stateful_set_pod(sts, sts, "web-5d8f7c6b9", "web-7b4f9d8c5", 2)
>>> pod["metadata"]["name"], pod["spec"]["hostname"], pod["spec"]["subdomain"]
('web-2', 'web-2', 'nginx')
>>> pod["metadata"]["labels"]  # doctest: +NORMALIZE_WHITESPACE
{'app': 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2',
 'controller-revision-hash': 'web-7b4f9d8c5'}
>>> get_parent_name_and_ordinal(pod), get_parent_name_and_ordinal({"metadata": {"name": "web-x"}})
(('web', 2), ('', -1))

With ``partition: 2`` a new pod below ordinal 2 is made from the *current* revision, so a
partitioned rollout leaves the low ordinals alone even when they are recreated:

>>> sts["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = 2
>>> get_pod_revision(new_versioned_stateful_set_pod(sts, sts, "web-5d8f7c6b9", "web-7b4f9d8c5", 1))
'web-5d8f7c6b9'

A ``volumeClaimTemplates`` entry ``www`` becomes the pod's volume ``www`` naming the claim
``www-web-2``, as upstream (the claim itself: ``claims.py``). Simplified: the revision patch is
applied by replacing ``spec.template`` (all it ever holds).

Upstream: pkg/controller/statefulset/stateful_set_utils.go; the PodIndexLabel feature gate is
GA (on) in v1.32 (pkg/features/kube_features.go)
"""

from __future__ import annotations

import re

from k8slearn.api.meta import owner_reference, thaw
from k8slearn.controllers.controller_utils import get_pod_from_template
from k8slearn.controllers.history import get_patch, new_controller_revision
from k8slearn.controllers.pod_util import is_pod_available, is_pod_ready

STATEFUL_SET_POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
STATEFUL_SET_REVISION_LABEL = "controller-revision-hash"

_STATEFUL_POD_REGEX = re.compile(r"(.*)-([0-9]+)$")


# ---- ordinals ----------------------------------------------------------------------------------

def get_parent_name_and_ordinal(pod: dict) -> tuple[str, int]:
    """(StatefulSet name, ordinal) read from the pod's name; ('', -1) if it is not ``<name>-<n>``."""
    m = _STATEFUL_POD_REGEX.match(pod["metadata"].get("name") or "")
    if m is None:
        return "", -1
    ordinal = int(m.group(2))
    return m.group(1), ordinal if ordinal < 2**31 else -1


def get_ordinal(pod: dict) -> int:
    return get_parent_name_and_ordinal(pod)[1]


def get_start_ordinal(sts: dict) -> int:
    """``spec.ordinals.start`` (0 if unset): the first ordinal the set runs."""
    return int((sts["spec"].get("ordinals") or {}).get("start") or 0)


def get_end_ordinal(sts: dict) -> int:
    """The last ordinal the set runs (inclusive)."""
    return get_start_ordinal(sts) + replicas_of(sts) - 1


def replicas_of(sts: dict) -> int:
    replicas = sts["spec"].get("replicas")
    return 1 if replicas is None else int(replicas)


def pod_in_ordinal_range(pod: dict, sts: dict) -> bool:
    return get_start_ordinal(sts) <= get_ordinal(pod) <= get_end_ordinal(sts)


def get_pod_name(sts: dict, ordinal: int) -> str:
    return f"{sts['metadata']['name']}-{ordinal}"


def is_member_of(sts: dict, pod: dict) -> bool:
    return get_parent_name_and_ordinal(pod)[0] == sts["metadata"]["name"]


# ---- identity ----------------------------------------------------------------------------------

def identity_matches(sts: dict, pod: dict) -> bool:
    """The pod's name, namespace and pod-name label are those of a member of ``sts``."""
    parent, ordinal = get_parent_name_and_ordinal(pod)
    meta = pod["metadata"]
    return (ordinal >= 0 and parent == sts["metadata"]["name"] and meta["name"] == get_pod_name(sts, ordinal)
            and meta.get("namespace") == sts["metadata"]["namespace"]
            and (meta.get("labels") or {}).get(STATEFUL_SET_POD_NAME_LABEL) == meta["name"])


def update_identity(sts: dict, pod: dict) -> None:
    """Name, namespace, pod-name and pod-index labels as the ordinal says (``pod`` is a copy)."""
    ordinal = get_ordinal(pod)
    meta = pod["metadata"]
    meta["name"] = get_pod_name(sts, ordinal)
    meta["namespace"] = sts["metadata"]["namespace"]
    labels = meta.setdefault("labels", {})
    labels[STATEFUL_SET_POD_NAME_LABEL] = meta["name"]
    labels[POD_INDEX_LABEL] = str(ordinal)


def get_persistent_volume_claim_name(sts: dict, claim: dict, ordinal: int) -> str:
    """``<template>-<set>-<ordinal>``: the claim one pod keeps across restarts (``www-web-0``)."""
    return f"{claim['metadata']['name']}-{sts['metadata']['name']}-{ordinal}"


def storage_matches(sts: dict, pod: dict) -> bool:
    """Every volumeClaimTemplate is a volume of the pod naming that pod's claim."""
    ordinal = get_ordinal(pod)
    if ordinal < 0:
        return False
    volumes = {v.get("name"): v for v in (pod.get("spec") or {}).get("volumes") or ()}
    for claim in sts["spec"].get("volumeClaimTemplates") or ():
        source = (volumes.get(claim["metadata"]["name"]) or {}).get("persistentVolumeClaim") or {}
        if source.get("claimName") != get_persistent_volume_claim_name(sts, claim, ordinal):
            return False
    return True


def update_storage(sts: dict, pod: dict) -> None:
    """The pod's volumes: one per claim template (its claim), then the template's other volumes."""
    templates = sts["spec"].get("volumeClaimTemplates") or ()
    if not templates:
        return
    ordinal = get_ordinal(pod)
    names = {t["metadata"]["name"] for t in templates}
    volumes = [{"name": t["metadata"]["name"], "persistentVolumeClaim": {
        "claimName": get_persistent_volume_claim_name(sts, t, ordinal)}} for t in templates]
    volumes += [thaw(v) for v in pod["spec"].get("volumes") or () if v.get("name") not in names]
    pod["spec"] = {**pod["spec"], "volumes": volumes}  # the template's spec is shared and read-only


def init_identity(sts: dict, pod: dict) -> None:
    """update_identity, plus hostname and subdomain (set only when the pod is created)."""
    update_identity(sts, pod)
    spec = pod["spec"] = dict(pod["spec"])  # the template's spec is shared and read-only
    spec["hostname"] = pod["metadata"]["name"]
    if sts["spec"].get("serviceName"):
        spec["subdomain"] = sts["spec"]["serviceName"]


# ---- pod states --------------------------------------------------------------------------------

def _phase(pod: dict) -> str:
    return (pod.get("status") or {}).get("phase") or ""


def is_created(pod: dict) -> bool:
    """The API server has it (a pod not yet created has no phase)."""
    return _phase(pod) != ""


def is_running_and_ready(pod: dict) -> bool:
    return _phase(pod) == "Running" and is_pod_ready(pod)


def is_running_and_available(pod: dict, min_ready_seconds: int, now: float) -> bool:
    return is_pod_available(pod, min_ready_seconds, now)


def is_pending(pod: dict) -> bool:
    return _phase(pod) == "Pending"


def is_failed(pod: dict) -> bool:
    return _phase(pod) == "Failed"


def is_succeeded(pod: dict) -> bool:
    return _phase(pod) == "Succeeded"


def is_terminating(pod: dict) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def is_healthy(pod: dict) -> bool:
    return is_running_and_ready(pod) and not is_terminating(pod)


def allows_burst(sts: dict) -> bool:
    """podManagementPolicy Parallel: create and delete without waiting for the neighbours."""
    return sts["spec"].get("podManagementPolicy") == "Parallel"


# ---- revisions ---------------------------------------------------------------------------------

def get_pod_revision(pod: dict) -> str:
    return (pod["metadata"].get("labels") or {}).get(STATEFUL_SET_REVISION_LABEL, "")


def new_stateful_set_pod(sts: dict, ordinal: int) -> dict:
    """The pod for ``ordinal``: the template, a controller reference, the identity."""
    pod = get_pod_from_template(sts["spec"]["template"], sts, owner_reference(sts))
    pod["metadata"]["name"] = get_pod_name(sts, ordinal)
    init_identity(sts, pod)
    update_storage(sts, pod)
    return pod


def new_versioned_stateful_set_pod(current_set: dict, update_set: dict, current_revision: str,
                                   update_revision: str, ordinal: int) -> dict:
    """A new pod at the current revision below the partition, at the update revision otherwise."""
    strategy = current_set["spec"].get("updateStrategy") or {}
    rolling = strategy.get("rollingUpdate")
    start = get_start_ordinal(current_set)
    # Upstream's condition, Go precedence kept: (RollingUpdate && no rollingUpdate && below
    # currentReplicas) || (rollingUpdate set && below the partition).
    below = ((strategy.get("type") == "RollingUpdate" and rolling is None
              and ordinal < start + ((current_set.get("status") or {}).get("currentReplicas") or 0))
             or (rolling is not None and ordinal < start + int(rolling.get("partition") or 0)))
    sts, revision = (current_set, current_revision) if below else (update_set, update_revision)
    pod = new_stateful_set_pod(sts, ordinal)
    pod["metadata"].setdefault("labels", {})[STATEFUL_SET_REVISION_LABEL] = revision
    return pod


def new_revision(sts: dict, revision: int, collision_count: int | None) -> dict:
    """A ControllerRevision of the set's template, carrying the set's annotations."""
    cr = new_controller_revision(sts, (sts["spec"]["template"].get("metadata") or {}).get("labels"),
                                 get_patch(sts), revision, collision_count)
    if sts["metadata"].get("annotations"):
        cr["metadata"]["annotations"] = thaw(sts["metadata"]["annotations"])
    return cr


def apply_revision(sts: dict, revision: dict) -> dict:
    """The set as it was at ``revision``: its saved template in place of the current one."""
    template = {k: v for k, v in revision["data"]["spec"]["template"].items() if k != "$patch"}
    return {**sts, "spec": {**sts["spec"], "template": template}}


# ---- status ------------------------------------------------------------------------------------

STATUS_COUNTS = ("replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas")


def inconsistent_status(sts: dict, status: dict) -> bool:
    """True if ``status`` says anything the stored status does not."""
    old = sts.get("status") or {}
    return (status.get("observedGeneration", 0) > old.get("observedGeneration", 0)
            or any(status.get(k, 0) != old.get(k, 0) for k in STATUS_COUNTS)
            or any(status.get(k, "") != old.get(k, "") for k in ("currentRevision", "updateRevision")))


def complete_rolling_update(sts: dict, status: dict) -> None:
    """Every replica updated and ready: the update revision becomes the current one."""
    replicas = replicas_of(sts)
    if ((sts["spec"].get("updateStrategy") or {}).get("type") == "RollingUpdate"
            and status.get("updatedReplicas", 0) == replicas and status.get("readyReplicas", 0) == replicas
            and status.get("replicas", 0) == replicas):
        status["currentReplicas"] = status.get("updatedReplicas", 0)
        status["currentRevision"] = status.get("updateRevision", "")
