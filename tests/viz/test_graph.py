"""build_graph: nodes and edges of the cluster picture, filtering and collapsing owners."""

import pytest
from vizkit import node, owner, pod, sample_objects, service

from k8slearn.viz.graph import COMPONENTS, build_graph
from k8slearn.viz.snapshot import Snapshot


def graph_of(objects, **kwargs):
    return build_graph(Snapshot.from_objects(objects), **kwargs)


def ids(g, kind):
    return sorted(n for n, k in g.nodes(data="kind") if k == kind)


def edges(g, relation):
    return sorted((u, v) for u, v, r in g.edges(data="relation") if r == relation)


def test_control_plane_components_are_always_there_and_wired():
    g = graph_of([])
    assert ids(g, "component") == sorted(COMPONENTS)
    assert edges(g, "stores in") == [("component/kube-apiserver", "component/etcd")]
    assert edges(g, "watches") == [("component/kube-controller-manager", "component/kube-apiserver"),
                                   ("component/kube-scheduler", "component/kube-apiserver")]


def test_every_nodes_kubelet_watches_the_api_server():
    g = graph_of([node("node-1"), node("node-2")])
    kubelets = [(u, v) for u, v, d in g.edges(data=True) if d.get("via") == "kubelet"]
    assert sorted(kubelets) == [("node/node-1", "component/kube-apiserver"),
                                ("node/node-2", "component/kube-apiserver")]
    assert g.nodes["node/node-1"]["ready"] == "True"


@pytest.mark.parametrize("selector, pods, selected", [
    ({"app": "web"}, [("a", {"app": "web"}), ("b", {"app": "db"}), ("c", {"app": "web", "tier": "x"})],
     ["a", "c"]),
    ({"app": "web", "tier": "x"}, [("a", {"app": "web"}), ("c", {"app": "web", "tier": "x"})], ["c"]),
    ({"app": "web"}, [("a", {"app": "db"})], []),
    (None, [("a", {"app": "web"})], []),
], ids=[
    "a service selects exactly the pods whose labels include its selector",
    "every key of the selector must match",
    "a service whose selector matches nothing selects no pod",
    "a service without a selector selects no pod",
])
def test_service_selects_matching_pods(selector, pods, selected):
    objects = [node("node-1"), service("svc", selector)]
    objects += [pod(name, "node-1", labels=labels) for name, labels in pods]
    g = graph_of(objects)
    assert edges(g, "selects") == [("svc/default/svc", f"pod/default/{n}") for n in selected]
    assert g.nodes["svc/default/svc"]["pods"] == len(selected)


def test_a_service_does_not_select_pods_of_another_namespace():
    g = graph_of([service("web", {"app": "web"}), pod("w1", labels={"app": "web"}),
                  pod("w2", labels={"app": "web"}, namespace="dev")])
    assert edges(g, "selects") == [("svc/default/web", "pod/default/w1")]


def test_a_pod_without_a_node_has_no_runs_on_edge():
    g = graph_of([node("node-1"), pod("bound", "node-1"), pod("waiting", "", "Pending")])
    assert edges(g, "runs on") == [("pod/default/bound", "node/node-1")]
    assert g.nodes["pod/default/waiting"]["node"] == ""
    assert g.nodes["pod/default/waiting"]["status"] == "Pending"


@pytest.mark.parametrize("kwargs, pods", [
    ({}, ["pod/default/a", "pod/default/b", "pod/dev/c"]),
    ({"namespace": "dev"}, ["pod/dev/c"]),
    ({"selector": "app=web"}, ["pod/default/a", "pod/dev/c"]),
    ({"selector": "app!=web"}, ["pod/default/b"]),
    ({"selector": {"app": "web"}, "namespace": "default"}, ["pod/default/a"]),
], ids=[
    "without filters every pod is drawn",
    "a namespace keeps only that namespace's pods",
    "a label selector keeps the pods it matches",
    "a negative selector keeps the pods without that label value",
    "a matchLabels dict and a namespace combine",
])
def test_namespace_and_selector_filter_pods(kwargs, pods):
    g = graph_of([node("node-1"), pod("a", "node-1", labels={"app": "web"}),
                  pod("b", "node-1", labels={"app": "db"}),
                  pod("c", "node-1", labels={"app": "web"}, namespace="dev")], **kwargs)
    assert ids(g, "pod") == pods
    assert ids(g, "node") == ["node/node-1"]


def test_a_namespace_filter_hides_services_of_other_namespaces():
    g = graph_of([service("web", {"app": "web"}), service("api", {"app": "api"}, namespace="dev")],
                 namespace="dev")
    assert ids(g, "service") == ["svc/dev/api"]


def test_collapse_owners_groups_a_deployments_pods():
    g = build_graph(Snapshot.from_objects(sample_objects()), collapse_owners=True)
    assert ids(g, "owner") == ["deployment/default/web", "replicaset/default/web-7c4b4cb947"]
    assert [p for p in ids(g, "pod") if p.startswith("pod/default/web-")] == []
    deployment = g.nodes["deployment/default/web"]
    assert deployment["pods"] == 3
    assert deployment["statuses"] == {"Running": 2, "ContainerCreating": 1}
    assert deployment["nodes"] == {"node-1": 1, "node-2": 1, "node-3": 1}
    assert edges(g, "owns") == [("deployment/default/web", "replicaset/default/web-7c4b4cb947")]
    assert ("svc/default/web", "replicaset/default/web-7c4b4cb947") in edges(g, "selects")
    assert g.edges["replicaset/default/web-7c4b4cb947", "node/node-1"] == {"relation": "runs on", "pods": 1}


def test_collapse_keeps_pods_without_an_owner():
    g = build_graph(Snapshot.from_objects(sample_objects()), collapse_owners=True)
    assert "pod/default/db" in g and "pod/default/big-job" in g


def test_collapse_groups_a_daemonsets_pods_across_nodes():
    objects = [node("node-1"), node("node-2"), owner("DaemonSet", "kube-proxy", "kube-system", 2)]
    objects += [pod(f"kube-proxy-{n}", n, namespace="kube-system", owner=("DaemonSet", "kube-proxy"))
                for n in ("node-1", "node-2")]
    g = graph_of(objects, collapse_owners=True)
    assert ids(g, "pod") == []
    assert edges(g, "runs on") == [("daemonset/kube-system/kube-proxy", "node/node-1"),
                                   ("daemonset/kube-system/kube-proxy", "node/node-2")]


def test_without_collapse_pods_name_their_owner():
    g = build_graph(Snapshot.from_objects(sample_objects()))
    assert ids(g, "owner") == []
    assert g.nodes["pod/default/web-7c4b4cb947-x2x9z"]["owner"] == "ReplicaSet/web-7c4b4cb947"
