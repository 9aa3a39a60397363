"""``kubectl describe`` for workloads, services and namespaces, and the command itself.

``describe TYPE NAME`` describes one object; ``describe TYPE`` (or ``-l``) describes every
match, separated by a blank line; ``describe TYPE PREFIX`` describes every object whose name
starts with PREFIX (kubectl's name-prefix search) when no exact match exists.

>>> w = PrefixWriter()
>>> describe_replica_counts(w, {"status": {"replicas": 3}, "spec": {"replicas": 3}})
>>> print(w.text(), end="")
Replicas:  3 current / 3 desired

Simplified: no describers for kinds k8slearn does not serve. A Service's endpoints come from its
EndpointSlices only, as in kubectl 1.32 (no slice: ``Endpoints: <none>``).

Upstream: staging/src/k8s.io/kubectl/pkg/describe/describe.go (describeDeployment, describeReplicaSet, describeDaemonSet, describeStatefulSet, describeService, describeNamespace),
staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import thaw
from k8slearn.api.storage_class import persistent_volume_claim_class
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.describe import (
    PrefixWriter, controlled_by, describe_events, describe_pod, describe_pod_template, print_annotations_multiline,
    print_labels_multiline, search_events, time_text,
)
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.humanize import rfc1123z
from k8slearn.kubectl.describe_node import describe_node
from k8slearn.kubectl.printers import _selector, format_labels

__all__ = ["run_describe", "describe_object"]


# --- workloads ---------------------------------------------------------------------------------

def describe_replica_counts(w: PrefixWriter, rs: dict) -> None:
    w.write(0, f"Replicas:\t{rs.get('status', {}).get('replicas', 0)} current / {rs.get('spec', {}).get('replicas', 0)} desired\n")


def _pod_phase_counts(ctx: Context, obj: dict) -> tuple[int, int, int, int]:
    """getPodStatusForController: pods the object controls, by phase."""
    meta = obj.get("metadata", {})
    selector = _selector(obj.get("spec", {}).get("selector"))
    pods = ctx.client.list("pods", namespace=meta.get("namespace"),
                           label_selector=None if selector == "<none>" else selector)
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in pods:
        refs = pod.get("metadata", {}).get("ownerReferences") or []
        if not any(r.get("controller") and r.get("uid") == meta.get("uid") for r in refs):
            continue
        phase = pod.get("status", {}).get("phase", "")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _conditions(w: PrefixWriter, conditions: list | None) -> None:
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def describe_replicaset(ctx: Context, rs: dict, events: list | None) -> str:
    meta = rs.get("metadata", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{_selector(rs.get('spec', {}).get('selector'))}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if controlled_by(rs):
        w.write(0, f"Controlled By:\t{controlled_by(rs)}\n")
    describe_replica_counts(w, rs)
    running, waiting, succeeded, failed = _pod_phase_counts(ctx, rs)
    w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    describe_pod_template(rs.get("spec", {}).get("template"), w)
    _conditions(w, rs.get("status", {}).get("conditions"))
    if events is not None:
        describe_events(events, w, ctx.now())
    return w.text()


def _int_or_string(value: Any, default: str) -> str:
    return default if value is None else str(value)


def _template_equal(a: dict, b: dict) -> bool:
    """EqualIgnoreHash: pod templates equal once the pod-template-hash label is dropped (on copies:
    the objects may be the watch cache's read-only ones)."""
    a, b = thaw(a), thaw(b)
    for t in (a, b):
        (t.get("metadata") or {}).get("labels", {}).pop("pod-template-hash", None)
    return a == b


def describe_deployment(ctx: Context, d: dict, events: list | None) -> str:
    meta, spec, status = d.get("metadata", {}), d.get("spec", {}), d.get("status", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{time_text(meta.get('creationTimestamp'))}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    w.write(0, f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('updatedReplicas', 0)} updated | "
               f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
               f"{status.get('unavailableReplicas', 0)} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    if strategy.get("rollingUpdate") is not None:
        ru = strategy["rollingUpdate"]
        w.write(0, f"RollingUpdateStrategy:\t{_int_or_string(ru.get('maxUnavailable'), '0')} max unavailable, "
                   f"{_int_or_string(ru.get('maxSurge'), '0')} max surge\n")
    describe_pod_template(spec.get("template"), w)
    _conditions(w, status.get("conditions"))
    old, new = _get_all_replica_sets(ctx, d)
    if old or new is not None:
        w.write(0, f"OldReplicaSets:\t{_rs_list(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_rs_list([new] if new else [])}\n")
    if events is not None:
        describe_events(events, w, ctx.now())
    return w.text()


def _get_all_replica_sets(ctx: Context, d: dict) -> tuple[list[dict], dict | None]:
    """GetAllReplicaSets (kubectl's deployment util): (all old ReplicaSets, the new one or None).

    The ReplicaSets the Deployment's selector matches and that it controls, sorted oldest first
    (replicaSetsByCreationTimestamp, names breaking ties); the new one is the oldest whose pod
    template equals the Deployment's, apart from the pod-template-hash label. The old ones keep
    that order and include the scaled-down ones: "web-7c4b4cb947 (0/0 replicas created)".
    """
    meta = d.get("metadata", {})
    selector = _selector(d.get("spec", {}).get("selector"))
    listed = ctx.client.list("replicasets", namespace=meta.get("namespace"),
                             label_selector=None if selector == "<none>" else selector)
    owned = sorted((rs for rs in listed
                    if any(r.get("controller") and r.get("uid") == meta.get("uid")
                           for r in rs.get("metadata", {}).get("ownerReferences") or [])),
                   key=lambda rs: (rs["metadata"].get("creationTimestamp", ""), rs["metadata"]["name"]))
    template = d.get("spec", {}).get("template") or {}
    new = next((rs for rs in owned if _template_equal(rs.get("spec", {}).get("template") or {}, template)),
               None)
    return [rs for rs in owned if rs is not new], new


def _rs_list(sets: list[dict]) -> str:
    text = ", ".join(f"{rs['metadata']['name']} ({rs.get('status', {}).get('replicas', 0)}/"
                     f"{rs.get('spec', {}).get('replicas', 0)} replicas created)" for rs in sets)
    return text or "<none>"


def describe_daemonset(ctx: Context, ds: dict, events: list | None) -> str:
    meta, spec, status = ds.get("metadata", {}), ds.get("spec", {}), ds.get("status", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    node_selector = (spec.get("template") or {}).get("spec", {}).get("nodeSelector")
    w.write(0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled', 0)}\n")
    w.write(0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Up-to-date Pods: {status.get('updatedNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Available Pods: {status.get('numberAvailable', 0)}\n")
    w.write(0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}\n")
    running, waiting, succeeded, failed = _pod_phase_counts(ctx, ds)
    w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    describe_pod_template(spec.get("template"), w)
    if events is not None:
        describe_events(events, w, ctx.now())
    return w.text()


def describe_statefulset(ctx: Context, sts: dict, events: list | None) -> str:
    meta, spec, status = sts.get("metadata", {}), sts.get("spec", {}), sts.get("status", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{time_text(meta.get('creationTimestamp'))}\n")
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('replicas', 0)} total\n")
    strategy = spec.get("updateStrategy") or {}
    w.write(0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    if (strategy.get("rollingUpdate") or {}).get("partition") is not None:
        w.write(1, f"Partition:\t{strategy['rollingUpdate']['partition']}\n")
    running, waiting, succeeded, failed = _pod_phase_counts(ctx, sts)
    w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    describe_pod_template(spec.get("template"), w)
    _volume_claim_templates(w, spec.get("volumeClaimTemplates"))
    if events is not None:
        describe_events(events, w, ctx.now())
    return w.text()


def _volume_claim_templates(w: PrefixWriter, templates: list | None) -> None:
    """describeVolumeClaimTemplates: name, class, labels, annotations, capacity, access modes."""
    if not templates:
        w.write(0, "Volume Claims:\t<none>\n")
        return
    w.write(0, "Volume Claims:\n")
    for pvc in templates:
        meta, spec = pvc.get("metadata") or {}, pvc.get("spec") or {}
        w.write(1, f"Name:\t{meta.get('name', '')}\n")
        w.write(1, f"StorageClass:\t{persistent_volume_claim_class(pvc)}\n")
        for title, values in (("Labels", meta.get("labels")), ("Annotations", meta.get("annotations"))):
            lines = [f"{k}={v}" for k, v in sorted((values or {}).items())] or ["<none>"]
            w.write(0, f"  {title}:\t{lines[0]}\n" + "".join(f"  \t{x}\n" for x in lines[1:]))
        capacity = ((spec.get("resources") or {}).get("requests") or {}).get("storage", "<default>")
        w.write(1, f"Capacity:\t{capacity}\n")
        w.write(1, f"Access Modes:\t[{' '.join(spec.get('accessModes') or [])}]\n")


# --- services and namespaces ----------------------------------------------------------------

def _service_endpoints(ctx: Context, svc: dict, port_name: str) -> str:
    """formatEndpointSlices for one service port: the ready addresses of the Service's EndpointSlices
    (label ``kubernetes.io/service-name``) with that port, the first three and ``+ N more...``. Since
    kubectl 1.31 the Endpoints object is not read: without slices the answer is ``<none>``."""
    meta = svc.get("metadata", {})
    slices = ctx.client.list("endpointslices", namespace=meta.get("namespace"),
                             label_selector=f"kubernetes.io/service-name={meta.get('name', '')}")
    entries: list[str] = []
    for s in slices:
        ports = s.get("ports") or []
        for ep in s.get("endpoints") or []:
            if (ep.get("conditions") or {}).get("ready") is False or not ep.get("addresses"):
                continue
            addr = ep["addresses"][0]
            if not ports:
                entries.append(addr)
            for p in ports:
                if (p.get("name") or "") == port_name:
                    host = f"[{addr}]" if ":" in addr else addr
                    entries.append(f"{host}:{p.get('port')}")
    if not slices:
        return "<none>"
    text = ",".join(entries[:3])
    return f"{text} + {len(entries) - 3} more..." if len(entries) > 3 else text


def describe_service(ctx: Context, svc: dict, events: list | None) -> str:
    meta, spec, status = svc.get("metadata", {}), svc.get("spec", {}), svc.get("status", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(i.get('ip') or i.get('hostname', '') for i in ingress)}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol", "TCP")
        w.write(0, f"Port:\t{name}\t{port.get('port', 0)}/{protocol}\n")
        target = port.get("targetPort", port.get("port", 0))
        w.write(0, f"TargetPort:\t{target}/{protocol}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        w.write(0, f"Endpoints:\t{_service_endpoints(ctx, svc, port.get('name') or '')}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if events is not None:
        describe_events(events, w, ctx.now())
    return w.text()


def describe_namespace(ns: dict) -> str:
    meta = ns.get("metadata", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Status:\t{ns.get('status', {}).get('phase', '')}\n")
    conditions = ns.get("status", {}).get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{rfc1123z(c.get('lastTransitionTime') or '')}\t"
                       f"{c.get('reason', '')}\t{c.get('message', '')}\n")
    w.write(0, "\nNo resource quota.\n")
    w.write(0, "\nNo LimitRange resource.\n")
    return w.text()


def describe_generic(obj: dict, events: list | None, now: float) -> str:
    """genericDescriber: Name, Namespace, Labels, Annotations, then every other field."""
    meta = obj.get("metadata", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    _unstructured(w, 0, obj, "", {".metadata.name", ".metadata.namespace", ".metadata.labels",
                                  ".metadata.annotations"})
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _smart_label(field: str) -> str:
    import re

    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z]?[a-z]+|[A-Z]+|-", field)
    out = []
    for part in parts:
        out.append(part.upper() if part.upper() in ("API", "URL", "UID", "OSB", "GUID") else part[:1].upper() + part[1:])
    return " ".join(out)


def _unstructured(w: PrefixWriter, level: int, content: dict, prefix: str, skip: set) -> None:
    for field in sorted(content):
        value, path = content[field], f"{prefix}.{field}"
        if path in skip:
            continue
        if isinstance(value, dict):
            w.write(level, f"{_smart_label(field)}:\n")
            _unstructured(w, level + 1, value, path, skip)
        elif isinstance(value, list):
            w.write(level, f"{_smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _unstructured(w, level + 1, child, path, skip)
                else:
                    w.write(level + 1, f"{child}\n")
        else:
            text = "true" if value is True else "false" if value is False else "<nil>" if value is None else value
            w.write(level, f"{_smart_label(field)}:\t{text}\n")


# --- the command ----------------------------------------------------------------------------

def describe_object(ctx: Context, resource: Any, obj: dict, show_events: bool = True) -> str:
    """The describe text of one fetched object."""
    from k8slearn.api.errors import ApiError

    now = ctx.now()
    kind = resource.kind
    events = None
    if kind == "Pod":
        if show_events:
            events = search_events(ctx.client, obj, with_kind=False)
        return describe_pod(obj, events, now)
    if kind == "Node":
        name = obj["metadata"]["name"]
        pods = ctx.client.list("pods", field_selector=f"spec.nodeName={name},status.phase!=Succeeded,"
                                                      "status.phase!=Failed")
        if show_events:
            events = _node_events(ctx, obj)
        try:
            lease = ctx.client.get("leases", name, "kube-node-lease")
        except ApiError as err:
            lease = err.status.get("message") or str(err)  # printed as 'Lease: Failed to get lease: ...'
        return describe_node(obj, pods, events, lease, now)
    if kind == "Namespace":
        return describe_namespace(obj)
    if show_events:
        events = search_events(ctx.client, obj)
    if kind == "Deployment":
        return describe_deployment(ctx, obj, events)
    if kind == "ReplicaSet":
        return describe_replicaset(ctx, obj, events)
    if kind == "DaemonSet":
        return describe_daemonset(ctx, obj, events)
    if kind == "StatefulSet":
        return describe_statefulset(ctx, obj, events)
    if kind == "Service":
        return describe_service(ctx, obj, events)
    from k8slearn.kubectl import describe_more, describe_storage

    if kind == "PersistentVolumeClaim":
        pods = ctx.client.list("pods", namespace=obj["metadata"].get("namespace"))
        return describe_storage.describe_persistent_volume_claim(
            obj, events, describe_storage.pods_for_claim(pods, obj), now)
    if kind == "Secret":
        return describe_more.describe_secret(obj)
    if kind == "ServiceAccount":
        try:  # (errors tolerated, as upstream: then no secret is "not found")
            secrets = ctx.client.list("secrets", namespace=obj["metadata"].get("namespace"))
        except ApiError:
            secrets = None
        return describe_more.describe_service_account(obj, events, now, secrets)
    simple = {"Job": describe_more.describe_job, "CronJob": describe_more.describe_cronjob,
              "ConfigMap": describe_more.describe_configmap,
              "EndpointSlice": describe_more.describe_endpoint_slice,
              "Endpoints": describe_more.describe_endpoints, "PriorityClass": describe_more.describe_priority_class,
              "PodDisruptionBudget": describe_more.describe_pod_disruption_budget,
              "PersistentVolume": describe_storage.describe_persistent_volume,
              "StorageClass": describe_storage.describe_storage_class}
    if kind in simple:
        return simple[kind](obj, events, now)
    return describe_generic(obj, events, now)


def _node_events(ctx: Context, node: dict) -> list[dict]:
    meta = node.get("metadata", {})
    found: list[dict] = []
    for uid in (meta.get("uid", ""), meta.get("name", "")):
        selector = (f"involvedObject.name={meta.get('name', '')},involvedObject.namespace=,"
                    f"involvedObject.kind=Node,involvedObject.uid={uid}")
        for e in ctx.client.list("events", field_selector=selector):
            if e not in found:
                found.append(e)
    return found


@command("describe")
def run_describe(ctx: Context, args: list[str]) -> int:
    """DescribeOptions.Run: the builder's objects (``TYPE [NAME...]``, ``TYPE/NAME``, ``-l``, ``-f``),
    each described from the server; a single missing ``TYPE NAME`` falls back to the name prefix."""
    from k8slearn.api.errors import ApiError
    from k8slearn.kubectl.get import infos_for, visited_errors

    if not args and not ctx.flags["filename"]:
        raise KubectlError('You must specify the type of resource to describe. Use "kubectl api-resources" for a '
                           "complete list of supported resources.")
    infos, errors = infos_for(ctx, args, allow_empty_selector=True, latest=False)
    if len(args) == 2 and len(errors) == 1 and isinstance(errors[0], ApiError) and errors[0].code == 404:
        return _describe_matching_resources(ctx, errors[0], args[0], args[1])
    texts = [describe_object(ctx, info.resource, info.obj, ctx.flags["show-events"]) for info in infos]
    ctx.print("\n\n".join(texts), end="")
    if not infos and not errors:  # (the namespace even for a cluster-scoped type, unless -A)
        ctx.eprint("No resources found" if ctx.flags["all-namespaces"]
                   else f"No resources found in {ctx.namespace} namespace.")
    if errors:
        raise visited_errors(errors)
    return 0


def _describe_matching_resources(ctx: Context, original: Exception, resource: str, prefix: str) -> int:
    """DescribeMatchingResources: ``describe TYPE PREFIX`` whose one error was a NotFound describes every
    object of ``TYPE`` (the first argument alone, in the namespace) whose name starts with ``PREFIX``,
    each followed by a newline; with no match, the first error stands. The first argument may be
    ``TYPE/NAME`` too (then only that object is tried, and ``PREFIX`` is the whole second argument)."""
    from k8slearn.kubectl.builder import split_resource_argument
    from k8slearn.kubectl.get import infos_for, visited_errors

    if "/" not in resource and len(split_resource_argument(resource)) > 1:  # the builder's SingleResourceType
        raise KubectlError("you may only specify a single resource type")
    infos, errors = infos_for(ctx, [resource], allow_empty_selector=True, latest=False)
    if errors:
        raise visited_errors(errors)
    matches = [info for info in infos if info.name.startswith(prefix)]
    if not matches:
        raise visited_errors([original])
    for info in matches:
        ctx.print(describe_object(ctx, info.resource, info.obj, ctx.flags["show-events"]))
    return 0
