"""The StatefulSet controller in a whole simulated cluster: ordered pods, scaling, rolling updates."""

import pytest

from k8slearn import Cluster
from k8slearn.api.meta import parse_timestamp
from k8slearn.kubectl.rollout import statefulset_status


def statefulset(name="web", replicas=3, image="nginx:1.27", **spec):
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name, "namespace": "default"},
            "spec": {"serviceName": "nginx", "replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "nginx", "image": image}]}}, **spec}}


def is_ready(pod):
    return any(c["type"] == "Ready" and c["status"] == "True" for c in (pod.get("status") or {}).get("conditions") or ())


def pods(c):
    """{name: pod} of the set's pods that are not being deleted."""
    return {p["metadata"]["name"]: p for p in c.api.list("pods", "default")
            if p["metadata"]["name"].startswith("web-") and not p["metadata"].get("deletionTimestamp")}


def revisions(c):
    return {n: p["metadata"]["labels"]["controller-revision-hash"] for n, p in sorted(pods(c).items())}


def sts_events(c):
    """{message: count} of the StatefulSet's events (a repeated message is counted, not written again)."""
    return {e["message"]: e["count"] for e in c.api.list("events", "default") if e["involvedObject"]["kind"] == "StatefulSet"}


def pod_writes(c, since=0.0):
    """The controller's creates and deletes of web-N pods, in order (each write once: a sync
    that wrote waits for its watch events, so the next one never deletes the same pod again)."""
    return [(s.action, str(s.object).rsplit("/", 1)[1]) for s in c.trace
            if s.time >= since and s.component == "kube-controller-manager" and s.action in ("create", "delete")
            and str(s.object).startswith("pod/default/web-")]


def samples(c, seconds, step=0.05):
    """What the pods looked like every ``step`` seconds: [{name: (ready, terminating)}]."""
    out = []
    for _ in range(int(seconds / step)):
        c.run(seconds=step)
        out.append({p["metadata"]["name"]: (is_ready(p), bool(p["metadata"].get("deletionTimestamp")))
                    for p in c.api.list("pods", "default") if p["metadata"]["name"].startswith("web-")})
    return out


def set_spec(c, **changes):
    sts = c.api.get("statefulsets", "web")
    sts["spec"].update(changes)
    c.api.update(sts)


def set_image(c, image):
    sts = c.api.get("statefulsets", "web")
    sts["spec"]["template"]["spec"]["containers"][0]["image"] = image
    c.api.update(sts)


@pytest.fixture
def cluster():
    c = Cluster(workers=3, seed=0)
    c.api.create(statefulset())
    c.settle()
    return c


@pytest.mark.parametrize("policy, everyone_waits_for_the_previous", [
    ("OrderedReady", True),
    ("Parallel", False),
], ids=["OrderedReady creates web-1 only once web-0 is Ready, and web-2 only once web-1 is",
        "Parallel creates all three at once, none waiting for another"])
def test_pods_are_created_in_ordinal_order_or_all_at_once(policy, everyone_waits_for_the_previous):
    c = Cluster(workers=3, seed=0)
    c.api.create(statefulset(podManagementPolicy=policy))
    seen = samples(c, 8)
    for sample in seen:
        for i in (1, 2):
            if f"web-{i}" in sample and everyone_waits_for_the_previous:
                assert sample[f"web-{i - 1}"][0], sample
    first = next(s for s in seen if s)
    assert sorted(first) == (["web-0"] if everyone_waits_for_the_previous else ["web-0", "web-1", "web-2"])
    assert all(ready for ready, _ in seen[-1].values()) and len(seen[-1]) == 3
    assert pod_writes(c) == [("create", "web-0"), ("create", "web-1"), ("create", "web-2")]
    assert sts_events(c) == {f"create Pod web-{i} in StatefulSet web successful": 1 for i in range(3)}


def test_each_pod_gets_its_stable_identity_and_the_set_its_status(cluster):
    p = pods(cluster)["web-1"]
    rev = cluster.api.list("controllerrevisions", "default")[0]
    assert rev["metadata"]["name"].startswith("web-") and rev["revision"] == 1
    assert p["metadata"]["labels"] == {"app": "web", "apps.kubernetes.io/pod-index": "1",
                                       "controller-revision-hash": rev["metadata"]["name"],
                                       "statefulset.kubernetes.io/pod-name": "web-1"}
    assert (p["spec"]["hostname"], p["spec"]["subdomain"], p["metadata"]["generateName"]) == ("web-1", "nginx", "web-")
    ref = p["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"]) == ("StatefulSet", "web", True)
    status = cluster.api.get("statefulsets", "web")["status"]
    assert status == {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "currentReplicas": 3,
                      "updatedReplicas": 3, "availableReplicas": 3, "currentRevision": rev["metadata"]["name"],
                      "updateRevision": rev["metadata"]["name"], "collisionCount": 0}
    assert cluster.kubectl("get sts web").stdout.splitlines()[1].split()[:2] == ["web", "3/3"]


def test_scaling_down_deletes_the_highest_ordinal_first_one_at_a_time(cluster):
    since = cluster.now
    set_spec(cluster, replicas=1)
    seen = samples(cluster, 3)
    for sample in seen:
        if "web-1" not in sample or sample["web-1"][1]:  # web-1 deleted or going ...
            assert "web-2" not in sample  # ... only once web-2 is gone
    assert sorted(pods(cluster)) == ["web-0"]
    assert pod_writes(cluster, since) == [("delete", "web-2"), ("delete", "web-1")]
    assert "delete Pod web-2 in StatefulSet web successful" in sts_events(cluster)
    assert cluster.api.get("statefulsets", "web")["status"]["replicas"] == 1


def test_a_deleted_pod_comes_back_with_the_same_name_and_a_new_uid(cluster):
    old_uid = pods(cluster)["web-1"]["metadata"]["uid"]
    cluster.api.delete("pods", "web-1")
    cluster.settle()
    now = pods(cluster)
    assert sorted(now) == ["web-0", "web-1", "web-2"] and now["web-1"]["metadata"]["uid"] != old_uid
    assert is_ready(now["web-1"])
    assert sts_events(cluster)["create Pod web-1 in StatefulSet web successful"] == 2


def test_a_rolling_update_replaces_pods_from_the_highest_ordinal_each_after_the_last_is_ready(cluster):
    old = cluster.api.get("statefulsets", "web")["status"]["currentRevision"]
    since = cluster.now
    set_image(cluster, "nginx:1.28")
    seen = samples(cluster, 12)
    status = cluster.api.get("statefulsets", "web")["status"]
    new = status["updateRevision"]
    assert new != old and status["currentRevision"] == new and status["updatedReplicas"] == 3
    assert pod_writes(cluster, since) == [(verb, f"web-{i}") for i in (2, 1, 0) for verb in ("delete", "create")]
    assert revisions(cluster) == {"web-0": new, "web-1": new, "web-2": new}
    assert all(p["spec"]["containers"][0]["image"] == "nginx:1.28" for p in pods(cluster).values())
    assert all(sum(not ready for ready, _ in s.values()) + (3 - len(s)) <= 1 for s in seen)  # one at a time
    assert len(cluster.api.list("controllerrevisions", "default")) == 2


@pytest.mark.parametrize("change, deleted", [
    (lambda c: set_spec(c, replicas=1), ["web-2", "web-1"]),
    (lambda c: set_image(c, "nginx:1.28"), ["web-2", "web-1", "web-0"]),
], ids=["a scale-down from 3 to 1 deletes web-2 and web-1 once each",
        "a rolling update deletes each pod once, from the highest ordinal"])
def test_a_sync_that_wrote_waits_for_its_watch_events_so_no_pod_is_deleted_twice(cluster, change, deleted):
    since = cluster.now
    change(cluster)
    cluster.settle()
    assert [name for verb, name in pod_writes(cluster, since) if verb == "delete"] == deleted
    assert {m: n for m, n in sts_events(cluster).items() if m.startswith("delete")} == \
        {f"delete Pod {name} in StatefulSet web successful": 1 for name in deleted}
    assert not [s for s in cluster.trace if s.time >= since and str(s.object) == "statefulset/default/web"
                and "409" in s.detail]  # nor is the status written from a stale copy


def test_partition_2_updates_only_web_2_and_rollout_status_says_so(cluster):
    old = cluster.api.get("statefulsets", "web")["status"]["currentRevision"]
    set_spec(cluster, updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 2}})
    set_image(cluster, "nginx:1.28")
    cluster.settle()
    status = cluster.api.get("statefulsets", "web")["status"]
    new = status["updateRevision"]
    assert revisions(cluster) == {"web-0": old, "web-1": old, "web-2": new}
    assert (status["currentRevision"], status["currentReplicas"], status["updatedReplicas"]) == (old, 2, 1)
    assert cluster.kubectl("rollout status statefulset/web").stdout == \
        "partitioned roll out complete: 1 new pods have been updated...\n"
    cluster.api.delete("pods", "web-0")  # recreated below the partition: still the old template
    cluster.settle()
    assert revisions(cluster)["web-0"] == old
    assert pods(cluster)["web-0"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_on_delete_changes_nothing_until_a_pod_is_deleted(cluster):
    set_spec(cluster, updateStrategy={"type": "OnDelete"})
    old = cluster.api.get("statefulsets", "web")["status"]["currentRevision"]
    set_image(cluster, "nginx:1.28")
    cluster.settle()
    status = cluster.api.get("statefulsets", "web")["status"]
    new = status["updateRevision"]
    assert new != old and revisions(cluster) == {"web-0": old, "web-1": old, "web-2": old}
    cluster.api.delete("pods", "web-1")
    cluster.settle()
    assert revisions(cluster) == {"web-0": old, "web-1": new, "web-2": old}
    status = cluster.api.get("statefulsets", "web")["status"]
    assert (status["currentReplicas"], status["updatedReplicas"], status["currentRevision"]) == (2, 1, old)
    assert cluster.kubectl("rollout status sts/web").stderr == \
        "error: rollout status is only available for RollingUpdate strategy type\n"


def test_min_ready_seconds_holds_back_the_next_pod_and_available_replicas():
    c = Cluster(workers=3, seed=0)
    c.api.create(statefulset(replicas=2, minReadySeconds=10))
    c.run(seconds=5)
    status = c.api.get("statefulsets", "web")["status"]
    assert sorted(pods(c)) == ["web-0"] and (status["readyReplicas"], status["availableReplicas"]) == (1, 0)
    c.run(seconds=40)
    created = {name: t for t, (action, name) in
               ((s.time, (s.action, str(s.object).rsplit("/", 1)[1])) for s in c.trace
                if s.component == "kube-controller-manager" and str(s.object).startswith("pod/default/web-"))
               if action == "create"}
    ready_at = parse_timestamp(pods(c)["web-0"]["status"]["conditions"][2]["lastTransitionTime"])
    # the sync queued 10 s after the first one finds web-0 not yet available: the next one, 10 s on, creates web-1
    assert ready_at + 10 < created["web-1"] == pytest.approx(20.005)
    status = c.api.get("statefulsets", "web")["status"]
    assert (status["readyReplicas"], status["availableReplicas"]) == (2, 2)


def test_ordinals_start_names_the_pods_from_that_number():
    c = Cluster(workers=3, seed=0)
    c.api.create(statefulset(replicas=2, ordinals={"start": 5}))
    c.settle()
    assert sorted(pods(c)) == ["web-5", "web-6"]
    assert pods(c)["web-6"]["metadata"]["labels"]["apps.kubernetes.io/pod-index"] == "6"


def test_going_back_to_an_old_template_renumbers_its_revision_instead_of_making_a_new_one(cluster):
    first = cluster.api.get("statefulsets", "web")["status"]["currentRevision"]
    set_image(cluster, "nginx:1.28")
    cluster.settle()
    set_image(cluster, "nginx:1.27")
    cluster.settle()
    revs = {r["metadata"]["name"]: r["revision"] for r in cluster.api.list("controllerrevisions", "default")}
    assert len(revs) == 2 and revs[first] == 3
    assert cluster.api.get("statefulsets", "web")["status"]["currentRevision"] == first


def test_revision_history_limit_keeps_only_that_many_unused_revisions():
    c = Cluster(workers=3, seed=0)
    c.api.create(statefulset(replicas=1, revisionHistoryLimit=1))
    c.settle()
    for tag in ("1.28", "1.29", "1.30"):
        set_image(c, f"nginx:{tag}")
        c.settle()
    revs = sorted(r["revision"] for r in c.api.list("controllerrevisions", "default"))
    assert revs == [3, 4]


@pytest.mark.parametrize("sts, expected", [
    ({"metadata": {"generation": 2}, "spec": {"replicas": 3}, "status": {"observedGeneration": 1}},
     ("Waiting for statefulset spec update to be observed...\n", False)),
    ({"metadata": {"generation": 1}, "spec": {"replicas": 3},
      "status": {"observedGeneration": 1, "readyReplicas": 1}},
     ("Waiting for 2 pods to be ready...\n", False)),
    ({"metadata": {"generation": 2}, "spec": {"replicas": 3, "updateStrategy": {
        "type": "RollingUpdate", "rollingUpdate": {"partition": 0}}},
      "status": {"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 1}},
     ("Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...\n", False)),
    ({"metadata": {"generation": 2}, "spec": {"replicas": 3, "updateStrategy": {
        "type": "RollingUpdate", "rollingUpdate": {"partition": 0}}},
      "status": {"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 3}},
     ("partitioned roll out complete: 3 new pods have been updated...\n", True)),
    ({"metadata": {"generation": 2}, "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate"}},
      "status": {"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 2, "currentReplicas": 1,
                 "currentRevision": "web-a", "updateRevision": "web-b"}},
     ("waiting for statefulset rolling update to complete 2 pods at revision web-b...\n", False)),
    ({"metadata": {"generation": 2}, "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate"}},
      "status": {"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 3, "currentReplicas": 3,
                 "currentRevision": "web-b", "updateRevision": "web-b"}},
     ("statefulset rolling update complete 3 pods at revision web-b...\n", True)),
], ids=["a spec change not yet observed is waited for",
        "pods not yet ready are counted",
        "a rollout below its target says how many of the new pods are updated",
        "the usual (defaulted partition 0) finished rollout says partitioned roll out complete",
        "without rollingUpdate, a rollout in progress names the update revision",
        "without rollingUpdate, a finished rollout names the current revision"])
def test_rollout_status_lines(sts, expected):
    assert statefulset_status(sts) == expected


def test_rollout_status_watches_a_rolling_update_to_its_end(cluster):
    set_image(cluster, "nginx:1.28")
    out = cluster.kubectl("rollout status statefulset/web").stdout
    assert out.splitlines()[-1] == "partitioned roll out complete: 3 new pods have been updated..."
    assert "Waiting for 1 pods to be ready..." in out.splitlines()
    assert cluster.api.get("statefulsets", "web")["status"]["updatedReplicas"] == 3


def _trace(seed):
    c = Cluster(workers=2, seed=seed)
    c.api.create(statefulset(replicas=2))
    c.settle()
    set_image(c, "nginx:1.28")
    c.settle()
    set_spec(c, replicas=1)
    c.settle()
    return [str(s) for s in c.trace]


def test_the_same_seed_gives_the_same_trace():
    assert _trace(3) == _trace(3)


def test_describe_shows_replicas_strategy_pod_phases_and_the_controllers_events(cluster):
    out = cluster.kubectl("describe statefulset web").stdout.splitlines()
    assert [line for line in out if line.startswith(("Replicas:", "Update Strategy:", "  Partition:",
                                                     "Pods Status:", "Volume Claims:"))] == [
        "Replicas:           3 desired | 3 total", "Update Strategy:    RollingUpdate", "  Partition:        0",
        "Pods Status:        3 Running / 0 Waiting / 0 Succeeded / 0 Failed", "Volume Claims:     <none>"]
    assert out[-1].split(None, 4)[1::3] == ["SuccessfulCreate", "create Pod web-2 in StatefulSet web successful"]


def test_rollout_history_and_undo_go_through_the_controller_revisions(cluster):
    assert cluster.kubectl("rollout history statefulset/web").stdout == \
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    set_image(cluster, "nginx:1.28")
    cluster.settle()
    assert "    Image:\tnginx:1.27" in cluster.kubectl("rollout history sts/web --revision=1").stdout
    assert cluster.kubectl("rollout undo statefulset/web").stdout == "statefulset.apps/web rolled back\n"
    cluster.settle()
    assert {p["spec"]["containers"][0]["image"] for p in pods(cluster).values()} == {"nginx:1.27"}
    assert cluster.kubectl("rollout history sts/web").stdout.splitlines()[2:4] == ["2         <none>", "3         <none>"]
    assert cluster.kubectl("rollout undo sts/web --to-revision=3").stdout == \
        "statefulset.apps/web skipped rollback (current template already matches revision 3)\n"
    assert cluster.kubectl("rollout undo sts/web --to-revision=9").stderr == \
        "error: unable to find specified revision 9 in history\n"
    assert cluster.kubectl("rollout pause sts/web").stderr == 'error: statefulsets.apps "web" pausing is not supported\n'


def test_a_volume_claim_template_becomes_each_pods_own_claim_volume():
    c = Cluster(workers=3, seed=0)
    # Parallel: no PersistentVolume exists for the claims, so the scheduler never places a pod that
    # uses one; with OrderedReady web-1 would wait for web-0 forever.
    sts = statefulset(replicas=2, podManagementPolicy="Parallel", volumeClaimTemplates=[{"metadata": {"name": "www"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}])
    sts["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] = [{"name": "www", "mountPath": "/data"}]
    c.api.create(sts)
    c.settle()
    assert {n: p["spec"]["volumes"][0] for n, p in pods(c).items()} == {
        "web-0": {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}},
        "web-1": {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-1"}}}
    assert not any(is_ready(p) for p in pods(c).values())
    assert ('default-scheduler  0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims. '
            "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling." in
            c.kubectl("describe pod web-1").stdout)
    out = c.kubectl("describe sts web").stdout
    assert "Volume Claims:\n  Name:          www\n  StorageClass:  \n  Labels:        <none>\n" \
           "  Annotations:   <none>\n  Capacity:      1Gi\n  Access Modes:  [ReadWriteOnce]\n" in out


def test_a_pod_on_a_dead_node_is_not_replaced_until_it_is_really_gone(cluster):
    node = pods(cluster)["web-1"]["spec"]["nodeName"]
    cluster.stop_node(node)
    cluster.run(seconds=400)  # evicted after the 300 s toleration, but the kubelet cannot confirm
    web_1 = cluster.api.get("pods", "web-1")
    assert web_1["metadata"].get("deletionTimestamp") and web_1["spec"]["nodeName"] == node
    assert cluster.api.get("statefulsets", "web")["status"]["readyReplicas"] == 2  # at most one web-1, ever
    cluster.api.delete("nodes", node)  # the pod garbage collector now removes it; the controller recreates it
    cluster.run(seconds=120)
    assert pods(cluster)["web-1"]["spec"]["nodeName"] != node and is_ready(pods(cluster)["web-1"])


def test_settle_waits_for_min_ready_seconds_but_not_for_a_pod_that_never_gets_ready():
    from k8slearn import Cluster

    manifest = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  minReadySeconds: 10
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: IMAGE}]
"""
    good = Cluster(workers=2, seed=0)
    good.kubectl("apply -f -", stdin=manifest.replace("IMAGE", "nginx"))
    assert good.settle() > 20  # each pod available 10 s after it is Ready, one after the other
    assert good.api.get("statefulsets", "web")["status"]["availableReplicas"] == 2
    stuck = Cluster(workers=2, seed=0)
    stuck.kubectl("apply -f -", stdin=manifest.replace("IMAGE", "nginx:9.99"))  # never pulled, never Ready
    assert stuck.settle() < 60  # (it used to raise SettleTimeout after an hour: the controller's requeue)
