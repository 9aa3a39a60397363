"""kubectl get --raw on a collection with ?watch=1: the API server's watch stream, one event a line.

Upstream: a GET of a collection with ``watch=true`` is served by
staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go (serveWatch), which writes each
metav1.WatchEvent (``{"type":...,"object":...}``) as the JSON serializer does, with its newline; a
resourceVersion the watch cache no longer has is not a failed request but one ``ERROR`` event
carrying the 410 Status (staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go, Watch:
``newErrWatcher``; the message from watch_cache.go, ``too old resource version: %d (%d)``); a GET
of one object ignores ``watch`` (handlers/get.go).
"""

import json

import pytest

from k8slearn import Cluster


@pytest.fixture()
def cluster():
    c = Cluster(workers=1, seed=0, current=False)
    c.settle()
    c.kubectl("run web --image=nginx")
    c.settle()
    return c


def events(stdout):
    return [(e["type"], e["object"]["metadata"].get("name"), e["object"]["metadata"].get("resourceVersion"))
            for e in map(json.loads, stdout.splitlines())]


def test_a_watch_without_resource_version_starts_with_every_current_object_added(cluster):
    rv = cluster.api.get("pods", "web")["metadata"]["resourceVersion"]
    r = cluster.kubectl(["get", "--raw", "/api/v1/namespaces/default/pods?watch=1"])
    assert (events(r.stdout), r.stderr, r.code) == ([("ADDED", "web", rv)], "", 0)


def test_each_watch_event_is_one_compact_json_line_with_its_newline(cluster):
    r = cluster.kubectl(["get", "--raw", "/api/v1/namespaces/default/pods?watch=true"])
    pod = cluster.api.get("pods", "web")
    assert r.stdout == json.dumps({"type": "ADDED", "object": pod}, separators=(",", ":")) + "\n"


def test_a_watch_from_a_resource_version_replays_every_change_after_it(cluster):
    rv = cluster.etcd.revision
    cluster.kubectl("label pod web tier=front")
    cluster.kubectl("create configmap settings")  # (not a pod: not in the pods' watch)
    cluster.kubectl("annotate pod web note=hi")
    r = cluster.kubectl(["get", "--raw", f"/api/v1/namespaces/default/pods?watch=1&resourceVersion={rv}"])
    assert events(r.stdout) == [("MODIFIED", "web", str(rv + 1)), ("MODIFIED", "web", str(rv + 3))]


def test_a_watch_keeps_printing_while_the_cluster_runs_until_it_is_quiet(cluster):
    rv = cluster.etcd.revision
    cluster.kubectl("run web2 --image=nginx")
    r = cluster.kubectl(["get", "--raw", f"/api/v1/namespaces/default/pods?watch=1&resourceVersion={rv}"])
    phases = [json.loads(line)["object"]["status"].get("phase") for line in r.stdout.splitlines()]
    assert (phases[0], phases[-1]) == ("Pending", "Running")


@pytest.mark.parametrize("query, expected", [
    pytest.param("labelSelector=run%3Dweb", ["web"], id="a label selector narrows the watch"),
    pytest.param("labelSelector=run%3Dnope", [], id="a label selector that matches nothing sends nothing"),
    pytest.param("fieldSelector=metadata.name%3Dweb", ["web"], id="a field selector narrows the watch"),
])
def test_a_watch_sends_only_the_objects_its_selectors_match(cluster, query, expected):
    cluster.kubectl("run other --image=nginx")
    cluster.settle()
    r = cluster.kubectl(["get", "--raw", f"/api/v1/namespaces/default/pods?watch=1&{query}"])
    assert [name for _, name, _ in events(r.stdout)] == expected


def test_a_compacted_resource_version_is_one_error_event_with_the_410_status(cluster):
    cluster.etcd.compact(cluster.etcd.revision)
    r = cluster.kubectl(["get", "--raw", "/api/v1/namespaces/default/pods?watch=1&resourceVersion=1"])
    status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": f"too old resource version: 1 ({cluster.etcd.revision - 1})", "reason": "Expired",
              "code": 410}
    assert (json.loads(r.stdout), r.stderr, r.code) == ({"type": "ERROR", "object": status}, "", 0)


def test_a_future_resource_version_is_one_error_event_with_the_timeout_status(cluster):
    r = cluster.kubectl(["get", "--raw", "/api/v1/namespaces/default/pods?watch=1&resourceVersion=99999"])
    event = json.loads(r.stdout)
    assert (event["type"], event["object"]["code"], event["object"]["message"], r.code) == (
        "ERROR", 504, f"Too large resource version: 99999, current: {cluster.etcd.revision}", 0)


def test_a_get_of_one_object_ignores_watch_and_prints_the_object(cluster):
    r = cluster.kubectl(["get", "--raw", "/api/v1/namespaces/default/pods/web?watch=1"])
    assert (json.loads(r.stdout)["metadata"]["name"], r.code) == ("web", 0)


@pytest.mark.parametrize("path, stderr", [
    pytest.param("/api/v1/componentstatuses?watch=1",
                 'Error from server (MethodNotAllowed): watch is not supported on resources of kind '
                 '"componentstatuses"\n', id="componentstatuses cannot be watched"),
    pytest.param("/api/v1/namespaces/default/nopes?watch=1",
                 "Error from server (NotFound): the server could not find the requested resource\n",
                 id="a resource nobody serves is not found"),
])
def test_a_watch_the_server_refuses_is_an_error_and_changes_nothing(cluster, path, stderr):
    revision = cluster.etcd.revision
    r = cluster.kubectl(["get", "--raw", path])
    assert (r.stdout, r.stderr, r.code, cluster.etcd.revision) == ("", stderr, 1, revision)


def test_watch_false_is_a_plain_list(cluster):
    r = cluster.kubectl(["get", "--raw", "/api/v1/namespaces/default/pods?watch=false"])
    assert json.loads(r.stdout)["kind"] == "PodList"


# -- the subresource paths a curious student tries next -------------------------------------------

METHOD_NOT_ALLOWED = ("Error from server (MethodNotAllowed): the server does not allow this method on the "
                      "requested resource\n")
NOT_FOUND = "Error from server (NotFound): the server could not find the requested resource\n"


@pytest.mark.parametrize("path, kind", [
    pytest.param("/api/v1/namespaces/default/pods/web/status", "Pod", id="a pod's status is the whole pod"),
    pytest.param("/api/v1/namespaces/default/pods/web/ephemeralcontainers", "Pod",
                 id="a pod's ephemeralcontainers is the whole pod"),
    pytest.param("/apis/apps/v1/namespaces/default/deployments/d/status", "Deployment",
                 id="a deployment's status is the whole deployment"),
    pytest.param("/apis/apps/v1/namespaces/default/deployments/d/scale", "Scale", id="a deployment's scale is a Scale"),
])
def test_get_raw_of_a_served_subresource_prints_its_object(cluster, path, kind):
    cluster.kubectl("create deployment d --image=nginx")
    r = cluster.kubectl(["get", "--raw", path])
    assert (json.loads(r.stdout)["kind"], r.stderr, r.code) == (kind, "", 0)


@pytest.mark.parametrize("argv, stderr", [
    pytest.param(["get", "--raw", "/api/v1/namespaces/default/pods/web/binding"], METHOD_NOT_ALLOWED,
                 id="a pod's binding is for POST only"),
    pytest.param(["get", "--raw", "/api/v1/namespaces/default/pods/web/eviction"], METHOD_NOT_ALLOWED,
                 id="a pod's eviction is for POST only"),
    pytest.param(["create", "--raw", "/api/v1/namespaces/default/pods/web", "-f", "-"], METHOD_NOT_ALLOWED,
                 id="one object's path takes no POST"),
    pytest.param(["get", "--raw", "/api/v1/namespaces/default/configmaps/kube-root-ca.crt/status"], NOT_FOUND,
                 id="a configmap has no status subresource"),
    pytest.param(["get", "--raw", "/api/v1/namespaces/default/pods/web/scale"], NOT_FOUND,
                 id="a pod has no scale subresource"),
    pytest.param(["get", "--raw", "/apis/apps/v1/namespaces/default/deployments/web/binding"], NOT_FOUND,
                 id="only pods have a binding"),
    pytest.param(["get", "--raw", "/api/v1/namespaces/default/pods/nope/status"],
                 'Error from server (NotFound): pods "nope" not found\n', id="a missing pod's status is not found"),
])
def test_a_subresource_path_the_server_does_not_serve_this_way_is_its_error(cluster, argv, stderr):
    revision = cluster.etcd.revision
    r = cluster.kubectl(argv, stdin="{}")
    assert (r.stdout, r.stderr, r.code, cluster.etcd.revision) == ("", stderr, 1, revision)


@pytest.mark.parametrize("query, expected", [
    pytest.param("", ["other", "web"], id="without selectors every pod is listed"),
    pytest.param("?labelSelector=run%3Dweb", ["web"], id="a label selector narrows the list"),
    pytest.param("?labelSelector=run=other", ["other"], id="a selector's equals sign may go unescaped"),
    pytest.param("?fieldSelector=metadata.name%21%3Dweb", ["other"], id="a field selector narrows the list"),
])
def test_get_raw_of_a_collection_lists_what_its_selectors_match(cluster, query, expected):
    cluster.kubectl("run other --image=nginx")
    r = cluster.kubectl(["get", "--raw", f"/api/v1/namespaces/default/pods{query}"])
    assert [item["metadata"]["name"] for item in json.loads(r.stdout)["items"]] == expected
