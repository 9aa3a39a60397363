"""``kubectl describe`` for Jobs, CronJobs, ConfigMaps, Secrets, ServiceAccounts, Endpoints, EndpointSlices,
PriorityClasses and PodDisruptionBudgets.

>>> print(describe_priority_class({"metadata": {"name": "high"}, "value": 1000,
...       "preemptionPolicy": "PreemptLowerPriority"}, [], 0.0), end="")
Name:              high
Value:             1000
GlobalDefault:     false
PreemptionPolicy:  PreemptLowerPriority
Description:       
Annotations:       <none>
Events:            <none>

Simplified: a ConfigMap's keys print sorted (kubectl walks a Go map, in random order).

Upstream: staging/src/k8s.io/kubectl/pkg/describe/describe.go (describeJob, describeCronJob,
ConfigMapDescriber, describeSecret, describeServiceAccount, describeEndpoints, describeEndpointSliceV1,
describePriorityClass, describePodDisruptionBudgetV1)
"""

from __future__ import annotations

import base64
from typing import Any

from k8slearn.kubectl.describe import (
    PrefixWriter, controlled_by, describe_events, describe_pod_template, print_annotations_multiline,
    print_labels_multiline, time_text,
)
from k8slearn.kubectl.humanize import human_duration
from k8slearn.kubectl.printers import _selector, format_labels

__all__ = ["describe_job", "describe_cronjob", "describe_configmap",
           "describe_secret", "describe_service_account",
           "describe_endpoints", "describe_endpoint_slice", "describe_priority_class"]


def _header(w: PrefixWriter, obj: dict) -> None:
    meta = obj.get("metadata", {})
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")


def describe_job(job: dict, events: list | None, now: float) -> str:
    from k8slearn.api.meta import parse_timestamp

    meta, spec, status = job.get("metadata", {}), job.get("spec", {}), job.get("status", {})
    w = PrefixWriter()
    _header(w, job)
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if controlled_by(job):
        w.write(0, f"Controlled By:\t{controlled_by(job)}\n")
    if spec.get("parallelism") is not None:
        w.write(0, f"Parallelism:\t{spec['parallelism']}\n")
    w.write(0, f"Completions:\t{spec['completions'] if spec.get('completions') is not None else '<unset>'}\n")
    if spec.get("completionMode"):
        w.write(0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(0, f"Suspend:\t{'true' if spec['suspend'] else 'false'}\n")
    if spec.get("backoffLimit") is not None:
        w.write(0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{time_text(status['startTime'])}\n")
    if status.get("completionTime"):
        w.write(0, f"Completed At:\t{time_text(status['completionTime'])}\n")
    if status.get("startTime") and status.get("completionTime"):
        elapsed = parse_timestamp(status["completionTime"]) - parse_timestamp(status["startTime"])
        w.write(0, f"Duration:\t{human_duration(elapsed)}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    active, succeeded, failed = status.get("active", 0), status.get("succeeded", 0), status.get("failed", 0)
    if status.get("ready") is None:
        w.write(0, f"Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n")
    else:
        w.write(0, f"Pods Statuses:\t{active} Active ({status['ready']} Ready) / {succeeded} Succeeded / "
                   f"{failed} Failed\n")
    if spec.get("completionMode") == "Indexed":
        w.write(0, f"Completed Indexes:\t{cap_indexes_list_or_none(status.get('completedIndexes') or '', 50)}\n")
    describe_pod_template(spec.get("template"), w)
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def describe_cronjob(cronjob: dict, events: list | None, now: float) -> str:
    """describeCronJob: the schedule and policies, the Job template, the last run and the active Jobs."""
    meta, spec, status = cronjob.get("metadata", {}), cronjob.get("spec", {}), cronjob.get("status", {})
    w = PrefixWriter()
    _header(w, cronjob)
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    suspend = spec.get("suspend")
    w.write(0, f"Suspend:\t{'<unset>' if suspend is None else ('True' if suspend else 'False')}\n")
    for title, key, unit in (("Successful Job History Limit", "successfulJobsHistoryLimit", ""),
                             ("Failed Job History Limit", "failedJobsHistoryLimit", ""),
                             ("Starting Deadline Seconds", "startingDeadlineSeconds", "s")):
        value = spec.get(key)
        w.write(0, f"{title}:\t{'<unset>' if value is None else f'{value}{unit}'}\n")
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    selector = job_spec.get("selector")
    w.write(0, f"Selector:\t{'<unset>' if selector is None else _selector(selector)}\n")
    for title, key in (("Parallelism", "parallelism"), ("Completions", "completions")):
        value = job_spec.get(key)
        w.write(0, f"{title}:\t{'<unset>' if value is None else value}\n")
    if job_spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{job_spec['activeDeadlineSeconds']}s\n")
    describe_pod_template(job_spec.get("template"), w)
    last = status.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{time_text(last) if last else '<unset>'}\n")
    names = ", ".join(ref.get("name", "") for ref in status.get("active") or ())
    w.write(0, f"Active Jobs:\t{names or '<none>'}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def cap_indexes_list_or_none(indexes: str, soft_limit: int) -> str:
    """capIndexesListOrNone: ``<none>``, or the list cut at the first comma after ``soft_limit`` chars."""
    if not indexes:
        return "<none>"
    cut = indexes.find(",", soft_limit)
    return indexes if cut < 0 else indexes[:cut + 1] + "..."


def describe_configmap(cm: dict, events: list | None, now: float) -> str:
    meta = cm.get("metadata", {})
    w = PrefixWriter()
    _header(w, cm)
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "\nData\n====\n")
    for key in sorted(cm.get("data") or {}):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{cm['data'][key]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    for key in sorted(cm.get("binaryData") or {}):
        w.write(0, f"{key}: {len(_decoded(cm['binaryData'][key]))} bytes\n")
    w.write(0, "\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _decoded(value: Any) -> bytes:
    try:
        return base64.b64decode(value or "")
    except (ValueError, TypeError):
        return str(value).encode()


def describe_secret(secret: dict) -> str:
    meta = secret.get("metadata", {})
    w = PrefixWriter()
    _header(w, secret)
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"\nType:\t{secret.get('type', '')}\n")
    w.write(0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        raw = _decoded(data[key])
        if key == "token" and secret.get("type") == "kubernetes.io/service-account-token":
            w.write(0, f"{key}:\t{raw.decode('utf-8', 'replace')}\n")
        else:
            w.write(0, f"{key}:\t{len(raw)} bytes\n")
    return w.text()


SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"


def service_account_secrets(sa: dict, secrets: list[dict] | None) -> tuple[list[str], set[str]]:
    """ServiceAccountDescriber.Describe: (the token Secrets of this account, the names it lists that no
    Secret has). A token is a ``kubernetes.io/service-account-token`` Secret annotated with the
    account's name and uid; ``secrets`` is None when they could not be listed (then none is missing)."""
    if secrets is None:
        return [], set()
    meta = sa.get("metadata", {})
    owner = (meta.get("name"), meta.get("uid"))
    tokens = [s["metadata"]["name"] for s in secrets
              if s.get("type") == SERVICE_ACCOUNT_TOKEN and _token_owner(s) == owner]
    existing = {s["metadata"]["name"] for s in secrets}
    listed = [ref.get("name", "") for ref in (sa.get("secrets") or []) + (sa.get("imagePullSecrets") or [])]
    return tokens, {name for name in listed if name not in existing}


def _token_owner(secret: dict) -> tuple:
    """The (name, uid) of the ServiceAccount a token Secret's annotations name."""
    annotations = secret["metadata"].get("annotations") or {}
    return (annotations.get("kubernetes.io/service-account.name"),
            annotations.get("kubernetes.io/service-account.uid"))


def describe_service_account(sa: dict, events: list | None, now: float,
                             secrets: list[dict] | None = None) -> str:
    """describeServiceAccount: the three secret lists in header order, a name no Secret has marked
    ``(not found)``; ``secrets`` are the namespace's Secrets (see :func:`service_account_secrets`)."""
    meta = sa.get("metadata", {})
    tokens, missing = service_account_secrets(sa, secrets)
    w = PrefixWriter()
    _header(w, sa)
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    groups = {
        "Image pull secrets:": [s.get("name", "") for s in sa.get("imagePullSecrets") or []],
        "Mountable secrets: ": [s.get("name", "") for s in sa.get("secrets") or []],
        "Tokens:            ": tokens,
    }
    for header in sorted(groups):
        names = groups[header]
        if not names:
            w.write(0, f"{header}\t<none>\n")
        for i, name in enumerate(names):
            shown = f"{name} (not found)" if name in missing else name
            w.write(0, f"{header if i == 0 else ' ' * 19}\t{shown}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def describe_endpoints(ep: dict, events: list | None, now: float) -> str:
    meta = ep.get("metadata", {})
    w = PrefixWriter()
    _header(w, ep)
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or []) or "<none>"
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or []) or "<none>"
        w.write(1, f"Addresses:\t{ready}\n")
        w.write(1, f"NotReadyAddresses:\t{not_ready}\n")
        if subset.get("ports"):
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in subset["ports"]:
                w.write(2, f"{port.get('name') or '<unset>'}\t{port.get('port', 0)}\t{port.get('protocol', 'TCP')}\n")
        w.write(0, "\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def describe_endpoint_slice(eps: dict, events: list | None, now: float) -> str:
    """describeEndpointSliceV1: the address type, a port table, then each endpoint with its Ready
    condition (kubectl prints neither Serving nor Terminating), hostname, target, node and zone.

    ``Ports: <unset>`` and ``Endpoints: <none>`` carry no tab, so they end the aligned block above.

    >>> print(describe_endpoint_slice({"metadata": {"name": "web-abc", "namespace": "default"},
    ...       "addressType": "IPv4", "ports": [{"name": "", "port": 80, "protocol": "TCP"}],
    ...       "endpoints": [{"addresses": ["10.244.1.2"], "conditions": {"ready": True},
    ...                      "targetRef": {"kind": "Pod", "name": "web-1"}, "nodeName": "node-1"}]}, [], 0.0), end="")
    Name:         web-abc
    Namespace:    default
    Labels:       <none>
    Annotations:  <none>
    AddressType:  IPv4
    Ports:
      Name     Port  Protocol
      ----     ----  --------
      <unset>  80    TCP
    Endpoints:
      - Addresses:  10.244.1.2
        Conditions:
          Ready:    true
        Hostname:   <unset>
        TargetRef:  Pod/web-1
        NodeName:   node-1
        Zone:       <unset>
    Events:         <none>
    """
    meta = eps.get("metadata", {})
    w = PrefixWriter()
    _header(w, eps)
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"AddressType:\t{eps.get('addressType', '')}\n")
    ports = eps.get("ports") or []
    if not ports:
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for port in ports:
            name = port.get("name") or "<unset>"
            number = "<unset>" if port.get("port") is None else str(port["port"])
            w.write(1, f"{name}\t{number}\t{port.get('protocol', 'TCP')}\n")
    endpoints = eps.get("endpoints") or []
    if not endpoints:
        w.write(0, "Endpoints: <none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for ep in endpoints:
            w.write(1, f"- Addresses:\t{', '.join(ep.get('addresses') or []) or '<none>'}\n")
            w.write(2, "Conditions:\n")
            ready = (ep.get("conditions") or {}).get("ready")
            w.write(3, f"Ready:\t{'<unset>' if ready is None else ('true' if ready else 'false')}\n")
            w.write(2, f"Hostname:\t{_or_unset(ep.get('hostname'))}\n")
            if ep.get("targetRef") is not None:
                ref = ep["targetRef"]
                w.write(2, f"TargetRef:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
            w.write(2, f"NodeName:\t{_or_unset(ep.get('nodeName'))}\n")
            w.write(2, f"Zone:\t{_or_unset(ep.get('zone'))}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _or_unset(value: str | None) -> str:
    """A *string field: ``<unset>`` when nil, the string (even empty) otherwise."""
    return "<unset>" if value is None else value


def describe_priority_class(pc: dict, events: list | None, now: float) -> str:
    meta = pc.get("metadata", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Value:\t{pc.get('value', 0)}\n")
    w.write(0, f"GlobalDefault:\t{'true' if pc.get('globalDefault') else 'false'}\n")
    w.write(0, f"PreemptionPolicy:\t{pc.get('preemptionPolicy', '')}\n")
    w.write(0, f"Description:\t{pc.get('description', '')}\n")
    w.write(0, f"Annotations:\t{format_labels(meta.get('annotations'))}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def describe_pod_disruption_budget(pdb: dict, events: list | None, now: float) -> str:
    """describePodDisruptionBudgetV1: the budget, its selector and the counts the controller keeps."""
    meta, spec, status = pdb.get("metadata", {}), pdb.get("spec", {}), pdb.get("status", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("minAvailable") is not None:
        w.write(0, f"Min available:\t{spec['minAvailable']}\n")
    elif spec.get("maxUnavailable") is not None:
        w.write(0, f"Max unavailable:\t{spec['maxUnavailable']}\n")
    w.write(0, f"Selector:\t{_selector(spec['selector'])}\n" if spec.get("selector") is not None
            else "Selector:\t<unset>\n")
    w.write(0, "Status:\n")
    w.write(2, f"Allowed disruptions:\t{status.get('disruptionsAllowed', 0)}\n")
    w.write(2, f"Current:\t{status.get('currentHealthy', 0)}\n")
    w.write(2, f"Desired:\t{status.get('desiredHealthy', 0)}\n")
    w.write(2, f"Total:\t{status.get('expectedPods', 0)}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()
