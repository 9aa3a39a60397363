"""draw: the alt text, and a few fast checks of the matplotlib picture (Agg, no pyplot)."""

import pytest
from vizkit import node, owner, pod, sample_objects, service

from k8slearn.viz import style
from k8slearn.viz.draw import ClusterFigure, draw_cluster, render_png, summary
from k8slearn.viz.snapshot import Snapshot


def snap_of(objects, now=0.0):
    return Snapshot.from_objects(objects, now=now)


WORKERS = [node("control-plane", control_plane=True), node("node-1"), node("node-2"), node("node-3")]


CP_TAINT = " Taints: control-plane has node-role.kubernetes.io/control-plane:NoSchedule."
_UNREACHABLE = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}


def _tainted(name, taints):
    obj = node(name)
    obj["spec"]["taints"] = taints
    return obj


@pytest.mark.parametrize("objects, kwargs, expected", [
    (sample_objects(), {},
     "3 worker nodes and 1 control-plane node, all Ready; 7 pods: 3 Running on node-1, node-2, "
     "1 ContainerCreating on node-3, 1 Pending, 1 CrashLoopBackOff on node-2, 1 Terminating on node-3. "
     "Services: web selects 3 pods." + CP_TAINT),
    (WORKERS + [pod(f"web-{i}", f"node-{i}", labels={"app": "web"}) for i in (1, 2, 3)]
     + [pod("w", "", "Pending"), service("web", {"app": "web"})], {},
     "3 worker nodes and 1 control-plane node, all Ready; 4 pods: 3 Running on node-1..3, 1 Pending. "
     "Services: web selects 3 pods." + CP_TAINT),
    ([node("node-1"), node("node-2", ready="False"), node("node-3", ready="Unknown", unschedulable=True)], {},
     "3 worker nodes, 1 Ready, node-2 NotReady, node-3 NotReady (no heartbeat) (node-3 cordoned); no pods."),
    ([node("node-1")], {}, "1 worker node, Ready; no pods."),
    ([node("node-1"), pod("a", "node-1", "Pending"), pod("b", "", "Pending"), pod("c", "node-1", "Pending")],
     {},
     "1 worker node, Ready; 3 pods: 2 Pending on node-1, 1 Pending."),
    ([], {}, "No nodes; no pods."),
    (sample_objects(), {"selector": "app=web"},
     "3 worker nodes and 1 control-plane node, all Ready; 3 pods matching app=web: "
     "2 Running on node-1, node-2, 1 ContainerCreating on node-3. Services: web selects 3 pods." + CP_TAINT),
    (sample_objects(), {"namespace": "dev"},
     "3 worker nodes and 1 control-plane node, all Ready; no pods in namespace dev." + CP_TAINT),
    ([node("node-1"), pod("a", "node-1", labels={"app": "db"})], {"selector": {"app": "db"}},
     "1 worker node, Ready; 1 pod matching app=db: 1 Running on node-1."),
    ([node("node-1")] + [_tainted(f"node-{i}", [_UNREACHABLE]) for i in (2, 3, 4)], {},
     "4 worker nodes, all Ready; no pods. Taints: node-2..4 have node.kubernetes.io/unreachable:NoExecute."),
], ids=[
    "the demo cluster is described node by node and status by status",
    "three or more consecutive nodes are written as a range",
    "unready and cordoned nodes are named",
    "a single node is simply Ready",
    "pending pods already bound to a node are told apart from those still waiting for one",
    "an empty cluster says so",
    "a selector is mentioned and limits the pods counted",
    "a namespace is mentioned and limits pods and services",
    "a matchLabels selector is written the way kubectl -l takes it",
    "nodes with the same taints are named together after the rest",
])
def test_summary(objects, kwargs, expected):
    assert summary(snap_of(objects), **kwargs) == expected


COLOUR_GROUPS = [
    ("Running", "running"), ("Pending", "pending"), ("ContainerCreating", "pending"), ("Init:0/1", "pending"),
    ("Succeeded", "succeeded"), ("Completed", "succeeded"), ("Failed", "failed"),
    ("CrashLoopBackOff", "failed"),
    ("ImagePullBackOff", "failed"), ("Init:Error", "failed"), ("ExitCode:137", "failed"),
    ("Terminating", "terminating"), ("Unknown", "unknown"),
]


@pytest.mark.parametrize("status, category", COLOUR_GROUPS,
                         ids=[f"a pod whose STATUS is {s} is coloured as {c}" for s, c in COLOUR_GROUPS])
def test_every_status_has_one_colour_group(status, category):
    assert style.pod_category(status) == category


def test_draw_cluster_returns_a_figure_with_legends_and_the_time_in_the_title():
    from matplotlib.figure import Figure

    fig = draw_cluster(snap_of(sample_objects(), now=42.0))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    titles = [t.get_title() for t in ax.artists if hasattr(t, "get_title")]
    assert [t.get_text() for t in titles] == ["Pods", "Nodes", "Edges"]
    assert "t = 42.0 s" in ax.get_title(loc="left")


def test_a_drawn_cluster_shows_itself_as_png_in_a_notebook_without_pyplot():
    fig = draw_cluster(snap_of(sample_objects()))
    assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"


def test_draw_cluster_can_draw_into_a_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert draw_cluster(snap_of(sample_objects()), ax=ax) is fig


def test_render_png_is_a_png_and_the_same_for_the_same_state():
    png = render_png(snap_of(sample_objects()))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert render_png(snap_of(sample_objects())) == png


def test_redrawing_with_changed_pods_reuses_the_figure():
    picture = ClusterFigure()
    objects = sample_objects()
    picture.update(snap_of(objects))
    first = picture.png()
    objects.append(pod("extra", "node-2", "CrashLoopBackOff"))
    fig = picture.update(snap_of(objects))
    assert picture.rebuilds == 1 and fig is picture.figure
    assert picture.png() != first
    assert picture.layout.slots["node/node-2"][-1] == "pod/default/extra"


def test_the_fast_redraw_draws_what_a_full_build_draws():
    objects = sample_objects()
    picture = ClusterFigure()
    picture.update(snap_of(objects))
    picture.png()
    objects[2] = node("node-2", ready="False")
    objects.append(pod("extra", "node-3", "Succeeded"))
    picture.update(snap_of(objects, now=5.0))
    assert picture.rebuilds == 1
    fresh = ClusterFigure()
    fresh.update(snap_of([o for o in objects if o["metadata"]["name"] != "extra"], now=5.0))
    fresh.update(snap_of(objects, now=5.0))
    assert picture.png() == fresh.png()


def test_adding_a_node_rebuilds_the_figure():
    picture = ClusterFigure()
    objects = sample_objects()
    picture.update(snap_of(objects))
    picture.update(snap_of(objects + [node("node-4")]))
    assert picture.rebuilds == 2
    assert [c.id for c in picture.layout.columns][-2:] == ["node/node-4", "lane/pending"]


def test_a_crowded_node_gets_a_count_badge_instead_of_dots():
    objects = [node("node-1")] + [pod(f"p{i:02d}", "node-1") for i in range(35)]
    objects += [pod(f"q{i}", "node-1", "Pending") for i in range(2)]
    picture = ClusterFigure()
    picture.update(snap_of(objects))
    badge = picture._columns["node/node-1"][2]
    assert badge.get_visible() and badge.get_text() == "37 pods:\n35 Running\n2 Pending"
    assert len(picture._pods.get_offsets()) == 0


def test_collapsed_owners_are_drawn_as_boxes_with_counts():
    objects = sample_objects() + [owner("DaemonSet", "kube-proxy", "kube-system", 1),
                                  pod("kube-proxy-a", "node-1", namespace="kube-system",
                                      owner=("DaemonSet", "kube-proxy"))]
    picture = ClusterFigure()
    picture.update(snap_of(objects), collapse_owners=True)
    texts = {n: t.get_text() for n, t in picture._boxes.items()}
    assert texts["deployment/default/web"] == "Deployment web\n3 pods: 2 Running, 1 ContainerCreating"
    assert texts["daemonset/kube-system/kube-proxy"] == "DaemonSet kube-proxy\n1 pod: 1 Running"


def test_highlight_rings_the_named_pod():
    picture = ClusterFigure()
    picture.update(snap_of(sample_objects()), highlight="db")
    assert [tuple(p) for p in picture._halo.get_offsets()] == [picture.layout.positions["pod/default/db"]]


# -- readable from the back of a room: text sizes, and bigger text that still does not collide --

def _drawn(objects, **kwargs):
    picture = ClusterFigure()
    picture.update(snap_of(objects), **kwargs)
    picture.png()            # lays the text out
    return picture


def _legends(picture):
    return [a for a in picture.ax.artists if hasattr(a, "get_title")]


FOUR_NODES = WORKERS + [pod(f"web-7c4b4cb947-{c}x2x9", f"node-{i}", owner=("ReplicaSet", "web-7c4b4cb947"))
                        for i, c in ((1, "a"), (2, "b"), (3, "c"))]
PICTURES = [
    (FOUR_NODES, {}),
    (FOUR_NODES + [owner("ReplicaSet", "web-7c4b4cb947", "default", 3)], {"collapse_owners": True}),
    ([node(f"node-{i}") for i in range(1, 10)] + [pod("a", "node-1"), pod("b", "")], {}),
]
PICTURE_IDS = ["the usual four nodes", "with an owner box, whose legend has five edges", "nine nodes and a Pending lane"]


@pytest.mark.parametrize("objects, kwargs", PICTURES, ids=PICTURE_IDS)
def test_the_three_legends_sit_side_by_side_inside_the_picture(objects, kwargs):
    picture = _drawn(objects, **kwargs)
    boxes = [legend.get_window_extent() for legend in _legends(picture)]
    assert len(boxes) == 3
    for left, right in zip(boxes, boxes[1:]):
        assert left.x1 < right.x0
    figure = picture.figure.bbox
    assert all(0 <= b.x0 and b.x1 <= figure.x1 and b.y0 >= 0 for b in boxes)


def test_pod_names_and_legend_entries_are_as_big_as_a_notebooks_text_and_names_keep_17_letters():
    picture = _drawn(FOUR_NODES)
    px = lambda size: size * picture.figure.dpi / 72          # noqa: E731
    names = [t for t in picture._labels if t.get_visible()]
    assert [t.get_text() for t in names][-3:] == ["web-7c4b…47-ax2x9", "web-7c4b…47-bx2x9", "web-7c4b…47-cx2x9"]
    assert min(px(t.get_fontsize()) for t in names) >= 13.5
    entries = [t for legend in _legends(picture) for t in legend.get_texts()]
    assert min(px(t.get_fontsize()) for t in entries) >= 13.5


@pytest.mark.parametrize("objects, kwargs", PICTURES, ids=PICTURE_IDS)
def test_every_pod_name_ends_inside_its_nodes_box(objects, kwargs):
    picture = _drawn(objects, **kwargs)
    for text in (t for t in picture._labels if t.get_visible()):
        x, _ = text.get_position()
        column = min(picture.layout.columns, key=lambda col: abs(col.x - x))
        box = picture._columns[column.id][0].get_window_extent()
        assert text.get_window_extent().x1 <= box.x1, text.get_text()


def test_a_cordoned_notready_nodes_three_line_header_stays_above_its_first_pod():
    objects = WORKERS[:1] + [node("node-1", ready="False", unschedulable=True), pod("a", "node-1")]
    picture = _drawn(objects)
    header = picture._columns["node/node-1"][1]
    assert header.get_text() == "node-1\nNotReady,\nSchedulingDisabled"
    dot_top = picture.ax.transData.transform(picture.layout.positions["pod/default/a"])[1] + 6
    assert header.get_window_extent().y0 > dot_top


def test_a_cordoned_nodes_status_fits_its_column_even_among_many_columns():
    objects = [node(f"node-{i}") for i in range(1, 8)] + [node("node-8", unschedulable=True)]
    picture = _drawn(objects)
    header = picture._columns["node/node-8"][1]
    assert "SchedulingDisabled" in header.get_text()
    assert header.get_window_extent().width <= picture._columns["node/node-8"][0].get_window_extent().width
