"""Where the course's files are: the repository, the notebooks, the slides, the build outputs.

Shared by the scripts in tools/ and by the notebook, slide and browser tests. Two environment
variables point the machinery at other directories (the Makefile sets them from its
``NOTEBOOKS`` and ``SLIDES`` variables):

- ``K8SLEARN_NOTEBOOKS``: the notebooks to build and test (default ``<repo>/notebooks``);
- ``K8SLEARN_SLIDES``: where ``make slides`` writes the decks (default ``<repo>/slides``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "build"


def notebooks_dir() -> Path:
    """The directory of course notebooks in use (``$K8SLEARN_NOTEBOOKS`` or ``notebooks/``)."""
    return Path(os.environ.get("K8SLEARN_NOTEBOOKS") or REPO / "notebooks").resolve()


def notebook_paths(directory: Path | None = None) -> list[Path]:
    """The notebooks of a directory, sorted by name (checkpoints excluded)."""
    directory = notebooks_dir() if directory is None else directory
    return sorted(p for p in directory.glob("*.ipynb") if p.is_file())


def slides_dir() -> Path:
    """Where decks are written (``$K8SLEARN_SLIDES`` or ``slides/``)."""
    return Path(os.environ.get("K8SLEARN_SLIDES") or REPO / "slides").resolve()


def screenshots_dir() -> Path:
    """``build/screenshots/``, created on demand (git-ignored)."""
    path = BUILD / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_chapters() -> ModuleType:
    """``k8slearn/course/chapters.py``, loaded by path so the rest of the package is not imported."""
    name = "_k8slearn_course_chapters"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "k8slearn" / "course" / "chapters.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
