"""Pod validation on create and update, with the API server's exact messages."""

import copy

import pytest

from k8slearn.api import errors
from k8slearn.api.meta import freeze as _freeze
from k8slearn.api.resources import lookup
from k8slearn.api.validation import common as _common
from k8slearn.api.validation import pod as _pod
from k8slearn.api.validation import validate

from apikit import prepared

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
             "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def pod(name="web", containers=None, **spec) -> dict:
    if containers is None:
        containers = [{"name": "web", "image": "nginx"}]
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
           "spec": {"containers": containers, **spec}}
    return prepared(obj)


def errors_of(obj, old=None) -> list[str]:
    return [e.error() for e in validate(obj, old)]


CREATE = [
    (pod(), [], "a pod with one named container and an image is valid"),
    (pod(containers=[{"name": "web"}]), ["spec.containers[0].image: Required value"],
     "a container without an image"),
    (pod(containers=[]), ["spec.containers: Required value"], "a pod without containers"),
    (pod(containers=[{"image": "nginx"}]), ["spec.containers[0].name: Required value"],
     "a container without a name"),
    (pod(containers=[{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]),
     ['spec.containers[1].name: Duplicate value: "a"'], "two containers with the same name"),
    (pod(containers=[{"name": "a", "image": "x", "ports": [{"containerPort": 70000}]}]),
     ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
     "a container port above 65535"),
    (pod(containers=[{"name": "a", "image": "x", "ports": [{"containerPort": 80, "protocol": "HTTP"}]}]),
     ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
     "an unknown port protocol"),
    (pod(restartPolicy="Sometimes"),
     ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
     "an unknown restart policy"),
    (pod(dnsPolicy="Google"),
     ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", '
      '"Default", "None"'], "an unknown DNS policy"),
    (pod(containers=[{"name": "a", "image": "x",
                      "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}]),
     ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
     "a cpu request above its limit"),
    (pod(containers=[{"name": "a", "image": "x", "resources": {"requests": {"memory": "-1Gi"}}}]),
     ['spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0'],
     "a negative memory request"),
    (pod(containers=[{"name": "a", "image": "x", "resources": {"requests": {"gpu": "1"}}}]),
     ['spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers'],
     "an unqualified non-standard resource name"),
    (pod(containers=[{"name": "Web", "image": "x"}]),
     ['spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case '
      "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
      "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
     "an uppercase container name"),
    (pod(containers=[{"name": "a", "image": " nginx"}]),
     ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
     "an image with a leading space"),
    (pod(tolerations=[{"key": "a", "operator": "Exists", "value": "x"}]),
     ['spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"a", Operator:"Exists", Value:"x", '
      "Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'"],
     "an Exists toleration with a value"),
    (pod(tolerations=[{"operator": "Equal", "value": "x"}]),
     ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means '
      '"match all values and all keys"'], "a keyless toleration that is not Exists"),
    (pod(nodeSelector={"disk": "fast ssd"}),
     ['spec.nodeSelector: Invalid value: "fast ssd": a valid label must be an empty string or consist of alphanumeric '
      "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
     "a node selector value with a space"),
    (pod(affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}}}),
     ["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: "
      "must have at least one node selector term"], "required node affinity without terms"),
    (pod(affinity={"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 0, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname"}}]}}),
     ["spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: "
      "must be in the range 1-100"], "a preferred anti-affinity term with weight zero"),
    (pod(containers=[{"name": "a", "image": "x", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]),
     ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
     "a mount of a volume that does not exist"),
    (pod(activeDeadlineSeconds=0),
     ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"],
     "a zero active deadline"),
]


@pytest.mark.parametrize("obj,expected", [c[:2] for c in CREATE], ids=[c[2] for c in CREATE])
def test_pod_create_validation(obj, expected):
    assert errors_of(obj) == expected


def test_a_pod_missing_its_image_gets_the_full_invalid_status():
    err = errors.invalid(lookup("pods"), "web", validate(pod(containers=[{"name": "web"}])))
    assert str(err) == 'Pod "web" is invalid: spec.containers[0].image: Required value'
    assert err.status["details"]["causes"] == [
        {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers[0].image"}]


def test_a_pod_named_my_pod_gets_the_rfc_1123_subdomain_message():
    err = errors.invalid(lookup("pods"), "My_Pod", validate(pod(name="My_Pod")))
    assert str(err) == f'Pod "My_Pod" is invalid: metadata.name: Invalid value: "My_Pod": {SUBDOMAIN}'


METADATA = [
    ({}, ["metadata.name: Required value: name or generateName is required"], "a pod without a name"),
    ({"generateName": "Web-"}, ['metadata.generateName: Invalid value: "Web-": ' + SUBDOMAIN,
                                "metadata.name: Required value: name or generateName is required"],
     "a bad generateName is checked with its trailing dash masked"),
    ({"name": "web", "labels": {"app": "a b"}},
     ['metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric '
      "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
     "a label value with a space"),
    ({"name": "web", "annotations": {"bad key!": "x"}},
     ['metadata.annotations: Invalid value: "bad key!": name part must consist of alphanumeric characters, '
      "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
      "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
     "an annotation key with a space"),
    ({"name": "web", "finalizers": ["custom"]},
     ['metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully '
      "qualified"], "an unqualified custom finalizer"),
    ({"name": "web", "namespace": "Dev"},
     ['metadata.namespace: Invalid value: "Dev": a lowercase RFC 1123 label must consist of lower case alphanumeric '
      "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
      "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"], "an uppercase namespace"),
]


@pytest.mark.parametrize("meta,expected", [m[:2] for m in METADATA], ids=[m[2] for m in METADATA])
def test_object_meta_validation(meta, expected):
    obj = pod()
    obj["metadata"] = meta
    assert errors_of(obj) == expected


FORBIDDEN_PREFIX = ("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
                    "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
                    "previously negative)\n")


def _updated(change) -> tuple[dict, dict]:
    old = pod(tolerations=[{"key": "a", "operator": "Exists", "effect": "NoExecute",
                            "tolerationSeconds": 30}])
    old["metadata"]["resourceVersion"] = "5"
    new = copy.deepcopy(old)
    change(new)
    return prepared(new), old


UPDATES = [
    (lambda p: p["spec"]["containers"][0].update(image="nginx:1.27"), [],
     "changing a container image is allowed"),
    (lambda p: p["spec"].update(activeDeadlineSeconds=60), [], "setting an active deadline is allowed"),
    (lambda p: p["spec"]["tolerations"].append({"key": "b", "operator": "Exists"}), [],
     "adding a toleration is allowed"),
    (lambda p: p["spec"]["tolerations"][0].update(tolerationSeconds=60), [],
     "changing only tolerationSeconds is allowed"),
    (lambda p: p["metadata"].update(labels={"app": "web"}), [], "changing labels is allowed"),
    (lambda p: p["spec"]["tolerations"][0].update(key="c"),
     ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"],
     "changing a toleration's key is forbidden"),
    (lambda p: p["spec"]["containers"].append({"name": "side", "image": "busybox"}),
     ["spec.containers: Forbidden: pod updates may not add or remove containers"],
     "adding a container is forbidden"),
    (lambda p: p["metadata"].update(name="web2"),
     ['metadata.name: Invalid value: "web2": field is immutable'], "renaming is forbidden"),
    (lambda p: p["metadata"].update(uid="other"),
     ['metadata.uid: Invalid value: "other": field is immutable'], "changing the uid is forbidden"),
]


@pytest.mark.parametrize("change,expected", [u[:2] for u in UPDATES], ids=[u[2] for u in UPDATES])
def test_pod_update_validation(change, expected):
    new, old = _updated(change)
    assert errors_of(new, old) == expected


def test_changing_any_other_field_of_a_pod_gets_the_forbidden_message_and_a_diff():
    ports = [{"containerPort": 80, "protocol": "TCP"}]
    new, old = _updated(lambda p: p["spec"]["containers"][0].update(ports=ports))
    [message] = errors_of(new, old)
    assert message.startswith(FORBIDDEN_PREFIX + "  core.PodSpec{\n")
    assert '- \tContainers: [{"image": "nginx"' in message and "+ \tContainers: " in message


def test_changing_the_node_name_is_a_forbidden_pod_update():
    new, old = _updated(lambda p: p["spec"].update(nodeName="node-2"))
    [message] = errors_of(new, old)
    assert message.startswith(FORBIDDEN_PREFIX) and '+ \tNodeName: "node-2",' in message


def test_raising_an_active_deadline_is_rejected():
    new, old = _updated(lambda p: p["spec"].update(activeDeadlineSeconds=60))
    newer = copy.deepcopy(new)
    newer["spec"]["activeDeadlineSeconds"] = 120
    assert errors_of(newer, new) == [
        "spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value"]


def stored(**meta):
    obj = pod()
    obj["metadata"].update({"namespace": "default", "uid": "u-1", "resourceVersion": "5",
                            "creationTimestamp": "2026-01-05T09:00:00Z", **meta})
    obj["status"] = {"phase": "Pending", "qosClass": "BestEffort"}
    return obj


def status_update(old, **meta):
    """What the status strategy makes of a kubelet's write: the stored object, its status and annotations."""
    new = copy.deepcopy(old)
    new["metadata"].update(meta)
    new["status"] = {"phase": "Running", "qosClass": "BestEffort", "podIP": "10.244.0.5"}
    return new


STATUS_UPDATES = [
    (status_update(stored()), [], "a kubelet's status write is valid"),
    (status_update(stored(), uid="u-2"), ['metadata.uid: Invalid value: "u-2": field is immutable'],
     "a status write may not change the uid"),
    (status_update(stored(), annotations={"bad key!": "x"}),
     ['metadata.annotations: Invalid value: "bad key!": name part must consist of alphanumeric characters, '
      "'-', '_' or '.', and must start and end with an alphanumeric character "
      "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
      "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"] * 2,
     "a bad annotation written through /status is reported by both metadata checks"),
    (status_update(stored(generation=3), generation=2),
     ["metadata.generation: Invalid value: 2: must not be decremented"], "the generation may not go down"),
]


@pytest.mark.parametrize("new", [c[0] for c in STATUS_UPDATES], ids=[c[2] for c in STATUS_UPDATES])
def test_a_status_update_gets_the_errors_of_a_plain_update_when_the_spec_is_unchanged(new):
    old = stored(generation=3) if new["metadata"].get("generation") else stored()
    got = [e.error() for e in validate(new, old, "status")]
    assert got == errors_of(new, old) == [c[1] for c in STATUS_UPDATES if c[0] is new][0]


def test_a_status_update_does_not_validate_the_stored_spec_again_as_upstream():
    old = stored()
    old["spec"]["nodeName"] = "Bad_Node"  # bound through pods/binding, which does not check the name
    new = status_update(old)
    assert errors_of(new, old)  # a plain update checks the whole spec
    assert validate(new, old, "status") == []  # ValidatePodStatusUpdate looks at metadata and status


META = {"name": "web-abcde", "generateName": "web-", "namespace": "default",
        "uid": "0b4e5a8c-1f0e-4c3a-9d7e-2f1a3b4c5d6e", "creationTimestamp": "2026-01-05T09:00:00Z",
        "labels": {"app": "web"}, "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                      "name": "web", "uid": "u", "controller": True}]}
DELETING = {**META, "deletionTimestamp": "2026-01-05T09:01:00Z", "finalizers": ["example.com/keep"]}
STATUS_META_CASES = [
    ({**META, "resourceVersion": "9"}, {**META, "resourceVersion": "8"},
     "unchanged valid metadata (the resourceVersion aside)"),
    ({**META, "resourceVersion": "9"}, {**META, "resourceVersion": "9"}, "unchanged metadata, same resourceVersion"),
    ({**META, "labels": {"app": "-web"}}, {**META, "labels": {"app": "-web"}}, "unchanged metadata with a bad label"),
    ({**META, "annotations": {"a": "b"}}, META, "metadata whose annotations changed"),
    ({**META, "uid": "other"}, META, "metadata whose uid changed"),
    ({**META, "name": float("nan")}, {**META, "name": float("nan")}, "a name that is not equal to itself"),
    ({**META, "uid": float("nan")}, {**META, "uid": float("nan")}, "a uid that is not equal to itself"),
    ({**META, "generation": {"a": 1}}, {**META, "generation": {"a": 1}}, "a generation that cannot be ordered"),
    ({**META, "generation": 2}, {**META, "generation": 2}, "an unchanged integer generation"),
    ({**META, "generation": 1}, {**META, "generation": 2}, "a decremented generation"),
    ({**META, "generation": 1}, {**META, "generation": 1.0}, "a generation equal to the old one as a float"),
    ({**META, "generation": True}, {**META, "generation": 1}, "a generation true where it was 1"),
    ({**META, "creationTimestamp": 5}, {**META, "creationTimestamp": 5}, "a creation time that is a number"),
    ({**META, "generateName": 5}, {**META, "generateName": 5}, "a generateName that is a number"),
    (DELETING, DELETING, "unchanged metadata of an object being deleted"),
    ({**DELETING, "finalizers": ["example.com/keep", "example.com/new"]}, DELETING,
     "a finalizer added while the object is being deleted"),
    ({**DELETING, "finalizers": [{"a": 1}], "labels": {1: "a", "b": "c"}},
     {**DELETING, "finalizers": [{"a": 1}], "labels": {1: "a", "b": "c"}},
     "an unhashable finalizer and labels that cannot be sorted fail the same way"),
    ({**META, "finalizers": ["keep"]}, {**META, "finalizers": ["keep"]}, "an unchanged bad finalizer"),
    ({**META, "namespace": "Bad_NS"}, {**META, "namespace": "Bad_NS"}, "an unchanged bad namespace"),
    ({**META, "labels": {"a": True}}, {**META, "labels": {"a": 1}}, "labels equal in Python but of other types"),
    (META, {**META, "annotations": {"a": "b"}}, "old metadata with a key the new one lacks"),
    ({**META, "resourceVersion": "9"}, {**META, "uid": "other", "resourceVersion": "9"},
     "the same resourceVersion but another uid"),
    (_freeze(META), _freeze(META), "read-only metadata"),
    (None, META, "no metadata at all"),
]


def plain_status_update(new, old):
    """validate_pod_status_update as the two checks alone give it."""
    errs = _common.validate_object_meta_update(new, old)
    return errs + _common.validate_object_meta(new, _common.name_is_dns_subdomain)


def answer(fn, new, old):
    try:
        return [e.error() for e in fn(new, old)]
    except Exception as e:  # noqa: BLE001 - the short path must fail the same way
        return (type(e).__name__, str(e))


@pytest.mark.parametrize("new, old", [c[:2] for c in STATUS_META_CASES], ids=[c[2] for c in STATUS_META_CASES])
def test_the_status_update_metadata_answer_is_the_answer_of_both_checks(new, old):
    expected = answer(plain_status_update, new, old)
    got = answer(lambda n, o: _pod.validate_pod_status_update({"metadata": n}, {"metadata": o}), new, old)
    assert got == expected


COST = "controller.kubernetes.io/pod-deletion-cost"


def costed(value, name="a"):
    obj = pod(name=name)
    obj["metadata"]["annotations"] = {COST: value}
    return obj


DELETION_COSTS = [
    ("-100", None, [], "a negative cost is a 32bit integer"),
    ("0", None, [], "zero is a cost"),
    ("-08", None, [], "a minus sign may be followed by a zero, as strconv.ParseInt reads it"),
    ("2147483647", None, [], "the largest 32bit integer is a cost"),
    ("abc", None, [f'metadata.annotations[{COST}]: Invalid value: "abc": must be a 32bit integer'],
     "letters are refused"),
    ("+10", None, [f'metadata.annotations[{COST}]: Invalid value: "+10": must be a 32bit integer'],
     "a leading plus is refused"),
    ("008", None, [f'metadata.annotations[{COST}]: Invalid value: "008": must be a 32bit integer'],
     "a leading zero is refused"),
    ("1_000", None, [f'metadata.annotations[{COST}]: Invalid value: "1_000": must be a 32bit integer'],
     "an underscore is refused"),
    ("3000000000", None, [f'metadata.annotations[{COST}]: Invalid value: "3000000000": must be a 32bit integer'],
     "a value beyond 32 bits is refused"),
    ("", None, [f'metadata.annotations[{COST}]: Invalid value: "": must be a 32bit integer'],
     "an empty value is refused"),
    ("abc", "5", [f'metadata.annotations[{COST}]: Invalid value: "abc": must be a 32bit integer'] * 2,
     "an update may not make a valid cost invalid (both annotation checks report it)"),
    ("abc", "+1", [], "an update may keep a cost the old pod already had invalid"),
    ("xyz", "+1", [], "an update may change an invalid cost to another invalid one"),
]


@pytest.mark.parametrize("value, old_value, expected", [c[:3] for c in DELETION_COSTS],
                         ids=[c[3] for c in DELETION_COSTS])
def test_the_pod_deletion_cost_must_be_a_32bit_integer(value, old_value, expected):
    old = None if old_value is None else costed(old_value)
    assert errors_of(costed(value), old) == expected


def test_an_invalid_pod_deletion_cost_gets_the_invalid_status_with_its_message_once():
    old = costed("5")
    err = errors.invalid(lookup("pods"), "a", validate(costed("abc"), old))
    assert str(err) == (f'Pod "a" is invalid: metadata.annotations[{COST}]: Invalid value: "abc": '
                        "must be a 32bit integer")


@pytest.mark.parametrize("kind, extra", [("Deployment", {}), ("StatefulSet", {"serviceName": "web"})],
                         ids=["a Deployment's pod template is checked with the pod's rules",
                              "a StatefulSet's template, checked only for labels and annotations in v1.32, too"])
def test_a_workload_whose_pod_template_has_an_invalid_deletion_cost_is_refused(kind, extra):
    labels = {"app": "web"}
    workload = prepared({"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "web"},
                         "spec": {**extra, "selector": {"matchLabels": labels},
                                  "template": {"metadata": {"labels": labels, "annotations": {COST: "+10"}},
                                               "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}})
    assert errors_of(workload) == [
        f'spec.template.annotations[{COST}]: Invalid value: "+10": must be a 32bit integer']


def test_kubectl_annotate_with_an_invalid_deletion_cost_gets_the_api_server_error():
    from k8slearn import Cluster
    c = Cluster(workers=1, seed=0)
    c.kubectl("run a --image=nginx")
    result = c.kubectl(f"annotate pod a {COST}=abc")
    assert (result.code, result.stdout + result.stderr) == (
        1, f'The Pod "a" is invalid: metadata.annotations[{COST}]: Invalid value: "abc": must be a 32bit integer\n')
    assert COST not in (c.api.get("pods", "a")["metadata"].get("annotations") or {})
