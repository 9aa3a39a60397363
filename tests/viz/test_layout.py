"""Layout: columns per node, stable pod slots, the Pending lane, summaries."""

import pytest
from vizkit import node, pod

from k8slearn.viz.graph import build_graph
from k8slearn.viz.layout import PENDING, SLOT_LIMIT, Layout, column_width, layout, natural_key
from k8slearn.viz.snapshot import Snapshot


def graph_of(objects):
    return build_graph(Snapshot.from_objects(objects))


def cluster(pods, nodes=("node-1", "node-2")):
    return [node(n) for n in nodes] + [pod(name, where, "Running" if where else "Pending")
                                       for name, where in pods]


PODS = [("a", "node-1"), ("b", "node-1"), ("c", "node-1"), ("d", "node-2")]


@pytest.mark.parametrize("change", [
    lambda pods: [p for p in pods if p[0] != "b"],
    lambda pods: pods + [("e", "node-1")],
    lambda pods: pods + [("e", "node-2"), ("f", "")],
    lambda pods: [p for p in pods if p[0] != "a"] + [("z", "node-2")],
], ids=[
    "removing a pod does not move the other pods",
    "adding a pod does not move the other pods",
    "adding pods to another node and to the Pending lane does not move the others",
    "removing one pod while adding another elsewhere does not move the rest",
])
def test_pods_keep_their_positions(change):
    lay = Layout()
    before = lay.update(graph_of(cluster(PODS)))
    after = lay.update(graph_of(cluster(change(PODS))))
    kept = [f"pod/default/{name}" for name, _ in PODS if f"pod/default/{name}" in after]
    assert kept and all(after[p] == before[p] for p in kept)


def test_a_new_pod_takes_the_first_free_slot():
    lay = Layout()
    lay.update(graph_of(cluster(PODS)))
    lay.update(graph_of(cluster([p for p in PODS if p[0] != "a"])))
    assert lay.slots["node/node-1"] == [None, "pod/default/b", "pod/default/c"]
    lay.update(graph_of(cluster([p for p in PODS if p[0] != "a"] + [("new", "node-1")])))
    assert lay.slots["node/node-1"] == ["pod/default/new", "pod/default/b", "pod/default/c"]


def test_a_deleted_pod_at_the_end_frees_its_slot():
    lay = Layout()
    lay.update(graph_of(cluster(PODS)))
    lay.update(graph_of(cluster([p for p in PODS if p[0] != "c"])))
    assert lay.slots["node/node-1"] == ["pod/default/a", "pod/default/b"]


def test_adding_a_node_keeps_the_existing_columns_in_order():
    lay = Layout()
    lay.update(graph_of(cluster(PODS, nodes=("node-1", "node-2", "node-10"))))
    before = [c.id for c in lay.columns]
    lay.update(graph_of(cluster(PODS, nodes=("node-1", "node-2", "node-10", "node-3"))))
    after = [c.id for c in lay.columns]
    assert [c for c in after if c in before] == before == ["node/node-1", "node/node-2", "node/node-10"]
    xs = [x for _, x in lay.columns]
    assert xs == sorted(xs)


def test_the_control_plane_node_comes_first_then_nodes_by_name():
    g = graph_of([node("node-10"), node("node-2"), node("control-plane", control_plane=True), node("node-1")])
    lay = Layout()
    lay.update(g)
    assert [c.id for c in lay.columns] == ["node/control-plane", "node/node-1", "node/node-2", "node/node-10"]


def test_pods_sit_in_their_nodes_column_and_pending_pods_in_the_pending_lane():
    lay = Layout()
    pos = lay.update(graph_of(cluster([("a", "node-2"), ("w", "")])))
    columns = dict(lay.columns)
    assert [c.id for c in lay.columns][-1] == PENDING
    assert pos["pod/default/a"][0] == pytest.approx(columns["node/node-2"] - 0.3 * lay.column_width)
    assert pos["pod/default/w"][0] == pytest.approx(columns[PENDING] - 0.3 * lay.column_width)
    assert lay.slots[PENDING] == ["pod/default/w"]


def test_no_pending_lane_until_a_pod_waits_for_a_node_then_it_stays():
    lay = Layout()
    lay.update(graph_of(cluster(PODS)))
    assert PENDING not in [c.id for c in lay.columns]
    lay.update(graph_of(cluster(PODS + [("w", "")])))
    lay.update(graph_of(cluster(PODS + [("w", "node-2")])))
    assert [c.id for c in lay.columns][-1] == PENDING and lay.slots.get(PENDING) is None


def test_columns_grow_in_steps_and_do_not_shrink():
    lay = Layout()
    lay.update(graph_of(cluster(PODS)))
    assert lay.rows == 3
    lay.update(graph_of(cluster(PODS + [("e", "node-1")])))
    assert lay.rows == 6
    lay.update(graph_of(cluster(PODS[:1])))
    assert lay.rows == 6


def test_the_control_plane_sits_above_the_nodes():
    pos = layout(graph_of(cluster(PODS)))
    assert pos["component/etcd"][1] > pos["component/kube-apiserver"][1] > pos["node/node-1"][1]
    assert pos["node/node-1"][1] > pos["pod/default/a"][1] > pos["pod/default/b"][1]


def test_a_crowded_column_is_summarised_at_one_spot():
    many = [(f"p{i:02d}", "node-1") for i in range(SLOT_LIMIT + 3)]
    lay = Layout()
    pos = lay.update(graph_of(cluster(many + [("x", "node-2")])))
    assert lay.summarised == {"node/node-1": SLOT_LIMIT + 3}
    assert len({pos[f"pod/default/{name}"] for name, _ in many}) == 1
    assert pos["pod/default/x"] != pos["pod/default/p00"]


def test_layout_is_the_same_for_the_same_graph():
    g = graph_of(cluster(PODS + [("w", "")]))
    assert layout(g) == layout(g)


@pytest.mark.parametrize("names, expected", [
    (["node-10", "node-2", "node-1"], ["node-1", "node-2", "node-10"]),
    (["b", "a-1", "a"], ["a", "a-1", "b"]),
], ids=["numbers in names sort by value", "names without numbers sort as text"])
def test_natural_key(names, expected):
    assert sorted(names, key=natural_key) == expected


@pytest.mark.parametrize("columns, width", [(1, 1.4), (4, 1.4), (5, 1.2), (6, 1.0), (12, 1.0)],
                         ids=["one column is as wide as a column gets",
                              "the usual four columns widen to 1.4 so pod names keep more letters",
                              "five columns share the control-plane row's width",
                              "six columns fill it at the normal width",
                              "many columns keep the normal width and the picture grows"])
def test_a_few_node_columns_share_the_width_the_control_plane_row_needs(columns, width):
    assert column_width(columns) == pytest.approx(width)


def test_columns_are_spaced_by_their_width():
    lay = Layout()
    lay.update(graph_of(cluster([], nodes=("node-1", "node-2", "node-3"))))
    assert [x for _, x in lay.columns] == pytest.approx([0.0, 1.4, 2.8])
