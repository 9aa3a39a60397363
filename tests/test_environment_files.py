"""requirements.txt, environment.yml and pyproject.toml ask for the same packages and versions.

Pip users install requirements.txt, conda users environment.yml; both must give the same
course. environment.yml's ``python`` and ``pip`` entries and its ``-e .`` pip entry are not
packages of the course and are left out of the comparison.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
NOT_PACKAGES = {"python", "pip"}


def _constraint(spec: str) -> str:
    """A version constraint in canonical form: specifiers sorted, no spaces."""
    return ",".join(sorted(s.strip().replace(" ", "") for s in spec.split(",") if s.strip()))


def parse_requirements(text: str) -> dict[str, str]:
    """``{canonical name: constraint}`` from requirements.txt lines (comments, -e/-r lines skipped)."""
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        found[canonicalize_name(req.name)] = _constraint(str(req.specifier))
    return found


_CONDA_SPEC = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")


def parse_environment(text: str) -> dict[str, str]:
    """``{canonical name: constraint}`` from environment.yml (conda and pip entries)."""
    found = {}
    for entry in yaml.safe_load(text).get("dependencies", []):
        if isinstance(entry, dict):
            found.update(parse_requirements("\n".join(entry.get("pip", []))))
            continue
        match = _CONDA_SPEC.match(str(entry).split("::")[-1])
        name, spec = match.group(1), match.group(2)
        if name.lower() not in NOT_PACKAGES:
            found[canonicalize_name(name)] = _constraint(spec)
    return found


REQUIREMENTS = parse_requirements((REPO / "requirements.txt").read_text())
ENVIRONMENT = parse_environment((REPO / "environment.yml").read_text())


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("jupyterlab>=4.2,<5  # runtime\n", {"jupyterlab": "<5,>=4.2"},
                 id="a requirement line with a comment gives its name and sorted constraint"),
    pytest.param("-e .\n# only a comment\n\n", {},
                 id="editable installs, comments and blank lines are skipped"),
    pytest.param("PyYAML >= 6.0\n", {"pyyaml": ">=6.0"}, id="names are compared case-insensitively"),
])
def test_requirement_lines_are_parsed(text, expected):
    assert parse_requirements(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("dependencies:\n  - python>=3.10\n  - pip\n  - networkx >=3.2\n", {"networkx": ">=3.2"},
                 id="python and pip are not course packages, and spaces in a conda spec do not matter"),
    pytest.param("dependencies:\n  - conda-forge::ipywidgets>=8.1,<9\n"
                 "  - pip:\n      - -e .\n      - nbval>=0.11\n",
                 {"ipywidgets": "<9,>=8.1", "nbval": ">=0.11"},
                 id="channel prefixes are dropped and pip entries count, except -e ."),
])
def test_environment_entries_are_parsed(text, expected):
    assert parse_environment(text) == expected


def test_both_files_list_the_same_packages():
    assert sorted(ENVIRONMENT) == sorted(REQUIREMENTS)


@pytest.mark.parametrize("name", sorted(REQUIREMENTS))
def test_each_package_has_the_same_version_constraint_in_both_files(name):
    assert ENVIRONMENT.get(name) == REQUIREMENTS[name]


def test_the_python_versions_agree_with_pyproject():
    pyproject = (REPO / "pyproject.toml").read_text()
    requires = re.search(r'^requires-python\s*=\s*"([^"]+)"', pyproject, re.M).group(1)
    python = next(str(e) for e in yaml.safe_load((REPO / "environment.yml").read_text())["dependencies"]
                  if isinstance(e, str) and re.match(r"python\b", e))
    assert _constraint(python[len("python"):]) == _constraint(requires)


def test_requirements_cover_every_dependency_declared_in_pyproject():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        declared += extra
    assert parse_requirements("\n".join(declared)) == REQUIREMENTS
