"""``kubectl describe``: the long, human form of one object, with its events at the end.

Every describer writes ``Label:\\tvalue`` lines through a *prefix writer* (two spaces per
level) into one tabwriter (padding 2), so values line up within each run of tabbed lines.
The Events table is flushed separately. This module has the shared pieces (labels,
annotations, tolerations, containers, events) and the Pod describer; the other
kinds are in :mod:`k8slearn.kubectl.describers`.

>>> w = PrefixWriter()
>>> print_labels_multiline(w, "Labels", {"tier": "web", "app": "nginx"})
>>> w.write(0, "Status:\\tRunning\\n")
>>> print(w.text(), end="")
Labels:  app=nginx
         tier=web
Status:  Running

The Volumes section is in :mod:`k8slearn.kubectl.describe_volumes`.

Simplified: no per-container resize status; event messages are shown as recorded.

Upstream: staging/src/k8s.io/kubectl/pkg/describe/describe.go (PodDescriber, describePod,
describeContainers, DescribeProbe, DescribeEvents, printLabelsMultiline,
printAnnotationsMultiline), go/src/net/url/url.go (URL.String, EscapedPath, shouldEscape)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import parse_timestamp
from k8slearn.api.resource_fields import resource_field_value
from k8slearn.api.validation.env import CONTAINER_RESOURCE_FIELDS
from k8slearn.kubectl import tabwriter
from k8slearn.kubectl.describe_volumes import describe_volumes
from k8slearn.kubectl.go_sort import sort_interface
from k8slearn.kubectl.humanize import human_duration, rfc1123z
from k8slearn.kubectl.printers import event_interval

__all__ = ["PrefixWriter", "describe_pod", "describe_events", "print_labels_multiline",
           "print_annotations_multiline", "describe_pod_template", "search_events", "since"]

MAX_ANNOTATION_LEN = 140
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000"


class PrefixWriter:
    """describe's PrefixWriter over a tabwriter: ``write(level, text)`` indents by 2 per level."""

    def __init__(self) -> None:
        self._done: list[str] = []
        self._pending: list[str] = []

    def write(self, level: int, text: str) -> None:
        self._pending.append("  " * level + text)

    def write_line(self, text: str = "") -> None:
        self._pending.append(text + "\n")

    def flush(self) -> None:
        self._done.append(tabwriter.render("".join(self._pending), **tabwriter.DESCRIBE))
        self._pending = []

    def text(self) -> str:
        self.flush()
        return "".join(self._done)

    def plain(self) -> str:
        """The text as written, tabs kept: a PrefixWriter over a plain buffer, not a tabwriter
        (``kubectl rollout history --revision`` prints a template that way)."""
        return "".join(self._done) + "".join(self._pending)


def time_text(value: str | None) -> str:
    """metav1.Time formatted RFC1123Z (the zero time when unset, as Go prints it)."""
    return rfc1123z(value) if value else ZERO_TIME


def since(value: str | None, now: float) -> str:
    """translateTimestampSince."""
    if not value:
        return "<unknown>"
    return human_duration(now - parse_timestamp(value))


# --- labels, annotations, tolerations, taints ---------------------------------------------------

def print_labels_multiline(w: PrefixWriter, title: str, labels: dict | None, initial: str = "") -> None:
    w.write(0, f"{initial}{title}:\t")
    if not labels:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:  # two writes, as upstream: a nested writer indents each one
            w.write(0, initial)
            w.write(0, "\t")
        w.write(0, f"{key}={labels[key]}\n")


def print_annotations_multiline(w: PrefixWriter, title: str, annotations: dict | None) -> None:
    w.write(0, f"{title}:\t")
    keys = sorted(k for k in annotations or {} if k != LAST_APPLIED)
    if not keys:
        w.write_line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, "\t")
        value = annotations[key][:-1] if annotations[key].endswith("\n") else annotations[key]
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for line in value.split("\n"):
                short = line[:MAX_ANNOTATION_LEN - 2] + "..." if len(line) > MAX_ANNOTATION_LEN - 2 else line
                w.write(0, f"\t  {short}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def print_tolerations_multiline(w: PrefixWriter, title: str, tolerations: list | None, initial: str = "") -> None:
    w.write(0, f"{initial}{title}:\t")
    if not tolerations:
        w.write_line("<none>")
        return
    for i, t in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i:
            w.write(0, f"{initial}\t")
        text = t.get("key", "")
        if t.get("value"):
            text += "=" + t["value"]
        if t.get("effect"):
            text += ":" + t["effect"]
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        w.write(0, text + "\n")


def taint_text(taint: dict) -> str:
    """Taint.ToString: ``key=value:Effect``."""
    text = taint.get("key", "")
    if taint.get("value"):
        text += "=" + taint["value"]
    if taint.get("effect"):
        text += ":" + taint["effect"]
    return text


# --- containers ---------------------------------------------------------------------------

def _ports(ports: list, field: str) -> str:
    return ", ".join(f"{p.get(field, 0)}/{p.get('protocol', 'TCP')}" for p in ports or [])


def describe_containers(label: str, containers: list, statuses: list | None, w: PrefixWriter,
                        space: str = "", pod: dict | None = None) -> None:
    """describeContainers; ``pod`` is given for a pod (not a template): its EnvValueRetriever shows
    the values of ``fieldRef`` variables kubectl can work out."""
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(0, f"{space}{label}:{' <none>' if not containers else ''}\n")
    indent = " " if space else ""
    for c in containers:
        status = by_name.get(c.get("name"))
        w.write(1, f"{indent}{c.get('name', '')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports, host_ports = _ports(c.get("ports"), "containerPort"), _ports(c.get("ports"), "hostPort")
        w.write(2, f"Ports:\t{ports}\n" if "," in ports else f"Port:\t{ports or '<none>'}\n")
        w.write(2, f"Host Ports:\t{host_ports}\n" if "," in host_ports else f"Host Port:\t{host_ports or '<none>'}\n")
        for title, field in (("Command", "command"), ("Args", "args")):
            if c.get(field):
                w.write(2, f"{title}:\n")
                for item in c[field]:
                    for line in str(item).split("\n"):
                        w.write(3, f"{line}\n")
        if status is not None:
            _describe_status("State", status.get("state") or {}, w)
            if (status.get("lastState") or {}).get("terminated"):
                _describe_status("Last State", status["lastState"], w)
            w.write(2, f"Ready:\t{'True' if status.get('ready') else 'False'}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        describe_resources(c.get("resources"), w, 2)
        for title, field in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"),
                             ("Startup", "startupProbe")):
            if c.get(field):
                w.write(2, f"{title}:\t{describe_probe(c[field])}\n")
        if c.get("envFrom"):
            _describe_env_from(c["envFrom"], w)
        _describe_env(c.get("env") or [], c, pod, w)
        _describe_mounts(c.get("volumeMounts") or [], c.get("volumeDevices") or [], w)


def _describe_status(name: str, state: dict, w: PrefixWriter) -> None:
    if state.get("running") is not None:
        w.write(2, f"{name}:\tRunning\n")
        w.write(3, f"Started:\t{time_text(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(2, f"{name}:\tTerminated\n")
        if t.get("reason"):
            w.write(3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(3, f"Message:\t{t['message']}\n")
        w.write(3, f"Exit Code:\t{t.get('exitCode', 0)}\n")
        if t.get("signal", 0) > 0:
            w.write(3, f"Signal:\t{t['signal']}\n")
        w.write(3, f"Started:\t{time_text(t.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{time_text(t.get('finishedAt'))}\n")
    else:
        w.write(2, f"{name}:\tWaiting\n")


def describe_resources(resources: dict | None, w: PrefixWriter, level: int) -> None:
    from k8slearn.api.quantity import parse_quantity

    for title, field in (("Limits", "limits"), ("Requests", "requests")):
        values = (resources or {}).get(field) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{parse_quantity(values[name])}\n")


def describe_probe(probe: dict) -> str:
    """DescribeProbe: the handler (``exec [...]``, ``http-get <url>``, ``tcp-socket``, ``grpc``), then
    the timings."""
    attrs = (f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 0)}s "
             f"period={probe.get('periodSeconds', 0)}s #success={probe.get('successThreshold', 0)} "
             f"#failure={probe.get('failureThreshold', 0)}")
    if probe.get("exec") is not None:
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet") is not None:
        get = probe["httpGet"]
        host, port = get.get("host") or "", str(get.get("port", ""))
        if port:  # net.JoinHostPort
            host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        url = go_url_string((get.get("scheme") or "").lower(), host, get.get("path") or "")
        return f"http-get {url} {attrs}"
    if probe.get("tcpSocket") is not None:
        sock = probe["tcpSocket"]
        return f"tcp-socket {sock.get('host', '')}:{sock.get('port', '')} {attrs}"
    if probe.get("grpc") is not None:
        return f"grpc <pod>:{probe['grpc'].get('port', 0)} {probe['grpc'].get('service', '')} {attrs}"
    return f"unknown {attrs}"


_HOST_SAFE = frozenset(b"!$&'()*+,;=:[]<>\"")
_PATH_SAFE = frozenset(b"$&+,/:;=@")


def _url_escape(text: str, safe: frozenset) -> str:
    """net/url escape: every byte but letters, digits, ``-_.~`` and the mode's own safe ones as %XX."""
    out = []
    for byte in text.encode("utf-8", "surrogatepass"):
        if chr(byte).isascii() and (chr(byte).isalnum() or byte in b"-_.~" or byte in safe):
            out.append(chr(byte))
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def go_url_string(scheme: str, host: str, path: str) -> str:
    """url.URL{Scheme, Host, Path}.String() as DescribeProbe builds it: the host escaped as a host,
    the path as EscapedPath does (``?``, spaces, ``%`` and the like as %XX; ``*`` alone as it is), and
    a "/" put before a path that lacks one when there is a host.

    >>> go_url_string("http", ":http", "healthz"), go_url_string("http", ":80", "/a b?c")
    ('http://:http/healthz', 'http://:80/a%20b%3Fc')
    """
    text = f"{scheme}:" if scheme else ""
    if scheme or host:
        if host or path:
            text += "//"
        text += _url_escape(host, _HOST_SAFE)
    escaped = "*" if path == "*" else _url_escape(path, _PATH_SAFE)
    if escaped and escaped[0] != "/" and host:
        text += "/"
    if not text and ":" in escaped.split("/", 1)[0]:  # RFC 3986 §4.2: "./this:that"
        text = "./"
    return text + escaped


def _describe_env_from(env_from: list, w: PrefixWriter) -> None:
    w.write(2, "Environment Variables from:\n")
    for e in env_from:
        ref, kind = (e.get("configMapRef"), "ConfigMap") if e.get("configMapRef") else (e.get("secretRef"), "Secret")
        ref = ref or {}
        optional = "true" if ref.get("optional") else "false"
        if e.get("prefix"):
            w.write(3, f"{ref.get('name', '')}\t{kind} with prefix '{e['prefix']}'\tOptional: {optional}\n")
        else:
            w.write(3, f"{ref.get('name', '')}\t{kind}\tOptional: {optional}\n")


def _field_value(pod: dict | None, path: str) -> str:
    """EnvValueRetriever: kubectl's scheme converts only the field selectors every object has
    (DefaultMetaV1FieldSelectorConversion), so a value is shown for metadata.name and
    metadata.namespace and left empty for the rest (labels, spec.nodeName, status.podIP...)."""
    if pod is None or path not in ("metadata.name", "metadata.namespace"):
        return ""
    return str(pod["metadata"].get(path.split(".", 1)[1], ""))


def _describe_env(env: list, container: dict, pod: dict | None, w: PrefixWriter) -> None:
    w.write(2, "Environment:" + ("\t<none>" if not env else "") + "\n")
    for e in env:
        source = e.get("valueFrom")
        if source is None:
            for i, line in enumerate(str(e.get("value", "")).split("\n")):
                w.write(3, f"{e.get('name', '')}:\t{line}\n" if i == 0 else f"\t{line}\n")
        elif source.get("fieldRef"):
            ref = source["fieldRef"]
            value = _field_value(pod, ref.get("fieldPath", ""))
            w.write(3, f"{e['name']}:\t{value} ({ref.get('apiVersion', '')}:{ref.get('fieldPath', '')})\n")
        elif source.get("resourceFieldRef"):
            ref = source["resourceFieldRef"]
            resource = ref.get("resource", "")
            try:  # ExtractContainerResourceValue: the container's own value (no node defaulting)
                value = resource_field_value(ref, container, {}) if resource in CONTAINER_RESOURCE_FIELDS else ""
            except ValueError:
                value = ""
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(3, f"{e['name']}:\t{value} ({resource})\n")
        elif source.get("secretKeyRef"):
            ref = source["secretKeyRef"]
            optional = "true" if ref.get("optional") else "false"
            w.write(3, f"{e['name']}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>"
                       f"\tOptional: {optional}\n")
        elif source.get("configMapKeyRef"):
            ref = source["configMapKeyRef"]
            optional = "true" if ref.get("optional") else "false"
            w.write(3, f"{e['name']}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>"
                       f"\tOptional: {optional}\n")


def _describe_mounts(mounts: list, devices: list, w: PrefixWriter) -> None:
    w.write(2, "Mounts:" + ("\t<none>" if not mounts else "") + "\n")
    for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append(f'path="{m["subPath"]}"')
        w.write(3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n")
    if devices:
        w.write(2, "Devices:" + ("\t<none>" if not mounts else "") + "\n")
        for d in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.write(3, f"{d.get('devicePath', '')} from {d.get('name', '')}\n")


# --- events ------------------------------------------------------------------------------------

def search_events(client: Any, obj: dict, with_kind: bool = True) -> list[dict]:
    """Events whose involvedObject is ``obj`` (name, namespace, kind, uid field selector)."""
    meta = obj.get("metadata", {})
    namespace = meta.get("namespace", "")
    terms = [f"involvedObject.name={meta.get('name', '')}", f"involvedObject.namespace={namespace}"]
    if with_kind:
        terms.append(f"involvedObject.kind={obj.get('kind', '')}")
    terms.append(f"involvedObject.uid={meta.get('uid', '')}")
    return client.list("events", namespace=namespace or None, field_selector=",".join(terms))


def describe_events(events: list[dict], w: PrefixWriter, now: float) -> None:
    """DescribeEvents: oldest first by last time; ``Age`` is ``5s`` or ``30s (x4 over 3m20s)``."""
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    # sort.Sort(event.SortableEvents): by lastTimestamp, with Go's unstable sort (ties as kubectl leaves them)
    for e in sort_interface(events, lambda a, b: _last_seen(a) < _last_seen(b)):
        interval = event_interval(e, now)
        source = (e.get("source") or {}).get("component") or e.get("reportingComponent", "")
        message = (e.get("message") or "").strip()
        w.write(1, f"{e.get('type', '')}\t{e.get('reason', '')}\t{interval}\t{source}\t{message}\n")


def _last_seen(event: dict) -> float:
    stamp = event.get("lastTimestamp")
    return parse_timestamp(stamp) if stamp else float("-inf")


# --- pods --------------------------------------------------------------------------------------

def qos_class(pod: dict) -> str:
    """The pod's QoS class (status.qosClass, else computed as the kubelet does)."""
    if pod.get("status", {}).get("qosClass"):
        return pod["status"]["qosClass"]
    containers = (pod.get("spec", {}).get("containers") or []) + (pod.get("spec", {}).get("initContainers") or [])
    requests: dict = {}
    limits: dict = {}
    any_set = False
    for c in containers:
        res = c.get("resources") or {}
        for name in ("cpu", "memory"):
            if name in (res.get("requests") or {}):
                requests.setdefault(name, []).append(str(res["requests"][name]))
                any_set = True
            if name in (res.get("limits") or {}):
                limits.setdefault(name, []).append(str(res["limits"][name]))
                any_set = True
    if not any_set:
        return "BestEffort"
    guaranteed = all(set(("cpu", "memory")) <= set((c.get("resources") or {}).get("limits") or {})
                     and all(str(((c.get("resources") or {}).get("requests") or {}).get(n, l)) == str(l)
                             for n, l in ((c.get("resources") or {}).get("limits") or {}).items())
                     for c in pod.get("spec", {}).get("containers") or [])
    return "Guaranteed" if guaranteed else "Burstable"


def controlled_by(obj: dict) -> str:
    for ref in obj.get("metadata", {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def describe_pod(pod: dict, events: list[dict] | None, now: float) -> str:
    meta, spec, status = pod.get("metadata", {}), pod.get("spec", {}), pod.get("status", {})
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("nodeName"):
        w.write(0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    else:
        w.write(0, "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{time_text(status['startTime'])}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if meta.get("deletionTimestamp") and status.get("phase") not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp:
        w.write(0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    if not status.get("podIPs"):
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for ip in status["podIPs"]:
            w.write(1, f"IP:\t{ip.get('ip', '')}\n")
    if controlled_by(pod):
        w.write(0, f"Controlled By:\t{controlled_by(pod)}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        describe_containers("Init Containers", spec["initContainers"], status.get("initContainerStatuses"), w, pod=pod)
    describe_containers("Containers", spec.get("containers") or [], status.get("containerStatuses"), w, pod=pod)
    if spec.get("ephemeralContainers"):
        describe_containers("Ephemeral Containers", spec["ephemeralContainers"], status.get("ephemeralContainerStatuses"),
                            w, pod=pod)
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        for gate in spec["readinessGates"]:
            w.write(1, f"{gate.get('conditionType', '')} \t{conditions.get(gate.get('conditionType'), '<none>')} \n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    describe_volumes(spec.get("volumes"), w)
    w.write(0, f"QoS Class:\t{qos_class(pod)}\n")
    print_labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    _topology_spread(spec.get("topologySpreadConstraints"), w)
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _topology_spread(constraints: list | None, w: PrefixWriter, space: str = "") -> None:
    if not constraints:
        return
    from k8slearn.kubectl.printers import _selector

    w.write(0, f"{space}Topology Spread Constraints:\t")
    for i, c in enumerate(sorted(constraints, key=lambda c: c.get("topologyKey", ""))):
        if i:
            w.write(0, f"{space}\t")
        text = (f"{c.get('topologyKey', '')}:{c.get('whenUnsatisfiable', '')} when max skew "
                f"{c.get('maxSkew', 0)} is exceeded")
        if c.get("labelSelector") is not None:
            text += f" for selector {_selector(c['labelSelector'])}"
        w.write(0, text + "\n")


def describe_pod_template(template: dict | None, w: PrefixWriter) -> None:
    """DescribePodTemplate, shared by Deployment, ReplicaSet, DaemonSet, Job."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    print_labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        print_annotations_multiline(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers("Init Containers", spec["initContainers"], None, w, "  ")
    describe_containers("Containers", spec.get("containers") or [], None, w, "  ")
    describe_volumes(spec.get("volumes"), w, "  ")
    _topology_spread(spec.get("topologySpreadConstraints"), w, "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    print_labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))
