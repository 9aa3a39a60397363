"""Importing k8slearn.viz must not import matplotlib or ipywidgets (DESIGN.md rule 6)."""

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
import k8slearn.viz as viz
names = (viz.snapshot, viz.layout, viz.Snapshot, viz.Layout)
print(json.dumps(sorted(m for m in ("matplotlib", "ipywidgets") if m in sys.modules)))
"""


@pytest.mark.parametrize("probe", [PROBE],
                         ids=["import k8slearn.viz leaves matplotlib and ipywidgets unloaded"])
def test_import_is_light(probe):
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_picture_loads_matplotlib_on_first_use():
    probe = ("import sys, k8slearn.viz as viz; viz.render_png(viz.Snapshot.from_objects([]));"
             "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
