"""Container resource requirements as the API server validates them (ValidateResourceRequirements),
with the messages a student meets in the 'Assign Memory/CPU Resources' tasks."""

import pytest

from k8slearn.api.validation import validate

from apikit import prepared


def pod_with(resources: dict) -> dict:
    return prepared({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                     "spec": {"containers": [{"name": "web", "image": "nginx", "resources": resources}]}})


R = "spec.containers[0].resources"
NOT_WHOLE_PAGES = "3Mi is not positive integer multiple of hugepages-2Mi"


@pytest.mark.parametrize("resources, expected", [
    pytest.param({"requests": {"cpu": "200m"}, "limits": {"cpu": "100m"}},
                 [f'{R}.requests: Invalid value: "200m": must be less than or equal to cpu limit of 100m'],
                 id="a cpu request above the cpu limit is refused with both amounts"),
    pytest.param({"requests": {"memory": "-1Mi"}},
                 [f'{R}.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0'],
                 id="a negative memory request is refused"),
    pytest.param({"requests": {"cpu": "0", "memory": "0"}}, [],
                 id="zero requests are allowed"),
    pytest.param({"requests": {"ephemeral-storage": "1Gi"}, "limits": {"ephemeral-storage": "500Mi"}},
                 [f'{R}.requests: Invalid value: "1Gi": must be less than or equal to ephemeral-storage '
                  'limit of 500Mi'],
                 id="an ephemeral-storage request above its limit is refused"),
    pytest.param({"limits": {"hugepages-2Mi": "100Mi"}},
                 [f"{R}: Forbidden: HugePages require cpu or memory"],
                 id="hugepages without cpu or memory are forbidden"),
    pytest.param({"limits": {"hugepages-2Mi": "3Mi", "memory": "100Mi"}},
                 [f'{R}.limits[hugepages-2Mi]: Invalid value: "3Mi": {NOT_WHOLE_PAGES}',
                  f'{R}.requests[hugepages-2Mi]: Invalid value: "3Mi": {NOT_WHOLE_PAGES}'],
                 id="hugepages that are not whole pages are refused in the limit and the defaulted request"),
    pytest.param({"limits": {"hugepages-2Mi": "100Mi", "memory": "100Mi"}}, [],
                 id="hugepages in whole pages with memory are valid"),
    pytest.param({"limits": {"hugepages-1Gi": "2Gi", "cpu": "1"}}, [],
                 id="two one-gibibyte pages with cpu are valid"),
    pytest.param({"limits": {"hugepages-2Mi": "100Mi", "memory": "100Mi"},
                  "requests": {"hugepages-2Mi": "50Mi"}},
                 [f'{R}.requests: Invalid value: "50Mi": must be equal to hugepages-2Mi limit of 100Mi'],
                 id="a hugepages request must equal its limit"),
    pytest.param({"requests": {"example.com/foo": "2"}},
                 [f"{R}.limits: Required value: Limit must be set for non overcommitable resources"],
                 id="an extended resource request needs a limit"),
])
def test_resource_requirements_are_validated_with_the_upstream_messages(resources, expected):
    assert [e.error() for e in validate(pod_with(resources))] == expected
