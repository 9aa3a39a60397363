"""kubectl wait when objects go away during the wait, every -o format under get -w, and the
--request-timeout value client-go refuses, in a running simulated cluster.

Upstream (kubectl 1.32): staging/src/k8s.io/kubectl/pkg/cmd/wait/ (condition.go isConditionMet,
json.go isJSONPathConditionMet: a DELETED event is "not met yet"; wait.go RunWait:
IgnoreErrors(apierrors.IsNotFound) for --for=delete, with the builder's RetrieveLazy fetching a named
object at its turn), staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (watch: o.ToPrinter for every -o,
metav1.WatchEvent with --output-watch-events), staging/src/k8s.io/cli-runtime/pkg/printers/yaml.go
(the WatchEvent case), staging/src/k8s.io/kubectl/pkg/cmd/get/customcolumn.go (header once per
type), staging/src/k8s.io/client-go/tools/clientcmd/helpers.go (ParseTimeout).
"""

import pytest

from k8slearn import Cluster

INVALID_TIMEOUT = ("error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
                   "followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n")


def _pod(name, image="nginx"):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": name, "image": image}]}}


def _cluster():
    c = Cluster(workers=1, seed=0)
    c.settle()
    return c


# --- kubectl wait -------------------------------------------------------------------------------

def pod_that_never_gets_ready_deleted_after_2s():
    c = _cluster()
    c.kubectl("run web --image=nginx:doesnotexist")
    c.run(5)
    c.loop.call_later(2.0, lambda: c.api.delete("pods", "web", "default"))
    return c


def pod_deleted_after_1s_and_created_again_after_3s():
    c = _cluster()
    c.kubectl("run web --image=nginx:doesnotexist")
    c.run(5)
    c.loop.call_later(1.0, lambda: c.api.delete("pods", "web", "default", grace_period_seconds=0))
    c.loop.call_later(3.0, lambda: c.api.create(_pod("web")))
    return c


def rollout_replacing_two_pods_that_never_got_ready():
    c = _cluster()
    c.kubectl("create deployment web --image=nginx:doesnotexist --replicas=2")
    c.run(20)
    c.kubectl("set image deployment/web nginx=nginx:1.27")  # the rollout deletes the waited-for pods
    return c


def slow_and_fast_pod_both_being_deleted():
    """a-slow (busybox sleep ignores SIGTERM) takes its 30 s grace period; b-fast is gone in about 1 s."""
    c = _cluster()
    c.kubectl("run a-slow --image=busybox -l app=x -- sleep 3600")
    c.kubectl("run b-fast --image=nginx -l app=x")
    c.settle()
    c.kubectl("delete pod -l app=x --wait=false")
    return c


def nothing():
    return _cluster()


WAIT_CASES = [
    pytest.param(pod_that_never_gets_ready_deleted_after_2s,
                 "wait --for=condition=Ready pod/web --timeout=10s",
                 "", "error: timed out waiting for the condition on pods/web\n", 1, 10.0,
                 id="a condition wait on a pod deleted during the wait goes on to the deadline, no NotFound"),
    pytest.param(pod_that_never_gets_ready_deleted_after_2s,
                 "wait --for=jsonpath={.status.phase}=Running pod/web --timeout=10s",
                 "", "error: timed out waiting for the condition on pods/web\n", 1, 10.0,
                 id="a JSONPath wait on a pod deleted during the wait goes on to the deadline, no NotFound"),
    pytest.param(rollout_replacing_two_pods_that_never_got_ready,
                 "wait --for=condition=Ready pod -l app=web --timeout=30s",
                 "", "timed out waiting for the condition on pods/web-69d7c6c747-mf6d4\n"
                     "timed out waiting for the condition on pods/web-69d7c6c747-ntwfp\n", 1, 30.0,
                 id="pods a rollout deletes during a selector wait time out on the shared deadline"),
    pytest.param(pod_deleted_after_1s_and_created_again_after_3s,
                 "wait --for=condition=Ready pod/web --timeout=30s",
                 "pod/web condition met\n", "", 0, None,
                 id="a pod created again under the same name during the wait is checked when it is added"),
    pytest.param(nothing, "wait --for=condition=Ready pod/nope --timeout=5s",
                 "", 'Error from server (NotFound): pods "nope" not found\n', 1, 0.0,
                 id="a pod missing when the condition wait starts is still NotFound at once"),
    pytest.param(slow_and_fast_pod_both_being_deleted,
                 "wait --for=delete pod/a-slow pod/b-fast --timeout=60s",
                 "pod/a-slow condition met\n", "", 0, 30.1,
                 id="wait for delete prints nothing for a named pod already gone when its turn comes"),
    pytest.param(slow_and_fast_pod_both_being_deleted, "wait --for=delete pod/a-slow pod/b-fast --timeout=5s",
                 "", "error: timed out waiting for the condition on pods/a-slow\n", 1, 5.0,
                 id="wait for delete reports the one named pod left at the deadline with the error prefix"),
    pytest.param(slow_and_fast_pod_both_being_deleted, "wait --for=delete pod/b-fast pod/a-slow --timeout=5s",
                 "pod/b-fast condition met\n",
                 "error: timed out waiting for the condition on pods/a-slow\n", 1, 5.0,
                 id="wait for delete reports a named pod still there at its turn once it is gone"),
    pytest.param(slow_and_fast_pod_both_being_deleted, "wait --for=delete pod -l app=x --timeout=60s",
                 "pod/a-slow condition met\npod/b-fast condition met\n", "", 0, 30.1,
                 id="wait for delete with a selector lists the pods up front and reports each of them"),
]


@pytest.mark.parametrize("setup, command, stdout, stderr, code, seconds", WAIT_CASES)
def test_wait(setup, command, stdout, stderr, code, seconds):
    c = setup()
    start = c.now
    result = c.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)
    if seconds is not None:
        assert c.now - start == pytest.approx(seconds, abs=0.05)


# --- kubectl get -w with every output format --------------------------------------------------

def deployment_scaled_from_one_pod_to_two():
    c = _cluster()
    c.kubectl("create deployment web --image=nginx --replicas=1")
    c.settle()
    c.kubectl("scale deployment web --replicas=2")
    return c


def configmap_changed_after_1s():
    c = _cluster()
    c.kubectl("create configmap demo --from-literal=a=1")

    def change():
        cm = c.api.get("configmaps", "demo", "default")
        cm["data"]["a"] = "2"
        c.api.update(cm)
    c.loop.call_later(1.0, change)
    return c


OLD, NEW = "web-7957885594-mf6d4", "web-7957885594-vlc8w"

WATCH_CASES = [
    pytest.param(deployment_scaled_from_one_pod_to_two,
                 "get pods -w -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName",
                 "NAME                   NODE\n"
                 f"{OLD}   node-1\n"
                 f"{NEW}   <none>\n"
                 f"{NEW}   node-1\n"
                 f"{NEW}   node-1\n"
                 f"{NEW}   node-1\n", "", 0,
                 id="custom columns under watch print the header once, then a row per object and per change"),
    pytest.param(deployment_scaled_from_one_pod_to_two,
                 "get pods -w -o custom-columns=NAME:.metadata.name --no-headers",
                 f"{OLD}\n{NEW}\n{NEW}\n{NEW}\n{NEW}\n", "", 0,
                 id="custom columns under watch with no headers print only the rows"),
    pytest.param(deployment_scaled_from_one_pod_to_two,
                 "get pods -w --output-watch-events "
                 "-o custom-columns=EVENT:.type,NAME:.object.metadata.name,NODE:.object.spec.nodeName",
                 "EVENT   NAME                   NODE\n"
                 f"ADDED   {OLD}   node-1\n"
                 f"ADDED   {NEW}   <none>\n"
                 f"MODIFIED   {NEW}   node-1\n"
                 f"MODIFIED   {NEW}   node-1\n"
                 f"MODIFIED   {NEW}   node-1\n", "", 0,
                 id="custom columns of watch events read type and object, a wider cell widening its column"),
    pytest.param(configmap_changed_after_1s,
                 """get configmaps -w -o 'jsonpath={.metadata.name}={.data.a}{"\\n"}'""",
                 "demo=1\nkube-root-ca.crt=\ndemo=2\n", "", 0,
                 id="jsonpath under watch is applied to each object on its own"),
    pytest.param(configmap_changed_after_1s,
                 "get configmap demo -w --output-watch-events "
                 """-o 'jsonpath={.type} {.object.data.a}{"\\n"}'""",
                 "ADDED 1\nMODIFIED 2\n", "", 0,
                 id="jsonpath of watch events reads type and object"),
    pytest.param(configmap_changed_after_1s, "get configmap demo -w -o jsonpath={.data.a}",
                 "12", "", 0,
                 id="jsonpath under watch adds no newline of its own"),
    pytest.param(configmap_changed_after_1s, "get configmaps -w -o jsonpath=",
                 "", "error: template format specified but no template given\n", 1,
                 id="jsonpath under watch without a template is refused before anything is printed"),
    pytest.param(configmap_changed_after_1s,
                 "get configmaps -w -o jsonpath={.metadata.nope} --allow-missing-template-keys=false",
                 "", None, 1,
                 id="a jsonpath that fails on the list is reported as unable to output the object"),
    pytest.param(configmap_changed_after_1s, "get configmaps -w -o go-template={{.metadata.name}}",
                 "demokube-root-ca.crtdemo", "", 0,
                 id="go-template under watch prints each object and each change through the template"),
]


@pytest.mark.parametrize("setup, command, stdout, stderr, code", WATCH_CASES)
def test_watch_printers(setup, command, stdout, stderr, code):
    result = setup().kubectl(command)
    if stderr is None:
        assert result.stderr.startswith('error: unable to output the provided object: error executing '
                                        'jsonpath "{.metadata.nope}": Error executing template: nope is not '
                                        'found.')
        stderr = result.stderr
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)


def _yaml_event(cm, value, event_type):
    meta = cm["metadata"]
    return ("object:\n"
            "  apiVersion: v1\n"
            "  data:\n"
            f'    a: "{value}"\n'
            "  kind: ConfigMap\n"
            "  metadata:\n"
            f'    creationTimestamp: "{meta["creationTimestamp"]}"\n'
            "    name: demo\n"
            "    namespace: default\n"
            f'    resourceVersion: "{{rv}}"\n'
            f"    uid: {meta['uid']}\n"
            f"type: {event_type}\n")


@pytest.mark.parametrize("command, shown", [
    ("get configmap demo -w -o yaml --output-watch-events", "events"),
    ("get configmap demo -w -o yaml", "objects"),
], ids=["yaml watch events print object then type, separated by three dashes",
        "yaml under watch without events prints the objects, separated by three dashes"])
def test_watch_yaml(command, shown):
    c = configmap_changed_after_1s()
    before = c.api.get("configmaps", "demo", "default")
    result = c.kubectl(command)
    after = c.api.get("configmaps", "demo", "default")
    first = _yaml_event(before, "1", "ADDED").replace("{rv}", before["metadata"]["resourceVersion"])
    second = _yaml_event(after, "2", "MODIFIED").replace("{rv}", after["metadata"]["resourceVersion"])
    if shown == "objects":  # the object alone, one level less indented
        first, second = ("".join(line[2:] + "\n" for line in doc.splitlines()[1:-1])
                         for doc in (first, second))
    assert (result.stdout, result.stderr, result.code) == (first + "---\n" + second, "", 0)


# --- --request-timeout ----------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    "get pods --request-timeout=abc",
    "get pods -w --request-timeout=abc",
    "wait --for=delete pod/x --request-timeout=abc",
    "create deployment web --image=nginx --request-timeout=1.5",
    "delete pod x --request-timeout=-5",
    "version --request-timeout=10x",
], ids=["plain get refuses a bad request timeout",
        "get -w refuses a bad request timeout before printing the list",
        "wait refuses a bad request timeout",
        "create refuses a number with a point but no unit and creates nothing",
        "delete refuses a negative number without a unit",
        "version asking the server refuses an unknown unit"])
def test_a_bad_request_timeout_is_refused_before_anything_is_printed(command):
    c = _cluster()
    result = c.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == ("", INVALID_TIMEOUT, 1)
    assert c.api.list("deployments", "default") == []


@pytest.mark.parametrize("command, stderr", [
    ("get pods --request-timeout=0", "No resources found in default namespace.\n"),
    ("get pods --request-timeout=20", "No resources found in default namespace.\n"),
    ("get pods --request-timeout=20s", "No resources found in default namespace.\n"),
    ("get pods --request-timeout=2m", "No resources found in default namespace.\n"),
    ("get pods --request-timeout=1h", "No resources found in default namespace.\n"),
    ("get pods --request-timeout=-1s", "No resources found in default namespace.\n"),
    ("version --client --request-timeout=abc", ""),
    ("config current-context --request-timeout=abc", ""),
], ids=["zero means no timeout", "a plain integer is seconds", "seconds", "minutes", "hours",
        "a negative duration is accepted", "version --client builds no client config",
        "config commands build no client config"])
def test_a_valid_request_timeout_keeps_working(command, stderr):
    result = _cluster().kubectl(command)
    assert (result.stderr, result.code) == (stderr, 0)


@pytest.mark.parametrize("value, seconds", [("3", 3.0), ("4s", 4.0), ("1m", 60.0)],
                         ids=["a watch with a plain integer request timeout ends after that many seconds",
                              "a watch with a seconds request timeout ends after them",
                              "a watch with a minutes request timeout ends after them"])
def test_a_request_timeout_ends_a_watch(value, seconds):
    c = _cluster()
    c.kubectl("run crash --image=busybox -- sh -c 'exit 1'")  # restarts forever: never quiet
    start = c.now
    result = c.kubectl(f"get pods -w -o name --request-timeout={value}")
    assert (result.stderr, result.code) == ("", 0)
    assert c.now - start == pytest.approx(seconds)
