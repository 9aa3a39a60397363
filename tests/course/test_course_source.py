"""show_source: the package's real code, with package-relative paths and the file's line numbers."""

import inspect
import pathlib

import pytest

from k8slearn.course import show_source
from k8slearn.course.cases.table import CaseTable, call_with_args
from k8slearn.course.source import relative_path

REPO = pathlib.Path(__file__).resolve().parents[2]

TABLE_PY = "k8slearn/course/cases/table.py"

TARGETS = [
    ("a function shows its module's path inside the package", call_with_args, {}, TABLE_PY),
    ("a class shows its module's path", CaseTable, {}, TABLE_PY),
    ("a dotted name is imported and shown", "k8slearn.course.checks.check", {}, "k8slearn/course/checks.py"),
    ("a member of a class is found by name", CaseTable, {"member": "ids"}, TABLE_PY),
    ("a whole module starts at line 1", "k8slearn.course.glossary", {}, "k8slearn/course/glossary.py"),
]


@pytest.mark.parametrize("name, obj, kwargs, path", TARGETS, ids=[t[0] for t in TARGETS])
def test_source_path_is_relative_to_the_package(name, obj, kwargs, path):
    view = show_source(obj, **kwargs)
    assert view.path == path
    text, html = str(view), view._repr_html_()
    assert text.splitlines()[0] == f"{path}, lines {view.start}–{view.end}"
    for absolute in (str(REPO), "/work/", "/home/", "/tmp/", "site-packages"):
        assert absolute not in text and absolute not in html


def test_line_numbers_are_the_files_own():
    view = show_source(call_with_args)
    _, first = inspect.getsourcelines(call_with_args)
    assert view.start == first
    assert str(view).splitlines()[1] == f"{first}  def call_with_args(fn: Callable, case: Case) -> Any:"


def test_a_method_is_shown_without_its_class_indent():
    view = show_source(CaseTable, member="ids")
    assert view.code.startswith("def ids(self) -> list[str]:\n")


def test_lines_keep_only_the_requested_file_lines():
    whole = show_source(CaseTable)
    part = show_source(CaseTable, lines=(whole.start + 1, whole.start + 3))
    assert [n for n, _ in part.lines] == [whole.start + 1, whole.start + 2, whole.start + 3]


def test_lines_outside_the_object_are_refused_with_its_range():
    view = show_source(call_with_args)
    with pytest.raises(ValueError, match=f"outside call_with_args \\(lines {view.start}-{view.end} of "
                                         "k8slearn/course/cases/table.py\\)"):
        show_source(call_with_args, lines=(1, 3))


def test_the_html_is_highlighted_with_inline_styles_and_line_numbers():
    html = show_source(call_with_args)._repr_html_()
    assert "k8slearn/course/cases/table.py, lines" in html
    assert '<span style="color: #008000; font-weight: bold">def</span>' in html
    assert "class=" not in html.replace('class="highlight"', "")  # no stylesheet needed offline
    assert show_source(call_with_args)._repr_html_() == html


def test_a_module_outside_the_package_is_shown_from_its_own_top_package():
    import json.decoder

    assert show_source(json.decoder.JSONDecoder, lines=None).path == "json/decoder.py"


RELATIVE = [
    ("code typed in a notebook cell has no file path", "/tmp/ipykernel_42/1.py", "__main__",
     "<notebook cell>"),
    ("an unimported package's file is cut at the folder named after it",
     "/opt/somewhere/pkgx/sim/loop.py", "pkgx.sim.loop", "pkgx/sim/loop.py"),
    ("a file in no package folder shows only its name", "/opt/somewhere/tool.py", "pkgx.tool", "tool.py"),
]


@pytest.mark.parametrize("name, filename, module, expected", RELATIVE, ids=[r[0] for r in RELATIVE])
def test_relative_path(name, filename, module, expected):
    assert relative_path(filename, module) == expected
