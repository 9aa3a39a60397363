"""The columns of ``kubectl get``: one row per object, computed as the API server's printers do.

A real ``kubectl get`` asks the server for a Table: the server runs one print function per kind
(``printPod``, ``printNode``...) that turns each object into cells, and kubectl only lays the
cells out. Here the same functions run in-process. Columns of priority 1 show only with
``-o wide``. The pod STATUS column is derived, not stored: see :func:`pod_status`.

>>> pod = {"metadata": {"name": "web", "creationTimestamp": "2026-01-05T09:00:00Z"},
...        "spec": {"containers": [{"name": "nginx"}]},
...        "status": {"phase": "Pending", "containerStatuses": [{"name": "nginx", "ready": False,
...                   "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]}}
>>> table = print_table("pods", [pod], now=125.0)
>>> [c.name for c in table.columns if c.priority == 0], table.rows[0][:5]
(['Name', 'Ready', 'Status', 'Restarts', 'Age'], ['web', '0/1', 'ContainerCreating', '0', '2m5s'])

Simplified: only the kinds k8slearn serves; cells are strings (kubectl prints them verbatim).

Upstream: kubernetes pkg/printers/internalversion/printers.go (AddHandlers, printPod, printNode, ...,
printPersistentVolume, printPersistentVolumeClaim, printStorageClass)
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from k8slearn.api.storage_class import (access_modes_as_string, is_default_annotation, persistent_volume_claim_class,
                                       persistent_volume_class)
from k8slearn.kubectl.humanize import human_duration

__all__ = ["Column", "Table", "print_table", "pod_status", "pod_row", "age", "TABLE_COLUMNS"]


class Column(NamedTuple):
    name: str
    priority: int = 0


class Table(NamedTuple):
    columns: list[Column]
    rows: list[list[str]]


def age(timestamp: str | None, now: float) -> str:
    """translateTimestampSince: ``<unknown>`` for a missing time, else HumanDuration of the age."""
    if not timestamp:
        return "<unknown>"
    from k8slearn.api.meta import parse_timestamp

    return human_duration(now - parse_timestamp(timestamp))


def _containers(obj: dict) -> tuple[str, str]:
    """layoutContainerCells: container names and images, comma separated."""
    containers = obj.get("spec", {}).get("template", {}).get("spec", {}).get("containers") or []
    return (",".join(c.get("name", "") for c in containers), ",".join(c.get("image", "") for c in containers))


def _selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: ``<none>`` for nil or empty."""
    from k8slearn.api.labels import selector_from_label_selector

    if not selector:
        return "<none>"
    text = str(selector_from_label_selector(selector))
    return text or "<none>"


def format_labels(labels: dict | None) -> str:
    """labels.FormatLabels: ``k=v,k2=v2`` sorted by key, ``<none>`` if empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


# --- pods ---------------------------------------------------------------------------------

def _is_restartable_init(container: dict | None) -> bool:
    return bool(container) and container.get("restartPolicy") == "Always"


def _condition_true(status: dict, kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True" for c in status.get("conditions") or [])


def pod_row(pod: dict, now: float) -> list[str]:
    """printPod: NAME, READY, STATUS, RESTARTS, AGE, IP, NODE, NOMINATED NODE, READINESS GATES."""
    spec, status, meta = pod.get("spec", {}), pod.get("status", {}), pod.get("metadata", {})
    ready, total, reason, restarts, last_restart = _pod_state(pod)
    restarts_text = str(restarts)
    if restarts != 0 and last_restart:
        restarts_text = f"{restarts} ({age(last_restart, now)} ago)"
    ips = status.get("podIPs") or []
    pod_ip = (ips[0].get("ip") if ips else "") or "<none>"
    gates = "<none>"
    if spec.get("readinessGates"):
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        true = sum(1 for g in spec["readinessGates"] if conditions.get(g.get("conditionType")) == "True")
        gates = f"{true}/{len(spec['readinessGates'])}"
    return [meta.get("name", ""), f"{ready}/{total}", reason, restarts_text,
            age(meta.get("creationTimestamp"), now), pod_ip, spec.get("nodeName") or "<none>",
            status.get("nominatedNodeName") or "<none>", gates]


def pod_status(pod: dict) -> str:
    """The STATUS column of ``kubectl get pods`` (phase, init progress, container reasons...)."""
    return _pod_state(pod)[2]


def _pod_state(pod: dict) -> tuple[int, int, str, int, str]:
    """(ready, total, reason, restarts, last restart time) exactly as printPod computes them."""
    spec, status, meta = pod.get("spec", {}), pod.get("status", {}), pod.get("metadata", {})
    total = len(spec.get("containers") or [])
    ready = restarts = restartable_restarts = 0
    last_restart = last_restartable_restart = ""
    phase = status.get("phase", "")
    reason = status.get("reason") or phase
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total += sum(1 for c in init_specs.values() if _is_restartable_init(c))

    initializing = False
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += cs.get("restartCount", 0)
        finished = (cs.get("lastState") or {}).get("terminated", {}).get("finishedAt", "")
        last_restart = max(last_restart, finished or "")
        restartable = _is_restartable_init(init_specs.get(cs.get("name")))
        if restartable:
            restartable_restarts += cs.get("restartCount", 0)
            last_restartable_restart = max(last_restartable_restart, finished or "")
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if restartable and cs.get("started"):
            ready += 1 if cs.get("ready") else 0
            continue
        if terminated is not None:
            if not terminated.get("reason"):
                reason = (f"Init:Signal:{terminated['signal']}" if terminated.get("signal")
                          else f"Init:ExitCode:{terminated.get('exitCode', 0)}")
            else:
                reason = "Init:" + terminated["reason"]
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(spec.get('initContainers') or [])}"
        initializing = True
        break

    if not initializing or _condition_true(status, "Initialized"):
        restarts, last_restart = restartable_restarts, last_restartable_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += cs.get("restartCount", 0)
            finished = (cs.get("lastState") or {}).get("terminated", {}).get("finishedAt", "")
            last_restart = max(last_restart, finished or "")
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                reason = (f"Signal:{terminated['signal']}" if terminated.get("signal")
                          else f"ExitCode:{terminated.get('exitCode', 0)}")
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(status, "Ready") else "NotReady"

    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return ready, total, reason, restarts, last_restart


# --- the other kinds ---------------------------------------------------------------------------

def node_row(node: dict, now: float) -> list[str]:
    """printNode: STATUS from the Ready condition, ROLES from node-role labels, VERSION."""
    meta, spec, status = node.get("metadata", {}), node.get("spec", {}), node.get("status", {})
    states = []
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Ready":
            states = ["Ready" if condition.get("status") == "True" else "NotReady"]
    states = states or ["Unknown"]
    if spec.get("unschedulable"):
        states.append("SchedulingDisabled")
    info = status.get("nodeInfo") or {}
    addresses = status.get("addresses") or []
    internal = next((a["address"] for a in addresses if a.get("type") == "InternalIP"), "<none>")
    external = next((a["address"] for a in addresses if a.get("type") == "ExternalIP"), "<none>")
    return [meta.get("name", ""), ",".join(states), ",".join(node_roles(node)) or "<none>",
            age(meta.get("creationTimestamp"), now), info.get("kubeletVersion", ""), internal, external,
            info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]


def node_roles(node: dict) -> list[str]:
    """findNodeRoles: ``node-role.kubernetes.io/<role>`` keys and ``kubernetes.io/role`` values."""
    roles = set()
    for key, value in (node.get("metadata", {}).get("labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/") and key[len("node-role.kubernetes.io/"):]:
            roles.add(key[len("node-role.kubernetes.io/"):])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def deployment_row(obj: dict, now: float) -> list[str]:
    spec, status, meta = obj.get("spec", {}), obj.get("status", {}), obj.get("metadata", {})
    names, images = _containers(obj)
    return [meta.get("name", ""), f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
            str(status.get("updatedReplicas", 0)), str(status.get("availableReplicas", 0)),
            age(meta.get("creationTimestamp"), now), names, images, _selector(spec.get("selector"))]


def replicaset_row(obj: dict, now: float) -> list[str]:
    spec, status, meta = obj.get("spec", {}), obj.get("status", {}), obj.get("metadata", {})
    names, images = _containers(obj)
    return [meta.get("name", ""), str(spec.get("replicas", 0)), str(status.get("replicas", 0)),
            str(status.get("readyReplicas", 0)), age(meta.get("creationTimestamp"), now), names, images,
            _selector(spec.get("selector"))]


def daemonset_row(obj: dict, now: float) -> list[str]:
    spec, status, meta = obj.get("spec", {}), obj.get("status", {}), obj.get("metadata", {})
    names, images = _containers(obj)
    node_selector = spec.get("template", {}).get("spec", {}).get("nodeSelector")
    return [meta.get("name", ""), str(status.get("desiredNumberScheduled", 0)),
            str(status.get("currentNumberScheduled", 0)), str(status.get("numberReady", 0)),
            str(status.get("updatedNumberScheduled", 0)), str(status.get("numberAvailable", 0)),
            format_labels(node_selector), age(meta.get("creationTimestamp"), now), names, images,
            _selector(spec.get("selector"))]


def statefulset_row(obj: dict, now: float) -> list[str]:
    spec, status, meta = obj.get("spec", {}), obj.get("status", {}), obj.get("metadata", {})
    names, images = _containers(obj)
    return [meta.get("name", ""), f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
            age(meta.get("creationTimestamp"), now), names, images]


def service_row(obj: dict, now: float) -> list[str]:
    spec, meta = obj.get("spec", {}), obj.get("metadata", {})
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    ports = []
    for port in spec.get("ports") or []:
        protocol = port.get("protocol", "TCP")
        if port.get("nodePort"):
            ports.append(f"{port.get('port')}:{port['nodePort']}/{protocol}")
        else:
            ports.append(f"{port.get('port')}/{protocol}")
    selector = spec.get("selector")
    return [meta.get("name", ""), spec.get("type", ""), cluster_ips[0] if cluster_ips else "<none>",
            _external_ip(obj), ",".join(ports) or "<none>", age(meta.get("creationTimestamp"), now),
            format_labels(selector)]


def _external_ip(svc: dict) -> str:
    """getServiceExternalIP for the wide table."""
    spec = svc.get("spec", {})
    external = spec.get("externalIPs") or []
    kind = spec.get("type", "")
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) or "<none>"
    if kind == "LoadBalancer":
        ingress = svc.get("status", {}).get("loadBalancer", {}).get("ingress") or []
        # loadBalancerStatusStringer: a sorted set (the server prints wide, so nothing is cut short)
        lb = sorted({i.get("ip") or i.get("hostname") for i in ingress if i.get("ip") or i.get("hostname")})
        if external:
            return ",".join(lb + external)
        return ",".join(lb) or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def endpoints_row(obj: dict, now: float) -> list[str]:
    meta = obj.get("metadata", {})
    return [meta.get("name", ""), format_endpoints(obj), age(meta.get("creationTimestamp"), now)]


def format_endpoints(endpoints: dict) -> str:
    """formatEndpoints: up to three ``ip:port`` entries, then `` + N more...``."""
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    shown: list[str] = []
    count, more, limit = 0, False, 3
    for subset in subsets:
        addresses = subset.get("addresses") or []
        targets = [None] if not subset.get("ports") else [p.get("port") for p in subset["ports"]]
        for port in targets:
            count += len(addresses)
            for address in addresses:
                if len(shown) == limit:
                    more = True
                    break
                ip = address.get("ip", "")
                host = f"[{ip}]" if ":" in ip else ip
                shown.append(ip if port is None else f"{host}:{port}")
    text = ",".join(shown)
    return f"{text} + {count - limit} more..." if more else text


def event_interval(event: dict, now: float) -> str:
    """getInterval (kubectl events, describe): when an event was last seen, with ``(xN over AGE)``
    for a repeated one."""
    first = age(event.get("eventTime") or event.get("firstTimestamp"), now)
    series = event.get("series")
    if series:
        return f"{age(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} over {first})"
    if (event.get("count") or 0) > 1:
        return f"{age(event.get('lastTimestamp'), now)} (x{event['count']} over {first})"
    return first


def event_row(obj: dict, now: float) -> list[str]:
    """printEvent: LAST SEEN, TYPE, REASON, OBJECT (kind/name in lower case), MESSAGE."""
    first = age(obj.get("firstTimestamp"), now) if obj.get("firstTimestamp") else age(obj.get("eventTime"), now)
    last = age(obj.get("lastTimestamp"), now) if obj.get("lastTimestamp") else first
    count = obj.get("count", 0)
    series = obj.get("series")
    if series:
        last, count = age(series.get("lastObservedTime"), now), series.get("count", 0)
    elif count == 0:
        count = 1
    involved = obj.get("involvedObject", {})
    kind = involved.get("kind", "").lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    source = obj.get("source") or {}
    component = source.get("component") or obj.get("reportingComponent") or obj.get("reportingController", "")
    host = source.get("host") or obj.get("reportingInstance", "")
    return [last, obj.get("type", ""), obj.get("reason", ""), target, involved.get("fieldPath", ""),
            f"{component}, {host}" if host else component, (obj.get("message") or "").strip(), first,
            str(count), obj.get("metadata", {}).get("name", "")]


def job_row(obj: dict, now: float) -> list[str]:
    spec, status, meta = obj.get("spec", {}), obj.get("status", {}), obj.get("metadata", {})
    succeeded = status.get("succeeded", 0)
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{spec['completions']}"
    elif (spec.get("parallelism") or 0) > 1:
        completions = f"{succeeded}/1 of {spec['parallelism']}"
    else:
        completions = f"{succeeded}/1"
    from k8slearn.api.meta import parse_timestamp

    duration = ""
    if status.get("startTime"):
        end = parse_timestamp(status["completionTime"]) if status.get("completionTime") else now
        duration = human_duration(end - parse_timestamp(status["startTime"]))
    conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    if conditions.get("Complete") == "True":
        state = "Complete"
    elif conditions.get("Failed") == "True":
        state = "Failed"
    elif meta.get("deletionTimestamp"):
        state = "Terminating"
    elif conditions.get("Suspended") == "True":
        state = "Suspended"
    elif conditions.get("FailureTarget") == "True":
        state = "FailureTarget"
    else:
        state = "Running"
    names, images = _containers(obj)
    return [meta.get("name", ""), state, completions, duration, age(meta.get("creationTimestamp"), now),
            names, images, _selector(spec.get("selector"))]


def cronjob_row(obj: dict, now: float) -> list[str]:
    spec, status, meta = obj.get("spec", {}), obj.get("status", {}), obj.get("metadata", {})
    job_spec = spec.get("jobTemplate", {}).get("spec", {})
    names, images = _containers({"spec": job_spec})
    last = age(status["lastScheduleTime"], now) if status.get("lastScheduleTime") else "<none>"
    suspend = spec.get("suspend")
    return [meta.get("name", ""), spec.get("schedule", ""), spec.get("timeZone") or "<none>",
            "<unset>" if suspend is None else str(bool(suspend)), str(len(status.get("active") or [])),
            last, age(meta.get("creationTimestamp"), now), names, images, _selector(job_spec.get("selector"))]


def _simple(*cells: Callable[[dict], Any]) -> Callable[[dict, float], list[str]]:
    def row(obj: dict, now: float) -> list[str]:
        meta = obj.get("metadata", {})
        values = [meta.get("name", "")] + [str(cell(obj)) for cell in cells]
        return values + [age(meta.get("creationTimestamp"), now)]
    return row


def _with_age_before(*cells: Callable[[dict], Any]) -> Callable[[dict, float], list[str]]:
    """Rows whose extra cells come after AGE (PriorityClass's PREEMPTIONPOLICY)."""
    def row(obj: dict, now: float) -> list[str]:
        meta = obj.get("metadata", {})
        return ([meta.get("name", ""), str(cells[0](obj)), str(cells[1](obj)),
                 age(meta.get("creationTimestamp"), now)] + [str(c(obj)) for c in cells[2:]])
    return row


def _lower_bool(value: Any) -> str:
    return "true" if value else "false"


def component_status_row(obj: dict, now: float) -> list[str]:
    """printComponentStatus: the Healthy condition's status (True: Healthy, else Unhealthy; none:
    Unknown), message and error."""
    for condition in obj.get("conditions") or []:
        if condition.get("type") == "Healthy":
            status = "Healthy" if condition.get("status") == "True" else "Unhealthy"
            return [obj["metadata"].get("name", ""), status, condition.get("message", ""),
                    condition.get("error", "")]
    return [obj["metadata"].get("name", ""), "Unknown", "", ""]


# --- storage ------------------------------------------------------------------------------

def _storage(resources: dict | None) -> str:
    """A ResourceList's ``storage`` quantity as Quantity.String() prints it (``0`` when missing)."""
    return str((resources or {}).get("storage") or "0")


def _phase(obj: dict) -> str:
    """The STATUS cell: ``Terminating`` once the object is being deleted, else its phase."""
    return "Terminating" if obj["metadata"].get("deletionTimestamp") else obj.get("status", {}).get("phase", "")


def persistent_volume_row(obj: dict, now: float) -> list[str]:
    """printPersistentVolume: CLAIM is ``namespace/name`` of the claimRef; VOLUMEMODE shows with -o wide."""
    spec, ref = obj.get("spec", {}), obj.get("spec", {}).get("claimRef")
    claim = f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref is not None else ""
    return [obj["metadata"].get("name", ""), _storage(spec.get("capacity")), access_modes_as_string(spec.get("accessModes")),
            spec.get("persistentVolumeReclaimPolicy", ""), _phase(obj), claim, persistent_volume_class(obj),
            spec.get("volumeAttributesClassName") or "<unset>", obj.get("status", {}).get("reason", ""),
            age(obj["metadata"].get("creationTimestamp"), now), spec.get("volumeMode") or "<unset>"]


def persistent_volume_claim_row(obj: dict, now: float) -> list[str]:
    """printPersistentVolumeClaim: CAPACITY and ACCESS MODES come from the status, once the claim
    names its volume."""
    spec, status = obj.get("spec", {}), obj.get("status", {})
    bound = bool(spec.get("volumeName"))
    return [obj["metadata"].get("name", ""), _phase(obj), spec.get("volumeName", ""),
            _storage(status.get("capacity")) if bound else "",
            access_modes_as_string(status.get("accessModes")) if bound else "", persistent_volume_claim_class(obj),
            spec.get("volumeAttributesClassName") or "<unset>", age(obj["metadata"].get("creationTimestamp"), now),
            spec.get("volumeMode") or "<unset>"]


def storage_class_row(obj: dict, now: float) -> list[str]:
    """printStorageClass: NAME gains `` (default)`` for the default class."""
    name = obj["metadata"].get("name", "") + (" (default)" if is_default_annotation(obj) else "")
    return [name, obj.get("provisioner", ""), obj.get("reclaimPolicy") or "Delete",
            obj.get("volumeBindingMode") or "Immediate", _lower_bool(obj.get("allowVolumeExpansion")),
            age(obj["metadata"].get("creationTimestamp"), now)]


_AGE = Column("Age")
_CONTAINERS_IMAGES = [Column("Containers", 1), Column("Images", 1)]

TABLE_COLUMNS: dict[str, tuple[list[Column], Callable[[dict, float], list[str]]]] = {
    "pods": ([Column("Name"), Column("Ready"), Column("Status"), Column("Restarts"), _AGE, Column("IP", 1),
              Column("Node", 1), Column("Nominated Node", 1), Column("Readiness Gates", 1)], pod_row),
    "nodes": ([Column("Name"), Column("Status"), Column("Roles"), _AGE, Column("Version"),
               Column("Internal-IP", 1), Column("External-IP", 1), Column("OS-Image", 1),
               Column("Kernel-Version", 1), Column("Container-Runtime", 1)], node_row),
    "deployments": ([Column("Name"), Column("Ready"), Column("Up-to-date"), Column("Available"), _AGE,
                     *_CONTAINERS_IMAGES, Column("Selector", 1)], deployment_row),
    "replicasets": ([Column("Name"), Column("Desired"), Column("Current"), Column("Ready"), _AGE,
                     *_CONTAINERS_IMAGES, Column("Selector", 1)], replicaset_row),
    "daemonsets": ([Column("Name"), Column("Desired"), Column("Current"), Column("Ready"), Column("Up-to-date"),
                    Column("Available"), Column("Node Selector"), _AGE, *_CONTAINERS_IMAGES,
                    Column("Selector", 1)], daemonset_row),
    "statefulsets": ([Column("Name"), Column("Ready"), _AGE, *_CONTAINERS_IMAGES], statefulset_row),
    "services": ([Column("Name"), Column("Type"), Column("Cluster-IP"), Column("External-IP"), Column("Port(s)"),
                  _AGE, Column("Selector", 1)], service_row),
    "endpoints": ([Column("Name"), Column("Endpoints"), _AGE], endpoints_row),
    "events": ([Column("Last Seen"), Column("Type"), Column("Reason"), Column("Object"), Column("Subobject", 1),
                Column("Source", 1), Column("Message"), Column("First Seen", 1), Column("Count", 1),
                Column("Name", 1)], event_row),
    "jobs": ([Column("Name"), Column("Status"), Column("Completions"), Column("Duration"), _AGE,
              *_CONTAINERS_IMAGES, Column("Selector", 1)], job_row),
    "cronjobs": ([Column("Name"), Column("Schedule"), Column("Timezone"), Column("Suspend"), Column("Active"),
                  Column("Last Schedule"), _AGE, *_CONTAINERS_IMAGES, Column("Selector", 1)], cronjob_row),
    "namespaces": ([Column("Name"), Column("Status"), _AGE],
                   _simple(lambda o: o.get("status", {}).get("phase", ""))),
    "configmaps": ([Column("Name"), Column("Data"), _AGE],
                   _simple(lambda o: len(o.get("data") or {}) + len(o.get("binaryData") or {}))),
    "secrets": ([Column("Name"), Column("Type"), Column("Data"), _AGE],
                _simple(lambda o: o.get("type", ""), lambda o: len(o.get("data") or {}))),
    "serviceaccounts": ([Column("Name"), Column("Secrets"), _AGE], _simple(lambda o: len(o.get("secrets") or []))),
    "leases": ([Column("Name"), Column("Holder"), _AGE], _simple(lambda o: o.get("spec", {}).get("holderIdentity") or "")),
    "priorityclasses": ([Column("Name"), Column("Value"), Column("Global-Default"), _AGE, Column("PreemptionPolicy")],
                        _with_age_before(lambda o: o.get("value", 0), lambda o: _lower_bool(o.get("globalDefault")),
                                         lambda o: o.get("preemptionPolicy") or "")),
    "controllerrevisions": ([Column("Name"), Column("Controller"), Column("Revision"), _AGE],
                            _simple(lambda o: _controller_name(o), lambda o: o.get("revision", 0))),
    "poddisruptionbudgets": ([Column("Name"), Column("Min Available"), Column("Max Unavailable"),
                              Column("Allowed Disruptions"), _AGE],
                             _simple(lambda o: _n_a(o.get("spec", {}).get("minAvailable")),
                                     lambda o: _n_a(o.get("spec", {}).get("maxUnavailable")),
                                     lambda o: o.get("status", {}).get("disruptionsAllowed", 0))),
    "componentstatuses": ([Column("Name"), Column("Status"), Column("Message"), Column("Error")],
                          component_status_row),
    "endpointslices": ([Column("Name"), Column("AddressType"), Column("Ports"), Column("Endpoints"), _AGE],
                       _simple(lambda o: o.get("addressType", ""), lambda o: _slice_ports(o),
                               lambda o: _slice_endpoints(o))),
    "persistentvolumes": ([Column("Name"), Column("Capacity"), Column("Access Modes"), Column("Reclaim Policy"),
                           Column("Status"), Column("Claim"), Column("StorageClass"), Column("VolumeAttributesClass"),
                           Column("Reason"), _AGE, Column("VolumeMode", 1)], persistent_volume_row),
    "persistentvolumeclaims": ([Column("Name"), Column("Status"), Column("Volume"), Column("Capacity"),
                                Column("Access Modes"), Column("StorageClass"), Column("VolumeAttributesClass"),
                                _AGE, Column("VolumeMode", 1)], persistent_volume_claim_row),
    "storageclasses": ([Column("Name"), Column("Provisioner"), Column("ReclaimPolicy"), Column("VolumeBindingMode"),
                        Column("AllowVolumeExpansion"), _AGE], storage_class_row),
}


def _n_a(value: Any) -> str:
    """An optional IntOrString: its String(), or ``N/A`` when unset."""
    return "N/A" if value is None else str(value)


def _controller_name(obj: dict) -> str:
    for ref in obj.get("metadata", {}).get("ownerReferences") or []:
        if ref.get("controller"):
            group = ref.get("apiVersion", "").rpartition("/")[0]
            kind = f"{ref.get('kind', '')}.{group}" if group else ref.get("kind", "")
            return f"{kind.lower()}/{ref.get('name', '')}"
    return "<none>"


def _more(items: list[str]) -> str:
    text = ",".join(items[:3])
    if len(items) > 3:
        return f"{text} + {len(items) - 3} more..."
    return text or "<unset>"


def _slice_ports(obj: dict) -> str:
    ports = obj.get("ports")
    if ports is None:
        return "<unset>"
    return _more([str(p["port"]) if p.get("port") is not None else (p.get("name") or "*") for p in ports])


def _slice_endpoints(obj: dict) -> str:
    return _more([a for e in obj.get("endpoints") or [] for a in e.get("addresses") or []])


def print_table(resource: str, objects: list[dict], now: float) -> Table:
    """The server-side Table for a list of objects of one resource (all columns, wide included)."""
    columns, row = TABLE_COLUMNS.get(resource, ([Column("Name"), _AGE], _simple()))
    return Table(columns, [row(obj, now) for obj in objects])
