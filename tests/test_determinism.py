"""Same seed, same calls: the same cluster, step for step (the trace is byte-identical)."""

import hashlib

from k8slearn import Cluster


def scenario(seed: int) -> tuple[str, str]:
    cluster = Cluster(workers=3, seed=seed)
    cluster.kubectl("create deployment web --image=nginx --replicas=3")
    cluster.kubectl("run crash --image=busybox --restart=Always -- sh -c 'sleep 1; exit 1'")
    cluster.settle()
    cluster.add_node()
    cluster.stop_node("node-2")
    cluster.run(30)
    cluster.start_node("node-2")
    cluster.settle()
    store = "\n".join(f"{kv.key} {kv.mod_revision} {kv.value.decode()}" for kv in cluster.etcd.range("/"))
    digest = lambda text: hashlib.sha256(text.encode()).hexdigest()  # noqa: E731
    return digest(cluster.loop.trace_text()), digest(store)


def test_the_same_seed_gives_a_byte_identical_trace_and_store():
    assert scenario(7) == scenario(7)


def test_another_seed_gives_another_run():
    assert scenario(7)[0] != scenario(8)[0]
