"""The controller case tables agree with the controllers' own code.

Chapters 01 and 07 check students' functions against these tables, so each expected value is
proved here by the function the real controller calls: ``node_should_run_daemon_pod`` for the
DaemonSet, ``filter_active_pods`` for the ReplicaSet diff, ``max_surge``/``max_unavailable`` for
the Deployment's rollout bounds. A few cases also run in a whole simulated cluster.
"""

import pytest

from k8slearn.course import check
from k8slearn.course.cases import get_table
from k8slearn.course.cases.daemonset import node, show_nodes, taint


def cases_of(name):
    table = get_table(name)
    return pytest.mark.parametrize("case", table.cases, ids=table.ids())


def daemonset(pod_spec):
    spec = {**pod_spec, "containers": [{"name": "agent", "image": "prom/node-exporter:v1.8.2"}]}
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                     "template": {"metadata": {"labels": {"app": "agent"}}, "spec": spec}}}


def controller_count(nodes, pod_spec):
    from k8slearn.controllers.daemonset.util import node_should_run_daemon_pod

    ds = daemonset(pod_spec)
    return sum(node_should_run_daemon_pod(n, ds)[0] for n in nodes)


@cases_of("daemonset.daemon_pod_count")
def test_daemon_pod_count_agrees_with_node_should_run_daemon_pod(case):
    assert controller_count(*case.args) == case.expected


def pods_of(statuses):
    return [{"metadata": {"name": f"p{i}", **({"deletionTimestamp": "2026-01-05T09:00:00Z"} if deleting else {})},
             "status": {"phase": phase}} for i, (phase, deleting) in enumerate(statuses)]


@cases_of("replicaset.replica_diff")
def test_replica_diff_agrees_with_filter_active_pods(case):
    from k8slearn.controllers.controller_utils import filter_active_pods

    replicas, statuses = case.args
    assert replicas - len(filter_active_pods(pods_of(statuses))) == case.expected


@cases_of("deployment.rollout_bounds")
def test_rollout_bounds_agree_with_max_surge_and_max_unavailable(case):
    from k8slearn.controllers.deployment.util import max_surge, max_unavailable

    replicas, surge, unavailable = case.args
    d = {"spec": {"replicas": replicas, "strategy": {"type": "RollingUpdate",
                                                     "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}}}
    assert (replicas + max_surge(d), replicas - max_unavailable(d)) == case.expected


# -- a student's attempts, as the notebooks run them -----------------------------------------------

def every_node(nodes, pod_spec):
    """Counts every node, taints and selectors ignored."""
    return len(nodes)


def one_node(nodes, pod_spec):
    """The study notes' reading: a DaemonSet picks one node."""
    return 1 if nodes else 0


DAEMON_TOLERATIONS = [("node.kubernetes.io/not-ready", "NoExecute"),
                      ("node.kubernetes.io/unreachable", "NoExecute"),
                      ("node.kubernetes.io/unschedulable", "NoSchedule"),
                      ("node.kubernetes.io/disk-pressure", "NoSchedule"),
                      ("node.kubernetes.io/memory-pressure", "NoSchedule"),
                      ("node.kubernetes.io/pid-pressure", "NoSchedule")]


def count_with_default_operator(default):
    """The chapter's solution, with ``default`` for a toleration that gives no operator."""
    def tolerates(toleration, taint):
        if toleration.get("effect") and toleration["effect"] != taint["effect"]:
            return False
        if toleration.get("key") and toleration["key"] != taint["key"]:
            return False
        if toleration.get("operator", default) == "Exists":
            return True
        return toleration.get("value", "") == taint.get("value", "")

    def daemon_pod_count(nodes, pod_spec):
        tolerations = pod_spec.get("tolerations", []) + [
            {"key": k, "operator": "Exists", "effect": e} for k, e in DAEMON_TOLERATIONS]
        count = 0
        for node in nodes:
            labels = node["metadata"]["labels"]
            if not all(labels.get(k) == v for k, v in pod_spec.get("nodeSelector", {}).items()):
                continue
            taints = node["spec"].get("taints", [])
            blocking = [t for t in taints if t["effect"] in ("NoSchedule", "NoExecute")]
            if all(any(tolerates(tol, t) for tol in tolerations) for t in blocking):
                count += 1
        return count

    return daemon_pod_count


@pytest.mark.parametrize("answer, passed", [
    pytest.param(controller_count, 20, id="the controller's own rule passes every case"),
    pytest.param(count_with_default_operator("Equal"), 20,
                 id="the chapter's solution, where no operator means Equal, passes every case"),
    pytest.param(count_with_default_operator("Exists"), 18,
                 id="taking a toleration without an operator for Exists fails two cases"),
    pytest.param(every_node, 3, id="counting every node passes only where every node is eligible"),
    pytest.param(one_node, 2, id="one pod on one chosen node passes only where one or no node is eligible"),
])
def test_check_reports_how_many_daemon_cases_an_answer_passes(answer, passed):
    result = check(answer, "daemonset.daemon_pod_count")
    assert (result.passed, result.total) == (passed, 20)


def test_taking_a_missing_operator_for_exists_fails_the_cases_that_leave_it_out():
    result = check(count_with_default_operator("Exists"), "daemonset.daemon_pod_count")
    assert [(o.id, o.expected, o.got) for o in result.failures] == [
        ("a toleration without an operator is Equal: another value does not tolerate the taint", 2, 3),
        ("a toleration without an operator or a value tolerates only the taint without a value", 2, 3),
    ]


@pytest.mark.parametrize("text, expected", [
    pytest.param("dedicated=infra:NoExecute", {"key": "dedicated", "value": "infra", "effect": "NoExecute"},
                 id="a taint with a value keeps key, value and effect"),
    pytest.param("node.kubernetes.io/unreachable:NoSchedule",
                 {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
                 id="a taint without a value has no value field"),
])
def test_taint_builder_reads_kubectl_taint_syntax(text, expected):
    assert taint(text) == expected


def test_nodes_are_shown_compactly_in_the_case_table():
    nodes = [node("node-1", labels={"disktype": "ssd"}, taints=["dedicated=infra:NoExecute"], unschedulable=True)]
    assert show_nodes(nodes) == "[node-1 {disktype=ssd} taints dedicated=infra:NoExecute cordoned]"


# -- the same answers from a running cluster ------------------------------------------------------

DS_YAML = """
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      {extra}
      containers:
      - name: agent
        image: prom/node-exporter:v1.8.2
"""


@pytest.mark.parametrize("extra, taint_node_2, expected", [
    pytest.param("tolerations: []", None, 3, id="in a cluster, a plain DaemonSet runs one pod on each of three workers"),
    pytest.param("tolerations: []", "dedicated=infra:NoExecute", 2,
                 id="in a cluster, tainting a worker NoExecute leaves two daemon pods"),
    pytest.param("tolerations: [{operator: Exists}]", None, 4,
                 id="in a cluster, tolerating everything adds the control plane"),
])
def test_a_running_daemonset_has_as_many_pods_as_the_table_says(extra, taint_node_2, expected):
    from k8slearn import Cluster

    cluster = Cluster(workers=3, seed=0)
    if taint_node_2:
        assert cluster.kubectl(f"taint nodes node-2 {taint_node_2}").code == 0
    assert cluster.kubectl("apply -f -", stdin=DS_YAML.format(extra=extra)).code == 0
    cluster.settle()
    pods = [p for p in cluster.api.list("pods", namespace="default") if not p["metadata"].get("deletionTimestamp")]
    ds = cluster.api.get("daemonsets", "agent")
    assert (len(pods), ds["status"]["desiredNumberScheduled"]) == (expected, expected)
