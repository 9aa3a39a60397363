"""Admission plugins: checks and changes the API server applies to a request before it is stored.

After a request is decoded and defaulted, and before the registry validates and stores it, each
plugin of the admission chain sees it, in a fixed order, and may change the object (mutating) or
reject the request. The chain here is the part of kube-apiserver's default plugin list that the
simulated cluster needs, in upstream order:

1. ``NamespaceLifecycle``: no new objects in a namespace that does not exist (404) or is being
   terminated (403); the ``default``, ``kube-system`` and ``kube-public`` namespaces cannot be deleted.
2. ``ServiceAccount``: a pod without ``serviceAccountName`` runs as ``default``; an account it
   names must exist (403); unless the pod or its account says ``automountServiceAccountToken:
   false``, the pod gets the projected ``kube-api-access-xxxxx`` volume (a token, the cluster's CA
   certificate, its namespace) mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount
   in every container and init container.
3. ``TaintNodesByCondition``: a new Node is created with the ``node.kubernetes.io/not-ready:NoSchedule``
   taint, so nothing is scheduled there before its kubelet reports Ready (the node lifecycle
   controller removes the taint then).
4. ``Priority``: a pod's ``priorityClassName`` becomes ``spec.priority`` (from the PriorityClass).
5. ``DefaultTolerationSeconds``: every pod tolerates ``not-ready`` and ``unreachable`` nodes for 300 s,
   so its node may be unreachable for five minutes before the pod is evicted.
6. ``DefaultStorageClass`` and 7. ``StorageObjectInUseProtection``: a new claim gets the default
   StorageClass if it names none, and claims and volumes their protection finalizers
   (:mod:`k8slearn.apiserver.admission_storage`).

>>> pod = {"metadata": {"name": "web"}, "spec": {"containers": []}}
>>> default_toleration_seconds(Attributes("CREATE", "pods", "default", pod), Lister())
>>> [(t["key"], t["tolerationSeconds"]) for t in pod["spec"]["tolerations"]]
[('node.kubernetes.io/not-ready', 300), ('node.kubernetes.io/unreachable', 300)]

Simplified: no webhooks, no LimitRanger/ResourceQuota; the ``default`` account is taken to exist
(upstream retries its lookup for a few seconds while the service account controller creates it in
a new namespace); the token volume's five random characters come from a random stream of its own
(seeded from the cluster's seed), so that adding it moved no other random choice.

Upstream: plugin/pkg/admission/namespace/lifecycle/admission.go, serviceaccount/admission.go,
nodetaint/admission.go, priority/admission.go, defaulttolerationseconds/admission.go, pkg/kubeapiserver/options/plugins.go
"""

from __future__ import annotations

import random
from typing import Any, Callable

from k8slearn.api.errors import NAMESPACE_TERMINATING_CAUSE, forbidden, not_found
from k8slearn.api.meta import generate_name
from k8slearn.api.resources import lookup
from k8slearn.apiserver.admission_storage import default_storage_class, storage_object_in_use_protection

CREATE, UPDATE, DELETE = "CREATE", "UPDATE", "DELETE"



class Lister:
    """Read access to the API server's cache, as admission plugins use it (informer listers).

    This one serves a fixed set of objects (for tests); the API server passes its watch cache.
    """

    def __init__(self, objects: dict[str, list[dict]] | None = None, rng: random.Random | None = None) -> None:
        self.objects = objects or {}
        self.rng = rng or random.Random(0)  # the names plugins generate (the token volume's)

    def get(self, resource: str, namespace: str | None, name: str) -> dict | None:
        for obj in self.objects.get(resource, ()):
            meta = obj["metadata"]
            if meta.get("name") == name and meta.get("namespace") == namespace:
                return obj
        return None

    def list(self, resource: str) -> list[dict]:
        return list(self.objects.get(resource, ()))

    def generate_name(self, base: str) -> str:
        """names.SimpleNameGenerator.GenerateName, for the names a plugin makes (the token volume's)."""
        return generate_name(base, self.rng)

IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")
NAMESPACE_TERMINATING_MSG = "unable to create new content in namespace {} because it is being terminated"
NAMESPACE_UNDELETABLE_MSG = "this namespace may not be deleted"
NO_PRIORITY_CLASS_MSG = "no PriorityClass with name {} was found"
SERVICE_ACCOUNT_MISSING_MSG = 'error looking up service account {0}/{1}: serviceaccount "{1}" not found'
PRIORITY_MISMATCH_MSG = ("the integer value of priority ({}) must not be provided in pod spec; "
                         "priority admission controller computed {} from the given PriorityClass name")
PREEMPTION_POLICY_MISMATCH_MSG = ("the string value of PreemptionPolicy ({}) must not be provided in pod spec; "
                                  "priority admission controller computed {} from the given PriorityClass name")

# Built into every API server: its post-start hook creates them as objects (schedulingv1.SystemPriorityClasses).
SYSTEM_PRIORITY_CLASS_OBJECTS = {
    "system-node-critical": (2000001000, "Used for system critical pods that must not be moved from their current node."),
    "system-cluster-critical": (2000000000, "Used for system critical pods that must run in the cluster, but can be "
                                            "moved to another node if necessary."),
}
SYSTEM_PRIORITY_CLASSES = {name: value for name, (value, _) in SYSTEM_PRIORITY_CLASS_OBJECTS.items()}
DEFAULT_TOLERATION_SECONDS = 300
SERVICE_ACCOUNT_VOLUME_NAME = "kube-api-access"
DEFAULT_API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7  # a token's stated life: an hour and 7 s
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
NOT_READY_TAINT = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"


class Attributes:
    """What a plugin knows about a request (admission.Attributes)."""

    __slots__ = ("operation", "resource", "namespace", "obj", "old", "subresource", "name", "user_priority",
                 "user_preemption_policy")

    def __init__(self, operation: str, resource: str, namespace: str | None, obj: dict | None,
                 old: dict | None = None, subresource: str = "", name: str = "") -> None:
        self.operation = operation
        self.resource = resource
        self.namespace = namespace
        self.obj = obj
        self.old = old
        self.subresource = subresource
        meta = (obj or old or {}).get("metadata") or {}
        # Admission runs before name generation: errors name the generateName prefix.
        self.name = name or meta.get("name") or meta.get("generateName") or ""
        self.user_priority: Any = None  # spec.priority as the client sent it (before defaulting)
        self.user_preemption_policy: Any = None  # and spec.preemptionPolicy

    def forbid(self, message: str):
        return forbidden(lookup(self.resource), self.name, message)


def namespace_lifecycle(attrs: Attributes, lister: Lister) -> None:
    """NamespaceLifecycle: protect system namespaces; refuse content for missing or terminating ones."""
    if attrs.operation == DELETE:
        if attrs.resource == "namespaces" and attrs.name in IMMORTAL_NAMESPACES:
            raise attrs.forbid(NAMESPACE_UNDELETABLE_MSG)
        return
    if attrs.operation != CREATE or not attrs.namespace or attrs.resource == "namespaces":
        return
    ns = lister.get("namespaces", None, attrs.namespace)
    if ns is None:
        raise not_found(lookup("namespaces"), attrs.namespace)
    if (ns.get("status") or {}).get("phase") == "Terminating":
        err = attrs.forbid(NAMESPACE_TERMINATING_MSG.format(attrs.namespace))
        err.status["details"]["causes"] = [{"reason": NAMESPACE_TERMINATING_CAUSE,
                                            "message": f"namespace {attrs.namespace} is being terminated",
                                            "field": "metadata.namespace"}]
        raise err


def service_account(attrs: Attributes, lister: Lister) -> None:
    """ServiceAccount: pods run as ``default`` unless they name an account."""
    if attrs.resource != "pods" or attrs.subresource or attrs.operation != CREATE:
        return
    spec = attrs.obj.setdefault("spec", {})
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec.get("serviceAccount") or "default"
    spec["serviceAccount"] = spec["serviceAccountName"]  # the deprecated v1 field mirrors it
    name = spec["serviceAccountName"]
    # The account must exist. Upstream waits up to MaxRetry lookups for ``default``, which the
    # service account controller creates moments after the namespace; here it is taken to exist.
    account = lister.get("serviceaccounts", attrs.namespace, name)
    if name != "default" and account is None:
        raise attrs.forbid(SERVICE_ACCOUNT_MISSING_MSG.format(attrs.namespace, name))
    if should_automount(account, attrs.obj):
        mount_service_account_token(attrs.obj, lister)


def should_automount(account: dict | None, pod: dict) -> bool:
    """shouldAutomount: the pod's ``automountServiceAccountToken`` if set, else its account's, else true."""
    for field in (pod.get("spec") or {}, account or {}):
        if field.get("automountServiceAccountToken") is not None:
            return bool(field["automountServiceAccountToken"])
    return True


def token_volume_source() -> dict:
    """TokenVolumeSource: the projected volume of a pod's API credentials."""
    return {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}},
    ]}


def mount_service_account_token(pod: dict, lister: Lister) -> None:
    """mountServiceAccountToken: every init and regular container that mounts nothing at the token
    path gets the ``kube-api-access-...`` volume there, read-only; the volume is added once some
    container needs it (a pod that brings its own ``kube-api-access-`` volume keeps it). Mirror
    pods are left as the kubelet wrote them."""
    if MIRROR_POD_ANNOTATION in ((pod.get("metadata") or {}).get("annotations") or {}):
        return
    spec = pod["spec"]
    volumes = spec.get("volumes") or []
    volume_name = next((v.get("name") for v in volumes
                        if str(v.get("name", "")).startswith(SERVICE_ACCOUNT_VOLUME_NAME + "-")), None)
    has_token_volume = volume_name is not None
    if volume_name is None:
        volume_name = lister.generate_name(SERVICE_ACCOUNT_VOLUME_NAME + "-")
    needs_token_volume = False
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or ():
            mounts = container.get("volumeMounts")
            if mounts is None:
                mounts = container["volumeMounts"] = []
            if any(m.get("mountPath") == DEFAULT_API_TOKEN_MOUNT_PATH for m in mounts):
                continue
            mounts.append({"mountPath": DEFAULT_API_TOKEN_MOUNT_PATH, "name": volume_name, "readOnly": True})
            needs_token_volume = True
    if needs_token_volume and not has_token_volume:
        spec["volumes"] = [*volumes, {"name": volume_name, "projected": token_volume_source()}]


def priority_of(class_name: str, lister: Lister) -> tuple[int, str] | None:
    """(value, preemptionPolicy) of a PriorityClass, the built-in system classes included."""
    pc = lister.get("priorityclasses", None, class_name)
    if pc is not None:
        return pc.get("value", 0), pc.get("preemptionPolicy") or "PreemptLowerPriority"
    if class_name in SYSTEM_PRIORITY_CLASSES:
        return SYSTEM_PRIORITY_CLASSES[class_name], "PreemptLowerPriority"
    return None


def _default_priority_class(lister: Lister) -> dict | None:
    """getDefaultPriorityClass: the globalDefault class; of several (a race), the lowest value."""
    found = None
    for pc in lister.list("priorityclasses"):
        if pc.get("globalDefault") and (found is None or found.get("value", 0) > pc.get("value", 0)):
            found = pc
    return found


def _global_default(lister: Lister) -> tuple[str, int, str]:
    pc = _default_priority_class(lister)
    if pc is None:
        return "", 0, "PreemptLowerPriority"
    return pc["metadata"]["name"], pc.get("value", 0), pc.get("preemptionPolicy") or "PreemptLowerPriority"


def priority(attrs: Attributes, lister: Lister) -> None:
    """Priority: resolve ``priorityClassName`` to ``spec.priority`` and ``spec.preemptionPolicy``;
    for a PriorityClass, refuse a second ``globalDefault`` (validatePriorityClass)."""
    if attrs.resource == "priorityclasses" and attrs.operation == DELETE and attrs.name in SYSTEM_PRIORITY_CLASSES:
        # (upstream: the PriorityClass REST storage's Delete)
        raise attrs.forbid("this is a system priority class and cannot be deleted")
    if attrs.resource == "priorityclasses" and not attrs.subresource and attrs.operation in (CREATE, UPDATE):
        current = _default_priority_class(lister) if (attrs.obj or {}).get("globalDefault") is True else None
        if current is not None and (attrs.operation == CREATE or current["metadata"]["name"] != attrs.name):
            raise attrs.forbid(f"PriorityClass {current['metadata']['name']} is already marked as default. "
                               "Only one default can exist")
        return
    if attrs.resource != "pods" or attrs.subresource or attrs.operation not in (CREATE, UPDATE):
        return
    spec = attrs.obj.setdefault("spec", {})
    if attrs.operation == UPDATE:
        old_spec = (attrs.old or {}).get("spec") or {}
        for key in ("priority", "preemptionPolicy"):
            if spec.get(key) is None and old_spec.get(key) is not None:
                spec[key] = old_spec[key]
        return
    name = spec.get("priorityClassName") or ""
    if not name:
        name, value, policy = _global_default(lister)
        if name:
            spec["priorityClassName"] = name
    else:
        found = priority_of(name, lister)
        if found is None:
            raise attrs.forbid(NO_PRIORITY_CLASS_MSG.format(name))
        value, policy = found
    given = attrs.user_priority
    if given is not None and given != value:
        raise attrs.forbid(PRIORITY_MISMATCH_MSG.format(given, value))
    given = attrs.user_preemption_policy
    if given is not None and given != policy:
        raise attrs.forbid(PREEMPTION_POLICY_MISMATCH_MSG.format(given, policy))
    spec["priority"] = value
    spec["preemptionPolicy"] = policy


def _tolerates(tolerations: list, key: str) -> bool:
    return any((t.get("key", "") in (key, "")) and t.get("effect", "") in ("NoExecute", "")
               for t in tolerations if isinstance(t, dict))


def default_toleration_seconds(attrs: Attributes, lister: Lister) -> None:
    """DefaultTolerationSeconds: tolerate not-ready/unreachable nodes for 300 s unless already tolerated."""
    if attrs.resource != "pods" or attrs.subresource or attrs.operation not in (CREATE, UPDATE):
        return
    spec = attrs.obj.setdefault("spec", {})
    tolerations = spec.get("tolerations")
    if not isinstance(tolerations, list):
        tolerations = []
    added = [{"key": key, "operator": "Exists", "effect": "NoExecute",
              "tolerationSeconds": DEFAULT_TOLERATION_SECONDS}
             for key in (NOT_READY_TAINT, UNREACHABLE_TAINT) if not _tolerates(tolerations, key)]
    if added:
        spec["tolerations"] = tolerations + added


def taint_nodes_by_condition(attrs: Attributes, lister: Lister) -> None:
    """TaintNodesByCondition: a Node is created with the not-ready NoSchedule taint (once).

    >>> node = {"metadata": {"name": "node-4"}, "spec": {}}
    >>> taint_nodes_by_condition(Attributes("CREATE", "nodes", None, node), Lister())
    >>> node["spec"]["taints"]
    [{'key': 'node.kubernetes.io/not-ready', 'effect': 'NoSchedule'}]
    """
    if attrs.operation != CREATE or attrs.resource != "nodes" or attrs.subresource:
        return
    spec = attrs.obj.setdefault("spec", {})
    taints = spec.get("taints") or []
    if not any(t.get("key") == NOT_READY_TAINT and t.get("effect") == "NoSchedule" for t in taints):
        spec["taints"] = [*taints, {"key": NOT_READY_TAINT, "effect": "NoSchedule"}]


# The chain, in kube-apiserver's order (AllOrderedPlugins).
PLUGINS: list[tuple[str, Callable[[Attributes, Lister], None]]] = [
    ("NamespaceLifecycle", namespace_lifecycle),
    ("ServiceAccount", service_account),
    ("TaintNodesByCondition", taint_nodes_by_condition),
    ("Priority", priority),
    ("DefaultTolerationSeconds", default_toleration_seconds),
    ("DefaultStorageClass", default_storage_class),
    ("StorageObjectInUseProtection", storage_object_in_use_protection),
]


def admit(attrs: Attributes, lister: Lister) -> None:
    """Run every plugin in order; the first to refuse raises its ApiError."""
    for _, plugin in PLUGINS:
        plugin(attrs, lister)
