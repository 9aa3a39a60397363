"""Cases for scheduling: does a toleration tolerate a taint, does a node match an affinity
expression, does a request fit, how much is left over, which node wins, and may a pod join a zone.

The scheduler picks a *node* for each pod: filtering removes the nodes that cannot take it,
scoring ranks the rest (the source notes said "pods"; it is nodes).

>>> TOLERATES["the Exists operator with an empty key tolerates every taint"].expected
True
>>> PICK_NODE["the emptier node wins"].expected
'node-2'

Simplified: ``pick_node`` describes nodes with a few numbers (millicores, MiB) and taints by key.

Upstream: staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint),
staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go,
pkg/scheduler/framework/plugins/noderesources/fit.go, least_allocated.go,
pkg/scheduler/framework/plugins/podtopologyspread/filtering.go
"""

from __future__ import annotations

from k8slearn.course.cases.table import Case, CaseTable

GPU = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
CONTROL_PLANE = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}

TOLERATES = CaseTable(
    name="scheduling.tolerates",
    signature="tolerates(toleration: dict, taint: dict) -> bool",
    description="Whether one toleration tolerates one taint (effect and key must match when given; "
    "Exists matches any value, Equal the same value).",
    cases=[
        Case(
            "the same key, value and effect tolerate",
            ({"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}, GPU),
            True,
        ),
        Case("the operator defaults to Equal", ({"key": "dedicated", "value": "gpu"}, GPU), True),
        Case("another value does not tolerate", ({"key": "dedicated", "value": "cpu"}, GPU), False),
        Case(
            "the Exists operator tolerates any value of the key",
            ({"key": "dedicated", "operator": "Exists"}, GPU),
            True,
        ),
        Case(
            "the Exists operator with an empty key tolerates every taint", ({"operator": "Exists"}, GPU), True
        ),
        Case(
            "another effect does not tolerate",
            ({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}, GPU),
            False,
        ),
        Case("another key does not tolerate", ({"key": "zone", "operator": "Exists"}, GPU), False),
        Case(
            "an empty key tolerates every key only with Exists: with Equal the value must still match",
            ({"operator": "Equal", "value": "cpu"}, GPU),
            False,
        ),
        Case(
            "the Equal operator with no value tolerates a taint with no value",
            ({"key": "node-role.kubernetes.io/control-plane", "operator": "Equal"}, CONTROL_PLANE),
            True,
        ),
    ],
)

LABELS = {"disk": "ssd", "cores": "8"}

NODE_SELECTOR_REQUIREMENT = CaseTable(
    name="scheduling.node_selector_requirement",
    signature="requirement_matches(requirement: dict, labels: dict) -> bool",
    description="Whether one node affinity expression (In, NotIn, Exists, DoesNotExist, Gt, Lt) matches a "
    "node's labels.",
    cases=[
        Case(
            "the In operator matches a listed value",
            ({"key": "disk", "operator": "In", "values": ["ssd", "nvme"]}, LABELS),
            True,
        ),
        Case(
            "the In operator fails for an unlisted value",
            ({"key": "disk", "operator": "In", "values": ["hdd"]}, LABELS),
            False,
        ),
        Case(
            "the NotIn operator matches an unlisted value",
            ({"key": "disk", "operator": "NotIn", "values": ["hdd"]}, LABELS),
            True,
        ),
        Case(
            "the NotIn operator also matches a node without the label",
            ({"key": "gpu", "operator": "NotIn", "values": ["true"]}, LABELS),
            True,
        ),
        Case("the Exists operator needs the label", ({"key": "gpu", "operator": "Exists"}, LABELS), False),
        Case(
            "the DoesNotExist operator needs its absence",
            ({"key": "gpu", "operator": "DoesNotExist"}, LABELS),
            True,
        ),
        Case(
            "the Gt operator compares numbers",
            ({"key": "cores", "operator": "Gt", "values": ["4"]}, LABELS),
            True,
        ),
        Case(
            "the Gt operator is numeric, not alphabetical",
            ({"key": "cores", "operator": "Gt", "values": ["10"]}, LABELS),
            False,
        ),
        Case(
            "the Lt operator compares numbers",
            ({"key": "cores", "operator": "Lt", "values": ["16"]}, LABELS),
            True,
        ),
        Case(
            "the Gt operator never matches a label that is not a number",
            ({"key": "disk", "operator": "Gt", "values": ["1"]}, LABELS),
            False,
        ),
    ],
)

INSUFFICIENT = CaseTable(
    name="scheduling.insufficient",
    signature="insufficient(request: dict, free: dict) -> list",
    description="What NodeResourcesFit reports when a pod's requests meet what a node has left: every "
    "short resource, pod slots first (an empty list means it fits).",
    cases=[
        Case(
            "a request that fits gives no reason",
            ({"cpu": "500m", "memory": "256Mi"}, {"cpu": "1", "memory": "1Gi"}),
            [],
        ),
        Case(
            "a node with too little cpu says so",
            ({"cpu": "1500m"}, {"cpu": "1", "memory": "1Gi"}),
            ["Insufficient cpu"],
        ),
        Case(
            "every short resource is reported",
            ({"cpu": "2", "memory": "2Gi"}, {"cpu": "1", "memory": "1Gi"}),
            ["Insufficient cpu", "Insufficient memory"],
        ),
        Case(
            "exactly what is left still fits",
            ({"cpu": "1", "memory": "1Gi"}, {"cpu": "1", "memory": "1Gi"}),
            [],
        ),
        Case(
            "a node with no pod slot left is full even for an empty pod",
            ({}, {"cpu": "1", "memory": "1Gi", "pods": 0}),
            ["Too many pods"],
        ),
        Case(
            "a pod that requests nothing fits a node with no cpu left", ({}, {"cpu": "0", "memory": "0"}), []
        ),
        Case("limits do not count, only requests", ({"cpu": "100m"}, {"cpu": "200m", "memory": "64Mi"}), []),
    ],
)

LEAST_ALLOCATED = CaseTable(
    name="scheduling.least_allocated",
    signature="least_allocated(requested: int, capacity: int) -> int",
    description="LeastAllocated's score for one resource: the share left free after placing the pod, "
    "0..100 (integer division), 0 when the node would be over-committed.",
    cases=[
        Case("an empty node scores 100", (0, 2000), 100),
        Case("a quarter used scores 75", (500, 2000), 75),
        Case("the share is rounded down", (1, 3), 66),
        Case("a full node scores 0", (2000, 2000), 0),
        Case("an over-committed node scores 0", (2500, 2000), 0),
        Case("a node without the resource scores 0", (100, 0), 0),
    ],
)


def _node(name, cpu=2000, memory=4096, used_cpu=0, used_memory=0, taints=()):
    return {
        "name": name,
        "cpu": cpu,
        "memory": memory,
        "used_cpu": used_cpu,
        "used_memory": used_memory,
        "taints": list(taints),
    }


PICK_NODE = CaseTable(
    name="scheduling.pick_node",
    signature="pick_node(pod: dict, nodes: list) -> str | None",
    description="Filter, then score: the node the default scheduler picks for a pod ({'cpu': m, 'memory': Mi, "
    "'tolerations': [taint keys]}), or None when no node fits.",
    cases=[
        Case(
            "the emptier node wins",
            (
                {"cpu": 500, "memory": 256},
                [_node("node-1", used_cpu=1500, used_memory=2048), _node("node-2")],
            ),
            "node-2",
        ),
        Case(
            "a node without room is filtered out",
            ({"cpu": 1500, "memory": 256}, [_node("node-1", used_cpu=1000), _node("node-2")]),
            "node-2",
        ),
        Case(
            "a tainted node is filtered out",
            (
                {"cpu": 100, "memory": 64},
                [_node("node-1", taints=["dedicated"]), _node("node-2", used_cpu=1000, used_memory=1024)],
            ),
            "node-2",
        ),
        Case(
            "a toleration lets the pod onto the tainted, emptier node",
            (
                {"cpu": 100, "memory": 64, "tolerations": ["dedicated"]},
                [_node("node-1", taints=["dedicated"]), _node("node-2", used_cpu=1000, used_memory=1024)],
            ),
            "node-1",
        ),
        Case(
            "the only node that fits wins whatever its score",
            (
                {"cpu": 1800, "memory": 128},
                [_node("node-1", used_cpu=300), _node("node-2", cpu=4000, used_cpu=1000)],
            ),
            "node-2",
        ),
        Case(
            "when no node fits the pod stays pending", ({"cpu": 3000, "memory": 64}, [_node("node-1")]), None
        ),
    ],
)

SPREAD_ALLOWS = CaseTable(
    name="scheduling.spread_allows",
    signature="spread_allows(counts: dict, zone: str, max_skew: int) -> bool",
    description="PodTopologySpread (DoNotSchedule): may one more matching pod go to this zone? Pods in the zone "
    "+ 1 − the fewest in any zone must stay <= maxSkew.",
    cases=[
        # a: 3 rather than 2, so that "max - min over all zones after placing" (not the rule) fails here
        Case("the emptiest zone is always allowed", ({"a": 3, "b": 0}, "b", 1), True),
        Case("a zone already ahead is refused", ({"a": 2, "b": 0}, "a", 1), False),
        Case("balanced zones accept the next pod anywhere", ({"a": 1, "b": 1}, "a", 1), True),
        Case("a larger maxSkew tolerates more imbalance", ({"a": 2, "b": 0}, "a", 3), True),
        Case("the new pod counts too: next to an empty zone, 1 + 1 - 0 is more than maxSkew 1",
             ({"a": 1, "b": 1, "c": 0}, "a", 1), False),
    ],
)

SCHEDULING_TABLES = [TOLERATES, NODE_SELECTOR_REQUIREMENT, INSUFFICIENT, LEAST_ALLOCATED, PICK_NODE, SPREAD_ALLOWS]
