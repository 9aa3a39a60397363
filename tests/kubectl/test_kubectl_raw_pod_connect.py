"""kubectl get --raw on a pod's connect subresources (log, exec, attach, portforward), and kubectl
attach to a pod the API server cannot forward to.

Upstream: pkg/registry/core/pod/strategy.go (LogLocation, streamLocation, PortForwardLocation,
validateContainer), pkg/registry/core/pod/rest/log.go (LogREST.Get: ValidatePodLogOptions, then
errors.NewInvalid(api.Kind("PodLogOptions"), ...)), staging/src/k8s.io/apimachinery/pkg/util/proxy
(UpgradeAwareHandler: a request that does not upgrade is "Upgrade request required"),
staging/src/k8s.io/apimachinery/pkg/runtime/conversion.go (query parameters: strconv.ParseInt,
Convert_Slice_string_To_bool).
"""

import pytest

from k8slearn import Cluster

PODS = """apiVersion: v1
kind: Pod
metadata: {name: unplaced}
spec:
  nodeSelector: {disk: nowhere}
  containers: [{name: shell, image: busybox, stdin: true, tty: true}]
---
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  initContainers: [{name: init, image: busybox, command: [sh, -c, "echo hi from init"]}]
  containers:
  - {name: a, image: busybox, command: [sh, -c, "for i in 1 2 3; do echo line $i; sleep 1; done; sleep 3600"]}
  - {name: b, image: nginx}
"""
P = "/api/v1/namespaces/default/pods/"


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0, current=False)
    c.settle()
    assert c.kubectl("apply -f -", stdin=PODS).code == 0
    c.settle()
    c.run(seconds=10)
    return c


@pytest.mark.parametrize("path, stdout, stderr", [
    pytest.param("two/log?container=a", "line 1\nline 2\nline 3\n", "", id="a container's log comes as plain text"),
    pytest.param("two/log?container=a&tailLines=1", "line 3\n", "", id="tailLines keeps the last lines"),
    pytest.param("two/log?container=a&limitBytes=3", "lin", "", id="limitBytes cuts the log"),
    pytest.param("two/log?container=init", "hi from init\n", "", id="an init container's log can be read"),
    pytest.param("two/log?container=a&sinceSeconds=1", "", "", id="sinceSeconds keeps only recent lines"),
    pytest.param("unplaced/log", "", "", id="a pod not yet on a node has an empty log"),
    pytest.param("two/log",
                 "", "Error from server (BadRequest): a container name must be specified for pod two, "
                     "choose one of: [a b] or one of the init containers: [init]\n",
                 id="a pod of several containers needs one named"),
    pytest.param("two/log?container=zz", "", "Error from server (BadRequest): container zz is not valid for pod two\n",
                 id="a container the pod does not have is refused"),
    pytest.param("nope/log", "", 'Error from server (NotFound): pods "nope" not found\n', id="no such pod is a 404"),
    pytest.param("two/log?container=a&tailLines=x", "",
                 'Error from server (BadRequest): strconv.ParseInt: parsing "x": invalid syntax\n',
                 id="a number that does not parse is the decoder's 400"),
    pytest.param("two/log?container=a&tailLines=-1", "",
                 'The PodLogOptions "two" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0\n',
                 id="a negative tailLines is invalid"),
    pytest.param("two/log?container=a&previous", "",
                 'Error from server (BadRequest): previous terminated container "a" in pod "two" not found\n',
                 id="an empty previous parameter is true and there was no previous run"),
    pytest.param("two/log?container=a&previous=false&tailLines=1", "line 3\n", "", id="previous=false reads the current run"),
    pytest.param("two/exec?container=a&command=ls", "", "Error from server (BadRequest): Upgrade request required\n",
                 id="a plain GET of exec is refused: exec only upgrades to a stream"),
    pytest.param("two/attach?container=a", "", "Error from server (BadRequest): Upgrade request required\n",
                 id="a plain GET of attach is refused the same way"),
    pytest.param("two/portforward", "", "Error from server (BadRequest): Upgrade request required\n",
                 id="a plain GET of portforward is refused the same way"),
    pytest.param("two/exec", "", "Error from server (BadRequest): a container name must be specified for pod two, "
                                 "choose one of: [a b] or one of the init containers: [init]\n",
                 id="exec checks the container before the upgrade"),
    pytest.param("unplaced/exec", "", "Error from server (BadRequest): pod unplaced does not have a host assigned\n",
                 id="exec into a pod not yet on a node is refused"),
    pytest.param("unplaced/portforward", "",
                 "Error from server (BadRequest): pod unplaced does not have a host assigned\n",
                 id="portforward to a pod not yet on a node is refused"),
])
def test_get_raw_of_a_pods_connect_subresource_answers_as_the_api_server(cluster, path, stdout, stderr):
    r = cluster.kubectl(["get", "--raw", P + path])
    assert (r.stdout, r.stderr, r.code) == (stdout, stderr, 1 if stderr else 0)


def test_get_raw_of_a_namespaced_object_without_its_namespace_is_not_a_route(cluster):
    r = cluster.kubectl(["get", "--raw", "/api/v1/pods/two"])
    assert (r.stdout, r.stderr, r.code) == (
        "", "Error from server (NotFound): the server could not find the requested resource\n", 1)


def test_attach_to_a_pod_not_yet_on_a_node_is_the_api_servers_refusal(cluster):
    r = cluster.kubectl("attach unplaced")
    assert r.code == 1
    assert r.stderr.endswith("Error from server (BadRequest): pod unplaced does not have a host assigned\n")


def test_attach_and_raw_log_to_a_pod_on_a_stopped_node_cannot_reach_its_kubelet():
    c = Cluster(workers=1, seed=0, current=False)
    c.settle()
    c.kubectl("run web --image=nginx")
    c.settle()
    ip = c.kubelets["node-1"].ip
    c.stop_node("node-1")
    c.run(seconds=1)
    r = c.kubectl("attach web")
    assert r.stderr.endswith(f"Error from server: error dialing backend: dial tcp {ip}:10250: connect: "
                             f"no route to host\n")
    r = c.kubectl(["get", "--raw", P + "web/log"])
    assert r.stderr == (f'Error from server: Get "https://{ip}:10250/containerLogs/default/web/web": '
                        f"dial tcp {ip}:10250: connect: no route to host\n")
