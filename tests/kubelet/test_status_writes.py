"""What the kubelet writes to the API server, and when, as a v1.32 kubelet does."""

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
