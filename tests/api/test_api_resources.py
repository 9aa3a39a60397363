"""The resource table: names, groups, scopes, etcd keys, lookups and their errors."""

import pytest

from k8slearn.api.resources import RESOURCES, NoKindMatchError, UnknownResourceError, by_kind, lookup

KEYS = [
    ("pods", "default", "web", "/registry/pods/default/web", "a pod lives under its namespace"),
    ("nodes", None, "node-1", "/registry/minions/node-1", "nodes keep the historical minions prefix"),
    ("services", "default", "web", "/registry/services/specs/default/web",
     "services live under services/specs"),
    ("endpoints", "default", "web", "/registry/services/endpoints/default/web",
     "endpoints live under services/endpoints"),
    ("deployments", "default", "web", "/registry/deployments/default/web",
     "built-in groups add no group segment"),
    ("leases", "kube-node-lease", "node-1", "/registry/leases/kube-node-lease/node-1",
     "node leases live in kube-node-lease"),
    ("namespaces", None, "default", "/registry/namespaces/default", "namespaces are cluster-scoped"),
    ("priorityclasses", None, "high", "/registry/priorityclasses/high",
     "priority classes are cluster-scoped"),
]


@pytest.mark.parametrize("plural,ns,name,key", [k[:4] for k in KEYS], ids=[k[4] for k in KEYS])
def test_each_resource_has_the_real_etcd_key(plural, ns, name, key):
    assert RESOURCES[plural].key(ns, name) == key


LOOKUPS = [
    ("po", "pods", "a short name finds pods"),
    ("deploy", "deployments", "deploy finds deployments"),
    ("Deployment", "deployments", "the kind finds deployments"),
    ("DEPLOYMENTS", "deployments", "lookups ignore case"),
    ("deployments.apps", "deployments", "plural.group finds deployments"),
    ("deployment.apps", "deployments", "singular.group finds deployments"),
    ("deployments.v1.apps", "deployments", "plural.version.group finds deployments"),
    ("no", "nodes", "no finds nodes"),
    ("ev", "events", "ev finds events"),
    ("sts", "statefulsets", "sts finds statefulsets"),
    ("cj", "cronjobs", "cj finds cronjobs"),
    ("pc", "priorityclasses", "pc finds priorityclasses"),
    ("leases.coordination.k8s.io", "leases", "a dotted group is accepted"),
    ("endpoints", "endpoints", "endpoints is its own singular"),
]


@pytest.mark.parametrize("name,plural", [x[:2] for x in LOOKUPS], ids=[x[2] for x in LOOKUPS])
def test_lookup_accepts_every_name_kubectl_accepts(name, plural):
    assert lookup(name).plural == plural


@pytest.mark.parametrize("name", ["foo", "pods.apps", "deployments.batch"],
                         ids=["an unknown word", "a core resource with a group",
                              "a resource in the wrong group"])
def test_an_unknown_resource_gets_kubectls_message(name):
    with pytest.raises(UnknownResourceError) as err:
        lookup(name)
    resource = name.partition(".")[0]  # the RESTMapper names the resource part (recorded: deployments.extensions)
    assert str(err.value) == f'the server doesn\'t have a resource type "{resource}"'


NAMES = [
    ("pods", "v1", "pods", "Pod", "a core resource has version v1 and no group"),
    ("deployments", "apps/v1", "deployments.apps", "Deployment.apps",
     "an apps resource is qualified by apps"),
    ("leases", "coordination.k8s.io/v1", "leases.coordination.k8s.io", "Lease.coordination.k8s.io",
     "leases are in coordination.k8s.io"),
    ("jobs", "batch/v1", "jobs.batch", "Job.batch", "jobs are in batch"),
    ("endpointslices", "discovery.k8s.io/v1", "endpointslices.discovery.k8s.io",
     "EndpointSlice.discovery.k8s.io",
     "endpoint slices are in discovery.k8s.io"),
]


@pytest.mark.parametrize("plural,api_version,gr,gk", [n[:4] for n in NAMES], ids=[n[4] for n in NAMES])
def test_resource_info_names(plural, api_version, gr, gk):
    info = RESOURCES[plural]
    assert (info.api_version, info.group_resource, info.group_kind) == (api_version, gr, gk)


SHORT = {"pods": ("po",), "nodes": ("no",), "namespaces": ("ns",), "services": ("svc",), "endpoints": ("ep",),
         "events": ("ev",), "configmaps": ("cm",), "serviceaccounts": ("sa",), "deployments": ("deploy",),
         "replicasets": ("rs",), "daemonsets": ("ds",), "statefulsets": ("sts",), "cronjobs": ("cj",),
         "priorityclasses": ("pc",), "leases": (), "secrets": (), "jobs": (),
         "persistentvolumeclaims": ("pvc",), "persistentvolumes": ("pv",), "storageclasses": ("sc",)}


def test_short_names_are_kubectls():
    assert {p: RESOURCES[p].short_names for p in SHORT} == SHORT


def test_scopes_match_kubernetes():
    cluster = sorted(p for p, r in RESOURCES.items() if not r.namespaced)
    assert cluster == ["namespaces", "nodes", "persistentvolumes", "priorityclasses", "storageclasses"]


def test_by_kind_finds_a_manifests_resource():
    assert by_kind("apps/v1", "DaemonSet").plural == "daemonsets"


KIND_ERRORS = [
    ("v1", "Foo", 'no matches for kind "Foo" in version "v1"', "an unknown kind"),
    ("extensions/v1beta1", "Deployment", 'no matches for kind "Deployment" in version "extensions/v1beta1"',
     "a known kind in a removed version"),
    ("v1", "Deployment", 'no matches for kind "Deployment" in version "v1"',
     "a known kind in the wrong group"),
]


@pytest.mark.parametrize("api_version,kind,message", [k[:3] for k in KIND_ERRORS],
                         ids=[k[3] for k in KIND_ERRORS])
def test_by_kind_reports_no_kind_match(api_version, kind, message):
    with pytest.raises(NoKindMatchError) as err:
        by_kind(api_version, kind)
    assert str(err.value) == message


def test_list_prefix_covers_one_namespace_or_all():
    assert (RESOURCES["pods"].list_prefix("default"), RESOURCES["pods"].list_prefix()) == (
        "/registry/pods/default/", "/registry/pods/")
