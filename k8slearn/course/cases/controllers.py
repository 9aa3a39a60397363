"""Cases for the arithmetic of two controllers: a ReplicaSet's diff and a rollout's bounds.

**replica_diff.** The ReplicaSet controller counts the *active* pods it owns, those neither
finished (phase ``Succeeded`` or ``Failed``) nor being deleted, and compares with
``spec.replicas``: a positive difference is pods to create, a negative one pods to delete. A pod on
a node that stopped answering is still active, whatever its Ready condition, until it is deleted
(evicted): that is why a replacement appears only after the eviction, not when the node goes dark.

>>> REPLICA_DIFF["a pod being deleted no longer counts"].args
(3, [('Running', False), ('Running', False), ('Running', True)])

**rollout_bounds.** During a RollingUpdate the Deployment controller keeps the pods of all its
ReplicaSets at most ``replicas + maxSurge`` and the available ones at least
``replicas − maxUnavailable``. Percentages are of ``replicas``; maxSurge rounds *up*,
maxUnavailable rounds *down*; if both come out 0, one pod may be unavailable so the rollout can
move; maxUnavailable never exceeds ``replicas``.

>>> ROLLOUT_BOUNDS["maxSurge rounds up and maxUnavailable rounds down"].expected
(13, 8)

Simplified: pods are given as ``(phase, being_deleted)`` pairs; deployments as three numbers.

Upstream: pkg/controller/replicaset/replica_set.go (manageReplicas),
pkg/controller/controller_utils.go (FilterActivePods),
pkg/controller/deployment/util/deployment_util.go (MaxSurge, MaxUnavailable, ResolveFenceposts)
"""

from __future__ import annotations

from k8slearn.course.cases.table import Case, CaseTable

RUNNING, PENDING = ("Running", False), ("Pending", False)
DELETING = ("Running", True)

REPLICA_DIFF = CaseTable(
    name="replicaset.replica_diff",
    signature="replica_diff(replicas: int, pods: list[tuple[str, bool]]) -> int",
    description="Pods the ReplicaSet controller creates (positive) or deletes (negative); "
                "each pod is (phase, being deleted).",
    cases=[
        Case("three wanted and none there: create three", (3, []), 3),
        Case("three wanted and three running: nothing to do", (3, [RUNNING] * 3), 0),
        Case("three wanted and one running: create two", (3, [RUNNING]), 2),
        Case("one wanted and three running: delete two", (1, [RUNNING] * 3), -2),
        Case("pending pods count: they are on their way", (3, [RUNNING, PENDING, PENDING]), 0),
        Case("a pod being deleted no longer counts", (3, [RUNNING, RUNNING, DELETING]), 1),
        Case("a failed pod no longer counts", (2, [("Failed", False), RUNNING]), 1),
        Case("a succeeded pod no longer counts", (1, [("Succeeded", False)]), 1),
        Case("a pod whose node stopped answering still counts until it is deleted",
             (3, [RUNNING, RUNNING, ("Running", False)]), 0),
        Case("an Unknown pod still counts", (2, [RUNNING, ("Unknown", False)]), 0),
        Case("zero wanted deletes every active pod", (0, [RUNNING, PENDING, DELETING]), -2),
    ],
)

ROLLOUT_BOUNDS = CaseTable(
    name="deployment.rollout_bounds",
    signature="rollout_bounds(replicas: int, max_surge: int | str, max_unavailable: int | str) -> tuple[int, int]",
    description="(most pods, fewest available pods) a RollingUpdate allows at any moment.",
    cases=[
        Case("the defaults on four replicas allow five pods and keep three available", (4, "25%", "25%"), (5, 3)),
        Case("maxSurge rounds up and maxUnavailable rounds down", (10, "25%", "25%"), (13, 8)),
        Case("three replicas with the defaults: one extra pod, none unavailable", (3, "25%", "25%"), (4, 3)),
        Case("one replica with the defaults: one extra pod, none unavailable", (1, "25%", "25%"), (2, 1)),
        Case("whole numbers are taken as they are", (3, 1, 0), (4, 3)),
        Case("maxSurge 0 replaces pods in place, one down at a time", (3, 0, 1), (3, 2)),
        Case("when both round down to zero one pod may still be unavailable", (5, 0, "10%"), (5, 4)),
        Case("a 100% surge starts a whole new set before any old pod goes", (3, "100%", 0), (6, 3)),
        Case("a 100% maxUnavailable may take every old pod down at once", (4, "25%", "100%"), (5, 0)),
        Case("maxUnavailable is capped at the number of replicas", (2, 0, 5), (2, 0)),
        Case("zero replicas allow nothing either way", (0, "25%", "25%"), (0, 0)),
        Case("zero replicas with a whole-number maxSurge still allow that many new pods", (0, 1, 0), (1, 0)),
    ],
)
