"""The three patch types, as pure functions and through the API server."""

import pytest
from apiserver_builders import deployment, expect_error, pod, service

from k8slearn.api.errors import ApiError
from k8slearn.api.patch import JSON_PATCH_FAILED, json_merge_patch, json_patch, strategic_merge_patch
from k8slearn.api.patch_diff import two_way_merge_patch


def _pod_spec(*containers):
    return {"spec": {"containers": [dict(c) for c in containers]}}


WEB = {"name": "web", "image": "nginx:1.25"}
LOG = {"name": "log", "image": "busybox"}

SMP_CASES = [
    (_pod_spec(WEB, LOG), {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}, "Pod",
     _pod_spec({"name": "web", "image": "nginx:1.27"}, LOG)),
    (_pod_spec(WEB), {"spec": {"containers": [{"name": "side", "image": "envoy"}]}}, "Pod",
     _pod_spec(WEB, {"name": "side", "image": "envoy"})),
    (_pod_spec(WEB, LOG), {"spec": {"containers": [{"name": "log", "$patch": "delete"}]}}, "Pod",
     _pod_spec(WEB)),
    (_pod_spec({**WEB, "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}),
     {"spec": {"containers": [{"name": "web", "env": [{"name": "B", "value": "20"},
                                                      {"name": "C", "value": "3"}]}]}},
     "Pod",
     _pod_spec({**WEB, "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "20"},
                               {"name": "C", "value": "3"}]})),
    (_pod_spec({**WEB, "ports": [{"containerPort": 80, "name": "http"}]}),
     {"spec": {"containers": [{"name": "web", "ports": [{"containerPort": 80, "protocol": "TCP"},
                                                         {"containerPort": 443}]}]}},
     "Pod",
     _pod_spec({**WEB, "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"},
                                 {"containerPort": 443}]})),
    ({"metadata": {"labels": {"app": "web", "tier": "front"}}},
     {"metadata": {"labels": {"tier": None, "track": "canary"}}}, "Pod",
     {"metadata": {"labels": {"app": "web", "track": "canary"}}}),
    ({"spec": {"tolerations": [{"key": "a", "operator": "Exists"}]}},
     {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}}, "Pod",
     {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}}),
    ({"metadata": {"finalizers": ["a"]}}, {"metadata": {"finalizers": ["b", "a"]}}, "Pod",
     {"metadata": {"finalizers": ["a", "b"]}}),
    ({"metadata": {"finalizers": ["a", "b"]}},
     {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}, "Pod",
     {"metadata": {"finalizers": ["b"]}}),
    ({"spec": {"selector": {"app": "web", "tier": "db"}}},
     {"spec": {"selector": {"$patch": "replace", "app": "api"}}}, "Service",
     {"spec": {"selector": {"app": "api"}}}),
    ({"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}]}},
     {"spec": {"ports": [{"port": 80, "targetPort": 9090}]}}, "Service",
     {"spec": {"ports": [{"port": 80, "targetPort": 9090}, {"port": 443}]}}),
    ({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}}},
     {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}, "Deployment",
     {"spec": {"strategy": {"type": "Recreate"}}}),
    (_pod_spec({**WEB, "args": ["-a", "-b"]}),
     {"spec": {"containers": [{"name": "web", "args": ["-c"]}]}}, "Pod",
     _pod_spec({**WEB, "args": ["-c"]})),
]


@pytest.mark.parametrize(
    "original, patch, kind, expected",
    SMP_CASES,
    ids=[
        "containers are merged by name: one image changes, the other container stays",
        "a container with a new name is appended",
        "$patch: delete removes the container with that name",
        "env is merged by name inside the merged container",
        "container ports are merged by containerPort",
        "labels merge and a null value deletes a label",
        "tolerations have no merge key: the list is replaced",
        "finalizers are a merged set of strings",
        "$deleteFromPrimitiveList removes strings from a merged list",
        "$patch: replace replaces a whole map",
        "service ports are merged by port",
        "$retainKeys drops the keys it does not list",
        "args are an atomic list: replaced",
    ],
)
def test_strategic_merge_patch(original, patch, kind, expected):
    assert strategic_merge_patch(original, patch, kind) == expected


# RFC 7386 appendix A, every example.
MERGE_CASES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize("original, patch, expected", MERGE_CASES,
                         ids=[f"RFC 7386 example {i + 1} gives the RFC's result"
                              for i in range(len(MERGE_CASES))])
def test_json_merge_patch_follows_rfc_7386(original, patch, expected):
    assert json_merge_patch(original, patch) == expected


def test_a_merge_patch_replaces_a_list_that_a_strategic_patch_would_merge():
    original = _pod_spec(WEB, LOG)
    patch = {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}
    assert json_merge_patch(original, patch) == _pod_spec({"name": "web", "image": "nginx:1.27"})


JSON_PATCH_CASES = [
    ({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}], {"foo": "bar", "baz": "qux"}),
    ({"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}],
     {"foo": ["bar", "qux", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}], {"foo": "bar"}),
    ({"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}], {"foo": ["bar", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}],
     {"baz": "boo", "foo": "bar"}),
    ({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
     [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
     {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
    ({"foo": ["all", "grass", "cows", "eat"]}, [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
     {"foo": ["all", "cows", "eat", "grass"]}),
    ({"baz": "qux", "foo": ["a", 2, "c"]},
     [{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}],
     {"baz": "qux", "foo": ["a", 2, "c"]}),
    ({"foo": "bar"}, [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
     {"foo": "bar", "child": {"grandchild": {}}}),
    ({"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
     {"foo": ["bar", ["abc", "def"]]}),
    ({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}], {"/": 9, "~1": 10}),
    ({"a": {"b": 1}}, [{"op": "copy", "from": "/a", "path": "/c"}], {"a": {"b": 1}, "c": {"b": 1}}),
]


@pytest.mark.parametrize("original, ops, expected", JSON_PATCH_CASES, ids=[
    "RFC 6902 A.1: add an object member",
    "RFC 6902 A.2: add an array element",
    "RFC 6902 A.3: remove an object member",
    "RFC 6902 A.4: remove an array element",
    "RFC 6902 A.5: replace a value",
    "RFC 6902 A.6: move a value",
    "RFC 6902 A.7: move an array element",
    "RFC 6902 A.8: test a value (success)",
    "RFC 6902 A.10: add a nested member object",
    "RFC 6902 A.16: add an array value with -",
    "RFC 6902 A.14: ~01 escapes ~1",
    "copy a value",
])
def test_json_patch_follows_rfc_6902(original, ops, expected):
    assert json_patch(original, ops) == expected


@pytest.mark.parametrize("original, ops", [
    ({"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}]),
    ({"foo": "bar"}, [{"op": "add", "path": "/baz/bat", "value": "qux"}]),
    ({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": "10"}]),
    ({"foo": "bar"}, [{"op": "remove", "path": "/missing"}]),
    ({"foo": ["bar"]}, [{"op": "replace", "path": "/foo/1", "value": 1}]),
], ids=[
    "RFC 6902 A.9: a failed test",
    "RFC 6902 A.12: adding to a nonexistent target",
    "RFC 6902 A.15: a string is not equal to a number",
    "removing a missing member",
    "replacing past the end of an array",
])
def test_a_json_patch_that_does_not_apply_is_the_generic_422(original, ops):
    with pytest.raises(ApiError) as info:
        json_patch(original, ops)
    assert (info.value.code, info.value.reason, info.value.message) == (422, "Invalid", JSON_PATCH_FAILED)


# ---- through the API server ----------------------------------------------------------------------


def test_kubectl_set_image_is_a_strategic_patch_that_bumps_generation(api):
    api.create(deployment("web"))
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.28"}]}}}}
    patched = api.patch("deployments", "web", patch)
    container = patched["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:1.28" and container["imagePullPolicy"] == "IfNotPresent"
    assert patched["metadata"]["generation"] == 2


def test_a_label_patch_is_traced_with_its_type(server, api):
    api.create(pod("web", labels={"app": "web"}))
    patch = {"metadata": {"labels": {"app": None, "tier": "db"}}}
    patched = api.patch("pods", "web", patch, patch_type="merge")
    assert patched["metadata"]["labels"] == {"tier": "db"}
    request = server.loop.trace[-2]
    assert (request.action, request.object, request.detail) == ("patch", "pod/default/web", "merge")


def test_a_json_patch_can_make_a_precondition_test(server, api):
    api.create(service("web"))
    rv = api.get("services", "web")["metadata"]["resourceVersion"]
    ops = [{"op": "test", "path": "/metadata/resourceVersion", "value": rv},
           {"op": "add", "path": "/metadata/labels", "value": {"checked": "yes"}}]
    assert api.patch("services", "web", ops, patch_type="json")["metadata"]["labels"] == {"checked": "yes"}
    expect_error(server, lambda: api.patch("services", "web", ops, patch_type="json"), 422, "Invalid",
                 JSON_PATCH_FAILED)


def test_a_status_patch_goes_through_the_status_subresource(api):
    api.create(pod("web"))
    patched = api.patch("pods", "web", {"status": {"phase": "Running"}, "spec": {"nodeName": "x"}},
                        subresource="status")
    assert patched["status"]["phase"] == "Running" and "nodeName" not in patched["spec"]


def test_a_patch_carrying_a_stale_resource_version_conflicts(server, api):
    api.create(pod("web"))
    stale = {"metadata": {"resourceVersion": "1", "labels": {"a": "b"}}}
    expect_error(server, lambda: api.patch("pods", "web", stale), 409, "Conflict")


@pytest.mark.parametrize("resource, name, patch, patch_type, code, reason", [
    ("pods", "ghost", {"metadata": {"labels": {"a": "b"}}}, "strategic", 404, "NotFound"),
    ("pods", "web", {"spec": {"containers": [{"image": "x"}]}}, "strategic", 500, ""),
    ("pods", "web", {"spec": {"containers": [{"name": "app", "image": ""}]}}, "strategic", 422, "Invalid"),
    ("pods", "web", [{"op": "remove", "path": "/spec/nope"}], "json", 422, "Invalid"),
    ("pods", "web", {"a": 1}, "apply", 415, "UnsupportedMediaType"),
    ("pods", "web", {"metadata": {"uid": "someone-else"}, "status": {"phase": "Failed"}}, "strategic", 422, "Invalid"),
], ids=[
    "patching a missing object is not found",
    "a strategic patch list element without its merge key is the server's 500 (mergepatch.ErrNoMergeKey)",
    "a patch that makes the object invalid is refused",
    "a JSON patch removing a missing path is refused",
    "an unknown patch type is unsupported",
    "a patch carrying another object's uid is refused (the kubelet's status patches carry the pod's)",
])
def test_refused_patches_write_nothing(server, api, resource, name, patch, patch_type, code, reason):
    api.create(pod("web"))
    subresource = "status" if "status" in patch else ""
    expect_error(server, lambda: api.patch(resource, name, patch, patch_type=patch_type, subresource=subresource),
                 code, reason)


CONDITIONS = [{"type": t, "status": "True"} for t in ("PodReadyToStartContainers", "Initialized", "Ready")]


@pytest.mark.parametrize("original, modified", [
    ({"status": {"phase": "Pending"}}, {"status": {"phase": "Running", "podIP": "10.244.1.2"}}),
    ({"status": {"phase": "Running", "message": "x"}}, {"status": {"phase": "Running"}}),
    ({"status": {"conditions": [{"type": "PodScheduled", "status": "True"}]}},
     {"status": {"conditions": [*CONDITIONS, {"type": "PodScheduled", "status": "True"}]}}),
    ({"status": {"conditions": [*CONDITIONS]}}, {"status": {"conditions": CONDITIONS[::-1]}}),
    ({"status": {"conditions": [*CONDITIONS]}}, {"status": {"conditions": CONDITIONS[1:]}}),
    ({"status": {"conditions": [{"type": "Ready", "status": "False", "reason": "ContainersNotReady"}]}},
     {"status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
    ({"status": {"containerStatuses": [{"name": "a", "ready": False}, {"name": "b", "ready": True}]}},
     {"status": {"containerStatuses": [{"name": "a", "ready": True}, {"name": "b", "ready": True}]}}),
    ({"status": {"podIPs": [{"ip": "10.0.0.1"}]}}, {"status": {"podIPs": [{"ip": "10.0.0.2"}]}}),
    ({"metadata": {"finalizers": ["a", "b"]}}, {"metadata": {"finalizers": ["b", "c"]}}),
], ids=[
    "a changed and an added field",
    "a removed field is sent as null",
    "new conditions, in the new order",
    "the same conditions reordered",
    "a removed condition",
    "a changed condition loses the fields it no longer has",
    "a list without a merge key goes whole",
    "pod IPs merge by ip",
    "finalizers are a set",
])
def test_applying_the_two_way_patch_of_two_versions_gives_the_second(original, modified):
    patch = two_way_merge_patch(original, modified, "Pod")
    assert strategic_merge_patch(original, patch, "Pod") == modified
    assert two_way_merge_patch(modified, modified, "Pod") == {}


def test_a_two_way_patch_names_the_new_order_and_sends_only_changed_elements():
    old = {"status": {"conditions": [{"type": "PodScheduled", "status": "True"},
                                     {"type": "Ready", "status": "False"}]}}
    new = {"status": {"conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"},
                                     {"type": "Initialized", "status": "True"}]}}
    assert two_way_merge_patch(old, new, "Pod") == {"status": {
        "conditions": [{"status": "True", "type": "Ready"}, {"type": "Initialized", "status": "True"}],
        "$setElementOrder/conditions": [{"type": "Ready"}, {"type": "PodScheduled"}, {"type": "Initialized"}]}}


def test_set_element_order_puts_the_named_elements_first_in_its_order():
    original = {"status": {"conditions": [{"type": "C"}, {"type": "X"}, {"type": "A"}]}}
    patch = {"status": {"$setElementOrder/conditions": [{"type": "A"}, {"type": "B"}, {"type": "C"}],
                        "conditions": [{"type": "B"}]}}
    assert [c["type"] for c in strategic_merge_patch(original, patch, "Pod")["status"]["conditions"]] == \
        ["A", "B", "C", "X"]
