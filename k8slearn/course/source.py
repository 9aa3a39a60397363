"""``show_source(obj)``: read the real implementation of a piece of the package in a notebook.

The code is course material, so a chapter can open it: ``show_source(Loop)`` shows the class
with its line numbers and its path inside the package (``k8slearn/sim/loop.py``), never the
machine's absolute path, so exported notebooks and nbval runs are the same everywhere.

>>> from k8slearn.course.cases.table import call_with_args
>>> view = show_source(call_with_args)
>>> view.path, view.start == view.lines[0][0]
('k8slearn/course/cases/table.py', True)
>>> print(str(view).splitlines()[0])   # doctest: +ELLIPSIS
k8slearn/course/cases/table.py, lines ...

Upstream: none (course machinery; inspect.getsourcelines plus pygments)
"""

from __future__ import annotations

import html
import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

__all__ = ["SourceView", "show_source", "relative_path"]


def _resolve(obj: Any, member: str | None) -> Any:
    if isinstance(obj, str):  # a dotted name: "k8slearn.sim.loop.Loop"
        parts = obj.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                found: Any = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attr in parts[cut:]:
                found = getattr(found, attr)
            obj = found
            break
        else:
            raise ImportError(f"cannot find {obj!r}")
    for attr in (member or "").split(".") if member else []:
        obj = getattr(obj, attr) if not inspect.isclass(obj) else inspect.getattr_static(obj, attr)
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        obj = obj.fget
    return obj


def relative_path(filename: str, module_name: str) -> str:
    """A source file's path from its top-level package's parent: ``k8slearn/sim/loop.py``,
    ``json/decoder.py``; ``<notebook cell>`` for code typed into a notebook."""
    path = Path(filename)
    top = module_name.split(".")[0]
    if top == "__main__" or filename.startswith("<") or not path.is_absolute() and not path.exists():
        return "<notebook cell>"
    top_module = sys.modules.get(top)
    roots = []
    if top_module is not None:
        roots += [Path(p).parent for p in getattr(top_module, "__path__", [])]
        if getattr(top_module, "__file__", None) and not hasattr(top_module, "__path__"):
            roots.append(Path(top_module.__file__).parent)
    for root in roots:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    parts = path.parts
    if top in parts:  # fall back to the last folder named after the package
        cut = len(parts) - 1 - parts[::-1].index(top)
        return Path(*parts[cut:]).as_posix()
    return "<notebook cell>" if "ipykernel_" in filename else path.name


class SourceView:
    """Source lines of one object: ``path`` (package-relative), ``lines`` as (number, text)."""

    def __init__(self, name: str, path: str, lines: list[tuple[int, str]]) -> None:
        self.name = name
        self.path = path
        self.lines = lines

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def end(self) -> int:
        return self.lines[-1][0]

    @property
    def code(self) -> str:
        return "".join(text for _, text in self.lines)

    def header(self) -> str:
        return f"{self.path}, lines {self.start}–{self.end}"

    def __str__(self) -> str:
        width = len(str(self.end))
        body = [f"{n:>{width}}  {text.rstrip()}" for n, text in self.lines]
        return "\n".join([self.header(), *body])

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        try:
            from pygments import highlight
            from pygments.formatters import HtmlFormatter
            from pygments.lexers import PythonLexer
        except ImportError:  # pragma: no cover - pygments comes with IPython
            code = "".join(f"{n:>4}  {html.escape(t)}" for n, t in self.lines)
            body = f"<pre>{code}</pre>"
        else:
            formatter = HtmlFormatter(
                linenos="inline", linenostart=self.start, noclasses=True, nobackground=True
            )
            body = highlight(self.code, PythonLexer(), formatter)
        head = f"<div style='font-family:monospace;color:#555'>{html.escape(self.header())}</div>"
        return f"<div>{head}{body}</div>"


def show_source(obj: Any, *, lines: tuple[int, int] | None = None, member: str | None = None) -> SourceView:
    """The source of a function, class, method or module of the package, for display.

    ``member="settle"`` (or ``"Loop.settle"``) picks an attribute of ``obj``;
    ``lines=(start, end)`` keeps only those file line numbers (inclusive), which must lie
    inside the object's own lines. ``obj`` may also be a dotted name."""
    target = _resolve(obj, member)
    source, first = inspect.getsourcelines(target)
    first = max(first, 1)  # a module starts at line 0 for inspect
    numbered = list(enumerate(source, start=first))
    module = inspect.getmodule(target)
    filename = inspect.getsourcefile(target) or "<unknown>"
    path = relative_path(filename, module.__name__ if module else "__main__")
    name = getattr(target, "__qualname__", getattr(target, "__name__", path))
    if lines is not None:
        start, end = lines
        last = numbered[-1][0]
        if not (first <= start <= end <= last):
            raise ValueError(f"lines {start}-{end} are outside {name} (lines {first}-{last} of {path})")
        numbered = [(n, t) for n, t in numbered if start <= n <= end]
    return SourceView(name, path, _dedent(numbered))


def _dedent(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Remove the indentation every non-blank line shares (a method's class indent)."""
    indents = [len(t) - len(t.lstrip(" ")) for _, t in numbered if t.strip()]
    cut = min(indents, default=0)
    return [(n, t[cut:] if t.strip() else "\n") for n, t in numbered]
