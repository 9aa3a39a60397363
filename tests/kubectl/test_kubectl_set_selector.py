"""kubectl set selector against the simulated cluster, with kubectl v1.32's texts (set_selector.go;
the client-side ones checked against the real kubectl 1.32 binary)."""

import pytest

from k8slearn import Cluster

NOT_GIVEN = ("error: You must provide one or more resources by argument or filename.\nExample resource "
             "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n"
             "   '<resource>'\n")

FILE = """apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: blue}
  ports: [{port: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
"""


@pytest.fixture(scope="module")
def blue_green():
    """Two Deployments, blue and green, and a Service web in front of blue."""
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment blue --image=nginx")
    c.kubectl("create deployment green --image=nginx")
    c.kubectl("expose deployment blue --name=web --port=80")
    c.settle()
    return c


def selector(c):
    return c.api.get("services", "web")["spec"].get("selector")


def endpoint_pods(c):
    subsets = c.api.get("endpoints", "web").get("subsets") or []
    return [a["targetRef"]["name"].rsplit("-", 2)[0] for s in subsets for a in s.get("addresses", [])]


@pytest.mark.parametrize("command, stderr", [
    ("set selector", "error: one selector is required\n"),
    ("set selector app=green", NOT_GIVEN),  # the last argument is the selector, not a resource
    ("set selector svc/web 'app!=green'", 'error: "!=" is not a valid label selector operator\n'),
    ("set selector svc/web 'bad key=x'", "error: couldn't parse the selector string \"bad key=x\": unable to parse "
                                         "requirement: found 'key', expected: in, notin, =, ==, !=, gt, lt\n"),
    ("set selector svc/web 'app=green,tier in (a)'",
     "error: match expression [{tier In [a]}] not supported on this object\n"),
    ("set selector deployment/blue app=green", "error: setting a selector is only supported for Services\n"),
    ("set selector svc/web app=green --local",
     "error: you must specify resources by --filename when --local is set.\nExample resource specifications "
     "include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"),
    ("set selector svc/web app=green --resource-version=1",
     'Error from server (Conflict): Operation cannot be fulfilled on services "web": the object has been '
     'modified; please apply your changes to the latest version and try again\n'),
])
def test_a_refused_set_selector_prints_kubectls_error_and_changes_nothing(blue_green, command, stderr):
    revision = blue_green.etcd.revision
    r = blue_green.kubectl(command)
    assert (r.stdout, r.stderr, r.code) == ("", stderr, 1)
    assert blue_green.etcd.revision == revision
    assert selector(blue_green) == {"app": "blue"}


@pytest.mark.parametrize("command, stdout", [
    ("set selector svc/web app=green --dry-run=server", "service/web selector updated (server dry run)\n"),
    ("set selector svc/web app=green --dry-run=client -o jsonpath={.spec.selector}", '{"app":"green"}'),
])
def test_a_dry_run_shows_the_new_selector_and_keeps_the_old(blue_green, command, stdout):
    r = blue_green.kubectl(command)
    assert (r.stdout, r.stderr, r.code) == (stdout, "", 0)
    assert selector(blue_green) == {"app": "blue"}


def test_switching_the_selector_moves_the_service_from_blue_pods_to_green_pods():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment blue --image=nginx")
    c.kubectl("create deployment green --image=nginx")
    c.kubectl("expose deployment blue --name=web --port=80")
    c.settle()
    assert endpoint_pods(c) == ["blue"]
    r = c.kubectl("set selector service/web app=green")
    assert (r.stdout, r.stderr, r.code) == ("service/web selector updated\n", "", 0)
    c.settle()
    assert selector(c) == {"app": "green"}
    assert endpoint_pods(c) == ["green"]
    r = c.kubectl("set selector service/web ''")  # an empty selector removes it
    assert (r.stdout, r.code) == ("service/web selector updated\n", 0)
    assert selector(c) is None


def test_a_missing_service_is_an_error_after_the_others_are_updated():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create service clusterip web --tcp=80")
    r = c.kubectl("set selector svc/web svc/nope app=green")
    assert (r.stdout, r.stderr, r.code) == ("service/web selector updated\n",
                                            'Error from server (NotFound): services "nope" not found\n', 1)
    assert selector(c) == {"app": "green"}


@pytest.mark.parametrize("selector_arg, stdout, stderr", [
    ("app=green", "selector: {app: green}\n",
     "error: setting a selector is only supported for Services\n"),
    ("app=green,tier in (a)", "",  # two errors: printed together, one a line, without "error: "
     "match expression [{tier In [a]}] not supported on this object\n"
     "setting a selector is only supported for Services\n"),
])
def test_local_changes_the_file_objects_in_memory_and_sends_nothing(blue_green, selector_arg, stdout, stderr):
    revision = blue_green.etcd.revision
    r = blue_green.kubectl(["set", "selector", "-f", "-", selector_arg, "--local", "-o",
                            "go-template=selector: {{`{`}}app: {{.spec.selector.app}}{{`}`}}\n"], stdin=FILE)
    assert (r.stdout, r.stderr, r.code) == (stdout, stderr, 1)
    assert blue_green.etcd.revision == revision
