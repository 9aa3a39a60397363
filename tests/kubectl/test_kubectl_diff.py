"""kubectl diff: the live object against the API server's dry-run answer to the apply, as diff -u."""

import copy
import random
import shutil
import subprocess

import pytest

from k8slearn import Cluster
from k8slearn.kubectl.diff import unified_diff
from k8slearn.kubectl.output import to_yaml

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""


@pytest.fixture
def cluster():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=DEPLOYMENT)
    c.settle()
    return c


def test_an_unchanged_manifest_prints_nothing_and_exits_0(cluster):
    result = cluster.kubectl("diff -f -", stdin=DEPLOYMENT)
    assert (result.stdout, result.stderr, result.code) == ("", "", 0)


def test_a_changed_template_shows_the_fields_and_the_generation_the_server_would_bump(cluster):
    before = cluster.api.get("deployments", "web")["metadata"]["resourceVersion"]
    result = cluster.kubectl("diff -f -", stdin=DEPLOYMENT.replace("nginx:1.27", "nginx:1.28"))
    lines = result.stdout.splitlines()
    assert result.code == 1 and result.stderr == ""
    assert lines[0].startswith("diff -u -N /tmp/LIVE-") and lines[0].endswith("/apps.v1.Deployment.default.web")
    assert lines[1].startswith("--- /tmp/LIVE-") and lines[2].startswith("+++ /tmp/MERGED-")
    changed = [line for line in lines[3:] if line[:1] in "+-"]
    assert changed == ["-  generation: 1", "+  generation: 2", "-      - image: nginx:1.27", "+      - image: nginx:1.28"]
    assert cluster.api.get("deployments", "web")["metadata"]["resourceVersion"] == before  # a dry run


def test_a_new_object_is_a_new_file_with_what_the_server_fills_in(cluster):
    result = cluster.kubectl("diff -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n")
    lines = result.stdout.splitlines()
    assert result.code == 1
    assert lines[3] == "@@ -0,0 +1,9 @@"
    assert lines[4:9] == ["+apiVersion: v1", "+data:", "+  a: b", "+kind: ConfigMap", "+metadata:"]
    assert any(line.startswith("+  uid: ") for line in lines)
    assert cluster.kubectl("get configmap cfg").code == 1  # not created


def test_a_secret_s_values_are_masked_and_say_which_changed(cluster):
    secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n  user: app\n"
    cluster.kubectl("apply -f -", stdin=secret)
    result = cluster.kubectl("diff -f -", stdin=secret.replace("hunter2", "hunter3"))
    changed = [line for line in result.stdout.splitlines()[3:] if line[:1] in "+-"]
    assert changed == ["-  password: '*** (before)'", "+  password: '*** (after)'"]
    assert "   user: '***'" in result.stdout.splitlines()  # unchanged: context, masked
    # only the last-applied annotation (unmasked, as upstream) still has the values
    assert [line for line in result.stdout.splitlines() if "hunter" in line and '"stringData"' not in line] == []


@pytest.mark.parametrize("command, stdin, message", [
    ("diff", "", "error: must specify one of -f and -k\n"),
    ("diff -f -", "apiVersion: v1\nkind: Nope\nmetadata:\n  name: x\n",
     ('error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind "Nope" in '
      'version "v1"\nensure CRDs are installed first\n')),
    ("diff -f - --prune", DEPLOYMENT, "error: diff --prune is not available in this simulated cluster\n"),
], ids=["without -f", "a kind the server does not serve", "--prune"])
def test_errors_exit_2_as_kubectl_diff_does(cluster, command, stdin, message):
    result = cluster.kubectl(command, stdin=stdin)
    assert (result.stdout, result.stderr, result.code) == ("", message, 2)


def test_server_side_diff_asks_for_a_server_side_apply(cluster):
    result = cluster.kubectl("diff --server-side -f -", stdin=DEPLOYMENT.replace("replicas: 2", "replicas: 5"))
    assert result.code == 1
    assert [line for line in result.stdout.splitlines()[3:] if line[:1] in "+-"] == [
        "-  generation: 1", "+  generation: 2", "-  replicas: 2", "+  replicas: 5"]


GNU_CASES = [
    ("a value changes", "a: 1\nb: 2\nc: 3\n", "a: 1\nb: 9\nc: 3\n"),
    ("an item is added to a list of equal-looking items: after the last one it equals",
     "x:\n- a\n- b\n- a\n- b\ny: 1\n", "x:\n- a\n- b\n- a\n- b\n- a\n- b\ny: 1\n"),
    ("a repeated block is removed", "c:\n- t: 1\n  s: ok\n- t: 1\n  s: ok\n- t: 2\n  s: no\n",
     "c:\n- t: 1\n  s: ok\n- t: 2\n  s: no\n"),
    ("changes more than six lines apart are two hunks", "".join(f"k{i}: v\n" for i in range(20)),
     "".join(f"k{i}: {'w' if i in (2, 12) else 'v'}\n" for i in range(20))),
    ("changes six lines apart are one hunk", "".join(f"k{i}: v\n" for i in range(20)),
     "".join(f"k{i}: {'w' if i in (2, 9) else 'v'}\n" for i in range(20))),
    ("a file without a final newline", "a\nb", "a\nc"),
]


@pytest.mark.skipif(shutil.which("diff") is None, reason="GNU diff is not installed")
@pytest.mark.parametrize("old, new", [c[1:] for c in GNU_CASES], ids=[c[0] for c in GNU_CASES])
def test_unified_diff_prints_what_gnu_diff_prints(tmp_path, old, new):
    assert unified_diff(old, new, "--- a", "+++ b") == _gnu(tmp_path, old, new)


@pytest.mark.skipif(shutil.which("diff") is None, reason="GNU diff is not installed")
def test_unified_diff_matches_gnu_diff_on_random_edits_of_objects(tmp_path, cluster):
    from k8slearn.api.meta import thaw

    objects = [thaw(o) for o in [cluster.api.get("deployments", "web"), *cluster.api.list("pods"),
                                 *cluster.api.list("nodes")]]
    rng = random.Random(7)
    for _ in range(150):
        old = rng.choice(objects)
        new = copy.deepcopy(old)
        for _ in range(rng.randint(1, 3)):
            _mutate(rng, new)
        a, b = to_yaml(old), to_yaml(new)
        assert unified_diff(a, b, "--- a", "+++ b") == _gnu(tmp_path, a, b)


def _gnu(tmp_path, old: str, new: str) -> str:
    (tmp_path / "a").write_text(old)
    (tmp_path / "b").write_text(new)
    out = subprocess.run(["diff", "-u", "a", "b"], cwd=tmp_path, capture_output=True, text=True, check=False).stdout
    if not out:
        return ""
    lines = out.splitlines(keepends=True)
    return "--- a\n+++ b\n" + "".join(lines[2:])


def _mutate(rng, value) -> None:
    """A random edit: a list item copied or dropped, a key added or dropped, a value changed."""
    if isinstance(value, dict) and value:
        key = rng.choice(sorted(value))
        roll = rng.random()
        if roll < 0.2:
            value.pop(key)
        elif roll < 0.4:
            value[f"z{rng.randint(0, 99)}"] = rng.choice(["x", 1, {"a": "b"}, ["q"]])
        elif isinstance(value[key], (dict, list)) and value[key]:
            _mutate(rng, value[key])
        else:
            value[key] = "changed"
    elif isinstance(value, list) and value:
        index = rng.randrange(len(value))
        roll = rng.random()
        if roll < 0.3:
            value.insert(index, copy.deepcopy(value[index]))
        elif roll < 0.5:
            value.pop(index)
        elif isinstance(value[index], (dict, list)):
            _mutate(rng, value[index])
        else:
            value[index] = "changed"


def test_a_selector_diffs_only_the_files_objects_it_matches(cluster):
    changed = DEPLOYMENT.replace("nginx:1.27", "nginx:1.28")
    other = DEPLOYMENT.replace("name: web", "name: other\n  labels: {tier: new}", 1)
    result = cluster.kubectl("diff -l tier=new -f -", stdin=changed + "---\n" + other)
    headers = [line.split("/")[-1] for line in result.stdout.splitlines() if line.startswith("diff -u")]
    assert (headers, result.stderr, result.code) == (["apps.v1.Deployment.default.other"], "", 1)
