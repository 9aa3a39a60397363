"""The scheduler inspector's pictures: a deck shows the decision of the moment, in readable text that
never overlaps."""

import base64

import pytest

from k8slearn import Cluster
from k8slearn.viz import style
from k8slearn.viz.scheduler_view import BARS_WIDTH, DECK_WIDTH, SchedulerView, score_bars

pytest.importorskip("matplotlib")

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=3, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    return c


def explanation_of(cluster, case):
    """The what-if of one case: the pod as it is, or a CPU request no node has room for."""
    view = SchedulerView(cluster, "web")
    if case == "pending":
        view.state.cpu_m = 5000
    return view.explanation()


def texts_of(fig):
    """Every visible piece of text of the figure, with the axes it belongs to (None: the figure's own)."""
    (ax,) = fig.axes
    found = [(t, None) for t in fig.texts]
    found += [(t, ax) for t in ax.texts]
    low, high = ax.get_xlim()
    ticks = [t for t in ax.get_xticklabels() if low <= t.get_position()[0] <= high]  # others: not drawn
    found += [(t, None) for t in [*ax.get_yticklabels(), *ticks, ax.xaxis.label]]
    if ax.get_legend():
        found += [(t, None) for t in ax.get_legend().get_texts()]
    return [(t, owner) for t, owner in found if t.get_visible() and t.get_text()]


@pytest.mark.parametrize("case", ["scheduled", "pending"])
@pytest.mark.parametrize("width, heading", [(BARS_WIDTH, False), (DECK_WIDTH, True)],
                         ids=["the panel's bars", "the deck's picture"])
def test_no_text_overlaps_or_leaves_the_picture_and_all_of_it_is_the_course_size(cluster, case, width,
                                                                                 heading):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = score_bars(explanation_of(cluster, case), width=width, heading=heading)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    boxes = []
    for text, owner in texts_of(fig):
        box = text.get_window_extent(renderer)
        inside = (owner or fig).bbox
        assert (box.x0 >= inside.x0 - 1 and box.x1 <= inside.x1 + 1
                and box.y0 >= inside.y0 - 1 and box.y1 <= inside.y1 + 1), f"{text.get_text()!r} is cut"
        assert text.get_fontsize() >= style.LABEL_SIZE, f"{text.get_text()!r} is small print"
        boxes.append((text.get_text(), box))
    overlapping = [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
                   if box_a.overlaps(box_b)]
    assert overlapping == []


def test_the_deck_picture_says_the_decision_and_why_each_node_was_filtered_out(cluster):
    fig = score_bars(explanation_of(cluster, "pending"), width=DECK_WIDTH, heading=True)
    words = [t.get_text() for t in fig.texts]
    assert words[0] == "default/web would stay Pending"
    assert words[1].startswith("0/4 nodes are available: 1 node(s) had untolerated taint")
    assert [t.get_text() for t in fig.axes[0].texts] == [
        "filtered out by TaintToleration: node(s) had untolerated taint"
        " {node-role.kubernetes.io/control-plane: }",
        "filtered out by NodeResourcesFit: Insufficient cpu",
        "filtered out by NodeResourcesFit: Insufficient cpu",
        "filtered out by NodeResourcesFit: Insufficient cpu",
    ]
    assert " ".join(words[-3:]).startswith(
        "Filters run on each node: NodeUnschedulable, NodeName, TaintToleration, NodeResourcesFit. "
        "Skipped for this pod (PreFilter found nothing to check): NodeAffinity, NodePorts,"
        " VolumeRestrictions,")


def test_the_legend_names_each_score_plugin_with_its_weight(cluster):
    fig = score_bars(explanation_of(cluster, "scheduled"))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["TaintToleration ×3", "NodeResourcesFit ×1", "NodeResourcesBalancedAllocation ×1"]


def test_shown_in_a_notebook_the_panel_brings_a_picture_of_its_decision_now(cluster):
    pytest.importorskip("ipywidgets")
    view = SchedulerView(cluster, "web")
    bundle = view._repr_mimebundle_()
    assert sorted(bundle) == [WIDGET_VIEW, "image/png", "text/plain"]
    picture = base64.b64decode(bundle["image/png"])
    assert picture == view.picture_png() and picture.startswith(b"\x89PNG")
    assert bundle["text/plain"] == repr(view) == "<SchedulerView pod=default/web: node-1>"
    view.widget().children[0].children[0].children[2].value = 4000  # the cpu slider: now Pending
    assert view.picture_png() != picture  # what the deck keeps is the picture of when the cell ran


def test_a_panel_whose_what_if_fails_brings_no_picture_and_says_the_error(cluster):
    pytest.importorskip("ipywidgets")
    bundle = SchedulerView(cluster, "no-such-pod")._repr_mimebundle_()
    assert sorted(bundle) == [WIDGET_VIEW, "text/plain"]
    assert bundle["text/plain"] == '<SchedulerView pod=default/no-such-pod: pods "no-such-pod" not found>'
