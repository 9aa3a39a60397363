"""``kubectl describe node``: conditions, capacity, the pods on the node and what they request.

Percentages are of the node's allocatable resources, truncated as Go's ``int64(float)`` does;
quantity sums keep the format of their first non-zero term, as ``resource.Quantity.Add`` does.

>>> pod_requests_and_limits({"spec": {"containers": [
...     {"resources": {"requests": {"cpu": "100m"}, "limits": {"memory": "128Mi"}}},
...     {"resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}]}})
({'cpu': Quantity('350m'), 'memory': Quantity('64Mi')}, {'memory': Quantity('128Mi')})

Upstream: staging/src/k8s.io/kubectl/pkg/describe/describe.go (describeNode, describeNodeResource),
staging/src/k8s.io/kubectl/pkg/util/resource/resource.go (PodRequestsAndLimits, podRequests, podLimits)
"""

from __future__ import annotations

from typing import Any

from k8slearn.kubectl.describe import (
    PrefixWriter, describe_events, print_annotations_multiline, print_labels_multiline, since, taint_text, time_text,
)
from k8slearn.kubectl.printers import node_roles

__all__ = ["describe_node", "pod_requests_and_limits"]


def _quantity(value: Any) -> Any:
    from k8slearn.api.quantity import parse_quantity

    return parse_quantity(value)


def _sum(values: list) -> Any:
    """Quantity sums keep the format of the first non-zero term (resource.Quantity.Add)."""
    from k8slearn.api.quantity import Quantity

    total = None
    for v in values:
        q = _quantity(v)
        total = q if total is None or total.is_zero() else total + q
    return total if total is not None else Quantity(0)


# --- nodes -----------------------------------------------------------------------------------

def pod_requests_and_limits(pod: dict) -> tuple[dict, dict]:
    """PodRequestsAndLimits: what the pod requests and what limits it, by resource name.

    Containers and sidecars (init containers with ``restartPolicy: Always``) add up; the pod
    needs at least its largest init container plus the sidecars started before it; the pod's
    ``overhead`` adds to every request and to every non-zero limit:

    >>> req, lim = pod_requests_and_limits({"spec": {
    ...     "containers": [{"resources": {"requests": {"cpu": "100m"}, "limits": {"cpu": "200m"}}}],
    ...     "initContainers": [{"restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}}],
    ...     "overhead": {"cpu": "10m"}}})
    >>> req, lim
    ({'cpu': Quantity('160m')}, {'cpu': Quantity('210m')})

    Simplified: no in-place resize (the containers' status resources)."""
    spec = pod.get("spec") or {}
    reqs, limits = _pod_resources(spec, "requests"), _pod_resources(spec, "limits")
    for name, value in (spec.get("overhead") or {}).items():
        _add_resource(reqs, name, _quantity(value))
        if name in limits and not limits[name].is_zero():
            _add_resource(limits, name, _quantity(value))
    return reqs, limits


def _pod_resources(spec: dict, kind: str) -> dict:
    """podRequests / podLimits (before the overhead): ``kind`` is "requests" or "limits"."""
    total: dict = {}
    for c in spec.get("containers") or []:
        _add_resource_list(total, (c.get("resources") or {}).get(kind))
    sidecars: dict = {}
    init_total: dict = {}
    for c in spec.get("initContainers") or []:
        own = (c.get("resources") or {}).get(kind)
        if c.get("restartPolicy") == "Always":  # a sidecar runs beside the app containers
            _add_resource_list(total, own)
            _add_resource_list(sidecars, own)
            each = sidecars
        else:  # an init container runs beside the sidecars started before it
            each = {}
            _add_resource_list(each, own)
            _add_resource_list(each, sidecars)
        _max_resource_list(init_total, each)
    _max_resource_list(total, init_total)
    return total


def _add_resource(total: dict, name: str, q: Any) -> None:
    """addResourceList for one resource: a zero sum takes the format of what is added (Quantity.Add)."""
    current = total.get(name)
    total[name] = q if current is None or current.is_zero() else current + q


def _add_resource_list(total: dict, values: dict | None) -> None:
    for name, value in (values or {}).items():
        _add_resource(total, name, _quantity(value))


def _max_resource_list(total: dict, values: dict) -> None:
    """maxResourceList: the greater of the two for every resource (absent counts as unset, not 0)."""
    for name, value in values.items():
        q = _quantity(value)
        if name not in total or q > total[name]:
            total[name] = q


def _percent(part: Any, whole: int, milli: bool) -> int:
    value = part.milli_value() if milli else part.value()
    if not whole:
        return 0
    return int(value / whole * 100)


def describe_node(node: dict, pods: list[dict], events: list[dict] | None, lease: dict | str | None, now: float) -> str:
    """kubectl describe node (describeNode). ``lease`` is the node's Lease, or the GET's error text."""
    meta, spec, status = node.get("metadata", {}), node.get("spec", {}), node.get("status", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{time_text(meta.get('creationTimestamp'))}\n")
    taints = spec.get("taints") or []
    w.write(0, "Taints:\t")
    if not taints:
        w.write_line("<none>")
    for i, taint in enumerate(sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")):
        w.write(0, ("\t" if i else "") + taint_text(taint) + "\n")
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    if isinstance(lease, dict):
        lspec = lease.get("spec", {})
        w.write(0, "Lease:\n")
        w.write(1, f"HolderIdentity:\t{lspec.get('holderIdentity') or '<unset>'}\n")
        w.write(1, f"AcquireTime:\t{time_text(lspec['acquireTime']) if lspec.get('acquireTime') else '<unset>'}\n")
        w.write(1, f"RenewTime:\t{time_text(lspec['renewTime']) if lspec.get('renewTime') else '<unset>'}\n")
    elif lease is not None:  # the GET's error: a Node made by hand has no Lease in kube-node-lease
        w.write(0, f"Lease:\tFailed to get lease: {lease}\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{time_text(c.get('lastHeartbeatTime'))} \t"
                       f"{time_text(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n")
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for title, field in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        values = status.get(field) or {}
        if values:
            w.write(0, f"{title}:\n")
            for name in _sorted_resource_names(values):
                w.write(0, f"  {name}:\t{_quantity(values[name])}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for label, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                       ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                       ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                       ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion"), ("Kube-Proxy Version", "kubeProxyVersion")):
        w.write(0, f"  {label}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    _describe_node_resource(pods, node, w, now)
    if events is not None:
        describe_events(events, w, now)
    return w.text()


_STANDARD_ORDER = ("cpu", "memory", "ephemeral-storage")


def _sorted_resource_names(values: dict) -> list[str]:
    """SortableResourceNames: plain string order."""
    return sorted(values)


def _describe_node_resource(pods: list[dict], node: dict, w: PrefixWriter, now: float) -> None:
    status = node.get("status", {})
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    cpu_total = _quantity(allocatable.get("cpu", "0")).milli_value()
    mem_total = _quantity(allocatable.get("memory", "0")).value()
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    zero = _sum([])
    totals_req: dict[str, list] = {}
    totals_lim: dict[str, list] = {}
    for pod in pods:
        req, lim = pod_requests_and_limits(pod)
        for name, q in req.items():
            totals_req.setdefault(name, []).append(q)
        for name, q in lim.items():
            totals_lim.setdefault(name, []).append(q)
        cpu_r, cpu_l = req.get("cpu", zero), lim.get("cpu", zero)
        mem_r, mem_l = req.get("memory", zero), lim.get("memory", zero)
        meta = pod.get("metadata", {})
        w.write(1, f"{meta.get('namespace', '')}\t{meta.get('name', '')}\t\t"
                   f"{cpu_r} ({_percent(cpu_r, cpu_total, True)}%)\t{cpu_l} ({_percent(cpu_l, cpu_total, True)}%)\t"
                   f"{mem_r} ({_percent(mem_r, mem_total, False)}%)\t{mem_l} ({_percent(mem_l, mem_total, False)}%)\t"
                   f"{since(meta.get('creationTimestamp'), now)}\n")
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    eph_total = _quantity(allocatable.get("ephemeral-storage", "0")).value()
    for name, total, milli in (("cpu", cpu_total, True), ("memory", mem_total, False),
                               ("ephemeral-storage", eph_total, False)):
        r, l = _sum(totals_req.get(name, [])), _sum(totals_lim.get(name, []))
        w.write(1, f"{name}\t{r} ({_percent(r, total, milli)}%)\t{l} ({_percent(l, total, milli)}%)\n")
    for name in sorted(allocatable):
        if name.startswith("hugepages-"):
            r, l = _sum(totals_req.get(name, [])), _sum(totals_lim.get(name, []))
            total = _quantity(allocatable[name]).value()
            w.write(1, f"{name}\t{r} ({_percent(r, total, False)}%)\t{l} ({_percent(l, total, False)}%)\n")
    for name in sorted(allocatable):  # extended resources: not a standard container resource, not pods
        if name not in (*_STANDARD_ORDER, "pods") and not name.startswith("hugepages-"):
            w.write(1, f"{name}\t{_sum(totals_req.get(name, []))}\t{_sum(totals_lim.get(name, []))}\n")
