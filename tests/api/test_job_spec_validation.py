"""Job spec validation as kube-apiserver v1.32 does it: the pod failure policy, the success policy,
backoff per index, the Indexed limits, managedBy, elastic Indexed Jobs and a suspended Job's
mutable scheduling directives, each with upstream's exact message."""

import copy

import pytest
from apikit import manifest, prepared

from k8slearn import Cluster
from k8slearn.api.validation import validate

NAME_PART = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
PFP = "spec.podFailurePolicy.rules[0]"
HIGH = "when completions are above 100000 and used with backoff limit per index"


def job(**spec) -> dict:
    """kubectl's job ``j`` (one container ``j``, restartPolicy Never) with ``spec`` merged in."""
    obj = manifest("job-j.yaml")
    obj["spec"].update(spec)
    return prepared(obj)


def indexed(**spec) -> dict:
    return job(**{"completionMode": "Indexed", "completions": 3, "parallelism": 3, **spec})


def exit_codes(values, operator="In", action="FailJob", **extra) -> dict:
    return {"podFailurePolicy": {"rules": [{"action": action, "onExitCodes": {"operator": operator,
                                                                                "values": values, **extra}}]}}


def conditions(*patterns, action="Ignore") -> dict:
    return {"podFailurePolicy": {"rules": [{"action": action, "onPodConditions": list(patterns)}]}}


def messages(obj, old=None) -> list[str]:
    return [e.error() for e in validate(obj, old)]


def with_init_container(obj: dict) -> dict:
    obj["spec"]["template"]["spec"]["initContainers"] = [
        dict(obj["spec"]["template"]["spec"]["containers"][0], name="setup")]
    return obj


POD_FAILURE_POLICY = [
    ("a valid pod failure policy is accepted",
     job(podFailurePolicy={"rules": [
         {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]},
         {"action": "Count", "onExitCodes": {"containerName": "j", "operator": "In", "values": [1, 2, 3]}},
         {"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [0, 5]}}]}),
     []),
    ("more than 20 rules are too many",
     job(podFailurePolicy={"rules": [{"action": "Ignore", "onExitCodes": {"operator": "In", "values": [1]}}] * 21}),
     ["spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items"]),
    ("a rule without an action lists the valid actions",
     job(**exit_codes([1], action="")),
     [f'{PFP}.action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]']),
    ("an unknown action is not supported",
     job(**exit_codes([1], action="Retry")),
     [f'{PFP}.action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"']),
    ("the FailIndex action needs backoffLimitPerIndex",
     indexed(**exit_codes([1], action="FailIndex")),
     [f'{PFP}.action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set']),
    ("the FailIndex action is accepted with backoffLimitPerIndex",
     indexed(backoffLimitPerIndex=1, **exit_codes([1], action="FailIndex")),
     []),
    ("a rule may not have both exit codes and pod conditions",
     job(podFailurePolicy={"rules": [{"action": "Ignore", "onExitCodes": {"operator": "In", "values": [1]},
                                      "onPodConditions": [{"type": "DisruptionTarget"}]}]}),
     [f"{PFP}: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported"]),
    ("a rule needs exit codes or pod conditions",
     job(podFailurePolicy={"rules": [{"action": "Ignore"}]}),
     [f"{PFP}: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"]),
    ("an exit code requirement without an operator lists the valid operators",
     job(**exit_codes([1], operator="")),
     [f'{PFP}.onExitCodes.operator: Required value: valid values: ["In" "NotIn"]']),
    ("an unknown exit code operator is not supported",
     job(**exit_codes([1], operator="Equals")),
     [f'{PFP}.onExitCodes.operator: Unsupported value: "Equals": supported values: "In", "NotIn"']),
    ("the container name must be one of the template's containers",
     job(**exit_codes([1], containerName="main")),
     [f'{PFP}.onExitCodes.containerName: Invalid value: "main": must be one of the container or initContainer '
      "names in the pod template"]),
    ("an init container's name is accepted",
     with_init_container(job(**exit_codes([1], containerName="setup"))),
     []),
    ("an empty list of exit codes is refused",
     job(**exit_codes([])),
     [f"{PFP}.onExitCodes.values: Invalid value: []int32{{}}: at least one value is required"]),
    ("missing exit codes are refused as a nil slice",
     job(podFailurePolicy={"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In"}}]}),
     [f"{PFP}.onExitCodes.values: Invalid value: []int32(nil): at least one value is required"]),
    ("more than 255 exit codes are too many",
     job(**exit_codes(list(range(1, 257)))),
     [f"{PFP}.onExitCodes.values: Too many: 256: must have at most 255 items"]),
    ("exit code 0 is refused for the In operator",
     job(**exit_codes([0, 1])),
     [f"{PFP}.onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator"]),
    ("exit code 0 is accepted for the NotIn operator",
     job(**exit_codes([0, 1], operator="NotIn")),
     []),
    ("a repeated exit code is a duplicate",
     job(**exit_codes([1, 2, 2])),
     [f"{PFP}.onExitCodes.values[2]: Duplicate value: 2"]),
    ("exit codes must be in increasing order",
     job(**exit_codes([5, 3])),
     [f"{PFP}.onExitCodes.values: Invalid value: []int32{{5, 3}}: must be ordered"]),
    ("more than 20 pod condition patterns are too many",
     job(**conditions(*[{"type": "DisruptionTarget"}] * 21)),
     [f"{PFP}.onPodConditions: Too many: 21: must have at most 20 items"]),
    ("a pod condition type must be a qualified name",
     job(**conditions({"type": "Disruption Target"})),
     [f'{PFP}.onPodConditions[0].type: Invalid value: "Disruption Target": {NAME_PART}']),
    ("an unknown pod condition status is not supported",
     job(**conditions({"type": "DisruptionTarget", "status": "Maybe"})),
     [f'{PFP}.onPodConditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", '
      '"Unknown"']),
    ("a pod failure policy needs restartPolicy Never",
     job(template={"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "j", "image": "busybox"}]}},
         **conditions({"type": "DisruptionTarget"})),
     ['spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when '
      "podFailurePolicy is specified"]),
    ("a pod failure policy allows only the Failed pod replacement policy",
     job(podReplacementPolicy="TerminatingOrFailed", **conditions({"type": "DisruptionTarget"})),
     ['spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"']),
]


@pytest.mark.parametrize("obj,expected", [c[1:] for c in POD_FAILURE_POLICY], ids=[c[0] for c in POD_FAILURE_POLICY])
def test_pod_failure_policy_validation(obj, expected):
    assert messages(obj) == expected


def test_a_pod_condition_pattern_without_a_status_lists_the_valid_statuses():
    # The API server defaults an empty status to "True" first; the rule itself still names the values.
    from k8slearn.api.field import Path
    from k8slearn.api.validation.batch import _pod_failure_policy

    spec = conditions({"type": "DisruptionTarget", "status": ""})
    assert [e.error() for e in _pod_failure_policy(spec, Path("spec.podFailurePolicy"))] == [
        f'{PFP}.onPodConditions[0].status: Required value: valid values: ["False" "True" "Unknown"]']


BACKOFF_PER_INDEX = [
    ("backoffLimitPerIndex and maxFailedIndexes are accepted on an Indexed Job",
     indexed(backoffLimitPerIndex=1, maxFailedIndexes=2), []),
    ("backoffLimitPerIndex needs the Indexed completion mode",
     job(backoffLimitPerIndex=1),
     ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"]),
    ("maxFailedIndexes needs the Indexed completion mode too",
     job(backoffLimitPerIndex=1, maxFailedIndexes=1),
     ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
      "spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode"]),
    ("a negative backoffLimitPerIndex is refused",
     indexed(backoffLimitPerIndex=-1),
     ["spec.backoffLimitPerIndex: Invalid value: -1: must be greater than or equal to 0"]),
    ("a negative maxFailedIndexes is refused",
     indexed(backoffLimitPerIndex=1, maxFailedIndexes=-1),
     ["spec.maxFailedIndexes: Invalid value: -1: must be greater than or equal to 0"]),
    ("maxFailedIndexes needs backoffLimitPerIndex",
     indexed(maxFailedIndexes=1),
     ["spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"]),
    ("maxFailedIndexes may not exceed completions",
     indexed(backoffLimitPerIndex=1, maxFailedIndexes=4),
     ["spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions"]),
    ("an Indexed Job may run at most 100000 pods in parallel",
     indexed(parallelism=100_001),
     ["spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is "
      "Indexed"]),
    ("an Indexed Job needs completions",
     job(completionMode="Indexed", parallelism=2),
     ["spec.completions: Required value: when completion mode is Indexed"]),
    ("above 100000 completions per-index backoff needs maxFailedIndexes and at most 10000 in parallel",
     job(completionMode="Indexed", completions=200_000, parallelism=20_000, backoffLimitPerIndex=1),
     ["spec.maxFailedIndexes: Required value: must be specified when completions is above 100000",
      f"spec.parallelism: Invalid value: 20000: must be less than or equal to 10000 {HIGH}"]),
    ("maxFailedIndexes is capped at 100000, and at 10000 above 100000 completions",
     job(completionMode="Indexed", completions=200_000, parallelism=10, backoffLimitPerIndex=1,
         maxFailedIndexes=100_001),
     ["spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to 100000",
      f"spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to 10000 {HIGH}"]),
]


@pytest.mark.parametrize("obj,expected", [c[1:] for c in BACKOFF_PER_INDEX], ids=[c[0] for c in BACKOFF_PER_INDEX])
def test_backoff_per_index_and_indexed_limits(obj, expected):
    assert messages(obj) == expected


LONG_INDEXES = ",".join(str(i) for i in range(0, 24_000, 2))

SUCCESS_POLICY = [
    ("a valid success policy is accepted",
     indexed(successPolicy={"rules": [{"succeededIndexes": "0,2", "succeededCount": 1}, {"succeededCount": 3}]}),
     []),
    ("a success policy needs the Indexed completion mode",
     job(successPolicy={"rules": [{"succeededCount": 1}]}),
     ["spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{"
      "batch.SuccessPolicyRule{SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(0xc000012a48)}}}: "
      "requires indexed completion mode"]),
    ("a success policy needs at least one rule",
     indexed(successPolicy={"rules": []}),
     ["spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is "
      "specified"]),
    ("more than 20 success policy rules are too many",
     indexed(successPolicy={"rules": [{"succeededCount": 1}] * 21}),
     ["spec.successPolicy.rules: Too many: 21: must have at most 20 items"]),
    ("a success policy rule needs succeededCount or succeededIndexes",
     indexed(successPolicy={"rules": [{}]}),
     ["spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be "
      "specified"]),
    ("succeeded indexes must be below completions",
     indexed(successPolicy={"rules": [{"succeededIndexes": "1-3"}]}),
     ['spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1-3": error parsing succeededIndexes: '
      'too large index: "3"']),
    ("succeeded indexes must be numbers",
     indexed(successPolicy={"rules": [{"succeededIndexes": "0-x"}]}),
     ['spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-x": error parsing succeededIndexes: '
      'cannot convert string to integer for index: "x"']),
    ("succeeded indexes must increase",
     indexed(successPolicy={"rules": [{"succeededIndexes": "2,1"}]}),
     ['spec.successPolicy.rules[0].succeededIndexes: Invalid value: "2,1": error parsing succeededIndexes: '
      "non-increasing order, previous: 2, current: 1"]),
    ("succeeded indexes may be at most 64KiB long",
     job(completionMode="Indexed", completions=30_000, parallelism=1,
         successPolicy={"rules": [{"succeededIndexes": LONG_INDEXES}]}),
     ["spec.successPolicy.rules[0].succeededIndexes: Too long: may not be more than 65536 bytes"]),
    ("a negative succeeded count is refused",
     indexed(successPolicy={"rules": [{"succeededCount": -1}]}),
     ["spec.successPolicy.rules[0].succeededCount: Invalid value: -1: must be greater than or equal to 0"]),
    ("the succeeded count may not exceed completions",
     indexed(successPolicy={"rules": [{"succeededCount": 4}]}),
     ["spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 "
      "(the number of specified completions)"]),
    ("the succeeded count may not exceed the number of succeeded indexes",
     indexed(successPolicy={"rules": [{"succeededIndexes": "0,2", "succeededCount": 3}]}),
     ["spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 "
      "(the number of indexes in the specified succeededIndexes field)"]),
    ("malformed indexes count as none for the succeeded count",
     indexed(successPolicy={"rules": [{"succeededIndexes": "5", "succeededCount": 1}]}),
     ['spec.successPolicy.rules[0].succeededIndexes: Invalid value: "5": error parsing succeededIndexes: '
      'too large index: "5"',
      "spec.successPolicy.rules[0].succeededCount: Invalid value: 1: must be less than or equal to 0 "
      "(the number of indexes in the specified succeededIndexes field)"]),
]


@pytest.mark.parametrize("obj,expected", [c[1:] for c in SUCCESS_POLICY], ids=[c[0] for c in SUCCESS_POLICY])
def test_success_policy_validation(obj, expected):
    assert messages(obj) == expected


MANAGED_BY = [
    ("a domain-prefixed managedBy is accepted", "kueue.x-k8s.io/multikueue", []),
    ("an empty managedBy is required to have a value", "", ["spec.managedBy: Required value"]),
    ("managedBy must be a domain-prefixed path", "kueue",
     ['spec.managedBy: Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")']),
    ("managedBy's domain must be a lowercase DNS subdomain", "Kueue.io/ctl",
     [f'spec.managedBy: Invalid value: "Kueue.io": {SUBDOMAIN}']),
    ("managedBy's path may not contain a space", "acme.io/my ctl",
     ['spec.managedBy: Invalid value: "my ctl": Invalid path (regex used for validation is '
      "'[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"]),
    ("managedBy may be at most 63 bytes long", "example.com/" + "x" * 60,
     ["spec.managedBy: Too long: may not be more than 63 bytes"]),
]


@pytest.mark.parametrize("value,expected", [c[1:] for c in MANAGED_BY], ids=[c[0] for c in MANAGED_BY])
def test_managed_by_validation(value, expected):
    assert messages(job(managedBy=value)) == expected


def updated(old: dict, change) -> dict:
    new = copy.deepcopy(old)
    change(new)
    return new


def node_selector(j: dict) -> None:
    j["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "ssd"}


def image(j: dict) -> None:
    j["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.36"


def started(j: dict) -> dict:
    j["status"] = {"startTime": "2026-01-05T09:00:00Z"}
    return j


def long_named(obj: dict) -> dict:
    obj["metadata"]["name"] = "a" * 61
    for key in ("job-name", "batch.kubernetes.io/job-name"):
        obj["spec"]["template"]["metadata"]["labels"][key] = "a" * 61
    return obj


LONG_NAME = long_named(indexed())
FROZEN = "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"
UPDATES = [
    ("an Indexed Job may change completions together with parallelism",
     indexed(), lambda j: j["spec"].update(completions=5, parallelism=5), []),
    ("an Indexed Job may not change completions alone",
     indexed(), lambda j: j["spec"].update(completions=5),
     ["spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism"]),
    ("a NonIndexed Job's completions are immutable",
     job(), lambda j: j["spec"].update(completions=2, parallelism=2),
     ["spec.completions: Invalid value: 2: field is immutable"]),
    ("a suspended Job that never started may change its template's nodeSelector",
     job(suspend=True), node_selector, []),
    ("a suspended Job that never started may add tolerations, scheduling gates and node affinity",
     job(suspend=True),
     lambda j: j["spec"]["template"]["spec"].update(
         tolerations=[{"key": "gpu", "operator": "Exists"}], schedulingGates=[{"name": "quota"}],
         affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
             {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}]}}}),
     []),
    ("a suspended Job that never started may still not change its image",
     job(suspend=True), image, [FROZEN]),
    ("a suspended Job that already started may not change its nodeSelector",
     started(job(suspend=True)), node_selector, [FROZEN]),
    ("a running Job may not change its nodeSelector",
     job(), node_selector, [FROZEN]),
    ("the pod failure policy is immutable",
     job(**exit_codes([1])), lambda j: j["spec"]["podFailurePolicy"]["rules"][0].update(action="Ignore"),
     ["spec.podFailurePolicy: Invalid value: batch.PodFailurePolicy{Rules:[]batch.PodFailurePolicyRule{"
      "batch.PodFailurePolicyRule{Action:\"Ignore\", "
      "OnExitCodes:(*batch.PodFailurePolicyOnExitCodesRequirement)(0xc000012a40), "
      "OnPodConditions:[]batch.PodFailurePolicyOnPodConditionsPattern(nil)}}}: field is immutable"]),
    ("removing the pod failure policy is refused with a null value",
     job(**conditions({"type": "DisruptionTarget"})), lambda j: j["spec"].pop("podFailurePolicy"),
     ['spec.podFailurePolicy: Invalid value: "null": field is immutable']),
    ("the success policy is immutable",
     indexed(successPolicy={"rules": [{"succeededCount": 1}]}),
     lambda j: j["spec"]["successPolicy"]["rules"][0].update(succeededCount=2),
     ["spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{"
      "batch.SuccessPolicyRule{SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(0xc000012a48)}}}: "
      "field is immutable"]),
    ("backoffLimitPerIndex is immutable",
     indexed(backoffLimitPerIndex=1), lambda j: j["spec"].update(backoffLimitPerIndex=2),
     ["spec.backoffLimitPerIndex: Invalid value: 2: field is immutable"]),
    ("managedBy is immutable",
     job(managedBy="example.com/a"), lambda j: j["spec"].update(managedBy="example.com/b"),
     ['spec.managedBy: Invalid value: "example.com/b": field is immutable']),
    ("the pod replacement policy may change",
     job(), lambda j: j["spec"].update(podReplacementPolicy="Failed"), []),
    ("an update's spec error is listed twice, by ValidateJob and by ValidateJobUpdate",
     job(), lambda j: j["spec"].update(backoffLimit=-1),
     ["spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"] * 2),
    ("more completions may not give a pod a hostname longer than a DNS label",
     LONG_NAME, lambda j: j["spec"].update(completions=100, parallelism=100),
     [f'metadata.name: Invalid value: "{"a" * 61}": will not able to create pod with invalid DNS label: '
      f'{"a" * 61}-99']),
]


@pytest.mark.parametrize("old,change,expected", [c[1:] for c in UPDATES], ids=[c[0] for c in UPDATES])
def test_job_update_validation(old, change, expected):
    assert messages(updated(old, change), old) == expected


def test_a_cronjobs_job_template_gets_the_same_rules():
    obj = manifest("cronjob-cj.yaml")
    obj["spec"]["jobTemplate"]["spec"]["backoffLimitPerIndex"] = 1
    assert messages(prepared(obj)) == [
        "spec.jobTemplate.spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"]


JOB_YAML = """apiVersion: batch/v1
kind: Job
metadata:
  name: bad
spec:
{spec}
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
"""


@pytest.fixture(scope="module")
def cluster():
    return Cluster(workers=1, seed=0)


E2E = [
    ("kubectl apply prints a pod failure policy's errors as a list",
     "  podFailurePolicy:\n    rules:\n    - action: FailIndex\n      onExitCodes:\n        containerName: nope\n"
     "        operator: In\n        values: [2, 1]",
     'The Job "bad" is invalid: \n'
     '* spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be '
     "set\n"
     '* spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the '
     "container or initContainer names in the pod template\n"
     "* spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{2, 1}: must be ordered\n"),
    ("kubectl apply prints a single success policy error inline",
     "  completionMode: Indexed\n  completions: 2\n  parallelism: 2\n  successPolicy:\n    rules:\n"
     "    - succeededCount: 3",
     'The Job "bad" is invalid: spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than '
     "or equal to 2 (the number of specified completions)\n"),
]


@pytest.mark.parametrize("spec,expected", [c[1:] for c in E2E], ids=[c[0] for c in E2E])
def test_the_api_server_refuses_the_job(cluster, spec, expected):
    result = cluster.kubectl("apply -f -", stdin=JOB_YAML.format(spec=spec))
    assert (result.stdout, result.stderr, result.code) == ("", expected, 1)
    assert cluster.kubectl("get jobs").stderr == "No resources found in default namespace.\n"
