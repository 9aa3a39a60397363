"""--record: deprecated but accepted; the command line becomes kubernetes.io/change-cause."""

import pytest

from k8slearn import Cluster

DEPRECATED = "Flag --record has been deprecated, --record will be removed in the future\n"


@pytest.fixture
def cluster():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment nginx-deployment --image=nginx:1.14.2 --replicas=2")
    c.settle()
    return c


def test_set_image_with_record_fills_the_change_cause_column_of_rollout_history(cluster):
    result = cluster.kubectl("set image deployment/nginx-deployment nginx=nginx:1.16.1 --record")
    assert (result.stdout, result.stderr) == ("deployment.apps/nginx-deployment image updated\n", DEPRECATED)
    cluster.settle()
    assert cluster.kubectl("rollout history deployment/nginx-deployment").stdout == (
        "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n"
        "2         kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1 --record=true\n\n")


@pytest.mark.parametrize("command, cause", [
    ("scale deployment nginx-deployment --replicas=3 --record",
     "kubectl scale deployment nginx-deployment --replicas=3 --record=true"),
    ("annotate deployment nginx-deployment team=a --record -n default",
     "kubectl annotate deployment nginx-deployment team=a --record=true --namespace=default"),
    ("""patch deployment nginx-deployment --type=json -p '[{"op":"replace","path":"/spec/replicas","value":1}]' --record""",
     'kubectl patch deployment nginx-deployment --type=json '
     '--patch=[{"op":"replace","path":"/spec/replicas","value":1}] --record=true'),
], ids=["scale records its command line", "flags come as --long-name=value, in the order given",
        "a JSON patch records with a merge patch of its own"])
def test_commands_that_change_an_object_record_their_command_line(cluster, command, cause):
    result = cluster.kubectl(command)
    assert (result.stderr, result.code) == (DEPRECATED, 0)
    annotations = cluster.api.get("deployments", "nginx-deployment")["metadata"]["annotations"]
    assert annotations["kubernetes.io/change-cause"] == cause


def test_record_false_records_nothing_but_is_still_deprecated(cluster):
    result = cluster.kubectl("scale deployment nginx-deployment --replicas=3 --record=false")
    assert result.stderr == DEPRECATED
    assert "kubernetes.io/change-cause" not in cluster.api.get("deployments", "nginx-deployment")["metadata"]["annotations"]


def test_apply_records_in_the_object_and_its_last_applied_configuration(cluster):
    cluster.kubectl("apply -f - --record", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n")
    annotations = cluster.api.get("configmaps", "cm")["metadata"]["annotations"]
    assert annotations["kubernetes.io/change-cause"] == "kubectl apply --filename=- --record=true"
    assert '"kubernetes.io/change-cause":"kubectl apply --filename=- --record=true"' in \
        annotations["kubectl.kubernetes.io/last-applied-configuration"]


def test_commands_that_change_nothing_have_no_record_flag(cluster):
    assert cluster.kubectl("get pods --record").stderr == "error: unknown flag: --record\nSee 'kubectl get --help' for usage.\n"
