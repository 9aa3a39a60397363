"""Preemption and PodDisruptionBudgets: victims whose eviction breaks no budget are preferred.

Upstream: pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go
(filterPodsWithPDBViolation, SelectVictimsOnNode) and preemption.go (pickOneNodeForPreemption).
"""

from types import SimpleNamespace

import pytest
from scheduler_builders import PRIORITY_CLASSES, pod, select_victims, started

from k8slearn import Cluster
from k8slearn.scheduler.plugins.default_preemption import filter_pods_with_pdb_violation


def budget(allowed, selector=None, namespace="default", disrupted=()):
    return {
        "metadata": {"name": "pdb", "namespace": namespace},
        "spec": {"selector": {"matchLabels": {"app": "web"}} if selector is None else selector},
        "status": {"disruptionsAllowed": allowed, "disruptedPods": {n: "2026-01-05T09:00:00Z" for n in disrupted}},
    }


def infos(*names, labels=None, namespace="default"):
    labels = {"app": "web"} if labels is None else labels
    return [SimpleNamespace(pod=pod(n, labels=labels, namespace=namespace)) for n in names]


def split(pods, pdbs):
    return tuple([i.pod["metadata"]["name"] for i in group] for group in filter_pods_with_pdb_violation(pods, pdbs))


@pytest.mark.parametrize(
    "pods, pdbs, expected",
    [
        (infos("a", "b", "c"), [], ([], ["a", "b", "c"])),
        (infos("a", "b", "c"), [budget(1)], (["b", "c"], ["a"])),
        (infos("a", "b", "c"), [budget(0)], (["a", "b", "c"], [])),
        (infos("a", "b"), [budget(5)], ([], ["a", "b"])),
        (infos("a", "b", "c"), [budget(1, disrupted=["a"])], (["c"], ["a", "b"])),
        (infos("a", "b"), [budget(0, namespace="other")], ([], ["a", "b"])),
        (infos("a", "b"), [budget(0, selector={})], ([], ["a", "b"])),
        (infos("a", "b", labels={}), [budget(0, selector={})], ([], ["a", "b"])),
        (infos("a", "b", labels={"app": "db"}), [budget(0)], ([], ["a", "b"])),
        (
            infos("a", "b"),
            [budget(0, selector={"matchExpressions": [{"key": "app", "operator": "Near", "values": ["x"]}]})],
            ([], ["a", "b"]),
        ),
        (
            infos("a", "b", labels={"app": "web", "tier": "front"}),
            [budget(1), budget(2, selector={"matchLabels": {"tier": "front"}})],
            (["b"], ["a"]),
        ),
    ],
    ids=[
        "with no budgets no pod breaks one",
        "a budget that allows one disruption protects every pod after the first",
        "a budget that allows none makes every pod it selects a violation",
        "a budget with room for all breaks for none",
        "a pod already in disruptedPods uses none of the budget",
        "a budget in another namespace does not count",
        "a budget with an empty selector selects nothing",
        "pods without labels match no budget",
        "pods the selector does not pick are free to go",
        "a budget whose selector is invalid matches no pod",
        "a pod breaks a budget when any one of the budgets selecting it runs out",
    ],
)
def test_filter_pods_with_pdb_violation(pods, pdbs, expected):
    assert split(pods, pdbs) == expected


WEB = {"app": "web"}
DB = {"app": "db"}


@pytest.mark.parametrize(
    "running, pdbs, expected",
    [
        (
            [
                started(pod("web", cpu="1", priority=100, labels=WEB), "2026-01-05T09:00:00Z"),
                started(pod("db", cpu="1", priority=100, labels=DB), "2026-01-05T10:00:00Z"),
            ],
            [],
            (["db"], 0),
        ),
        (
            [
                started(pod("web", cpu="1", priority=100, labels=WEB), "2026-01-05T09:00:00Z"),
                started(pod("db", cpu="1", priority=100, labels=DB), "2026-01-05T10:00:00Z"),
            ],
            [budget(0, selector={"matchLabels": DB})],
            (["web"], 0),
        ),
        (
            [
                started(pod("web", cpu="1", priority=100, labels=WEB), "2026-01-05T09:00:00Z"),
                started(pod("db", cpu="1", priority=100, labels=DB), "2026-01-05T10:00:00Z"),
            ],
            [budget(0, selector={})],
            (["db"], 0),
        ),
        (
            [pod("web-1", cpu="1", priority=100, labels=WEB), pod("web-2", cpu="1", priority=200, labels=WEB)],
            [budget(0)],
            (["web-1"], 1),
        ),
        (
            [
                pod("db-2", cpu="500m", priority=200, labels=DB),
                pod("web", cpu="1", priority=100, labels=WEB),
                pod("db-1", cpu="500m", priority=300, labels=DB),
            ],
            [],
            (["web"], 0),
        ),
        (
            [
                pod("db-2", cpu="500m", priority=200, labels=DB),
                pod("web", cpu="1", priority=100, labels=WEB),
                pod("db-1", cpu="500m", priority=300, labels=DB),
            ],
            [budget(0)],
            (["db-1", "db-2"], 0),
        ),
    ],
    ids=[
        "without budgets the pod that started later goes",
        "the pod a budget protects is kept and the other one goes, although it started earlier",
        "a budget with an empty selector protects nothing",
        "when every choice breaks the budget the least important pod still goes, counted as a violation",
        "without a budget one big low-priority pod makes room for two smaller, more important ones",
        "a protected pod is kept first even if two unprotected ones must go instead, most important first",
    ],
)
def test_select_victims_on_node_prefers_pods_whose_budget_allows_it(running, pdbs, expected):
    victims, violations, _ = select_victims(running, pod("new", cpu="1", priority=1000), pdbs)
    assert (victims, violations) == expected


def manifest(name, priority_class, app):
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}, labels: {{app: {app}}}}}
spec:
  priorityClassName: {priority_class}
  containers: [{{name: app, image: nginx, resources: {{requests: {{cpu: 1500m}}}}}}]
"""


@pytest.mark.parametrize(
    "protect, victim",
    [(False, "cache"), (True, "batch")],
    ids=[
        "without a budget the victim is the lowest-priority pod",
        "a budget on that pod sends preemption to the other node, although its pod has a higher priority",
    ],
)
def test_the_scheduler_reads_budgets_from_the_api_server(protect, victim):
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=PRIORITY_CLASSES)
    c.kubectl("apply -f -", stdin=manifest("cache", "low", "cache"))
    c.kubectl("apply -f -", stdin=manifest("batch", "mid", "batch"))
    if protect:
        c.kubectl("create pdb cache --selector=app=cache --min-available=1")
    c.settle()
    on = {p["metadata"]["name"]: p["spec"]["nodeName"] for p in c.api.list("pods", "default")}
    c.kubectl("apply -f -", stdin=manifest("critical", "high", "critical"))
    c.settle()
    pods = {p["metadata"]["name"]: p["spec"].get("nodeName") for p in c.api.list("pods", "default")}
    assert victim not in pods
    assert pods["critical"] == on[victim]
