"""Service, Node, Namespace, ConfigMap, Secret, Lease, PriorityClass and Event validation, and the
check that every kubectl-made fixture manifest is valid after defaulting."""

import copy

import pytest

from k8slearn.api.validation import decode_check, decode_error, validate

from apikit import MANIFESTS, manifest, prepared

DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
           "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
           "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")


def messages(obj, old=None) -> list[str]:
    return [e.error() for e in validate(obj, old)]


@pytest.mark.parametrize("name", sorted(p.name for p in MANIFESTS.glob("*.yaml")),
                         ids=lambda n: f"the {n} manifest is valid after defaulting")
def test_every_fixture_manifest_is_valid_after_defaulting(name):
    assert messages(prepared(manifest(name))) == []


def service(change=None) -> dict:
    obj = manifest("service-s.yaml")
    if change:
        change(obj)
    return prepared(obj)


SERVICES = [
    (lambda s: s["metadata"].update(name="1web"), [f'metadata.name: Invalid value: "1web": {DNS1035}'],
     "a service name must be a DNS-1035 label"),
    (lambda s: s["spec"].update(ports=[]), ["spec.ports: Required value"], "a service without ports"),
    (lambda s: s["spec"]["ports"].append({"port": 70000}),
     ["spec.ports[1].name: Required value",
      "spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
      "spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
     "a second, unnamed port out of range"),
    (lambda s: s["spec"].update(type="Magic"),
     ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
     "an unknown service type"),
    (lambda s: s["spec"]["ports"][0].update(nodePort=30080),
     ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
     "a node port on a ClusterIP service"),
    (lambda s: s["spec"].update(clusterIP="not-an-ip"),
     ['spec.clusterIPs[0]: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
     "a cluster IP that is not an IP"),
    (lambda s: s["spec"].update(sessionAffinity="Sticky"),
     ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
     "an unknown session affinity"),
    (lambda s: s["spec"]["ports"].append({"name": "again", "port": 80, "protocol": "TCP"}),
     ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), '
      'Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
     "the same port and protocol twice"),
]


@pytest.mark.parametrize("change,expected", [s[:2] for s in SERVICES], ids=[s[2] for s in SERVICES])
def test_service_validation(change, expected):
    assert messages(service(change)) == expected


def test_a_services_cluster_ip_may_not_change_once_set():
    old = service(lambda s: s["spec"].update(clusterIP="10.96.0.10"))
    new = copy.deepcopy(old)
    new["spec"]["clusterIP"] = "10.96.0.11"
    assert messages(new,
                    old) == ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']


def test_a_service_update_without_a_cluster_ip_keeps_the_old_one():
    old = service(lambda s: s["spec"].update(clusterIP="10.96.0.10"))
    assert messages(service(), old) == []


NAMES = [
    ({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev.team"}},
     ['metadata.name: Invalid value: "dev.team": must not contain dots'],
     "a namespace name may not contain dots"),
    ({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node_1"}},
     ['metadata.name: Invalid value: "node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
      "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
      "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
     "a node name must be a DNS subdomain"),
    ({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a b": "x"}},
     ['data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or '
      "'.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
     "a config map key with a space"),
    ({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tls"}, "type": "kubernetes.io/tls",
      "data": {}},
     ["data[tls.crt]: Required value", "data[tls.key]: Required value"], "a TLS secret without its key pair"),
    ({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "node-1"},
      "spec": {"leaseDurationSeconds": 0}},
     ["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"], "a lease that lasts no time"),
    ({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "huge"},
      "value": 2000000000},
     ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"],
     "a user priority above one billion"),
    ({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "system-mine"},
      "value": 1},
     ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. "
      "error: system-mine is not a known system priority class"], "a made-up system priority class"),
    ({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}, "spec": {"taints": [
        {"key": "a", "effect": "NoSchedule"}, {"key": "a", "effect": "NoSchedule"}, {"key": "b", "effect": "Often"}]}},
     ['spec.taints[1]: Duplicate value: core.Taint{Key:"a", Value:"", Effect:"NoSchedule", TimeAdded:<nil>}: '
      "taints must be unique by key and effect pair",
      'spec.taints[2].effect: Unsupported value: "Often": supported values: "NoSchedule", "PreferNoSchedule", '
      '"NoExecute"'], "a duplicate taint and an unknown effect"),
    ({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web.1", "namespace": "default"},
      "involvedObject": {"kind": "Pod", "name": "web", "namespace": "other"}, "reason": "Started"},
     ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
     "an event about an object in another namespace"),
]


@pytest.mark.parametrize("obj,expected", [n[:2] for n in NAMES], ids=[n[2] for n in NAMES])
def test_core_kinds_validation(obj, expected):
    assert messages(prepared(obj)) == expected


def test_a_nodes_pod_cidr_may_only_be_set_once():
    old = prepared({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
                    "spec": {"podCIDR": "10.244.1.0/24"}})
    new = copy.deepcopy(old)
    new["spec"]["podCIDR"] = "10.244.2.0/24"
    assert messages(new,
                    old) == ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']


def test_an_immutable_config_map_may_not_change_its_data():
    old = prepared({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"},
                    "immutable": True})
    new = copy.deepcopy(old)
    new["data"]["a"] = "2"
    assert messages(new, old) == ["data: Forbidden: field is immutable when `immutable` is set"]


def test_a_priority_class_value_may_not_change():
    old = prepared(manifest("priorityclass-high.yaml"))
    new = copy.deepcopy(old)
    new["value"] = 2000
    assert messages(new, old) == ["value: Forbidden: may not be changed in an update."]


def test_a_namespace_update_only_checks_metadata():
    old = prepared(manifest("namespace-dev.yaml"))
    new = copy.deepcopy(old)
    new["metadata"]["labels"]["team"] = "a"
    assert messages(new, old) == []


DECODE = [
    ({"apiVersion": "v1", "kind": "Pod",
      "spec": {"containers": [{"resources": {"limits": {"cpu": "lots"}}}]}},
     'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '
     "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", "a malformed cpu limit cannot be decoded"),
    ({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": {"containers": [
        {"resources": {"requests": {"memory": "1K"}}}]}}}},
     "Deployment in version \"v1\" cannot be handled as a Deployment: unable to parse quantity's suffix",
     "a bad suffix inside a template cannot be decoded"),
    ({"apiVersion": "v1", "kind": "Pod",
      "spec": {"containers": [{"resources": {"limits": {"cpu": True}}}]}},
     'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '
     "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
     "a bool for a quantity is parsed by Quantity's own UnmarshalJSON, and fails as a malformed one"),
    ({"apiVersion": "v1", "kind": "Pod",
      "spec": {"containers": [{"resources": {"requests": {"memory": {"a": 1}}}}]}},
     'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '
     "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", "an object for a quantity too"),
    (manifest("deployment-web.yaml"), None, "a manifest with good quantities decodes"),
]


@pytest.mark.parametrize("obj,message", [d[:2] for d in DECODE], ids=[d[2] for d in DECODE])
def test_decode_check_reports_malformed_quantities(obj, message):
    assert decode_check(obj) == message


TYPE_ERRORS = [
    ({"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"version": 1}}},
     "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
     "an unquoted number as a label value"),
    ({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"metadata": {"annotations": {"a": True}}}}},
     "json: cannot unmarshal bool into Go struct field ObjectMeta.spec.template.metadata.annotations of type string",
     "an unquoted boolean as a template annotation"),
    ({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"env": [{"name": "PORT", "value": 8080}]}]}},
     "json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string",
     "an unquoted number as an environment value"),
    ({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "3"}},
     "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
     "quoted replicas"),
    ({"apiVersion": "v1", "kind": "ConfigMap", "data": {"port": 80}},
     "json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
     "an unquoted number in config map data"),
]


@pytest.mark.parametrize("obj,problem", [t[:2] for t in TYPE_ERRORS], ids=[t[2] for t in TYPE_ERRORS])
def test_decode_error_reports_values_of_the_wrong_json_type(obj, problem):
    assert decode_error(obj) == problem


MORE_TYPE_ERRORS = [
    ({"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"port": "80"}]}},
     "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32",
     "a quoted service port"),
    ({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"ports": [{"containerPort": "80"}]}]}},
     "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
     "a quoted container port"),
    ({"apiVersion": "batch/v1", "kind": "Job", "spec": {"backoffLimit": "6"}},
     "json: cannot unmarshal string into Go struct field JobSpec.spec.backoffLimit of type int32",
     "a quoted backoff limit"),
]


@pytest.mark.parametrize("obj,problem", [t[:2] for t in MORE_TYPE_ERRORS], ids=[t[2] for t in MORE_TYPE_ERRORS])
def test_decode_error_reports_quoted_integers(obj, problem):
    assert decode_error(obj) == problem


def test_a_value_of_the_wrong_type_that_slips_past_decoding_is_one_internal_error_not_a_crash():
    obj = prepared({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "containers": [{"name": "c", "image": "x"}],
        "affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": "5"}]}}}})
    [err] = validate(obj)
    assert err.type == "InternalError" and err.error().startswith(": Internal error: unable to validate the object")


BINDINGS = [
    ({"target": {"kind": "Node", "name": "node-1"}}, [], "a binding to a node is valid"),
    ({"target": {"name": "node-1"}}, [], "a binding with no target kind is valid"),
    ({"target": {"kind": "Pod"}}, ['target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
                                   "target.name: Required value"], "a binding to a pod without a name"),
]


@pytest.mark.parametrize("body,expected", [b[:2] for b in BINDINGS], ids=[b[2] for b in BINDINGS])
def test_pod_binding_validation(body, expected):
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "web"}, **body}
    assert messages(binding) == expected
