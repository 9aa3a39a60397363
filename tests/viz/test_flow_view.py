"""The flow player's pictures: readable words, a journey in slide-sized parts, and the picture of
the moment a static page or a deck shows instead of the live widget."""

import base64
import io

import pytest
from matplotlib.patches import FancyBboxPatch
from PIL import Image
from vizkit import recorder

from k8slearn import Cluster
from k8slearn.viz import style
from k8slearn.viz.flow_view import WIDTH, FlowPlayer, draw_sequence, figure_png, parts

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def player():
    cluster = Cluster(workers=3, seed=0)
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    return FlowPlayer(cluster, "web")


def words(figure) -> list:
    """The figure's drawn texts (an arrow is an annotation without words: left out)."""
    figure.canvas.draw()
    return [t for ax in figure.axes for t in ax.texts if t.get_text()]


def size(png: bytes) -> tuple:
    return Image.open(io.BytesIO(png)).size


@pytest.mark.parametrize(
    "count, per_picture, ranges",
    [
        (20, 10, [(0, 10), (10, 20)]),
        (23, 10, [(0, 8), (8, 16), (16, 23)]),
        (7, 10, [(0, 7)]),
        (0, 10, [(0, 0)]),
    ],
    ids=[
        "twenty hops make two pictures of ten",
        "twenty-three hops make three pictures of nearly the same size, not 10, 10 and 3",
        "a short journey is one picture",
        "no hops yet is one empty picture",
    ],
)
def test_a_journey_is_cut_into_even_parts_of_at_most_ten_hops(count, per_picture, ranges):
    assert [(r.start, r.stop) for r in parts(count, per_picture)] == ranges


def test_the_whole_journey_for_slides_is_two_pictures_of_ten_hops_that_fit_a_slide(player):
    assert len(player) == 20
    pictures = player.figures()
    counters = [[t.get_text() for t in words(f) if t.get_text().startswith("hops ")] for f in pictures]
    assert counters == [["hops 1–10 of 20"], ["hops 11–20 of 20"]]
    numbers = [[t.get_text().split()[0] for t in words(f) if "t=" in t.get_text()] for f in pictures]
    assert numbers == [[str(n) for n in range(1, 11)], [str(n) for n in range(11, 21)]]
    for figure in pictures:
        width, height = size(figure_png(figure))
        assert (width, height <= 500) == (WIDTH * style.DPI, True)  # with its code cell, fit 1 on 1280×800


@pytest.mark.parametrize("picture", ["first part", "second part", "whole journey", "moment at hop 10"])
def test_every_word_is_as_big_as_the_cluster_pictures_and_none_overlaps_another_or_leaves_the_picture(
    player, picture
):
    player.current = 9
    figure = {
        "first part": lambda: player.figures()[0],
        "second part": lambda: player.figures()[1],
        "whole journey": player.figure,
        "moment at hop 10": lambda: draw_sequence(player.hops, 9, title=player.title,
                                                  caption=player.sentence()),
    }[picture]()
    player.current = 0
    texts = words(figure)
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert min(t.get_fontsize() for t in texts) >= style.LABEL_SIZE
    inside = figure.bbox
    assert all(inside.contains(b.x0, b.y0) and inside.contains(b.x1, b.y1) for b in boxes)
    touching = [(texts[i].get_text(), texts[j].get_text()) for i in range(len(boxes))
                for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
    assert touching == []


def test_a_components_own_work_sits_inside_its_box_even_a_label_as_long_as_wait_for_attach_and_mount(
    player,
):
    figure = player.figures()[0]
    words(figure)
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    boxes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    labels = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}
    for label in ("filter + score", "WaitForAttachAndMount"):
        text = labels[label]
        assert any(b.contains(text.x0, text.y0) and b.contains(text.x1, text.y1) for b in boxes), label


def test_the_picture_of_the_moment_shows_the_current_hops_sentence_under_the_title(player):
    figure = draw_sequence(player.hops, 9, title=player.title, caption=player.sentence(9))
    lines = [t.get_text() for t in words(figure)
             if t.get_ha() == "left" and t.get_fontsize() == style.FONT_SIZE]  # the title and caption
    assert lines[0] == "The journey of pod/default/web"
    caption = " ".join(lines[1:])
    assert caption == player.sentence(9).strip()
    assert caption.startswith("10. t=0.006s  kubelet: The kubelet on node-2 waits (up to 2m3s)")


def test_displaying_the_player_gives_the_widget_and_a_png_of_that_moment_not_of_its_last_state(
    player, monkeypatch
):
    from k8slearn.viz import flow_view

    shown = []
    monkeypatch.setattr(flow_view, "display_bundles", recorder(shown))
    player._ipython_display_()
    at_hop_1 = player.moment_png()
    player._move(+9)                                     # a later click moves the live panel on
    [(bundle, metadata)] = shown
    assert metadata == {"image/png": {"alt": (
        f"The journey of pod/default/web, {len(player)} hops; now hop {player.sentence(0).strip()}")}}
    assert sorted(bundle) == [WIDGET_VIEW, "image/png", "text/plain"]
    assert bundle[WIDGET_VIEW]["model_id"] == player.widget().model_id
    assert base64.b64decode(bundle["image/png"]) == at_hop_1 != player.moment_png()
    assert bundle["text/plain"].startswith("VBox(children=(HBox(")   # the widget's own, as before
    width, height = size(at_hop_1)
    assert (width, height <= 600) == (WIDTH * style.DPI, True)      # a slide shows it at fit 1
    player._move(-20)


def test_the_same_journey_gives_the_same_png_bytes_every_time(player):
    assert figure_png(player.figures()[1]) == figure_png(player.figures()[1])
    assert player.moment_png() == player.moment_png()
