"""spec.templateGeneration of a DaemonSet, shown by apps/v1 as the deprecated.daemonset.template.generation
annotation: set by the API server, counted per template change, never by a client."""

import copy

import pytest

from k8slearn.api.errors import ApiError

KEY = "deprecated.daemonset.template.generation"


def daemonset(annotations=None):
    meta = {"name": "agent", "namespace": "default"}
    if annotations is not None:
        meta["annotations"] = annotations
    labels = {"app": "agent"}
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta,
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "a", "image": "busybox:1.36"}]}}}}


@pytest.mark.parametrize("annotations, expected", [
    pytest.param(None, "1", id="a new DaemonSet starts at template generation 1"),
    pytest.param({KEY: "5"}, "5", id="a client's higher generation on create is kept, as the conversion reads it"),
    pytest.param({KEY: "0"}, "1", id="a generation below 1 on create becomes 1"),
    pytest.param({"team": "infra"}, "1", id="the other annotations stay beside it"),
])
def test_create(api, annotations, expected):
    created = api.create(daemonset(annotations))
    assert created["metadata"]["annotations"][KEY] == expected
    if annotations and "team" in annotations:
        assert list(created["metadata"]["annotations"]) == [KEY, "team"]


@pytest.mark.parametrize("change, template_generation, generation", [
    pytest.param(lambda ds: ds["spec"]["template"]["spec"]["containers"][0].update(image="busybox:1.37"), "2", 2,
                 id="a template change counts one more template generation"),
    pytest.param(lambda ds: ds["spec"].update(minReadySeconds=5), "1", 2,
                 id="a spec change outside the template bumps only metadata.generation"),
    pytest.param(lambda ds: ds["metadata"]["annotations"].update({KEY: "7"}), "1", 1,
                 id="a client cannot set the annotation on update"),
    pytest.param(lambda ds: ds["metadata"].pop("annotations"), "1", 1,
                 id="a client that drops the annotation gets it back"),
])
def test_update(api, change, template_generation, generation):
    ds = copy.deepcopy(api.create(daemonset()))
    change(ds)
    updated = api.update(ds)
    assert (updated["metadata"]["annotations"][KEY], updated["metadata"]["generation"]) == (
        template_generation, generation)


def test_a_status_update_keeps_the_template_generation(api):
    ds = copy.deepcopy(api.create(daemonset()))
    ds["metadata"]["annotations"][KEY] = "9"
    ds["status"]["numberReady"] = 0
    assert api.update_status(ds)["metadata"]["annotations"][KEY] == "1"


@pytest.mark.parametrize("value, problem", [
    pytest.param("abc", 'strconv.ParseInt: parsing "abc": invalid syntax', id="a word is not a generation"),
    pytest.param("", 'strconv.ParseInt: parsing "": invalid syntax', id="an empty annotation is not a generation"),
    pytest.param("99999999999999999999", 'strconv.ParseInt: parsing "99999999999999999999": value out of range',
                 id="a generation beyond int64 is out of range"),
])
def test_a_generation_that_is_no_integer_is_the_conversions_400(api, value, problem):
    with pytest.raises(ApiError) as err:
        api.create(daemonset({KEY: value}))
    assert (err.value.code, str(err.value)) == (
        400, f'DaemonSet in version "v1" cannot be handled as a DaemonSet: {problem}')
    assert api.list("daemonsets", "default") == []


def test_daemon_pods_carry_the_template_generation_label():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.api.create(daemonset())
    c.settle()
    c.kubectl("set image ds/agent a=busybox:1.37")
    c.settle()
    assert sorted(p["metadata"]["labels"].get("pod-template-generation")
                  for p in c.api.list("pods", "default")) == ["2"]  # node-1 (not the tainted control plane)
