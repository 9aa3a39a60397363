"""create: system fields, storage layout, strategies on create, and every refusal (which writes nothing)."""

import json

import pytest
from apiserver_builders import configmap, deployment, expect_error, node, pod, service

from k8slearn.api.meta import ALPHANUMS


def test_a_created_pod_gets_uid_timestamp_and_the_etcd_revision_as_resource_version(server, api):
    server.loop.run(42.7)
    created = api.create(pod("web"))
    meta = created["metadata"]
    kv = server.store.get("/registry/pods/default/web")
    assert meta["resourceVersion"] == str(kv.mod_revision) == server.resource_version
    assert meta["creationTimestamp"] == "2026-01-05T09:00:42Z"
    assert len(meta["uid"]) == 36 and meta["uid"][14] == "4"  # a version-4 UUID
    assert meta["namespace"] == "default"


def test_the_stored_value_is_compact_json_without_resource_version(server, api):
    created = api.create(pod("web"))
    raw = server.store.get("/registry/pods/default/web").value
    stored = json.loads(raw)
    assert raw == json.dumps(stored, separators=(",", ":")).encode()
    assert "resourceVersion" not in stored["metadata"]
    assert stored["metadata"]["uid"] == created["metadata"]["uid"]


@pytest.mark.parametrize(
    "obj, key",
    [
        (pod("web"), "/registry/pods/default/web"),
        (node("node-1"), "/registry/minions/node-1"),
        (service("web"), "/registry/services/specs/default/web"),
        (deployment("web"), "/registry/deployments/default/web"),
        ({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}, "/registry/namespaces/dev"),
        (configmap("cfg", namespace="kube-system"), "/registry/configmaps/kube-system/cfg"),
    ],
    ids=[
        "a pod is stored under /registry/pods/<namespace>/<name>",
        "a node is stored under the historical /registry/minions prefix",
        "a service is stored under /registry/services/specs",
        "a deployment is stored without an API group segment",
        "a namespace is cluster-scoped: /registry/namespaces/<name>",
        "an object's own namespace decides its key",
    ],
)
def test_objects_are_stored_under_the_real_key_layout(server, api, obj, key):
    api.create(obj)
    assert server.store.get(key) is not None


@pytest.mark.parametrize(
    "obj, namespace, expected",
    [
        (pod("a"), None, "default"),
        (pod("b"), "kube-system", "kube-system"),
        (pod("c", namespace="kube-system"), "kube-system", "kube-system"),
        (node("n"), "kube-system", None),
    ],
    ids=[
        "a namespaced object without a namespace lands in default",
        "the namespace argument fills an object without one",
        "an object and a request that agree on the namespace are fine",
        "a cluster-scoped object ignores the namespace of the request",
    ],
)
def test_namespace_of_a_created_object(api, obj, namespace, expected):
    created = api.create(obj, namespace=namespace)
    assert created["metadata"].get("namespace") == expected


def test_api_version_and_kind_are_filled_from_the_resource(api):
    body = {"metadata": {"name": "cfg"}, "data": {"a": "1"}}
    created = api.create(body, resource="configmaps")
    assert (created["apiVersion"], created["kind"]) == ("v1", "ConfigMap")


@pytest.mark.parametrize(
    "obj, generation, status",
    [
        (deployment("web"), 1, {}),
        ({**deployment("web"), "status": {"replicas": 5, "readyReplicas": 5}}, 1, {}),
        (pod("web"), None, {"phase": "Pending", "qosClass": "BestEffort"}),
        ({**pod("web"), "status": {"phase": "Running"}}, None,
         {"phase": "Pending", "qosClass": "BestEffort"}),
        (service("web"), None, {"loadBalancer": {}}),
        (configmap("cfg"), None, None),
    ],
    ids=[
        "a deployment starts at generation 1 with an empty status",
        "a client cannot create a deployment with a status",
        "a pod has no metadata.generation in v1.32 and starts Pending",
        "a client cannot create a pod that is already Running",
        "a service starts with an empty load balancer status",
        "a configmap has neither generation nor status",
    ],
)
def test_the_strategy_decides_generation_and_initial_status(api, obj, generation, status):
    created = api.create(obj)
    assert created["metadata"].get("generation") == generation
    assert created.get("status") == status


def test_a_burstable_pod_gets_its_qos_class(api):
    body = pod("web")
    body["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "100m"}}
    assert api.create(body)["status"]["qosClass"] == "Burstable"


def test_a_job_selects_its_pods_by_its_own_uid(api):
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
           "spec": {"template": {"spec": {"restartPolicy": "Never",
                                          "containers": [{"name": "pi", "image": "perl"}]}}}}
    created = api.create(job)
    uid = created["metadata"]["uid"]
    assert created["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert created["spec"]["template"]["metadata"]["labels"]["job-name"] == "pi"


def test_generate_name_adds_five_characters_from_the_vowel_free_alphabet(api):
    created = api.create(pod("", generateName="web-7c4b4cb947-"))
    name = created["metadata"]["name"]
    assert name.startswith("web-7c4b4cb947-") and len(name) == len("web-7c4b4cb947-") + 5
    assert set(name[-5:]) <= set(ALPHANUMS)
    assert created["metadata"]["generateName"] == "web-7c4b4cb947-"


def test_client_supplied_system_fields_are_replaced(server, api):
    body = pod("web")
    body["metadata"].update(uid="not-mine", creationTimestamp="2001-01-01T00:00:00Z")
    created = api.create(body)
    assert created["metadata"]["uid"] != "not-mine"
    assert created["metadata"]["creationTimestamp"] == "2026-01-05T09:00:00Z"


def test_create_neither_changes_the_callers_dict_nor_returns_the_cached_object(server, api):
    body = pod("web")
    before = json.dumps(body)
    created = api.create(body)
    assert json.dumps(body) == before
    created["metadata"]["labels"] = {"mutable": "yes"}  # a mutable copy
    assert "labels" not in api.get("pods", "web")["metadata"]


def test_dry_run_returns_the_object_and_writes_nothing(server, api):
    before = server.store.revision
    created = api.create(pod("web"), dry_run=True)
    assert server.store.revision == before
    assert "resourceVersion" not in created["metadata"] and created["metadata"]["uid"]
    assert api.list("pods") == []


def test_a_create_is_traced_as_a_request_then_an_etcd_write(server):
    server.client("kube-controller-manager").create(pod("web"))
    steps = server.loop.trace[-2:]
    assert [(s.component, s.action, s.object, s.detail) for s in steps] == [
        ("kube-controller-manager", "create", "pod/default/web", ""),
        ("etcd", "put", "/registry/pods/default/web", f"revision {server.store.revision}"),
    ]


def test_a_refused_create_is_traced_with_its_status(server, api):
    expect_error(server, lambda: api.create(pod("web", image="")), 422, "Invalid")
    last = server.loop.trace[-1]
    assert (last.component, last.action, last.object) == ("kubectl", "create", "pod/default/web")
    assert last.detail == '422 Invalid: Pod "web" is invalid: spec.containers[0].image: Required value'


def _terminating(server, api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "old"}})
    api.delete("namespaces", "old")
    return pod("web", namespace="old")


CREATE_FAILURES = [
    ("duplicate", lambda s, a: (a.create(pod("web")), pod("web"))[1], None,
     409, "AlreadyExists", 'pods "web" already exists'),
    ("namespace mismatch", lambda s, a: pod("web", namespace="kube-system"), "default",
     400, "BadRequest",
     "the namespace of the provided object does not match the namespace sent on the request"),
    ("missing namespace", lambda s, a: pod("web", namespace="nope"), None,
     404, "NotFound", 'namespaces "nope" not found'),
    ("terminating namespace", _terminating, None,
     403, "Forbidden", 'pods "web" is forbidden: unable to create new content in namespace old because it is '
                       "being terminated"),
    ("invalid", lambda s, a: pod("web", image=""), None,
     422, "Invalid", 'Pod "web" is invalid: spec.containers[0].image: Required value'),
    ("no name", lambda s, a: pod(""), None,
     422, "Invalid", 'Pod "" is invalid: metadata.name: Required value: name or generateName is required'),
    ("resourceVersion",
     lambda s, a: {**configmap("c"), "metadata": {"name": "c", "resourceVersion": "5"}}, None,
     500, "", "resourceVersion should not be set on objects to be created"),
    ("unknown kind", lambda s, a: {"apiVersion": "v1", "kind": "Gizmo", "metadata": {"name": "g"}}, None,
     404, "NotFound", 'no matches for kind "Gizmo" in version "v1"'),
    ("wrong version", lambda s, a: {**deployment("web"), "apiVersion": "apps/v1beta1"}, None,
     404, "NotFound", 'no matches for kind "Deployment" in version "apps/v1beta1"'),
    ("missing kind", lambda s, a: {"apiVersion": "v1", "metadata": {"name": "x"}}, None,
     400, "BadRequest", """Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"x"}}'"""),
    ("no priority class", lambda s, a: pod("web", priorityClassName="gold"), None,
     403, "Forbidden", 'pods "web" is forbidden: no PriorityClass with name gold was found'),
    ("being deleted", lambda s, a: (a.create(pod("web", finalizers=["example.com/keep"])),
                                    a.delete("pods", "web"), pod("web"))[2], None,
     409, "AlreadyExists", 'object is being deleted: pods "web" already exists'),
]


@pytest.mark.parametrize(
    "make, namespace, code, reason, message",
    [c[1:] for c in CREATE_FAILURES],
    ids=[
        "a second object with the same name already exists",
        "an object whose namespace disagrees with the request is a bad request",
        "creating in a namespace that does not exist is refused by NamespaceLifecycle",
        "creating in a terminating namespace is forbidden by NamespaceLifecycle",
        "a pod without an image is invalid",
        "an object with neither name nor generateName is invalid",
        "an object to be created may not carry a resourceVersion",
        "an unknown kind has no resource",
        "a kind in an API version the server does not serve has no resource",
        "a body without a kind cannot be decoded",
        "an unknown priorityClassName is forbidden by the Priority plugin",
        "a name still held by an object being deleted says so",
    ],
)
def test_refused_creates_write_nothing(server, api, make, namespace, code, reason, message):
    body = make(server, api)
    expect_error(server, lambda: api.create(body, namespace=namespace), code, reason, message)


def test_a_kind_that_is_not_the_resource_asked_for_is_a_bad_request(server, api):
    expect_error(server, lambda: api.create(pod("web"), resource="services"), 400, "BadRequest",
                 "the object provided is unrecognized (must be of type Service)")


def _names(monkeypatch, *names):
    queue = list(names)
    monkeypatch.setattr("k8slearn.apiserver.registry.generate_name", lambda base, rng: base + queue.pop(0))


def test_a_generated_name_that_collides_is_drawn_again(server, api, monkeypatch):
    api.create(pod("web-aaaaa"))
    _names(monkeypatch, "aaaaa", "bbbbb")
    created = api.create(pod("", generateName="web-"))
    assert created["metadata"]["name"] == "web-bbbbb"
    assert [(s.action, s.detail) for s in server.loop.trace[-3:] if s.component == "etcd"] == [
        ("txn", "compare failed: the key exists"), ("put", f"revision {server.store.revision}")]


def test_eight_collisions_in_a_row_give_up_with_a_server_timeout(server, api, monkeypatch):
    api.create(pod("web-aaaaa"))
    _names(monkeypatch, *["aaaaa"] * 8)
    expect_error(server, lambda: api.create(pod("", generateName="web-")), 500, "ServerTimeout",
                 "The POST operation against Pod could not be completed at this time, please try again.")


def test_a_label_named_like_an_integer_field_is_accepted_as_a_label(api):
    """Label keys may contain dots; ``spec.replicas`` as a label is a string-valued map key, not the field."""
    obj = deployment("web")
    obj["metadata"]["labels"] = {"spec.replicas": "x"}
    obj["spec"]["template"]["metadata"].setdefault("annotations", {})["spec.replicas"] = "3"
    created = api.create(obj)
    assert created["metadata"]["labels"] == {"spec.replicas": "x"}
    assert created["spec"]["replicas"] == obj["spec"]["replicas"]
