"""The controllers in a whole simulated cluster: rollouts, node failures, deletions, DaemonSets, leaders."""

import pytest

from k8slearn import Cluster
from k8slearn.api.meta import parse_timestamp
from k8slearn.controllers.manager import ControllerManager


def deployment(name="web", replicas=3, image="nginx:1.27", **spec):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "app", "image": image}]}}, **spec}}


def live_pods(c, namespace="default"):
    return [p for p in c.api.list("pods", namespace) if not p["metadata"].get("deletionTimestamp")]


def is_ready(p):
    return any(x["type"] == "Ready" and x["status"] == "True" for x in p["status"].get("conditions") or ())


def set_image(c, image, name="web"):
    d = c.api.get("deployments", name)
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    c.api.update(d)


def set_replicas(c, n, name="web"):
    d = c.api.get("deployments", name)
    d["spec"]["replicas"] = n
    c.api.update(d)


def assert_every_pod_has_its_owner(c):
    """Every pod but the control plane's static mirror pods is controlled by an object that exists."""
    for p in c.api.list("pods"):
        if p["metadata"]["namespace"] == "kube-system" and p["metadata"]["name"].endswith("-control-plane"):
            continue
        refs = [r for r in p["metadata"].get("ownerReferences") or () if r.get("controller")]
        assert len(refs) == 1, p["metadata"]["name"]
        owner = c.api.get({"ReplicaSet": "replicasets", "DaemonSet": "daemonsets"}[refs[0]["kind"]],
                          refs[0]["name"], p["metadata"]["namespace"])
        assert owner["metadata"]["uid"] == refs[0]["uid"]


def assert_converged(c, name="web", replicas=3, image=None):
    d = c.api.get("deployments", name)
    st = d["status"]
    assert (st.get("replicas", 0), st.get("updatedReplicas", 0), st.get("availableReplicas", 0),
            st["observedGeneration"]) == (replicas, replicas, replicas, d["metadata"]["generation"])
    pods = [p for p in live_pods(c) if p["metadata"]["labels"].get("app") == name]
    assert len(pods) == replicas and all(p["status"]["phase"] == "Running" and is_ready(p) for p in pods)
    if image:
        assert {p["spec"]["containers"][0]["image"] for p in pods} <= {image}
    assert_every_pod_has_its_owner(c)


@pytest.fixture
def cluster():
    c = Cluster(workers=3, seed=0)
    c.api.create(deployment())
    c.settle()
    return c


@pytest.mark.parametrize("replicas, strategy", [
    (8, None),
    (6, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 2}}),
    (5, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "100%", "maxUnavailable": 0}}),
], ids=["the default 25% / 25% rollout stays within 10 pods and keeps 6 available",
        "a rollout without surge stays within 6 pods and keeps 4 available",
        "a blue-green-like rollout never drops below 5 available"])
def test_every_step_of_a_rolling_update_keeps_the_fenceposts(replicas, strategy):
    c = Cluster(workers=3, seed=1)
    spec = {"strategy": strategy} if strategy else {}
    c.api.create(deployment(replicas=replicas, **spec))
    c.settle()
    d = c.api.get("deployments", "web")
    rolling = d["spec"]["strategy"]["rollingUpdate"]
    surge = -(-int(str(rolling["maxSurge"]).rstrip("%")) * replicas // 100) if str(rolling["maxSurge"]).endswith("%") \
        else rolling["maxSurge"]
    unavailable = int(str(rolling["maxUnavailable"]).rstrip("%")) * replicas // 100 \
        if str(rolling["maxUnavailable"]).endswith("%") else rolling["maxUnavailable"]
    set_image(c, "nginx:1.28")
    steps = 0
    while c.loop.pending and steps < 20000:
        c.step()
        steps += 1
        pods = live_pods(c)
        assert len(pods) <= replicas + surge
        assert sum(1 for p in pods if is_ready(p)) >= replicas - unavailable
    assert_converged(c, replicas=replicas, image="nginx:1.28")


def test_pods_of_a_stopped_node_are_replaced_at_the_upstream_times(cluster):
    c = cluster
    c.run(12)
    victim = live_pods(c)[0]["spec"]["nodeName"]
    stopped = c.now
    c.stop_node(victim)
    c.run(30)
    assert c.api.get("nodes", victim, None)["status"]["conditions"][-1]["status"] == "True"  # still within grace
    c.run(400)
    node = c.api.get("nodes", victim, None)
    ready = next(x for x in node["status"]["conditions"] if x["type"] == "Ready")
    unknown_at = parse_timestamp(ready["lastTransitionTime"]) - stopped
    assert ready["status"] == "Unknown" and 40 <= unknown_at <= 61
    taints = {t["effect"]: parse_timestamp(t["timeAdded"]) - stopped for t in node["spec"]["taints"]
              if t["key"] == "node.kubernetes.io/unreachable"}
    assert abs(taints["NoSchedule"] - unknown_at) <= 1 and 0 <= taints["NoExecute"] - unknown_at <= 6
    evictions = [e for e in c.api.list("events", "default") if e["reason"] == "TaintManagerEviction"]
    assert len(evictions) == 1
    assert abs(parse_timestamp(evictions[0]["firstTimestamp"]) - stopped - taints["NoExecute"] - 300) <= 1
    c.settle()
    running = [p for p in live_pods(c) if p["status"]["phase"] == "Running"]
    assert len(running) == 3 and victim not in {p["spec"]["nodeName"] for p in running}
    assert_every_pod_has_its_owner(c)


def test_a_node_that_comes_back_loses_its_taints_and_its_stale_pods(cluster):
    c = cluster
    victim = live_pods(c)[0]["spec"]["nodeName"]
    c.stop_node(victim)
    c.run(400)
    c.start_node(victim)
    c.run(30)
    c.settle()
    assert not (c.api.get("nodes", victim, None)["spec"].get("taints") or [])
    assert_converged(c)
    assert len(c.api.list("pods", "default")) == 3  # the evicted pod finished terminating


def test_a_flapping_node_converges(cluster):
    c = cluster
    for down, up in ((20, 20), (70, 10), (40, 30), (65, 5)):
        c.stop_node("node-2")
        c.run(down)
        c.start_node("node-2")
        c.run(up)
    c.run(30)
    c.settle()
    assert not (c.api.get("nodes", "node-2", None)["spec"].get("taints") or [])
    assert_converged(c)


def test_deleting_the_deployment_removes_its_replica_sets_and_pods(cluster):
    c = cluster
    c.api.delete("deployments", "web")
    c.settle()
    assert c.api.list("replicasets", "default") == [] and c.api.list("pods", "default") == []


def test_scaling_to_zero_and_back(cluster):
    c = cluster
    set_replicas(c, 0)
    c.settle()
    assert c.api.list("pods", "default") == []
    set_replicas(c, 4)
    c.settle()
    assert_converged(c, replicas=4)
    assert len(c.api.list("replicasets", "default")) == 1


def test_changing_the_template_mid_rollout_converges_on_the_newest(cluster):
    c = cluster
    set_image(c, "nginx:1.28")
    for _ in range(60):
        c.step()
    set_image(c, "nginx:1.29")
    c.settle()
    assert_converged(c, image="nginx:1.29")
    sizes = {rs["spec"]["template"]["spec"]["containers"][0]["image"]: rs["spec"]["replicas"]
             for rs in c.api.list("replicasets", "default")}
    assert sizes == {"nginx:1.27": 0, "nginx:1.28": 0, "nginx:1.29": 3}


def test_a_daemon_set_tracks_nodes_joining_leaving_and_tainted():
    c = Cluster(workers=2, seed=0)
    c.api.create({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "kube-system"},
                  "spec": {"selector": {"matchLabels": {"app": "agent"}},
                           "template": {"metadata": {"labels": {"app": "agent"}},
                                        "spec": {"containers": [{"name": "agent", "image": "busybox:1.36"}]}}}})
    c.settle()

    def daemons():
        return sorted(p["spec"].get("nodeName") for p in live_pods(c, "kube-system") if p["metadata"]["labels"].get("app") == "agent")

    assert daemons() == ["node-1", "node-2"]  # not the tainted control plane
    c.add_node("node-3")
    c.settle()
    assert daemons() == ["node-1", "node-2", "node-3"]
    n = c.api.get("nodes", "node-1", None)
    n["spec"]["taints"] = [{"key": "maintenance", "effect": "NoExecute"}]
    c.api.update(n)
    c.settle()
    assert daemons() == ["node-2", "node-3"]
    c.stop_node("node-3")
    c.run(120)
    assert daemons() == ["node-2", "node-3"]  # a daemon tolerates an unreachable node (NoExecute) ...
    status = c.api.get("daemonsets", "agent", "kube-system")["status"]
    # ... but no new daemon would go there (unreachable:NoSchedule): the running one counts as misscheduled
    assert (status["desiredNumberScheduled"], status["currentNumberScheduled"], status["numberMisscheduled"]) == (1, 1, 1)
    assert_every_pod_has_its_owner(c)


def test_a_second_controller_manager_takes_over_when_the_leader_stops(cluster):
    c = cluster
    standby = ControllerManager(c.loop, c.apiserver.client("kube-controller-manager-2"), hostname="control-plane-2")
    standby.start()
    c.run(10)
    assert (c.controller_manager.leading, standby.leading) == (True, False)
    c.controller_manager.stop()
    c.run(25)
    assert standby.leading
    lease = c.api.get("leases", "kube-controller-manager", "kube-system")
    assert lease["spec"]["holderIdentity"].startswith("control-plane-2_") and lease["spec"]["leaseTransitions"] == 1
    c.api.create(deployment(name="after", replicas=2))
    c.settle()
    assert_converged(c, name="after", replicas=2)


def test_a_recreate_rollout_never_runs_old_and_new_pods_together():
    c = Cluster(workers=3, seed=2)
    c.api.create(deployment(replicas=4, strategy={"type": "Recreate"}))
    c.settle()
    set_image(c, "nginx:1.28")
    while c.loop.pending:
        c.step()
        images = {p["spec"]["containers"][0]["image"] for p in c.api.list("pods", "default")}
        assert len(images) <= 1
    assert_converged(c, replicas=4, image="nginx:1.28")


def test_a_daemon_set_rolls_its_new_template_one_node_at_a_time():
    c = Cluster(workers=3, seed=0)
    c.api.create({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "kube-system"},
                  "spec": {"selector": {"matchLabels": {"app": "agent"}},
                           "template": {"metadata": {"labels": {"app": "agent"}},
                                        "spec": {"containers": [{"name": "agent", "image": "nginx:1.27"}]}}}})
    c.settle()
    ds = c.api.get("daemonsets", "agent", "kube-system")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    c.api.update(ds)
    while c.loop.pending:
        c.step()
        ready = [p for p in live_pods(c, "kube-system") if p["metadata"]["labels"].get("app") == "agent" and is_ready(p)]
        assert len(ready) >= 3 - 1  # maxUnavailable 1
    pods = [p for p in live_pods(c, "kube-system") if p["metadata"]["labels"].get("app") == "agent"]
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["node-1", "node-2", "node-3"]
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.28"}
    status = c.api.get("daemonsets", "agent", "kube-system")["status"]
    assert (status["updatedNumberScheduled"], status["numberAvailable"], status["observedGeneration"]) == (3, 3, 2)


def test_a_service_gets_endpoints_and_a_slice_for_its_ready_pods(cluster):
    c = cluster
    c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
                  "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]}})
    c.settle()
    ips = sorted(p["status"]["podIP"] for p in live_pods(c))
    ep = c.api.get("endpoints", "web")
    assert sorted(a["ip"] for a in ep["subsets"][0]["addresses"]) == ips
    slices = c.api.list("endpointslices", "default", label_selector="kubernetes.io/service-name=web")
    assert sorted(e["addresses"][0] for e in slices[0]["endpoints"]) == ips
    set_replicas(c, 1)
    c.settle()
    assert len(c.api.get("endpoints", "web")["subsets"][0]["addresses"]) == 1
    c.api.delete("services", "web")
    c.settle()
    assert c.api.list("endpointslices", "default", label_selector="kubernetes.io/service-name=web") == []


def test_the_same_seed_gives_the_same_trace_through_rollouts_and_failures():
    def run() -> str:
        c = Cluster(workers=3, seed=7)
        c.api.create(deployment(replicas=4))
        c.settle()
        set_image(c, "nginx:1.28")
        c.settle()
        c.stop_node("node-1")
        c.run(400)
        return c.loop.trace_text()

    assert run() == run()


DOCS_DAEMONSET = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd-elasticsearch
  namespace: kube-system
  labels:
    k8s-app: fluentd-logging
spec:
  selector:
    matchLabels:
      name: fluentd-elasticsearch
  template:
    metadata:
      labels:
        name: fluentd-elasticsearch
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      - key: node-role.kubernetes.io/master
        operator: Exists
        effect: NoSchedule
      containers:
      - name: fluentd-elasticsearch
        image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2
        resources:
          limits:
            memory: 200Mi
          requests:
            cpu: 100m
            memory: 200Mi
        volumeMounts:
        - name: varlog
          mountPath: /var/log
      terminationGracePeriodSeconds: 30
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
"""


def test_the_documentations_daemonset_runs_a_fluentd_pod_on_every_node_the_control_plane_too():
    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    cluster.kubectl("apply -f -", stdin=DOCS_DAEMONSET)
    cluster.settle()
    pods = cluster.api.list("pods", "kube-system", label_selector="name=fluentd-elasticsearch")
    assert sorted((p["spec"]["nodeName"], p["status"]["phase"]) for p in pods) == [
        ("control-plane", "Running"), ("node-1", "Running"), ("node-2", "Running")]
    status = cluster.api.get("daemonsets", "fluentd-elasticsearch", "kube-system")["status"]
    assert (status["desiredNumberScheduled"], status["numberReady"]) == (3, 3)


def test_the_documentations_replicaset_runs_and_takes_over_then_deletes_a_matching_bare_pod():
    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    cluster.kubectl("apply -f -", stdin="""apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
  labels: {app: guestbook, tier: frontend}
spec:
  replicas: 3
  selector:
    matchLabels: {tier: frontend}
  template:
    metadata:
      labels: {tier: frontend}
    spec:
      containers:
      - name: php-redis
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5
""")
    cluster.settle()
    cluster.kubectl("run pod1 --image=gcr.io/google-samples/hello-app:2.0 --labels=tier=frontend")
    cluster.settle()
    pods = live_pods(cluster)
    assert len(pods) == 3 and all(p["metadata"]["name"].startswith("frontend-") and is_ready(p) for p in pods)


def test_deleting_a_node_object_leaves_its_kubelet_running_and_its_pods_are_replaced_after_the_quarantine():
    # kubectl delete node used to end the simulation: the kubelet's heartbeat read the Node and raised
    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    cluster.settle()
    gone = {p["metadata"]["name"] for p in live_pods(cluster) if p["spec"]["nodeName"] == "node-1"}
    cluster.kubectl("delete node node-1")
    cluster.run(35)
    assert gone <= {p["metadata"]["name"] for p in live_pods(cluster)}  # podgc's 40 s quarantine
    cluster.run(20)
    pods = live_pods(cluster)
    assert len(pods) == 2 and {p["spec"]["nodeName"] for p in pods} == {"node-2"} and all(map(is_ready, pods))
    lease = cluster.api.get("leases", "node-1", "kube-node-lease")  # renewed, with no Node to own it
    assert "ownerReferences" not in lease["metadata"]
    assert "node-1" not in {n["metadata"]["name"] for n in cluster.api.list("nodes")}  # not registered again


def test_a_deleted_kube_node_lease_namespace_comes_back_within_a_minute_with_the_leases():
    # deleting it used to end the simulation: the kubelets' lease creation raised
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl("delete namespace kube-node-lease")
    cluster.run(20)
    assert cluster.api.list("leases", "kube-node-lease") == []
    cluster.run(60)  # the API server's system namespaces controller, every minute
    assert cluster.api.get("namespaces", "kube-node-lease")["status"]["phase"] == "Active"
    assert {lease["metadata"]["name"] for lease in cluster.api.list("leases", "kube-node-lease")} == {
        "control-plane", "node-1"}


def test_a_kubelet_posts_its_status_at_once_when_someone_else_changed_its_ready_condition():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    node = cluster.api.get("nodes", "node-1")
    unknown = [{**c, "status": "Unknown", "reason": "NodeStatusUnknown"} if c["type"] == "Ready" else c
               for c in node["status"]["conditions"]]
    cluster.api.patch("nodes", "node-1", {"status": {"conditions": unknown}}, subresource="status")
    cluster.run(10)  # nodeStatusHasChanged at the next 10 s sync, not the 5-minute report
    ready = {c["type"]: c["status"] for c in cluster.api.get("nodes", "node-1")["status"]["conditions"]}["Ready"]
    assert ready == "True"
