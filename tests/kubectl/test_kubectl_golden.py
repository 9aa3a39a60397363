"""k8slearn.kubectl against outputs recorded from the real kubectl v1.32 (see kubectl_capture.py)."""

import json
import os

import pytest

import kubectl_worlds
from kubectl_kit import kubectl_at

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "fixtures", "kubectl", "golden.json")
CASES = json.load(open(GOLDEN, encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_output_matches_real_kubectl(case):
    objects = kubectl_worlds.WORLDS[case["world"]](case["T"])
    script = kubectl_worlds.SCRIPTS.get(case["world"], lambda T: {})(case["T"])
    k = kubectl_at(objects, kubectl_worlds.ts(case["T"], 0), script)
    result = k.run(case["args"])
    assert (result.stdout, result.stderr, result.code) == (case["stdout"], case["stderr"], case["code"])
