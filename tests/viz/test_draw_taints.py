"""The cluster picture writes each node's taints under its box, as ``kubectl describe node`` lists them."""

import pytest
from vizkit import node, pod, service

from k8slearn import Cluster
from k8slearn.viz.draw import ClusterFigure
from k8slearn.viz.draw_text import _taints_text
from k8slearn.viz.snapshot import Snapshot

UNREACHABLE = [{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
               {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}]


def tainted(name, taints, **kwargs):
    obj = node(name, **kwargs)
    obj["spec"]["taints"] = taints
    return obj


def drawn(objects):
    picture = ClusterFigure()
    picture.update(Snapshot.from_objects(objects))
    picture.png()            # lays the text out
    return picture


def taint_text(picture, name):
    text = picture._columns[f"node/{name}"][4]
    return text.get_text() if text.get_visible() else ""


DEMO = [node("control-plane", control_plane=True), node("node-1"),
        tainted("node-2", [{"key": "dedicated", "value": "infra", "effect": "NoSchedule"}]),
        tainted("node-3", UNREACHABLE, ready="Unknown")]


@pytest.mark.parametrize("name, expected", [
    ("control-plane", "Taints:\nnode-role.kubernetes.io/control-plane:NoSchedule"),
    ("node-1", ""),
    ("node-2", "Taints:\ndedicated=infra:NoSchedule"),
    ("node-3", "Taints:\nnode.kubernetes.io/unreachable:NoSchedule\nnode.kubernetes.io/unreachable:NoExecute"),
], ids=[
    "the control plane's own taint is written under its box, broken after the key's prefix",
    "a node without taints has nothing under its box",
    "a taint with a value reads key=value:Effect",
    "a stopped node's two unreachable taints both fit, the NoExecute one that evicts its pods too",
])
def test_each_node_shows_its_taints_under_its_box(name, expected):
    shown = taint_text(drawn(DEMO), name)
    assert shown.replace("/\n", "/") == expected


def test_the_taints_stay_inside_their_columns_and_above_the_services():
    picture = drawn(DEMO + [pod("web", "node-1", labels={"app": "web"}), service("web", {"app": "web"})])
    service_top = picture._boxes["svc/default/web"].get_window_extent().y1
    for column in picture.layout.columns:
        box, text = picture._columns[column.id][0], picture._columns[column.id][4]
        if text.get_visible():
            extent, frame = text.get_window_extent(), box.get_window_extent()
            assert frame.x0 <= extent.x0 and extent.x1 <= frame.x1, text.get_text()
            assert extent.y1 <= frame.y0 and extent.y0 > service_top, text.get_text()


@pytest.mark.parametrize("taints, chars, expected", [
    (("a=b:NoSchedule",), 30, "Taints:\na=b:NoSchedule"),
    (("dedicated=infra:NoExecute", "a=b:NoSchedule", "c:NoSchedule", "d:NoSchedule"), 30,
     "Taints:\ndedicated=infra:NoExecute\na=b:NoSchedule\n+2 more"),
    (("node-role.kubernetes.io/control-plane:NoSchedule",), 10, "1 taint"),
    (("a:NoSchedule", "b:NoSchedule"), 5, ""),
    ((), 30, ""),
], ids=[
    "one short taint takes one line under the heading",
    "more taints than lines end with how many more there are",
    "a column too narrow for the taint shows how many taints the node has",
    "a column too narrow even for the count shows nothing",
    "no taints, no words",
])
def test_taints_are_abbreviated_to_fit_their_room(taints, chars, expected):
    assert _taints_text(taints, chars, 4) == expected


def test_in_seventeen_narrow_columns_the_taints_are_counted_within_each_column():
    objects = [node("control-plane", control_plane=True)]
    objects += [tainted(f"node-{i}", UNREACHABLE) for i in range(1, 17)]
    picture = drawn(objects)
    assert taint_text(picture, "node-1") == "2 taints"
    for column in picture.layout.columns:
        text = picture._columns[column.id][4]
        if text.get_visible():
            assert text.get_window_extent().width <= picture._columns[column.id][0].get_window_extent().width


def test_a_new_taint_is_redrawn_without_rebuilding_the_picture():
    picture = ClusterFigure()
    picture.update(Snapshot.from_objects(DEMO))
    before = picture.rebuilds
    later = DEMO[:1] + [tainted("node-1", [{"key": "gpu", "effect": "NoExecute"}])] + DEMO[2:]
    picture.update(Snapshot.from_objects(later))
    assert picture.rebuilds == before
    assert taint_text(picture, "node-1") == "Taints:\ngpu:NoExecute"


def test_a_stopped_node_shows_the_node_controllers_unreachable_taints():
    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    picture = ClusterFigure()
    picture.update(cluster)
    assert taint_text(picture, "node-1") == ""
    cluster.stop_node("node-1")
    cluster.run(seconds=70)
    picture.update(cluster)
    assert "node.kubernetes.io/\nunreachable:NoSchedule" in taint_text(picture, "node-1")


def test_in_five_columns_the_daemonset_chapters_taints_are_listed_whole_in_smaller_type():
    infra = [{"key": "dedicated", "value": "infra", "effect": "NoExecute"}]
    objects = [node("control-plane", control_plane=True), node("node-1"), tainted("node-2", infra),
               node("node-3"), node("node-4")]
    picture = drawn(objects)
    assert taint_text(picture, "node-2").replace("\n", "") == "Taints:dedicated=infra:NoExecute"
    assert taint_text(picture, "control-plane").replace("\n", "") == (
        "Taints:node-role.kubernetes.io/control-plane:NoSchedule")


@pytest.mark.parametrize("workers, room", [(19, True), (40, False)], ids=[
    "twenty columns keep a band under the boxes for the taints",
    "forty columns are too narrow to write a taint in, so no band is kept for them",
])
def test_the_band_for_taints_is_kept_only_where_a_taint_can_be_written(workers, room):
    objects = [node("control-plane", control_plane=True)] + [tainted(f"node-{i}", UNREACHABLE)
                                                            for i in range(1, workers + 1)]
    picture = drawn(objects)
    assert (picture.layout.taint_room > 0) == room
    shown = [picture._columns[c.id][4].get_visible() for c in picture.layout.columns]
    assert any(shown) == room
