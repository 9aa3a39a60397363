"""``kubectl logs TYPE/NAME``: which pod's log kubectl shows for a Deployment, a Job, a Service...

For anything but a pod, kubectl turns the object into a label selector (a workload's
``spec.selector``, a Service's ``spec.selector``), lists the matching pods, sorts them "by logging"
and takes the first, saying so on stderr when there were several: ``Found 3 pods, using
pod/web-7c4b4cb947-5g28v``. The order prefers pods that are on a node, then Running (a finished
pod counts as Running here, as in kubectl's table), then Ready, then Ready for longer, then with
more container restarts, then older:

>>> pending = {"metadata": {"name": "b", "creationTimestamp": "2026-01-05T09:00:00Z"}, "spec": {},
...            "status": {"phase": "Pending"}}
>>> running = {"metadata": {"name": "a", "creationTimestamp": "2026-01-05T09:01:00Z"},
...            "spec": {"nodeName": "node-1"}, "status": {"phase": "Running"}}
>>> [p["metadata"]["name"] for p in sorted([pending, running], key=by_logging)]
['a', 'b']

When no pod matches yet, kubectl waits for one (``--pod-running-timeout``, 20 s): here the
simulated clock runs, and then ``timed out waiting for the condition``.

Pods that tie on every rule come out as Go's unstable ``sort.Sort`` leaves them
(:mod:`k8slearn.kubectl.go_sort`), so the same one is picked as on a real terminal.

Upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/logsforobject.go, helpers.go
(GetFirstPod, SelectorsForObject), staging/src/k8s.io/kubectl/pkg/util/podutils/podutils.go (ByLogging)
"""

from __future__ import annotations

import functools
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.labels import selector_from_label_selector, selector_from_set
from k8slearn.api.meta import parse_timestamp
from k8slearn.api.resources import lookup
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.go_sort import sort_interface

WORKLOAD_KINDS = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job")
PHASE_ORDER = {"Running": 0, "Unknown": 1, "Pending": 2}  # Succeeded and Failed are missing: 0, as Running
POLL = 0.1  # simulated seconds between looks while waiting for a pod


def _ready_since(pod: dict) -> float | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready" and c.get("status") == "True":
            return parse_timestamp(c["lastTransitionTime"]) if c.get("lastTransitionTime") else None
    return None


def _is_ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or ())


def _max_restarts(pod: dict) -> int:
    status = pod.get("status") or {}
    counts = [s.get("restartCount") or 0
              for s in (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or [])]
    return max(counts, default=0)


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    """afterOrZero: an empty time sorts last."""
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _less(a: dict, b: dict) -> bool:
    """ByLogging.Less."""
    na, nb = (a.get("spec") or {}).get("nodeName") or "", (b.get("spec") or {}).get("nodeName") or ""
    if na != nb and (not na or not nb):
        return bool(na)
    pa = PHASE_ORDER.get((a.get("status") or {}).get("phase"), 0)
    pb = PHASE_ORDER.get((b.get("status") or {}).get("phase"), 0)
    if pa != pb:
        return pa < pb
    if _is_ready(a) != _is_ready(b):
        return _is_ready(a)
    if _is_ready(a) and _is_ready(b):
        ta, tb = _ready_since(a), _ready_since(b)
        if ta != tb:
            return _after_or_zero(tb, ta)
    if _max_restarts(a) != _max_restarts(b):
        return _max_restarts(a) > _max_restarts(b)
    ca, cb = (a.get("metadata") or {}).get("creationTimestamp"), (b.get("metadata") or {}).get("creationTimestamp")
    if ca != cb:
        return _after_or_zero(parse_timestamp(cb) if cb else None, parse_timestamp(ca) if ca else None)
    return False


by_logging = functools.cmp_to_key(lambda a, b: -1 if _less(a, b) else (1 if _less(b, a) else 0))


def _active_less(a: dict, b: dict) -> bool:
    """ActivePods.Less: unassigned, then Pending < Unknown < Running, not ready, ready for less
    time, more restarts, newer: the less active pod first."""
    na, nb = (a.get("spec") or {}).get("nodeName") or "", (b.get("spec") or {}).get("nodeName") or ""
    if na != nb and (not na or not nb):
        return not na
    rank = {"Pending": 0, "Unknown": 1, "Running": 2}
    pa, pb = rank.get((a.get("status") or {}).get("phase"), 0), rank.get((b.get("status") or {}).get("phase"), 0)
    if pa != pb:
        return pa < pb
    if _is_ready(a) != _is_ready(b):
        return not _is_ready(a)
    if _is_ready(a) and _is_ready(b) and _ready_since(a) != _ready_since(b):
        return _after_or_zero(_ready_since(a), _ready_since(b))
    if _max_restarts(a) != _max_restarts(b):
        return _max_restarts(a) > _max_restarts(b)
    ca, cb = (a.get("metadata") or {}).get("creationTimestamp"), (b.get("metadata") or {}).get("creationTimestamp")
    if ca != cb:
        return _after_or_zero(parse_timestamp(ca) if ca else None, parse_timestamp(cb) if cb else None)
    return False



def selector_for(obj: dict, verb: str = "get the logs from") -> str:
    """SelectorsForObject: the label selector of the pods ``obj`` stands for, as a string."""
    kind = obj.get("kind", "")
    spec = obj.get("spec") or {}
    if kind in WORKLOAD_KINDS:
        return str(selector_from_label_selector(spec.get("selector")))
    if kind == "Service" and not spec.get("selector"):
        raise KubectlError(f"cannot {verb} *v1.Service: invalid service '{obj['metadata']['name']}': "
                           "Service is defined without a selector")
    if kind in ("Service", "ReplicationController"):
        return str(selector_from_set(spec.get("selector")))
    raise KubectlError(f"cannot {verb} *v1.{kind}: selector for *v1.{kind} not implemented")


def object_for(ctx: Any, resource: Any, name: str, for_logs: bool = True) -> dict:
    """The object ``TYPE/NAME`` names; ``kubectl logs`` words the builder's NotFound its own way."""
    try:
        return ctx.client.get(resource.plural, name, ctx.namespace)
    except ApiError as err:
        if err.code == 404 and for_logs:
            raise KubectlError(f'error from server (NotFound): {resource.group_resource} "{name}" not found in '
                               f'namespace "{ctx.namespace}"') from None
        raise


def pod_for_logs(ctx: Any, argument: str) -> str:
    """The name of the pod whose log ``kubectl logs <argument>`` shows."""
    return first_pod(ctx, argument, for_logs=True)


def first_pod(ctx: Any, argument: str, for_logs: bool = False) -> str:
    """GetFirstPod: the pod ``argument`` (a pod name, or ``TYPE/NAME`` of a workload or Service)
    stands for. ``kubectl logs`` orders the candidates by logging and says how many there were;
    ``kubectl exec`` and ``attach`` take the most active one (sort.Reverse(ActivePods)) and say
    nothing. Both sort with Go's unstable ``sort.Sort``."""
    if "/" not in argument:
        return argument
    kind_text, name = argument.split("/", 1)
    resource = lookup(kind_text)
    if resource.kind == "Pod":
        return name
    obj = object_for(ctx, resource, name, for_logs)
    selector = selector_for(obj, "get the logs from" if for_logs else "attach to")
    less = _less if for_logs else (lambda a, b: _active_less(b, a))
    pods = sort_interface(ctx.client.list("pods", ctx.namespace, label_selector=selector), less)
    cluster = ctx.cluster
    if not pods and cluster is not None and hasattr(cluster, "run"):
        timeout = ctx.flags.get("pod-running-timeout") or (20.0 if for_logs else 60.0)
        deadline = cluster.now + float(timeout)
        while not pods and cluster.now < deadline:
            cluster.run(seconds=POLL)
            pods = ctx.client.list("pods", ctx.namespace, label_selector=selector)
        pods = pods[:1]
    if not pods:
        raise KubectlError("timed out waiting for the condition")
    if len(pods) > 1 and for_logs:
        ctx.eprint(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}")
    return pods[0]["metadata"]["name"]
