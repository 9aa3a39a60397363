"""pods/binding: the scheduler's one write per pod, and its refusals."""

import pytest
from apiserver_builders import expect_error, pod

from k8slearn.api.errors import ApiError


def test_binding_sets_the_node_and_the_pod_scheduled_condition(server):
    api = server.client("kubectl")
    api.create(pod("web"))
    server.loop.run(3)
    server.client("kube-scheduler").bind("web", "default", "node-2")
    bound = api.get("pods", "web")
    assert bound["spec"]["nodeName"] == "node-2"
    assert bound["status"]["conditions"] == [{"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                                              "lastTransitionTime": "2026-01-05T09:00:03Z"}]


def test_binding_replaces_an_unschedulable_condition(server):
    api = server.client("kubectl")
    api.create(pod("web"))
    current = api.get("pods", "web")
    current["status"]["conditions"] = [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                        "message": "0/3 nodes are available"}]
    api.update_status(current)
    api.bind("web", "default", "node-1")
    assert api.get("pods", "web")["status"]["conditions"] == [
        {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
         "lastTransitionTime": "2026-01-05T09:00:00Z"}]


def test_a_bind_is_traced_with_the_node(server):
    server.client("kubectl").create(pod("web"))
    server.client("kube-scheduler").bind("web", "default", "node-1")
    steps = [(s.component, s.action, s.object, s.detail) for s in server.loop.trace[-2:]]
    assert steps == [("kube-scheduler", "bind", "pod/default/web", "node-1"),
                     ("etcd", "put", "/registry/pods/default/web", f"revision {server.store.revision}")]


@pytest.mark.parametrize(
    "setup, name, node, code, reason, message",
    [
        (lambda api: api.create(pod("web", nodeName="node-1")), "web", "node-2", 409, "Conflict",
         'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"'),
        (lambda api: (api.create(pod("web", finalizers=["example.com/x"])), api.delete("pods", "web")),
         "web", "node-2", 409, "Conflict",
         'Operation cannot be fulfilled on pods/binding "web": '
         "pod web is being deleted, cannot be assigned to a host"),
        (lambda api: None, "ghost", "node-1", 404, "NotFound", 'pods "ghost" not found'),
        (lambda api: api.create(pod("web")), "web", "", 500, "", "target.name: Required value"),
    ],
    ids=[
        "a pod already on a node cannot be bound again",
        "a pod being deleted cannot be bound",
        "binding a missing pod is not found",
        "a binding needs a target node",
    ],
)
def test_refused_bindings_write_nothing(server, setup, name, node, code, reason, message):
    api = server.client("kube-scheduler")
    setup(api)
    err = expect_error(server, lambda: api.bind(name, "default", node), code, reason, message)
    if code == 409:
        assert err.details == {"name": name, "kind": "pods/binding"}


def test_every_request_is_counted(server):
    before = server.requests
    api = server.client("kubectl")
    api.create(pod("web"))
    api.get("pods", "web")
    api.list("pods")
    with pytest.raises(ApiError):
        api.get("pods", "ghost")
    assert server.requests == before + 4
