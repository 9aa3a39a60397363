"""A slide with a line too long to fit even in a widened box wraps it, and still keeps whole the
lines that fit once the box is widened a little (templates/reveal_local's fitting script).

A deck of one slide is exported from a small notebook next to the real decks' vendor/ folder and
opened in headless chromium: a kubectl table one column wider than the slide, then a JSON line far
wider than any widening. The JSON line wraps; the table's rows stay one line each.
"""

from __future__ import annotations

import json

import build_slides
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from tests.slides.test_slides_offline import open_offline

pytestmark = pytest.mark.browser

ROW = "{:<24}{:<8}{:<10}{:<11}{:<7}{:<13}{:<9}{:<17}{}"
TABLE = "\n".join([
    ROW.format("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"),
    ROW.format("web-766486c5b6-d69q5", "1/1", "Running", "0", "2m4s", "10.244.2.3", "node-2", "<none>", "<none>"),
    ROW.format("web-766486c5b6-lc8wb", "1/1", "Running", "0", "2m4s", "10.244.3.2", "node-3", "<none>", "<none>"),
]) + "\n"
JSON_LINE = json.dumps([{"effect": "NoExecute", "key": f"node.kubernetes.io/taint-{i}", "operator": "Exists",
                         "tolerationSeconds": 300} for i in range(3)], separators=(",", ":")) + "\n"

# Each output's pre: how many lines it holds, and how many it shows (its height over one line's).
PRES = """() => {
  const slide = Reveal.getCurrentSlide();
  return {fit: parseFloat(slide.dataset.fit), wrap: slide.classList.contains('fit-wrap'),
          pres: Array.from(slide.querySelectorAll('.jp-OutputArea-output pre')).map(pre => {
            const shown = pre.getBoundingClientRect().height;
            const style = pre.style.whiteSpace;
            pre.style.whiteSpace = 'pre';
            const unwrapped = pre.getBoundingClientRect().height;
            pre.style.whiteSpace = style;
            return {lines: pre.textContent.trimEnd().split('\\n').length, wrapped: shown > unwrapped + 1};
          })};
}"""


@pytest.fixture(scope="module")
def fitted(decks, browser, tmp_path_factory) -> dict:
    directory = tmp_path_factory.mktemp("deck")
    (directory / "vendor").symlink_to(next(iter(decks.values())).parent / "vendor", target_is_directory=True)
    nb = new_notebook(cells=[
        new_markdown_cell("## Wide outputs", metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("%kubectl get pods -o wide", outputs=[new_output("stream", name="stdout", text=TABLE)]),
        new_code_cell("%kubectl get pod solo -o jsonpath='{.spec.tolerations}'",
                      outputs=[new_output("stream", name="stdout", text=JSON_LINE)]),
    ])
    path = directory / "wide_outputs.ipynb"
    nbformat.write(nb, path)
    page, problems = open_offline(browser, build_slides.export(path, directory))
    try:
        page.evaluate("() => Reveal.slide(0, 0)")
        page.wait_for_function("() => Reveal.getCurrentSlide().dataset.fit !== undefined")
        return page.evaluate(PRES)
    finally:
        page.close()


def test_a_line_too_long_for_any_widening_wraps(fitted):
    assert fitted["wrap"] is True
    assert fitted["pres"][1] == {"lines": 1, "wrapped": True}


def test_a_table_a_little_too_wide_keeps_each_row_on_one_line_in_a_widened_box(fitted):
    assert fitted["pres"][0] == {"lines": 3, "wrapped": False}
    assert 0.8 <= fitted["fit"] < 1
