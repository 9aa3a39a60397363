"""A JSON patch applied by kubectl itself (``patch --local``, ``patch --dry-run=client``).

kubectl vendors the same evanphx/json-patch v4 as the API server (k8slearn.api.patch models it),
but where the API server hides the library's error behind its generic 422, kubectl prints it; and
``getPatchedJSON`` rewords the "doc is missing key" of a ``replace`` as "Object to be patched is
missing field":

>>> doc = {"spec": {"replicas": 1, "containers": [{"name": "web"}]}}
>>> patched_json(doc, [{"op": "remove", "path": "/spec/nope/x"}])
Traceback (most recent call last):
...
k8slearn.api.patch.JSONPatchError: remove operation does not apply: doc is missing path: "/spec/nope/x": missing value
>>> patched_json(doc, [{"op": "replace", "path": "/spec/containers/5", "value": 1}])
Traceback (most recent call last):
...
k8slearn.api.patch.JSONPatchError: Object to be patched is missing field (/spec/containers/5: missing value)
>>> patched_json(doc, [{"op": "replace", "path": "/spec/nope", "value": 1}])["spec"]["nope"]  # v4 adds it
1
>>> patched_json(doc, [{"op": "remove", "path": "/spec/containers/-1"}])["spec"]["containers"]
[]

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go (getPatchedJSON);
gopkg.in/evanphx/json-patch.v4 v4.12.0 patch.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.patch import JSONPatchError, apply_json_patch

_MISSING_KEY = "doc is missing key"


def patched_json(original: Any, operations: list) -> Any:
    """getPatchedJSON's JSON patch branch: Patch.Apply, with a "doc is missing key: <rest>" error
    reworded as "Object to be patched is missing field (<rest>)"."""
    try:
        return apply_json_patch(original, operations)
    except JSONPatchError as err:
        message = str(err)
        if _MISSING_KEY not in message:
            raise
        key = message[message.index("key:") + 5:]
        raise JSONPatchError(f"Object to be patched is missing field ({key})") from None
