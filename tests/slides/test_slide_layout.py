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
    ([md("# A", "slide"), code("x", "1\n" * 20), code("y", "2\n" * 60), code("z", "3")],
     ["slide", "-", "subslide", "subslide"]),
    ([md("The whole journey in one picture:", "subslide"), code("x", "1\n" * 40), code("y", "2")],
     ["subslide", "-", "subslide"]),
    ([md("`kubectl describe pod web` ends with the same events:\n\nits FROM column.", "subslide"),
      code("x", "1\n" * 52), code("y", "2")],
     ["subslide", "subslide", "subslide"]),
    ([md("# A", "slide"), code("x", "1\n" * 20), md("# B", "subslide"), code("y", "2\n" * 20)],
     ["slide", "-", "subslide", "-"]),
], ids=["what fits stays on the slide", "the cell that would overflow starts a sub-slide",
        "a fragment that would appear off-screen starts a sub-slide", "a cell taller than a screen gets a sub-slide of its own",
        "but keeps the short lead-in before it, with which it is scaled to fit",
        "unless the lead-in would push the cell's last lines off the screen even at the smallest scale",
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


def check_result(text, source, tags=()):
    """A code cell whose output is a check's result: HTML and text/plain, as course.check displays it."""
    output = new_output("display_data", data={"text/html": f"<div>{text}</div>", "text/plain": text})
    metadata = {"slideshow": {"slide_type": "-"}, "tags": list(tags)}
    return new_code_cell(source, outputs=[output], metadata=metadata)


@pytest.mark.parametrize("source, text, tags, kept", [
    pytest.param('check(f, "t")', "✘ 0/3 cases pass", (), False, id="a failing check( loses its red table"),
    pytest.param('check_cluster(c, "t", f)', "✘ 0/1 checks pass", (), False,
                 id="a failing check_cluster( too"),
    pytest.param("pod_flow.check_order(my_order, cluster.trace)", "✘ 6/8 checks pass", (), False,
                 id="a failing check through a course helper, pod_flow.check_order(, too"),
    pytest.param("my_selectors = {}\nlabels_lab.check_selectors(cluster, my_selectors)",
                 "✘ 1/3 checks pass", (), False,
                 id="and labels_lab.check_selectors( on a later line of its cell"),
    pytest.param('check(g, "t")', "✔ 3/3 cases pass", (), True, id="a passing check keeps its result"),
    pytest.param("pod_flow.check_order(my_order, cluster.trace)", "✔ 8/8 checks pass", (), True,
                 id="a passing helper check keeps its result"),
    pytest.param('check_cluster(c, "t", f)', "✘ 0/1 checks pass", ("show-failure",), True,
                 id="a failing check tagged show-failure keeps its red table"),
    pytest.param("print(recheck(x))", "✘ not a check", (), True,
                 id="a call whose name only ends in check is no check"),
    pytest.param("print(my_check(x))", "✘ not a check", (), True,
                 id="nor one whose name only contains check_"),
    pytest.param('check(f, "t")', "filtered: node-1 ✘ Insufficient cpu", (), True,
                 id="an output with a cross that does not start with it is no failure"),
])
def test_which_check_results_the_room_sees(source, text, tags, kept):
    nb = new_notebook(cells=[check_result(text, source, tags)])
    slide_layout.for_the_room(nb)
    assert len(nb.cells[0].outputs) == (1 if kept else 0)


def test_a_failing_check_loses_only_its_red_table_not_what_the_cell_printed_before_it():
    cell = check_result("✘ 0/1 checks pass", 'print("applied")\ncheck_cluster(c, "t", f)')
    cell.outputs.insert(0, new_output("stream", name="stdout", text="applied\n"))
    nb = new_notebook(cells=[cell])
    slide_layout.for_the_room(nb)
    assert [o.output_type for o in nb.cells[0].outputs] == ["stream"]


@pytest.mark.parametrize("cells, expected", [
    pytest.param([md("## Background", "slide"), code("%load_ext k8slearn\nfrom k8slearn import Cluster"),
                  code("cluster = Cluster()", "NAME")], ["slide", "skip", "-"],
                 id="the cell that loads the extension first is skipped"),
    pytest.param([md("## Background", "slide"), code("from k8slearn import Cluster, use\n%load_ext k8slearn"),
                  code("cluster = Cluster()", "NAME")], ["slide", "skip", "-"],
                 id="and so is an import cell that loads it on its last line"),
    pytest.param([md("## Background", "slide"), md("## Set-up", "slide"),
                  code("import x\n%load_ext k8slearn"), code("cluster = Cluster()"),
                  md("## 1. Pods", "slide")],
                 ["slide", "skip", "skip", "skip", "slide"],
                 id="a Set-up heading is skipped with the code under it that prints nothing"),
    pytest.param([md("## Background", "slide"), md("## Set-up", "slide"),
                  code("import x\n%load_ext k8slearn"), md("Three workers."),
                  code("cluster = Cluster()\n%kubectl get nodes", "NAME"),
                  md("## 1. Pods", "slide")], ["slide", "skip", "skip", "slide", "-", "slide"],
                 id="prose under a Set-up heading starts the slide the heading started, "
                    "with the code that prints"),
    pytest.param([md("## Set up the lab", "slide"), code("lab = Cluster()")], ["slide", "-"],
                 id="a heading that says more than Set-up is content"),
])
def test_the_set_up_is_left_out(cells, expected):
    nb = new_notebook(cells=cells)
    slide_layout.for_the_room(nb)
    assert kinds(nb) == expected


def nav(text="[Course map](00_welcome.ipynb) · [← Welcome](00_welcome.ipynb)"):
    cell = md(text, "skip")
    cell.metadata["tags"] = ["nav"]
    return cell


@pytest.mark.parametrize("cells, expected", [
    pytest.param([nav(), md("# Why Kubernetes", "slide"), md("### Objectives", "subslide")],
                 [("# Why Kubernetes", "slide"), ("[Course map]", "-"), ("### Objectives", "subslide")],
                 id="the navigation links show under the title, on the title slide"),
    pytest.param([nav(), code("%load_ext k8slearn", slide_type="skip"), md("# Welcome", "slide")],
                 [("%load_ext", "skip"), ("# Welcome", "slide"), ("[Course map]", "-")],
                 id="after the first cell shown, whatever is skipped before it"),
    pytest.param([md("# Welcome", "slide"), md("text")], [("# Welcome", "slide"), ("text", "-")],
                 id="a notebook without a navigation cell is left alone"),
])
def test_every_deck_links_back_to_the_course_map(cells, expected):
    nb = new_notebook(cells=cells)
    slide_layout.for_the_room(nb)
    assert [(c.source[:len(prefix)], kind) for c, (prefix, _) in zip(nb.cells, expected)
            for kind in [slide_layout._slide_type(c)]] == expected


@pytest.mark.parametrize("cells, expected", [
    pytest.param([md("# A", "slide"), code("x", "1\n" * 20), code("y", "2\n" * 20), md("note on A", "notes")],
                 ["# A", "x", "note on A", "y"],
                 id="a note after content moved to a continuation stays on the slide it was written on"),
    pytest.param([md("# A", "slide"), code("x", "1\n" * 20), md("note on A", "notes"), code("y", "2\n" * 20)],
                 ["# A", "x", "note on A", "y"], id="a note before the break stays where it is"),
    pytest.param([md("# A", "slide"), code("x", "1\n" * 20), code("y", "2\n" * 20), md("# B", "slide"),
                  md("note on B", "notes")], ["# A", "x", "y", "# B", "note on B"],
                 id="a note on the next authored slide stays there"),
    pytest.param([md("# A", "slide"), code("x", "1\n" * 20), code("y", "2\n" * 20), md("n1", "notes"),
                  code("z", "3\n" * 20), md("n2", "notes")], ["# A", "x", "n1", "n2", "y", "z"],
                 id="several notes keep their order"),
])
def test_speaker_notes_stay_with_their_slide(cells, expected):
    nb = new_notebook(cells=cells)
    moved = slide_layout.paginate(nb)
    assert [c.source.split("\n")[0] for c in nb.cells] == expected
    assert all(slide_layout._slide_type(nb.cells[i]) == "subslide" for i in moved)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_slide_of_a_chapter_fits_a_screen_but_for_single_cells_taller_than_one(path):
    """(By the estimate; the template then scales what is still too big.)"""
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
    lead_in = slide_layout.SCREEN_LINES // 4  # a cell taller than a screen keeps a short lead-in
    too_tall = [s for s in slides if sum(s) > slide_layout.SCREEN_LINES and len(s) > 1
                and not (len(s) == 2 and s[0] <= lead_in and s[1] > slide_layout.SCREEN_LINES)]
    assert too_tall == []
    at_the_floor = slide_layout.SCREEN_LINES / slide_layout.FLOOR  # a lead-in never makes a slide scroll
    assert [s for s in slides if len(s) > 1 and sum(s) > at_the_floor] == []


def test_the_smallest_scale_is_the_one_the_deck_template_uses():
    template = Path(slide_layout.__file__).resolve().parents[1] / "templates" / "reveal_local" / "index.html.j2"
    assert f"var FLOOR = {slide_layout.FLOOR}," in template.read_text(encoding="utf-8")
