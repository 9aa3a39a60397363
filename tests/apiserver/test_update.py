"""update and update_status: optimistic concurrency, the status subresource, generation, no-op updates."""

import pytest
from apiserver_builders import configmap, deployment, expect_error, node, pod, service

CONFLICT = ('Operation cannot be fulfilled on pods "web": the object has been modified; '
            "please apply your changes to the latest version and try again")


def test_an_update_with_the_current_resource_version_writes_a_new_revision(server, api):
    created = api.create(configmap("cfg"))
    created["data"]["k"] = "changed"
    updated = api.update(created)
    assert int(updated["metadata"]["resourceVersion"]) == server.store.revision > int(
        created["metadata"]["resourceVersion"])
    assert api.get("configmaps", "cfg")["data"] == {"k": "changed"}


def test_a_stale_resource_version_is_a_conflict_with_the_upstream_message(server, api):
    first = api.create(pod("web"))
    second = api.get("pods", "web")
    second["metadata"]["labels"] = {"by": "second"}
    api.update(second)
    first["metadata"]["labels"] = {"by": "first"}
    err = expect_error(server, lambda: api.update(first), 409, "Conflict", CONFLICT)
    assert err.details == {"name": "web", "kind": "pods"}


def test_an_update_without_resource_version_is_unconditional(api):
    api.create(configmap("cfg"))
    body = configmap("cfg")
    body["data"] = {"k": "overwritten"}
    assert api.update(body)["data"] == {"k": "overwritten"}


def test_an_update_that_changes_nothing_writes_nothing(server, api):
    created = api.create(deployment("web"))
    before = server.store.revision
    again = api.update(api.get("deployments", "web"))
    assert server.store.revision == before
    assert again["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]


@pytest.mark.parametrize(
    "change, generation",
    [
        (lambda d: d["spec"].update(replicas=3), 2),
        (lambda d: d["spec"]["template"]["spec"]["containers"][0].update(image="nginx:1.28"), 2),
        (lambda d: d["metadata"].update(labels={"team": "a"}), 1),
        (lambda d: d["metadata"].update(annotations={"note": "x"}), 2),
        (lambda d: d.update(status={"replicas": 9}), 1),
    ],
    ids=[
        "scaling a deployment bumps its generation",
        "a new template image bumps the generation",
        "a label change does not bump the generation",
        "a deployment's annotations bump the generation (they are copied to its ReplicaSets)",
        "a status change sent to the main resource is ignored and bumps nothing",
    ],
)
def test_generation_counts_spec_changes(api, change, generation):
    api.create(deployment("web"))
    current = api.get("deployments", "web")
    change(current)
    updated = api.update(current)
    assert updated["metadata"]["generation"] == generation
    assert updated["status"] == {}


def test_a_client_cannot_set_the_generation(api):
    api.create(deployment("web"))
    current = api.get("deployments", "web")
    current["metadata"]["generation"] = 99
    assert api.update(current)["metadata"]["generation"] == 1


# a field of each kind's status to mark it with (a field the status type has: others are dropped)
MARKERS = {"pods": lambda m: {"message": m}, "nodes": lambda m: {"phase": m},
           "services": lambda m: {"loadBalancer": {"ingress": [{"hostname": m}]}},
           "deployments": lambda m: {"collisionCount": len(m)}}


@pytest.mark.parametrize(
    "make, resource, name",
    [
        (lambda: pod("web"), "pods", "web"),
        (lambda: node("node-1"), "nodes", "node-1"),
        (lambda: service("web"), "services", "web"),
        (lambda: deployment("web"), "deployments", "web"),
    ],
    ids=[
        "a pod's status is set only through pods/status",
        "a node's status is set only through nodes/status",
        "a service's status is set only through services/status",
        "a deployment's status is set only through deployments/status",
    ],
)
def test_the_main_resource_ignores_status_and_the_status_subresource_keeps_only_status(
        api, make, resource, name):
    marker = MARKERS[resource]
    api.create(make())
    current = api.get(resource, name)
    current["status"] = marker("via-main")
    current["metadata"]["labels"] = {"changed": "main"}
    after_main = api.update(current)
    assert after_main["status"] != marker("via-main")
    assert after_main["metadata"]["labels"] == {"changed": "main"}

    current = api.get(resource, name)
    current["status"] = marker("via-status!")
    current["metadata"]["labels"] = {"changed": "status"}
    current.setdefault("spec", {})["unschedulable" if resource == "nodes" else "paused"] = True
    after_status = api.update_status(current)
    assert all(after_status["status"][k] == v for k, v in marker("via-status!").items())
    assert after_status["metadata"]["labels"] == {"changed": "main"}
    assert after_status.get("spec") == api.get(resource, name).get("spec") == after_main.get("spec")


def test_a_pod_status_update_cannot_drop_the_qos_class(api):
    api.create(pod("web"))
    current = api.get("pods", "web")
    current["status"] = {"phase": "Running"}
    assert api.update_status(current)["status"] == {"phase": "Running", "qosClass": "BestEffort"}


def test_a_kubelet_reports_pod_status_through_the_status_subresource(server):
    api = server.client("kubectl")
    api.create(pod("web"))
    kubelet = server.client("kubelet/node-1")
    current = kubelet.get("pods", "web")
    current["status"]["phase"] = "Running"
    kubelet.update_status(current)
    steps = [(s.component, s.action, s.object, s.detail) for s in server.loop.trace[-2:]]
    assert steps == [("kubelet/node-1", "update", "pod/default/web", "status"),
                     ("etcd", "put", "/registry/pods/default/web", f"revision {server.store.revision}")]
    assert api.get("pods", "web")["status"]["phase"] == "Running"


def test_system_metadata_survives_an_update_that_omits_it(api):
    created = api.create(configmap("cfg"))
    body = configmap("cfg")  # no uid, no creationTimestamp
    body["data"] = {"k": "2"}
    updated = api.update(body)
    for key in ("uid", "creationTimestamp"):
        assert updated["metadata"][key] == created["metadata"][key]


def _with_restart_policy(obj, policy):
    obj["spec"]["restartPolicy"] = policy
    return obj


def _with_finalizers(obj, finalizers):
    obj["metadata"]["finalizers"] = finalizers
    return obj


UPDATE_FAILURES = [
    (lambda s, a: configmap("ghost"), 404, "NotFound", 'configmaps "ghost" not found'),
    (lambda s, a: (a.create(configmap("cfg")),
                   {**configmap("cfg"), "metadata": {"name": "cfg", "resourceVersion": "1"}})[1],
     409, "Conflict", None),
    (lambda s, a: (a.create(configmap("cfg")),
                   {**configmap("cfg"), "metadata": {"name": "cfg", "uid": "other"}})[1],
     409, "Conflict", 'Operation cannot be fulfilled on configmaps "cfg": StorageError: invalid object, Code: 4, '
                      'Key: /registry/configmaps/default/cfg, ResourceVersion: 0, AdditionalErrorMsg: Precondition '
                      'failed: UID in precondition: other, UID in object meta: baa7f095-bf21-455c-b28a-6ae9df6d39d6'),
    (lambda s, a: (a.create(pod("web")), _with_restart_policy(a.get("pods", "web"), "Never"))[1],
     422, "Invalid", None),
    (lambda s, a: (a.create(configmap("cfg")), {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})[1],
     400, "BadRequest", "resource name may not be empty"),
    (lambda s, a: (a.create(pod("web", finalizers=["example.com/a"])), a.delete("pods", "web"),
                   _with_finalizers(a.get("pods", "web"), ["example.com/a", "example.com/b"]))[2],
     422, "Invalid", 'Pod "web" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added '
                     'if the object is being deleted, found new finalizers []string{"example.com/b"}'),
]


@pytest.mark.parametrize(
    "make, code, reason, message",
    UPDATE_FAILURES,
    ids=[
        "updating an object that does not exist is not found",
        "an old resourceVersion is a conflict",
        "a body naming another uid fails the uid precondition (a conflict, before any other check)",
        "a pod's restartPolicy cannot change after creation",
        "an update needs the object's name",
        "no finalizer can be added to an object being deleted",
    ],
)
def test_refused_updates_write_nothing(server, api, make, code, reason, message):
    body = make(server, api)
    expect_error(server, lambda: api.update(body), code, reason, message)


def test_update_status_of_a_missing_object_is_not_found(server, api):
    expect_error(server, lambda: api.update_status(pod("ghost")), 404, "NotFound", 'pods "ghost" not found')


@pytest.mark.parametrize(
    "call",
    [
        lambda api: api.update_status(configmap("cfg")),
        lambda api: api.patch("configmaps", "cfg", {"status": {"a": "b"}}, subresource="status"),
        lambda api: api.patch("pods", "web", {"metadata": {"labels": {"a": "b"}}}, subresource="scale"),
    ],
    ids=[
        "a ConfigMap has no status subresource to update",
        "a ConfigMap has no status subresource to patch",
        "an unknown subresource is not found",
    ],
)
def test_subresources_that_do_not_exist(server, api, call):
    api.create(configmap("cfg"))
    api.create(pod("web"))
    expect_error(server, lambda: call(api), 404, "NotFound",
                 "the server could not find the requested resource")


def test_a_body_that_cannot_be_decoded_is_refused_and_traced(server, api):
    expect_error(server, lambda: api.update(["not", "an", "object"]), 400, "BadRequest",
                 "the body of the request was in an unknown format")
    step = server.loop.trace[-1]
    assert (step.action, step.detail) == (
        "update", "400 BadRequest: the body of the request was in an unknown format")
