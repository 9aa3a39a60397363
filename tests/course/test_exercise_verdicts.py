"""The chapters' exercises give a wrong answer a failing, clear verdict and a right answer, however it
is written, a passing one: manifests kubectl would refuse, YAML of the wrong shape, answers of the
wrong type, and the plausible wrong functions a case table must catch."""

import re

import pytest

from k8slearn.api.taints import tolerations_tolerate_taint
from k8slearn.controllers.taint_eviction import get_matching_tolerations, get_min_toleration_time
from k8slearn.course import Satisfies, check, check_manifest, labels_lab, pod_flow
from k8slearn.course.checks import lookup

ACCEPTED = "the API server accepts it (kubectl apply --dry-run=server)"

LOG_AGENT = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
spec:
  selector:
    matchLabels:
      app: log-agent
  template:
    metadata:
      labels:
        app: log-agent
    spec:
      tolerations:
{tolerations}
      containers:
      - name: fluentd
        image: fluent/fluentd:v1.17
"""
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
LOG_AGENT_EXPECT = {
    "kind": "DaemonSet", "metadata.name": "log-agent",
    "spec.template.spec.tolerations": Satisfies(
        "tolerates the control plane's taint",
        lambda tolerations: tolerations_tolerate_taint(tolerations or [], CONTROL_PLANE_TAINT)),
    "spec.template.spec.containers[0].image": "fluent/fluentd:v1.17",
}
CP_EXISTS = ("      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n"
             "        effect: NoSchedule")


def log_agent(tolerations=CP_EXISTS, api_version="apps/v1"):
    return LOG_AGENT.format(tolerations=tolerations).replace("apps/v1", api_version, 1)


def mapping_error(name, kind, version):
    return (f'error: resource mapping not found for name: "{name}" namespace: "" from "STDIN": '
            f'no matches for kind "{kind}" in version "{version}"\nensure CRDs are installed first')


@pytest.mark.parametrize("text, failing, error", [
    pytest.param(log_agent(api_version="extensions/v1beta1"), ACCEPTED,
                 mapping_error("log-agent", "DaemonSet", "extensions/v1beta1"),
                 id="an old blog post's extensions/v1beta1 DaemonSet is refused as kubectl refuses it"),
    pytest.param(log_agent(api_version="v1"), ACCEPTED, mapping_error("log-agent", "DaemonSet", "v1"),
                 id="a DaemonSet in the core group v1 has no resource mapping"),
    pytest.param("apiVersion: apps/v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  containers:\n"
                 "  - name: hello\n    image: nginx:1.27\n", ACCEPTED, mapping_error("hello", "Pod", "apps/v1"),
                 id="a Pod in apps/v1 has no resource mapping"),
    pytest.param("kind: Pod\nmetadata:\n  name: hello\nspec:\n  containers:\n  - name: hello\n    image: nginx\n",
                 "kubectl can read the manifest",
                 'error: error validating "STDIN": error validating data: apiVersion not set; if you choose to '
                 "ignore these errors, turn validation off with --validate=false",
                 id="a manifest without apiVersion fails kubectl's own validation"),
])
def test_a_manifest_kubectl_refuses_before_sending_it_fails_with_kubectls_words(text, failing, error):
    kind = re.search(r"^kind: (\w+)", text, re.M)[1]
    result = check_manifest(text, {"kind": kind})
    assert [(o.id, o.error) for o in result.failures] == [(failing, error)]


@pytest.mark.parametrize("tolerations", [
    pytest.param(CP_EXISTS, id="the chapter's solution"),
    pytest.param("      - operator: Exists", id="Exists without a key tolerates every taint"),
    pytest.param("      - key: node-role.kubernetes.io/control-plane\n        operator: Exists",
                 id="a toleration without an effect tolerates every effect of its key"),
    pytest.param("      - key: node-role.kubernetes.io/control-plane\n        effect: NoSchedule",
                 id="a toleration without an operator or a value is Equal to the taint's empty value"),
    pytest.param("      - {key: node-role.kubernetes.io/master, operator: Exists}\n"
                 "      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}",
                 id="the old master toleration next to the right one, in flow style"),
])
def test_every_way_of_tolerating_the_control_plane_passes_the_log_agent_check(tolerations):
    result = check_manifest(log_agent(tolerations), LOG_AGENT_EXPECT)
    assert result.ok, str(result)


@pytest.mark.parametrize("tolerations, failing", [
    pytest.param("      - key: node-role.kubernetes.io/master\n        operator: Exists\n        effect: NoSchedule",
                 ["spec.template.spec.tolerations tolerates the control plane's taint"],
                 id="the master key is gone since 1.25"),
    pytest.param("      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n"
                 "        effect: NoExecute",
                 ["spec.template.spec.tolerations tolerates the control plane's taint"],
                 id="a NoExecute toleration does not tolerate a NoSchedule taint"),
    pytest.param("      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n"
                 "        value: 'true'\n        effect: NoSchedule", [ACCEPTED],
                 id="a value with Exists is refused by the API server"),
])
def test_a_wrong_toleration_fails_the_log_agent_check(tolerations, failing):
    result = check_manifest(log_agent(tolerations), LOG_AGENT_EXPECT)
    assert [o.id for o in result.failures] == failing


UNREACHABLE = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}


def leaves_after_30s(tolerations):
    tolerated, used = get_matching_tolerations([UNREACHABLE], tolerations or [])
    return tolerated and get_min_toleration_time(used) == 30


FAST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fast
spec:
  replicas: 2
  selector:
    matchLabels:
      app: fast
  template:
    metadata:
      labels:
        app: fast
    spec:
      tolerations:
{tolerations}
      containers:
      - name: nginx
        image: nginx:1.27
"""
FAST_RULE = "spec.template.spec.tolerations leaves after 30 s"
FAST_EXPECT = {"kind": "Deployment", "metadata.name": "fast", "spec.replicas": 2,
               "spec.template.spec.tolerations": Satisfies("leaves after 30 s", leaves_after_30s)}


@pytest.mark.parametrize("tolerations, failing", [
    pytest.param("      - key: node.kubernetes.io/unreachable\n        operator: Exists\n        effect: NoExecute\n"
                 "        tolerationSeconds: 30", [], id="the chapter's solution passes"),
    pytest.param("      - {key: node.kubernetes.io/unreachable, effect: NoExecute, tolerationSeconds: 30}", [],
                 id="an Equal toleration without a value, in flow style, passes"),
    pytest.param("      - key: node.kubernetes.io/unreachable\n        operator: Exists\n        effect: NoExecute\n"
                 "        tolerationSeconds: 300\n      - key: node.kubernetes.io/unreachable\n"
                 "        operator: Exists\n        effect: NoExecute\n        tolerationSeconds: 30", [FAST_RULE],
                 id="the first matching toleration decides, as in the taint eviction controller"),
    pytest.param("      - key: node.kubernetes.io/unreachable\n        operator: Exists\n"
                 "        tolerationSeconds: 30", [ACCEPTED],
                 id="tolerationSeconds without the NoExecute effect is refused by the API server"),
])
def test_the_fast_failover_check_follows_the_taint_eviction_controller(tolerations, failing):
    result = check_manifest(FAST.format(tolerations=tolerations), FAST_EXPECT)
    assert [o.id for o in result.failures] == failing


@pytest.mark.parametrize("document, path, error", [
    pytest.param({"spec": {"containers": {"name": "hello"}}}, "spec.containers[0].name",
                 "(no such item: spec.containers is a dict, not a list: a list's items start with '- ')",
                 id="a list written without its dashes is named a dict, not an empty list"),
    pytest.param({"metadata": {"labels": "app=hello"}}, "metadata.labels.app",
                 "(no such field: metadata.labels is a str, not a mapping of fields such as 'app: ...')",
                 id="labels written as key=value text are named a str"),
    pytest.param({"metadata": {"labels": None}}, "metadata.labels.app",
                 "(no such field: metadata.labels is empty (null), not a mapping of fields such as 'app: ...')",
                 id="an empty labels key is named empty"),
    pytest.param({"spec": {"containers": [{"name": "a"}]}}, "spec.containers[1].name",
                 "(no such item: spec.containers has 1 items)", id="a list that is too short says its length"),
])
def test_a_field_of_the_wrong_yaml_shape_is_named_for_what_it_is(document, path, error):
    assert lookup(document, path)[1] == error


@pytest.mark.parametrize("selectors, got", [
    pytest.param(["app=web,!canary"], "a list", id="a list of selectors"),
    pytest.param("app=web,!canary", "a str", id="one selector string"),
    pytest.param(None, "None", id="nothing"),
])
def test_selectors_that_are_not_a_dict_are_one_failing_check_not_an_exception(selectors, got):
    wanted = {"the web pods that are not canaries": ["web"]}
    result = labels_lab.check_selectors(None, selectors, wanted)
    assert [o.id for o in result.failures] == ["the selectors are a dict, one selector per request"]
    assert result.failures[0].error == (
        f"{got}; the selectors must be a dict from each request to its selector, "
        "as in {'the web pods that are not canaries': '...'}")


def two_letters_at_least(value):
    """A label value regex whose start and end characters must be two different characters."""
    return value == "" or (len(value) <= 63
                           and re.fullmatch(r"[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]", value) is not None)


def skew_over_all_zones(counts, zone, max_skew):
    """maxSkew read as max − min over every zone after placing the pod (the rule looks at this zone only)."""
    after = {**counts, zone: counts[zone] + 1}
    return max(after.values()) - min(after.values()) <= max_skew


def in_and_notin_as_exists(selector, labels):
    """`in` read as "the key exists" and `notin` as "the key is missing"."""
    def holds(requirement):
        key = requirement.split()[0].lstrip("!").split("=")[0].split("!")[0]
        if " notin " in requirement or requirement.startswith("!"):
            return key not in labels
        if " in " in requirement or "=" not in requirement:
            return key in labels
        value = requirement.split("=")[-1]
        return labels.get(key) != value if "!=" in requirement else labels.get(key) == value
    return all(holds(r) for r in labels_lab.split_requirements(selector))


@pytest.mark.parametrize("answer, table, failing", [
    pytest.param(two_letters_at_least, "metadata.is_valid_label_value",
                 ["one letter or digit is a label value: it both starts and ends the value"],
                 id="a label value regex that needs two characters fails on a one-character value"),
    pytest.param(skew_over_all_zones, "scheduling.spread_allows", ["the emptiest zone is always allowed"],
                 id="a skew taken over all zones fails when the emptiest zone is far behind"),
    pytest.param(in_and_notin_as_exists, "labels.selector_matches",
                 ["an in selector does not match a value outside its set",
                  "a notin selector matches a pod whose value is outside its set"],
                 id="in and notin read as exists and does-not-exist fail on a pod that has the key"),
])
def test_a_plausible_wrong_function_fails_exactly_the_case_that_shows_its_mistake(answer, table, failing):
    assert [o.id for o in check(answer, table).failures] == failing


@pytest.fixture(scope="module")
def journey():
    from k8slearn import Cluster

    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    return cluster


STAGES = list(pod_flow.STAGES)


@pytest.mark.parametrize("answer, note", [
    pytest.param(STAGES[:-1], "unknown: []; missing: ['the kubelet reports the pod Running']",
                 id="a list that misses a stage"),
    pytest.param(STAGES + STAGES[:1], "unknown: []; missing: []; twice: ['kubectl sends the pod to the API server']",
                 id="a list that repeats a stage says which"),
    pytest.param([s.replace("containerd", "docker") for s in STAGES],
                 "unknown: ['docker creates the sandbox and CNI gives it an IP', 'docker pulls the image', "
                 "'docker starts the container']; missing: ['containerd creates the sandbox and CNI gives it an IP', "
                 "'containerd pulls the image', 'containerd starts the container']",
                 id="a list with renamed stages"),
])
def test_a_malformed_order_says_what_is_wrong_and_never_shows_the_true_order(journey, answer, note):
    result = pod_flow.check_order(answer, journey.trace)
    (failure,) = result.failures
    assert (failure.note, failure.expected) == (note, "each name of pod_flow.STAGES once, in the order you choose")


@pytest.mark.parametrize("answer", [None, "kubectl, then etcd", dict.fromkeys(STAGES)],
                         ids=["nothing", "a sentence", "a dict"])
def test_an_order_that_is_no_list_of_names_does_not_show_the_true_order_either(journey, answer):
    (failure,) = pod_flow.check_order(answer, journey.trace).failures
    assert failure.id == "the answer is a list of the stages' names"
    assert failure.expected == "each name of pod_flow.STAGES once, in the order you choose"
