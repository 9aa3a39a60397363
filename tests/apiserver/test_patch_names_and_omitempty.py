"""A patch may not rename or move the object its URL names; a patch that empties an omitempty
list or map stores no such field (patch.go applyPatch, rest.go checkName, encoding/json)."""

import pytest
from apiserver_builders import configmap, deployment, expect_error, node, pod

from k8slearn.api.omitempty import drop_empty_fields
from k8slearn.apiserver.request_names import NAMESPACE_MISMATCH

NAME_MISMATCH = "the name of the object ({}) does not match the name on the URL (config)"


@pytest.mark.parametrize("patch, patch_type, message", [
    ({"metadata": {"name": "other"}}, "strategic", NAME_MISMATCH.format("other")),
    ({"metadata": {"name": "other"}}, "merge", NAME_MISMATCH.format("other")),
    ([{"op": "replace", "path": "/metadata/name", "value": "other"}], "json", NAME_MISMATCH.format("other")),
    ({"metadata": {"name": None}}, "strategic", NAME_MISMATCH.format("")),
    ({"metadata": {"namespace": "kube-system"}}, "merge", NAMESPACE_MISMATCH),
    ([{"op": "replace", "path": "/metadata/namespace", "value": "kube-system"}], "json", NAMESPACE_MISMATCH),
], ids=[
    "a strategic patch renaming the object is a bad request",
    "a merge patch renaming the object is a bad request",
    "a JSON patch renaming the object is a bad request",
    "a patch removing the name is a bad request naming an empty name",
    "a merge patch moving the object to another namespace is a bad request",
    "a JSON patch moving the object to another namespace is a bad request",
])
def test_a_patch_that_names_another_object_is_refused_and_writes_nothing(server, api, patch, patch_type, message):
    api.create(configmap("config"))
    expect_error(server, lambda: api.patch("configmaps", "config", patch, patch_type=patch_type),
                 400, "BadRequest", message)


@pytest.mark.parametrize("patch", [
    {"metadata": {"namespace": None, "labels": {"a": "b"}}},
    {"metadata": {"namespace": "default", "name": "config", "labels": {"a": "b"}}},
], ids=[
    "a patch removing the namespace leaves the object in the request's namespace",
    "a patch repeating the object's own name and namespace is accepted",
])
def test_a_patch_keeping_the_url_name_is_applied(api, patch):
    api.create(configmap("config"))
    patched = api.patch("configmaps", "config", patch, patch_type="merge")
    assert (patched["metadata"]["namespace"], patched["metadata"]["labels"]) == ("default", {"a": "b"})


def test_a_patch_of_a_cluster_scoped_object_drops_a_namespace_it_brings(api):
    api.create(node("node-1"))
    patched = api.patch("nodes", "node-1", {"metadata": {"namespace": "default", "labels": {"a": "b"}}})
    assert "namespace" not in patched["metadata"] and patched["metadata"]["labels"] == {"a": "b"}


def _with_data(name, data):
    return {**configmap(name), "data": data}


@pytest.mark.parametrize("patch, patch_type", [
    ([{"op": "remove", "path": "/data/a"}], "json"),
    ({"data": {"a": None}}, "merge"),
    ({"data": {"a": None}}, "strategic"),
    ({"data": {"$patch": "replace"}}, "strategic"),
    ({"data": None}, "merge"),
], ids=[
    "a JSON patch removing the last data key",
    "a merge patch nulling the last data key",
    "a strategic patch nulling the last data key",
    "a strategic patch replacing data with an empty map",
    "a merge patch nulling data",
])
def test_a_configmap_whose_last_data_key_is_patched_away_stores_no_data(api, patch, patch_type):
    api.create(_with_data("config", {"a": "1"}))
    patched = api.patch("configmaps", "config", patch, patch_type=patch_type)
    assert "data" not in patched and "data" not in api.get("configmaps", "config")


def test_deleting_a_containers_last_env_var_stores_no_env_and_keeps_its_resources(api):
    api.create(deployment("web"))
    container = {"name": "app", "env": [{"name": "A", "value": "1"}]}
    api.patch("deployments", "web", {"spec": {"template": {"spec": {"containers": [container]}}}})
    gone = {"name": "app", "env": [{"name": "A", "$patch": "delete"}]}
    patched = api.patch("deployments", "web", {"spec": {"template": {"spec": {"containers": [gone]}}}})
    stored = patched["spec"]["template"]["spec"]["containers"][0]
    assert "env" not in stored and stored["resources"] == {}


def test_a_pod_keeps_an_empty_containers_list_the_patch_leaves_for_validation(server, api):
    api.create(pod("web"))
    error = expect_error(server, lambda: api.patch("pods", "web", {"spec": {"containers": []}}, patch_type="merge"),
                         422, "Invalid")
    assert "spec.containers: Required value" in error.message


@pytest.mark.parametrize("obj, patch, expected", [
    ({"apiVersion": "v1", "kind": "Secret", "data": {}, "stringData": {}, "type": "Opaque"},
     {"data": {"a": None}, "stringData": {}}, {"apiVersion": "v1", "kind": "Secret", "type": "Opaque"}),
    ({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "endpoints": [], "ports": []},
     [{"op": "remove", "path": "/ports/0"}],
     {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "endpoints": [], "ports": []}),
    ({"apiVersion": "v1", "kind": "Pod", "spec": {"nodeSelector": {}, "tolerations": []}},
     {"spec": {"nodeSelector": {"a": None}}},
     {"apiVersion": "v1", "kind": "Pod", "spec": {"tolerations": []}}),
], ids=[
    "a Secret's empty data and stringData are left out",
    "an EndpointSlice's endpoints and ports have no omitempty and stay",
    "only the fields the patch reached are walked",
])
def test_drop_empty_fields_follows_the_go_json_tags(obj, patch, expected):
    drop_empty_fields(obj, patch)
    assert obj == expected


@pytest.mark.parametrize("patch, code, reason, message", [
    ({"metadata": {"$patch": "bogus"}}, 500, "", "unknown patch type: bogus in map: map[$patch:bogus]"),
    ({"spec": {"containers": [{"name": "app", "$patch": "bogus"}]}}, 500, "",
     "unknown patch type: bogus in map: map[$patch:bogus name:app]"),
    ("not json", 400, "BadRequest", "json: cannot unmarshal string into Go value of type map[string]interface {}"),
    (5, 400, "BadRequest", "json: cannot unmarshal number into Go value of type map[string]interface {}"),
    ([1], 400, "BadRequest", "json: cannot unmarshal array into Go value of type map[string]interface {}"),
], ids=[
    "an unknown $patch directive in a map is mergepatch.ErrBadPatchType, a 500 printed as Go prints the map",
    "an unknown $patch directive in a merged list element is the same error",
    "a strategic patch that is a JSON string is a 400 naming a string",
    "a strategic patch that is a JSON number is a 400 naming a number",
    "a strategic patch that is a JSON array is a 400 naming an array",
])
def test_a_malformed_strategic_patch_gets_the_upstream_error(server, api, patch, code, reason, message):
    api.create(pod("web", image="nginx"))
    expect_error(server, lambda: api.patch("pods", "web", patch), code, reason, message)


def test_a_null_strategic_patch_changes_nothing(server, api):
    created = api.create(configmap("config"))
    assert api.patch("configmaps", "config", None) == created


def test_removing_a_pod_templates_last_annotation_stores_no_annotations(api):
    api.create(deployment("web"))
    restarted = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "now"}}}}}
    api.patch("deployments", "web", restarted)
    undone = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": None}}}}}
    patched = api.patch("deployments", "web", undone)
    assert "annotations" not in patched["spec"]["template"]["metadata"]
