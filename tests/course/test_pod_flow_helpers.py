"""The helpers of chapters 04 and 05 (k8slearn.course.pod_flow, k8slearn.course.labels_lab) and
their case tables: each table passes against the package, and each helper reads the simulated
cluster the way the notebooks say it does."""

import subprocess
import sys

import pytest

from k8slearn import Cluster
from k8slearn.api.names import is_valid_label_value
from k8slearn.course import check, labels_lab, pod_flow
from k8slearn.course.cases import TABLES, get_table

TWO_CONTAINERS = """apiVersion: v1
kind: Pod
metadata:
  name: duo
  labels: {app: web, env: prod}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
  - name: log-agent
    image: busybox:1.36
    command: ["sh", "-c", "while true; do echo tick; sleep 10; done"]
"""


@pytest.fixture(scope="module")
def journey():
    """A cluster in which pod web went from `kubectl run` to Running."""
    cluster = Cluster(workers=3, seed=0)
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    return cluster


@pytest.fixture(scope="module")
def pods():
    """A cluster with a two-container pod and three labelled one-container pods."""
    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("apply -f -", stdin=TWO_CONTAINERS)
    cluster.kubectl("run api --image=nginx --labels=app=api,env=staging")
    cluster.kubectl("run canary --image=nginx --labels=app=web,env=prod,canary=true")
    cluster.kubectl("run toolbox --image=redis --labels=app=toolbox")
    cluster.settle()
    return cluster


def cases_of(name):
    table = get_table(name)
    return pytest.mark.parametrize("case", table.cases, ids=table.ids())


# -- the case tables agree with the package ------------------------------------------------------------


@cases_of("pod_flow.who_does")
def test_the_trace_shows_the_component_the_table_names(journey, case):
    assert pod_flow.who_did(journey.trace, *case.args) == case.expected


@cases_of("pod_flow.node_for_ip")
def test_node_for_ip_case_agrees_with_address_arithmetic(case):
    assert pod_flow.node_for_ip(*case.args) == case.expected


@cases_of("metadata.is_valid_label_value")
def test_label_value_case_agrees_with_apimachinerys_validation(case):
    (value,) = case.args
    assert (not is_valid_label_value(value)) is case.expected


@pytest.mark.parametrize(
    "name, answer",
    [
        ("pod_flow.node_for_ip", pod_flow.node_for_ip),
        ("metadata.is_valid_label_value", lambda value: not is_valid_label_value(value)),
    ],
    ids=[
        "check passes every node_for_ip case for the package",
        "check passes every label value case for the package",
    ],
)
def test_check_passes_every_case_for_the_package(name, answer):
    result = check(answer, name)
    assert repr(result) == f"✔ {len(TABLES[name])}/{len(TABLES[name])} cases pass ({name})"


def text_prefix_node_for_ip(ip, pod_cidrs):
    """The notebook's first try: compare the text before the last dot."""
    for node, cidr in pod_cidrs.items():
        if ip.startswith(cidr.rsplit(".", 1)[0]):
            return node
    return None


def test_the_notebooks_first_try_fails_exactly_the_trap_cases():
    failed = [o.id for o in check(text_prefix_node_for_ip, "pod_flow.node_for_ip").failures]
    assert failed == [
        "an ip in 10.244.10.0/24 is not in 10.244.1.0/24 although the text starts alike",
        "a /25 range holds only half of the /24",
    ]


def test_the_notes_answers_fail_where_the_notes_were_wrong():
    notes = {job: pod_flow.who_did([], job) for job in pod_flow.TASKS}  # all None: nothing in an empty trace
    assert set(notes.values()) == {None}
    answers = dict(zip(pod_flow.TASKS, [c.expected for c in get_table("pod_flow.who_does")]))
    answers["decide which node runs the pod"] = "etcd"
    answers["pull the nginx image"] = "docker"
    failed = [o.id for o in check(answers.get, "pod_flow.who_does").failures]
    assert failed == ["the scheduler decides where the pod runs", "containerd pulls the image, not docker"]


def test_every_who_does_answer_is_one_of_the_component_names():
    assert {case.expected for case in get_table("pod_flow.who_does")} <= set(pod_flow.COMPONENTS)


# -- stepping the journey -------------------------------------------------------------------------------


def test_step_pod_walks_the_journey_in_order_and_stops_before_the_heartbeats():
    cluster = Cluster(workers=3, seed=0)
    cluster.kubectl("run web --image=nginx")
    logs = []
    for _ in range(30):
        log = pod_flow.step_pod(cluster, "web")
        logs.append(log)
        if not log:
            break
    actions = [(s.component.split("/")[0], s.action) for log in logs for s in log]
    wanted = [
        ("kube-scheduler", "schedule"),
        ("kube-scheduler", "bind"),
        ("kubelet", "watch"),
        ("kubelet", "SyncPod"),
        ("containerd", "RunPodSandbox"),
        ("cni", "ADD"),
        ("containerd", "PullImage"),
        ("containerd", "ImagePulled"),
        ("containerd", "CreateContainer"),
        ("containerd", "StartContainer"),
    ]
    positions = [actions.index(w) for w in wanted]
    assert positions == sorted(positions)
    assert logs[-1] == [] and "nothing more happens to pod/default/web" in logs[-1].note
    assert cluster.now < 10.0  # no lease renewal was run to get there


def test_step_pod_never_returns_an_event_that_only_delivered_modified_watches():
    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("run web --image=nginx")
    for _ in range(30):
        log = pod_flow.step_pod(cluster, "web")
        if not log:
            break
        about = [s for s in log if s.object == "pod/default/web" or s.object.startswith("event/default/web.")]
        assert about and not all(s.action == "watch" and s.detail.startswith("MODIFIED") for s in about), str(
            log
        )


def test_step_pod_says_when_it_stepped_over_watch_deliveries():
    note = pod_flow._echo_note(["kube-scheduler", "kubelet/node-1"])
    assert note == "(also run: 2 MODIFIED watch deliveries, to kube-scheduler, kubelet/node-1)"
    assert (
        pod_flow._echo_note(["kube-scheduler"]) == "(also run: 1 MODIFIED watch delivery, to kube-scheduler)"
    )


# -- revisions in etcd ----------------------------------------------------------------------------------


def test_pod_revisions_name_the_writer_of_every_version(journey):
    rows = pod_flow.pod_revisions(journey, "web")
    node = journey.api.get("pods", "web")["spec"]["nodeName"]
    assert [r.version for r in rows] == list(range(1, len(rows) + 1))
    assert [r.revision for r in rows] == sorted(r.revision for r in rows)
    assert rows[0].writer == "kubectl create" and rows[0].changes.startswith("created: phase Pending")
    assert rows[1].writer == f"kube-scheduler bind {node}" and f"spec.nodeName={node}" in rows[1].changes
    assert {r.writer for r in rows[2:]} == {f"kubelet/{node} patch strategic, status"}
    assert "phase Pending → Running" in rows[-1].changes
    assert rows[-1].revision == journey.etcd.get("/registry/pods/default/web").mod_revision


@pytest.mark.parametrize(
    "before, after, expected",
    [
        (None, {"spec": {}, "status": {"phase": "Pending"}}, "created: phase Pending, no spec.nodeName yet"),
        ({"spec": {}, "status": {}}, {"spec": {"nodeName": "node-2"}, "status": {}}, "spec.nodeName=node-2"),
        (
            {"spec": {}, "status": {"phase": "Pending"}},
            {"spec": {}, "status": {"phase": "Running", "podIP": "10.244.1.2"}},
            "phase Pending → Running, podIP=10.244.1.2",
        ),
        (
            {"spec": {}, "status": {"conditions": [{"type": "Ready", "status": "False"}]}},
            {"spec": {}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
            "Ready=True",
        ),
        (
            {"spec": {}, "status": {}},
            {
                "spec": {},
                "status": {
                    "containerStatuses": [
                        {"name": "web", "state": {"waiting": {"reason": "ContainerCreating"}}}
                    ]
                },
            },
            "web waiting (ContainerCreating)",
        ),
        (
            {"metadata": {}, "spec": {}, "status": {}},
            {"metadata": {"labels": {"a": "b"}}, "spec": {}, "status": {}},
            "(metadata only)",
        ),
    ],
    ids=[
        "a new pod has no node yet",
        "the binding sets spec.nodeName",
        "a phase change and a new IP are both listed",
        "a condition that turns true is listed",
        "a waiting container shows its reason",
        "a label change is a metadata-only write",
    ],
)
def test_changes_describes_a_write_in_a_few_words(before, after, expected):
    assert pod_flow.changes(before, after) == expected


# -- the stages, in order -------------------------------------------------------------------------------


def test_the_stages_are_listed_in_the_order_the_trace_shows(journey):
    order = pod_flow.stage_order(journey.trace)
    assert list(order) == list(pod_flow.STAGES)
    assert list(order.values()) == sorted(order.values())


def test_check_order_passes_the_true_order_and_blames_the_swapped_pair(journey):
    right = list(pod_flow.STAGES)
    assert pod_flow.check_order(right, journey.trace).ok
    swapped = right[:3] + [right[4], right[3]] + right[5:]
    failures = pod_flow.check_order(swapped, journey.trace).failures
    assert [o.id for o in failures] == [
        "“the kubelet on the chosen node sees the pod” comes before “the scheduler writes the Binding”"
    ]


def test_check_order_refuses_a_list_that_misses_a_stage(journey):
    result = pod_flow.check_order(list(pod_flow.STAGES)[:-1], journey.trace)
    assert [o.id for o in result.outcomes] == ["the list holds each of the nine stages once"]
    assert "missing: ['the kubelet reports the pod Running']" in result.outcomes[0].note


# -- where the pod is -----------------------------------------------------------------------------------


def test_where_is_reads_node_ip_and_range_and_leaves_the_trace_alone(journey):
    before = len(journey.trace)
    where = pod_flow.where_is(journey, "web")
    assert len(journey.trace) == before
    assert pod_flow.node_for_ip(where.ip, {where.node: where.pod_cidr}) == where.node
    assert str(where) == (
        f"You should see pod web Running on {where.node} with IP {where.ip}, "
        f"inside {where.node}'s podCIDR {where.pod_cidr}."
    )


def test_verify_passes_for_a_running_pod(journey):
    result = pod_flow.verify(journey, "web")
    assert result.ok and result.total == 5


def test_verify_fails_for_a_pod_that_is_not_scheduled_yet():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("run web --image=nginx")
    failed = [o.id.split(" ")[0:3] for o in pod_flow.verify(cluster, "web").failures]
    assert ["pod", "web", "is"] in failed and len(failed) == 5


@pytest.mark.parametrize(
    "component, name",
    [
        ("kubelet/node-1", "kubelet"),
        ("containerd/node-2", "containerd"),
        ("cni/node-3", "CNI plugin"),
        ("node-ipam-controller", "kube-controller-manager"),
        ("kube-scheduler", "kube-scheduler"),
    ],
    ids=[
        "a kubelet is named without its node",
        "containerd is named without its node",
        "the cni lines belong to the CNI plugin",
        "node IPAM runs inside the controller manager",
        "the scheduler keeps its name",
    ],
)
def test_component_names(component, name):
    assert pod_flow.component_name(component) == name


# -- chapter 05: one pod on its node ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "selector, parts",
    [
        ("app=web", ["app=web"]),
        ("app=web, env in (prod, staging),!canary", ["app=web", "env in (prod, staging)", "!canary"]),
        ("", []),
        ("env notin (a,b,c)", ["env notin (a,b,c)"]),
    ],
    ids=[
        "one requirement stays whole",
        "commas inside parentheses do not split",
        "the empty selector has no requirements",
        "a set of three values stays one requirement",
    ],
)
def test_split_requirements(selector, parts):
    assert labels_lab.split_requirements(selector) == parts


def test_every_container_of_a_pod_sees_the_sandboxs_namespace_and_ip(pods):
    view = labels_lab.pod_network(pods, "duo")
    pod_ip = pods.api.get("pods", "duo")["status"]["podIP"]
    assert [row.kind for row in view.rows] == ["sandbox", "container", "container"]
    assert {row.netns for row in view.rows} == {view.rows[0].netns}
    assert view.ips == [pod_ip, pod_ip]
    assert {row.sandbox for row in view.rows} == {view.rows[0].id}


def test_ip_addr_lists_loopback_and_one_eth0(pods):
    pod_ip = pods.api.get("pods", "duo")["status"]["podIP"]
    lines = labels_lab.ip_addr(pods, "duo").splitlines()
    assert [line.split() for line in lines] == [
        ["lo", "UNKNOWN", "127.0.0.1/8"],
        ["eth0", "UP", f"{pod_ip}/24"],
    ]


def test_labels_lab_verify_passes_for_the_two_container_pod(pods):
    assert labels_lab.verify(pods, "duo").ok


@pytest.mark.parametrize(
    "selector, names",
    [
        ("app=web", ["canary", "duo"]),
        ("env!=prod", ["api", "toolbox"]),
        ("env in (prod,staging),!canary", ["api", "duo"]),
        ("description", []),
    ],
    ids=[
        "an equality selector",
        "not-equals also selects pods without the key",
        "a set-based selector with a does-not-exist requirement",
        "a key nobody has as a label selects nothing",
    ],
)
def test_selected_lists_what_kubectl_get_l_lists(pods, selector, names):
    assert labels_lab.selected(pods, selector) == names


def test_check_selectors_reports_wrong_refused_and_missing_selectors(pods):
    result = labels_lab.check_selectors(
        pods,
        {"web": "app=web", "prod": "env in (prod", "api": "app=api"},
        {"web": ["duo"], "prod": ["canary", "duo"], "api": ["api"], "none": []},
    )
    assert [(o.id, o.passed) for o in result.outcomes] == [
        ("web: -l 'app=web'", False),
        ("prod: -l 'env in (prod'", False),
        ("api: -l 'app=api'", True),
        ("none", False),
    ]
    assert result.outcomes[1].error.startswith("the API server refused it: unable to parse requirement")


def test_a_selector_that_is_not_a_string_is_called_so_not_blamed_on_the_api_server(pods):
    result = labels_lab.check_selectors(pods, {"web": ["app=web"]}, {"web": ["duo"]})
    assert result.outcomes[0].error == ("the selector must be a string, as after kubectl's -l "
                                        "(got list ['app=web'])")


def test_the_chapter_helpers_import_nothing_heavy():
    code = (
        "import sys, k8slearn.course.pod_flow, k8slearn.course.labels_lab\n"
        "print(','.join(m for m in ('ipywidgets', 'matplotlib', 'IPython', 'pygments') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
