"""Native sidecars (init containers with ``restartPolicy: Always``) in pod validation, with v1.32's messages."""

import pytest
from apikit import prepared

from k8slearn.api.validation import validate

APP = {"name": "app", "image": "nginx"}
PROBE = {"exec": {"command": ["true"]}}
FORBIDDEN = "Forbidden: may not be set for init containers without restartPolicy=Always"


def pod(init: list, containers: list | None = None) -> dict:
    return prepared({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                     "spec": {"initContainers": init, "containers": containers or [APP]}})


def init(**fields) -> dict:
    return {"name": "logs", "image": "busybox", **fields}


CASES = [
    (pod([init(restartPolicy="Always")]), [], "an init container with restartPolicy Always is a valid sidecar"),
    (pod([init(restartPolicy="Always", startupProbe=PROBE, readinessProbe=PROBE, livenessProbe=PROBE,
               lifecycle={"preStop": {"exec": {"command": ["true"]}}})]), [],
     "a sidecar may have all three probes and a lifecycle hook"),
    (pod([init(restartPolicy="OnFailure")]),
     ['spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
     "an init container's restartPolicy may only be Always"),
    (pod([init(restartPolicy="Never")]),
     ['spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"'],
     "an init container's restartPolicy Never is refused too"),
    (pod([init(livenessProbe=PROBE, readinessProbe=PROBE, startupProbe=PROBE,
               lifecycle={"postStart": {"exec": {"command": ["true"]}}})]),
     [f"spec.initContainers[0].lifecycle: {FORBIDDEN}", f"spec.initContainers[0].livenessProbe: {FORBIDDEN}",
      f"spec.initContainers[0].readinessProbe: {FORBIDDEN}", f"spec.initContainers[0].startupProbe: {FORBIDDEN}"],
     "a plain init container may have neither lifecycle hooks nor probes, in upstream's order"),
    (pod([init(restartPolicy="OnFailure", readinessProbe=PROBE)]),
     ['spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      f"spec.initContainers[0].readinessProbe: {FORBIDDEN}"],
     "a probe on an init container with a bad restartPolicy is forbidden as well"),
    (pod([init(restartPolicy="Always", livenessProbe={**PROBE, "successThreshold": 2})]),
     ["spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"],
     "a sidecar's probes are checked as a regular container's are"),
    (pod([], containers=[{**APP, "restartPolicy": "Always"}]),
     ["spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"],
     "a regular container still may not set restartPolicy"),
    (pod([init(restartPolicy="Always", name="app")]),
     ['spec.initContainers[0].name: Duplicate value: "app"'],
     "a sidecar's name must differ from the regular containers' names"),
]


@pytest.mark.parametrize("obj,expected", [c[:2] for c in CASES], ids=[c[2] for c in CASES])
def test_sidecar_validation(obj, expected):
    assert [e.error() for e in validate(obj)] == expected
