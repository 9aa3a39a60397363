"""delete: immediate, graceful (bound pods), finalizers, propagation policies, namespaces."""

import pytest
from apiserver_builders import configmap, deployment, expect_error, pod


def _events(watch):
    return [(t, o["metadata"].get("deletionTimestamp"), o["metadata"]["resourceVersion"]) for t, o in watch]


def test_an_object_without_finalizers_is_deleted_at_once_and_returned_in_its_last_state(server, api):
    api.create(configmap("cfg"))
    watch = api.watch("configmaps", resource_version=server.resource_version)
    deleted = api.delete("configmaps", "cfg")
    assert server.store.get("/registry/configmaps/default/cfg") is None
    assert deleted["data"] == {"k": "v"}
    assert deleted["metadata"]["resourceVersion"] == server.resource_version  # the delete's revision
    assert _events(watch) == [("DELETED", None, server.resource_version)]


def test_an_unscheduled_pod_goes_at_once(server, api):
    api.create(pod("web"))
    watch = api.watch("pods", resource_version=server.resource_version)
    api.delete("pods", "web")
    assert server.store.get("/registry/pods/default/web") is None
    # Upstream first writes deletionTimestamp with a zero grace period, then deletes.
    assert [t for t, _ in watch] == ["MODIFIED", "DELETED"]


def test_a_pod_on_a_node_is_deleted_gracefully_with_its_termination_grace_period(server, api):
    api.create(pod("web", nodeName="node-1", terminationGracePeriodSeconds=45))
    server.loop.run(10)
    watch = api.watch("pods", resource_version=server.resource_version)
    marked = api.delete("pods", "web")
    meta = marked["metadata"]
    assert meta["deletionTimestamp"] == "2026-01-05T09:00:55Z"
    assert meta["deletionGracePeriodSeconds"] == 45
    assert server.store.get("/registry/pods/default/web") is not None
    assert _events(watch) == [("MODIFIED", "2026-01-05T09:00:55Z", server.resource_version)]
    assert server.loop.trace[-2].detail == "graceful, 45s"


def test_the_kubelets_final_delete_with_grace_zero_removes_the_pod(server, api):
    api.create(pod("web", nodeName="node-1"))
    api.delete("pods", "web")
    kubelet = server.client("kubelet/node-1")
    kubelet.delete("pods", "web", grace_period_seconds=0)
    assert server.store.get("/registry/pods/default/web") is None
    assert [(s.component, s.action, s.detail[:8]) for s in server.loop.trace[-3:]] == [
        ("kubelet/node-1", "delete", "deleted"), ("etcd", "put", "revision"), ("etcd", "delete", "revision")]


@pytest.mark.parametrize(
    "first, second, expected_grace, exists",
    [
        (None, None, 30, True),
        (None, 60, 30, True),
        (None, 10, 10, True),
        (5, 0, 0, False),
    ],
    ids=[
        "deleting a terminating pod again changes nothing",
        "a second delete cannot lengthen the grace period",
        "a second delete may shorten the grace period",
        "grace zero ends a graceful deletion",
    ],
)
def test_repeated_deletes_of_a_terminating_pod(server, api, first, second, expected_grace, exists):
    api.create(pod("web", nodeName="node-1"))
    api.delete("pods", "web", grace_period_seconds=first)
    before = server.store.revision
    result = api.delete("pods", "web", grace_period_seconds=second)
    stored = server.store.get("/registry/pods/default/web")
    assert (stored is not None) == exists
    assert result["metadata"]["deletionGracePeriodSeconds"] == expected_grace
    if second is None or (second is not None and second >= (first or 30)):
        assert server.store.revision == before


def test_a_shortened_grace_period_moves_the_deletion_timestamp_earlier(api):
    api.create(pod("web", nodeName="node-1"))
    api.delete("pods", "web")
    shorter = api.delete("pods", "web", grace_period_seconds=10)
    assert shorter["metadata"]["deletionTimestamp"] == "2026-01-05T09:00:10Z"


def test_a_finished_pod_is_deleted_at_once_even_on_a_node(server, api):
    api.create(pod("web", nodeName="node-1"))
    done = api.get("pods", "web")
    done["status"]["phase"] = "Succeeded"
    api.update_status(done)
    api.delete("pods", "web")
    assert server.store.get("/registry/pods/default/web") is None


def test_an_object_with_finalizers_waits_until_an_update_empties_them(server, api):
    api.create(configmap("cfg", finalizers=["example.com/backup"]))
    marked = api.delete("configmaps", "cfg")
    assert marked["metadata"]["deletionTimestamp"] == "2026-01-05T09:00:00Z"
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 0
    assert server.store.get("/registry/configmaps/default/cfg") is not None
    watch = api.watch("configmaps", resource_version=server.resource_version)
    current = api.get("configmaps", "cfg")
    current["metadata"]["finalizers"] = []
    api.update(current)
    assert server.store.get("/registry/configmaps/default/cfg") is None
    assert [t for t, _ in watch] == ["DELETED"]


@pytest.mark.parametrize(
    "resource, make, policy, finalizers",
    [
        ("deployments", deployment, "Foreground", ["foregroundDeletion"]),
        ("deployments", deployment, "Orphan", ["orphan"]),
        ("deployments", deployment, "Background", None),
        ("jobs", None, None, ["orphan"]),
        ("jobs", None, "Background", None),
    ],
    ids=[
        "Foreground adds the foregroundDeletion finalizer for the garbage collector",
        "Orphan adds the orphan finalizer",
        "Background deletes at once and leaves the dependents to the garbage collector",
        "a batch/v1 Job orphans its pods when no policy is given (kept for compatibility)",
        "a Job deleted with Background goes at once",
    ],
)
def test_propagation_policy(server, api, resource, make, policy, finalizers):
    if make is None:
        api.create({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "web"},
                    "spec": {"template": {"spec": {"restartPolicy": "Never",
                                                   "containers": [{"name": "a", "image": "perl"}]}}}})
    else:
        api.create(make("web"))
    result = api.delete(resource, "web", propagation_policy=policy)
    if finalizers is None:
        assert api.list(resource) == []
    else:
        assert result["metadata"]["finalizers"] == finalizers
        assert result["metadata"]["deletionTimestamp"] and result["metadata"]["generation"] == 2


def test_a_foreground_deletion_finishes_when_the_garbage_collector_removes_its_finalizer(server, api):
    api.create(deployment("web"))
    api.delete("deployments", "web", propagation_policy="Foreground")
    gc = server.client("kube-controller-manager")
    current = gc.get("deployments", "web")
    current["metadata"]["finalizers"] = []
    gc.update(current)
    assert gc.list("deployments") == []


def test_dry_run_delete_writes_nothing(server, api):
    api.create(configmap("cfg"))
    before = server.store.revision
    api.delete("configmaps", "cfg", dry_run=True)
    assert server.store.revision == before


def test_a_namespace_terminates_a_second_delete_changes_nothing_and_it_goes_when_finalized(server, api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    terminating = api.delete("namespaces", "dev")
    assert terminating["status"]["phase"] == "Terminating"
    assert terminating["spec"]["finalizers"] == ["kubernetes"]
    before = server.store.revision
    again = api.delete("namespaces", "dev")  # while the controller empties it: no error, no change
    assert again["metadata"]["deletionTimestamp"] == terminating["metadata"]["deletionTimestamp"]
    assert server.store.revision == before
    server.client("kube-controller-manager").finalize_namespace("dev", [])
    assert server.store.get("/registry/namespaces/dev") is None


@pytest.mark.parametrize(
    "policy, finalizers",
    [("Foreground", ["foregroundDeletion"]), ("Orphan", ["orphan"]), ("Background", None), (None, None)],
    ids=[
        "deleting a namespace in the foreground gives it the foregroundDeletion finalizer",
        "deleting a namespace with orphan gives it the orphan finalizer",
        "deleting a namespace in the background adds no finalizer",
        "deleting a namespace with no policy adds no finalizer",
    ],
)
def test_a_namespaces_first_delete_adds_the_garbage_collectors_finalizer(server, api, policy, finalizers):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    terminating = api.delete("namespaces", "dev", propagation_policy=policy)
    assert terminating["metadata"].get("finalizers") == finalizers
    assert api.get("namespaces", "dev")["metadata"].get("finalizers") == finalizers
    assert terminating["spec"]["finalizers"] == ["kubernetes"]


def test_a_foreground_namespace_stays_after_finalize_until_its_finalizer_is_removed(server, api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    api.delete("namespaces", "dev", propagation_policy="Foreground")
    kcm = server.client("kube-controller-manager")
    kcm.finalize_namespace("dev", [])
    assert api.get("namespaces", "dev")["metadata"]["finalizers"] == ["foregroundDeletion"]
    current = kcm.get("namespaces", "dev")
    current["metadata"]["finalizers"] = []
    kcm.update(current)
    assert server.store.get("/registry/namespaces/dev") is None


def test_a_dry_run_namespace_delete_shows_the_finalizer_and_writes_nothing(server, api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    before = server.store.revision
    shown = api.delete("namespaces", "dev", propagation_policy="Foreground", dry_run=True)
    assert shown["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert server.store.revision == before


def _set_meta(key, value):
    def change(obj):
        obj["metadata"][key] = value
    return change


def _drop_meta(key):
    def change(obj):
        obj["metadata"].pop(key, None)
    return change


@pytest.mark.parametrize(
    "deleting, change, message",
    [
        (False, _set_meta("deletionGracePeriodSeconds", 5),
         'Pod "web" is invalid: metadata.deletionGracePeriodSeconds: Invalid value: 5: field is immutable'),
        (True, _set_meta("deletionGracePeriodSeconds", 5),
         'Pod "web" is invalid: metadata.deletionGracePeriodSeconds: Invalid value: 5: field is immutable'),
        (False, _set_meta("deletionTimestamp", "2026-01-05T09:00:00Z"),
         'Pod "web" is invalid: metadata.deletionTimestamp: Invalid value: 2026-01-05 09:00:00 +0000 UTC: '
         "field is immutable"),
    ],
    ids=[
        "an update may not give a running pod a deletion grace period",
        "an update may not change a terminating pod's deletion grace period",
        "an update may not give a running pod a deletion timestamp",
    ],
)
def test_an_update_cannot_start_or_change_a_deletion(server, api, deleting, change, message):
    api.create(pod("web", nodeName="node-1"))
    if deleting:
        api.delete("pods", "web")
    current = api.get("pods", "web")
    change(current)
    expect_error(server, lambda: api.update(current), 422, "Invalid", message)


@pytest.mark.parametrize("key", ["deletionTimestamp", "deletionGracePeriodSeconds"])
def test_an_update_that_leaves_out_a_deletion_field_keeps_the_stored_one(server, api, key):
    api.create(pod("web", nodeName="node-1"))
    api.delete("pods", "web")
    current = api.get("pods", "web")
    _drop_meta(key)(current)
    current["metadata"]["labels"] = {"still": "terminating"}
    updated = api.update(current)
    assert (updated["metadata"]["deletionTimestamp"], updated["metadata"]["deletionGracePeriodSeconds"]) == (
        "2026-01-05T09:00:30Z", 30)


DELETE_FAILURES = [
    ("configmaps", "ghost", None, {}, 404, "NotFound", 'configmaps "ghost" not found'),
    ("namespaces", "default", None, {}, 403, "Forbidden",
     'namespaces "default" is forbidden: this namespace may not be deleted'),
    ("namespaces", "kube-system", None, {}, 403, "Forbidden",
     'namespaces "kube-system" is forbidden: this namespace may not be deleted'),
    ("configmaps", "cfg", None, {"propagation_policy": "Sometimes"}, 422, "Invalid",
     'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": '
     'supported values: "Foreground", "Background", "Orphan", "nil"'),
    ("gizmos", "g", None, {}, 404, "NotFound", "the server could not find the requested resource"),
]


@pytest.mark.parametrize(
    "resource, name, namespace, options, code, reason, message",
    DELETE_FAILURES,
    ids=[
        "deleting a missing object is not found",
        "the default namespace may not be deleted",
        "kube-system may not be deleted",
        "an unknown propagation policy is invalid",
        "an unknown resource is not found",
    ],
)
def test_refused_deletes_write_nothing(server, api, resource, name, namespace, options, code, reason,
                                      message):
    api.create(configmap("cfg"))
    expect_error(server, lambda: api.delete(resource, name, namespace or "default", **options),
                 code, reason, message)


def test_only_the_finalize_subresource_changes_a_namespaces_finalizers(server, api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    current = api.get("namespaces", "dev")
    current["spec"]["finalizers"] = []
    assert api.update(current)["spec"]["finalizers"] == ["kubernetes"]
    finalized = api.finalize_namespace("dev", [])
    assert "finalizers" not in finalized["spec"]
    assert server.store.get("/registry/namespaces/dev") is not None  # not terminating: it stays


@pytest.mark.parametrize("key, patch", [
    ("labels", [{"op": "remove", "path": "/metadata/labels/app"}]),
    ("annotations", [{"op": "remove", "path": "/metadata/annotations/note"}]),
    ("finalizers", [{"op": "remove", "path": "/metadata/finalizers/0"}]),
], ids=[
    "removing the last label leaves no labels field",
    "removing the last annotation leaves no annotations field",
    "removing the last finalizer leaves no finalizers field",
])
def test_an_emptied_metadata_map_or_list_is_left_out_as_omitempty_does(server, api, key, patch):
    obj = configmap("cfg")
    obj["metadata"].update(labels={"app": "web"}, annotations={"note": "x"}, finalizers=["example.com/hold"])
    api.create(obj)
    api.patch("configmaps", "cfg", patch, patch_type="json")
    assert key not in api.get("configmaps", "cfg")["metadata"]
