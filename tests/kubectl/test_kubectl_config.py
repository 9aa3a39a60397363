"""kubectl config against sequences recorded from the real kubectl v1.32 (kubectl_capture.py --sequences):
each sequence runs its commands one after the other on one kubeconfig."""

import json
import os

import kubectl_worlds
import pytest
from kubectl_kit import kubectl_at

RECORDED = os.path.join(os.path.dirname(__file__), "..", "fixtures", "kubectl", "config_sequences.json")
with open(RECORDED, encoding="utf-8") as _handle:
    SEQUENCES = json.load(_handle)


@pytest.mark.parametrize("sequence", SEQUENCES, ids=[s["id"] for s in SEQUENCES])
def test_each_step_prints_what_the_real_kubectl_printed(sequence):
    k = kubectl_at(kubectl_worlds.WORLDS["cluster"](sequence["T"]), kubectl_worlds.ts(sequence["T"], 0))
    for step in sequence["steps"]:
        result = k.run(step["args"])
        assert (result.stdout, result.stderr, result.code) == (step["stdout"], step["stderr"], step["code"]), \
            " ".join(step["args"])


def test_a_context_whose_cluster_is_unknown_leaves_kubectl_without_a_server():
    k = kubectl_at([], kubectl_worlds.ts(0, 0))
    k.run("config set-context bad --cluster=nope --user=kubernetes-admin")
    result = k.run("--context=bad get pods")
    assert (result.stdout, result.code) == ("", 1)
    assert result.stderr == ("The connection to the server localhost:8080 was refused - did you specify the right "
                             "host or port?\n")


def test_a_context_whose_user_is_unknown_asks_for_a_username_and_reads_nothing():
    k = kubectl_at([], kubectl_worlds.ts(0, 0))
    k.run("config set-context bad --cluster=kubernetes --user=nobody")
    result = k.run("--context=bad get pods")
    assert (result.stdout, result.stderr, result.code) == ("Please enter Username: ", "error: EOF\n", 1)


def test_the_namespace_of_the_context_holds_for_every_later_command_of_the_cluster():
    from k8slearn import Cluster

    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create namespace dev")
    assert cluster.kubectl("config set-context --current --namespace=dev").stdout == \
        'Context "kubernetes-admin@kubernetes" modified.\n'
    cluster.kubectl("run web --image=nginx")
    assert cluster.api.get("pods", "web", "dev")["metadata"]["namespace"] == "dev"
    assert cluster.kubectl("get pods -o name").stdout == "pod/web\n"
