"""Probe and lifecycle-handler validation and defaulting with v1.32's messages, field paths and order.

Upstream: pkg/apis/core/validation/validation.go (validateLivenessProbe, validateReadinessProbe,
validateStartupProbe, validateProbe, validateHandler, validateExecAction, validateHTTPGetAction,
validateTCPSocketAction, validateGRPCAction, validateSleepAction, validateLifecycle) and
pkg/apis/core/v1 defaults (SetDefaults_HTTPGetAction, GRPCAction.Service ``+default=""``).
"""

import copy

import pytest
from apikit import prepared

from k8slearn import Cluster
from k8slearn.api.defaults import apply_defaults
from k8slearn.api.validation import validate

C = "spec.containers[0]"
HEADER_MSG = ("a valid HTTP header must consist of alphanumeric characters or '-' "
              "(e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')")
PORT_RANGE = "must be between 1 and 65535, inclusive"
EXEC = {"exec": {"command": ["true"]}}


def pod(**container) -> dict:
    return prepared({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                     "spec": {"containers": [{"name": "web", "image": "nginx", **container}]}})


def sidecar(**container) -> dict:
    return prepared({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                     "spec": {"containers": [{"name": "web", "image": "nginx"}],
                              "initContainers": [{"name": "side", "image": "busybox",
                                                  "restartPolicy": "Always", **container}]}})


CASES = [
    (pod(livenessProbe=EXEC, readinessProbe=EXEC, startupProbe=EXEC), [],
     "three valid exec probes pass"),
    (pod(livenessProbe={"grpc": {"port": 2379}},
         readinessProbe={"httpGet": {"port": "http", "scheme": "HTTPS",
                                     "httpHeaders": [{"name": "X-Ok-1", "value": "v"}]}},
         startupProbe={"tcpSocket": {"port": 80}, "terminationGracePeriodSeconds": 5}), [],
     "a grpc, an HTTPS httpGet with a good header and a startup probe with a grace period pass"),
    (pod(readinessProbe={**EXEC, "terminationGracePeriodSeconds": 5}),
     [f"{C}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: "
      "must not be set for readinessProbes"],
     "a readinessProbe may not set terminationGracePeriodSeconds"),
    (pod(livenessProbe={**EXEC, "terminationGracePeriodSeconds": 0}),
     [f"{C}.livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0"],
     "a probe's terminationGracePeriodSeconds must be greater than 0"),
    (pod(startupProbe={**EXEC, "terminationGracePeriodSeconds": -3}),
     [f"{C}.startupProbe.terminationGracePeriodSeconds: Invalid value: -3: must be greater than 0"],
     "a startup probe's negative terminationGracePeriodSeconds is refused too"),
    (pod(readinessProbe={**EXEC, "terminationGracePeriodSeconds": 0, "initialDelaySeconds": -1}),
     [f"{C}.readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0",
      f"{C}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0",
      f"{C}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 0: "
      "must not be set for readinessProbes"],
     "a readinessProbe grace period of 0 gets validateProbe's errors, then the readiness-only one"),
    (pod(readinessProbe={"exec": {"command": []}}),
     [f"{C}.readinessProbe.exec.command: Required value"],
     "an exec probe needs a command"),
    (pod(livenessProbe={"exec": {}}),
     [f"{C}.livenessProbe.exec.command: Required value"],
     "an exec probe without a command field needs one as well"),
    (pod(readinessProbe={"httpGet": {"port": 80, "scheme": "https"}}),
     [f'{C}.readinessProbe.httpGet.scheme: Unsupported value: "https": supported values: "HTTP", "HTTPS"'],
     "the httpGet scheme is case-sensitive and lists HTTP and HTTPS"),
    (pod(readinessProbe={"httpGet": {"port": 80, "httpHeaders": [{"name": "bad header", "value": "x"},
                                                                 {"name": "Good", "value": "y"},
                                                                 {"name": "", "value": "z"}]}}),
     [f'{C}.readinessProbe.httpGet.httpHeaders: Invalid value: "bad header": {HEADER_MSG}',
      f'{C}.readinessProbe.httpGet.httpHeaders: Invalid value: "": {HEADER_MSG}'],
     "each bad httpHeaders name is reported at httpHeaders without an index"),
    (pod(livenessProbe={"httpGet": {"port": 0, "scheme": "ftp",
                                    "httpHeaders": [{"name": "a:b", "value": "v"}]}}),
     [f"{C}.livenessProbe.httpGet.port: Invalid value: 0: {PORT_RANGE}",
      f'{C}.livenessProbe.httpGet.scheme: Unsupported value: "ftp": supported values: "HTTP", "HTTPS"',
      f'{C}.livenessProbe.httpGet.httpHeaders: Invalid value: "a:b": {HEADER_MSG}'],
     "httpGet errors come in the order port, scheme, headers"),
    (pod(readinessProbe={"grpc": {"port": 0}}),
     [f"{C}.readinessProbe.grpc.port: Invalid value: 0: {PORT_RANGE}"],
     "a grpc port of 0 is out of range"),
    (pod(startupProbe={"grpc": {"port": 65536}}),
     [f"{C}.startupProbe.grpc.port: Invalid value: 65536: {PORT_RANGE}"],
     "a grpc port above 65535 is out of range"),
    (pod(livenessProbe={"grpc": {}}),
     [f"{C}.livenessProbe.grpc.port: Invalid value: 0: {PORT_RANGE}"],
     "a grpc probe without a port has port 0"),
    (pod(livenessProbe={"tcpSocket": {"port": "no_such_name"}}),
     [f'{C}.livenessProbe.tcpSocket.port: Invalid value: "no_such_name": must contain only alpha-numeric '
      "characters (a-z, 0-9), and hyphens (-)"],
     "a tcpSocket port name must be an IANA service name"),
    (pod(readinessProbe={"httpGet": {"port": 0}, "exec": {"command": []}, "grpc": {"port": 0}}),
     [f"{C}.readinessProbe.exec.command: Required value",
      f"{C}.readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
      f"{C}.readinessProbe.grpc: Forbidden: may not specify more than 1 handler type"],
     "only the first handler is validated and the later ones are forbidden, in upstream's order"),
    (pod(readinessProbe={"periodSeconds": 3}),
     [f"{C}.readinessProbe: Required value: must specify a handler type"],
     "a probe without a handler is refused"),
    (pod(livenessProbe={"exec": {}, "successThreshold": 2, "timeoutSeconds": -1}),
     [f"{C}.livenessProbe.exec.command: Required value",
      f"{C}.livenessProbe.timeoutSeconds: Invalid value: -1: must be greater than or equal to 0",
      f"{C}.livenessProbe.successThreshold: Invalid value: 2: must be 1"],
     "handler errors come first, then the timings, then the liveness-only successThreshold rule"),
    (pod(livenessProbe={"exec": {}}, readinessProbe={"exec": {}}, startupProbe={"exec": {}},
         lifecycle={"postStart": {"exec": {}}}),
     [f"{C}.lifecycle.postStart.exec.command: Required value",
      f"{C}.livenessProbe.exec.command: Required value",
      f"{C}.readinessProbe.exec.command: Required value",
      f"{C}.startupProbe.exec.command: Required value"],
     "the lifecycle is validated before the liveness, readiness and startup probes"),
    (sidecar(readinessProbe={**EXEC, "terminationGracePeriodSeconds": 5},
             startupProbe={"grpc": {"port": 0}}),
     ["spec.initContainers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: "
      "must not be set for readinessProbes",
      f"spec.initContainers[0].startupProbe.grpc.port: Invalid value: 0: {PORT_RANGE}"],
     "a sidecar's probes get the same checks"),
    (pod(lifecycle={"preStop": {"httpGet": {"port": 80, "scheme": "http",
                                            "httpHeaders": [{"name": "bad header", "value": "x"}]}}}),
     [f'{C}.lifecycle.preStop.httpGet.scheme: Unsupported value: "http": supported values: "HTTP", "HTTPS"',
      f'{C}.lifecycle.preStop.httpGet.httpHeaders: Invalid value: "bad header": {HEADER_MSG}'],
     "a lifecycle httpGet handler gets the scheme and header checks a probe gets"),
    (pod(lifecycle={"postStart": {"tcpSocket": {"port": 0}}, "preStop": {"exec": {"command": []}}}),
     [f"{C}.lifecycle.postStart.tcpSocket.port: Invalid value: 0: {PORT_RANGE}",
      f"{C}.lifecycle.preStop.exec.command: Required value"],
     "postStart is validated before preStop"),
    (pod(lifecycle={"preStop": {"exec": {"command": ["true"]}, "sleep": {"seconds": 1}}}),
     [f"{C}.lifecycle.preStop.sleep: Forbidden: may not specify more than 1 handler type"],
     "a lifecycle hook with two handlers forbids the second"),
    (pod(lifecycle={"postStart": {}}),
     [f"{C}.lifecycle.postStart: Required value: must specify a handler type"],
     "a lifecycle hook without a handler is refused"),
]


@pytest.mark.parametrize("obj,expected", [c[:2] for c in CASES], ids=[c[2] for c in CASES])
def test_probe_validation(obj, expected):
    assert [e.error() for e in validate(obj)] == expected


def _defaulted(container: dict) -> dict:
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
           "spec": {"containers": [{"name": "web", "image": "nginx", **copy.deepcopy(container)}]}}
    apply_defaults(obj)
    return obj["spec"]["containers"][0]


DEFAULT_CASES = [
    ({"livenessProbe": {"grpc": {"port": 2379}}}, ("livenessProbe", "grpc"),
     {"port": 2379, "service": ""}, "a grpc probe's service defaults to the empty string"),
    ({"readinessProbe": {"grpc": {"port": 2379, "service": None}}}, ("readinessProbe", "grpc"),
     {"port": 2379, "service": ""}, "a null grpc service defaults to the empty string"),
    ({"startupProbe": {"grpc": {"port": 2379, "service": "liveness"}}}, ("startupProbe", "grpc"),
     {"port": 2379, "service": "liveness"}, "a grpc service that is set is kept"),
    ({"readinessProbe": {"httpGet": {"port": 80, "path": "", "scheme": ""}}}, ("readinessProbe", "httpGet"),
     {"port": 80, "path": "/", "scheme": "HTTP"},
     "an empty httpGet path and scheme are defaulted like missing ones"),
    ({"lifecycle": {"preStop": {"httpGet": {"port": 80, "path": ""}}}}, ("lifecycle", "preStop", "httpGet"),
     {"port": 80, "path": "/", "scheme": "HTTP"}, "a lifecycle httpGet is defaulted as a probe's is"),
]


@pytest.mark.parametrize("container,where,expected", [c[:3] for c in DEFAULT_CASES],
                         ids=[c[3] for c in DEFAULT_CASES])
def test_probe_defaults(container, where, expected):
    value = _defaulted(container)
    for key in where:
        value = value[key]
    assert value == expected


POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.1-0
    {probe}:
      {handler}
{extra}"""


def test_kubectl_refuses_a_readiness_grace_period_and_creates_nothing():
    c = Cluster(workers=1, seed=0)
    r = c.kubectl("apply -f -", stdin=POD.format(name="rp", probe="readinessProbe",
                                                  handler="exec: {command: [cat, /x]}",
                                                  extra="      terminationGracePeriodSeconds: 5\n"))
    assert (r.stdout, r.stderr, r.code) == (
        "", 'The Pod "rp" is invalid: spec.containers[0].readinessProbe.terminationGracePeriodSeconds: '
        "Invalid value: 5: must not be set for readinessProbes\n", 1)
    assert c.kubectl("get pods").stderr == "No resources found in default namespace.\n"


def test_get_pod_yaml_shows_the_defaulted_grpc_service():
    c = Cluster(workers=1, seed=0)
    r = c.kubectl("apply -f -", stdin=POD.format(name="g", probe="livenessProbe",
                                                  handler="grpc: {port: 2379}", extra=""))
    assert r.code == 0, r.stderr
    out = c.kubectl("get pod g -o yaml").stdout
    assert "      grpc:\n        port: 2379\n        service: \"\"\n" in out
