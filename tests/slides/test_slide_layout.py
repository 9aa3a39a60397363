"""tools/slide_layout.py fits a chapter to a screen: long slides continue on sub-slides, a quiz
shows one question at a time with its answer closed, an unsolved check hides its red table, and the
course's own chapters then fit."""

from __future__ import annotations

import base64
import re
import struct
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
    ([md("# A", "slide"), code("x", "1\n" * 16), md("These pods run there:"), code("y", "2\n" * 12)],
     ["slide", "-", "subslide", "-"]),
    ([md("# A", "slide"), md("These pods run there:"), code("y", "2\n" * 26)], ["slide", "-", "-"]),
    ([md("# A", "slide"), code("x", "1\n" * 16), md("These pods run there."), code("y", "2\n" * 12)],
     ["slide", "-", "-", "subslide"]),
    ([md("# A\n\nThe map:", "slide"), code("x", "1\n" * 24)], ["slide", "-"]),
    ([md("# A\n\nThe map:", "slide"), code("x", "1\n" * 27)], ["slide", "subslide"]),
    ([md("# A\n\n" + "Some words. " * 45 + "\n\nIt stops once quiet:", "slide"), code("x", "1\n" * 16)],
     ["slide", "-"]),
    ([md("# A\n\n" + "Some words. " * 45 + "\n\nIt stops once quiet.", "slide"), code("x", "1\n" * 16)],
     ["slide", "subslide"]),
    ([md("# A", "slide"), code("x", "1\n" * 26), md("Keep an eye on it."), md("# B", "slide")],
     ["slide", "-", "-", "slide"]),
    ([md("# A", "slide"), code("x", "1\n" * 26), md("Keep an eye on it."), code("y", "2")],
     ["slide", "-", "subslide", "-"]),
], ids=["what fits stays on the slide", "the cell that would overflow starts a sub-slide",
        "a fragment that would appear off-screen starts a sub-slide", "a cell taller than a screen gets a sub-slide of its own",
        "but keeps the short lead-in before it, with which it is scaled to fit",
        "unless the lead-in would push the cell's last lines off the screen even at the smallest scale",
        "the author's own sub-slides count from zero",
        "a lead-in ending with a colon moves on with what it introduces",
        "but a heading and its lead-in are not left alone: they keep it within the slack of a few lines",
        "a paragraph that does not end with a colon stays behind",
        "a lone heading keeps what follows up to the slack of a few lines",
        "but not past it",
        "a longer heading cell that ends with a colon keeps what it announces too",
        "but a longer one that does not is a slide of its own",
        "a short remark that closes its slide stays on it, within the slack",
        "but not when more of its slide follows"])
def test_a_long_slide_continues_on_a_sub_slide(cells, expected):
    nb = new_notebook(cells=cells)
    slide_layout.paginate(nb)
    assert kinds(nb) == expected


QUIZ_HTML = ("<div><b>Questionnaire</b><ol><li>Who acts first?<ul style='list-style:circle'><li>kubelet</li>"
             "<li>scheduler</li></ul><details><summary>Answer</summary><b>scheduler</b>.</details></li>"
             "<li>How many writes?<ul style='list-style:circle'><li>1</li><li>4</li></ul>"
             "<details><summary>Answer</summary><b>4</b>.</details></li></ol></div>")


def quiz(html=QUIZ_HTML):
    """A quiz cell as course.quiz saves it: its widget view, its HTML (answers in closed boxes) and text."""
    view = {"model_id": "m", "version_major": 2, "version_minor": 0}
    data = {"application/vnd.jupyter.widget-view+json": view, "text/plain": "Quiz"}
    if html:
        data["text/html"] = html
    return new_code_cell('Quiz([MultipleChoice("?", ["a", "b"], answer=1)])',
                         outputs=[new_output("display_data", data=data)],
                         metadata={"slideshow": {"slide_type": "-"}})


def test_a_quiz_shows_one_question_per_sub_slide_with_its_answer_closed_and_its_helpers_are_skipped():
    nb = new_notebook(cells=[md("## Questionnaire", "slide"), code("def helper():\n    return 1"), quiz()])
    slide_layout.for_the_room(nb)
    assert kinds(nb) == ["slide", "skip", "-", "subslide"]
    shown = [(c.source, c.metadata["tags"], [list(o["data"]) for o in c.outputs]) for c in nb.cells[2:]]
    assert shown == [("", ["remove-input"], [["text/html", "text/plain"]])] * 2
    first, second = (c.outputs[0]["data"]["text/html"] for c in nb.cells[2:])
    assert first.startswith("<div class='quiz-question'><ol start='1'><li>Who acts first?")
    assert second.startswith("<div class='quiz-question'><ol start='2'><li>How many writes?")
    assert [h.count("<details><summary>Answer</summary>") for h in (first, second)] == [1, 1]


def test_a_quiz_without_saved_html_keeps_its_widget_and_hides_its_source():
    nb = new_notebook(cells=[md("## Questionnaire", "slide"), quiz(html=None)])
    slide_layout.for_the_room(nb)
    assert (kinds(nb), nb.cells[1].metadata["tags"]) == (["slide", "-"], ["remove-input"])


def picture(lines):
    """A display_data output holding a 1100-px-wide PNG ``lines`` lines tall (only its header)."""
    size = struct.pack(">II", 1100, lines * slide_layout.LINE_PX)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + size + b"\x00" * 8
    return new_output("display_data", data={"image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"})


def table(rows):
    html = "<table>" + "<tr><td>x</td></tr>" * rows + "</table>"
    return new_output("display_data", data={"text/html": html, "text/plain": "table"})


@pytest.mark.parametrize("outputs, expected", [
    pytest.param([picture(18), table(18)], [("-", ["image/png"]), ("subslide", ["text/html"])],
                 id="a chart with a table under it taller than a screen: the table gets its own sub-slide"),
    pytest.param([picture(9), table(4)], [("-", ["image/png", "text/html"])],
                 id="a chart and a short table that fit stay together"),
    pytest.param([table(18), picture(18)], [("-", ["text/html", "image/png"])],
                 id="a picture with nothing after it stays with what comes before"),
])
def test_a_tall_pictures_table_goes_to_a_sub_slide_of_its_own(outputs, expected):
    cell = new_code_cell("ControllerTimeline(cluster)", outputs=outputs)
    cell.id, cell.metadata["slideshow"] = "c047", {"slide_type": "-"}
    nb = new_notebook(cells=[md("## Who did it", "slide"), cell])
    slide_layout.for_the_room(nb)
    assert [(slide_layout._slide_type(c), [k for o in c.outputs for k in o["data"] if k != "text/plain"])
            for c in nb.cells[1:]] == expected
    assert [c.id for c in nb.cells[1:]] == ["c047", "c047-more"][:len(expected)]


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("data, shown", [
    pytest.param({WIDGET_VIEW: {"model_id": "m"}, "image/png": "iVBO", "text/plain": "panel"}, ["image/png", "text/plain"],
                 id="a panel with the picture of its moment shows the picture, not its last state"),
    pytest.param({WIDGET_VIEW: {"model_id": "m"}, "text/plain": "player"}, [WIDGET_VIEW, "text/plain"],
                 id="a widget without a picture stays a widget"),
])
def test_a_panel_shows_the_picture_of_the_moment_it_was_displayed(data, shown):
    cell = new_code_cell("DaemonSetPanel(cluster)", outputs=[new_output("display_data", data=dict(data))])
    slide_layout.pictures_of_the_moment([cell])
    assert list(cell.outputs[0]["data"]) == shown


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
    pytest.param([md("# A", "slide"), code("x", "1\n" * 20), code("y", "2\n" * 20), md("note on y", "notes")],
                 [("# A", "slide"), ("x", "-"), ("y", "subslide"), ("note on y", "notes")],
                 id="a note after content moved to a continuation goes along with it"),
    pytest.param([md("# A", "slide"), code("x", "1\n" * 20), md("note on x", "notes"), code("y", "2\n" * 20)],
                 [("# A", "slide"), ("x", "-"), ("note on x", "notes"), ("y", "subslide")],
                 id="a note before the break stays with the cell before it"),
    pytest.param([md("# A", "slide"), md("note on A", "notes"), code("x", "1\n" * 20), code("y", "2\n" * 20)],
                 [("# A", "slide"), ("note on A", "notes"), ("x", "-"), ("y", "subslide")],
                 id="a note under a heading stays on the heading's part"),
])
def test_a_speaker_note_stays_with_the_cell_before_it(cells, expected):
    """As nbconvert places it: the note of the cell shown, wherever pagination puts that cell."""
    nb = new_notebook(cells=cells)
    moved = slide_layout.paginate(nb)
    assert [(c.source.split("\n")[0], slide_layout._slide_type(c)) for c in nb.cells] == expected
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
    too_tall = [s for s in slides if sum(s) > slide_layout.SLACK_LINES and len(s) > 1  # (a little slack)
                and not (len(s) == 2 and s[0] <= lead_in and s[1] > slide_layout.SCREEN_LINES)]
    assert too_tall == []
    at_the_floor = slide_layout.SCREEN_LINES / slide_layout.FLOOR  # a lead-in never makes a slide scroll
    assert [s for s in slides if len(s) > 1 and sum(s) > at_the_floor] == []


def test_the_smallest_scale_is_the_one_the_deck_template_uses():
    template = Path(slide_layout.__file__).resolve().parents[1] / "templates" / "reveal_local" / "index.html.j2"
    assert f"var FLOOR = {slide_layout.FLOOR}," in template.read_text(encoding="utf-8")


DESCRIBE = ("Name:             web\n" + "Labels:           run=web\n" * 12
            + "Containers:\n" + "  web:\n" * 12 + "Conditions:\n" + "  Ready   True\n" * 10
            + "Events:\n" + "  Normal  Started  0s  kubelet  Started\n" * 12)
TRACE = "".join(f"     0.{k:03}  kubelet  watch  pod/default/web  MODIFIED rv={k}\n" for k in range(40))
TRACE_LINES = TRACE.splitlines(keepends=True)


def case_table(rows, style=""):
    """A get_table-like output: the function's signature, then a table of cases with long rows."""
    call = f"<td{style}>pick_node({{'cpu': 500}}, [{{'name': 'node-1', 'cpu': 2000}}]) " + "x" * 150
    body = "".join(f"<tr><td{style}>case {k}</td>{call}</td></tr>" for k in range(rows))
    html = (f"<div><b><code>pick_node(pod, nodes)</code></b>: Filter, then score.<table><thead><tr>"
            f"<th{style}>case</th><th{style}>call</th></tr></thead><tbody>{body}</tbody></table></div>")
    return new_output("execute_result", data={"text/html": html, "text/plain": f"pick_node: {rows} cases"},
                      execution_count=1)


def outputs_shown(cell):
    """What each piece shows: the text of a stream, the first cells of a table's rows."""
    output = cell.outputs[-1]
    if output["output_type"] == "stream":
        return output["text"]
    return re.findall(r"<t[dh][^>]*>(case[^<]*)<", output["data"]["text/html"])


@pytest.mark.parametrize("output, pieces", [
    pytest.param(new_output("stream", name="stdout", text=DESCRIBE),
                 [DESCRIBE[:DESCRIBE.index("Conditions:")], DESCRIBE[DESCRIBE.index("Conditions:"):]],
                 id="a describe taller than a screen and its slack continues where a section starts"),
    pytest.param(new_output("stream", name="stdout", text=TRACE),
                 ["".join(TRACE_LINES[:19]), "".join(TRACE_LINES[19:])],
                 id="a trace without sections is cut in two pieces of about equal height"),
    pytest.param(case_table(8), [["case", "case 0", "case 1", "case 2"],
                                 ["case", "case 3", "case 4", "case 5", "case 6", "case 7"]],
                 id="a table of cases is cut between rows, its header repeated"),
    pytest.param(case_table(4), [["case", "case 0", "case 1", "case 2", "case 3"]],
                 id="a table that fits a screen and its slack stays whole"),
    pytest.param(case_table(8, " style='padding:1px 8px;font-size:12px'"),
                 [["case", "case 0", "case 1", "case 2", "case 3", "case 4", "case 5", "case 6", "case 7"]],
                 id="a panel's table set in its own small type stays whole"),
    pytest.param(new_output("stream", name="stdout", text="ok\n" * 30), ["ok\n" * 30],
                 id="an output that fits a screen and its slack stays whole"),
])
def test_a_long_output_continues_on_sub_slides_in_pieces_that_each_fit(output, pieces):
    cell = new_code_cell("%kubectl describe pod web", outputs=[output])
    cell.id, cell.metadata["slideshow"] = "c04-071", {"slide_type": "-"}
    nb = new_notebook(cells=[md("`kubectl describe pod web` ends with the same events:", "subslide"), cell])
    slide_layout.for_the_room(nb)
    shown = nb.cells[1:]
    assert [outputs_shown(c) for c in shown] == pieces
    assert [(c.id, slide_layout._slide_type(c), c.source) for c in shown] == \
        [("c04-071", "-", "%kubectl describe pod web")] + [
            (f"c04-071-part{n}", "subslide", "") for n in range(2, len(pieces) + 1)]
    assert len(shown) == 1 or all(slide_layout.cell_lines(c) <= slide_layout.SLACK_LINES for c in shown)
    assert all("remove-input" in c.metadata["tags"] for c in shown[1:])


BACKGROUND = """## Background: the programs of a cluster

| component | runs on | its job |
|---|---|---|
| kube-apiserver | control plane | the one API: checks, completes and stores objects; serves watches |
| etcd | control plane | the key-value store that holds every object |
| kubelet | every node | starts the pods bound to its node; reports pod and node status |
| kube-proxy | every node | turns Services into packet-forwarding rules |

The **control plane** decides what should run where; the **worker nodes** run it."""


@pytest.mark.parametrize("tags, shown", [
    pytest.param(["split-table"], [
        ("slide", BACKGROUND[:BACKGROUND.index("| kubelet")].rstrip("\n")),
        ("subslide", BACKGROUND[BACKGROUND.index("| component"):BACKGROUND.index("| kube-apiserver")]
         + BACKGROUND[BACKGROUND.index("| kubelet"):])],
        id="tagged split-table: the second half of the table, its header again, and the prose after it"),
    pytest.param([], [("slide", BACKGROUND)], id="untagged: the cell stays whole"),
])
def test_a_markdown_table_tagged_split_table_shows_its_second_half_on_a_sub_slide(tags, shown):
    cell = md(BACKGROUND, "slide")
    cell.id, cell.metadata["tags"] = "architecture-03", list(tags)
    nb = new_notebook(cells=[cell, md("Speaker notes: ask the room.", "notes")])
    slide_layout.for_the_room(nb)
    assert [(slide_layout._slide_type(c), c.source) for c in nb.cells[:-1]] == shown
    assert [c.id for c in nb.cells[:-1]] == ["architecture-03", "architecture-03-part2"][:len(shown)]
