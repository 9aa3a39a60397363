"""The fast paths give the same answers as the plain ones: filter_nodes/score_nodes against filter/score node by
node, the score cache against recomputing, and the queue's sort key against PrioritySort.less."""

import random

import pytest
from scheduler_builders import MiniCluster, node, node_info, pod, snapshot_of, taint, toleration

from k8slearn.scheduler import Framework, Profile
from k8slearn.scheduler.framework import SUCCESS, CycleState
from k8slearn.scheduler.plugins.priority_sort import PrioritySort
from k8slearn.scheduler.queue import QueuedPodInfo
from k8slearn.scheduler.resources import PodInfo


def random_nodes(rng, count=40):
    infos = []
    for i in range(count):
        taints = rng.choice([(), (taint("a"),), (taint("b", "1", "PreferNoSchedule"),)])
        n = node(
            f"n{i}",
            cpu=rng.choice(["500m", "1", "2", "4"]),
            memory=rng.choice(["1Gi", "4Gi"]),
            pods=rng.choice([1, 3, 110]),
            taints=taints,
            unschedulable=rng.random() < 0.1,
        )
        running = [
            pod(f"r{i}-{j}", cpu=rng.choice(["100m", "300m", None]), memory=rng.choice(["100Mi", None]))
            for j in range(rng.randrange(3))
        ]
        infos.append(node_info(n, *running))
    return infos


PODS = [
    pod("small", cpu="100m"),
    pod("big", cpu="1500m", memory="2Gi"),
    pod("empty"),
    pod("tolerant", cpu="200m", tolerations=[toleration(operator="Exists")]),
    pod("gpu", containers=[{"name": "c", "image": "x", "resources": {"requests": {"example.com/gpu": "1"}}}]),
]


@pytest.mark.parametrize("seed", range(4), ids=[f"random cluster {s}" for s in range(4)])
@pytest.mark.parametrize("p", PODS, ids=[p["metadata"]["name"] for p in PODS])
def test_batch_methods_agree_with_node_by_node(seed, p):
    infos = random_nodes(random.Random(seed))
    fwk = Framework(Profile(), snapshot_of(*infos))
    state = CycleState(PodInfo(p))
    fwk.run_pre_filter_plugins(state, p)
    fwk.run_pre_score_plugins(state, p, infos)
    for plugin in fwk.filter_plugins:
        batch = getattr(plugin, "filter_nodes", None)
        if batch is not None and plugin.name not in state.skip_filter_plugins:
            one_by_one = [plugin.filter(state, p, n) for n in infos]
            got = batch(state, p, infos)
            assert (got or [SUCCESS] * len(infos)) == one_by_one, plugin.name
    for plugin, _ in fwk.score_plugins:
        batch = getattr(plugin, "score_nodes", None)
        if batch is not None and plugin.name not in state.skip_score_plugins:
            assert batch(state, p, infos) == [plugin.score(state, p, n) for n in infos], plugin.name


def test_remembered_scores_follow_every_change_of_a_node():
    infos = random_nodes(random.Random(7), count=10)
    fwk = Framework(Profile(), snapshot_of(*infos))
    p = pod("web", cpu="250m", memory="256Mi")

    def scores():
        state = CycleState(PodInfo(p))
        fwk.run_pre_filter_plugins(state, p)
        fwk.run_pre_score_plugins(state, p, infos)
        return fwk.run_score_plugins(state, p, infos)[0]

    first = scores()
    assert scores() == first  # from the cache
    infos[3].add_pod_info(
        PodInfo(
            {
                **pod("extra", cpu="300m"),
                "spec": {**pod("extra", cpu="300m")["spec"], "nodeName": infos[3].name},
            }
        )
    )
    changed = scores()
    fresh = Framework(Profile(), snapshot_of(*infos))
    state = CycleState(PodInfo(p))
    fresh.run_pre_filter_plugins(state, p)
    fresh.run_pre_score_plugins(state, p, infos)
    assert changed == fresh.run_score_plugins(state, p, infos)[0]
    assert changed[3] != first[3]


@pytest.mark.parametrize(
    "a, b",
    [
        ((100, 5.0), (0, 1.0)),
        ((0, 1.0), (0, 2.0)),
        ((0, 2.0), (0, 1.0)),
        ((7, 3.0), (7, 3.0)),
    ],
    ids=[
        "higher priority first",
        "earlier first at equal priority",
        "later second at equal priority",
        "equal pods are not less than each other",
    ],
)
def test_the_queue_sort_key_orders_like_less(a, b):
    qa = QueuedPodInfo(PodInfo(pod("a", priority=a[0])), a[1])
    qb = QueuedPodInfo(PodInfo(pod("b", priority=b[0])), b[1])
    plugin = PrioritySort()
    assert (plugin.sort_key(qa) < plugin.sort_key(qb)) == plugin.less(qa, qb)


def test_a_gated_pod_waits_until_its_gates_are_removed():
    c = MiniCluster(workers=1)
    gated = pod("web")
    gated["spec"]["schedulingGates"] = [{"name": "example.com/quota"}]
    c.create(gated)
    c.settle()
    assert c.node_of("web") == "" and c.events("web") == []
    assert c.scheduler.queue.pending_pods()["unschedulablePods"] == ["default/web"]
    c.api.patch("pods", "web", {"spec": {"schedulingGates": None}}, patch_type="merge")
    c.settle()
    assert c.node_of("web") == "node-1"
