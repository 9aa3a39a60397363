"""Mutated manifests never crash kubectl or the simulation: each is refused with Kubernetes' text, or
accepted and run like any other object.

A fixed list of mutations of the usual objects (a field set to a value of another JSON type, or
removed), applied, created and dry-run; then simulated time runs. Python's own exceptions must not
appear in kubectl's answers, and the event loop must keep going (a controller or kubelet that
raised would end the simulation).
"""

import copy
import random

import pytest
import yaml

from k8slearn import Cluster

BASE = [
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "b"}},
     "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}],
                              "env": [{"name": "X", "value": "1"}], "resources": {"requests": {"cpu": "100m"}}}],
              "restartPolicy": "Always"}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
     "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "d"}},
              "template": {"metadata": {"labels": {"app": "d"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}},
              "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}}}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
     "spec": {"selector": {"app": "d"}, "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}},
    {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "ds"},
     "spec": {"selector": {"matchLabels": {"app": "ds"}}, "template": {"metadata": {"labels": {"app": "ds"}}, "spec": {
         "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}],
         "containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"]}]}}}},
    {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
     "spec": {"backoffLimit": 2, "template": {"spec": {"restartPolicy": "Never", "containers": [
         {"name": "c", "image": "busybox", "command": ["echo", "hi"]}]}}}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"k": "v"}},
]
ODD = [None, 0, -1, 1.5, "", "x", True, [], {}, [1], {"a": 1}, "-5", "999999999999", [None], {"": ""}]
PYTHON_ERRORS = ("TypeError", "AttributeError", "KeyError", "IndexError", "ValueError", "Traceback",
                 "RecursionError", "ZeroDivisionError", "OverflowError")


def mutations(seed: int, count: int):
    rng = random.Random(seed)
    for _ in range(count):
        obj = copy.deepcopy(rng.choice(BASE))
        paths = list(_paths(obj, ()))
        for _ in range(rng.randint(1, 3)):
            *parents, last = rng.choice(paths)
            target = obj
            try:
                for key in parents:
                    target = target[key]
                if rng.random() < 0.75:
                    target[last] = copy.deepcopy(rng.choice(ODD))
                elif isinstance(target, dict):
                    del target[last]
            except (KeyError, IndexError, TypeError):
                pass  # an earlier mutation changed the shape on the way
        yield obj


def _paths(value, path):
    """Every path into ``value``: its keys and list indexes, depth first."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*path, key)
        yield from _paths(child, (*path, key))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mutated_manifests_never_crash_kubectl_or_the_simulation(seed):
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    for i, obj in enumerate(mutations(seed, 60)):
        text = yaml.safe_dump(obj)
        for command in ("apply -f -", "create -f -", "apply --dry-run=server -f -"):
            result = cluster.kubectl(command, stdin=text)
            assert not any(name in result.stderr for name in PYTHON_ERRORS), (command, obj, result.stderr)
        cluster.run(1)  # controllers and kubelets act on what was accepted
        if i % 20 == 19:
            cluster.kubectl("delete pods,deployments,services,daemonsets,jobs,configmaps --all --now")
