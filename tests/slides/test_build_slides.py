"""tools/build_slides.py writes decks that point only at vendor/ and at each other.

These checks read the exported HTML and need neither npm nor a browser; the offline check in
a real browser is test_slides_offline.py.
"""

from __future__ import annotations

import re

import build_slides
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> str:
    directory = tmp_path_factory.mktemp("deck")
    nb = new_notebook(cells=[
        new_markdown_cell("# Architecture", metadata={"slideshow": {"slide_type": "slide"}}),
        new_markdown_cell("**Next:** [Pod creation flow](04_pod_creation_flow.ipynb), "
                          "[a section](06_scheduling.ipynb#Filtering) "
                          "and [the docs](https://kubernetes.io/docs/)",
                          metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("1 + 1", metadata={"slideshow": {"slide_type": "-"}}),
    ])
    path = directory / "03_architecture.ipynb"
    nbformat.write(nb, path)
    return build_slides.export(path, directory).read_text()


def _loaded_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("url", [
    pytest.param("vendor/jquery.min.js", id="jQuery comes from vendor"),
    pytest.param("vendor/require.js", id="require.js comes from vendor"),
    pytest.param("vendor/reveal.js/dist/reveal.css", id="reveal's stylesheet comes from vendor"),
    pytest.param("vendor/reveal.js/dist/theme/white.css", id="the theme is white, which needs no web fonts"),
    pytest.param("vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe", id="MathJax comes from vendor"),
])
def test_the_deck_loads_its_assets_from_vendor(html, url):
    assert url in _loaded_urls(html)


def test_no_script_or_stylesheet_is_loaded_from_the_network(html):
    assert [u for u in _loaded_urls(html) if not u.startswith("vendor/")] == []


def test_the_mermaid_import_from_a_cdn_is_gone(html):
    assert "mermaid" not in html


@pytest.mark.parametrize("link", [
    pytest.param('href="04_pod_creation_flow.slides.html"', id="a link to a notebook points to its deck"),
    pytest.param('href="06_scheduling.slides.html#Filtering"', id="a link to a section keeps its anchor"),
    pytest.param('href="https://kubernetes.io/docs/"', id="web links are left alone"),
])
def test_links_between_notebooks_become_links_between_decks(html, link):
    assert link in html


def test_the_deck_is_titled_after_its_chapter(html):
    assert "<title>Architecture slides</title>" in html


@pytest.mark.parametrize("text", [
    pytest.param('require(["vendor/reveal.js/dist/reveal.js"], function (Reveal) {',
                 id="the fitting script gets reveal from vendor"),
    pytest.param('Reveal.on("slidechanged", show);', id="it fits a slide when it is shown"),
    pytest.param("new ResizeObserver(", id="and again when a widget on it renders"),
    pytest.param('.fit-box', id="it scales one box holding the slide's content"),
    pytest.param("var scroll = false", id="nbconvert's own scrolling is off: only what cannot fit scrolls"),
    pytest.param(".reveal .widget-subarea > .jupyter-widgets::after",
                 id="the snapshot caption goes under the outermost widget"),
])
def test_the_deck_fits_each_slide_to_the_screen(html, text):
    assert text in html


def test_the_snapshot_caption_is_not_under_every_nested_box(html):
    assert "widget-vbox::after" not in html


def test_the_fitting_script_is_inline_and_loads_nothing(html):
    script = html[html.index("/* Fit each slide"):]
    script = script[:script.index("</script>")]
    assert re.findall(r"https?://", script) == []



def test_the_hangul_font_the_deck_asks_for_is_one_that_vendor_gets(html):
    (url,) = re.findall(r'url\("(vendor/noto-sans-kr/[^"]+)"\)', html)
    rules = build_slides.LAYOUT["@fontsource/noto-sans-kr@5.3.0"]
    assert any(prefix + m.group(1) == url[len("vendor/"):]
               for rx, prefix in rules for m in [re.fullmatch(rx, url[len("vendor/noto-sans-kr/"):])] if m)
