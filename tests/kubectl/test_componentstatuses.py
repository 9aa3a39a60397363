"""kubectl get/describe componentstatuses: the API server probes the control plane when asked.

Expected texts were checked against the real kubectl v1.32 (tests/kubectl/kubectl_realserver.py
serving the same objects) and upstream pkg/registry/core/componentstatus (rest.go, validator.go),
pkg/printers/internalversion/printers.go (printComponentStatus).
"""

import pytest

from k8slearn import Cluster
from k8slearn.api.discovery import resource_list

WARNING = "Warning: v1 ComponentStatus is deprecated in v1.19+\n"
REFUSED = 'Get "https://127.0.0.1:{0}/healthz": dial tcp 127.0.0.1:{0}: connect: connection refused'


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0, current=False)
    c.settle()
    return c


def test_get_cs_lists_the_three_healthy_components_after_the_deprecation_warning(cluster):
    r = cluster.kubectl("get cs")
    assert (r.code, r.stderr) == (0, WARNING)
    assert r.stdout == ("NAME                 STATUS    MESSAGE   ERROR\n"
                        "scheduler            Healthy   ok        \n"
                        "controller-manager   Healthy   ok        \n"
                        "etcd-0               Healthy   ok        \n")
    assert str(r).startswith(WARNING)  # the warning comes with the answer, before the table


@pytest.mark.parametrize("command, stdout", [
    ("get componentstatus etcd-0 -o yaml",
     'apiVersion: v1\nconditions:\n- message: ok\n  status: "True"\n  type: Healthy\nkind: ComponentStatus\n'
     "metadata:\n  creationTimestamp: null\n  name: etcd-0\n"),
    ("get cs -o name",
     "componentstatus/scheduler\ncomponentstatus/controller-manager\ncomponentstatus/etcd-0\n"),
    ("get cs --field-selector metadata.name=etcd-0",
     "NAME     STATUS    MESSAGE   ERROR\netcd-0   Healthy   ok        \n"),
    ("describe cs scheduler",
     "Name:         scheduler\nNamespace:    \nLabels:       <none>\nAnnotations:  <none>\nAPI Version:  v1\n"
     "Conditions:\n  Message:  ok\n  Status:   True\n  Type:     Healthy\nKind:       ComponentStatus\n"
     "Metadata:\n  Creation Timestamp:  <nil>\nEvents:                <none>\n"),
    ("get --raw /api/v1/componentstatuses/etcd-0",
     '{"kind":"ComponentStatus","apiVersion":"v1","metadata":{"name":"etcd-0","creationTimestamp":null},'
     '"conditions":[{"type":"Healthy","status":"True","message":"ok"}]}\n'),
], ids=[
    "one ComponentStatus as YAML has a null creationTimestamp and its Healthy condition",
    "-o name names each component as componentstatus/<name>",
    "a field selector on metadata.name keeps only that component",
    "describe prints the generic describer's fields",
    "the raw GET is the object the API server computed",
])
def test_reading_componentstatuses(cluster, command, stdout):
    r = cluster.kubectl(command)
    assert (r.stdout, r.stderr, r.code) == (stdout, WARNING, 0)


@pytest.mark.parametrize("command, stderr, code", [
    ("get cs nope", WARNING + "Error from server: Component not found: nope\n", 1),
    # (kubectl delete does not GET the object first: RequireObject(false), so no warning)
    ("delete cs scheduler",
     "Error from server (MethodNotAllowed): the server does not allow this method on the "
     "requested resource (delete componentstatuses scheduler)\n", 1),
    ("get cs -l tier=control-plane", WARNING + "No resources found\n", 0),
], ids=[
    "an unknown component is the API server's plain 500 error",
    "a componentstatus cannot be deleted: there is no DELETE route",
    "a label selector matches none: componentstatuses have no labels",
])
def test_what_componentstatuses_refuse(cluster, command, stderr, code):
    r = cluster.kubectl(command)
    assert (r.stdout, r.stderr, r.code) == ("", stderr, code)


def test_a_watch_of_componentstatuses_is_refused_after_the_list():
    c = Cluster(workers=1, seed=0, current=False)
    r = c.kubectl("get cs -w")
    assert r.code == 1
    assert r.stderr.endswith('Error from server (MethodNotAllowed): watch is not supported on resources '
                             'of kind "componentstatuses"\n')


def test_a_powered_off_control_plane_machine_shows_its_scheduler_and_controller_manager_unhealthy():
    c = Cluster(workers=1, seed=0, current=False)
    before = c.etcd.revision
    c.stop_node("control-plane")
    rows = c.kubectl("get cs").stdout.splitlines()
    assert [row.split()[:2] for row in rows[1:]] == [
        ["scheduler", "Unhealthy"], ["controller-manager", "Unhealthy"], ["etcd-0", "Healthy"]]
    assert rows[1].split(None, 2)[2].rstrip() == REFUSED.format(10259)
    assert rows[2].split(None, 2)[2].rstrip() == REFUSED.format(10257)
    assert c.etcd.revision == before  # computed, never stored
    c.start_node("control-plane")
    c.loop.run(1.0)
    assert [row.split()[1] for row in c.kubectl("get cs").stdout.splitlines()[1:]] == ["Healthy"] * 3


def test_api_resources_and_discovery_list_componentstatuses_with_get_and_list_only(cluster):
    rows = cluster.kubectl("api-resources --api-group=").stdout.splitlines()
    assert rows[1].split() == ["componentstatuses", "cs", "v1", "false", "ComponentStatus"]
    entry = next(r for r in resource_list("", "v1")["resources"] if r["name"] == "componentstatuses")
    assert entry == {"name": "componentstatuses", "singularName": "componentstatus", "namespaced": False,
                     "kind": "ComponentStatus", "verbs": ["get", "list"], "shortNames": ["cs"]}
