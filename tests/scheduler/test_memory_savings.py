"""The memory savings keep the values: shared pod-group keys and requests equal freshly built ones,
and an attempt summary with shared empty details explains itself exactly like one with fresh empties."""

import copy

import pytest

from k8slearn.api.shared import SharedTable
from k8slearn.scheduler import pod_counts, resources
from k8slearn.scheduler.explain import NO_DETAILS, Attempt, Explanation, drop_details
from k8slearn.scheduler.framework import Code, PluginScores, Status
from k8slearn.scheduler.node_info import NodeInfo
from k8slearn.scheduler.pod_counts import count_key
from k8slearn.scheduler.resources import (
    NON_MISSING_CONTAINER_REQUESTS,
    PodInfo,
    pod_request_amounts,
    pod_requests,
)


def plain_count_key(meta):
    if meta.get("deletionTimestamp"):
        return None
    return meta.get("namespace"), frozenset((meta.get("labels") or {}).items())


METAS = [
    {"namespace": "default", "labels": {"app": "web", "pod-template-hash": "5d8f"}},
    {"namespace": "default", "labels": {"pod-template-hash": "5d8f", "app": "web"}},
    {"namespace": "prod", "labels": {"app": "web", "pod-template-hash": "5d8f"}},
    {"namespace": "default"},
    {"namespace": "default", "labels": {}},
    {"namespace": "default", "labels": {"app": "web"}, "deletionTimestamp": "2026-01-05T09:00:00Z"},
]


@pytest.mark.parametrize(
    "limit", [65_536, 2], ids=["sharing all along", "sharing started over every 2 groups"]
)
def test_shared_pod_group_keys_equal_freshly_built_ones(limit, monkeypatch):
    monkeypatch.setattr(pod_counts, "_count_keys", SharedTable(limit))
    for meta in METAS * 3:
        assert count_key(copy.deepcopy(meta)) == plain_count_key(meta)


def test_pods_of_one_template_share_one_key_object():
    first = count_key({"namespace": "default", "labels": {"app": "api", "tier": "be"}})
    second = count_key({"namespace": "default", "labels": {"tier": "be", "app": "api"}})
    other = count_key({"namespace": "default", "labels": {"app": "api", "tier": "fe"}})
    assert first is second
    assert other != first


def attempt(host="node-1", victims=(), message="", feasible=("node-1", "node-2")):
    a = Attempt("default/web", time=2.0, number=3, profile="default-scheduler", num_all_nodes=3)
    a.filter_plugins = ["TaintToleration", "NodeResourcesFit"]
    a.skipped_filter_plugins = ["NodeAffinity"]
    a.node_to_status = {"node-3": Status(Code.Unschedulable, "Insufficient cpu", "NodeResourcesFit")}
    a.feasible = list(feasible)
    a.scores = [PluginScores("NodeResourcesFit", 1, [50, 40], [50, 40])]
    a.totals = [50, 40]
    a.host, a.message, a.victims = host, message, list(victims)
    if message:
        a.reason, a.nominating = "Unschedulable", "node-2"
    return a


def plain_summary(a):
    a.node_to_status, a.feasible, a.scores, a.totals = {}, [], [], []
    return a


@pytest.mark.parametrize(
    "make",
    [
        lambda: attempt(),
        lambda: attempt(host="", message="0/3 nodes are available: 3 Insufficient cpu.", feasible=()),
        lambda: attempt(host="", message="0/3 nodes are available.", victims=["default/low"], feasible=()),
    ],
    ids=[
        "a scheduled pod's summary reads the same",
        "an unschedulable pod's summary reads the same",
        "a summary naming preemption victims reads the same",
    ],
)
def test_a_summary_with_shared_empty_details_explains_itself_like_a_plain_one(make):
    previous = attempt()
    drop_details(previous)
    slim, plain = make(), plain_summary(make())
    drop_details(slim, previous)
    assert str(Explanation(slim)) == str(Explanation(plain))
    assert Explanation(slim).as_rows() == Explanation(plain).as_rows()
    assert Explanation(slim)._repr_html_() == Explanation(plain)._repr_html_()
    assert slim.filter_plugins is previous.filter_plugins  # equal names: one list for both
    assert slim.skipped_filter_plugins is previous.skipped_filter_plugins
    assert slim.feasible is NO_DETAILS and NO_DETAILS == []


REQUESTS = [
    {"cpu": "100m", "memory": "500Mi"},
    {"cpu": "100m", "memory": "500Mi"},
    {"cpu": "0.1", "memory": "524288000"},
    {"cpu": "1", "example.com/gpu": "2"},
    {},
    None,
]


@pytest.mark.parametrize(
    "limit", [4_096, 1], ids=["sharing all along", "sharing started over at every request"]
)
def test_pods_asking_for_equal_amounts_share_a_resource_equal_to_their_own(limit, monkeypatch):
    monkeypatch.setattr(resources, "_shared_requests", SharedTable(limit))
    monkeypatch.setattr(resources, "_shared_amounts", SharedTable(limit))
    infos = []
    for i, requests in enumerate(REQUESTS * 2):
        container = {"name": "c", "image": "x", "resources": {"requests": requests} if requests else {}}
        p = {"metadata": {"name": f"p{i}", "namespace": "default"}, "spec": {"containers": [container]}}
        info = PodInfo(p)
        assert info.requests == pod_requests(p)  # the shared one is equal to the pod's own
        nz = pod_request_amounts(p, NON_MISSING_CONTAINER_REQUESTS)
        assert (info.non0_cpu, info.non0_mem) == (nz.get("cpu", 0), nz.get("memory", 0))
        infos.append(info)
    if limit > 1:
        assert infos[0].requests is infos[1].requests is infos[2].requests  # equal amounts, one object
        assert infos[0].non0_mem is infos[6].non0_mem
    node = NodeInfo({"metadata": {"name": "n"}, "status": {"allocatable": {"cpu": "8"}}}, [])
    before = infos[0].requests.milli_cpu
    for info in infos:
        node.add_pod_info(PodInfo({**info.pod, "spec": {**info.pod["spec"], "nodeName": "n"}}))
    assert infos[0].requests.milli_cpu == before  # summing into the node leaves the pods' requests
