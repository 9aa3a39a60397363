"""Case tables: named lists of worked cases shared by the unit tests and the notebook exercises.

A :class:`Case` is one input and the answer Kubernetes gives for it, named by a whole sentence
("a notin selector matches a pod that lacks the key"). A :class:`CaseTable` groups the cases
of one function under a name such as ``labels.selector_matches``. The same table is run by
``tests/course/`` against the package's own implementation (so the table is proved right) and
by :func:`k8slearn.course.check` against a student's version in a notebook.

>>> table = CaseTable(
...     "double", "Twice the number.",
...     [Case("two doubled is four", (2,), 4), Case("zero stays zero", (0,), 0)],
...     signature="double(n: int) -> int",
... )
>>> table.ids()
['two doubled is four', 'zero stays zero']
>>> table.call(lambda n: n * 2, table["two doubled is four"])
4
>>> print(table)
double(n: int) -> int: 2 cases
  two doubled is four: double(2) == 4
  zero stays zero: double(0) == 0

Simplified: cases compare with plain equality, except that ``True``/``False`` never equal
``1``/``0`` (a function that should return a bool must return one).

Upstream: none (course machinery, in the spirit of the table-driven tests of
kubernetes/kubernetes, e.g. staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go)
"""

from __future__ import annotations

import html
import pprint
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

__all__ = ["Case", "CaseTable", "call_with_args", "same", "show_value"]

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+|0x[0-9a-fA-F]{6,}")


def show_value(value: Any, limit: int = 1200, pretty: bool = True) -> str:
    """A deterministic, readable rendering: repr (spread over lines for big containers when
    ``pretty``), memory addresses removed, cut at ``limit`` characters.

    >>> show_value({"b": 1, "a": [1, 2]})
    "{'b': 1, 'a': [1, 2]}"
    >>> show_value(object)
    "<class 'object'>"
    >>> show_value(lambda: 0)
    '<function <lambda>>'
    """
    try:
        if pretty and isinstance(value, (dict, list, tuple)) and len(repr(value)) > 72:
            text = pprint.pformat(value, width=72, sort_dicts=False)
        else:
            text = repr(value)
    except Exception as exc:  # noqa: BLE001 - a student's object whose repr raises
        text = f"<a {type(value).__name__} whose repr raised {type(exc).__name__}>"
    text = _ADDRESS.sub("", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def same(expected: Any, got: Any) -> bool:
    """Equality as JSON sees it: like ``==`` but a bool never equals a number.

    >>> same({"replicas": 3}, {"replicas": 3}), same(True, 1), same([1.0], [1])
    (True, False, True)
    """
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(expected) is type(got) and expected == got
    if isinstance(expected, dict) and isinstance(got, dict):
        return expected.keys() == got.keys() and all(same(v, got[k]) for k, v in expected.items())
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        return len(expected) == len(got) and all(same(a, b) for a, b in zip(expected, got))
    try:
        return bool(expected == got)
    except Exception:  # noqa: BLE001 - a student's object with a broken __eq__ is simply unequal
        return False


@dataclass(frozen=True)
class Case:
    """One worked case: ``id`` is a sentence, ``args`` the input, ``expected`` the answer."""

    id: str
    args: tuple | dict
    expected: Any


def call_with_args(fn: Callable, case: Case) -> Any:
    """Call ``fn`` the plain way: ``fn(*args)`` for a tuple, ``fn(**args)`` for a dict."""
    if isinstance(case.args, dict):
        return fn(**case.args)
    return fn(*case.args)


@dataclass(frozen=True)
class CaseTable:
    """A named table of cases; ``call(fn, case)`` says how to run a function on one case."""

    name: str
    description: str
    cases: Sequence[Case]
    call: Callable[[Callable, Case], Any] = call_with_args
    signature: str = ""
    _by_id: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cases", tuple(self.cases))
        by_id = {}
        for case in self.cases:
            if case.id in by_id:
                raise ValueError(f"case table {self.name!r} has two cases named {case.id!r}")
            by_id[case.id] = case
        object.__setattr__(self, "_by_id", by_id)

    def ids(self) -> list[str]:
        """The sentence ids, in table order (handy for ``pytest.mark.parametrize(ids=...)``)."""
        return [case.id for case in self.cases]

    def __getitem__(self, case_id: str) -> Case:
        return self._by_id[case_id]

    def __iter__(self) -> Iterator[Case]:
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    def check(self, student_fn_or_value: Any):
        """Run a student's function over this table (see :func:`k8slearn.course.check`)."""
        from k8slearn.course.checks import check

        return check(student_fn_or_value, self)

    # -- display: students read the table before writing their function ------------------------

    def _call_text(self, case: Case) -> str:
        """The call a case makes, with its arguments in full (up to 600 characters each): a student
        reads them to work out what the function must do."""
        fn = self.signature.split("(", 1)[0] or "f"
        if isinstance(case.args, dict):
            inner = ", ".join(f"{k}={show_value(v, 600, pretty=False)}" for k, v in case.args.items())
        else:
            inner = ", ".join(show_value(v, 600, pretty=False) for v in case.args)
        return f"{fn}({inner})"

    def _expected_text(self, case: Case) -> str:
        return show_value(case.expected, 60, pretty=False)

    def __str__(self) -> str:
        head = f"{self.signature or self.name}: {len(self.cases)} cases"
        rows = [f"  {c.id}: {self._call_text(c)} == {self._expected_text(c)}" for c in self.cases]
        return "\n".join([head, *rows])

    def __repr__(self) -> str:
        return f"<CaseTable {self.name!r}: {len(self.cases)} cases>"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><td style='text-align:left'>{esc(c.id)}</td>"
            f"<td style='text-align:left'><code>{esc(self._call_text(c))}</code></td>"
            f"<td style='text-align:left'><code>{esc(self._expected_text(c))}</code></td></tr>"
            for c in self.cases
        )
        return (
            f"<div><b><code>{esc(self.signature or self.name)}</code></b>: {esc(self.description)}"
            "<table><thead><tr><th style='text-align:left'>case</th><th style='text-align:left'>call</th>"
            f"<th style='text-align:left'>expected</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
