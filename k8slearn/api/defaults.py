"""Defaulting: the values the API server fills in before it validates and stores an object.

``apply_defaults(obj)`` changes ``obj`` in place, dispatching on ``kind``, with the values of
the upstream ``SetDefaults_*`` functions: a Deployment gets ``replicas: 1`` and a 25%/25%
rolling update, every container gets ``imagePullPolicy``, ``terminationMessagePath``...
Quantities are rewritten in canonical form, as the API server's serializer does.

>>> d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
...      "spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}
>>> apply_defaults(d)
>>> d["spec"]["replicas"], d["spec"]["strategy"]["rollingUpdate"]
(1, {'maxUnavailable': '25%', 'maxSurge': '25%'})
>>> d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"]
'Always'

Also here, because the API server applies them on create and they need no other object:
the ServiceAccount and Priority admission defaults for a Pod (``serviceAccountName: default``,
``priority: 0``) and the registry strategies' ``generate_job_selector`` and ``pod_qos_class``.

Simplifies: no feature-gated fields other than those on by default in v1.32.

Upstream: pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go,
pkg/apis/scheduling/v1/defaults.go, pkg/apis/storage/v1/defaults.go, plugin/pkg/admission/serviceaccount, plugin/pkg/admission/priority,
pkg/registry/batch/job/strategy.go, pkg/apis/core/helper/qos/qos.go
"""

from __future__ import annotations

import re
from typing import Any, Callable

from k8slearn.api.quantity import parse_quantity


def apply_defaults(obj: dict) -> None:
    """Fill in ``obj``'s defaults in place (unknown kinds are left alone)."""
    fn = _BY_KIND.get(obj.get("kind", ""))
    if fn is not None:
        fn(obj)


def _spec(obj: dict) -> dict:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    return spec


def _default_string(obj: dict, key: str, value: str) -> None:
    """Set a plain (non-pointer) string field that is missing or empty: Go's defaulters test
    ``if obj.DNSPolicy == ""``, so ``dnsPolicy: ""`` in a manifest is defaulted like a missing one
    (a pointer field such as ``preemptionPolicy`` keeps an explicit ``""``; ``setdefault`` for those)."""
    if obj.get(key) in (None, ""):
        obj[key] = value


_REFERENCE = re.compile(
    r"(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?"
)


def image_pull_policy(image: str) -> str:
    """Always for ``:latest`` or no tag (and no digest), IfNotPresent otherwise or if unparseable."""
    if not _REFERENCE.fullmatch(image):
        return "IfNotPresent"
    name = image.split("@", 1)[0]
    if "@" in image and ":" not in name.rsplit("/", 1)[-1]:
        return "IfNotPresent"
    last = name.rsplit("/", 1)[-1]
    tag = last.rsplit(":", 1)[1] if ":" in last else "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def default_container(c: dict) -> None:
    """SetDefaults_Container plus the declarative defaults of its fields."""
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = image_pull_policy(c.get("image") or "")
    _default_string(c, "terminationMessagePath", "/dev/termination-log")
    _default_string(c, "terminationMessagePolicy", "File")
    resources = c.get("resources")
    if not isinstance(resources, dict):
        resources = c["resources"] = {}
    for key in ("limits", "requests"):
        if isinstance(resources.get(key), dict):
            resources[key] = canonical_quantities(resources[key])
    for port in c.get("ports") or []:
        if isinstance(port, dict):
            _default_string(port, "protocol", "TCP")
    for probe_name in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = c.get(probe_name)
        if isinstance(probe, dict):
            _default_probe(probe)
    for var in c.get("env") or []:
        if isinstance(var, dict) and isinstance(var.get("valueFrom"), dict):
            _default_selectors(var["valueFrom"])
    lifecycle = c.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in (lifecycle.get("postStart"), lifecycle.get("preStop")):
            if isinstance(hook, dict) and isinstance(hook.get("httpGet"), dict):
                _default_http_get(hook["httpGet"])


def _default_selectors(source: dict) -> None:
    """SetDefaults_ObjectFieldSelector (``apiVersion: v1``) and the zero ``divisor`` a
    ResourceFieldSelector is stored with (a Quantity is never omitted: ``divisor: "0"``)."""
    if isinstance(source.get("fieldRef"), dict) and not source["fieldRef"].get("apiVersion"):
        source["fieldRef"]["apiVersion"] = "v1"
    if isinstance(source.get("resourceFieldRef"), dict):
        source["resourceFieldRef"].setdefault("divisor", "0")


def _default_probe(probe: dict) -> None:
    """SetDefaults_Probe: a zero (or missing) timeout, period and thresholds take their defaults, so
    ``periodSeconds: 0`` probes every 10 s (it made the prober probe without end at one instant);
    then SetDefaults_HTTPGetAction for an httpGet handler and the declarative ``grpc.service: ""``."""
    for key, default in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1),
                         ("failureThreshold", 3)):
        if probe.get(key) in (None, 0):
            probe[key] = default
    if isinstance(probe.get("httpGet"), dict):
        _default_http_get(probe["httpGet"])
    grpc = probe.get("grpc")
    if isinstance(grpc, dict) and grpc.get("service") is None:
        grpc["service"] = ""  # GRPCAction.Service: +default="" (defaulter-gen), json without omitempty


def _default_http_get(http: dict) -> None:
    """SetDefaults_HTTPGetAction: an empty (or missing) path is ``/``, an empty scheme ``HTTP``."""
    if not http.get("path"):
        http["path"] = "/"
    if not http.get("scheme"):
        http["scheme"] = "HTTP"


_CANONICAL: dict[str, str] = {}  # quantity string -> its canonical form (a pure function, remembered)
_MAX_REMEMBERED = 4096


def canonical_quantities(resources: dict) -> dict:
    """Rewrite each parseable quantity in canonical form (``1024Mi`` -> ``1Gi``, ``0.5`` -> ``500m``)."""
    out = {}
    for name, value in resources.items():
        if value.__class__ is str and value in _CANONICAL:
            out[name] = _CANONICAL[value]
            continue
        try:
            out[name] = str(parse_quantity(value))
        except ValueError:
            out[name] = value
            continue
        if value.__class__ is str and len(_CANONICAL) < _MAX_REMEMBERED:
            _CANONICAL[value] = out[name]
    return out


def default_pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec (pod templates too) and the containers' and volumes' defaults."""
    _default_string(spec, "dnsPolicy", "ClusterFirst")
    _default_string(spec, "restartPolicy", "Always")
    if not isinstance(spec.get("securityContext"), dict):
        spec["securityContext"] = {}
    spec.setdefault("terminationGracePeriodSeconds", 30)
    _default_string(spec, "schedulerName", "default-scheduler")
    for key in ("containers", "initContainers", "ephemeralContainers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict):
                default_container(c)
    for vol in spec.get("volumes") or []:
        if isinstance(vol, dict):
            _default_volume(vol)
    if isinstance(spec.get("overhead"), dict):
        spec["overhead"] = canonical_quantities(spec["overhead"])


# The declarative ``+default=`` values of volume sources (k8s.io/api/core/v1/types.go).
VOLUME_SOURCE_DEFAULTS = {
    "azureDisk": {"cachingMode": "ReadWrite", "fsType": "ext4", "readOnly": False, "kind": "Shared"},
    "iscsi": {"iscsiInterface": "default"},
    "rbd": {"pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"},
    "scaleIO": {"storageMode": "ThinProvisioned", "fsType": "xfs"},
}


def _default_volume(vol: dict) -> None:
    """SetDefaults_Volume and its sources' defaults: no source is an emptyDir, file modes 0644
    (420), hostPath type "", a projected service account token lives one hour
    (SetDefaults_ServiceAccountTokenProjection: ``expirationSeconds: 3600``), the declarative
    defaults above, an ephemeral volume's claim is a file system (SetDefaults_PersistentVolumeClaimSpec,
    and its typed metadata shows ``creationTimestamp: null``), an emptyDir's size limit is a
    canonical quantity."""
    sources = [k for k in vol if k != "name"]
    if not sources:
        vol["emptyDir"] = {}
    for key, defaults in VOLUME_SOURCE_DEFAULTS.items():
        if isinstance(vol.get(key), dict):
            for name, value in defaults.items():
                vol[key].setdefault(name, value)
    ephemeral = vol.get("ephemeral")
    claim = ephemeral.get("volumeClaimTemplate") if isinstance(ephemeral, dict) else None
    if isinstance(claim, dict):
        _typed_template_metadata(claim)
        default_persistent_volume_claim_spec(claim.get("spec"))
    if isinstance(vol.get("emptyDir"), dict) and vol["emptyDir"].get("sizeLimit") is not None:
        vol["emptyDir"]["sizeLimit"] = canonical_quantities({"s": vol["emptyDir"]["sizeLimit"]})["s"]
    for key in ("secret", "configMap", "downwardAPI", "projected"):
        if isinstance(vol.get(key), dict):
            vol[key].setdefault("defaultMode", 420)
    if isinstance(vol.get("hostPath"), dict):
        vol["hostPath"].setdefault("type", "")
    projected = vol.get("projected")
    sources = projected.get("sources") if isinstance(projected, dict) else None
    for source in sources if isinstance(sources, list) else []:
        token = source.get("serviceAccountToken") if isinstance(source, dict) else None
        if isinstance(token, dict):
            token.setdefault("expirationSeconds", 3600)
    downward = [vol.get("downwardAPI")] + [s.get("downwardAPI") for s in
                                            (sources if isinstance(sources, list) else []) if isinstance(s, dict)]
    for source in downward:
        for item in (source.get("items") or []) if isinstance(source, dict) else []:
            if isinstance(item, dict):
                _default_selectors(item)


def default_pod(pod: dict) -> None:
    """SetDefaults_Pod, SetDefaults_PodSpec, and the ServiceAccount and Priority admission defaults."""
    spec = _spec(pod)
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            res = c.get("resources") if isinstance(c, dict) else None
            if isinstance(res, dict) and isinstance(res.get("limits"), dict):
                requests = res.setdefault("requests", {})
                for name, value in res["limits"].items():
                    requests.setdefault(name, value)
    spec.setdefault("enableServiceLinks", True)
    if spec.get("hostNetwork"):
        for key in ("containers", "initContainers"):
            for c in spec.get(key) or []:
                for port in c.get("ports") or []:
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort", 0)
    default_pod_spec(spec)
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec.get("serviceAccount") or "default"
    spec.setdefault("serviceAccount", spec["serviceAccountName"])
    if not spec.get("priorityClassName"):
        spec.setdefault("priority", 0)
        spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    status = pod.get("status")
    if isinstance(status, dict) and isinstance(status.get("conditions"), list):
        # A PodCondition's times are metav1.Time structs: a stored pod always has them, null when
        # unset (a patch that sent null for one, as the kubelet's does, reads back the same way).
        for condition in status["conditions"]:
            if isinstance(condition, dict):
                condition.setdefault("lastProbeTime", None)
                condition.setdefault("lastTransitionTime", None)


def default_persistent_volume_claim_spec(spec: Any) -> None:
    """SetDefaults_PersistentVolumeClaimSpec: a claim is a file system unless it asks for a block
    device; its storage quantities read back canonical (``1024Mi`` -> ``1Gi``), as a container's do."""
    if not isinstance(spec, dict):
        return
    if spec.get("volumeMode") is None:  # (a pointer: null is unset too)
        spec["volumeMode"] = "Filesystem"
    resources = spec.get("resources")
    for key in ("limits", "requests"):
        if isinstance(resources, dict) and isinstance(resources.get(key), dict):
            resources[key] = canonical_quantities(resources[key])


def _default_phase(obj: dict, phase: str) -> None:
    status = obj.get("status")
    if not isinstance(status, dict):
        status = obj["status"] = {}
    _default_string(status, "phase", phase)


def default_persistent_volume_claim(obj: dict) -> None:
    """SetDefaults_PersistentVolumeClaim (``status.phase: Pending``) and the spec's defaults."""
    default_persistent_volume_claim_spec(_spec(obj))
    _default_phase(obj, "Pending")


def default_persistent_volume(obj: dict) -> None:
    """SetDefaults_PersistentVolume: ``Pending``, reclaim policy ``Retain``, a file system; its
    capacity reads back canonical, and its source takes a pod volume's source defaults
    (a hostPath's ``type: ""``, an rbd's pool...)."""
    spec = _spec(obj)
    _default_phase(obj, "Pending")
    _default_string(spec, "persistentVolumeReclaimPolicy", "Retain")
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    if isinstance(spec.get("capacity"), dict):
        spec["capacity"] = canonical_quantities(spec["capacity"])
    for key, defaults in VOLUME_SOURCE_DEFAULTS.items():
        if isinstance(spec.get(key), dict):
            for name, value in defaults.items():
                spec[key].setdefault(name, value)
    if isinstance(spec.get("hostPath"), dict):
        spec["hostPath"].setdefault("type", "")


def default_storage_class(obj: dict) -> None:
    """SetDefaults_StorageClass (storage/v1): volumes it makes are deleted with their claim, and
    its claims bind at once."""
    if obj.get("reclaimPolicy") is None:
        obj["reclaimPolicy"] = "Delete"
    if obj.get("volumeBindingMode") is None:
        obj["volumeBindingMode"] = "Immediate"


def _default_volume_claim_template(claim: dict) -> None:
    """A StatefulSet's claim template, as apps/v1 stores and shows it: SetDefaults_PersistentVolumeClaim
    (``status.phase: Pending``) and SetDefaults_PersistentVolumeClaimSpec, ``apiVersion: v1`` and
    ``kind: PersistentVolumeClaim`` (Convert_apps_StatefulSetSpec_To_v1_StatefulSetSpec sets them),
    and the typed metadata's ``creationTimestamp: null``."""
    claim["apiVersion"] = "v1"
    claim["kind"] = "PersistentVolumeClaim"
    _typed_template_metadata(claim)
    default_persistent_volume_claim_spec(claim.get("spec"))
    status = claim.get("status")
    if not isinstance(status, dict):
        status = claim["status"] = {}
    _default_string(status, "phase", "Pending")


def _default_template(spec: dict) -> None:
    template = spec.get("template")
    if not isinstance(template, dict):
        template = spec["template"] = {}
    _typed_template_metadata(template)
    tspec = template.get("spec")
    if not isinstance(tspec, dict):
        tspec = template["spec"] = {}
    default_pod_spec(tspec)


def _typed_template_metadata(template: dict) -> None:
    """A template's ``metadata.creationTimestamp`` reads back as ``null``: the API server encodes
    typed objects, and Go writes the zero ``metav1.Time`` of a template's ObjectMeta as null (so
    ``kubectl get deployment -o yaml`` shows ``creationTimestamp: null`` under ``template``)."""
    meta = template.get("metadata")
    if not isinstance(meta, dict):
        meta = template["metadata"] = {}
    meta.setdefault("creationTimestamp", None)


def default_deployment(obj: dict) -> None:
    spec = _spec(obj)
    spec.setdefault("replicas", 1)
    strategy = spec.get("strategy")
    if not isinstance(strategy, dict):
        strategy = spec["strategy"] = {}
    _default_string(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            rolling = strategy["rollingUpdate"] = {}
        rolling.setdefault("maxUnavailable", "25%")
        rolling.setdefault("maxSurge", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    _default_template(spec)


def default_replica_set(obj: dict) -> None:
    spec = _spec(obj)
    spec.setdefault("replicas", 1)
    _default_template(spec)


def default_daemon_set(obj: dict) -> None:
    spec = _spec(obj)
    strategy = spec.get("updateStrategy")
    if not isinstance(strategy, dict):
        strategy = spec["updateStrategy"] = {}
    _default_string(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            rolling = strategy["rollingUpdate"] = {}
        rolling.setdefault("maxUnavailable", 1)
        rolling.setdefault("maxSurge", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    _default_template(spec)


def default_stateful_set(obj: dict) -> None:
    spec = _spec(obj)
    _default_string(spec, "podManagementPolicy", "OrderedReady")
    strategy = spec.get("updateStrategy")
    if not isinstance(strategy, dict):
        strategy = spec["updateStrategy"] = {}
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        strategy.setdefault("rollingUpdate", {})
    if strategy["type"] == "RollingUpdate" and isinstance(strategy.get("rollingUpdate"), dict):
        strategy["rollingUpdate"].setdefault("partition", 0)
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if not isinstance(retention, dict):
        retention = spec["persistentVolumeClaimRetentionPolicy"] = {}
    for key in ("whenDeleted", "whenScaled"):  # an explicit "" is defaulted too (SetDefaults_StatefulSet)
        if not retention.get(key):
            retention[key] = "Retain"
    spec.setdefault("replicas", 1)
    spec.setdefault("revisionHistoryLimit", 10)
    _default_template(spec)
    for claim in spec.get("volumeClaimTemplates") or []:
        if isinstance(claim, dict):
            _default_volume_claim_template(claim)


def default_job(obj: dict) -> None:
    spec = _spec(obj)
    if "completions" not in spec and "parallelism" not in spec:
        spec["completions"] = 1
    spec.setdefault("parallelism", 1)
    spec.setdefault("backoffLimit", 2147483647 if "backoffLimitPerIndex" in spec else 6)
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
    meta = obj.setdefault("metadata", {})
    if labels and not meta.get("labels"):
        meta["labels"] = dict(labels)
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    spec.setdefault("podReplacementPolicy",
                    "Failed" if spec.get("podFailurePolicy") else "TerminatingOrFailed")
    policy = spec.get("podFailurePolicy")
    for rule in (policy.get("rules") or []) if isinstance(policy, dict) else ():
        for pattern in (rule.get("onPodConditions") or []) if isinstance(rule, dict) else ():
            if isinstance(pattern, dict) and not pattern.get("status"):
                pattern["status"] = "True"  # an onPodConditions pattern matches a True condition
    _default_template(spec)


def default_cron_job(obj: dict) -> None:
    spec = _spec(obj)
    _default_string(spec, "concurrencyPolicy", "Allow")
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job_template = spec.get("jobTemplate")
    if isinstance(job_template, dict):
        _typed_template_metadata(job_template)
    job_spec = (job_template or {}).get("spec")
    if isinstance(job_spec, dict):
        _default_template(job_spec)


def default_service(obj: dict) -> None:
    spec = _spec(obj)
    _default_string(spec, "sessionAffinity", "None")
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        client_ip = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {})
        if client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    _default_string(spec, "type", "ClusterIP")
    for port in spec.get("ports") or []:
        if isinstance(port, dict):
            _default_string(port, "protocol", "TCP")
            if port.get("targetPort") in (None, 0, ""):
                port["targetPort"] = port.get("port", 0)
    if spec["type"] in ("NodePort", "LoadBalancer") and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec["type"] in ("ClusterIP", "NodePort", "LoadBalancer"):
        spec.setdefault("internalTrafficPolicy", "Cluster")
    if spec["type"] == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)


def default_namespace(obj: dict) -> None:
    """SetDefaults_Namespace (name label), NamespaceStatus, and the strategy's ``kubernetes`` finalizer."""
    meta = obj.setdefault("metadata", {})
    if meta.get("name"):
        labels = meta.get("labels")
        if not isinstance(labels, dict):
            labels = meta["labels"] = {}
        labels["kubernetes.io/metadata.name"] = meta["name"]
    spec = _spec(obj)
    finalizers = spec.get("finalizers")
    if not isinstance(finalizers, list):
        finalizers = spec["finalizers"] = []
    if "kubernetes" not in finalizers:
        finalizers.append("kubernetes")
    status = obj.get("status")
    if not isinstance(status, dict):
        status = obj["status"] = {}
    _default_string(status, "phase", "Active")


def default_node(obj: dict) -> None:
    status = obj.get("status")
    if isinstance(status, dict):
        for key in ("capacity", "allocatable"):
            if isinstance(status.get(key), dict):
                status[key] = canonical_quantities(status[key])
        if isinstance(status.get("capacity"), dict) and "allocatable" not in status:
            status["allocatable"] = dict(status["capacity"])


def default_secret(obj: dict) -> None:
    _default_string(obj, "type", "Opaque")


def default_priority_class(obj: dict) -> None:
    obj.setdefault("preemptionPolicy", "PreemptLowerPriority")


def default_endpoints(obj: dict) -> None:
    for subset in obj.get("subsets") or []:
        for port in subset.get("ports") or []:
            _default_string(port, "protocol", "TCP")


def default_endpoint_slice(obj: dict) -> None:
    for port in obj.get("ports") or []:
        port.setdefault("name", "")
        port.setdefault("protocol", "TCP")


_BY_KIND: dict[str, Callable[[dict], None]] = {
    "Pod": default_pod,
    "Deployment": default_deployment,
    "ReplicaSet": default_replica_set,
    "DaemonSet": default_daemon_set,
    "StatefulSet": default_stateful_set,
    "Job": default_job,
    "CronJob": default_cron_job,
    "Service": default_service,
    "Namespace": default_namespace,
    "Node": default_node,
    "Secret": default_secret,
    "PriorityClass": default_priority_class,
    "Endpoints": default_endpoints,
    "EndpointSlice": default_endpoint_slice,
    "PersistentVolumeClaim": default_persistent_volume_claim,
    "PersistentVolume": default_persistent_volume,
    "StorageClass": default_storage_class,
}


def generate_job_selector(job: dict) -> None:
    """The Job strategy's PrepareForCreate: label the template and select on the Job's uid.

    Needs ``metadata.uid`` and ``metadata.name``; skipped when ``spec.manualSelector`` is true.
    """
    spec = _spec(job)
    if spec.get("manualSelector"):
        return
    meta = job["metadata"]
    uid, name = meta.get("uid", ""), meta.get("name", "")
    template = spec.setdefault("template", {})
    tmeta = template.setdefault("metadata", {})
    labels = tmeta.get("labels")
    if not isinstance(labels, dict):
        labels = tmeta["labels"] = {}
    labels.setdefault("batch.kubernetes.io/controller-uid", uid)
    labels.setdefault("batch.kubernetes.io/job-name", name)
    labels.setdefault("controller-uid", uid)
    labels.setdefault("job-name", name)
    if spec.get("selector") is None:
        spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}


def pod_qos_class(pod: dict) -> str:
    """ComputePodQOS: Guaranteed, Burstable or BestEffort, from the summed cpu/memory requests and limits."""
    spec = pod.get("spec") or {}
    requests: dict = {}
    limits: dict = {}
    guaranteed = True
    for c in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
        res = c.get("resources") or {}
        for total, values in ((requests, res.get("requests")), (limits, res.get("limits"))):
            for name, value in (values or {}).items():
                q = parse_quantity(value)
                if name in ("cpu", "memory") and q.amount > 0:
                    total[name] = total.get(name, 0) + q.amount
        found = {n for n, v in (res.get("limits") or {}).items()
                 if n in ("cpu", "memory") and parse_quantity(v).amount > 0}
        if found != {"cpu", "memory"}:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(limits.get(n) == v for n, v in requests.items()) and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"
