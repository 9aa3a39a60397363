"""kubectl apply set-last-applied: the file becomes the live object's last-applied configuration
(apply_set_last_applied.go Validate and RunSetLastApplied, kubectl v1.32)."""

import json

import pytest

from k8slearn import Cluster

LAST = "kubectl.kubernetes.io/last-applied-configuration"
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '1', b: '2'}\n"
ONLY_A = CM.replace(", b: '2'", "")
NOT_GIVEN = ("error: You must provide one or more resources by argument or filename.\nExample resource "
             "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n"
             "   '<resource>'\n")


@pytest.fixture()
def cluster():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create -f -", stdin=CM)  # (no annotation: created imperatively)
    return c


def annotation(c, name="c"):
    return (c.api.get("configmaps", name)["metadata"].get("annotations") or {}).get(LAST)


@pytest.mark.parametrize("command, stdin, stderr", [
    ("apply set-last-applied -f -", CM, "error: no last-applied-configuration annotation found on resource: c, "
                                        "to create the annotation, run the command with --create-annotation\n"),
    ("apply set-last-applied", "", NOT_GIVEN),
    ("apply set-last-applied -f - --create-annotation", CM.replace("name: c", "name: nope"),
     'Error from server (NotFound): configmaps "nope" not found\n'),
])
def test_a_refused_set_last_applied_prints_kubectls_error_and_changes_nothing(cluster, command, stdin, stderr):
    revision = cluster.etcd.revision
    r = cluster.kubectl(command, stdin=stdin)
    assert (r.stdout, r.stderr, r.code) == ("", stderr, 1)
    assert cluster.etcd.revision == revision


def test_create_annotation_writes_the_file_object_as_compact_json_and_changes_nothing_else(cluster):
    r = cluster.kubectl("apply set-last-applied -f - --create-annotation", stdin=CM)
    assert (r.stdout, r.stderr, r.code) == ("configmap/c configured\n", "", 0)
    assert annotation(cluster) == ('{"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap",'
                                   '"metadata":{"name":"c","namespace":"default"}}')
    assert cluster.api.get("configmaps", "c")["data"] == {"a": "1", "b": "2"}


def test_the_same_configuration_again_needs_no_change(cluster):
    cluster.kubectl("apply set-last-applied -f - --create-annotation", stdin=CM)
    revision = cluster.etcd.revision
    r = cluster.kubectl("apply set-last-applied -f -", stdin=CM)
    assert (r.stdout, r.stderr, r.code) == ("set-last-applied c: no changes required.\n", "", 0)
    assert cluster.etcd.revision == revision


def test_a_later_apply_merges_against_the_configuration_that_was_set(cluster):
    """b was never in the configuration that was set, so applying a file without b keeps it."""
    cluster.kubectl("apply set-last-applied -f - --create-annotation", stdin=ONLY_A)
    r = cluster.kubectl("apply -f -", stdin=ONLY_A)
    assert (r.stdout, r.stderr, r.code) == ("configmap/c configured\n", "", 0)
    assert cluster.api.get("configmaps", "c")["data"] == {"a": "1", "b": "2"}
    assert json.loads(annotation(cluster))["data"] == {"a": "1"}


@pytest.mark.parametrize("flags, stdout", [
    ("--dry-run=server", "configmap/c configured (server dry run)\n"),
    ("--dry-run=client", "configmap/c configured (dry run)\n"),
    ("--dry-run=client -o jsonpath={.metadata.annotations}", ""),  # (the live object, as it was read)
])
def test_a_dry_run_changes_nothing(cluster, flags, stdout):
    cluster.kubectl("apply set-last-applied -f - --create-annotation", stdin=ONLY_A)
    before = annotation(cluster)
    r = cluster.kubectl(f"apply set-last-applied -f - {flags}", stdin=CM)
    assert (r.stdout, r.stderr, r.code) == (stdout or json.dumps({LAST: before}, separators=(",", ":")), "", 0)
    assert annotation(cluster) == before


def test_an_object_of_another_namespace_is_patched_in_its_own_namespace():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create namespace team")
    in_team = CM.replace("{name: c}", "{name: t, namespace: team}")
    c.kubectl("apply -f -", stdin=in_team)
    r = c.kubectl("apply set-last-applied -f -", stdin=in_team)
    assert (r.stdout, r.stderr, r.code) == ("configmap/t configured\n", "", 0)
    assert json.loads(c.api.get("configmaps", "t", "team")["metadata"]["annotations"][LAST])["metadata"] == {
        "name": "t", "namespace": "team"}
