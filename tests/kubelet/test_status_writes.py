"""What the kubelet writes to the API server, and when, as a v1.32 kubelet does."""

import pytest

from k8slearn import Cluster


def _pod_writes(c, name):
    """(writer, phase, podIP, PodReadyToStartContainers) for every etcd revision of the pod."""
    key = f"/registry/pods/default/{name}"
    import json

    rows = []
    for rev in range(1, c.etcd.revision + 1):
        kv = c.etcd.get(key, revision=rev)
        if kv is not None and kv.mod_revision == rev:
            pod = json.loads(kv.value)
            status = pod.get("status", {})
            ready = next((x["status"] for x in status.get("conditions", []) if x["type"] == "PodReadyToStartContainers"),
                         None)
            rows.append((status.get("phase"), status.get("podIP"), ready))
    return rows


def test_a_pod_is_written_four_times_between_creation_and_running():
    # create, bind, the kubelet's first sync (Pending, ContainerCreating) and its next sync once the
    # container runs: the IP and PodReadyToStartContainers=True arrive with Running (v1.36 adds a
    # write when the sandbox is ready, before the image is pulled)
    c = Cluster(workers=1, seed=1)
    c.kubectl("run web --image=nginx")
    c.settle()
    assert _pod_writes(c, "web") == [
        ("Pending", None, None),
        ("Pending", None, None),
        ("Pending", None, "False"),
        ("Running", "10.244.1.2", "True"),
    ]


def test_cordoning_a_node_shows_in_its_events_at_the_next_status_sync():
    c = Cluster(workers=1, seed=1)
    c.settle()
    c.kubectl("cordon node-1")
    c.run(10)
    c.kubectl("uncordon node-1")
    c.run(10)
    events = [(e["reason"], e["message"]) for e in c.api.list("events", "default")
              if e["involvedObject"]["name"] == "node-1" and "Schedulable" in e["reason"]]
    assert events == [("NodeNotSchedulable", "Node node-1 status is now: NodeNotSchedulable"),
                      ("NodeSchedulable", "Node node-1 status is now: NodeSchedulable")]


def _watch_rows(watch, name):
    """(event, phase, being deleted, ready count) of each version of ``name`` a watch delivered."""
    rows = []
    for event_type, pod in watch:
        if pod["metadata"]["name"] != name:
            continue
        statuses = pod["status"].get("containerStatuses") or []
        rows.append((event_type, pod["status"].get("phase"), bool(pod["metadata"].get("deletionTimestamp")),
                     sum(1 for s in statuses if s.get("ready"))))
    return rows


def test_a_deleted_pod_is_written_finished_before_the_kubelet_lets_it_go():
    # SyncTerminatingPod: the kubelet stops the containers, writes the terminal status (0/1 in
    # `kubectl get pods -w`), then deletes with grace 0 (upstream: the status manager's delete)
    c = Cluster(workers=1, seed=1)
    c.kubectl("run web --image=nginx")
    c.settle()
    watch = c.api.watch("pods", namespace="default",
                        resource_version=c.api.get("pods", "web")["metadata"]["resourceVersion"])
    c.kubectl("delete pod web --wait=false")
    c.settle()
    assert _watch_rows(watch, "web") == [
        ("MODIFIED", "Running", True, 1),
        ("MODIFIED", "Succeeded", True, 0),
        ("MODIFIED", "Succeeded", True, 0),
        ("DELETED", "Succeeded", True, 0),
    ]


@pytest.mark.parametrize("command, phase, reason, exit_code, printed", [
    ("run p --image=nginx", "Succeeded", "Completed", 0, "Completed"),
    ("run p --image=busybox -- sleep 3600", "Failed", "Error", 137, "Error"),
], ids=[
    "nginx stops on SIGTERM: the pod ends Succeeded",
    "a sleep ignores SIGTERM and is killed after the grace period: Failed with 137",
])
def test_a_pod_held_by_a_finalizer_shows_how_it_ended_and_is_not_started_again(command, phase, reason, exit_code,
                                                                                 printed):
    c = Cluster(workers=1, seed=1)
    c.kubectl(command)
    c.settle()
    c.api.patch("pods", "p", {"metadata": {"finalizers": ["example.com/hold"]}}, "default", patch_type="merge")
    c.kubectl("delete pod p --wait=false")
    c.run(40)
    c.settle()
    pod = c.api.get("pods", "p")
    state = pod["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (pod["status"]["phase"], state["reason"], state["exitCode"]) == (phase, reason, exit_code)
    assert str(c.kubectl("get pod p --no-headers")).split()[2] == printed
    kubelet = c.kubelets["node-1"]
    assert pod["metadata"]["uid"] in kubelet.workers.terminated and not kubelet.workers.states
    c.api.patch("pods", "p", {"metadata": {"finalizers": None}}, "default", patch_type="merge")
    c.settle()
    assert c.api.list("pods", "default") == [] and not kubelet.workers.terminated


def _record_status_patches(cluster, node="node-1"):
    """The status patches a kubelet sends: (pod name, patch body), in order."""
    client = cluster.kubelets[node].client
    sent, send = [], client.patch

    def patch(resource, name, body, namespace="default", **options):
        if options.get("subresource") == "status":
            sent.append((name, body))
        return send(resource, name, body, namespace, **options)

    client.patch = patch
    return sent


def test_the_kubelet_reads_the_pod_then_patches_only_what_changed_with_the_pods_uid():
    c = Cluster(workers=1, seed=1)
    c.settle()
    sent = _record_status_patches(c)
    c.kubectl("run web --image=nginx")
    c.settle()
    uid = c.api.get("pods", "web")["metadata"]["uid"]
    (_, first), (_, second) = sent
    assert first["metadata"] == second["metadata"] == {"uid": uid}
    kubelet_order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    assert [c["type"] for c in first["status"]["$setElementOrder/conditions"]] == kubelet_order
    assert [c["type"] for c in first["status"]["conditions"]] == kubelet_order[:4]  # PodScheduled is unchanged
    # the second write: the container runs, the pod has its IP; what did not change is not sent
    assert "hostIP" in first["status"] and "hostIP" not in second["status"]
    assert (second["status"]["phase"], second["status"]["podIP"]) == ("Running", "10.244.1.2")
    steps = [(s.component, s.action, s.detail) for s in c.trace if s.object == "pod/default/web"
             and s.component == "kubelet/node-1" and s.action in ("get", "patch", "update")]
    assert steps == [("kubelet/node-1", "get", ""), ("kubelet/node-1", "patch", "strategic, status")] * 2
    conditions = c.api.get("pods", "web")["status"]["conditions"]
    assert [x["type"] for x in conditions] == kubelet_order
    assert all(x["lastProbeTime"] is None for x in conditions)  # a metav1.Time reads back null when unset


def test_a_condition_the_kubelet_does_not_own_survives_its_status_writes():
    c = Cluster(workers=1, seed=1)
    c.settle()
    c.kubectl("run job --image=busybox --restart=Never -- sh -c 'sleep 5'")
    c.settle()
    target = {"type": "DisruptionTarget", "status": "True", "reason": "EvictionByEvictionAPI",
              "message": "Eviction API: evicting", "lastTransitionTime": "2026-01-05T09:00:02Z"}
    c.api.patch("pods", "job", {"status": {"conditions": [target]}}, subresource="status")
    c.run(10)  # the container ends: the kubelet writes Succeeded
    status = c.api.get("pods", "job")["status"]
    assert status["phase"] == "Succeeded"
    # mergePodStatus: the conditions the kubelet does not own come first, as they were
    assert status["conditions"][0] == {**target, "lastProbeTime": None}
    assert [x["type"] for x in status["conditions"][1:]] == [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]



@pytest.mark.parametrize("node_name", [
    pytest.param("node-1", id="a pod bound by spec.nodeName gets PodScheduled True from the kubelet"),
    pytest.param(None, id="a scheduled pod keeps the PodScheduled condition its binding set"),
])
def test_every_running_pod_has_the_pod_scheduled_condition_last(node_name):
    c = Cluster(workers=1, seed=0)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
           "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}
    if node_name:
        pod["spec"]["nodeName"] = node_name
    c.api.create(pod)
    c.run(0.5)
    before = [x for x in c.api.get("pods", "p").get("status", {}).get("conditions", ()) if x["type"] == "PodScheduled"]
    c.settle()
    conditions = c.api.get("pods", "p")["status"]["conditions"]
    assert [x["type"] for x in conditions] == ["PodReadyToStartContainers", "Initialized", "Ready",
                                               "ContainersReady", "PodScheduled"]
    assert (conditions[-1]["status"], conditions[-1]["lastProbeTime"]) == ("True", None)
    if before:  # the binding's condition, unchanged
        assert conditions[-1] == before[0]


MOUNTS_POD = """
apiVersion: v1
kind: Pod
metadata: {name: mounts}
spec:
  initContainers:
  - {name: init, image: busybox:1.36, command: ["true"]}
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts:
    - {name: scratch, mountPath: /scratch}
    - {name: scratch, mountPath: /ro, readOnly: true}
  volumes:
  - {name: scratch, emptyDir: {}}
"""


def test_each_container_status_lists_its_mounts_and_a_read_only_one_is_not_recursively_so():
    # RecursiveReadOnlyMounts (beta, on in v1.32): volumeMounts in every container status, from the spec
    c = Cluster(workers=1, seed=1)
    c.kubectl("apply -f -", stdin=MOUNTS_POD)
    c.settle()
    pod = c.api.get("pods", "mounts")
    token = pod["spec"]["volumes"][-1]["name"]
    api_access = {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": token, "readOnly": True,
                  "recursiveReadOnly": "Disabled"}
    [init], [app] = pod["status"]["initContainerStatuses"], pod["status"]["containerStatuses"]
    assert init["volumeMounts"] == [api_access]
    assert app["volumeMounts"] == [{"mountPath": "/scratch", "name": "scratch"},
                                   {"mountPath": "/ro", "name": "scratch", "readOnly": True,
                                    "recursiveReadOnly": "Disabled"}, api_access]
