"""``kubectl patch --type=json --dry-run=client``: an operation that does not apply fails in the
words of evanphx/json-patch v4, as the real kubectl v1.32.5 printed them for the "cluster" world's
Deployment web (one container).

Upstream: github.com/evanphx/json-patch v4.12.0 patch.go;
staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go (getPatchedJSON)
"""

import json

import pytest

import kubectl_worlds
from kubectl_kit import kubectl_at

CONTAINERS = "/spec/template/spec/containers"

CASES = [
    ("add at an index past the end of a list",
     {"op": "add", "path": f"{CONTAINERS}/9", "value": 1},
     f"error in add for path: '{CONTAINERS}/9': Unable to access invalid index: 9: "
     "invalid index referenced"),
    ("add at a list position that is not a number",
     {"op": "add", "path": f"{CONTAINERS}/x", "value": 1},
     f"error in add for path: '{CONTAINERS}/x': value was not a proper array index: 'x': "
     'strconv.Atoi: parsing "x": invalid syntax'),
    ("remove an index past the end of a list",
     {"op": "remove", "path": f"{CONTAINERS}/9"},
     f"error in remove for path: '{CONTAINERS}/9': Unable to access invalid index: 9: "
     "invalid index referenced"),
    ("remove under a parent that is missing",
     {"op": "remove", "path": "/spec/nope/x"},
     'remove operation does not apply: doc is missing path: "/spec/nope/x": missing value'),
    ("remove a key that is missing",
     {"op": "remove", "path": "/spec/nope"},
     "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value"),
    ("replace under a parent that is missing names the path without quotes",
     {"op": "replace", "path": "/spec/nope/x", "value": 1},
     "replace operation does not apply: doc is missing path: /spec/nope/x: missing value"),
    ("replace an index past the end of a list is kubectl's missing field",
     {"op": "replace", "path": f"{CONTAINERS}/5", "value": 1},
     f"Object to be patched is missing field ({CONTAINERS}/5: missing value)"),
    ("move from under a parent that is missing",
     {"op": "move", "from": "/spec/nope/a", "path": "/spec/x"},
     "move operation does not apply: doc is missing from path: /spec/nope/a: missing value"),
    ("move from a key that is missing names the key",
     {"op": "move", "from": "/spec/nope", "path": "/spec/x"},
     "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value"),
    ("move to under a parent that is missing",
     {"op": "move", "from": "/spec/replicas", "path": "/spec/nope/x"},
     "move operation does not apply: doc is missing destination path: /spec/nope/x: missing value"),
    ("copy from under a parent that is missing",
     {"op": "copy", "from": "/spec/nope/a", "path": "/spec/x"},
     "copy operation does not apply: doc is missing from path: /spec/nope/a: missing value"),
    ("copy from an index past the end of a list",
     {"op": "copy", "from": f"{CONTAINERS}/9", "path": "/spec/x"},
     f"error in copy for from: '{CONTAINERS}/9': Unable to access invalid index: 9: "
     "invalid index referenced"),
    ("copy to under a parent that is missing",
     {"op": "copy", "from": "/spec/replicas", "path": "/spec/nope/x"},
     "copy operation does not apply: doc is missing destination path: /spec/nope/x: missing value"),
]


def run(operation):
    T = 1_764_000_000  # any whole second: the world is built around it
    k = kubectl_at(kubectl_worlds.WORLDS["cluster"](T), kubectl_worlds.ts(T, 0))
    patch = json.dumps([operation], separators=(",", ":"))
    return k.run(["patch", "deploy", "web", "--type=json", "-p", patch, "--dry-run=client", "-o", "name"])


@pytest.mark.parametrize("operation, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_operation_that_does_not_apply_fails_as_kubectl_says(operation, message):
    result = run(operation)
    assert (result.stdout, result.stderr, result.code) == ("", f"error: {message}\n", 1)


def test_replace_of_a_missing_key_adds_it():
    result = run({"op": "replace", "path": "/spec/nope", "value": 1})
    assert (result.stdout, result.stderr, result.code) == ("deployment.apps/web\n", "", 0)
