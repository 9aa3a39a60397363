"""pods/eviction: the DisruptionTarget condition, then a graceful delete; and the refusals."""

import pytest
from apiserver_builders import expect_error, pod

from k8slearn.api.policy import eviction_body

DISRUPTION = {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
              "lastTransitionTime": "2026-01-05T09:00:03Z", "reason": "EvictionByEvictionAPI",
              "message": "Eviction API: evicting"}


def running_pod(server, name="web", **spec):
    api = server.client("kubectl")
    api.create(pod(name, nodeName="node-1", **spec))
    server.loop.run(3)
    return api


def test_an_eviction_marks_the_pod_then_deletes_it_gracefully(server):
    api = running_pod(server)
    status = server.client("kubectl").evict("web", "default")
    assert status == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}
    evicted = api.get("pods", "web")
    assert evicted["status"]["conditions"][-1] == DISRUPTION
    assert evicted["metadata"]["deletionTimestamp"] == "2026-01-05T09:00:33Z"  # now + the default 30 s
    assert evicted["metadata"]["deletionGracePeriodSeconds"] == 30


def test_an_eviction_is_one_traced_request_with_two_etcd_writes(server):
    running_pod(server)
    before = len(server.loop.trace)
    server.client("kubectl").evict("web", "default")
    steps = [(s.component, s.action, s.object) for s in server.loop.trace[before:]]
    assert steps == [("kubectl", "evict", "pod/default/web"),
                     ("etcd", "put", "/registry/pods/default/web"),
                     ("etcd", "put", "/registry/pods/default/web")]


@pytest.mark.parametrize("options, grace", [
    ({"gracePeriodSeconds": 5}, 5),
    ({}, 30),
], ids=["the eviction's grace period replaces the pod's", "without one the pod's own grace period applies"])
def test_the_eviction_delete_options_decide_the_grace_period(server, options, grace):
    api = running_pod(server)
    body = eviction_body("web", "default")
    body["deleteOptions"] = options
    api.evict("web", "default", body)
    assert api.get("pods", "web")["metadata"]["deletionGracePeriodSeconds"] == grace


def test_a_pod_evicted_twice_keeps_its_first_disruption_time(server):
    api = running_pod(server)
    api.evict("web", "default")
    server.loop.run(2)
    api.evict("web", "default")
    conditions = [c for c in api.get("pods", "web")["status"]["conditions"] if c["type"] == "DisruptionTarget"]
    assert conditions == [DISRUPTION]


def test_a_dry_run_eviction_changes_nothing(server):
    api = running_pod(server)
    before = server.store.revision
    assert api.evict("web", "default", eviction_body("web", "default", dry_run=True))["status"] == "Success"
    assert server.store.revision == before
    assert "deletionTimestamp" not in api.get("pods", "web")["metadata"]


@pytest.mark.parametrize("name, body, code, reason, message", [
    ("ghost", None, 404, "NotFound", 'pods "ghost" not found'),
    ("web", eviction_body("other", "default"), 400, "BadRequest",
     "name in URL does not match name in Eviction object"),
], ids=["evicting a missing pod is not found",
        "an Eviction naming another pod than the URL is a bad request"])
def test_refused_evictions_write_nothing(server, name, body, code, reason, message):
    api = running_pod(server)
    expect_error(server, lambda: api.evict(name, "default", body), code, reason, message)
    assert "deletionTimestamp" not in api.get("pods", "web")["metadata"]
