"""Deployment, ReplicaSet, DaemonSet, StatefulSet, Job and CronJob validation."""

import copy

import pytest

from k8slearn.api import errors
from k8slearn.api.resources import lookup
from k8slearn.api.validation import validate

from apikit import manifest, prepared

MISMATCH = "`selector` does not match template `labels`"


def deployment(change=None) -> dict:
    obj = manifest("deployment-web.yaml")
    if change:
        change(obj)
    return prepared(obj)


def messages(obj, old=None) -> list[str]:
    return [e.error() for e in validate(obj, old)]


DEPLOYMENTS = [
    (None, [], "kubectl's deployment is valid"),
    (lambda d: d["spec"]["template"]["metadata"].update(labels={"app": "x"}),
     ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ' + MISMATCH],
     "a template whose labels the selector does not match"),
    (lambda d: d["spec"].pop("selector"),
     ["spec.selector: Required value",
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ' + MISMATCH],
     "a deployment without a selector"),
    (lambda d: d["spec"].update(selector={}),
     ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
      "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"],
     "an empty selector"),
    (lambda d: d["spec"].update(replicas=-1),
     ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"], "negative replicas"),
    (lambda d: d["spec"].update(strategy={"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}),
     ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: '
      'may not be 0 when `maxSurge` is 0'],
     "a rolling update that can neither surge nor drop a pod"),
    (lambda d: d["spec"].update(strategy={"rollingUpdate": {"maxUnavailable": "150%"}}),
     ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: '
      'must not be greater than 100%'],
     "more than 100 percent unavailable"),
    (lambda d: d["spec"].update(strategy={"rollingUpdate": {"maxSurge": "lots"}}),
     ['spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"lots"}: '
      "a valid percent string must be a numeric string "
      "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
     "a surge that is not a percentage"),
    (lambda d: d["spec"].update(strategy={"type": "BlueGreen"}),
     ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", '
      'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
     "an unknown strategy type"),
    (lambda d: d["spec"]["template"]["spec"].update(restartPolicy="Never"),
     ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
     "a template whose pods do not restart"),
    (lambda d: d["spec"]["template"]["metadata"]["labels"].update({"bad key": "x"}),
     ['spec.template.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '
      "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
      "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
     "a template label key with a space is reported at spec.template.labels"),
    (lambda d: d["spec"]["template"]["spec"]["containers"][0].pop("image"),
     ["spec.template.spec.containers[0].image: Required value"], "a template container without an image"),
]


@pytest.mark.parametrize("change,expected", [d[:2] for d in DEPLOYMENTS], ids=[d[2] for d in DEPLOYMENTS])
def test_deployment_validation(change, expected):
    assert messages(deployment(change)) == expected


def test_a_deployment_error_names_the_kind_with_its_group():
    d = deployment(lambda d: d["spec"].update(replicas=-1))
    assert str(errors.invalid(lookup("deployments"), "web", validate(d))) == (
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0')


def test_changing_a_deployments_selector_is_forbidden_in_apps_v1():
    old = deployment()
    new = deployment(lambda d: (d["spec"].update(selector={"matchLabels": {"app": "web2"}}),
                                d["spec"]["template"]["metadata"].update(labels={"app": "web2"})))
    assert messages(new, old) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"]


def test_scaling_and_changing_the_image_of_a_deployment_is_allowed():
    old = deployment()
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 5
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.27"
    assert messages(new, old) == []


def test_a_replicaset_without_a_selector_is_invalid():
    rs = prepared({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-1"},
                   "spec": {"template": {"metadata": {"labels": {"app": "web"}},
                                         "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    assert messages(rs) == ["spec.selector: Required value",
                            'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ' + MISMATCH]


def daemonset(change=None) -> dict:
    obj = manifest("daemonset-flannel.yaml")
    if change:
        change(obj)
    return prepared(obj)


DAEMONSETS = [
    (None, [], "the flannel-like daemonset is valid"),
    (lambda d: d["spec"].update(updateStrategy={"rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1}}),
     ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: '
      'may not be set when maxUnavailable is non-zero'],
     "surge and unavailable both set"),
    (lambda d: d["spec"].update(updateStrategy={"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}),
     ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"],
     "surge and unavailable both zero"),
    (lambda d: d["spec"].pop("selector"),
     ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"flannel"}: ' + MISMATCH],
     "a daemonset without a selector matches no template"),
    (lambda d: d["spec"]["template"]["spec"].update(restartPolicy="OnFailure"),
     ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
     "a daemonset whose pods restart on failure only"),
]


@pytest.mark.parametrize("change,expected", [d[:2] for d in DAEMONSETS], ids=[d[2] for d in DAEMONSETS])
def test_daemonset_validation(change, expected):
    assert messages(daemonset(change)) == expected


def test_changing_a_daemonsets_selector_is_forbidden():
    old = daemonset()
    new = daemonset(lambda d: (d["spec"]["selector"]["matchLabels"].update(tier="net"),
                               d["spec"]["template"]["metadata"]["labels"].update(tier="net")))
    assert [m.split(":")[0] for m in messages(new, old)] == ["spec.selector"]


def statefulset(**spec) -> dict:
    base = {"selector": {"matchLabels": {"app": "db"}}, "serviceName": "db",
            "template": {"metadata": {"labels": {"app": "db"}},
                         "spec": {"containers": [{"name": "db", "image": "postgres"}]}}}
    return prepared({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
                     "spec": {**base, **spec}})


def test_a_statefulset_with_matching_labels_is_valid():
    assert messages(statefulset()) == []


def test_a_statefulset_may_change_replicas_but_not_its_service_name():
    old = statefulset()
    assert messages(statefulset(replicas=3), old) == []
    assert messages(statefulset(serviceName="other"), old) == [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
        "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]


def job(change=None) -> dict:
    obj = manifest("job-j.yaml")
    if change:
        change(obj)
    return prepared(obj)


JOBS = [
    (None, [], "kubectl's job is valid once its selector is generated"),
    (lambda j: j["spec"]["template"]["spec"].update(restartPolicy="Always"),
     ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
     "a job whose pods restart always"),
    (lambda j: j["spec"]["template"]["spec"].update(restartPolicy="Sometimes"),
     ['spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", '
      '"Never"',
      'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"'],
     "a job with an unknown restart policy fails both the pod and the job rule"),
    (lambda j: j["spec"].update(backoffLimit=-1),
     ["spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"],
     "a negative backoff limit"),
    (lambda j: j["spec"].update(completionMode="Sometimes"),
     ['spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"'],
     "an unknown completion mode"),
]


@pytest.mark.parametrize("change,expected", [j[:2] for j in JOBS], ids=[j[2] for j in JOBS])
def test_job_validation(change, expected):
    assert messages(job(change)) == expected


def test_a_job_without_a_uid_cannot_have_a_generated_selector():
    j = job()
    j["metadata"]["uid"] = ""
    assert messages(j)[0] == "metadata.uid: Required value"


def test_a_jobs_template_is_immutable():
    old = job()
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.36"
    assert messages(new,
                    old) == ["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"]


def test_a_jobs_completions_are_immutable():
    old = job()
    new = copy.deepcopy(old)
    new["spec"]["completions"] = 3
    assert messages(new, old) == ["spec.completions: Invalid value: 3: field is immutable"]


def cronjob(schedule: str) -> dict:
    obj = manifest("cronjob-cj.yaml")
    obj["spec"]["schedule"] = schedule
    return prepared(obj)


CRON = [
    ("*/1 * * * *", [], "every minute is a valid schedule"),
    ("@hourly", [], "a descriptor is a valid schedule"),
    ("0 9 * * MON-FRI", [], "day names are allowed"),
    ("61 * * * *", ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
     "minute 61 is out of range"),
    ("* * *", ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]'],
     "three fields are too few"),
    ("x * * * *", ['spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: '
                   'parsing "x": invalid syntax'], "a word is not a minute"),
    ("@sometimes", ['spec.schedule: Invalid value: "@sometimes": unrecognized descriptor: @sometimes'],
     "an unknown descriptor"),
]


@pytest.mark.parametrize("schedule,expected", [c[:2] for c in CRON], ids=[c[2] for c in CRON])
def test_cronjob_schedule_validation(schedule, expected):
    assert messages(cronjob(schedule)) == expected
