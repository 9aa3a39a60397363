"""A Deployment's rollout, sampled while time runs: its ReplicaSets' counts at each moment.

``sample_deployment`` reads a Deployment, its ReplicaSets and pods through the API (outside the
trace) into a ``RolloutSample``; ``rollout_complete`` and ``rollout_stalled`` say what ``kubectl
rollout status`` would (done, or given up at the progress deadline);
``rollout_history_rows`` turns samples (or the Deployment controller's scaling Events) into
``(time, replica_set, replicas, current, available)`` rows for the rollout chart.

>>> old, new = ReplicaSetCount("web-1", 1, 2, 3, 3), ReplicaSetCount("web-2", 2, 2, 1, 0)
>>> sample = RolloutSample(4.0, "web", 3, 1, 0, (old, new), 4, 3, False)
>>> rollout_history_rows([sample])
[(4.0, 'web-1', 2, 3, 3), (4.0, 'web-2', 2, 1, 0)]

Simplified: a change is noticed to the nearest 0.02 s (``rollout_chart.record_rollout`` runs
time in ticks), not at the very step that made it.

Upstream: pkg/controller/deployment/rolling.go (what the Deployment controller scales),
staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go (rollout status)
"""

from __future__ import annotations

from typing import Any, NamedTuple

from k8slearn.viz.timeline import controller_rows

__all__ = ["ReplicaSetCount", "RolloutSample", "rollout_complete", "rollout_history_rows", "rollout_outcome",
           "rollout_stalled", "sample_deployment"]


class ReplicaSetCount(NamedTuple):
    """One ReplicaSet at one moment: its revision, spec.replicas and status counts."""

    name: str
    revision: int
    replicas: int           # spec.replicas: what the Deployment controller asked for
    current: int            # status.replicas: pods that exist and are not terminating
    available: int          # status.availableReplicas


class RolloutSample(NamedTuple):
    """A Deployment and its ReplicaSets at simulated time ``time``."""

    time: float
    deployment: str
    desired: int
    max_surge: int
    max_unavailable: int
    replica_sets: tuple     # of ReplicaSetCount, oldest revision first
    pods: int               # pods of the Deployment, terminating ones included
    available: int          # status.availableReplicas of the Deployment's ReplicaSets, summed
    done: bool              # `kubectl rollout status` stops waiting: "successfully rolled out", or stalled
    terminating: int = 0    # of ``pods``, those with a deletionTimestamp (the controllers no longer count them)
    stalled: bool = False   # past progressDeadlineSeconds: `kubectl rollout status` stops with an error, not done
    strategy: str = "RollingUpdate"   # spec.strategy.type: Recreate has no maxSurge or maxUnavailable (both 0)


def _revision(rs: dict) -> int:
    try:
        return int((rs["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision", 0))
    except ValueError:
        return 0


def sample_deployment(cluster: Any, name: str, namespace: str = "default") -> RolloutSample:
    """Read a Deployment, its ReplicaSets and pods through the API (outside the trace)."""
    from k8slearn.controllers.deployment.util import max_surge, max_unavailable
    from k8slearn.viz.snapshot import unobserved

    with unobserved(cluster):
        d = cluster.api.get("deployments", name, namespace)
        uid = d["metadata"]["uid"]
        owned = [rs for rs in cluster.api.list("replicasets", namespace=namespace)
                 if any(ref.get("uid") == uid for ref in rs["metadata"].get("ownerReferences") or ())]
        names = {rs["metadata"]["name"] for rs in owned}
        pods = [p for p in cluster.api.list("pods", namespace=namespace)
                if any(ref.get("name") in names for ref in p["metadata"].get("ownerReferences") or ())]
    desired = d["spec"].get("replicas", 1)
    surge, unavailable = max_surge(d), max_unavailable(d)
    counts = sorted((ReplicaSetCount(rs["metadata"]["name"], _revision(rs), rs["spec"].get("replicas", 0),
                                     (rs.get("status") or {}).get("replicas", 0),
                                     (rs.get("status") or {}).get("availableReplicas", 0)) for rs in owned),
                    key=lambda c: (c.revision, c.name))
    terminating = sum(1 for p in pods if p["metadata"].get("deletionTimestamp"))
    done, stalled = rollout_outcome(d)
    return RolloutSample(cluster.now, name, desired, surge, unavailable, tuple(counts), len(pods),
                         sum(c.available for c in counts), done, terminating, stalled,
                         (d["spec"].get("strategy") or {}).get("type", "RollingUpdate"))


def rollout_outcome(d: dict) -> tuple[bool, bool]:
    """(done, stalled): whether `kubectl rollout status` would stop waiting, and whether it would give
    up with ``deployment "<name>" exceeded its progress deadline`` (Progressing=False,
    ProgressDeadlineExceeded) rather than print "successfully rolled out"."""
    from k8slearn.kubectl.errors import KubectlError
    from k8slearn.kubectl.rollout import deployment_status

    try:
        return deployment_status(d)[1], False
    except KubectlError:
        return True, True


def rollout_complete(d: dict) -> bool:
    """`kubectl rollout status` would stop waiting: rolled out, or past its deadline."""
    return rollout_outcome(d)[0]


def rollout_stalled(d: dict) -> bool:
    """`kubectl rollout status` would give up: the progress deadline is exceeded."""
    return rollout_outcome(d)[1]


def rollout_history_rows(source: Any) -> list[tuple]:
    """``(time, replica_set, replicas, current, available)`` per ReplicaSet per moment.

    ``source`` is a list of :class:`RolloutSample` (all three counts), or a trace with Events
    (``(steps, events)``): then only the Deployment controller's scaling decisions are known, and
    ``current``/``available`` are None.
    """
    if isinstance(source, tuple) and len(source) == 2 and not isinstance(source[0], (int, float)):
        steps, events = source
        return [(r.time, r.why.split(":")[0].split()[-1], int(r.why.split("→")[1].split()[0]), None, None)
                for r in controller_rows(steps, events, scheduler=False, writes=False)
                if r.kind == "scale"]
    return [(s.time, c.name, c.replicas, c.current, c.available) for s in source for c in s.replica_sets]
