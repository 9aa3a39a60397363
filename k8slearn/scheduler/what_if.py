"""What if? Run one scheduling cycle for a changed pod on a private copy of the cluster, and explain it.

``scheduler.what_if("web", cpu="1500m")`` copies the scheduler's picture of the nodes, applies the
changes (to the pod, to node labels and taints, to plugin weights), and runs the real filter,
preemption (dry run), score and select code on the copy. Nothing is bound, no event is written,
the queue and the cluster's RNG are untouched: asking twice gives the same answer.

Changes (all optional; the pod is given by name or as a dict):

==========================  =====================================================================
``cpu``, ``memory``         the first container's requests (limits below them are dropped)
``requests``                the first container's requests, as a dict
``tolerations``             replace ``spec.tolerations`` (``add_tolerations`` appends)
``node_selector``           replace ``spec.nodeSelector``
``affinity``                replace ``spec.affinity``
``labels``                  replace the pod's labels
``priority``                ``spec.priority`` (PriorityClasses are resolved by the API server)
``topology_spread_constraints``  replace ``spec.topologySpreadConstraints``
``scheduler_name``          which profile schedules it
``node_labels``             ``{"node-2": {"disk": "ssd", "old": None}}``: set (None: remove) labels
``node_taints``             ``{"node-2": [taint, ...]}``: replace a node's taints
``weights``                 ``{"TaintToleration": 10}``: score weights for this run
``profile``                 a whole Profile to use instead
==========================  =====================================================================

A changed pod that the API server would refuse raises its error: a value of the wrong type its 400
(``json: cannot unmarshal ...``), an invalid one its 422 (``Pod "web" is invalid: ...``). A change of
the wrong shape, a node the scheduler does not know or a weight that is no whole number is a
``TypeError`` or ``KeyError`` that says so.

Upstream: none (a teaching tool); the cycle is pkg/scheduler/schedule_one.go's, run on a copy.
"""

from __future__ import annotations

import copy
import random
from types import SimpleNamespace
from typing import Any

from k8slearn.api.defaults import apply_defaults
from k8slearn.api.errors import bad_request, invalid
from k8slearn.api.meta import thaw
from k8slearn.api.resources import RESOURCES
from k8slearn.api.validation.decode import decode_body
from k8slearn.api.validation.pod import validate_pod
from k8slearn.api.validation.unknown_fields import type_error
from k8slearn.scheduler.explain import Attempt, Explanation
from k8slearn.scheduler.framework import (
    SUCCESS,
    Code,
    CycleState,
    FitError,
    Framework,
    Handle,
    NoNodesAvailable,
    PluginError,
)
from k8slearn.scheduler.resources import PodInfo
from k8slearn.scheduler.snapshot import Snapshot

POD_CHANGES = (
    "cpu",
    "memory",
    "requests",
    "tolerations",
    "add_tolerations",
    "node_selector",
    "affinity",
    "labels",
    "priority",
    "topology_spread_constraints",
    "scheduler_name",
)
CLUSTER_CHANGES = ("node_labels", "node_taints", "weights", "profile")
_SPEC_FIELDS = {
    "tolerations": "tolerations",
    "node_selector": "nodeSelector",
    "affinity": "affinity",
    "priority": "priority",
    "topology_spread_constraints": "topologySpreadConstraints",
    "scheduler_name": "schedulerName",
}


def changed_pod(pod: dict, changes: dict) -> dict:
    """A deep copy of ``pod`` with the pod changes applied (and not yet bound to a node)."""
    pod = thaw(pod)
    spec = pod.setdefault("spec", {})
    spec.pop("nodeName", None)
    pod.setdefault("status", {}).pop("nominatedNodeName", None)
    for key, path in _SPEC_FIELDS.items():
        if key in changes:
            if changes[key] is None:
                spec.pop(path, None)
            else:
                spec[path] = copy.deepcopy(changes[key])
    if changes.get("add_tolerations"):
        spec["tolerations"] = [*(spec.get("tolerations") or []), *copy.deepcopy(changes["add_tolerations"])]
    if "labels" in changes:
        pod.setdefault("metadata", {})["labels"] = dict(changes["labels"] or {})
    requests = dict(changes.get("requests") or {})
    requests.update({k: changes[k] for k in ("cpu", "memory") if changes.get(k) is not None})
    if requests and spec.get("containers"):
        resources = spec["containers"][0].setdefault("resources", {})
        resources["requests"] = {**(resources.get("requests") or {}), **requests}
        limits = resources.get("limits") or {}
        for name, amount in requests.items():  # a limit below the new request would be invalid: drop it
            if name in limits and _quantity(limits[name]) < _quantity(amount):
                del limits[name]
    return pod


def _quantity(q: Any) -> int:
    from k8slearn.api.quantity import parse_quantity

    return parse_quantity(str(q)).milli_value()


def _node_with(node: dict, labels: dict | None, taints: list | None) -> dict:
    node = thaw(node)
    if labels:
        node_labels = node["metadata"].setdefault("labels", {})
        for key, value in labels.items():
            if value is None:
                node_labels.pop(key, None)
            else:
                node_labels[key] = value
    if taints is not None:
        node.setdefault("spec", {})["taints"] = list(taints)
    return node


def snapshot_copy(sched: Any, pod_key: str, node_labels: dict, node_taints: dict) -> Snapshot:
    """The scheduler's current NodeInfos, copied; the pod itself is taken off its node, if it is on one."""
    cache = sched.cache
    infos = []
    for name in cache.node_tree.list():
        info = cache.nodes[name].snapshot()
        if name in node_labels or name in node_taints:
            info.set_node(_node_with(info.node, node_labels.get(name), node_taints.get(name)))
        info.remove_pod(pod_key)
        infos.append(info)
    return Snapshot(infos)


def _check_changes(sched: Any, changes: dict) -> None:
    """Refuse changes of the wrong shape with words, before anything runs: the pod fields as the API
    server's decoding would (400), the rest here."""
    for key in ("requests", "node_labels", "node_taints", "weights", "labels"):
        if changes.get(key) is not None and not isinstance(changes[key], dict):
            raise TypeError(f"what_if(): {key} must be a dict, not {type(changes[key]).__name__} {changes[key]!r}")
    for key in ("tolerations", "add_tolerations", "topology_spread_constraints"):
        if changes.get(key) is not None and not isinstance(changes[key], list):
            raise TypeError(f"what_if(): {key} must be a list (as in the pod's spec), not "
                            f"{type(changes[key]).__name__} {changes[key]!r}")
    for key in ("node_selector", "affinity"):
        if changes.get(key) is not None and not isinstance(changes[key], dict):
            raise TypeError(f"what_if(): {key} must be a dict (as in the pod's spec), not "
                            f"{type(changes[key]).__name__} {changes[key]!r}")
    nodes = set(sched.cache.node_tree.list())
    for key in ("node_labels", "node_taints"):
        missing = sorted(set(changes.get(key) or {}) - nodes)
        if missing:
            raise KeyError(f'{key}: nodes "{missing[0]}" not found (the scheduler knows {", ".join(sorted(nodes))})')
    for plugin, weight in (changes.get("weights") or {}).items():
        if not isinstance(weight, int) or isinstance(weight, bool):
            raise TypeError(f"what_if(): the weight of {plugin} must be a whole number, as in "
                            f"KubeSchedulerConfiguration (int32), not {weight!r}")


def _describe(changes: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in changes.items())


def what_if(sched: Any, pod: dict | str, namespace: str = "default", **changes: Any) -> Explanation:
    """Where would ``pod`` go, with these changes? An :class:`Explanation`; the cluster is untouched."""
    unknown = sorted(set(changes) - set(POD_CHANGES) - set(CLUSTER_CHANGES))
    if unknown:
        raise TypeError(
            f"what_if() got unknown change(s) {', '.join(unknown)}; known: "
            f"{', '.join(POD_CHANGES + CLUSTER_CHANGES)}"
        )
    _check_changes(sched, changes)
    if isinstance(pod, str):
        found = sched.pod_lister.get(pod, namespace)
        if found is None:
            raise KeyError(f'pods "{pod}" not found')
        pod = found
    pod = changed_pod(pod, {k: v for k, v in changes.items() if k in POD_CHANGES})
    check, problem = decode_body({**pod, "apiVersion": "v1", "kind": "Pod"})  # as the API server decodes it
    problem = problem or type_error(check)
    if problem is not None:
        raise bad_request(problem if problem.startswith("Pod in version") else
                          f'Pod in version "v1" cannot be handled as a Pod: {problem}')
    apply_defaults(check)
    errs = validate_pod(check)
    if errs:
        raise invalid(RESOURCES["pods"], (pod.get("metadata") or {}).get("name", ""), errs)
    pinfo = PodInfo(pod)
    fwk_name = (pod.get("spec") or {}).get("schedulerName") or "default-scheduler"
    base = sched.profiles.get(fwk_name)
    profile = changes.get("profile") or (base.profile if base is not None else None)
    if profile is None:
        raise KeyError(f"no profile named {fwk_name!r}; profiles: {', '.join(sched.profiles)}")
    if changes.get("weights"):
        profile = profile.with_weights(changes["weights"])
    snapshot = snapshot_copy(
        sched, pinfo.key, changes.get("node_labels") or {}, changes.get("node_taints") or {}
    )
    rng = random.Random()
    rng.setstate(sched.rng.getstate())
    handle = Handle(
        sched.client, snapshot, rng, sched.handle.listers, sched.nominator, None, sched.handle.clock
    )
    fwk = Framework(profile, handle)
    fake = SimpleNamespace(
        cache=SimpleNamespace(update_snapshot=lambda snap: None),
        snapshot=snapshot,
        rng=rng,
        next_start_node_index=sched.next_start_node_index,
        percentage_of_nodes_to_score=sched.percentage_of_nodes_to_score,
        loop=sched.loop,
    )
    attempt = Attempt(pinfo.key, sched.loop.now, 0, fwk.profile_name)
    attempt.what_if = _describe(changes) or "no changes"
    run_cycle(fake, fwk, pod, attempt)
    return Explanation(attempt)


def run_cycle(sched: Any, fwk: Framework, pod: dict, attempt: Attempt) -> None:
    """One scheduling cycle on ``sched`` (the copy), recording everything in ``attempt``."""
    from k8slearn.scheduler.schedule_one import SchedulingError, schedule_pod

    state = CycleState(PodInfo(pod))
    state.dry_run = True
    try:
        schedule_pod(sched, fwk, state, pod, attempt)
    except FitError as err:
        if fwk.post_filter_plugins:
            result, status = fwk.run_post_filter_plugins(state, pod, err.diagnosis.node_to_status)
            err.diagnosis.post_filter_msg = status.message()
            if result is not None:
                attempt.nominating = result.nominated_node_name
                attempt.victims = [
                    f"{v['metadata'].get('namespace', '')}/{v['metadata']['name']}" for v in result.victims
                ]
        attempt.message, attempt.reason = str(err), "Unschedulable"
    except NoNodesAvailable as err:
        attempt.message, attempt.reason = str(err), "Unschedulable"
    except (SchedulingError, PluginError) as err:
        attempt.message, attempt.reason = str(err), "SchedulerError"
    except Exception as err:  # noqa: BLE001 - a plugin raised: reported as the live scheduler does
        attempt.message, attempt.reason = f"{type(err).__name__}: {err}", "SchedulerError"
    attempt.filter_matrix = filter_matrix(fwk, state, pod, sched.snapshot.node_info_list)


def filter_matrix(fwk: Framework, state: CycleState, pod: dict, nodes: list) -> dict:
    """Every filter plugin's verdict on every node (the cycle itself stops at the first rejection);
    plugins that PreFilter skipped are marked "skipped". Only for small clusters (what-if)."""
    if not state.filters and not state.skip_filter_plugins:
        return {}
    matrix = {}
    for info in nodes:
        row = {}
        for plugin in fwk.filter_plugins:
            if plugin.name in state.skip_filter_plugins:
                row[plugin.name] = None
                continue
            status = plugin.filter(state, pod, info) or SUCCESS
            if status.code is not Code.Success:
                status.plugin = plugin.name
            row[plugin.name] = status
        matrix[info.name] = row
    return matrix
