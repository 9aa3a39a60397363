"""API discovery documents: verbs, categories, hashes and subresources as a v1.32 server lists them."""

import pytest

from k8slearn.api import discovery
from k8slearn.api.resources import RESOURCES, lookup
from k8slearn.apiserver.scale import SCALABLE
from k8slearn.apiserver.strategy import strategy_for

EIGHT = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def _entry(group, version, name):
    return next(r for r in discovery.resource_list(group, version)["resources"] if r["name"] == name)


@pytest.mark.parametrize("resource, verbs", [
    pytest.param("namespaces", [v for v in EIGHT if v != "deletecollection"],
                 id="namespaces have no deletecollection (the namespace controller deletes one by one)"),
    pytest.param("services", [v for v in EIGHT if v != "deletecollection"],
                 id="services have no deletecollection in v1.32 (a Service's delete releases its IP)"),
    pytest.param("pods", EIGHT, id="pods allow all eight verbs"),
    pytest.param("nodes", EIGHT, id="nodes allow all eight verbs (the old proxy verb is a subresource)"),
    pytest.param("deployments", EIGHT, id="deployments allow all eight verbs"),
    pytest.param("events", EIGHT, id="events allow all eight verbs"),
])
def test_verbs(resource, verbs):
    assert list(discovery.verbs(lookup(resource))) == verbs


@pytest.mark.parametrize("group, version, kind, expected", [
    pytest.param("", "v1", "Pod", "xPOwRZ+Yhw8=", id="the hash of v1 Pod is a real server's"),
    pytest.param("", "v1", "Namespace", "Q3oi5N2YM8M=", id="the hash of v1 Namespace"),
    pytest.param("", "v1", "ConfigMap", "qFsyl6wFWjQ=", id="the hash of v1 ConfigMap"),
    pytest.param("", "v1", "Node", "XwShjMxG9Fs=", id="the hash of v1 Node"),
    pytest.param("apps", "v1", "Deployment", "8aSe+NMegvE=", id="the hash of apps/v1 Deployment"),
    pytest.param("apps", "v1", "ControllerRevision", "85nkx63pcBU=", id="the hash of apps/v1 ControllerRevision"),
])
def test_storage_version_hash(group, version, kind, expected):
    assert discovery.storage_version_hash(group, version, kind) == expected


def test_every_status_subresource_the_server_serves_is_listed_and_no_other():
    listed = {plural for plural, subs in discovery.SUBRESOURCES.items() if any(s[0] == "status" for s in subs)}
    assert listed == {plural for plural in RESOURCES if strategy_for(plural).has_status}


def test_the_scale_subresources_are_the_scalable_kinds_with_the_autoscaling_scale_kind():
    listed = {plural for plural, subs in discovery.SUBRESOURCES.items() if any(s[0] == "scale" for s in subs)}
    assert listed == set(SCALABLE)
    assert _entry("apps", "v1", "deployments/scale") == {
        "name": "deployments/scale", "singularName": "", "namespaced": True, "group": "autoscaling",
        "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]}


def test_the_core_list_is_sorted_by_name_with_subresources_after_their_resource_and_has_no_api_version():
    doc = discovery.resource_list("", "v1")
    names = [r["name"] for r in doc["resources"]]
    assert list(doc) == ["kind", "groupVersion", "resources"]
    assert names == sorted(names)
    assert names[names.index("pods"):names.index("pods") + 9] == [
        "pods", "pods/attach", "pods/binding", "pods/ephemeralcontainers", "pods/eviction", "pods/exec", "pods/log", "pods/portforward", "pods/status"]
    assert _entry("", "v1", "pods") == {
        "name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod", "verbs": EIGHT,
        "shortNames": ["po"], "categories": ["all"], "storageVersionHash": "xPOwRZ+Yhw8="}
    assert _entry("", "v1", "pods/eviction")["group"] == "policy"


def test_a_named_group_list_carries_api_version_v1():
    assert list(discovery.resource_list("batch", "v1"))[:3] == ["kind", "apiVersion", "groupVersion"]


@pytest.mark.parametrize("group, version", [
    pytest.param("apps", "v2", id="a version the group does not serve"),
    pytest.param("extensions", "v1beta1", id="a group the server does not serve"),
    pytest.param("", "v2", id="a core version that does not exist"),
])
def test_unserved_group_versions_have_no_list(group, version):
    assert discovery.resource_list(group, version) is None


def test_groups_come_in_the_aggregators_priority_order():
    assert discovery.groups() == ["apps", "events.k8s.io", "batch", "policy", "storage.k8s.io", "scheduling.k8s.io",
                                  "coordination.k8s.io", "discovery.k8s.io"]
    assert [g["name"] for g in discovery.group_list()["groups"]] == discovery.groups()
    assert discovery.api_group("apps") == {
        "kind": "APIGroup", "apiVersion": "v1", "name": "apps",
        "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}
    assert discovery.api_group("extensions") is None


def test_the_all_category_in_discovery_order():
    assert discovery.category_members("all") == ["pods", "services", "daemonsets", "deployments", "replicasets",
                                                 "statefulsets", "cronjobs", "jobs"]


def test_events_k8s_io_serves_the_core_event_storage_with_its_short_name_and_hash():
    # pkg/registry/events/rest/storage_events.go builds it with the core event storage (NewREST)
    assert discovery.resource_list("events.k8s.io", "v1") == {
        "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "events.k8s.io/v1",
        "resources": [{"name": "events", "singularName": "event", "namespaced": True, "kind": "Event",
                       "verbs": EIGHT, "shortNames": ["ev"], "storageVersionHash": "r2yiGXH7wu8="}]}
    assert _entry("", "v1", "events")["storageVersionHash"] == "r2yiGXH7wu8="


@pytest.mark.parametrize("name, api_version", [
    pytest.param("events", "v1", id="a plain name is the core group's events"),
    pytest.param("ev", "v1", id="the short name is the core group's events too"),
    pytest.param("events.events.k8s.io", "events.k8s.io/v1", id="plural.group names the events.k8s.io view"),
    pytest.param("events.v1.events.k8s.io", "events.k8s.io/v1", id="plural.version.group names it too"),
    pytest.param("event.events.k8s.io", "events.k8s.io/v1", id="so does the singular with the group"),
])
def test_a_group_qualified_name_finds_the_events_k8s_io_events(name, api_version):
    info = lookup(name)
    assert (info.plural, info.api_version, info.etcd_prefix) == ("events", api_version, "/registry/events")
