"""DaemonSet controller: which nodes get a daemon pod, and how the pods follow nodes and templates."""

import pytest
from ctlkit import Harness, node, pod, template

from k8slearn.api.meta import thaw
from k8slearn.controllers.daemonset import DaemonSetsController
from k8slearn.controllers.daemonset.util import get_target_node_name, node_should_run_daemon_pod

CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
DISK_NOT_HDD = {"matchExpressions": [{"key": "disk", "operator": "NotIn", "values": ["hdd"]}]}
# The API server accepts it (values are not validated as label values), the matcher does not parse it.
DISK_NOT_INVALID = {"matchExpressions": [{"key": "disk", "operator": "NotIn", "values": ["hdd!"]}]}


def daemonset(name="agent", tolerations=None, node_selector=None, strategy=None, affinity_terms=None,
              **spec):
    tmpl = template({"app": name})
    if tolerations:
        tmpl["spec"]["tolerations"] = tolerations
    if node_selector:
        tmpl["spec"]["nodeSelector"] = node_selector
    if affinity_terms is not None:
        tmpl["spec"]["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": affinity_terms}}}
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": name, "namespace": "kube-system"},
          "spec": {"selector": {"matchLabels": {"app": name}}, "template": tmpl, **spec}}
    if strategy:
        ds["spec"]["updateStrategy"] = strategy
    return ds


@pytest.mark.parametrize("n, ds, expected", [
    (node("node-1"), daemonset(), (True, True)),
    (node("cp", taints=[CONTROL_PLANE_TAINT]), daemonset(), (False, True)),
    (node("cp", taints=[CONTROL_PLANE_TAINT]), daemonset(tolerations=[{"key": CONTROL_PLANE_TAINT["key"],
                                                                        "operator": "Exists"}]), (True, True)),
    (node("n", taints=[{"key": "dedicated", "value": "db", "effect": "NoExecute"}]), daemonset(), (False, False)),
    (node("n", taints=[{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}]), daemonset(), (True, True)),
    (node("n", labels={"disk": "ssd"}), daemonset(node_selector={"disk": "ssd"}), (True, True)),
    (node("n", labels={"disk": "hdd"}), daemonset(node_selector={"disk": "ssd"}), (False, False)),
    (node("n", labels={"disk": "ssd"}), daemonset(affinity_terms=[DISK_NOT_HDD]), (True, True)),
    (node("n", labels={"disk": "ssd"}), daemonset(affinity_terms=[DISK_NOT_INVALID]), (False, False)),
    (node("n", labels={"disk": "ssd"}), daemonset(affinity_terms=[DISK_NOT_INVALID, DISK_NOT_HDD]),
     (True, True)),
], ids=["an untainted worker runs the daemon",
        "the control plane's NoSchedule taint keeps a new daemon off but lets a running one stay",
        "a toleration for the control-plane taint puts a daemon there too",
        "an untolerated NoExecute taint evicts the daemon",
        "daemons tolerate an unreachable node (auto-added toleration)",
        "a node with the selected label runs the daemon",
        "a node without the selected label does not",
        "a node matching the required node-affinity term runs the daemon",
        "a term whose NotIn value is not a valid label value does not parse and matches no node",
        "a term that does not parse is skipped and the next term still can match"])
def test_node_should_run_daemon_pod(n, ds, expected):
    ds["metadata"]["uid"] = "u"
    assert node_should_run_daemon_pod(n, ds) == expected


def setup(nodes, **ds_kw):
    h = Harness(DaemonSetsController)
    for n in nodes:
        h.create(n)
    ds = h.create(daemonset(**ds_kw))
    h.start()
    return h, ds


def pods_by_node(h):
    return sorted(get_target_node_name(p) for p in h.pods("kube-system") if not p["metadata"].get("deletionTimestamp"))


def test_one_pod_per_eligible_node_aimed_by_node_affinity_not_bound():
    h, _ = setup([node("control-plane", taints=[CONTROL_PLANE_TAINT]), node("node-1"), node("node-2")])
    actions = h.sync("kube-system/agent")
    assert [a[:2] for a in actions] == [("create", "controllerrevisions"), ("create", "pods"), ("create", "pods"),
                                        ("update_status", "daemonsets")]
    assert pods_by_node(h) == ["node-1", "node-2"]
    p = h.pods("kube-system")[0]
    assert not p["spec"].get("nodeName")
    term = p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert term[0]["matchFields"][0]["key"] == "metadata.name"
    assert p["metadata"]["labels"]["controller-revision-hash"] == h.api.list("controllerrevisions", "kube-system")[0][
        "metadata"]["labels"]["controller-revision-hash"]
    status = h.get("daemonsets", "agent", "kube-system")["status"]
    assert (status["desiredNumberScheduled"], status["currentNumberScheduled"], status["numberMisscheduled"]) == (2, 0, 0)


def test_a_daemon_set_whose_only_affinity_term_does_not_parse_creates_no_pods():
    h, _ = setup([node("node-1"), node("node-2")], affinity_terms=[DISK_NOT_INVALID])
    h.sync("kube-system/agent")
    assert pods_by_node(h) == []
    assert h.get("daemonsets", "agent", "kube-system")["status"]["desiredNumberScheduled"] == 0


def test_the_daemon_set_follows_nodes_as_they_join_leave_and_are_tainted():
    h, _ = setup([node("node-1")])
    h.sync("kube-system/agent")
    h.settle()
    h.create(node("node-2"))
    h.sync("kube-system/agent")
    h.settle()
    assert pods_by_node(h) == ["node-1", "node-2"]
    n2 = h.get("nodes", "node-2", None)
    n2["spec"]["taints"] = [{"key": "maintenance", "effect": "NoExecute"}]
    h.api.update(n2)
    h.settle()
    assert [a[:2] for a in h.sync("kube-system/agent")] == [("delete", "pods"), ("update_status", "daemonsets")]
    h.settle()
    assert pods_by_node(h) == ["node-1"]
    h.api.delete("nodes", "node-1", None)
    h.settle()
    assert [a[:2] for a in h.sync("kube-system/agent")] == [("delete", "pods"), ("update_status", "daemonsets")]
    assert h.events[-1][1] == "SuccessfulDelete"


def test_a_node_event_enqueues_the_daemon_sets_that_care():
    h, _ = setup([node("node-1")])
    h.controller.queue.queue.clear()
    h.controller.queue.dirty.clear()
    h.create(node("node-2"))
    assert list(h.controller.queue.queue) == ["kube-system/agent"]


def test_a_failed_daemon_pod_is_deleted_with_a_warning():
    h, ds = setup([node("node-1")])
    h.create(*pod("agent-x", labels={"app": "agent"}, owner=ds, node="node-1", phase="Failed", namespace="kube-system"))
    actions = h.sync("kube-system/agent")
    assert ("delete", "pods", "kube-system/agent-x") in actions
    assert ("Warning", "FailedDaemonPod", "Found failed daemon pod kube-system/agent-x on node node-1, will try to kill it") \
        in h.events


def test_a_template_change_rolls_one_node_at_a_time():
    h, _ = setup([node(f"node-{i}") for i in range(1, 4)])
    h.sync("kube-system/agent")
    h.settle()
    for p in h.pods("kube-system"):  # the daemons are running and ready on their nodes
        p = thaw(p)
        p["status"] = {"phase": "Running", "conditions": [{"type": "Ready", "status": "True",
                                                           "lastTransitionTime": "2026-01-05T09:00:00Z"}]}
        h.api.update_status(p)
    h.settle()
    ds = h.get("daemonsets", "agent", "kube-system")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    h.api.update(ds)
    h.settle()
    actions = h.sync("kube-system/agent")
    assert [a[:2] for a in actions].count(("delete", "pods")) == 1  # maxUnavailable 1
    assert actions[0][:2] == ("create", "controllerrevisions")
    h.settle()
    actions = h.sync("kube-system/agent")
    assert [a[:2] for a in actions].count(("create", "pods")) == 1  # the replacement on that node
    assert len(h.api.list("controllerrevisions", "kube-system")) == 2


def test_a_selector_that_does_not_match_the_template_is_refused_by_the_api_server():
    h = Harness(DaemonSetsController)
    ds = daemonset()
    ds["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    with pytest.raises(Exception) as err:
        h.api.create(ds)
    assert err.value.code == 422
    assert "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"agent\"}: " \
           "`selector` does not match template `labels`" in str(err.value)
