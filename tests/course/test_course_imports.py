"""Importing the course helpers stays light: ipywidgets and pygments load only when needed."""

import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
HEAVY = ("ipywidgets", "pygments", "matplotlib", "IPython")


def loaded_after(code):
    script = f"import sys\n{code}\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


QUIZ = "from k8slearn.course import Quiz, MultipleChoice; quiz = Quiz([MultipleChoice('q', ['a', 'b'], 0)])"

IMPORTS = [
    ("importing k8slearn.course loads no widget or highlighting library", "import k8slearn.course"),
    ("reaching the lazy exports loads nothing heavy yet",
     "import k8slearn.course as c; c.Quiz, c.MultipleChoice, c.PredictThenRun, c.show_source"),
    ("running a check loads nothing heavy", "from k8slearn.course import check; check(str, 'etcd.key_for')"),
    ("a quiz's static rendering loads nothing heavy", f"{QUIZ}; quiz._repr_mimebundle_()"),
]


@pytest.mark.parametrize("name, code", IMPORTS, ids=[i[0] for i in IMPORTS])
def test_light_imports(name, code):
    assert loaded_after(code) == ""


def test_importing_k8slearn_loads_nothing_heavy():
    assert loaded_after("import k8slearn") == ""


def test_building_a_quiz_widget_is_what_loads_ipywidgets():
    assert "ipywidgets" in loaded_after(f"{QUIZ}; quiz.widget()")
