"""Course notebooks are committed clean: run top to bottom, no errors, generated navigation.

The checks run over every notebooks/*.ipynb (or ``$K8SLEARN_NOTEBOOKS``). The second half
tests the machinery behind them: tools/make_nav.py (idempotent navigation cells),
k8slearn/course/chapters.py and the reproducibility helpers of tools/execute_notebooks.py.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import execute_notebooks  # noqa: E402
import make_nav  # noqa: E402
from course_files import load_chapters, notebook_paths, notebooks_dir  # noqa: E402

NOTEBOOKS = notebook_paths()
# Absolute paths of this machine that must never reach a committed output.
MACHINE_PATHS = re.compile("|".join(re.escape(p) for p in sorted({"/work/", "/root/", str(REPO) + "/",
                                                                   str(Path.home()) + "/"})))


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _text_without_binary(value):
    """Outputs and widget state as text, minus base64 payloads (which may contain '/work/')."""
    if isinstance(value, dict):
        return {k: _text_without_binary(v) for k, v in value.items()
                if not k.startswith("image/") and k != "buffers"}
    if isinstance(value, list):
        return [_text_without_binary(v) for v in value]
    return value


def unrun_code_cells(nb) -> list[str]:
    return [f"cell {i} has no execution count" for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and c.source.strip() and c.execution_count is None]


def out_of_order_runs(nb) -> list[str]:
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.execution_count is not None]
    expected = list(range(1, len(counts) + 1))
    if counts == expected:
        return []
    return [f"execution counts {counts}, expected {expected} (restart and run all)"]


def empty_code_cells(nb) -> list[str]:
    return [f"cell {i} is an empty code cell" for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and not c.source.strip()]


def error_outputs(nb) -> list[str]:
    return [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(nb.cells)
            if "raises-exception" not in _tags(c)
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


def wrong_kernelspec(nb) -> list[str]:
    name = nb.metadata.get("kernelspec", {}).get("name")
    return [] if name == "python3" else [f"kernelspec name is {name!r}, not 'python3'"]


def cells_without_slide_type(nb) -> list[str]:
    return [f"cell {i} ({c.cell_type}: {c.source[:40]!r}) has no metadata.slideshow.slide_type"
            for i, c in enumerate(nb.cells)
            if not c.get("metadata", {}).get("slideshow", {}).get("slide_type")]


def machine_paths_in_outputs(nb, path: Path) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        text = json.dumps(_text_without_binary(cell.get("outputs", [])))
        found += [f"cell {i} output contains {m!r}" for m in sorted(set(MACHINE_PATHS.findall(text)))]
    text = json.dumps(_text_without_binary(nb.metadata.get("widgets", {})))
    found += [f"widget state contains {m!r}" for m in sorted(set(MACHINE_PATHS.findall(text)))]
    return found


def stale_navigation(nb, path: Path) -> list[str]:
    regenerated = copy.deepcopy(nb)
    try:
        changed = make_nav.apply_nav(regenerated, path.stem, path.parent)
    except KeyError as err:
        return [err.args[0]]
    if not changed:
        return []
    return ["navigation cells differ from what tools/make_nav.py generates (run `make notebooks`)"]


def invalid_nbformat(nb) -> list[str]:
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        return [str(err).splitlines()[0]]
    return []


CHECKS = [
    ("every code cell has been run", lambda nb, p: unrun_code_cells(nb)),
    ("the cells were run once, top to bottom", lambda nb, p: out_of_order_runs(nb)),
    ("there are no empty code cells", lambda nb, p: empty_code_cells(nb)),
    ("no output is an error", lambda nb, p: error_outputs(nb)),
    ("the kernel is python3", lambda nb, p: wrong_kernelspec(nb)),
    ("every cell has a slide type", lambda nb, p: cells_without_slide_type(nb)),
    ("the navigation cells are the generated ones", stale_navigation),
    ("no output holds an absolute path of this machine", machine_paths_in_outputs),
    ("the file is valid nbformat", lambda nb, p: invalid_nbformat(nb)),
]

if NOTEBOOKS:
    CASES = [pytest.param(path, check, id=f"{path.stem}: {sentence}")
             for path in NOTEBOOKS for sentence, check in CHECKS]
else:
    CASES = [pytest.param(None, None, id="no notebooks yet",
                          marks=pytest.mark.skip(reason=f"no notebooks in {notebooks_dir()} yet"))]


@pytest.mark.parametrize(("path", "check"), CASES)
def test_committed_notebook(path, check):
    nb = nbformat.read(path, as_version=4)
    problems = check(nb, path)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


# ---------------------------------------------------------------- the machinery behind them

def _md(source, tags=None):
    cell = new_markdown_cell(source, metadata={"slideshow": {"slide_type": "-"}})
    if tags:
        cell.metadata["tags"] = tags
    return cell


def _write(directory: Path, stem: str, cells) -> Path:
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                              "language": "python"}})
    path = directory / f"{stem}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def course(tmp_path) -> Path:
    """A notebook directory with chapters 00, 03 and 06 written, the rest planned."""
    for stem in ("00_welcome", "03_architecture", "06_scheduling"):
        _write(tmp_path, stem, [_md(f"# {stem}"), _md("text")])
    return tmp_path


def _nav(path: Path) -> tuple[str, str]:
    nb = nbformat.read(path, as_version=4)
    return nb.cells[0].source, nb.cells[-1].source


@pytest.mark.parametrize(("stem", "top", "bottom"), [
    pytest.param("00_welcome", "[Course map](#The-course-map) · [Architecture →](03_architecture.ipynb)",
                 "**Next:** [Architecture](03_architecture.ipynb)",
                 id="the first chapter links only forward, and to its own course map"),
    pytest.param("03_architecture", "[Course map](00_welcome.ipynb#The-course-map)"
                 " · [Scheduling →](06_scheduling.ipynb)", "**Next:** [Scheduling](06_scheduling.ipynb)",
                 id="a chapter after the welcome links back only once, to the course map"),
    pytest.param("06_scheduling",
                 "[Course map](00_welcome.ipynb#The-course-map) · [← Architecture](03_architecture.ipynb)",
                 "**Next:** this is the last chapter so far; back to the "
                 "[course map](00_welcome.ipynb#The-course-map)",
                 id="the last written chapter sends the reader back to the course map, skipping planned ones"),
])
def test_make_nav_writes_top_and_bottom_navigation(course, stem, top, bottom):
    assert make_nav.main([str(course)]) == 0
    assert _nav(course / f"{stem}.ipynb") == (top, bottom)


def test_running_make_nav_twice_changes_nothing_the_second_time(course):
    make_nav.main([str(course)])
    before = {p.name: p.read_bytes() for p in course.glob("*.ipynb")}
    assert make_nav.main([str(course), "--check"]) == 0
    assert make_nav.main([str(course)]) == 0
    assert {p.name: p.read_bytes() for p in course.glob("*.ipynb")} == before


@pytest.mark.parametrize(("tag", "index", "slide_type"), [
    pytest.param("nav", 0, "skip", id="the top navigation is a skipped slide"),
    pytest.param("nav-next", -1, "slide", id="the Next link is a slide of its own"),
])
def test_make_nav_tags_its_cells_and_sets_their_slide_type(course, tag, index, slide_type):
    make_nav.main([str(course)])
    cell = nbformat.read(course / "03_architecture.ipynb", as_version=4).cells[index]
    assert (cell.metadata["tags"], cell.metadata["slideshow"]["slide_type"]) == ([tag], slide_type)


def test_existing_navigation_cells_are_replaced_in_place(course):
    path = _write(course, "03_architecture", [_md("# Architecture"), _md("old", ["nav"]), _md("body"),
                                             _md("old next", ["nav-next"]), _md("after")])
    make_nav.main([str(course)])
    nb = nbformat.read(path, as_version=4)
    assert [c.source[:12] for c in nb.cells] == [
        "# Architectu", "[Course map]", "body", "**Next:** [S", "after"]


def test_a_new_chapter_makes_the_check_fail_until_make_nav_runs(course):
    make_nav.main([str(course)])
    _write(course, "04_pod_creation_flow", [_md("# Flow")])
    assert make_nav.main([str(course), "--check"]) == 1
    assert make_nav.main([str(course)]) == 0
    next_link = "**Next:** [Pod creation flow](04_pod_creation_flow.ipynb)"
    assert _nav(course / "03_architecture.ipynb")[1] == next_link


def test_a_notebook_that_is_not_a_chapter_is_refused(course):
    _write(course, "scratch", [_md("# scratch")])
    assert make_nav.main([str(course), "--check"]) == 2


def test_the_course_map_cell_lists_every_chapter_and_links_the_written_ones(course):
    _write(course, "00_welcome", [_md("# Welcome"), _md("map goes here", ["course-map"])])
    make_nav.main([str(course)])
    table = nbformat.read(course / "00_welcome.ipynb", as_version=4).cells[2].source.splitlines()
    assert len(table) == 2 + len(load_chapters().CHAPTERS)
    assert table[5] == ("| 03 | [Architecture](03_architecture.ipynb) | Microservices talking JSON"
                        " over an API; YAML to JSON; control plane and workers | ready |")
    assert table[6].startswith("| 04 | Pod creation flow |") and table[6].endswith("| planned |")


@pytest.mark.parametrize(("stem", "position"), [
    pytest.param("00_welcome", 0, id="the course starts with the welcome notebook"),
    pytest.param("10_self_healing_capstone", 10, id="the capstone is chapter ten"),
    pytest.param("appendix_glossary", 11, id="the glossary is the appendix at the end"),
])
def test_chapters_follow_the_roadmap(stem, position):
    assert [c.stem for c in load_chapters().chapters()].index(stem) == position


def test_a_chapter_is_ready_exactly_when_its_notebook_exists(course):
    status = {c.stem: c.status for c in load_chapters().chapters(course)}
    ready = [stem for stem, value in status.items() if value == "ready"]
    assert ready == ["00_welcome", "03_architecture", "06_scheduling"]


def test_widget_model_ids_are_renamed_the_same_way_every_time():
    def executed(model_id):
        view = {"application/vnd.jupyter.widget-view+json": {"model_id": model_id}}
        nb = new_notebook(cells=[new_code_cell("w", id="cell-1", execution_count=1, outputs=[
            nbformat.v4.new_output("execute_result", execution_count=1, data=view)])])
        nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {
            model_id: {"state": {"layout": f"IPY_MODEL_{model_id}"}}}}}
        return execute_notebooks.stable_widget_ids(nb, "03_architecture")

    first, second = executed("a" * 32), executed("b" * 32)
    assert first == second
    assert first.cells[0].outputs[0].data["application/vnd.jupyter.widget-view+json"]["model_id"] != "a" * 32


def test_the_pieces_a_kernel_sent_of_one_stream_are_joined_and_streams_keep_their_order():
    out = [nbformat.v4.new_output("stream", name="stdout", text="a\n"),
           nbformat.v4.new_output("stream", name="stdout", text="b\n"),
           nbformat.v4.new_output("stream", name="stderr", text="err\n"),
           nbformat.v4.new_output("stream", name="stdout", text="c\n")]
    nb = execute_notebooks.coalesce_streams(new_notebook(cells=[new_code_cell("print()", outputs=out),
                                                                new_markdown_cell("text")]))
    assert [(o["name"], o["text"]) for o in nb.cells[0].outputs] == [
        ("stdout", "a\nb\n"), ("stderr", "err\n"), ("stdout", "c\n")]
    assert "outputs" not in nb.cells[1]


def test_every_saved_notebook_has_each_run_of_one_stream_in_one_output():
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            kinds = [(o.get("output_type"), o.get("name")) for o in cell.get("outputs", [])]
            assert not any(a == b == ("stream", a[1]) for a, b in zip(kinds, kinds[1:])), path.name


@pytest.mark.parametrize(("output", "expected"), [
    pytest.param(nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=[]),
                 [(True, "cell 0: error output ValueError: bad")], id="an error output is fatal"),
    pytest.param(nbformat.v4.new_output("stream", name="stdout", text="saved to /root/x\n"),
                 [(True, "cell 0: absolute path of this machine: '/root/'")],
                 id="a home directory path in an output is fatal"),
    pytest.param(nbformat.v4.new_output("stream", name="stderr", text="/tmp/ipykernel_42/1.py:2: Warning\n"),
                 [(False, "cell 0: ipykernel temp path (a warning printed to stderr?): "
                          "'/tmp/ipykernel_42/'")],
                 id="a warning's ipykernel path is reported but not fatal"),
    pytest.param(nbformat.v4.new_output("stream", name="stdout", text="3 nodes\n"), [],
                 id="plain deterministic output is fine"),
])
def test_execute_notebooks_reports_what_would_not_reproduce(output, expected):
    nb = new_notebook(cells=[new_code_cell("x", execution_count=1, outputs=[output])])
    assert execute_notebooks.problems(nb) == expected
