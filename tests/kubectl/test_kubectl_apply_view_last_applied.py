"""kubectl apply view-last-applied: the annotation kubectl apply keeps, as YAML or indented JSON."""

import pytest

from kubectl_kit import new_server
from k8slearn.kubectl.apply_last_applied import json_indent

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: x<y\n"
YAML = ("apiVersion: v1\ndata:\n  a: x<y\nkind: ConfigMap\nmetadata:\n  annotations: {}\n  name: cfg\n"
        "  namespace: default\n")
JSON = ('{\n  "apiVersion": "v1",\n  "data": {\n    "a": "x\\u003cy"\n  },\n  "kind": "ConfigMap",\n'
        '  "metadata": {\n    "annotations": {},\n    "name": "cfg",\n    "namespace": "default"\n  }\n}\n')


def applied():
    _, client, k = new_server()
    k.run("apply -f -", stdin=CONFIGMAP)
    k.run("create configmap plain")
    return k


@pytest.mark.parametrize("command, stdin, stdout, stderr, code", [
    ("apply view-last-applied configmap/cfg", None, YAML, "", 0),
    ("apply view-last-applied configmap cfg -o json", None, JSON, "", 0),
    ("apply view-last-applied -f -", CONFIGMAP, YAML, "", 0),
    ("apply view-last-applied configmap/plain", None, "", "", 0),
    ("apply view-last-applied -f -", CONFIGMAP.replace("name: cfg", "name: plain"), "",
     "error: error when no last-applied-configuration annotation found on resource: plain\n"
     ' "STDIN": <nil>\n', 1),
    ("apply view-last-applied configmap/cfg -o wide", None, "",
     "error: Unexpected -o output mode: wide, the flag 'output' must be one of yaml|json\n"
     "See 'kubectl apply view-last-applied -h' for help and examples\n", 1),
    ("apply view-last-applied configmap/nope", None, "",
     'Error from server (NotFound): configmaps "nope" not found\n', 1),
], ids=[
    "a resource named by type and name prints its last-applied configuration as YAML",
    "-o json prints the annotation indented as Go's json.Indent does",
    "a file's objects are read from the server",
    "an object named by type and name without the annotation prints nothing",
    "an object of a file without the annotation is kubectl's odd error",
    "an output other than yaml or json is a usage error",
    "a missing object is the server's NotFound",
])
def test_view_last_applied_prints_what_kubectl_prints(command, stdin, stdout, stderr, code):
    result = applied().run(command, stdin=stdin)
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)


@pytest.mark.parametrize("text, expected", [
    ('{"a":[],"b":{}}', '{\n  "a": [],\n  "b": {}\n}'),
    ('{"s":"q\\",{x}:"}\n', '{\n  "s": "q\\",{x}:"\n}\n'),
    ('[1,[2]]', '[\n  1,\n  [\n    2\n  ]\n]'),
], ids=["empty objects and arrays stay on one line", "strings are copied as they are, the end kept",
        "nested arrays indent by two spaces a level"])
def test_json_indent_is_gos(text, expected):
    assert json_indent(text) == expected
