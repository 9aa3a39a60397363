"""API discovery: what the API server says it serves, at ``/api``, ``/api/v1``, ``/apis`` and below.

kubectl learns the resources it can name from these documents (``kubectl api-resources`` prints
them; ``kubectl get --raw /api/v1`` shows the list itself). Each resource comes with the verbs
the server allows on it, its short names and categories (``kubectl get all`` is the ``all``
category), and the hash of its storage version; each subresource (``pods/log``,
``deployments/scale``) with its own verbs, and a group and version where its kind lives elsewhere
(a Scale is ``autoscaling/v1``):

>>> [r["name"] for r in resource_list("", "v1")["resources"]][:6]
['componentstatuses', 'configmaps', 'endpoints', 'events', 'namespaces', 'namespaces/finalize']
>>> resource_list("", "v1")["resources"][4]["verbs"]
['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']
>>> cs = resource_list("", "v1")["resources"][0]
>>> cs["name"], cs["verbs"], cs["shortNames"], "storageVersionHash" in cs
('componentstatuses', ['get', 'list'], ['cs'], False)
>>> storage_version_hash("", "v1", "Pod")
'xPOwRZ+Yhw8='

The verbs are those of Kubernetes v1.32: every resource here allows all eight but namespaces and
services, which have no ``deletecollection`` (the namespace controller and a Service's delete do
work per object; services gained it in a later release), and componentstatuses, which the API
server works out when asked: ``get`` and ``list`` only, and no storage version hash.

One group lists a resource whose storage is another's: ``events.k8s.io/v1`` serves the core
events (the same objects, short name and storage hash; :data:`k8slearn.api.resources.ALSO_SERVED`):

>>> [(r["name"], r["shortNames"], r["storageVersionHash"]) for r in resource_list("events.k8s.io", "v1")["resources"]]
[('events', ['ev'], 'r2yiGXH7wu8=')]

Simplified: only the resources and subresources the simulation serves are listed (no bindings,
limitranges, the proxy subresources...; ``pods/portforward`` is served, but only to refuse a request
that does not upgrade to a stream); no
aggregated discovery (kubectl's default Accept asks for the v2 document first and is answered with
the unaggregated ones, as an older server would).

Upstream: staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go (APIVersions, APIGroupList,
APIGroup, APIResourceList, APIResource), staging/src/k8s.io/apiserver/pkg/endpoints/installer.go
(the verbs each storage interface brings), staging/src/k8s.io/apiserver/pkg/endpoints/discovery
(StorageVersionHash), pkg/controlplane/apiserver/aggregator.go (the group order),
pkg/registry/events/rest/storage_events.go (events.k8s.io's events), api/discovery/*.json (the documents of a real server)
"""

from __future__ import annotations

import base64
import hashlib

from k8slearn.api.resources import ALSO_SERVED, COMPUTED, RESOURCES, ResourceInfo

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
# Resources whose storage lacks DeleteCollection in v1.32 (types.go: +genclient:skipVerbs=deleteCollection).
NO_DELETECOLLECTION = frozenset({"namespaces", "services"})
ALL_CATEGORY = frozenset({"pods", "services", "deployments", "replicasets", "daemonsets", "statefulsets",
                          "jobs", "cronjobs"})

_STATUS = ("get", "patch", "update")
# The subresources the simulation serves: name, verbs, and (group, version, kind) where the
# subresource's kind is not the resource's own.
SUBRESOURCES: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, str, str] | None], ...]] = {
    "pods": (("attach", ("create", "get"), ("", "", "PodAttachOptions")),
             ("binding", ("create",), ("", "", "Binding")),
             ("ephemeralcontainers", _STATUS, None),
             ("eviction", ("create",), ("policy", "v1", "Eviction")),
             ("exec", ("create", "get"), ("", "", "PodExecOptions")),
             ("log", ("get",), None),
             ("portforward", ("create", "get"), ("", "", "PodPortForwardOptions")),
             ("status", _STATUS, None)),
    "namespaces": (("finalize", ("update",), None), ("status", _STATUS, None)),
    "deployments": (("scale", _STATUS, ("autoscaling", "v1", "Scale")), ("status", _STATUS, None)),
    "replicasets": (("scale", _STATUS, ("autoscaling", "v1", "Scale")), ("status", _STATUS, None)),
    "statefulsets": (("scale", _STATUS, ("autoscaling", "v1", "Scale")), ("status", _STATUS, None)),
    **{plural: (("status", _STATUS, None),)
       for plural in ("nodes", "services", "daemonsets", "jobs", "cronjobs", "poddisruptionbudgets",
                      "persistentvolumeclaims", "persistentvolumes")},
}

# kube-aggregator's group priorities, highest first (the order of /apis); unlisted groups come after.
GROUP_ORDER = ("apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "autoscaling",
               "batch", "certificates.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
               "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io",
               "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io")


def served() -> list[ResourceInfo]:
    """Every resource the server lists in discovery: the table's, then those a second group serves
    from another's storage (``events`` of ``events.k8s.io``), then those computed when asked
    (``componentstatuses``)."""
    return [*RESOURCES.values(), *ALSO_SERVED, *COMPUTED]


def verbs(info: ResourceInfo) -> tuple[str, ...]:
    """The verbs the server allows on a resource, sorted as discovery lists them: a computed one
    has only a Getter and a Lister (componentstatus.REST)."""
    if info.computed:
        return ("get", "list")
    if info.plural in NO_DELETECOLLECTION:
        return tuple(v for v in ALL_VERBS if v != "deletecollection")
    return ALL_VERBS


def categories(info: ResourceInfo) -> tuple[str, ...]:
    """The resource's categories: ``all`` for the workloads and Services that ``kubectl get all`` lists."""
    return ("all",) if info.plural in ALL_CATEGORY else ()


def storage_version_hash(group: str, version: str, kind: str) -> str:
    """discovery.StorageVersionHash: the first 8 bytes of sha256("group/version/kind"), base64."""
    digest = hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def groups() -> list[str]:
    """The named groups served (the core group is apart, at /api), in the aggregator's order."""
    named = {info.group for info in served() if info.group}
    rank = {group: i for i, group in enumerate(GROUP_ORDER)}
    return sorted(named, key=lambda g: (rank.get(g, len(rank)), g))


def category_members(category: str) -> list[str]:
    """The resources of a category in discovery order (the core group, then the named groups in
    order, each sorted by name): what ``kubectl get all`` expands to."""
    order = ["", *groups()]
    members = [info for info in RESOURCES.values() if category in categories(info)]
    return [info.plural for info in sorted(members, key=lambda i: (order.index(i.group), i.plural))]


def _resource(info: ResourceInfo) -> dict:
    """One APIResource in its Go field order (name, singularName, namespaced, kind, verbs, ...)."""
    doc: dict = {"name": info.plural, "singularName": info.singular, "namespaced": info.namespaced,
                 "kind": info.kind, "verbs": list(verbs(info))}
    if info.short_names:
        doc["shortNames"] = list(info.short_names)
    if categories(info):
        doc["categories"] = list(categories(info))
    if info.computed:  # (no storage, no storage version: the REST is no StorageVersionProvider)
        return doc
    storage = RESOURCES[info.storage_of] if info.storage_of else info  # (the version etcd holds)
    doc["storageVersionHash"] = storage_version_hash(storage.group, storage.version, storage.kind)
    return doc


def _subresource(info: ResourceInfo, name: str, sub_verbs: tuple[str, ...],
                 elsewhere: tuple[str, str, str] | None) -> dict:
    doc: dict = {"name": f"{info.plural}/{name}", "singularName": "", "namespaced": info.namespaced}
    kind = info.kind
    if elsewhere is not None:
        group, version, kind = elsewhere
        if group:
            doc["group"], doc["version"] = group, version
    doc["kind"] = kind
    doc["verbs"] = list(sub_verbs)
    return doc


def resource_list(group: str, version: str) -> dict | None:
    """The APIResourceList of ``/api/v1`` or ``/apis/<group>/<version>``; None if not served.
    Resources and subresources are sorted by name, as the installer registers them."""
    infos = [info for info in served() if info.group == group and info.version == version]
    if not infos:
        return None
    entries = []
    for info in infos:
        entries.append(_resource(info))
        entries += [_subresource(info, *sub) for sub in SUBRESOURCES.get(info.plural, ())]
    entries.sort(key=lambda entry: entry["name"])
    doc: dict = {"kind": "APIResourceList"}
    if group:  # the legacy /api/v1 list has no apiVersion
        doc["apiVersion"] = "v1"
    doc.update({"groupVersion": f"{group}/{version}" if group else version, "resources": entries})
    return doc


def _group(group: str) -> dict:
    version = next(info.version for info in served() if info.group == group)
    entry = {"groupVersion": f"{group}/{version}", "version": version}
    return {"name": group, "versions": [entry], "preferredVersion": dict(entry)}


def api_versions(server_address: str) -> dict:
    """``/api``: the legacy group's versions and where clients reach the server."""
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]}


def group_list() -> dict:
    """``/apis``: every named group with its versions and preferred version."""
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group(group) for group in groups()]}


def api_group(group: str) -> dict | None:
    """``/apis/<group>``: one group; None if not served."""
    if group not in groups():
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(group)}
