"""PodTopologySpread's vocabulary: constraints, which nodes count, and counting matching pods.

A constraint says: among the *domains* of ``topologyKey`` (zones, hostnames...), the number of
pods matching ``labelSelector`` may differ by at most ``maxSkew``. ``whenUnsatisfiable:
DoNotSchedule`` makes it a Filter; ``ScheduleAnyway`` only a Score. A pod without constraints
gets the *system default* ones (spread by hostname with maxSkew 3 and by zone with maxSkew 5,
both ScheduleAnyway), selecting the pods of the same Service, ReplicaSet or StatefulSet.

>>> c = {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
...      "labelSelector": {"matchLabels": {"app": "web"}}}
>>> [str(t) for t in filter_constraints([c], {"app": "web"}, "DoNotSchedule")]
['maxSkew=1 topologyKey=topology.kubernetes.io/zone selector=app=web']
>>> filter_constraints([c], {"app": "web"}, "ScheduleAnyway")
[]
>>> count_pods_match_selector([{"metadata": {"namespace": "default", "labels": {"app": "web"}}}],
...                           filter_constraints([c], {}, "DoNotSchedule")[0].selector, "default")
1

Counting pod by pod over every node, for every pod scheduled, is what upstream does (in parallel).
The simulation counts the same numbers from the scheduler's indexes instead
(:mod:`k8slearn.scheduler.pod_counts`): per node by label set (``count_on_node``), and, when every
node counts (:func:`every_node_counts`), per topology domain from the snapshot's ``domain_counts``.

Upstream: pkg/scheduler/framework/plugins/podtopologyspread/common.go, plugin.go
(systemDefaultConstraints, buildDefaultConstraints)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from k8slearn.api.labels import EQUALS, Requirement, Selector, selector_from_label_selector
from k8slearn.scheduler.plugins.node_affinity import RequiredNodeAffinity
from k8slearn.scheduler.plugins.taint_toleration import find_matching_untolerated_taint, tolerations
from k8slearn.scheduler.pod_counts import count_matching

DO_NOT_SCHEDULE, SCHEDULE_ANYWAY = "DoNotSchedule", "ScheduleAnyway"
HONOR, IGNORE = "Honor", "Ignore"
LABEL_HOSTNAME = "kubernetes.io/hostname"
LABEL_ZONE = "topology.kubernetes.io/zone"
SYSTEM_DEFAULT_CONSTRAINTS = (
    {"topologyKey": LABEL_HOSTNAME, "whenUnsatisfiable": SCHEDULE_ANYWAY, "maxSkew": 3},
    {"topologyKey": LABEL_ZONE, "whenUnsatisfiable": SCHEDULE_ANYWAY, "maxSkew": 5},
)


class TopologySpreadConstraint:
    """One constraint, parsed: the selector is built, the optional fields defaulted."""

    __slots__ = (
        "max_skew",
        "min_domains",
        "node_affinity_policy",
        "node_taints_policy",
        "selector",
        "topology_key",
    )

    def __init__(
        self,
        max_skew: int,
        topology_key: str,
        selector: Selector,
        min_domains: int = 1,
        node_affinity_policy: str = HONOR,
        node_taints_policy: str = IGNORE,
    ) -> None:
        self.max_skew = max_skew
        self.topology_key = topology_key
        self.selector = selector
        self.min_domains = min_domains
        self.node_affinity_policy = node_affinity_policy
        self.node_taints_policy = node_taints_policy

    def with_selector(self, selector: Selector) -> TopologySpreadConstraint:
        """A copy of this constraint with another selector."""
        return TopologySpreadConstraint(
            self.max_skew,
            self.topology_key,
            selector,
            self.min_domains,
            self.node_affinity_policy,
            self.node_taints_policy,
        )

    def match_node_inclusion_policies(self, pod: dict, node: dict, required: Any) -> bool:
        """Does this node count at all? (its node affinity honoured by default, its taints ignored)"""
        if self.node_affinity_policy == HONOR and not required.matches(node):
            return False
        if self.node_taints_policy == HONOR:
            taints = (node.get("spec") or {}).get("taints") or ()
            if find_matching_untolerated_taint(taints, tolerations(pod)) is not None:
                return False
        return True

    def __str__(self) -> str:
        return f"maxSkew={self.max_skew} topologyKey={self.topology_key} selector={self.selector}"

    __repr__ = __str__


def filter_constraints(constraints: Iterable[dict], pod_labels: dict, action: str) -> list:
    """filterTopologySpreadConstraints: the constraints with this ``whenUnsatisfiable``, parsed;
    ``matchLabelKeys`` add ``key=<the pod's value>`` to the selector. May raise SelectorParseError."""
    result = []
    for c in constraints:
        if c.get("whenUnsatisfiable") != action:
            continue
        selector = selector_from_label_selector(c.get("labelSelector"))
        keys = [k for k in c.get("matchLabelKeys") or () if k in pod_labels]
        if keys and not selector_is_nothing(selector):
            extra = [Requirement(k, EQUALS, [pod_labels[k]]) for k in keys]
            selector = Selector([*extra, *selector.requirements])
        result.append(
            TopologySpreadConstraint(
                c.get("maxSkew", 1),
                c.get("topologyKey", ""),
                selector,
                c.get("minDomains") if c.get("minDomains") is not None else 1,
                c.get("nodeAffinityPolicy") or HONOR,
                c.get("nodeTaintsPolicy") or IGNORE,
            )
        )
    return result


def selector_is_nothing(selector: Selector) -> bool:
    return not selector.requirements and not selector.empty()


def node_labels_match_constraints(labels: dict, constraints: list) -> bool:
    """The node carries every constraint's topology key (otherwise it belongs to no domain)."""
    return all(c.topology_key in labels for c in constraints)


def count_pods_match_selector(pods: Iterable[dict], selector: Selector, namespace: str) -> int:
    """Pods of ``namespace`` matching the selector, terminating pods left out (an empty selector
    counts nothing)."""
    if selector.empty():
        return 0
    count = 0
    for pod in pods:
        meta = pod.get("metadata") or {}
        if meta.get("deletionTimestamp") or meta.get("namespace") != namespace:
            continue
        if selector.matches(meta.get("labels") or {}):
            count += 1
    return count


def pods_of(node_info: Any) -> list[dict]:
    return [p.pod for p in node_info.pods.values()]


def count_on_node(node_info: Any, selector: Selector, namespace: str, memo: dict | None = None) -> int:
    """``count_pods_match_selector(pods_of(node_info), ...)``, from the node's pods grouped by label
    set: the same number, one selector match per distinct label set instead of per pod."""
    return count_matching(node_info.label_counts.get(namespace), selector, memo)


def every_node_counts(pod: dict, constraints: list, snapshot: Any) -> bool:
    """Does ``match_node_inclusion_policies`` let every node of the snapshot count, for every
    constraint? (The pod has no nodeSelector or required node affinity, or the policy ignores
    them; the policy ignores taints, or no node has any.) Then domains can be counted whole."""
    required = None
    for c in constraints:
        if c.node_affinity_policy == HONOR:
            required = required or RequiredNodeAffinity(pod)
            if required.node_selector or required.affinity is not None:
                return False
        if c.node_taints_policy == HONOR and getattr(snapshot, "num_tainted", 1):
            return False
    return True
