"""Teaching helpers for the notebooks: exercise checks over shared case tables, quizzes,
``show_source`` and the English–Korean glossary.

>>> from k8slearn.course import check
>>> print(check(lambda seconds: f"{int(seconds)}s", "age.human_duration").summary())
✘ 4/22 cases pass · 18 fail (age.human_duration)

Importing this package stays light: ipywidgets loads only when a quiz is shown, pygments only
when source is rendered as HTML.

Upstream: none (course machinery)
"""

from __future__ import annotations

from typing import Any

from k8slearn.course.checks import CheckResult, Satisfies, check, check_cluster, check_manifest
from k8slearn.course.glossary import GLOSSARY, glossary_table

__all__ = [
    "GLOSSARY",
    "CheckResult",
    "MultipleChoice",
    "PredictThenRun",
    "Quiz",
    "Satisfies",
    "check",
    "check_cluster",
    "check_manifest",
    "glossary_table",
    "show_source",
]

_LAZY = {
    "Quiz": "k8slearn.course.quiz",
    "MultipleChoice": "k8slearn.course.quiz",
    "PredictThenRun": "k8slearn.course.quiz",
    "show_source": "k8slearn.course.source",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'k8slearn.course' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
