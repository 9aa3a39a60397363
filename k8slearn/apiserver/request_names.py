"""The object a PATCH produces must still be the object its URL names.

A patch can rewrite ``metadata.name`` or ``metadata.namespace`` like any other field, but the URL
(``PATCH /api/v1/namespaces/default/configmaps/c``) says which object is being changed: the
API server refuses a patched object that now names another one, rather than renaming or moving
it (Kubernetes objects are never renamed; a new name is a new object).

>>> meta = {"name": "other", "namespace": "default"}
>>> check_name(meta, "c", "default")
Traceback (most recent call last):
...
k8slearn.api.errors.ApiError: the name of the object (other) does not match the name on the URL (c)

Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go (checkName),
staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go (EnsureObjectNamespaceMatchesRequestNamespace),
both called by patch.go's patcher.applyPatch.
"""

from __future__ import annotations

from k8slearn.api.errors import bad_request

NAMESPACE_MISMATCH = "the namespace of the provided object does not match the namespace sent on the request"


def ensure_object_namespace_matches_request_namespace(request_namespace: str | None, meta: dict) -> None:
    """An object without a namespace takes the request's; a cluster-scoped request (``None``)
    clears it; any other namespace than the request's is a 400."""
    namespace = meta.get("namespace") or ""
    if namespace == (request_namespace or ""):
        return
    if not namespace:
        meta["namespace"] = request_namespace
    elif not request_namespace:
        meta.pop("namespace", None)
    else:
        raise bad_request(NAMESPACE_MISMATCH)


def check_name(meta: dict, name: str, namespace: str | None) -> None:
    """checkName: the object's name must be the URL's (400 otherwise), and so must its namespace
    when both have one."""
    object_name, object_namespace = meta.get("name") or "", meta.get("namespace") or ""
    if object_name != name:
        raise bad_request(f"the name of the object ({object_name}) does not match the name on the URL ({name})")
    if namespace and object_namespace and object_namespace != namespace:
        raise bad_request(f"the namespace of the object ({object_namespace}) does not match the namespace "
                          f"on the request ({namespace})")
