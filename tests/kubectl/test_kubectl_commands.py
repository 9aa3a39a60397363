"""The verbs that change objects, and the small commands, against the simulated API server."""

import json

import pytest

from kubectl_kit import new_server

DEPLOY = ("create deployment web --image=nginx --replicas=2",)


def run_all(k, commands, stdin=""):
    return [str(k.run(c, stdin=stdin)) for c in commands]


SEQUENCES = [
    ("label adds, refuses to overwrite, overwrites and removes",
     ["run web --image=nginx", "label pod web tier=fe", "label pod web tier=be", "label pod web tier=be --overwrite",
      "label pod web tier-", "label pod web nope-"],
     ["pod/web created\n", "pod/web labeled\n",
      "error: 'tier' already has a value (fe), and --overwrite is false\n", "pod/web labeled\n",
      "pod/web unlabeled\n", 'label "nope" not found.\npod/web not labeled\n']),
    ("annotate always says annotated",
     ["run web --image=nginx", "annotate pod web note=hi", "annotate pod web note-"],
     ["pod/web created\n", "pod/web annotated\n", "pod/web annotated\n"]),
    ("scale sets the replicas of a deployment",
     [*DEPLOY, "scale deployment/web --replicas=5", "get deploy web -o jsonpath={.spec.replicas}"],
     ["deployment.apps/web created\n", "deployment.apps/web scaled\n", "5"]),
    ("set image updates the named container",
     [*DEPLOY, "set image deployment/web nginx=nginx:1.27", "get deploy web -o jsonpath={..image}",
      "set image deployment/web foo=x"],
     ["deployment.apps/web created\n", "deployment.apps/web image updated\n", "nginx:1.27",
      'error: unable to find container named "foo"\n']),
    ("delete prints the kind and the quoted name",
     [*DEPLOY, "delete deployment web", "delete deployment web"],
     ["deployment.apps/web created\n", 'deployment.apps "web" deleted\n',
      'Error from server (NotFound): deployments.apps "web" not found\n']),
    ("expose creates a service from the deployment's selector",
     [*DEPLOY, "expose deployment web --port=80 --target-port=8080", "get svc web -o jsonpath={.spec.ports[0]}"],
     ["deployment.apps/web created\n", "service/web exposed\n",
      '{"port":80,"protocol":"TCP","targetPort":8080}']),
    ("patch applies a merge patch and reports no-op patches",
     [*DEPLOY, ["patch", "deploy", "web", "--type=merge", "-p", '{"spec":{"replicas":3}}'],
      ["patch", "deploy", "web", "--type=merge", "-p", '{"spec":{"replicas":3}}']],
     ["deployment.apps/web created\n", "deployment.apps/web patched\n", "deployment.apps/web patched (no change)\n"]),
    ("create namespace, configmap and service print created",
     ["create namespace dev", "create configmap cfg --from-literal=a=1", "create service clusterip db --tcp=5432:5432",
      "get cm cfg -o jsonpath={.data.a}"],
     ["namespace/dev created\n", "configmap/cfg created\n", "service/db created\n", "1"]),
    ("rollout status reports the deployment's state from its status",
     [*DEPLOY, "rollout status deployment/web"],
     ["deployment.apps/web created\n", "Waiting for deployment spec update to be observed...\n"]),
]


@pytest.mark.parametrize("commands,expected", [c[1:] for c in SEQUENCES], ids=[c[0] for c in SEQUENCES])
def test_command_sequences(commands, expected):
    _, _, k = new_server()
    assert run_all(k, commands) == expected


def node(client, name="node-1", taints=None):
    client.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
                   "spec": {"taints": taints} if taints else {}})


NODE_SEQUENCES = [
    ("cordon and uncordon say already when nothing changes",
     ["cordon node-1", "cordon node-1", "uncordon node-1", "uncordon node-1"],
     ["node/node-1 cordoned\n", "node/node-1 already cordoned\n", "node/node-1 uncordoned\n",
      "node/node-1 already uncordoned\n"]),
    ("taint adds, refuses a duplicate and removes",
     ["taint nodes node-1 dedicated=db:NoSchedule", "taint nodes node-1 dedicated=web:NoSchedule",
      "taint nodes node-1 dedicated:NoSchedule-", "taint nodes node-1 dedicated:NoSchedule-"],
     ["node/node-1 tainted\n",
      "error: node node-1 already has dedicated taint(s) with same effect(s) and --overwrite is false\n",
      "node/node-1 untainted\n", 'error: taint "dedicated:NoSchedule" not found\n']),
]


@pytest.mark.parametrize("commands,expected", [c[1:] for c in NODE_SEQUENCES], ids=[c[0] for c in NODE_SEQUENCES])
def test_node_commands(commands, expected):
    _, client, k = new_server()
    node(client)
    assert run_all(k, commands) == expected


def test_cordon_sets_unschedulable():
    _, client, k = new_server()
    node(client)
    k.run("cordon node-1")
    assert client.get("nodes", "node-1", None)["spec"]["unschedulable"] is True


def test_version_and_current_context():
    _, _, k = new_server()
    assert run_all(k, ["version", "config current-context"]) == [
        "Client Version: v1.32.5\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n",
        "kubernetes-admin@kubernetes\n"]


def test_api_resources_lists_the_served_resources_by_group():
    _, _, k = new_server()
    lines = k.run("api-resources").stdout.splitlines()
    assert lines[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert "deployments              deploy       apps/v1                  true         Deployment" in lines
    assert "poddisruptionbudgets     pdb          policy/v1                true         PodDisruptionBudget" in lines
    assert "persistentvolumeclaims   pvc          v1                       true         PersistentVolumeClaim" in lines
    assert "storageclasses           sc           storage.k8s.io/v1        false        StorageClass" in lines


def test_cluster_info_names_the_control_plane():
    _, _, k = new_server()
    assert str(k.run("cluster-info")) == (
        "Kubernetes control plane is running at https://control-plane:6443\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")


class LogsCluster:
    def __init__(self):
        self.calls = []

    def logs(self, namespace, pod, container, previous=False, timestamps=False):
        self.calls.append((namespace, pod, container) + (("previous",) if previous else ()))
        return "2026-01-05T09:00:00Z line 1\n2026-01-05T09:00:01Z line 2\n" if timestamps else "line 1\nline 2\n"


def _running_pod(client):
    client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                   "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}})
    pod = client.get("pods", "web")
    pod["status"] = {"phase": "Running", "containerStatuses": [
        {"name": "nginx", "ready": True, "restartCount": 0, "image": "nginx", "imageID": "",
         "state": {"running": {"startedAt": "2026-01-05T09:00:00Z"}}}]}
    client.update_status(pod)


def test_logs_asks_the_cluster_hook():
    from k8slearn.kubectl import Kubectl

    _, client, _ = new_server()
    _running_pod(client)
    cluster = LogsCluster()
    k = Kubectl(client, lambda: 0.0, cluster=cluster)
    assert (str(k.run("logs web --tail=1")), cluster.calls) == ("line 2\n", [("default", "web", "nginx")])


def test_logs_of_a_pod_on_no_node_is_empty():
    # LogLocation: a pod not assigned a host has no location, and the API server answers an empty log
    # (what a waiting container says comes from its node's kubelet: tests/kubectl/test_kubectl_logs.py)
    _, client, k = new_server()
    client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                   "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}})
    result = k.run("logs web")
    assert (result.stdout, result.stderr, result.code) == ("", "", 0)


@pytest.mark.parametrize("command, first_line", [
    ("describe deployment web", "Name:                   web"),
    ("describe rs", "Name:           web-"),
    ("describe pods -l app=web", "Name:             web-"),
], ids=["a deployment, whose ReplicaSets come from the watch cache (read-only)", "its ReplicaSet", "its pods"])
def test_describe_in_a_running_cluster(command, first_line):
    from k8slearn import Cluster

    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl(DEPLOY[0])
    cluster.settle()
    result = cluster.kubectl(command)
    assert (result.stderr, result.stdout.splitlines()[0][:len(first_line)]) == ("", first_line)
    if command.startswith("describe deployment"):
        assert "NewReplicaSet:   web-" in result.stdout


@pytest.mark.parametrize("resource", ["pods", "nodes", "deployments", "replicasets", "events", "pods,services"])
def test_a_list_printed_as_yaml_reads_back_as_the_same_list_as_its_json(resource):
    # the items of a List are the watch cache's read-only objects: YAML must print them too
    import json

    import yaml

    from k8slearn import Cluster

    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl(DEPLOY[0])
    cluster.settle()
    as_yaml, as_json = cluster.kubectl(f"get {resource} -A -o yaml"), cluster.kubectl(f"get {resource} -A -o json")
    assert (as_yaml.stderr, as_json.stderr) == ("", "")
    listed = yaml.safe_load(as_yaml.stdout)
    assert listed == json.loads(as_json.stdout) and listed["kind"] == "List" and listed["items"]


@pytest.mark.parametrize("command, stdout", [
    # (--all: without it kubectl 1.32 says "resource(s) were provided, but no name was specified")
    ("set env deployments --all A=B", "deployment.apps/web env updated\n"),
    ("set resources deployments --all --limits=cpu=1", "deployment.apps/web resource requirements updated\n"),
], ids=["set env on every deployment (listed: the watch cache's read-only objects)", "set resources too"])
def test_set_commands_on_every_object_of_a_type(command, stdout):
    from k8slearn import Cluster

    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl(DEPLOY[0])
    cluster.settle()
    result = cluster.kubectl(command)
    assert (result.stdout, result.stderr) == (stdout, "")


@pytest.mark.parametrize("command, stderr", [
    ("patch deployment web --patch-file=/nonexistent.yaml",
     "error: unable to read patch file: open /nonexistent.yaml: no such file or directory\n"),
    ("patch deployment web --patch-file=/tmp", "error: unable to read patch file: read /tmp: is a directory\n"),
    ("expose deployment web --port=abc", 'error: strconv.Atoi: parsing "abc": invalid syntax\n'),
    ("expose deployment web --port=99999999999999999999",
     'error: strconv.Atoi: parsing "99999999999999999999": value out of range\n'),
    ("run other --image=nginx --port=8o", 'error: strconv.Atoi: parsing "8o": invalid syntax\n'),
], ids=["a patch file that is not there is os.ReadFile's error",
        "a directory for a patch file fails to read",
        "a port that is no number is strconv.Atoi's error",
        "and one too big for an int",
        "run's --port too"])
def test_bad_files_and_numbers_on_the_command_line_are_kubectls_errors_not_python_ones(command, stderr):
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx")
    before = c.etcd.revision
    result = c.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)
    assert c.etcd.revision == before


RUN_ATTACHED = [
    ("run tmp --image=busybox --rm -i --restart=Never -- echo hi", 'hi\npod "tmp" deleted\n', "", 0),
    ("run -it --rm debug --image=busybox -- sh", 'pod "debug" deleted\n',
     "Unable to use a TTY - input is not a terminal or the right kind of file\n"
     "If you don't see a command prompt, try pressing enter.\n", 0),
    ('run t --image=busybox --rm --attach --restart=Never -- sh -c "sleep 2; echo done"', 'done\npod "t" deleted\n',
     "If you don't see a command prompt, try pressing enter.\n", 0),
    ("run keep --image=busybox -i --leave-stdin-open --restart=Never", "",
     "If you don't see a command prompt, try pressing enter.\n", 0),
    ('run fail --image=busybox -i --restart=Never -- sh -c "echo oops; exit 3"', "oops\n",
     "pod default/fail terminated (Error)\n", 3),
    ("run web --image=nginx --port=80 --expose", "service/web created\npod/web created\n", "", 0),
    ("run web --image=nginx --expose", "",
     "error: --port must be set when exposing a service\nSee 'kubectl run -h' for help and examples\n", 1),
    ("run web --image=nginx --rm", "",
     "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n", 1),
    ("run web --image=busybox -t -- echo", "",
     "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'kubectl run -h' for help and examples\n", 1),
]


@pytest.mark.parametrize("command, stdout, stderr, code", RUN_ATTACHED, ids=[
    "run -i --rm shows what the container printed, then deletes the pod",
    "run -it in a notebook has no terminal: kubectl says so, attaches, and the shell reads the end of its input",
    "--attach to a running container says how to get a prompt, then shows what it prints",
    "--leave-stdin-open keeps the shell waiting, and kubectl waits for no exit code",
    "a failed attached pod's exit code is kubectl's, with the reason",
    "--expose creates the Service first",
    "--expose needs a --port",
    "--rm needs an attached container",
    "-t needs -i",
])
def test_run_attached_removed_and_exposed(command, stdout, stderr, code):
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    result = c.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)
    if "--rm" in command and code == 0:  # (deleted: gone, or going within its grace period)
        assert all(p["metadata"].get("deletionTimestamp") for p in c.api.list("pods", "default"))


@pytest.mark.parametrize("command, stderr", [
    # (the builder's SelectAllParam refuses first, with a trailing space: kubectl 1.32's words)
    ("delete cm -l x=1 --all", "error: setting 'all' parameter but found a non empty selector. \n"),
    ("delete cm --all --field-selector=metadata.name=x", "error: setting 'all' parameter but found a non empty selector. \n"),
    ("delete cm x --force --grace-period=5", "error: --force and --grace-period greater than 0 cannot be specified together\n"),
    ("api-resources --sort-by=bogus", "error: --sort-by accepts only name or kind\n"),
    ("api-resources -o bogus", "error: --output bogus is not available\n"),
    ("label cm x a=b --resource-version=1", 'Error from server (Conflict): Operation cannot be fulfilled on configmaps "x": '
     "the object has been modified; please apply your changes to the latest version and try again\n"),
], ids=["delete: --all with a selector is refused", "and with a field selector",
        "--force with a grace period is refused", "api-resources sorts by name or kind only",
        "api-resources prints wide or name only", "label --resource-version is a precondition"])
def test_flag_combinations_kubectl_refuses(command, stderr):
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create cm x --from-literal=a=1")
    before = c.etcd.revision
    result = c.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)
    assert c.etcd.revision == before


def test_get_raw_answers_the_health_version_and_resource_paths():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create cm x --from-literal=a=1")
    assert c.kubectl("get --raw /healthz").stdout == "ok"
    assert c.kubectl("get --raw /readyz").stdout == "ok"
    assert json.loads(c.kubectl("get --raw /version").stdout)["gitVersion"] == "v1.32.0"
    obj = json.loads(c.kubectl("get --raw /api/v1/namespaces/default/configmaps/x").stdout)
    assert (obj["kind"], obj["data"]) == ("ConfigMap", {"a": "1"})
    listed = json.loads(c.kubectl("get --raw /apis/apps/v1/namespaces/default/deployments").stdout)
    assert (listed["kind"], listed["items"]) == ("DeploymentList", [])
    assert c.kubectl("get --raw /nope").stderr == (
        "Error from server (NotFound): the server could not find the requested resource\n")
    assert c.kubectl("get pods --raw /healthz").stderr == "error: arguments may not be passed when --raw is specified\n"


def test_label_takes_the_last_value_of_a_key_given_twice_and_template_means_go_template():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run solo --image=nginx")
    assert c.kubectl("label pod solo app=x app=y").stdout == "pod/solo labeled\n"
    assert c.api.get("pods", "solo")["metadata"]["labels"]["app"] == "y"
    assert c.kubectl("annotate pod solo a=1 a-").stderr == (  # annotate.validateAnnotations
        "error: can not both modify and remove the following annotation(s) in the same command: a\n")
    listed = c.kubectl("get pods --template='{{.kind}}/{{range .items}}{{.metadata.name}}{{end}}'")
    assert (listed.stdout, listed.stderr) == ("List/solo", "")  # --template alone means -o go-template


def test_the_status_and_scale_subresources():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx")
    c.settle()
    patched = c.kubectl("""patch deployment web --subresource=status --type=merge -p '{"status":{"collisionCount":3}}'""")
    assert patched.stdout == "deployment.apps/web patched\n"
    assert c.api.get("deployments", "web")["status"]["collisionCount"] == 3
    ignored = c.kubectl("""patch deployment web --subresource=status --type=merge -p '{"spec":{"replicas":3}}'""")
    assert ignored.stdout == "deployment.apps/web patched (no change)\n"  # /status keeps the spec as it was
    assert c.api.get("deployments", "web")["spec"]["replicas"] == 1
    assert c.kubectl("get deploy web --subresource=scale").stdout == "NAME   DESIRED   AVAILABLE\nweb    1         1\n"
    assert c.kubectl("""patch deploy web --subresource=scale --type=merge -p '{"spec":{"replicas":-1}}'""").stderr == (
        'The Scale "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n')
    scaled = c.kubectl("""patch deploy web --subresource=scale --type=merge -p '{"spec":{"replicas":2}}'""")
    assert (scaled.stdout, c.api.get("deployments", "web")["spec"]["replicas"]) == ("deployment.apps/web patched\n", 2)
    assert c.kubectl("get deploy web --subresource=scale -o yaml").stdout.startswith(
        "apiVersion: autoscaling/v1\nkind: Scale\n")
    assert c.kubectl("get pod x --subresource=scale").stderr == (
        "Error from server (NotFound): the server could not find the requested resource\n")


@pytest.mark.parametrize("command, stdout, stderr", [
    pytest.param("annotate pod solo note=1", "pod/solo annotated\n", "",
                 id="annotate with the value a key already has is no conflict (kubernetes#109505)"),
    pytest.param("annotate pod solo note=2 other=3 --dry-run=client", "",
                 "error: --overwrite is false but found the following declared annotation(s): "
                 "'note' already has a value (1)\n", id="annotate names every key it would overwrite, in its words"),
    pytest.param("label pods --all --list", "Listing labels for Pod./solo:\n run=solo\n", "",
                 id="label --list of several objects names each one and indents its labels"),
    pytest.param("label pod solo extra=1 --list", "run=solo\nextra=1\n", "",
                 id="label --list shows the labels as they would be and sends nothing"),
    pytest.param("annotate pod solo --list", "note=1\n", "", id="annotate --list prints the annotations"),
    pytest.param("run other --image=nginx --labels==v", "", "error: unexpected empty label key\n",
                 id="run --labels needs a key before its equals sign"),
    pytest.param("label pod solo tier=fe -o name", "pod/solo\n", "", id="label -o name prints the object's name"),
    pytest.param("label pod solo tier=web -o wide", "",
                 'error: unable to match a printer suitable for the output format "wide", allowed formats are: '
                 "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                 "templatefile,yaml\n", id="label builds its printer after the patch, as kubectl does"),
    pytest.param("annotate pod solo a=1 -o wide", "",
                 'error: unable to match a printer suitable for the output format "wide", allowed formats are: '
                 "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                 "templatefile,yaml\n", id="annotate refuses a bad -o before it sends anything"),
])
def test_label_and_annotate_argument_handling(command, stdout, stderr):
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run solo --image=nginx")
    c.kubectl("annotate pod solo note=1")
    before = c.api.get("pods", "solo")["metadata"]
    result = c.kubectl(command)
    assert (result.stdout, result.stderr) == (stdout, stderr)
    after = c.api.get("pods", "solo")["metadata"]
    if "-o wide" in command and command.startswith("label"):
        assert after["labels"]["tier"] == "web"  # the patch went out before the printer failed
    elif "--list" in command or "dry-run" in command or stderr:
        assert after == before  # nothing was sent


def test_annotate_may_always_overwrite_the_change_cause_but_label_may_not():
    """annotate.go validateNoAnnotationOverwrites skips kubernetes.io/change-cause; label.go has no such exception."""
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx")
    c.kubectl("annotate deploy web kubernetes.io/change-cause=first note=1")
    c.kubectl("label deploy web kubernetes.io/change-cause=first")
    result = c.kubectl("annotate deploy web kubernetes.io/change-cause=second")
    assert (result.stdout, result.stderr) == ("deployment.apps/web annotated\n", "")
    assert c.api.get("deployments", "web")["metadata"]["annotations"]["kubernetes.io/change-cause"] == "second"
    other = c.kubectl("annotate deploy web kubernetes.io/change-cause=third note=2")
    assert other.stderr == ("error: --overwrite is false but found the following declared annotation(s): "
                            "'note' already has a value (1)\n")
    label = c.kubectl("label deploy web kubernetes.io/change-cause=second")
    assert label.stderr == ("error: 'kubernetes.io/change-cause' already has a value (first), "
                            "and --overwrite is false\n")


@pytest.mark.parametrize("command, stdout", [
    pytest.param("label pod bare nope-", 'label "nope" not found.\npod/bare labeled\n',
                 id="removing a label from an object without labels says labeled (labelFunc sets an empty map)"),
    pytest.param("label pod bare nope- --dry-run=client", "pod/bare labeled (dry run)\n",
                 id="so does its client dry run, without the not-found line"),
    pytest.param("label pod tagged app- nope-", 'label "nope" not found.\npod/tagged unlabeled\n',
                 id="removing the last label says unlabeled"),
    pytest.param("label pod tagged app=web", "pod/tagged not labeled\n",
                 id="setting the value a label already has says not labeled"),
    pytest.param("label pod tagged nope-", 'label "nope" not found.\npod/tagged not labeled\n',
                 id="removing a missing label from an object with labels says not labeled"),
])
def test_what_label_says_it_did(command, stdout):
    """label.go updateDataChangeMsg compares the object's JSON before and after labelFunc."""
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    for name, labels in (("bare", ""), ("tagged", "  labels: {app: web}\n")):
        c.kubectl("apply -f -", stdin=f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n{labels}"
                                      "spec:\n  containers: [{name: a, image: nginx}]\n")
    result = c.kubectl(command)
    assert (result.stdout, result.stderr) == (stdout, "")


def test_a_label_command_with_a_stray_word_changes_nothing():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run solo --image=nginx")
    before = c.api.get("pods", "solo")["metadata"]["resourceVersion"]
    result = c.kubectl("label pod solo a=b extra")
    assert result.stderr == "error: all resources must be specified before label changes: extra\n"
    assert c.api.get("pods", "solo")["metadata"]["resourceVersion"] == before


def test_a_result_shows_stdout_and_stderr_in_the_order_kubectl_wrote_them():
    from k8slearn import Cluster
    from k8slearn.kubectl.cli import Result

    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.kubectl("apply -f -", stdin="apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb}\n"
                                  "spec:\n  minAvailable: 2\n  selector: {matchLabels: {app: web}}\n")
    c.settle()
    c.kubectl("scale deploy web --replicas=3")  # node-1 has two of the three: the second must wait
    c.settle()
    result = c.kubectl("drain node-1 --timeout=30s")
    lines = str(result).splitlines()
    retry = next(i for i, line in enumerate(lines) if line.startswith("error when evicting"))
    assert retry < lines.index("node/node-1 drained")  # the retry comes while it drains, not after
    assert "".join(t for s, t in result.chunks if s == "stdout") == result.stdout
    assert "".join(t for s, t in result.chunks if s == "stderr") == result.stderr
    assert str(Result("out\n", "err\n", 1)) == "out\nerr\n"  # built by hand: stdout, then stderr


@pytest.mark.parametrize("command, stdout, stderr, labels", [
    pytest.param("label pod a app=x tier=be", "",
                 "'app' already has a value (web), and --overwrite is false\n"
                 "'tier' already has a value (fe), and --overwrite is false\n",
                 {"a": {"app": "web", "tier": "fe"}, "b": {"app": "web"}},
                 id="label prints each key it would overwrite on its own line, as kubectl prints an aggregate"),
    pytest.param("label pods --all tier=be", "pod/b labeled\n",
                 "error: 'tier' already has a value (fe), and --overwrite is false\n",
                 {"a": {"app": "web", "tier": "fe"}, "b": {"app": "web", "tier": "be"}},
                 id="label --all labels the pods it can and reports the refused one at the end"),
    pytest.param("label pods -l app=web tier=be --resource-version=1", "",
                 "error: --resource-version may only be used with a single resource\n",
                 {"a": {"app": "web", "tier": "fe"}, "b": {"app": "web"}},
                 id="label --resource-version with a selector is refused before anything is sent"),
    pytest.param("annotate pods --all note=1 --resource-version=1", "",
                 "error: --resource-version may only be used with a single resource\n",
                 {"a": {"app": "web", "tier": "fe"}, "b": {"app": "web"}},
                 id="annotate --resource-version with --all is refused before anything is sent"),
    pytest.param("label pod a gone- app=x", 'label "gone" not found.\n',
                 "error: 'app' already has a value (web), and --overwrite is false\n",
                 {"a": {"app": "web", "tier": "fe"}, "b": {"app": "web"}},
                 id="label says a label to remove is not found before it refuses an overwrite"),
])
def test_label_continues_past_an_object_it_cannot_change(command, stdout, stderr, labels):
    """label.go RunLabel visits with ContinueOnError and checks --resource-version against the
    builder's single item; validateNoOverwrites returns an aggregate, one error per key."""
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run a --image=nginx --labels=app=web,tier=fe")
    c.kubectl("run b --image=nginx --labels=app=web")
    result = c.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, 1)
    assert {name: c.api.get("pods", name)["metadata"]["labels"] for name in "ab"} == labels


def test_run_with_stdin_and_tty_writes_them_into_the_pod_spec_as_kubectl_s_generator_does():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run shell --image=busybox -it --restart=Never -- sh")
    container = c.api.get("pods", "shell")["spec"]["containers"][0]
    assert (container["stdin"], container["stdinOnce"], container["tty"]) == (True, True, True)
    c.kubectl("run open --image=busybox -i --leave-stdin-open --restart=Never")
    container = c.api.get("pods", "open")["spec"]["containers"][0]
    assert (container["stdin"], "stdinOnce" in container, "tty" in container) == (True, False, False)


def test_a_shell_with_an_open_stdin_waits_until_an_attach_with_stdin_closes_it():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: box}\nspec:\n"
                                  "  containers: [{name: box, image: busybox, stdin: true, stdinOnce: true, tty: true}]\n")
    c.run(seconds=30)
    assert c.api.get("pods", "box")["status"]["phase"] == "Running"  # (sh waits for its commands)
    c.kubectl("attach box")  # (no -i: no stdin goes along, the shell goes on waiting)
    assert c.api.get("pods", "box")["status"]["phase"] == "Running"
    r = c.kubectl("attach box -i")
    assert r.code == 0
    c.run(seconds=5)
    status = c.api.get("pods", "box")["status"]["containerStatuses"][0]
    # (sh exited 0; restartPolicy Always starts a new one, whose stdin is open again)
    assert (status["restartCount"], status["lastState"]["terminated"]["reason"],
            status["lastState"]["terminated"]["exitCode"], "running" in status["state"]) == (1, "Completed", 0, True)
