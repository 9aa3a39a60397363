"""check / check_manifest / check_cluster: exactly the failing cases, shown deterministically."""

import pytest

from k8slearn.course import check, check_cluster, check_manifest
from k8slearn.course.cases import TABLES
from k8slearn.course.checks import first_difference, lookup, parse_path


def equality_only(selector, labels):
    """A student's first try: only understands key=value pairs."""
    return all(labels.get(k) == v for k, v in (part.split("=") for part in selector.split(",")))


def only_waiting_reason(pod):
    """A student's first try at STATUS: the waiting reason of the first container."""
    return pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"]


def test_check_reports_exactly_the_cases_a_wrong_selector_function_fails():
    result = check(equality_only, "labels.selector_matches")
    passing = {
        "an equality selector matches a pod with that label",
        "an equality selector does not match a different value",
        "every comma-separated requirement must hold",
        "a not-equals selector rejects the excluded value",
    }
    assert {o.id for o in result.outcomes if o.passed} == passing
    assert {o.id for o in result.failures} == set(TABLES["labels.selector_matches"].ids()) - passing
    assert result.passed == 4 and result.total == 16 and not result.ok and not result


def test_check_catches_the_students_exceptions_and_shows_them():
    result = check(only_waiting_reason, "pod_status.display_status")
    assert {o.id for o in result.outcomes if o.passed} == {
        "a pod whose container is being created shows ContainerCreating",
        "a container that keeps crashing shows CrashLoopBackOff although the phase is Running",
        "an image that cannot be pulled shows ImagePullBackOff",
    }
    errors = {o.id: o.error for o in result.failures}
    pending = "a pod no node has taken yet shows its phase Pending"
    assert errors[pending] == "raised KeyError: 'containerStatuses'"
    assert errors["a pod whose container runs shows Running"] == "raised KeyError: 'waiting'"


def test_the_text_form_lists_each_failing_case_with_expected_and_got():
    result = check(lambda seconds: f"{int(seconds)}s", "age.human_duration")
    lines = repr(result).splitlines()
    assert lines[0] == "✘ 4/22 cases pass · 18 fail (age.human_duration)"
    assert lines[1:4] == ["✘ two minutes exactly is 2m", "    expected: '2m'", "    got:      '120s'"]
    assert str(result) == repr(result)


def test_the_summary_reads_nine_of_ten_when_one_case_fails():
    table = TABLES["etcd.key_for"]
    answers = {case.id: case.expected for case in table}
    answers["a node is stored under its historical name minions"] = "/registry/nodes/node-1"
    result = check(answers, table)
    assert result.summary() == "✘ 9/10 cases pass · 1 fails (etcd.key_for)"
    assert "✘ 9/10 cases pass" in result._repr_html_()
    assert "✘ a node is stored under its historical name minions" in result._repr_html_()


def test_the_html_form_escapes_values_and_has_no_memory_address():
    result = check(lambda pod: object(), "pod_status.display_status")
    text, html = repr(result), result._repr_html_()
    assert "0x" not in text and "0x" not in html
    assert "got:      <object object>" in text
    assert "&lt;object object&gt;" in html


def test_check_runs_a_function_on_copies_so_the_table_stays_intact():
    def destructive(pod):
        pod.clear()
        return "Running"

    before = repr(TABLES["pod_status.display_status"].cases)
    check(destructive, "pod_status.display_status")
    assert repr(TABLES["pod_status.display_status"].cases) == before


def test_a_plain_value_is_compared_with_every_case():
    result = check("/registry/pods/default/web", "etcd.key_for")
    assert [o.id for o in result.outcomes if o.passed] == ["a pod is stored under its namespace and name"]


def test_a_missing_answer_in_a_dict_of_answers_is_reported():
    result = check({"a brand-new object is 0s old": "0s"}, "age.human_duration")
    assert result.passed == 1
    assert result.failures[0].error == "(no answer given for this case)"


def test_a_bool_is_not_accepted_where_a_count_would_equal_it():
    result = check(lambda selector, labels: 1, "labels.selector_matches")
    assert result.passed == 0


def test_a_json_string_answer_to_yaml_to_json_is_parsed():
    import json

    import yaml

    assert check(lambda text: json.dumps(yaml.safe_load(text)), "yaml_to_json").ok


def test_a_wrong_nested_value_names_its_path():
    result = check(lambda text: {"spec": {"replicas": "3"}}, "yaml_to_json")
    assert result.failures[0].note == "first difference: apiVersion is missing"
    assert first_difference({"spec": {"replicas": 3}}, {"spec": {"replicas": "3"}}) == (
        "first difference at spec.replicas: expected 3, got '3'")
    assert first_difference([1, 2], [1]) == "first difference: the top level has 1 items, expected 2"


# -- check_manifest -----------------------------------------------------------------------------

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
    app.kubernetes.io/name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""

EXPECT = {
    "kind": "Deployment",
    "spec.replicas": 3,
    "spec.template.spec.containers[0].image": "nginx:1.27",
    "spec.template.metadata.labels.app": "web",
}

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
"""

STRING_REPLICAS = DEPLOYMENT.replace("replicas: 3", 'replicas: "3"')
LATEST = DEPLOYMENT.replace("nginx:1.27", "nginx:latest")
DOTTED = {'metadata.labels["app.kubernetes.io/name"]': "web"}

ACCEPTED = "the API server accepts it (kubectl apply --dry-run=server)"
MISMATCHED = DEPLOYMENT.replace("    matchLabels:\n      app: web", "    matchLabels:\n      app: other")

MANIFEST_CASES = [
    ("the exercise's Deployment passes every expectation", DEPLOYMENT, EXPECT, 5, []),
    ("a replica count written as a string fails, and the API server refuses it", STRING_REPLICAS, EXPECT, 3,
     ["spec.replicas is 3", ACCEPTED]),
    ("a wrong image tag fails that expectation only", LATEST, EXPECT, 4,
     ["spec.template.spec.containers[0].image is 'nginx:1.27'"]),
    ("a Service before the Deployment is skipped", SERVICE + DEPLOYMENT, EXPECT, 5, []),
    ("a label key with dots is reached with a quoted path", DEPLOYMENT, DOTTED, 2, []),
    ("a selector that does not match the template passes the fields but not the API server",
     MISMATCHED, EXPECT, 4, [ACCEPTED]),
]


@pytest.mark.parametrize("name, text, expect, passed, failing", MANIFEST_CASES,
                         ids=[c[0] for c in MANIFEST_CASES])
def test_check_manifest(name, text, expect, passed, failing):
    result = check_manifest(text, expect)
    assert result.passed == passed
    assert [o.id for o in result.failures] == failing


@pytest.mark.parametrize("text, error", [
    (MISMATCHED, ('The Deployment "web" is invalid: spec.template.metadata.labels: '
                  'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`')),
    (DEPLOYMENT.replace("replicas: 3", "replicas: 3\n  replica: 4"),
     'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be '
     'handled as a Deployment: strict decoding error: unknown field "spec.replica"'),
], ids=["the selector must match the template's labels", "an unknown field is kubectl's strict decoding error"])
def test_the_api_servers_refusal_is_shown_in_its_own_words(text, error):
    result = check_manifest(text, {"kind": "Deployment"})
    assert [(o.id, o.error) for o in result.failures] == [(ACCEPTED, error)]


def test_an_error_about_the_empty_test_servers_world_is_not_the_manifests_fault():
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  serviceAccountName: builder\n" \
          "  containers: [{name: a, image: nginx}]\n"
    assert [bool(check_manifest(pod, {"kind": "Pod"})), check_manifest(pod, {"kind": "Pod"}).passed] == [True, 2]


def test_a_missing_field_says_which_object_lacks_it():
    result = check_manifest(DEPLOYMENT, {"spec.strategy.type": "RollingUpdate"})
    assert result.failures[0].error == "(no such field: spec has no 'strategy')"
    result = check_manifest(DEPLOYMENT, {"spec.template.spec.containers[1].name": "sidecar"})
    assert result.failures[0].error == "(no such item: spec.template.spec.containers has 1 items)"


def test_broken_yaml_is_reported_with_kubectls_message_not_raised():
    broken = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: a: b\n"
    result = check_manifest(broken, {"kind": "Pod"})
    assert [o.id for o in result.failures] == ["kubectl can read the manifest"]
    assert "yaml: line 5: mapping values are not allowed in this context" in result.failures[0].error


def test_a_manifest_without_the_wanted_kind_says_what_it_found():
    result = check_manifest(SERVICE, EXPECT)
    assert result.failures[0].id == "the YAML contains a Deployment"
    assert result.failures[0].got == "documents of kinds ['Service']"


def test_manifest_check_reads_as_checks():
    assert repr(check_manifest(DEPLOYMENT, EXPECT)) == "✔ 5/5 checks pass (Deployment)"


def test_dotted_paths_split_into_keys_and_indexes():
    assert parse_path("a.b[2].c") == ["a", "b", 2, "c"]
    assert lookup({"a": [{"b": 1}]}, "a[0].b") == (1, "")


# -- check_cluster ------------------------------------------------------------------------------


class FakeApi:
    def __init__(self, pods):
        self.pods = pods

    def get(self, resource, name, namespace="default"):
        if name not in self.pods:
            raise LookupError(f'pods "{name}" not found')
        return self.pods[name]


class FakeCluster:
    def __init__(self, pods):
        self.api = FakeApi(pods)


def where_is_web(cluster):
    pod = cluster.api.get("pods", "web")
    return pod["status"]["phase"], pod["spec"]["nodeName"]


def web_on(node):
    return {"web": {"status": {"phase": "Running"}, "spec": {"nodeName": node}}}


CLUSTER_CASES = [
    ("a pod running where it should passes", web_on("node-2"), True, None),
    ("a pod on the wrong node fails and shows where it is", web_on("node-1"), False, None),
    ("a missing pod fails with the API's message", {}, False, 'raised LookupError: pods "web" not found'),
]


@pytest.mark.parametrize("name, pods, ok, error", CLUSTER_CASES, ids=[c[0] for c in CLUSTER_CASES])
def test_check_cluster(name, pods, ok, error):
    cluster = FakeCluster(pods)
    result = check_cluster(cluster, "pod web is Running on node-2", where_is_web, ("Running", "node-2"))
    assert result.ok is ok
    assert result.outcomes[0].error == error


def test_check_cluster_accepts_any_true_value_by_default():
    assert check_cluster(None, "a non-empty list is true", lambda c: [1]).ok
    assert not check_cluster(None, "None is not true", lambda c: None).ok


def test_check_cluster_on_a_real_cluster():
    k8slearn = pytest.importorskip("k8slearn", reason="k8slearn.Cluster is not importable yet")
    cluster = k8slearn.Cluster(workers=1, seed=0)
    found = check_cluster(cluster, "namespace kube-system is Active",
                          lambda c: c.api.get("namespaces", "kube-system")["status"]["phase"], "Active")
    assert found.ok, repr(found)
    missing = check_cluster(cluster, "pod nope exists", lambda c: c.api.get("pods", "nope"))
    assert not missing.ok
    assert 'pods "nope" not found' in missing.outcomes[0].error


CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
LOG_AGENT = """apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      tolerations: %s
      containers: [{name: fluentd, image: "fluent/fluentd:v1.17"}]
"""


@pytest.mark.parametrize("tolerations, passes", [
    ("[{operator: Exists}]", True),
    ("[{key: node-role.kubernetes.io/control-plane, operator: Exists}]", True),
    ("[{key: a, operator: Exists, effect: NoExecute}, "
     "{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]", True),
    ("[{key: node-role.kubernetes.io/master, operator: Exists}]", False),
    ("[]", False),
], ids=[
    "a toleration of every taint passes",
    "the control plane's key without an effect passes (it matches every effect)",
    "the right toleration second in the list passes",
    "the old master key fails",
    "no toleration fails",
])
def test_a_satisfies_rule_accepts_every_right_answer(tolerations, passes):
    from k8slearn.api.taints import tolerations_tolerate_taint
    from k8slearn.course import Satisfies

    rule = Satisfies("tolerates the control plane's taint",
                     lambda t: tolerations_tolerate_taint(t or [], CONTROL_PLANE_TAINT))
    result = check_manifest(LOG_AGENT % tolerations, {"kind": "DaemonSet", "spec.template.spec.tolerations": rule})
    assert bool(result) is passes


class _Unprintable:
    def __repr__(self):
        raise RuntimeError("no")

    def __eq__(self, other):
        raise ValueError("cannot compare")

    __hash__ = object.__hash__


def test_a_students_function_that_calls_exit_is_a_failed_case_not_the_end_of_the_check():
    result = check(lambda *args: exit(3), "age.human_duration")  # noqa: PLR1722 - what a student may write
    assert not result and result.outcomes[0].error == "raised SystemExit: 3"


def test_an_answer_that_cannot_be_printed_or_compared_is_a_failed_case():
    result = check({"a brand-new object is 0s old": _Unprintable()}, "age.human_duration")
    assert not result
    assert "got:      <a _Unprintable whose repr raised RuntimeError>" in str(result)
    assert "_Unprintable" in result._repr_html_()


def test_a_value_whose_repr_raises_is_shown_by_its_type():
    from k8slearn.course.cases.table import show_value

    assert show_value(_Unprintable()) == "<a _Unprintable whose repr raised RuntimeError>"


@pytest.mark.parametrize("image, passes", [
    ("nginx:1.27", True), ("docker.io/library/nginx:1.27", True), ("docker.io/nginx:1.27", True),
    ("nginx:1.28", False), ("quay.io/nginx:1.27", False), ("NGINX:1.27", False),
], ids=["as asked", "fully qualified", "with the registry only", "another tag", "another registry",
        "not a valid reference"])
def test_an_image_may_be_written_as_any_reference_to_the_same_image(image, passes):
    result = check_manifest(DEPLOYMENT.replace("nginx:1.27", image), {"spec.template.spec.containers[0].image": "nginx:1.27"},
                            server=False)
    assert bool(result) is passes


def test_a_dict_passed_where_a_function_is_wanted_is_told_to_pass_its_get():
    result = check({"schedule the pod": "kube-scheduler"}, "pod_flow.who_does")
    assert result.passed == 0
    assert all(o.note.endswith("pass the dict's get: check(answers.get, ...)") for o in result.outcomes)


# -- an answer of the wrong type altogether, and a table name that is no table's ------------------

def _documents(text):
    import yaml

    return list(yaml.safe_load_all(text))


WRONG_TYPE = "first difference at the top level: expected a dict (one object), got "


@pytest.mark.parametrize("answer, note", [
    pytest.param(_documents, WRONG_TYPE + "a list",
                 id="a list of the documents instead of the one object is named a list"),
    pytest.param(lambda text: None, WRONG_TYPE + "None",
                 id="a function that returns nothing is told it gave None"),
    pytest.param(lambda text: "apiVersion v1", WRONG_TYPE + "a str",
                 id="text that is not JSON is named a str"),
    pytest.param(lambda text: 3, WRONG_TYPE + "an int",
                 id="a number is named an int"),
])
def test_an_answer_of_the_wrong_type_gets_a_short_note_in_words(answer, note):
    result = check(answer, "yaml_to_json")
    assert (result.passed, result.total) == (0, 5)
    assert {o.note for o in result.failures} == {note}


@pytest.mark.parametrize("expected, got, note", [
    pytest.param([1, 2], {"a": 1},
                 "first difference at the top level: expected a list, got a dict (one object)",
                 id="a dict where a list is expected is named in words"),
    pytest.param({"kind": "Pod"}, "kind: Pod", WRONG_TYPE + "a str",
                 id="a str where an object is expected is named in words"),
    pytest.param({"spec": {"replicas": 3}}, {"spec": {"replicas": "3"}},
                 "first difference at spec.replicas: expected 3, got '3'",
                 id="a wrong nested value is still shown as it is"),
    pytest.param({"spec": {"containers": [{"name": "web", "image": "nginx:1.27"},
                                          {"name": "log-agent", "image": "fluent/fluent-bit:3.0"}]}},
                 {"spec": {"containers": {"name": "web"}}},
                 "first difference at spec.containers: expected [{'name': 'web', 'image': 'nginx:1.27'}, "
                 "{'name': 'log-agent', 'image': 'fluent…, got {'name': 'web'}",
                 id="a long nested value is cut on one line, not spread over lines"),
])
def test_first_difference_notes(expected, got, note):
    assert first_difference(expected, got) == note


KNOWN_TABLES = ("one of age.human_duration, daemonset.daemon_pod_count,\n"
                "deployment.rollout_bounds, etcd.key_for, labels.selector_matches,\n"
                "metadata.is_valid_label_value, pod_flow.node_for_ip, pod_flow.who_does,\n"
                "pod_status.display_status, replicaset.replica_diff, scheduling.insufficient,\n"
                "scheduling.least_allocated, scheduling.node_selector_requirement,\n"
                "scheduling.pick_node, scheduling.spread_allows, scheduling.tolerates,\n"
                "yaml_to_json")


@pytest.mark.parametrize("answer, table, title, got, note", [
    pytest.param(len, "daemonset.daemon_pod_cnt", "daemonset.daemon_pod_cnt", "daemonset.daemon_pod_cnt",
                 "no case table is named 'daemonset.daemon_pod_cnt' "
                 "(did you mean 'daemonset.daemon_pod_count'?)",
                 id="a typo in the table name is a failing check that names the closest table"),
    pytest.param(len, "pods", "pods", "pods", "no case table is named 'pods'",
                 id="a name like no table's is a failing check without a guess"),
    pytest.param("daemonset.daemon_pod_count", len, "check", len,
                 "a case table is named by a str, as in check(answer, 'labels.selector_matches')",
                 id="the answer and the table name swapped is a failing check that shows the order"),
])
def test_a_name_that_is_no_tables_is_a_failing_check_listing_the_tables(answer, table, title, got, note):
    result = check(answer, table)
    assert (result.title, result.passed, result.total, result.noun) == (title, 0, 1, "checks")
    (outcome,) = result.outcomes
    assert (outcome.id, str(outcome.expected), outcome.got, outcome.note) == (
        "check names one of the course's case tables", KNOWN_TABLES, got, note)
    assert "Error" not in str(result) and "Traceback" not in str(result)
    assert str(result).splitlines()[2:4] == [
        "    expected: one of age.human_duration, daemonset.daemon_pod_count,",
        "              deployment.rollout_bounds, etcd.key_for, labels.selector_matches,"]


def test_every_case_table_is_listed_when_the_name_is_wrong():
    assert KNOWN_TABLES.replace("one of ", "").replace("\n", " ").split(", ") == sorted(TABLES)
