'''Cases for YAML to JSON: the JSON object kubectl sends to the API server for a manifest.

People write manifests in YAML; kubectl converts each document to JSON before it talks to the
API server, which only speaks JSON (and protobuf). The conversion is mechanical, but YAML
decides the JSON *type* of every value by how it is written: ``replicas: 3`` is the number 3,
``value: "8080"`` is a string, ``true`` is a boolean, ``null`` is null, ``|`` keeps line breaks
and ``>`` folds them into spaces.

>>> YAML_TO_JSON["a literal block keeps every line break of a config file"].expected["data"]
{'default.conf': 'server {\\n  listen 80;\\n}\\n'}

A student's function may return the dict or a JSON string; a string is parsed before it is
compared (``json.dumps(yaml.safe_load(text))`` is a fine answer).

Simplified: one document per case, and the object as sent, before the API server adds its
defaults, ``metadata.uid``, ``resourceVersion`` and ``status``.

Upstream: sigs.k8s.io/yaml (YAMLToJSON), used by staging/src/k8s.io/kubectl/pkg/cmd/apply
'''

from __future__ import annotations

import json
from typing import Any, Callable

from k8slearn.course.cases.table import Case, CaseTable


def call_and_parse(fn: Callable, case: Case) -> Any:
    """Call ``fn(text)``; if it returned a JSON string, parse it (other text is shown as it is)."""
    got = fn(*case.args)
    if isinstance(got, (str, bytes)):
        try:
            return json.loads(got)
        except ValueError:
            return got  # not JSON (the YAML itself?): the comparison shows what came back
    return got


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: app
        image: example/shop:2.0
        env:
        - name: PORT
          value: "8080"
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: nginx-conf
data:
  default.conf: |
    server {
      listen 80;
    }
"""

FOLDED = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes
  annotations:
    description: >-
      Serves the shop front
      for the demo.
"""

TYPES = """\
apiVersion: v1
kind: Pod
metadata:
  name: tools
  labels:
    version: "1.10"
spec:
  hostNetwork: true
  nodeName: null
  containers:
  - name: shell
    image: busybox:1.36
    args: ["sleep", "3600"]
"""

YAML_TO_JSON = CaseTable(
    name="yaml_to_json",
    signature="yaml_to_json(text: str) -> dict",
    description="The JSON object kubectl sends to the API server for a one-document YAML manifest.",
    call=call_and_parse,
    cases=[
        Case(
            "a Pod manifest becomes nested JSON objects with a list of containers",
            (POD,),
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "web", "labels": {"app": "web"}},
                "spec": {
                    "containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]
                },
            },
        ),
        Case(
            "an unquoted number stays a number while a quoted one stays a string",
            (DEPLOYMENT,),
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "shop"},
                "spec": {
                    "replicas": 3,
                    "template": {
                        "spec": {
                            "containers": [
                                {
                                    "name": "app",
                                    "image": "example/shop:2.0",
                                    "env": [{"name": "PORT", "value": "8080"}],
                                }
                            ]
                        }
                    },
                },
            },
        ),
        Case(
            "a literal block keeps every line break of a config file",
            (CONFIGMAP,),
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "nginx-conf"},
                "data": {"default.conf": "server {\n  listen 80;\n}\n"},
            },
        ),
        Case(
            "a folded block joins its lines with spaces and drops the last newline",
            (FOLDED,),
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {
                    "name": "notes",
                    "annotations": {"description": "Serves the shop front for the demo."},
                },
            },
        ),
        Case(
            "quoted numbers (\"1.10\", \"3600\") stay strings; true and null are JSON literals",
            (TYPES,),
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "tools", "labels": {"version": "1.10"}},
                "spec": {
                    "hostNetwork": True,
                    "nodeName": None,
                    "containers": [{"name": "shell", "image": "busybox:1.36", "args": ["sleep", "3600"]}],
                },
            },
        ),
    ],
)
