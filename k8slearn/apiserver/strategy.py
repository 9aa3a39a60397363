"""Per-resource rules: what the API server resets, keeps or counts for each kind.

Each kind's registry has a *strategy* (``rest.RESTCreateStrategy`` and friends). It decides:

* on create, which fields a client may not set (a new Pod's ``status`` is always
  ``{phase: Pending, qosClass: ...}``; a new Deployment's ``metadata.generation`` is 1);
* on update of the main resource, which fields are ignored (``status``, for kinds that have a
  ``/status`` subresource) and whether ``metadata.generation`` goes up (when ``spec`` changed);
* on update of ``/status``, that only ``status`` is kept;
* on delete, whether the object is deleted *gracefully* (a Pod on a node gets a
  ``deletionTimestamp`` and stays until its kubelet has stopped it) and which garbage-collection
  policy applies when the client names none.

>>> s = strategy_for("deployments")
>>> d = {"metadata": {"name": "web"}, "spec": {"replicas": 1}, "status": {"replicas": 9}}
>>> s.prepare_for_create(d); d["metadata"]["generation"], d["status"]
(1, {})
>>> new = {"metadata": {"name": "web", "generation": 1}, "spec": {"replicas": 3}, "status": {"replicas": 7}}
>>> s.prepare_for_update(new, d); new["metadata"]["generation"], new["status"]
(2, {})
>>> strategy_for("pods").grace_period({"spec": {"nodeName": ""}}, None)  # unscheduled: delete now
0

Every kind that holds a pod spec also drops what a disabled feature gate hides (an image volume,
see ``pod_util``) from a new object, or from an update whose old object did not use it.

Simplified: only the fields the simulation uses are reset; no managedFields; of the feature
gates, only ImageVolume and MaxUnavailableStatefulSet.

Upstream: pkg/registry/core/pod/strategy.go, pkg/registry/apps/deployment/strategy.go (and the
other pkg/registry/*/*/strategy.go), staging/src/k8s.io/apiserver/pkg/registry/rest/create.go,
update.go, delete.go
"""

from __future__ import annotations

import copy

from k8slearn.api.defaults import generate_job_selector, pod_qos_class
from k8slearn.api.validation import apps as apps_validation
from k8slearn.apiserver.pod_util import drop_disabled_pod_fields, drop_disabled_template_fields

BACKGROUND, ORPHAN, UNSUPPORTED = "Background", "Orphan", "Unsupported"
SCHEDULING_GATED_MSG = "Scheduling is blocked due to non-empty scheduling gates"


class Strategy:
    """The default strategy: no status subresource, no generation, immediate deletion."""

    has_status = False  # a /status subresource exists, so the main resource ignores status
    tracks_generation = False  # metadata.generation starts at 1 and counts spec changes
    gc_policy = BACKGROUND  # what an unspecified propagationPolicy means (DefaultGarbageCollectionPolicy)
    initial_status: dict | None = None  # the status a new object always starts with (Go zero value)
    template_path: tuple[str, ...] = ()  # where a workload keeps its pod template, if it has one

    def pod_template(self, obj: dict | None) -> dict | None:
        """The object's pod template (``spec.template``...), or None if it has none."""
        for key in self.template_path:
            obj = obj.get(key) if isinstance(obj, dict) else None
        return obj if self.template_path and isinstance(obj, dict) else None

    def prepare_for_create(self, obj: dict) -> None:
        """Clear what a client may not set on create (PrepareForCreate)."""
        drop_disabled_template_fields(self.pod_template(obj), None)
        if self.has_status and self.initial_status is not None:
            obj["status"] = copy.deepcopy(self.initial_status)
        if self.tracks_generation:
            obj["metadata"]["generation"] = 1

    def spec_changed(self, new: dict, old: dict) -> bool:
        return new.get("spec") != old.get("spec")

    def prepare_for_update(self, new: dict, old: dict) -> None:
        """Keep what an update of the main resource may not change (PrepareForUpdate).

        ``new`` and ``old`` are the request's own decoded copies and are only read afterwards,
        so ``new`` takes the old status itself rather than a copy (as for the status update).
        """
        if self.has_status:
            if "status" in old:
                new["status"] = old["status"]
            else:
                new.pop("status", None)
        drop_disabled_template_fields(self.pod_template(new), self.pod_template(old))
        if self.tracks_generation and self.spec_changed(new, old):
            new["metadata"]["generation"] = old["metadata"].get("generation", 0) + 1

    def prepare_for_status_update(self, new: dict, old: dict, now: str = "") -> dict:
        """The /status subresource: the stored object with ``status`` (and annotations) from ``new``;
        ``now`` is the request's time, for kinds that stamp a status change (PersistentVolume).

        Upstream's status strategies copy the old spec (and labels) onto the new object, so
        annotations written through /status stick, e.g. ``deployment.kubernetes.io/revision``.
        The result has its own top level and metadata and shares the rest with ``new`` (status,
        annotations) and ``old`` (spec...): both are the request's own decoded copies, only read
        after this, so nothing needs copying.
        """
        result = dict(old)
        result["metadata"] = meta = dict(old["metadata"])
        if "status" in new:
            result["status"] = new["status"]
        else:
            result.pop("status", None)
        annotations = (new.get("metadata") or {}).get("annotations")
        if annotations is not None:
            meta["annotations"] = annotations
            if not annotations:
                del meta["annotations"]
        meta["resourceVersion"] = new["metadata"].get("resourceVersion", "")
        if new["metadata"].get("uid"):  # (ResetObjectMetaForStatus keeps it: validation refuses a change)
            meta["uid"] = new["metadata"]["uid"]
        return result

    def grace_period(self, obj: dict, requested: int | None) -> int | None:
        """The grace period of a graceful delete, or None if this kind is deleted at once."""
        return None


class PodStrategy(Strategy):
    """Pods: status starts Pending; bound pods are deleted gracefully."""

    has_status = True

    def prepare_for_create(self, obj: dict) -> None:
        drop_disabled_pod_fields(obj, None)
        spec = obj.get("spec") or {}
        status = {"phase": "Pending", "qosClass": pod_qos_class(obj)}
        if spec.get("schedulingGates"):
            status["conditions"] = [{"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                                     "lastTransitionTime": None, "reason": "SchedulingGated",
                                     "message": SCHEDULING_GATED_MSG}]
        obj["status"] = status

    def prepare_for_update(self, new: dict, old: dict) -> None:
        super().prepare_for_update(new, old)
        drop_disabled_pod_fields(new, old)

    def prepare_for_status_update(self, new: dict, old: dict, now: str = "") -> dict:
        result = super().prepare_for_status_update(new, old)
        if not (result.get("status") or {}).get("qosClass") and (old.get("status") or {}).get("qosClass"):
            status = result.setdefault("status", {})
            if status.__class__ is dict:  # a new dict: the request's status is left as it came
                result["status"] = status = dict(status)
            status["qosClass"] = old["status"]["qosClass"]
        return result

    def grace_period(self, obj: dict, requested: int | None) -> int | None:
        """CheckGracefulDelete: the requested period, else the pod's; 0 if unscheduled or finished."""
        spec, status = obj.get("spec") or {}, obj.get("status") or {}
        if requested is not None:
            period = requested
        else:
            period = spec.get("terminationGracePeriodSeconds") or 0
        if not spec.get("nodeName"):
            period = 0
        if status.get("phase") in ("Failed", "Succeeded"):
            period = 0
        return 1 if period < 0 else period


class NodeStrategy(Strategy):
    """Nodes register with their status (the kubelet sends it); later, status goes through /status."""

    has_status = True


class NamespaceStrategy(Strategy):
    """Namespaces start Active with the ``kubernetes`` finalizer; only /finalize changes spec.finalizers."""

    has_status = True

    def prepare_for_create(self, obj: dict) -> None:
        obj["status"] = {"phase": "Active"}
        spec = obj.setdefault("spec", {})
        finalizers = spec.get("finalizers") or []
        if "kubernetes" not in finalizers:
            spec["finalizers"] = list(finalizers) + ["kubernetes"]

    def prepare_for_update(self, new: dict, old: dict) -> None:
        super().prepare_for_update(new, old)
        old_finalizers = (old.get("spec") or {}).get("finalizers")
        if old_finalizers is None:
            (new.get("spec") or {}).pop("finalizers", None)
        else:
            new.setdefault("spec", {})["finalizers"] = list(old_finalizers)


class ServiceStrategy(Strategy):
    has_status = True
    initial_status = {"loadBalancer": {}}

    def prepare_for_update(self, new: dict, old: dict) -> None:
        super().prepare_for_update(new, old)
        drop_type_dependent_fields(new, old)


def _needs_node_ports(spec: dict) -> bool:
    kind = spec.get("type") or "ClusterIP"
    if kind == "LoadBalancer":
        return spec.get("allocateLoadBalancerNodePorts") is not False
    return kind == "NodePort"


def _externally_accessible(spec: dict) -> bool:
    kind = spec.get("type") or "ClusterIP"
    return kind in ("NodePort", "LoadBalancer") or (kind == "ClusterIP" and bool(spec.get("externalIPs")))


def drop_type_dependent_fields(new: dict, old: dict) -> None:
    """When a Service changes type, clear what the old type allocated and the client left unchanged."""
    spec, old_spec = new.setdefault("spec", {}), old.get("spec") or {}
    if (old_spec.get("type") or "ClusterIP") != "ExternalName" and spec.get("type") == "ExternalName":
        for key in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
            if spec.get(key) == old_spec.get(key):
                spec.pop(key, None)
    old_ports = [p.get("nodePort") for p in old_spec.get("ports") or []]
    new_ports = [p.get("nodePort") for p in spec.get("ports") or []]
    if _needs_node_ports(old_spec) and not _needs_node_ports(spec) and old_ports == new_ports:
        for port in spec.get("ports") or []:
            port.pop("nodePort", None)
    if old_spec.get("type") == "LoadBalancer" and spec.get("type") != "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") == old_spec.get("allocateLoadBalancerNodePorts"):
            spec.pop("allocateLoadBalancerNodePorts", None)
    if _externally_accessible(old_spec) and not _externally_accessible(spec):
        if spec.get("externalTrafficPolicy") == old_spec.get("externalTrafficPolicy"):
            spec.pop("externalTrafficPolicy", None)
    if spec.get("type") != "LoadBalancer":
        new["status"] = {"loadBalancer": {}}


class DeploymentStrategy(Strategy):
    has_status = True
    tracks_generation = True
    template_path = ("spec", "template")
    initial_status: dict = {}

    def spec_changed(self, new: dict, old: dict) -> bool:
        # Annotations bump the generation too: the controller copies them to the ReplicaSets.
        return new.get("spec") != old.get("spec") or (
            new["metadata"].get("annotations") or {}) != (old["metadata"].get("annotations") or {})


class ReplicaSetStrategy(Strategy):
    has_status = True
    tracks_generation = True
    template_path = ("spec", "template")
    initial_status = {"replicas": 0}


class DaemonSetStrategy(Strategy):
    """spec.templateGeneration, which apps/v1 shows as the ``deprecated.daemonset.template.generation``
    annotation: 1 on create (or the client's, if higher), one more at each change of the template,
    and no client can set it otherwise (the DaemonSet controller labels its pods with it)."""

    has_status = True
    tracks_generation = True
    template_path = ("spec", "template")
    initial_status = {"currentNumberScheduled": 0, "numberMisscheduled": 0,
                      "desiredNumberScheduled": 0, "numberReady": 0}

    def prepare_for_create(self, obj: dict) -> None:
        super().prepare_for_create(obj)
        _set_template_generation(obj, max(_template_generation(obj), 1))

    def prepare_for_update(self, new: dict, old: dict) -> None:
        super().prepare_for_update(new, old)
        changed = (new.get("spec") or {}).get("template") != (old.get("spec") or {}).get("template")
        _set_template_generation(new, _template_generation(old) + (1 if changed else 0))

    def prepare_for_status_update(self, new: dict, old: dict, now: str = "") -> dict:
        result = super().prepare_for_status_update(new, old)
        _set_template_generation(result, _template_generation(old))
        return result


TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


def _template_generation(ds: dict) -> int:
    """spec.templateGeneration as the conversion reads it (decoding already refused a bad value)."""
    value = (ds["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION)
    return int(value) if isinstance(value, str) else 0


def _set_template_generation(ds: dict, generation: int) -> None:
    """Convert_apps_DaemonSet_To_v1_DaemonSet: the annotation always carries spec.templateGeneration."""
    meta = ds["metadata"] = dict(ds["metadata"])
    annotations = dict(meta.get("annotations") or {})
    annotations[TEMPLATE_GENERATION] = str(generation)
    meta["annotations"] = dict(sorted(annotations.items()))


class StatefulSetStrategy(Strategy):
    """PrepareForCreate and PrepareForUpdate also drop ``spec.updateStrategy.rollingUpdate.maxUnavailable``
    (dropStatefulSetDisabledFields): its feature gate, MaxUnavailableStatefulSet, is alpha and off in
    v1.32, so the field is dropped unless the stored StatefulSet already has one."""

    has_status = True
    tracks_generation = True
    template_path = ("spec", "template")
    initial_status = {"replicas": 0, "availableReplicas": 0}

    def prepare_for_create(self, obj: dict) -> None:
        super().prepare_for_create(obj)
        _drop_max_unavailable(obj, None)

    def prepare_for_update(self, new: dict, old: dict) -> None:
        _drop_max_unavailable(new, old)  # (before the spec is compared for the generation)
        super().prepare_for_update(new, old)


def _rolling_update(sts: dict | None) -> dict | None:
    rolling = (((sts or {}).get("spec") or {}).get("updateStrategy") or {}).get("rollingUpdate")
    return rolling if isinstance(rolling, dict) else None


def _drop_max_unavailable(new: dict, old: dict | None) -> None:
    """dropStatefulSetDisabledFields: without the gate, a maxUnavailable is dropped unless the old
    StatefulSet used one (maxUnavailableInUse)."""
    if apps_validation.MAX_UNAVAILABLE_STATEFUL_SET or "maxUnavailable" in (_rolling_update(old) or {}):
        return
    rolling = _rolling_update(new)
    if rolling is not None:
        rolling.pop("maxUnavailable", None)


class JobStrategy(Strategy):
    """Jobs select their pods by the Job's uid; batch/v1 orphans pods by default (kept for compatibility)."""

    has_status = True
    tracks_generation = True
    template_path = ("spec", "template")
    initial_status: dict = {}
    gc_policy = ORPHAN

    def prepare_for_create(self, obj: dict) -> None:
        super().prepare_for_create(obj)
        generate_job_selector(obj)
        # SetDefaults_Job runs again each time the Job is read back from etcd: a Job stored without
        # labels reads back with its template's, which now include the selector's (job-name, ...).
        meta = obj["metadata"]
        labels = ((obj.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels")
        if labels and not meta.get("labels"):
            meta["labels"] = dict(labels)


class CronJobStrategy(Strategy):
    has_status = True
    tracks_generation = True
    template_path = ("spec", "jobTemplate", "spec", "template")
    initial_status: dict = {}


class PodDisruptionBudgetStrategy(Strategy):
    """A new budget starts with zero counts; the disruption controller fills them in."""

    has_status = True
    tracks_generation = True
    initial_status = {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}


class GenerationStrategy(Strategy):
    """Kinds without status whose metadata.generation still counts spec changes (EndpointSlice)."""

    tracks_generation = True

    def spec_changed(self, new: dict, old: dict) -> bool:
        body = ("endpoints", "ports", "addressType")
        return any(new.get(k) != old.get(k) for k in body)


class PriorityClassStrategy(Strategy):
    """PriorityClasses start at ``metadata.generation`` 1 (PrepareForCreate) and keep it: their
    value and preemption policy are immutable, and an update does not count."""

    tracks_generation = True

    def spec_changed(self, new: dict, old: dict) -> bool:
        return False


class PersistentVolumeClaimStrategy(Strategy):
    """A new claim is Pending (PrepareForCreate clears the status; SetDefaults_PersistentVolumeClaim
    reads it back ``Pending``); the PV controller writes the rest through /status."""

    has_status = True
    initial_status = {"phase": "Pending"}


class PersistentVolumeStrategy(Strategy):
    """A new volume is Pending since its creation (PrepareForCreate: the PersistentVolumeLastPhaseTransitionTime
    gate, GA in v1.31, stamps ``lastPhaseTransitionTime``); the status strategy stamps it again at each
    change of phase the client did not stamp itself.

    >>> pv = {"metadata": {"name": "pv0", "creationTimestamp": "2026-01-05T09:00:00Z"}, "spec": {}}
    >>> PersistentVolumeStrategy().prepare_for_create(pv); pv["status"]
    {'phase': 'Pending', 'lastPhaseTransitionTime': '2026-01-05T09:00:00Z'}
    """

    has_status = True

    def prepare_for_create(self, obj: dict) -> None:
        super().prepare_for_create(obj)
        obj["status"] = {"phase": "Pending", "lastPhaseTransitionTime": obj["metadata"].get("creationTimestamp")}

    def prepare_for_status_update(self, new: dict, old: dict, now: str = "") -> dict:
        """persistentvolumeStatusStrategy.PrepareForUpdate: the old spec, and the phase's transition time."""
        result = super().prepare_for_status_update(new, old)
        status, old_status = result.get("status") or {}, old.get("status") or {}
        stamped = status.get("lastPhaseTransitionTime")
        if status.get("phase") == old_status.get("phase") and stamped is None:
            stamp = old_status.get("lastPhaseTransitionTime")
        elif status.get("phase") != old_status.get("phase") and now and (
                stamped is None or stamped == old_status.get("lastPhaseTransitionTime")):
            stamp = now
        else:
            return result
        result["status"] = status = dict(status)
        if stamp is None:
            status.pop("lastPhaseTransitionTime", None)
        else:
            status["lastPhaseTransitionTime"] = stamp
        return result


def ephemeral_containers_update(new: dict, old: dict) -> dict:
    """The pods/ephemeralcontainers subresource (podEphemeralContainersStrategy): the stored pod with
    only ``spec.ephemeralContainers`` taken from ``new`` (and its resourceVersion, the precondition).

    >>> old = {"metadata": {"name": "web"}, "spec": {"containers": [{"name": "app"}]}, "status": {"phase": "Running"}}
    >>> new = {"metadata": {"name": "web", "resourceVersion": "7"}, "spec": {"containers": [],
    ...        "ephemeralContainers": [{"name": "debugger"}]}}
    >>> ephemeral_containers_update(new, old)["spec"]
    {'containers': [{'name': 'app'}], 'ephemeralContainers': [{'name': 'debugger'}]}
    """
    result = dict(old)
    result["metadata"] = meta = dict(old["metadata"])
    meta["resourceVersion"] = (new.get("metadata") or {}).get("resourceVersion", "")
    result["spec"] = spec = dict(old.get("spec") or {})
    ephemeral = (new.get("spec") or {}).get("ephemeralContainers")
    if ephemeral:
        spec["ephemeralContainers"] = ephemeral
    else:
        spec.pop("ephemeralContainers", None)
    return result


class SecretStrategy(Strategy):
    """Secrets: ``stringData`` is write-only. The v1 -> internal conversion folds each of its values
    into ``data`` (base64, over a ``data`` value of the same key), and the stored Secret has no
    ``stringData`` (Convert_v1_Secret_To_core_Secret).

    >>> s = {"metadata": {"name": "db"}, "data": {"user": "YQ=="}, "stringData": {"password": "hunter2"}}
    >>> SecretStrategy().prepare_for_create(s); s
    {'metadata': {'name': 'db'}, 'data': {'user': 'YQ==', 'password': 'aHVudGVyMg=='}}

    ``data`` is decoded to bytes and encoded again when stored, so base64 written over several lines
    (a YAML block) comes back on one:

    >>> s = {"metadata": {"name": "db"}, "data": {"user": "YWJj\\nZA==\\n"}}
    >>> SecretStrategy().prepare_for_create(s); s["data"]
    {'user': 'YWJjZA=='}
    """

    @staticmethod
    def fold_string_data(obj: dict) -> None:
        import base64

        from k8slearn.api.go_base64 import decode_std

        data = obj.get("data")
        multi_line = isinstance(data, dict) and any(isinstance(v, str) and ("\n" in v or "\r" in v)
                                                    for v in data.values())
        if multi_line:
            obj["data"] = data = {k: base64.b64encode(decode_std(v)).decode() if isinstance(v, str) else v
                                  for k, v in data.items()}
        string_data = obj.pop("stringData", None)
        if string_data:
            data = obj["data"] = dict(obj.get("data") or {})
            for key, value in string_data.items():
                data[key] = base64.b64encode(str(value).encode()).decode()

    def prepare_for_create(self, obj: dict) -> None:
        self.fold_string_data(obj)
        super().prepare_for_create(obj)

    def prepare_for_update(self, new: dict, old: dict) -> None:
        self.fold_string_data(new)
        super().prepare_for_update(new, old)


class EventStrategy(Strategy):
    """Events: the v1 type's fields without omitempty come back from the server even when a client
    left them out (an aggregated event has no reporting component): ``eventTime: null``,
    ``reportingComponent: ""``, ``reportingInstance: ""``."""

    gc_policy = UNSUPPORTED

    def prepare_for_create(self, obj: dict) -> None:
        super().prepare_for_create(obj)
        obj.setdefault("eventTime", None)
        obj.setdefault("reportingComponent", "")
        obj.setdefault("reportingInstance", "")


STRATEGIES: dict[str, Strategy] = {
    "pods": PodStrategy(),
    "nodes": NodeStrategy(),
    "namespaces": NamespaceStrategy(),
    "services": ServiceStrategy(),
    "deployments": DeploymentStrategy(),
    "replicasets": ReplicaSetStrategy(),
    "daemonsets": DaemonSetStrategy(),
    "statefulsets": StatefulSetStrategy(),
    "jobs": JobStrategy(),
    "cronjobs": CronJobStrategy(),
    "endpointslices": GenerationStrategy(),
    "priorityclasses": PriorityClassStrategy(),
    "poddisruptionbudgets": PodDisruptionBudgetStrategy(),
    "events": EventStrategy(),
    "secrets": SecretStrategy(),
    "persistentvolumeclaims": PersistentVolumeClaimStrategy(),
    "persistentvolumes": PersistentVolumeStrategy(),
}
_DEFAULT = Strategy()


def strategy_for(resource: str) -> Strategy:
    """The strategy of a resource (plural name); the default one for plain kinds (ConfigMap...)."""
    return STRATEGIES.get(resource, _DEFAULT)
