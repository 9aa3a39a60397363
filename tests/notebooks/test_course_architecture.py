"""k8slearn.course.architecture: the request kubectl sends and the fields the API server changed."""

import json

import pytest

from k8slearn import Cluster
from k8slearn.api.resources import NoKindMatchError
from k8slearn.course.architecture import create_request, field_changes, rest_path


def pod(name="web", namespace=None, **spec):
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}], **spec}}


PATHS = [
    ("a core namespaced collection lives under /api/v1/namespaces", ("v1", "Pod", "default"),
     "/api/v1/namespaces/default/pods"),
    ("a named core object adds its name", ("v1", "Pod", "kube-system", "etcd-control-plane"),
     "/api/v1/namespaces/kube-system/pods/etcd-control-plane"),
    ("a grouped kind lives under /apis/<group>/<version>", ("apps/v1", "Deployment", "shop", "web"),
     "/apis/apps/v1/namespaces/shop/deployments/web"),
    ("a cluster-scoped kind has no namespace segment even when one is given", ("v1", "Node", "default", "node-1"),
     "/api/v1/nodes/node-1"),
    ("a namespaced kind without a namespace uses default", ("v1", "ConfigMap"),
     "/api/v1/namespaces/default/configmaps"),
    ("a lease is in the coordination.k8s.io group", ("coordination.k8s.io/v1", "Lease", "kube-node-lease", "node-1"),
     "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1"),
]


@pytest.mark.parametrize("args, expected", [p[1:] for p in PATHS], ids=[p[0] for p in PATHS])
def test_rest_path(args, expected):
    assert rest_path(*args) == expected


def test_an_unknown_kind_gets_the_rest_mappers_error():
    with pytest.raises(NoKindMatchError, match='no matches for kind "Pod" in version "apps/v1"'):
        rest_path("apps/v1", "Pod")


REQUESTS = [
    ("a pod without a namespace is posted to default and the body gets it", pod(), "default",
     "POST /api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict", "default"),
    ("a pod's own namespace wins over the context's", pod(namespace="dev"), "default",
     "POST /api/v1/namespaces/dev/pods?fieldManager=kubectl-create&fieldValidation=Strict", "dev"),
    ("the context namespace is used when the manifest has none", pod(), "team-a",
     "POST /api/v1/namespaces/team-a/pods?fieldManager=kubectl-create&fieldValidation=Strict", "team-a"),
    ("a cluster-scoped object loses a namespace it should not have",
     {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev", "namespace": "x"}}, "default",
     "POST /api/v1/namespaces?fieldManager=kubectl-create&fieldValidation=Strict", None),
]


@pytest.mark.parametrize("obj, namespace, line, body_namespace", [r[1:] for r in REQUESTS],
                         ids=[r[0] for r in REQUESTS])
def test_create_request(obj, namespace, line, body_namespace):
    request = create_request(obj, namespace=namespace)
    assert request.request_line == line
    assert request.body["metadata"].get("namespace") == body_namespace
    assert dict(request.headers)["Content-Type"] == "application/json"


def test_the_request_prints_like_http_with_a_json_body_and_leaves_the_manifest_alone():
    manifest = pod()
    text = str(create_request(manifest))
    head, body = text.split("\n\n", 1)
    assert head.splitlines() == [
        "POST /api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict",
        "Content-Type: application/json",
        "Kubectl-Command: kubectl create",
    ]
    assert body.startswith('{\n  "apiVersion": "v1",\n  "kind": "Pod",')
    assert "namespace" not in manifest["metadata"]


def test_the_body_keys_are_sorted_as_go_encodes_kubectls_unstructured_object():
    manifest = {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "web", "labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}
    body = str(create_request(manifest)).split("\n\n", 1)[1]
    assert json.dumps(json.loads(body), separators=(",", ":")) == (
        '{"apiVersion":"v1","kind":"Pod",'
        '"metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},'
        '"spec":{"containers":[{"image":"nginx:1.27","name":"nginx"}]}}')


CHANGES = [
    ("equal objects have no changes", {"a": 1}, {"a": 1}, []),
    ("a new scalar field is added", {"a": 1}, {"a": 1, "b": "x"}, [("+", "b", None, "x")]),
    ("a new object is listed leaf by leaf", {}, {"status": {"phase": "Pending", "qosClass": "BestEffort"}},
     [("+", "status.phase", None, "Pending"), ("+", "status.qosClass", None, "BestEffort")]),
    ("a new empty object is one added field", {"spec": {}}, {"spec": {"securityContext": {}}},
     [("+", "spec.securityContext", None, {})]),
    ("a new list is one added field", {}, {"tolerations": [{"key": "k"}]},
     [("+", "tolerations", None, [{"key": "k"}])]),
    ("lists of the same length are compared item by item",
     {"containers": [{"name": "a"}]}, {"containers": [{"name": "a", "imagePullPolicy": "IfNotPresent"}]},
     [("+", "containers[0].imagePullPolicy", None, "IfNotPresent")]),
    ("a list whose length changed is one change", {"args": ["a"]}, {"args": ["a", "b"]},
     [("~", "args", ["a"], ["a", "b"])]),
    ("a quoted number is not the number", {"replicas": "3"}, {"replicas": 3}, [("~", "replicas", "3", 3)]),
    ("a bool is not a number", {"x": True}, {"x": 1}, [("~", "x", True, 1)]),
    ("a field that disappears is removed", {"metadata": {"resourceVersion": "56"}}, {"metadata": {}},
     [("-", "metadata.resourceVersion", "56", None)]),
    ("reordered conditions are matched by their type",
     {"conditions": [{"type": "Available", "status": "True"}, {"type": "Progressing", "status": "True"}]},
     {"conditions": [{"type": "Progressing", "status": "False"}, {"type": "Available", "status": "True"}]},
     [("~", "conditions[type=Progressing].status", "True", "False")]),
    ("a condition added among others is one added item",
     {"conditions": [{"type": "A", "status": "True"}]},
     {"conditions": [{"type": "B", "status": "False"}, {"type": "A", "status": "True"}]},
     [("+", "conditions[type=B]", None, {"type": "B", "status": "False"})]),
    ("1 and 1.0 are the same JSON number", {"x": 1}, {"x": 1.0}, []),
    ("a key with dots or slashes is quoted like check_manifest's paths",
     {"labels": {}}, {"labels": {"app.kubernetes.io/name": "web"}},
     [("+", 'labels["app.kubernetes.io/name"]', None, "web")]),
]


@pytest.mark.parametrize("before, after, expected", [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_field_changes(before, after, expected):
    assert [tuple(c) for c in field_changes(before, after)] == expected


def test_changes_print_as_an_aligned_table_with_json_values():
    changes = field_changes({"spec": {"replicas": "3"}}, {"spec": {"replicas": 3, "paused": None}})
    assert str(changes).splitlines() == ['~ spec.replicas  "3" → 3', "+ spec.paused    null"]
    assert changes.paths("+") == ["spec.paused"]
    assert str(field_changes({}, {})) == "(no changes)"


def test_the_api_server_adds_identity_defaults_and_status_and_etcd_drops_the_resource_version():
    cluster = Cluster(workers=1, seed=0)
    request = create_request(pod())
    created = cluster.api.create(request.body)
    added = field_changes(request.body, created).paths("+")
    assert {"metadata.uid", "metadata.creationTimestamp", "metadata.resourceVersion",
            "spec.containers[0].imagePullPolicy", "spec.schedulerName", "status.phase"} <= set(added)
    kv = cluster.etcd.get("/registry/pods/default/web")
    stored = field_changes(created, json.loads(kv.value))
    assert [tuple(c) for c in stored] == [("-", "metadata.resourceVersion", str(kv.mod_revision), None)]
