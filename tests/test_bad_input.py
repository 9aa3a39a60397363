"""Bad input gets Kubernetes' own error text and changes nothing (the store revision stays put)."""

import pytest

from k8slearn import Cluster

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: c
    image: {image}
"""

CASES = [
    ("malformed YAML names the line",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: app: web\n",
     "error: error parsing STDIN: error converting YAML to JSON: yaml: line 5: mapping values are not allowed "
     "in this context\n"),
    ("an unknown kind gets kubectl's no-matches text",
     "apiVersion: v1\nkind: Pood\nmetadata:\n  name: x\n",
     'error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind '
     '"Pood" in version "v1"\nensure CRDs are installed first\n'),
    ("a pod without an image is Invalid with the field path",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n",
     'The Pod "x" is invalid: spec.containers[0].image: Required value\n'),
    ("an invalid name gets the RFC 1123 message",
     POD.format(name="My_Pod", image="nginx"),
     'The Pod "My_Pod" is invalid: metadata.name: Invalid value: "My_Pod": a lowercase RFC 1123 subdomain '
     "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
     "alphanumeric character (e.g. 'example.com', regex used for validation is "
     "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"),
    ("a quoted number where an integer belongs is a 400 decode error",
     POD.format(name="x", image="nginx") + "    ports:\n    - containerPort: \"80\"\n",
     'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as '
     "a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports."
     "containerPort of type int32\n"),
    ("a missing namespace is NotFound",
     POD.format(name="x", image="nginx").replace("  name: x\n", "  name: x\n  namespace: nope\n"),
     'Error from server (NotFound): error when creating "STDIN": namespaces "nope" not found\n'),
    ("a number where a command's list belongs is a 400 decode error (it used to crash the simulation)",
     "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n"
     "      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: 1.5\n",
     'Error from server (BadRequest): error when creating "STDIN": Job in version "v1" cannot be handled as a '
     "Job: json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.command "
     "of type []string\n"),
    ("metadata that is not an object is a 400 decode error",
     "apiVersion: v1\nkind: ConfigMap\nmetadata: 1.5\n",
     'error: error when retrieving current configuration of:\nResource: "/v1, Resource=configmaps", '
     'GroupVersionKind: "/v1, Kind=ConfigMap"\nName: "", Namespace: "default"\nfrom server for: "STDIN": '
     "resource name may not be empty\n"),
    ("a container list that is an object is a 400 decode error",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: {}\n",
     'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a '
     "Pod: json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container\n"),
    ("a fractional maxSurge is a 400 decode error",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: d}\n"
     "  strategy:\n    rollingUpdate: {maxSurge: 1.5}\n  template:\n    metadata:\n      labels: {app: d}\n"
     "    spec:\n      containers:\n      - {name: c, image: nginx}\n",
     'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled '
     "as a Deployment: json: cannot unmarshal number 1.5 into Go struct field RollingUpdateDeployment.spec."
     "strategy.rollingUpdate.maxSurge of type int32\n"),
    ("a null container decodes to an empty one, which validation refuses",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: [null]\n",
     'The Pod "x" is invalid: \n* spec.containers[0].name: Required value\n* spec.containers[0].image: '
     "Required value\n"),
    ("a probe period that is not a number is a 400 decode error",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
     "    livenessProbe:\n      tcpSocket: {port: 80}\n      periodSeconds: 1.5\n",
     'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a '
     "Pod: json: cannot unmarshal number 1.5 into Go struct field Probe.spec.containers.livenessProbe."
     "periodSeconds of type int32\n"),
    ("an apiVersion that is not a string is the serializer's 400",
     "apiVersion: {a: 1}\nkind: ConfigMap\nmetadata:\n  name: x\n",
     'Error from server (BadRequest): error when creating "STDIN": couldn\'t get version/kind; json parse '
     "error: json: cannot unmarshal object into Go struct field .apiVersion of type string\n"),
]


@pytest.mark.parametrize("manifest, stderr", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_manifests_get_upstream_errors_and_write_nothing(manifest, stderr):
    cluster = Cluster(workers=1, seed=0)
    before = cluster.etcd.revision
    result = cluster.kubectl("apply -f -", stdin=manifest)
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)
    assert cluster.etcd.revision == before


DEPLOYMENT_REPLICAS = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: web, image: nginx}}]
"""


def test_a_stale_update_is_a_conflict_and_writes_nothing():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("apply -f -", stdin=POD.format(name="web", image="nginx"))
    stale = cluster.api.get("pods", "web")
    cluster.kubectl("label pod web tier=front")
    before = cluster.etcd.revision
    stale["metadata"]["labels"] = {"tier": "back"}
    with pytest.raises(Exception) as info:
        cluster.api.update(stale)
    assert info.value.code == 409
    assert str(info.value) == ('Operation cannot be fulfilled on pods "web": the object has been modified; '
                               "please apply your changes to the latest version and try again")
    assert cluster.etcd.revision == before


WRONG_TYPE_PATCHES = [
    ("a strategic patch's string replicas is the converter's unrecognized type",
     """-p '{"spec":{"replicas":"3"}}'""",
     '"map[spec:map[replicas:3]]": unrecognized type: int32'),
    ("an object for replicas too",
     """-p '{"spec":{"replicas":{"a":1}}}'""",
     '"map[spec:map[replicas:map[a:1]]]": unrecognized type: int32'),
    ("a fraction for an integer cannot be converted",
     """-p '{"spec":{"replicas":1.5}}'""",
     '"map[spec:map[replicas:1.5]]": cannot convert float64 to int32'),
    ("a number for a label value cannot be converted to a string",
     """-p '{"metadata":{"labels":{"tier":1}}}'""",
     '"map[metadata:map[labels:map[tier:1]]]": cannot convert int64 to string'),
    ("a number for a named string type names the type",
     """-p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","imagePullPolicy":5}]}}}}'""",
     '"map[spec:map[template:map[spec:map[containers:[map[imagePullPolicy:5 name:nginx]]]]]]": '
     "cannot convert int64 to v1.PullPolicy"),
    ("a string for a list cannot restore the slice",
     """-p '{"spec":{"template":{"spec":{"containers":"web"}}}}'""",
     '"map[spec:map[template:map[spec:map[containers:web]]]]": cannot restore slice from string'),
    ("a bool for a struct cannot restore the struct",
     """-p '{"metadata":true}'""",
     '"map[metadata:true]": cannot restore struct from: bool'),
    ("an IntOrString decodes itself, into its int32",
     """-p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":true}}}}'""",
     '"map[spec:map[strategy:map[rollingUpdate:map[maxSurge:true]]]]": '
     "json: cannot unmarshal bool into Go value of type int32"),
    ("a Quantity decodes itself, and any JSON that is no quantity fails to parse",
     """-p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","resources":{"limits":{"cpu":true}}}]}}}}'""",
     '"map[spec:map[template:map[spec:map[containers:[map[name:nginx resources:map[limits:map[cpu:true]]]]]]]]": '
     "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
]


@pytest.mark.parametrize("case, patch, invalid", WRONG_TYPE_PATCHES, ids=[c[0] for c in WRONG_TYPE_PATCHES])
def test_a_strategic_patch_that_brings_a_wrong_type_is_invalid_and_writes_nothing(case, patch, invalid):
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    before = cluster.etcd.revision
    result = cluster.kubectl(f"patch deployment web {patch}")
    assert (result.stdout, result.stderr, result.code) == (
        "", f"The request is invalid: patch: Invalid value: {invalid}\n", 1)
    assert cluster.etcd.revision == before


def test_a_wrong_type_in_a_patch_is_a_422_without_kind_or_name():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    with pytest.raises(Exception) as info:
        cluster.api.patch("deployments", "web", {"spec": {"replicas": "3"}})
    message = 'Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32'
    assert info.value.status == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": f' "" is invalid: patch: {message}', "reason": "Invalid",
        "details": {"causes": [{"reason": "FieldValueInvalid", "message": message, "field": "patch"}]},
        "code": 422}


@pytest.mark.parametrize("patch_type, patch", [
    ("merge", """--type=merge -p '{"spec":{"replicas":"3"}}'"""),
    ("json", """--type=json -p '[{"op":"replace","path":"/spec/replicas","value":"3"}]'"""),
])
def test_a_merge_or_json_patch_that_brings_a_wrong_type_shows_the_patched_object(patch_type, patch):
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    before = cluster.etcd.revision
    result = cluster.kubectl(f"patch deployment web {patch}")
    head = 'The request is invalid: patch: Invalid value: "{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",'
    tail = ('": json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n')
    assert result.stderr.startswith(head) and result.stderr.endswith(tail), result.stderr
    assert '\\"replicas\\":\\"3\\"' in result.stderr
    assert (result.stdout, result.code, cluster.etcd.revision) == ("", 1, before)


def test_apply_that_changes_a_value_to_a_wrong_type_is_the_patch_422():
    cluster = Cluster(workers=1, seed=0)
    manifest = DEPLOYMENT_REPLICAS.format(replicas=2)
    cluster.kubectl("apply -f -", stdin=manifest)
    before = cluster.etcd.revision
    result = cluster.kubectl("apply -f -", stdin=DEPLOYMENT_REPLICAS.format(replicas='"3"'))
    assert result.stderr.startswith('The request is invalid: patch: Invalid value: "map[metadata:map[annotations:map['
                                    "kubectl.kubernetes.io/last-applied-configuration:"), result.stderr
    assert result.stderr.endswith('\\n]] spec:map[replicas:3]]": unrecognized type: int32\n'), result.stderr
    assert (result.code, cluster.etcd.revision) == (1, before)


def test_a_number_too_big_for_an_int32_field_is_refused_on_create():
    cluster = Cluster(workers=1, seed=0)
    before = cluster.etcd.revision
    result = cluster.kubectl("apply -f -", stdin=DEPLOYMENT_REPLICAS.format(replicas=5000000000))
    assert (result.stderr, result.code) == (
        'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled '
        "as a Deployment: json: cannot unmarshal number 5000000000 into Go struct field DeploymentSpec.spec.replicas "
        "of type int32\n", 1)
    assert cluster.etcd.revision == before


@pytest.mark.parametrize("command, struct", [
    ("scale deployment web --replicas=2147483648", "ScaleSpec"),
    ("""patch deployment web --type=merge -p '{"spec":{"replicas":99999999999}}'""", "DeploymentSpec"),
    ("""patch deployment web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":2147483648}]'""",
     "DeploymentSpec"),
], ids=["scale (a merge patch of the Scale)", "a merge patch", "a JSON patch"])
def test_a_number_too_big_for_replicas_in_a_json_decoded_patch_is_refused(command, struct):
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    before = cluster.etcd.revision
    result = cluster.kubectl(command)
    assert result.code == 1 and result.stderr.startswith("The request is invalid: patch: Invalid value: "), result.stderr
    assert result.stderr.endswith(f" into Go struct field {struct}.spec.replicas of type int32\n")
    assert cluster.etcd.revision == before


def test_a_strategic_patch_converts_a_number_too_big_for_int32_as_go_does_keeping_the_low_bits():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    result = cluster.kubectl("""patch deployment web -p '{"spec":{"replicas":99999999999}}'""")
    assert (result.stdout, result.code) == ("deployment.apps/web patched\n", 0)
    assert cluster.api.get("deployments", "web")["spec"]["replicas"] == 1215752191  # 99999999999 mod 2^32


def test_an_int_or_string_too_big_for_int32_is_refused():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    result = cluster.kubectl("""patch deployment web -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":5000000000}}}}'""")
    assert result.stderr == ('The request is invalid: patch: Invalid value: '
                             '"map[spec:map[strategy:map[rollingUpdate:map[maxSurge:5000000000]]]]": '
                             "json: cannot unmarshal number 5000000000 into Go value of type int32\n")


@pytest.mark.parametrize("patch, stderr", [
    ("'{bad json'", "error: unable to parse \"{bad json\": yaml: line 1: did not find expected ',' or '}'\n"),
    ("""'{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}'""",
     "Error from server: map: map[image:x] does not contain declared merge key: name\n"),
], ids=["a patch that is neither JSON nor YAML is go-yaml's error",
        "a list element without its merge key is the server's 500, printed as Go prints a map"])
def test_a_malformed_patch_is_refused_in_kubernetes_words(patch, stderr):
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    before = cluster.etcd.revision
    result = cluster.kubectl(f"patch deployment web -p {patch}")
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)
    assert cluster.etcd.revision == before


TYPO_POD = """apiVersion: v1
kind: Pod
metadata:
  name: typo
  lables: {app: x}
spec:
  contaners: [{name: c, image: nginx}]
  containers:
  - name: c
    image: nginx
    imagePullpolicy: Always
"""
STRICT = ('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.lables", '
          'unknown field "spec.containers[0].imagePullpolicy", unknown field "spec.contaners"')


@pytest.mark.parametrize("command, stderr", [
    ("apply -f -", f'Error from server (BadRequest): error when creating "STDIN": {STRICT}\n'),
    ("create -f -", f'Error from server (BadRequest): error when creating "STDIN": {STRICT}\n'),
    ("apply --validate=true -f -", f'Error from server (BadRequest): error when creating "STDIN": {STRICT}\n'),
    ("apply --validate=maybe -f -",
     'error: invalid - validate option "maybe"; must be one of: strict (or true), warn, ignore (or false)\n'),
], ids=["apply refuses a manifest with misspelled fields (kubectl sends fieldValidation=Strict)",
        "so does create", "--validate=true is strict too", "an unknown --validate value is kubectl's error"])
def test_misspelled_fields_are_refused_by_strict_field_validation(command, stderr):
    cluster = Cluster(workers=1, seed=0)
    before = cluster.etcd.revision
    result = cluster.kubectl(command, stdin=TYPO_POD)
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)
    assert cluster.etcd.revision == before


@pytest.mark.parametrize("command", ["apply --validate=false -f -", "apply --validate=ignore -f -",
                                     "create --validate=warn -f -"])
def test_without_strict_validation_misspelled_fields_are_dropped_not_stored(command):
    cluster = Cluster(workers=1, seed=0)
    result = cluster.kubectl(command, stdin=TYPO_POD)
    assert (result.stdout.split()[0], result.code) == ("pod/typo", 0)
    pod = cluster.api.get("pods", "typo")
    assert "lables" not in pod["metadata"] and "contaners" not in pod["spec"]
    assert "imagePullpolicy" not in pod["spec"]["containers"][0]


def test_an_api_client_that_sends_no_field_validation_gets_unknown_fields_dropped():
    cluster = Cluster(workers=1, seed=0)
    cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                        "data": {"a": "b"}, "dta": {"x": "y"}})
    assert "dta" not in cluster.api.get("configmaps", "c")


def test_applying_a_misspelled_field_to_an_existing_object_is_the_strict_patch_error():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("apply -f -", stdin=DEPLOYMENT_REPLICAS.format(replicas=1))
    before = cluster.etcd.revision
    result = cluster.kubectl("apply -f -", stdin=DEPLOYMENT_REPLICAS.format(replicas=1).replace(
        "  replicas: 1\n", "  replicas: 1\n  minReadySecond: 5\n"))
    assert result.stderr.startswith('The request is invalid: patch: Invalid value: "map[metadata:map[annotations:')
    assert result.stderr.endswith('spec:map[minReadySecond:5]]": strict decoding error: unknown field '
                                  '"spec.minReadySecond"\n')
    assert cluster.etcd.revision == before


SHAPES = [
    ("a label selector given as a string",
     {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"},
      "spec": {"minAvailable": 1, "selector": "app=web"}},
     "json: cannot unmarshal string into Go struct field PodDisruptionBudgetSpec.spec.selector of type v1.LabelSelector"),
    ("a quoted tolerationSeconds",
     {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x"}],
      "tolerations": [{"key": "k", "operator": "Exists", "tolerationSeconds": "30"}]}},
     "json: cannot unmarshal string into Go struct field Toleration.spec.tolerations.tolerationSeconds of type int64"),
    ("an affinity term list given as one object",
     {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x"}],
      "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"topologyKey": "x"}}}}},
     "json: cannot unmarshal object into Go struct field PodAntiAffinity.spec.affinity.podAntiAffinity."
     "requiredDuringSchedulingIgnoredDuringExecution of type []v1.PodAffinityTerm"),
    ("a probe's command given as a string",
     {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [
         {"name": "c", "image": "x", "livenessProbe": {"exec": {"command": "true"}}}]}},
     "json: cannot unmarshal string into Go struct field ExecAction.spec.containers.livenessProbe.exec.command "
     "of type []string"),
    ("a bool given as a word",
     {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x"}],
      "hostNetwork": "yes"}},
     "json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool"),
]


@pytest.mark.parametrize("case, obj, problem", SHAPES, ids=[s[0] for s in SHAPES])
def test_a_value_of_the_wrong_shape_anywhere_is_refused_before_it_can_reach_a_controller(case, obj, problem):
    cluster = Cluster(workers=1, seed=0)
    before = cluster.etcd.revision
    with pytest.raises(Exception) as info:
        cluster.api.create(obj)
    kind = obj["kind"]
    assert (info.value.code, str(info.value)) == (400, f'{kind} in version "v1" cannot be handled as a {kind}: {problem}')
    assert cluster.etcd.revision == before
    cluster.run(5)  # nothing was stored: nothing to trip over


def test_a_wrong_shape_in_a_patch_is_the_patch_error_with_the_converters_words():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    result = cluster.kubectl("""patch deployment web -p '{"spec":{"template":{"spec":{"hostNetwork":"yes"}}}}'""")
    assert result.stderr == ('The request is invalid: patch: Invalid value: '
                             '"map[spec:map[template:map[spec:map[hostNetwork:yes]]]]": unrecognized type: bool\n')


@pytest.mark.parametrize("kwargs, problem", [
    (dict(name="Big-1"), 'Node "Big-1" is invalid: metadata.name: Invalid value: "Big-1": a lowercase RFC 1123 '
                         "subdomain must consist of lower case alphanumeric characters"),
    (dict(name="big-1", labels={"size": 8}), 'Node in version "v1" cannot be handled as a Node: json: cannot '
                                             "unmarshal number into Go struct field ObjectMeta.metadata.labels"),
    (dict(name="big-1", cpu="abc"), 'Node in version "v1" cannot be handled as a Node: quantities must match'),
    (dict(name="big-1", taints=["gpu=true:NoSchedule"]), 'Node in version "v1" cannot be handled as a Node: json: '
                                                         "cannot unmarshal string into Go struct field NodeSpec.spec.taints"),
    (dict(name=""), 'Node "" is invalid: metadata.name: Required value'),
    (dict(name="big-1", cpu="-1"), 'Node "big-1" is invalid: [status.capacity.cpu: Invalid value: "-1": must be '
                                   "greater than or equal to 0, status.allocatable.cpu"),
    (dict(name="big-1", labels=["size=big"]), 'Node in version "v1" cannot be handled as a Node: json: cannot '
                                              "unmarshal array into Go struct field ObjectMeta.metadata.labels of "
                                              "type map[string]string"),
    (dict(name="big-1", labels="size=big"), 'Node in version "v1" cannot be handled as a Node: json: cannot '
                                            "unmarshal string into Go struct field ObjectMeta.metadata.labels of "
                                            "type map[string]string"),
    (dict(name="big-1", taints={"key": "a", "effect": "NoSchedule"}),
     'Node in version "v1" cannot be handled as a Node: json: cannot unmarshal object into Go struct field '
     "NodeSpec.spec.taints of type []v1.Taint"),
    (dict(name="big-1", taints="a=b:NoSchedule"),
     'Node in version "v1" cannot be handled as a Node: json: cannot unmarshal string into Go struct field '
     "NodeSpec.spec.taints of type []v1.Taint"),
    (dict(name="big-1", memory="16gi"), 'Node in version "v1" cannot be handled as a Node: quantities must match'),
], ids=["an upper-case name", "a label value that is no string", "a cpu that is no quantity",
        "a taint written as kubectl takes it", "no name", "a negative capacity (ValidateNodeResources)",
        "labels as a list of key=value texts", "labels as one key=value text", "one taint not in a list",
        "taints as kubectl's text", "a memory size with a lower-case unit"])
def test_add_node_refuses_a_node_the_api_server_would_refuse_and_joins_nothing(kwargs, problem):
    cluster = Cluster(workers=1, seed=0)
    with pytest.raises(ValueError) as info:
        cluster.add_node(**kwargs)
    assert str(info.value).startswith(f"the node cannot register: {problem}")
    assert cluster.node_names() == ["control-plane", "node-1"]
    cluster.settle()
