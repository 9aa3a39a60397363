"""tools/slide_layout.py fits a chapter to a screen: long slides continue on sub-slides, a quiz
hides its answers, an unsolved check its red table, and the course's own chapters then fit."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import slide_layout
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def md(text, slide_type="-"):
    return new_markdown_cell(text, metadata={"slideshow": {"slide_type": slide_type}})


def code(source, out="", slide_type="-"):
    outputs = [new_output("stream", name="stdout", text=out)] if out else []
    return new_code_cell(source, outputs=outputs, metadata={"slideshow": {"slide_type": slide_type}})


def kinds(nb):
    return [c.metadata["slideshow"]["slide_type"] for c in nb.cells]


@pytest.mark.parametrize("cells, expected", [
    ([md("# A", "slide"), code("x", "1\n" * 10), code("y", "2\n" * 10)], ["slide", "-", "-"]),
    ([md("# A", "slide"), code("x", "1\n" * 20), code("y", "2\n" * 20)], ["slide", "-", "subslide"]),
    ([md("# A", "slide"), code("x", "1\n" * 20), code("y", "2\n" * 20, "fragment")], ["slide", "-", "subslide"]),
    ([md("# A", "slide"), code("x", "1\n" * 60), code("y", "2")], ["slide", "subslide", "subslide"]),
    ([md("# A", "slide"), code("x", "1\n" * 20), md("# B", "subslide"), code("y", "2\n" * 20)],
     ["slide", "-", "subslide", "-"]),
], ids=["what fits stays on the slide", "the cell that would overflow starts a sub-slide",
        "a fragment that would appear off-screen starts a sub-slide", "a cell taller than a screen gets a sub-slide of its own",
        "the author's own sub-slides count from zero"])
def test_a_long_slide_continues_on_a_sub_slide(cells, expected):
    nb = new_notebook(cells=cells)
    slide_layout.paginate(nb)
    assert kinds(nb) == expected


def test_a_quiz_shows_no_answers_and_its_helpers_are_skipped():
    nb = new_notebook(cells=[md("## Questionnaire", "slide"), code("def helper():\n    return 1"),
                             code('Quiz([MultipleChoice("?", ["a", "b"], answer=1)])')])
    slide_layout.for_the_room(nb)
    assert nb.cells[2].metadata["tags"] == ["remove-input"]
    assert kinds(nb) == ["slide", "skip", "-"]


def test_an_unsolved_check_keeps_its_call_but_not_its_red_table_and_a_passing_one_keeps_both():
    nb = new_notebook(cells=[code('check(f, "t")', "✘ 0/3 cases pass"), code('check(g, "t")', "✔ 3/3 cases pass"),
                             code("%load_ext k8slearn")])
    slide_layout.for_the_room(nb)
    assert ([len(c.outputs) for c in nb.cells], kinds(nb)) == ([0, 1, 0], ["-", "-", "skip"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_slide_of_a_chapter_fits_a_screen_but_for_single_cells_taller_than_one(path):
    nb = nbformat.read(path, as_version=4)
    slide_layout.prepare(nb)
    slides, current = [], None
    for cell in nb.cells:
        kind = slide_layout._slide_type(cell)
        if kind in ("skip", "notes"):
            continue
        if kind in ("slide", "subslide") or current is None:
            current = []
            slides.append(current)
        current.append(slide_layout.cell_lines(cell))
    too_tall = [s for s in slides if sum(s) > slide_layout.SCREEN_LINES and len(s) > 1]
    assert too_tall == []
