"""A picture in a deck says what it shows: the alt text a course picture carries in its output's
metadata (k8slearn.viz.panels.picture_metadata) becomes its ``<img alt>`` (templates/reveal_local
overrides the lab template's data_png block). A picture without one keeps nbconvert's default
(HTMLExporter.from_notebook_node). Reads the exported HTML: no npm, no browser."""

from __future__ import annotations

import base64

import build_slides
import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from k8slearn.viz.panels import figure_png, picture_metadata

NBCONVERT_DEFAULT = "No description has been provided for this image"
CLUSTER_WORDS = 'Cluster: 3 worker nodes, all Ready; 4 pods Running on node-1..3 <one "new">.'
TOP_LEVEL_WORDS = "A picture whose alt is at the top level of its metadata"


def png() -> str:
    from matplotlib.figure import Figure

    return base64.b64encode(figure_png(Figure(figsize=(1, 1), dpi=20))).decode("ascii")


def picture(metadata: dict) -> dict:
    return new_output("display_data", data={"image/png": png(), "text/plain": "<picture>"}, metadata=metadata)


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> list[str]:
    """The alt of each picture in the deck, in order."""
    directory = tmp_path_factory.mktemp("deck")
    nb = new_notebook(cells=[
        new_markdown_cell("# Architecture", metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("ClusterView(cluster)", outputs=[picture(picture_metadata(CLUSTER_WORDS))]),
        new_code_cell("picture", outputs=[picture({"alt": TOP_LEVEL_WORDS})]),
        new_code_cell("plain_figure", outputs=[picture({})]),
    ])
    path = directory / "03_architecture.ipynb"
    nbformat.write(nb, path)
    deck = build_slides.export(path, directory).read_text()
    return [img.get("alt") for img in BeautifulSoup(deck, "html.parser").select("img")]


def test_a_picture_with_alt_metadata_has_that_alt_in_the_deck(images):
    assert images[0] == CLUSTER_WORDS


def test_alt_at_the_top_level_of_the_metadata_is_used_too_as_get_metadata_falls_back_there(images):
    assert images[1] == TOP_LEVEL_WORDS


def test_a_picture_without_alt_metadata_keeps_nbconverts_default(images):
    assert images[2:] == [NBCONVERT_DEFAULT]


def test_the_deck_has_one_img_per_picture(images):
    assert len(images) == 3
