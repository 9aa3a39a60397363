"""Chapter 01's exercise 2 (`fast`): its check accepts every manifest that fails over in 30 s and
refuses the rest, the way the taint eviction controller and the API server would."""

from pathlib import Path

import nbformat
import pytest

from k8slearn.controllers.taint_eviction import get_matching_tolerations, get_min_toleration_time
from k8slearn.course import Satisfies, check_manifest

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01_why_kubernetes.ipynb"


def _cell(marker):
    cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if marker in c.source]
    assert len(cells) == 1, marker
    return cells[0]


def run_check(fast):
    namespace = {"Satisfies": Satisfies, "check_manifest": check_manifest, "fast": fast,
                 "get_matching_tolerations": get_matching_tolerations,
                 "get_min_toleration_time": get_min_toleration_time}
    exec(_cell("fast_ok = check_manifest(fast"), namespace)  # noqa: S102 - the notebook's own cell
    return namespace["fast_ok"]


def manifest(tolerations, labels="app: fast", selector="app: fast"):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: fast}}
spec:
  replicas: 2
  selector: {{matchLabels: {{{selector}}}}}
  template:
    metadata: {{labels: {{{labels}}}}}
    spec:
      tolerations: {tolerations}
      containers: [{{name: nginx, image: "nginx:1.27"}}]
"""


UNREACHABLE_30 = "{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}"
NOT_READY_30 = "{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 30}"

CASES = [
    ("the solution passes", manifest(f"[{UNREACHABLE_30}]"), True),
    ("the toleration need not come first", manifest(f"[{NOT_READY_30}, {UNREACHABLE_30}]"), True),
    ("other labels, matched by the selector, are as good", manifest(f"[{UNREACHABLE_30}]", "app: quick", "app: quick"),
     True),
    ("a toleration of every NoExecute taint for 30 s also fails over in 30 s",
     manifest("[{operator: Exists, effect: NoExecute, tolerationSeconds: 30}]"), True),
    ("the first matching toleration decides, as in the eviction controller",
     manifest(f"[{{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}}, {UNREACHABLE_30}]"),
     False),
    ("300 s is the default it should beat", manifest(f"[{UNREACHABLE_30.replace('30}', '300}')}]"), False),
    ("a selector that does not match the template is refused by the API server",
     manifest(f"[{UNREACHABLE_30}]", "app: fast", "app: other"), False),
    ("the notebook's draft fails", None, False),
]


@pytest.mark.parametrize("text, passes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_fast_check(text, passes):
    if text is None:
        text = _cell('fast = """').split('"""')[1]
    assert bool(run_check(text)) is passes
