"""The resource table: every kind the simulated API server serves, and where etcd keeps it.

The API server, kubectl and the controllers all find a resource here, by whatever name a user
types: plural (``deployments``), singular, short name (``deploy``), kind (``Deployment``) or
``plural.group`` (``deployments.apps``).

>>> info = lookup("deploy")
>>> info.kind, info.api_version, info.group_resource
('Deployment', 'apps/v1', 'deployments.apps')
>>> info.key("default", "web")
'/registry/deployments/default/web'
>>> lookup("no").key(None, "node-1")
'/registry/minions/node-1'
>>> by_kind("v1", "Service").etcd_prefix
'/registry/services/specs'

One resource is also served by a second group, from the same storage: Events, which the
``events.k8s.io/v1`` API shows in its own shape (``note``, ``regarding``, ``deprecatedCount``...;
:mod:`k8slearn.api.conversion`). A plain name finds the core resource; ``events.events.k8s.io``
(or ``events.v1.events.k8s.io``) the other:

>>> lookup("ev").api_version, lookup("events.events.k8s.io").api_version
('v1', 'events.k8s.io/v1')
>>> lookup("events.events.k8s.io").key("default", "web.1"), lookup("events.events.k8s.io").request_name
('/registry/events/default/web.1', 'events.events.k8s.io')

One resource is not kept in etcd at all: ComponentStatus, which the API server works out when it
is asked (it probes kube-scheduler, kube-controller-manager and etcd:
:mod:`k8slearn.apiserver.componentstatus`):

>>> lookup("cs").kind, lookup("cs").namespaced, lookup("cs").computed
('ComponentStatus', False, True)

Simplifies: a fixed table (the discovery documents are made from it, :mod:`k8slearn.api.discovery`);
no CRDs, one version per group.

Upstream: staging/src/k8s.io/apimachinery/pkg/api/meta/restmapper.go (lookups, errors),
pkg/kubeapiserver/default_storage_factory_builder.go (etcd key layout)
"""

from __future__ import annotations

from dataclasses import dataclass

ETCD_ROOT = "/registry"


class UnknownResourceError(LookupError):
    """The name matches no resource; str() is kubectl's message."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f'the server doesn\'t have a resource type "{self.name}"'


class NoKindMatchError(LookupError):
    """No resource has this kind in this apiVersion; str() is the RESTMapper's message."""

    def __init__(self, kind: str, api_version: str) -> None:
        super().__init__(kind, api_version)
        self.kind = kind
        self.api_version = api_version

    def __str__(self) -> str:
        return f'no matches for kind "{self.kind}" in version "{self.api_version}"'


@dataclass(frozen=True)
class ResourceInfo:
    """One served resource: its names, its API group/version, its scope and its etcd prefix."""

    plural: str
    singular: str
    kind: str
    group: str
    version: str
    namespaced: bool
    short_names: tuple[str, ...]
    etcd_prefix: str
    storage_of: str = ""  # the resource whose objects this group serves too ("" for its own)

    @property
    def computed(self) -> bool:
        """Answered at request time, with no etcd storage (no etcd prefix): get and list only."""
        return not self.etcd_prefix

    @property
    def request_name(self) -> str:
        """What a client names in a request: the plural, or ``plural.group`` for a resource that
        another group serves from its storage (``events.events.k8s.io``), as its REST path tells."""
        return self.group_resource if self.storage_of else self.plural

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """schema.GroupResource.String(): ``pods``, ``deployments.apps``."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def group_kind(self) -> str:
        """schema.GroupKind.String(): ``Pod``, ``Deployment.apps``."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    def key(self, namespace: str | None, name: str) -> str:
        """The etcd key: ``<prefix>/<namespace>/<name>``, or ``<prefix>/<name>`` if cluster-scoped."""
        if self.namespaced:
            return f"{self.etcd_prefix}/{namespace}/{name}"
        return f"{self.etcd_prefix}/{name}"

    def list_prefix(self, namespace: str | None = None) -> str:
        """The etcd prefix to range over: all objects, or one namespace's (trailing '/')."""
        if self.namespaced and namespace:
            return f"{self.etcd_prefix}/{namespace}/"
        return f"{self.etcd_prefix}/"


def _r(plural, singular, kind, group, version, namespaced, short=(), prefix=None) -> ResourceInfo:
    return ResourceInfo(plural, singular, kind, group, version, namespaced, tuple(short),
                        f"{ETCD_ROOT}/{prefix or plural}")


RESOURCES: dict[str, ResourceInfo] = {
    r.plural: r
    for r in (
        _r("namespaces", "namespace", "Namespace", "", "v1", False, ("ns",)),
        _r("nodes", "node", "Node", "", "v1", False, ("no",), "minions"),
        _r("pods", "pod", "Pod", "", "v1", True, ("po",)),
        _r("services", "service", "Service", "", "v1", True, ("svc",), "services/specs"),
        _r("endpoints", "endpoints", "Endpoints", "", "v1", True, ("ep",), "services/endpoints"),
        _r("events", "event", "Event", "", "v1", True, ("ev",)),
        _r("configmaps", "configmap", "ConfigMap", "", "v1", True, ("cm",)),
        _r("serviceaccounts", "serviceaccount", "ServiceAccount", "", "v1", True, ("sa",)),
        _r("secrets", "secret", "Secret", "", "v1", True),
        _r("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", "", "v1", True, ("pvc",)),
        _r("persistentvolumes", "persistentvolume", "PersistentVolume", "", "v1", False, ("pv",)),
        _r("leases", "lease", "Lease", "coordination.k8s.io", "v1", True),
        _r("poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", "policy", "v1", True, ("pdb",)),
        _r("deployments", "deployment", "Deployment", "apps", "v1", True, ("deploy",)),
        _r("replicasets", "replicaset", "ReplicaSet", "apps", "v1", True, ("rs",)),
        _r("daemonsets", "daemonset", "DaemonSet", "apps", "v1", True, ("ds",)),
        _r("statefulsets", "statefulset", "StatefulSet", "apps", "v1", True, ("sts",)),
        _r("controllerrevisions", "controllerrevision", "ControllerRevision", "apps", "v1", True),
        _r("jobs", "job", "Job", "batch", "v1", True),
        _r("cronjobs", "cronjob", "CronJob", "batch", "v1", True, ("cj",)),
        _r("priorityclasses", "priorityclass", "PriorityClass", "scheduling.k8s.io", "v1", False, ("pc",)),
        _r("endpointslices", "endpointslice", "EndpointSlice", "discovery.k8s.io", "v1", True),
        _r("storageclasses", "storageclass", "StorageClass", "storage.k8s.io", "v1", False, ("sc",)),
    )
}

# Resources a second group serves from another's storage (pkg/registry/events/rest/storage_events.go
# builds events.k8s.io's "events" with the core event storage: the same objects, short name and TTL).
ALSO_SERVED: tuple[ResourceInfo, ...] = (
    ResourceInfo("events", "event", "Event", "events.k8s.io", "v1", True, ("ev",), f"{ETCD_ROOT}/events", "events"),
)

# Resources whose REST storage is not etcd: the API server computes each answer when asked
# (pkg/registry/core/rest/storage_core.go: componentstatuses, from componentstatus.NewStorage).
COMPUTED: tuple[ResourceInfo, ...] = (
    ResourceInfo("componentstatuses", "componentstatus", "ComponentStatus", "", "v1", False, ("cs",), ""),
)

_BY_NAME: dict[str, ResourceInfo] = {}
for _info in (*RESOURCES.values(), *COMPUTED):
    for _alias in (_info.plural, _info.singular, _info.kind.lower(), *_info.short_names):
        _BY_NAME.setdefault(_alias, _info)
_BY_KIND: dict[tuple[str, str], ResourceInfo] = {(i.api_version, i.kind): i
                                                  for i in (*RESOURCES.values(), *COMPUTED)}


def lookup(name: str) -> ResourceInfo:
    """Find a resource by plural, singular, short name, kind, ``name.group`` or ``name.version.group``
    (a name without a group is the core group's first, as kubectl's RESTMapper prefers it)."""
    lowered = name.lower()
    info = _BY_NAME.get(lowered)
    if info is not None:
        return info
    if "." in lowered:
        alias, _, rest = lowered.partition(".")
        for info in (_BY_NAME.get(alias), *ALSO_SERVED):
            if info is not None and info.group and rest in (info.group, f"{info.version}.{info.group}") \
                    and alias in (info.plural, info.singular, info.kind.lower(), *info.short_names):
                return info
    raise UnknownResourceError(name.partition(".")[0])  # the RESTMapper names the resource part only


def by_kind(api_version: str, kind: str) -> ResourceInfo:
    """The resource for a manifest's ``apiVersion`` and ``kind`` (both exact, as the server reads them)."""
    info = _BY_KIND.get((api_version, kind))
    if info is None:
        raise NoKindMatchError(kind, api_version)
    return info
