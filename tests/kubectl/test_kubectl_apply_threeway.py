"""The three-way patch of ``kubectl apply``: $retainKeys and one element per merge key."""

import pytest

from kubectl_kit import new_server
from k8slearn.api.patch import strategic_merge_patch
from k8slearn.kubectl.threeway import three_way_merge_patch

ORDER_AB = [{"name": "a"}, {"name": "b"}]
ROLLING = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}


def container(name, image, **fields):
    return {"name": name, "image": image, **fields}


def deployment(strategy=None, containers=None, volumes=None):
    spec = {"template": {"spec": {"containers": containers or [container("app", "nginx:1.27")]}}}
    if strategy is not None:
        spec["strategy"] = strategy
    if volumes is not None:
        spec["template"]["spec"]["volumes"] = volumes
    return {"spec": spec}


CASES = [
    ("changing a Deployment's strategy to Recreate names the keys the server keeps",
     deployment(), deployment({"type": "Recreate"}), deployment(ROLLING), "Deployment",
     {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}),
    ("a strategy the server filled in with rollingUpdate still gets $retainKeys, as upstream sends it",
     deployment({"type": "RollingUpdate"}), deployment({"type": "RollingUpdate"}), deployment(ROLLING),
     "Deployment", {"spec": {"strategy": {"$retainKeys": ["type"]}}}),
    ("a strategy the live object has exactly needs no patch",
     deployment({"type": "Recreate"}), deployment({"type": "Recreate"}), deployment({"type": "Recreate"}),
     "Deployment", {}),
    ("a DaemonSet's updateStrategy has no retainKeys strategy",
     {"spec": {}}, {"spec": {"updateStrategy": {"type": "OnDelete"}}},
     {"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}}},
     "DaemonSet", {"spec": {"updateStrategy": {"type": "OnDelete"}}}),
    ("a volume changed from a configMap to a secret keeps only the secret",
     deployment(volumes=[{"name": "cfg", "configMap": {"name": "cfg"}}]),
     deployment(volumes=[{"name": "cfg", "secret": {"secretName": "cfg"}}]),
     deployment(volumes=[{"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420}}]), "Deployment",
     {"spec": {"template": {"spec": {"$setElementOrder/volumes": [{"name": "cfg"}], "volumes": [
         {"$retainKeys": ["name", "secret"], "configMap": None, "name": "cfg",
          "secret": {"secretName": "cfg"}}]}}}}),
    ("a removed env var and a new image of one container are one element of the patch",
     deployment(containers=[container("app", "nginx:1.27", env=[{"name": "A"}, {"name": "B"}])]),
     deployment(containers=[container("app", "nginx:1.28", env=[{"name": "A"}])]),
     deployment(containers=[container("app", "nginx:1.27", env=[{"name": "A"}, {"name": "B"}])]),
     "Deployment",
     {"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "app"}], "containers": [
         {"$setElementOrder/env": [{"name": "A"}], "env": [{"$patch": "delete", "name": "B"}],
          "image": "nginx:1.28", "name": "app"}]}}}}),
    ("an element only the deletions name stays before the changed element it preceded there",
     deployment(containers=[container("a", "x", args=["1"]), container("b", "y", env=[{"name": "E"}])]),
     deployment(containers=[container("a", "x"), container("b", "z")]),
     deployment(containers=[container("a", "x", args=["1"]), container("b", "y", env=[{"name": "E"}])]),
     "Deployment",
     {"spec": {"template": {"spec": {"$setElementOrder/containers": ORDER_AB, "containers": [
         {"args": None, "name": "a"}, {"env": None, "image": "z", "name": "b"}]}}}}),
    ("a changed element the deletions do not name goes first, as mergeSortedSlice puts it",
     deployment(containers=[container("a", "x", args=["1"]), container("b", "y")]),
     deployment(containers=[container("a", "x"), container("b", "z")]),
     deployment(containers=[container("a", "x", args=["1"]), container("b", "y")]),
     "Deployment",
     {"spec": {"template": {"spec": {"$setElementOrder/containers": ORDER_AB, "containers": [
         {"image": "z", "name": "b"}, {"args": None, "name": "a"}]}}}}),
]


@pytest.mark.parametrize("original, modified, current, kind, expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_the_three_way_patch_is_what_kubectl_sends(original, modified, current, kind, expected):
    assert three_way_merge_patch(original, modified, current, kind) == expected


def test_the_server_applying_retain_keys_drops_the_rolling_update():
    recreate = deployment({"type": "Recreate"})
    patch = three_way_merge_patch(deployment(), recreate, deployment(ROLLING), "Deployment")
    patched = strategic_merge_patch(deployment(ROLLING), patch, "Deployment")
    assert patched["spec"]["strategy"] == {"type": "Recreate"}


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx:1.27
"""
RECREATE = DEPLOYMENT.replace("spec:\n  selector:", "spec:\n  strategy:\n    type: Recreate\n  selector:")


def test_applying_a_recreate_strategy_to_a_rolling_deployment_configures_it():
    _, client, k = new_server()
    k.run("apply -f -", stdin=DEPLOYMENT)
    results = [str(k.run("apply -f -", stdin=RECREATE)), str(k.run("apply -f -", stdin=RECREATE))]
    assert (results, client.get("deployments", "web")["spec"]["strategy"]) == (
        ["deployment.apps/web configured\n", "deployment.apps/web unchanged\n"], {"type": "Recreate"})


def test_diff_of_a_recreate_strategy_shows_the_rolling_update_going():
    _, _, k = new_server()
    k.run("apply -f -", stdin=DEPLOYMENT)
    result = k.run("diff -f -", stdin=RECREATE)
    assert (result.code, result.stderr) == (1, "")
    assert "   strategy:\n-    rollingUpdate:\n-      maxSurge: 25%\n-      maxUnavailable: 25%\n" \
           "-    type: RollingUpdate\n+    type: Recreate\n" in result.stdout


def test_removing_the_strategy_again_brings_back_the_defaulted_rolling_update():
    _, client, k = new_server()
    k.run("apply -f -", stdin=RECREATE)
    result = k.run("apply -f -", stdin=DEPLOYMENT)
    assert (str(result), client.get("deployments", "web")["spec"]["strategy"]) == (
        "deployment.apps/web configured\n", ROLLING)
