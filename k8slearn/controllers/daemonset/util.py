"""Where a daemon pod may run, and how it is aimed at its node.

A DaemonSet pod is not bound by the controller: it gets a required node affinity naming exactly
one node (``matchFields metadata.name In [node-2]``) and the scheduler does the binding. It also
gets tolerations so that a node under pressure or unreachable does not evict it:

>>> spec = {"containers": []}
>>> add_or_update_daemon_pod_tolerations(spec)
>>> [(t["key"].split("/")[1], t["effect"]) for t in spec["tolerations"]]  # doctest: +NORMALIZE_WHITESPACE
[('not-ready', 'NoExecute'), ('unreachable', 'NoExecute'), ('disk-pressure', 'NoSchedule'),
 ('memory-pressure', 'NoSchedule'), ('pid-pressure', 'NoSchedule'), ('unschedulable', 'NoSchedule')]
>>> replace_daemon_set_pod_node_name_node_affinity(None, "node-2")
{'nodeAffinity': {'requiredDuringSchedulingIgnoredDuringExecution': {'nodeSelectorTerms': [{'matchFields': [{'key': 'metadata.name', 'operator': 'In', 'values': ['node-2']}]}]}}}

Node affinity is matched by :mod:`k8slearn.api.node_affinity`, the matcher the scheduler's
NodeAffinity filter uses; as upstream, a term that does not parse matches nothing and its errors
are ignored.

Upstream: pkg/controller/daemon/util/daemonset_util.go, pkg/controller/daemon/daemon_controller.go
(NodeShouldRunDaemonPod), staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import thaw
from k8slearn.api.node_affinity import OBJECT_NAME_FIELD, RequiredNodeAffinity
from k8slearn.controllers.controller_utils import find_matching_untolerated_taint

CONTROLLER_REVISION_HASH = "controller-revision-hash"
TEMPLATE_GENERATION_KEY = "pod-template-generation"
TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation"

_DAEMON_TOLERATIONS = [
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
]


def add_or_update_daemon_pod_tolerations(spec: dict) -> None:
    """Tolerate what would otherwise keep a daemon off (or evict it from) its node."""
    wanted = list(_DAEMON_TOLERATIONS)
    if spec.get("hostNetwork"):
        wanted.append(("node.kubernetes.io/network-unavailable", "NoSchedule"))
    tolerations = spec.setdefault("tolerations", [])
    for key, effect in wanted:
        toleration = {"key": key, "operator": "Exists", "effect": effect}
        for i, t in enumerate(tolerations):
            if (t.get("key"), t.get("operator") or "Equal", t.get("value") or "", t.get("effect")) == \
                    (key, "Exists", "", effect):
                tolerations[i] = toleration if "tolerationSeconds" in t else t
                break
        else:
            tolerations.append(toleration)


def replace_daemon_set_pod_node_name_node_affinity(affinity: dict | None, node_name: str) -> dict:
    """Aim a pod at one node: its required node-affinity terms become ``metadata.name In [node]``."""
    terms = [{"matchFields": [{"key": OBJECT_NAME_FIELD, "operator": "In", "values": [node_name]}]}]
    affinity = thaw(affinity) if affinity else {}
    node_affinity = affinity.setdefault("nodeAffinity", {})
    required = node_affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution", {})
    required["nodeSelectorTerms"] = terms
    return affinity


def get_template_generation(ds: dict) -> int | None:
    value = (ds["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION_ANNOTATION)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def create_pod_template(template: dict, generation: int | None, hash_: str) -> dict:
    """The template every daemon pod starts from: tolerations plus the generation and hash labels."""
    new = thaw(template)
    add_or_update_daemon_pod_tolerations(new.setdefault("spec", {}))
    labels = new.setdefault("metadata", {}).setdefault("labels", {})
    if generation is not None:
        labels[TEMPLATE_GENERATION_KEY] = str(generation)
    if hash_:
        labels[CONTROLLER_REVISION_HASH] = hash_
    return new


def is_pod_updated(pod: dict, hash_: str, generation: int | None) -> bool:
    labels = pod["metadata"].get("labels") or {}
    template_matches = generation is not None and labels.get(TEMPLATE_GENERATION_KEY) == str(generation)
    return bool(hash_) and labels.get(CONTROLLER_REVISION_HASH) == hash_ or template_matches


def get_target_node_name(pod: dict) -> str | None:
    """The node a daemon pod is for: ``spec.nodeName``, or the node its affinity names."""
    if pod["spec"].get("nodeName"):
        return pod["spec"]["nodeName"]
    required = (((pod["spec"].get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in required.get("nodeSelectorTerms") or ():
        for req in term.get("matchFields") or ():
            if req.get("key") == OBJECT_NAME_FIELD and req.get("operator") == "In" and len(req.get("values") or ()) == 1:
                return req["values"][0]
    return None


def matches_required_node_affinity(pod_spec: dict, node: dict) -> bool:
    """nodeaffinity.GetRequiredNodeAffinity(pod).Match(node), parse errors ignored (predicates):
    every nodeSelector label present, and (if any) one required node-affinity term matches."""
    return RequiredNodeAffinity({"spec": pod_spec}).matches(node)


def new_pod_spec(ds: dict, node_name: str) -> dict:
    """NewPod: the DaemonSet's pod spec for ``node_name``, with the daemon tolerations."""
    spec = thaw(ds["spec"]["template"].get("spec") or {})
    spec["nodeName"] = node_name
    add_or_update_daemon_pod_tolerations(spec)
    return spec


def node_should_run_daemon_pod(node: dict, ds: dict) -> tuple[bool, bool]:
    """(should a daemon pod be started here, may an existing one keep running here)."""
    template_node = (ds["spec"]["template"].get("spec") or {}).get("nodeName")
    if template_node and template_node != node["metadata"]["name"]:
        return False, False
    spec = new_pod_spec(ds, node["metadata"]["name"])
    if not matches_required_node_affinity(spec, node):
        return False, False
    taints = (node.get("spec") or {}).get("taints") or []
    tolerations = spec.get("tolerations") or []
    if find_matching_untolerated_taint(taints, tolerations,
                                       lambda t: t.get("effect") in ("NoExecute", "NoSchedule")) is not None:
        untolerated_no_execute = find_matching_untolerated_taint(
            taints, tolerations, lambda t: t.get("effect") == "NoExecute")
        return False, untolerated_no_execute is None
    return True, True


def unavailable_count(ds: dict, number_to_schedule: int) -> int:
    return _scaled(ds, "maxUnavailable", 1, number_to_schedule)


def surge_count(ds: dict, number_to_schedule: int) -> int:
    return _scaled(ds, "maxSurge", 0, number_to_schedule)


def _scaled(ds: dict, field: str, default: Any, total: int) -> int:
    strategy = ds["spec"].get("updateStrategy") or {}
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        return 0
    value = (strategy.get("rollingUpdate") or {}).get(field, default)
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    return -(-int(value.rstrip("%")) * total // 100)  # percentages round up for DaemonSets
