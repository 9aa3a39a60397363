"""Which lists a strategic merge patch merges element by element, and by which key.

In k8s.io/api these are struct tags (``patchStrategy:"merge" patchMergeKey:"name"``); both the
API server (applying a patch) and kubectl (computing one for ``apply``) read the same tags, so
both read this one table.

>>> merge_key(("spec", "containers"), "Pod"), merge_key(("spec", "containers", "ports"), "Pod")
('name', 'containerPort')
>>> merge_key(("spec", "ports"), "Service"), merge_key(("spec", "tolerations"), "Pod") is None
('port', True)
>>> retain_keys(("spec", "strategy"), "Deployment"), retain_keys(("spec", "strategy"), "Job")
(True, False)

Upstream: staging/src/k8s.io/apimachinery/pkg/util/strategicpatch (PatchMeta), the patchMergeKey
and patchStrategy tags in staging/src/k8s.io/api/core/v1/types.go and apps/v1/types.go
"""

from __future__ import annotations

# Lists merged element by element, with their merge key.
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "conditions": "type",
    "podIPs": "ip",
    "hostIPs": "ip",
    "ownerReferences": "uid",
    "topologySpreadConstraints": "topologyKey",
    "schedulingGates": "name",
    "resourceClaims": "name",
}
# Lists of scalars with patchStrategy "merge": a patch adds to the set.
MERGE_PRIMITIVE_LISTS = ("finalizers", "podCIDRs")
# Fields whose patchStrategy includes "retainKeys" (a union: setting one member clears the others).
# A patch computed for them names the keys to keep in ``$retainKeys``: a Deployment's ``strategy``
# (``type: Recreate`` drops ``rollingUpdate``), and each element of a pod's ``volumes`` and
# ``resourceClaims`` (a volume changed from ``configMap`` to ``secret`` drops ``configMap``).
RETAIN_KEYS_LISTS = ("volumes", "resourceClaims")


def retain_keys(path: tuple, kind: str) -> bool:
    """Whether the map at ``path`` (for a list, each of its elements) has patchStrategy retainKeys."""
    name = path[-1]
    if name == "strategy":
        return kind == "Deployment" and path == ("spec", "strategy")
    return name in RETAIN_KEYS_LISTS


def merge_key(path: tuple, kind: str) -> str | None:
    """The merge key of the list at ``path`` (field names only), or None when the list is replaced."""
    name = path[-1]
    if name == "ports":
        if len(path) >= 2 and path[-2] in ("containers", "initContainers", "ephemeralContainers"):
            return "containerPort"
        return "port" if kind == "Service" and path == ("spec", "ports") else None
    if name == "addresses":
        return "type" if kind == "Node" and path == ("status", "addresses") else None
    return MERGE_KEYS.get(name)
