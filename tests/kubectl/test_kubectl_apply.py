"""apply, create -f and replace -f against the simulated API server."""

import glob
import os
import subprocess

import pytest

from kubectl_kit import new_server

MANIFESTS = os.path.join(os.path.dirname(__file__), "..", "fixtures", "kubectl", "manifests")
KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n" \
      "  - name: nginx\n    image: nginx\n"
SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n" \
          "  - port: 80\n"
FOO = "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n"


def test_apply_creates_then_leaves_unchanged_then_configures():
    _, client, k = new_server()
    outputs = [str(k.run("apply -f -", stdin=text)) for text in
               (POD, POD, POD.replace("image: nginx", "image: nginx:1.27"))]
    assert outputs == ["pod/web created\n", "pod/web unchanged\n", "pod/web configured\n"]
    assert client.get("pods", "web")["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_apply_records_the_last_applied_configuration():
    _, client, k = new_server()
    k.run("apply -f -", stdin=POD)
    annotation = client.get("pods", "web")["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert annotation == ('{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web"},'
                          '"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx","name":"nginx"}]}}\n')


def test_removing_a_label_from_the_manifest_removes_it_from_the_object():
    _, client, k = new_server()
    k.run("apply -f -", stdin=POD)
    result = k.run("apply -f -", stdin=POD.replace("  labels:\n    app: web\n", ""))
    assert (str(result), client.get("pods", "web")["metadata"].get("labels")) == ("pod/web configured\n", None)


def test_a_label_added_by_someone_else_survives_reapply():
    _, client, k = new_server()
    k.run("apply -f -", stdin=POD)
    k.run("label pod web tier=frontend")
    result = k.run("apply -f -", stdin=POD)
    assert (str(result), client.get("pods", "web")["metadata"]["labels"]) == (
        "pod/web unchanged\n", {"app": "web", "tier": "frontend"})


def test_malformed_yaml_names_the_line_and_writes_nothing():
    store, _, k = new_server()
    before = store.revision
    result = k.run("apply -f -", stdin=POD + "  labels: a: b\n")
    assert (result.stdout, result.stderr, result.code, store.revision) == (
        "", "error: error parsing STDIN: error converting YAML to JSON: yaml: line 11: mapping values are not "
            "allowed in this context\n", 1, before)


def test_an_unknown_kind_gets_kubectls_mapping_error():
    store, _, k = new_server()
    before = store.revision
    result = k.run("apply -f -", stdin=FOO)
    assert (result.stderr, result.code, store.revision) == (
        'error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind "Foo" in '
        'version "v1"\nensure CRDs are installed first\n', 1, before)


def test_one_failing_document_does_not_stop_the_others():
    _, client, k = new_server()
    result = k.run("apply -f -", stdin=POD + "---\n" + FOO + "---\n" + SERVICE)
    assert (result.stdout, result.code) == ("pod/web created\nservice/web created\n", 1)
    assert result.stderr.startswith('error: resource mapping not found for name: "x"')


INVALID = [
    ("a single cause is printed inline",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n",
     'The Pod "x" is invalid: spec.containers[0].image: Required value\n'),
    ("several causes are printed as a list",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n"
     "      app: web\n  template:\n    metadata:\n      labels:\n        app: other\n    spec:\n      containers:\n"
     "      - name: a\n",
     'The Deployment "web" is invalid: \n* spec.template.metadata.labels: Invalid value: map[string]string{"app":'
     '"other"}: `selector` does not match template `labels`\n* spec.template.spec.containers[0].image: Required '
     "value\n"),
]


@pytest.mark.parametrize("manifest,expected", [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_objects_are_reported_as_kubectl_does(manifest, expected):
    store, _, k = new_server()
    before = store.revision
    result = k.run("apply -f -", stdin=manifest)
    assert (result.stderr, result.code, store.revision) == (expected, 1, before)


def test_create_of_an_existing_object_names_the_source():
    _, _, k = new_server()
    k.run("create -f -", stdin=POD)
    result = k.run("create -f -", stdin=POD)
    assert (result.stderr, result.code) == (
        'Error from server (AlreadyExists): error when creating "STDIN": pods "web" already exists\n', 1)


def test_a_namespace_in_the_manifest_must_match_an_explicit_one():
    _, _, k = new_server()
    result = k.run("apply -n dev -f -", stdin=POD.replace("  name: web\n", "  name: web\n  namespace: prod\n"))
    assert result.stderr == ('error: the namespace from the provided object "prod" does not match the namespace '
                             "\"dev\". You must pass '--namespace=prod' to perform this operation.\n")


def test_client_dry_run_sends_nothing():
    store, _, k = new_server()
    before = store.revision
    assert (str(k.run("apply -f - --dry-run=client", stdin=POD)), store.revision) == (
        "pod/web created (dry run)\n", before)


def test_apply_reads_files_from_disk(tmp_path):
    _, _, k = new_server()
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    assert str(k.run(["apply", "-f", str(path)])) == "pod/web created\n"
    assert str(k.run("apply -f missing.yaml")) == 'error: the path "missing.yaml" does not exist\n'


def _live_manifests():
    if not os.path.exists(KUBECTL):
        return []
    env = {"KUBECONFIG": "/dev/null", "HOME": "/tmp", "PATH": "/usr/bin:/bin"}
    commands = [["create", "deployment", "web", "--image=nginx"], ["create", "job", "pi", "--image=perl:5.34"],
                ["create", "service", "clusterip", "web", "--tcp=80:8080"],
                ["create", "configmap", "app-config", "--from-literal=mode=prod"], ["create", "namespace", "dev"]]
    texts = []
    for args in commands:
        proc = subprocess.run([KUBECTL, *args, "--dry-run=client", "-o", "yaml"], capture_output=True, text=True,
                              env=env)
        texts.append(pytest.param(proc.stdout, id=f"the live manifest of kubectl {' '.join(args[:2])} applies"))
    return texts


STORED = [pytest.param(open(p, encoding="utf-8").read(), id=f"the stored manifest {os.path.basename(p)} applies")
          for p in sorted(glob.glob(os.path.join(MANIFESTS, "*.yaml")))]


@pytest.mark.parametrize("manifest", STORED + _live_manifests())
def test_real_kubectl_manifests_apply_unchanged(manifest):
    from k8slearn.kubectl import load_manifests

    _, client, k = new_server()
    obj = load_manifests(manifest)[0]
    result = k.run("apply -f -", stdin=manifest)
    assert (result.stderr, result.code) == ("", 0)
    assert result.stdout.endswith(f"/{obj['metadata']['name']} created\n")


GENERATED = [
    ("deployment-web.yaml", ["create", "deployment", "web", "--image=nginx"]),
    ("job-pi.yaml", ["create", "job", "pi", "--image=perl:5.34", "--", "perl", "-Mbignum=bpi", "-wle",
                     "print bpi(20)"]),
    ("service-clusterip-web.yaml", ["create", "service", "clusterip", "web", "--tcp=80:8080"]),
    ("service-nodeport-np.yaml", ["create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"]),
    ("configmap-app-config.yaml", ["create", "configmap", "app-config", "--from-literal=mode=prod",
                                   "--from-literal=replicas=3"]),
    ("namespace-dev.yaml", ["create", "namespace", "dev"]),
    ("cronjob-tick.yaml", ["create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"]),
    ("serviceaccount-builder.yaml", ["create", "serviceaccount", "builder"]),
    ("secret-db.yaml", ["create", "secret", "generic", "db", "--from-literal=password=s3cret"]),
    ("priorityclass-high.yaml", ["create", "priorityclass", "high", "--value=1000", "--description=important"]),
    ("pod-run-web.yaml", ["run", "web", "--image=nginx", "--port=80"]),
    ("pod-run-sleeper.yaml", ["run", "sleeper", "--image=busybox", "--restart=Never", "--command", "--",
                              "sleep", "3600"]),
]


@pytest.mark.parametrize("filename,args", GENERATED,
                         ids=[f"kubectl {' '.join(a[:2])} --dry-run=client -o yaml prints {f}" for f, a in GENERATED])
def test_generators_print_the_manifest_real_kubectl_prints(filename, args):
    _, _, k = new_server()
    if "--" in args:
        i = args.index("--")
        argv = args[:i] + ["--dry-run=client", "-o", "yaml"] + args[i:]
    else:
        argv = args + ["--dry-run=client", "-o", "yaml"]
    expected = open(os.path.join(MANIFESTS, filename), encoding="utf-8").read()
    assert k.run(argv).stdout == expected


def test_server_side_apply_creates_then_merges_and_says_serverside_applied():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  a: \"1\"\n"
    assert c.kubectl("apply --server-side -f -", stdin=config).stdout == "configmap/s serverside-applied\n"
    assert c.kubectl("apply --server-side -f -", stdin=config.replace('"1"', '"2"')).stdout == (
        "configmap/s serverside-applied\n")
    stored = c.api.get("configmaps", "s")
    assert stored["data"] == {"a": "2"}
    assert "kubectl.kubernetes.io/last-applied-configuration" not in (stored["metadata"].get("annotations") or {})


def test_apply_options_the_simulation_does_not_have_say_so():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    assert c.kubectl("apply -k /tmp").stderr == "error: kustomize (-k) is not available in this simulated cluster\n"


@pytest.mark.parametrize("manifest, stdout", [
    (POD.replace("  name: web\n", "  name: web\n  finalizers: [example.com/hold]\n"), "pod/web unchanged\n"),
    (POD.replace("  name: web\n", "  name: web\n  finalizers: [example.com/hold]\n  annotations: {a: b}\n"),
     "pod/web configured\n"),
], ids=["an unchanged object", "a changed object"])
def test_applying_to_an_object_being_deleted_warns_that_the_change_may_be_lost(manifest, stdout):
    _, client, k = new_server()
    k.run("apply -f -", stdin=POD.replace("  name: web\n", "  name: web\n  finalizers: [example.com/hold]\n"))
    k.run("delete pod web --wait=false")
    result = k.run("apply -f -", stdin=manifest)
    assert (result.stdout, result.stderr) == (
        stdout, "Warning: Detected changes to resource web which is currently being deleted.\n")


DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n"
              "      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n"
              "      containers:\n      - name: app\n        image: nginx\n")
STALE = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  resourceVersion: \"1\"\ndata:\n  a: \"2\"\n"


def test_a_conflicting_patch_names_the_file_twice_as_kubectl_does():
    _, _, k = new_server()
    k.run("apply -f -", stdin=STALE.replace('  resourceVersion: "1"\n', "").replace('"2"', '"1"'))
    result = k.run("apply -f -", stdin=STALE)
    assert result.code == 1
    assert result.stderr.startswith("Error from server (Conflict): error when applying patch:\n")
    assert result.stderr.endswith(
        'for: "STDIN": error when patching "STDIN": Operation cannot be fulfilled on configmaps "cfg": the object '
        "has been modified; please apply your changes to the latest version and try again\n")


@pytest.mark.parametrize("first, second, resource, name, check", [
    (DEPLOYMENT, DEPLOYMENT.replace("app: web", "app: v2"), "deployments", "deployment.apps/web",
     lambda obj: obj["spec"]["selector"] == {"matchLabels": {"app": "v2"}}),
    (STALE.replace('  resourceVersion: "1"\n', "").replace('"2"', '"1"'), STALE, "configmaps", "configmap/cfg",
     lambda obj: obj["data"] == {"a": "2"}),
], ids=["a changed selector, which the server refuses as immutable", "a stale resourceVersion, a conflict"])
def test_apply_force_deletes_and_recreates_what_a_patch_cannot_change(first, second, resource, name, check):
    _, client, k = new_server()
    k.run("apply -f -", stdin=first)
    before = client.get(resource, name.split("/")[1])
    result = k.run("apply --force -f -", stdin=second)
    after = client.get(resource, name.split("/")[1])
    assert (result.stdout, result.stderr, check(after), after["metadata"]["uid"] != before["metadata"]["uid"]) == (
        f"{name} configured\n", "", True, True)
