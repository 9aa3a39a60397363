"""The server-side table cells: pod STATUS/READY/RESTARTS, node STATUS/ROLES, services, endpoints."""

import pytest

from k8slearn.kubectl.printers import format_endpoints, node_row, pod_row, pod_status, print_table, service_row

NOW = 600.0  # simulated seconds; pods below were created at 0


def pod(phase="Running", statuses=(), init=(), init_statuses=(), conditions=(), deleting=False, reason=""):
    p = {"metadata": {"name": "p", "creationTimestamp": "2026-01-05T09:00:00Z"},
         "spec": {"containers": [{"name": s.get("name", f"c{i}")} for i, s in enumerate(statuses)] or [{"name": "c"}],
                  "initContainers": [dict(c) for c in init]},
         "status": {"phase": phase, "containerStatuses": list(statuses), "initContainerStatuses": list(init_statuses),
                    "conditions": list(conditions)}}
    if deleting:
        p["metadata"]["deletionTimestamp"] = "2026-01-05T09:09:00Z"
    if reason:
        p["status"]["reason"] = reason
    return p


def running(ready=True, restarts=0, last=None, name="c"):
    s = {"name": name, "ready": ready, "restartCount": restarts, "state": {"running": {}}}
    if last:
        s["lastState"] = {"terminated": {"exitCode": 1, "finishedAt": last}}
    return s


def waiting(reason, restarts=0, name="c"):
    return {"name": name, "ready": False, "restartCount": restarts, "state": {"waiting": {"reason": reason}}}


def terminated(reason="", exit_code=0, signal=0, name="c"):
    t = {"exitCode": exit_code}
    if reason:
        t["reason"] = reason
    if signal:
        t["signal"] = signal
    return {"name": name, "ready": False, "restartCount": 0, "state": {"terminated": t}}


READY = {"type": "Ready", "status": "True"}
INITIALIZED = {"type": "Initialized", "status": "True"}

STATUS = [
    ("a pod with no container status yet shows its phase", pod("Pending"), "Pending"),
    ("a waiting container's reason replaces the phase", pod("Pending", [waiting("ContainerCreating")]),
     "ContainerCreating"),
    ("a crash-looping container shows CrashLoopBackOff", pod("Running", [waiting("CrashLoopBackOff", 3)]),
     "CrashLoopBackOff"),
    ("an image that cannot be pulled shows ImagePullBackOff", pod("Pending", [waiting("ImagePullBackOff")]),
     "ImagePullBackOff"),
    ("a finished container shows Completed", pod("Succeeded", [terminated("Completed")]), "Completed"),
    ("a terminated container without a reason shows its exit code", pod("Failed", [terminated(exit_code=2)]),
     "ExitCode:2"),
    ("a killed container without a reason shows its signal", pod("Failed", [terminated(exit_code=137, signal=9)]),
     "Signal:9"),
    ("a Completed container next to a running ready one reads Running when the pod is Ready",
     pod("Running", [terminated("Completed", name="a"), running(name="b")], conditions=[READY]), "Running"),
    ("the same pod without the Ready condition reads NotReady",
     pod("Running", [terminated("Completed", name="a"), running(name="b")]), "NotReady"),
    ("an init container that has not finished shows Init:0/1",
     pod("Pending", [waiting("PodInitializing")], init=[{"name": "i"}],
         init_statuses=[{"name": "i", "state": {"running": {}}, "restartCount": 0}]), "Init:0/1"),
    ("an init container that failed shows Init:Error",
     pod("Pending", [waiting("PodInitializing")], init=[{"name": "i"}],
         init_statuses=[{"name": "i", "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]), "Init:Error"),
    ("an init container crash-looping shows Init:CrashLoopBackOff",
     pod("Pending", [waiting("PodInitializing")], init=[{"name": "i"}],
         init_statuses=[{"name": "i", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]),
     "Init:CrashLoopBackOff"),
    ("a pod being deleted shows Terminating", pod("Running", [running()], deleting=True), "Terminating"),
    ("a pod deleted on a lost node shows Unknown", pod("Running", [running()], deleting=True, reason="NodeLost"),
     "Unknown"),
    ("a scheduling-gated pod shows SchedulingGated",
     pod("Pending", conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]),
     "SchedulingGated"),
    ("an evicted pod shows the status reason", pod("Failed", reason="Evicted"), "Evicted"),
]


@pytest.mark.parametrize("obj,expected", [c[1:] for c in STATUS], ids=[c[0] for c in STATUS])
def test_pod_status_column(obj, expected):
    assert pod_status(obj) == expected


def test_ready_counts_running_ready_containers_over_all_containers():
    row = pod_row(pod("Running", [running(name="a"), running(ready=False, name="b")]), NOW)
    assert row[1:5] == ["1/2", "Running", "0", "10m"]


def test_restarts_show_how_long_ago_the_last_one_finished():
    row = pod_row(pod("Running", [running(restarts=3, last="2026-01-05T09:05:00Z")]), NOW)
    assert row[3] == "3 (5m ago)"


def test_wide_pod_columns_say_none_when_unset():
    assert pod_row(pod("Pending"), NOW)[5:] == ["<none>", "<none>", "<none>", "<none>"]


def node(ready="True", unschedulable=False, labels=None):
    return {"metadata": {"name": "n", "creationTimestamp": "2026-01-05T09:00:00Z", "labels": labels or {}},
            "spec": {"unschedulable": unschedulable},
            "status": {"conditions": [{"type": "Ready", "status": ready}], "nodeInfo": {"kubeletVersion": "v1.32.0"},
                       "addresses": [{"type": "InternalIP", "address": "192.168.0.11"}]}}


NODES = [
    ("a ready node", node(), ["n", "Ready", "<none>", "10m", "v1.32.0"]),
    ("a node whose kubelet stopped reporting is NotReady", node("Unknown"), ["n", "NotReady", "<none>", "10m", "v1.32.0"]),
    ("a cordoned node adds SchedulingDisabled", node(unschedulable=True),
     ["n", "Ready,SchedulingDisabled", "<none>", "10m", "v1.32.0"]),
    ("roles come from node-role labels, sorted", node(labels={"node-role.kubernetes.io/worker": "",
                                                             "node-role.kubernetes.io/control-plane": ""}),
     ["n", "Ready", "control-plane,worker", "10m", "v1.32.0"]),
]


@pytest.mark.parametrize("obj,expected", [c[1:] for c in NODES], ids=[c[0] for c in NODES])
def test_node_columns(obj, expected):
    assert node_row(obj, NOW)[:5] == expected


def test_node_without_os_details_prints_unknown_in_wide_columns():
    assert node_row(node(), NOW)[5:] == ["192.168.0.11", "<none>", "<unknown>", "<unknown>", "<unknown>"]


def test_service_ports_show_node_ports_and_external_ip_none():
    svc = {"metadata": {"name": "s", "creationTimestamp": "2026-01-05T09:00:00Z"},
           "spec": {"type": "NodePort", "clusterIP": "10.96.0.20", "clusterIPs": ["10.96.0.20"],
                    "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}],
                    "selector": {"app": "web"}}}
    assert service_row(svc, NOW) == ["s", "NodePort", "10.96.0.20", "<none>", "80:30080/TCP,53/UDP", "10m", "app=web"]


def test_endpoints_show_three_addresses_then_how_many_more():
    ep = {"subsets": [{"addresses": [{"ip": f"10.244.1.{i}"} for i in range(5)], "ports": [{"port": 8080}]}]}
    assert format_endpoints(ep) == "10.244.1.0:8080,10.244.1.1:8080,10.244.1.2:8080 + 2 more..."


def test_events_name_the_object_in_lower_case_kind():
    ev = {"metadata": {"name": "e"}, "type": "Normal", "reason": "Scheduled", "message": "ok ",
          "involvedObject": {"kind": "Pod", "name": "web"}, "lastTimestamp": "2026-01-05T09:09:50Z",
          "firstTimestamp": "2026-01-05T09:09:50Z", "count": 1, "source": {"component": "default-scheduler"}}
    assert print_table("events", [ev], NOW).rows[0][:7] == ["10s", "Normal", "Scheduled", "pod/web", "",
                                                             "default-scheduler", "ok"]
