"""kubectl set env / set resources against the simulated cluster: the template changes, a rollout follows.

(Their exact texts are checked against the real kubectl v1.32 in test_kubectl_golden.py.)
"""

import pytest

from k8slearn import Cluster


@pytest.fixture(scope="module")
def rolled():
    """A Deployment whose env and resources were set, after the rollouts settled."""
    c = Cluster(workers=2, seed=5)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.kubectl("create configmap cfg --from-literal=db.host=10.0.0.9")
    c.settle()
    outputs = []
    for command in ("set env deployment/web MODE=prod LOG=debug",
                    "set env deployment/web LOG- --from=configmap/cfg --prefix=APP_",
                    "set resources deployment/web --limits=cpu=0.5,memory=256Mi --requests=cpu=100m"):
        outputs.append(str(c.kubectl(command)))
        c.settle()  # each change rolls out before the next
    return c, outputs


def template_container(c):
    return c.api.get("deployments", "web")["spec"]["template"]["spec"]["containers"][0]


def test_each_command_says_what_it_updated(rolled):
    _, outputs = rolled
    assert outputs == ["deployment.apps/web env updated\n",
                       "Warning: key db.host transferred to DB_HOST\ndeployment.apps/web env updated\n",
                       "deployment.apps/web resource requirements updated\n"]


def test_the_template_has_the_variables_in_order_and_the_canonical_quantities(rolled):
    c, _ = rolled
    container = template_container(c)
    assert container["env"] == [
        {"name": "MODE", "value": "prod"},
        {"name": "APP_DB_HOST", "valueFrom": {"configMapKeyRef": {"key": "db.host", "name": "cfg"}}},
    ]
    assert container["resources"] == {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m"}}


def test_every_change_of_the_template_was_a_rollout_to_a_new_replica_set(rolled):
    c, _ = rolled
    history = str(c.kubectl("rollout history deployment/web"))
    assert [line.split()[0] for line in history.splitlines()[2:] if line.strip()] == ["1", "2", "3", "4"]
    pods = c.api.list("pods", "default")
    assert len(pods) == 2
    assert all(p["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "500m" for p in pods)
    assert all(p["status"]["phase"] == "Running" for p in pods)


@pytest.mark.parametrize("command, stdout, stderr, code", [
    ("set env deployment/web MODE=prod", "", "", 0),
    ("set env deployment/web MODE=dev --overwrite=false", "",
     "error: deployments/web 'MODE' already has a value (prod), and --overwrite is false\n", 1),
    ("set env deployment/web --list",
     "# Deployment web, container nginx\nMODE=prod\n# APP_DB_HOST from configmap cfg, key db.host\n", "", 0),
    ("set resources deployment/web --requests=cpu=100m", "", "", 0),
], ids=[
    "setting a value a variable already has changes nothing and prints nothing",
    "--overwrite=false refuses to change a value",
    "--list prints the variables and references without changing anything",
    "setting a request to its value changes nothing and prints nothing",
])
def test_commands_that_change_nothing(rolled, command, stdout, stderr, code):
    c, _ = rolled
    revision = c.api.get("deployments", "web")["metadata"]["resourceVersion"]
    result = c.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)
    assert c.api.get("deployments", "web")["metadata"]["resourceVersion"] == revision


def test_a_running_pods_env_cannot_change():
    c = Cluster(workers=1, seed=5)
    c.kubectl("run solo --image=nginx")
    c.settle()
    result = c.kubectl("set env pod/solo A=1")
    assert result.code == 1
    assert result.stderr.startswith('error: failed to patch env update to pod template: Pod "solo" is invalid: '
                                    "spec: Forbidden: pod updates may not change fields other than")
    assert "env" not in c.api.get("pods", "solo")["spec"]["containers"][0]


NOT_A_TEMPLATE = "the object is not a pod or does not have a pod template: *v1."
CONFIGMAP_FILE = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"


@pytest.mark.parametrize("command, stdin, stderr", [
    ("set image pdb/web nginx=x", "", f"error: poddisruptionbudgets/web {NOT_A_TEMPLATE}PodDisruptionBudget\n"),
    ("set env pdb/web A=1", "", f"error: poddisruptionbudgets/web {NOT_A_TEMPLATE}PodDisruptionBudget\n"),
    ("set resources pdb/web --limits=cpu=1", "",
     f"error: poddisruptionbudgets/web {NOT_A_TEMPLATE}PodDisruptionBudget\n"),
    ("set serviceaccount pdb/web robot", "", f"error: poddisruptionbudgets/web {NOT_A_TEMPLATE}PodDisruptionBudget\n"),
    ("set image -f - nginx=x --local", CONFIGMAP_FILE, f"error: configmap/cm {NOT_A_TEMPLATE}ConfigMap\n"),
    ("set serviceaccount -f - robot --local", CONFIGMAP_FILE, f"error: configmap/cm {NOT_A_TEMPLATE}ConfigMap\n"),
], ids=[
    "set image names a server object by its resource alone, without its group",
    "set env does the same",
    "set resources does the same",
    "set serviceaccount does the same",
    "set image --local names a file object by its kind in lower case",
    "set serviceaccount --local does the same",
])
def test_an_object_without_a_pod_template_is_named_as_kubectls_info_object_name_does(command, stdin, stderr):
    c = Cluster(workers=1, seed=5)
    c.kubectl("create poddisruptionbudget web --selector=app=web --min-available=1")
    result = c.kubectl(command, stdin=stdin)
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)
