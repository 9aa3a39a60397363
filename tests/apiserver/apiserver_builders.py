"""Tiny builders for the API server tests: objects, a fresh server, and the failure check."""

from __future__ import annotations

import pytest

from k8slearn.api.errors import ApiError
from k8slearn.apiserver import APIServer
from k8slearn.etcd import MVCCStore
from k8slearn.sim import Loop


def new_server(seed: int = 0, namespaces=("default", "kube-system")) -> APIServer:
    server = APIServer(MVCCStore(), Loop(seed=seed))
    system = server.client("kube-apiserver")
    for name in namespaces:
        system.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    return server


def pod(name: str = "web", image: str = "nginx:1.27", namespace: str | None = None, **spec) -> dict:
    meta: dict = {"name": name} if name else {}
    if namespace:
        meta["namespace"] = namespace
    for key in ("labels", "generateName", "finalizers", "annotations"):
        if key in spec:
            meta[key] = spec.pop(key)
    body = {"containers": [{"name": "app", "image": image}], **spec}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": body}


def service(name: str = "web", type_: str = "ClusterIP", cluster_ip: str | None = None,
            ports: list | None = None, **spec) -> dict:
    ports = ports or [{"port": 80, "targetPort": 8080}]
    body = {"type": type_, "selector": {"app": name}, "ports": ports, **spec}
    if cluster_ip is not None:
        body["clusterIP"] = cluster_ip
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": body}


def deployment(name: str = "web", replicas: int = 1, image: str = "nginx:1.27", **meta) -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, **meta},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "app", "image": image}]}}},
    }


def configmap(name: str = "config", **meta) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, **meta}, "data": {"k": "v"}}


def node(name: str = "node-1") -> dict:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
            "status": {"capacity": {"cpu": "2", "memory": "4Gi", "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True"}]}}


def expect_error(server: APIServer, call, code: int, reason: str, message: str | None = None) -> ApiError:
    """Run ``call``; it must raise ApiError(code, reason[, message]) and leave the etcd revision unchanged."""
    before = server.store.revision
    with pytest.raises(ApiError) as info:
        call()
    err = info.value
    assert (err.code, err.reason) == (code, reason), err.message
    if message is not None:
        assert err.message == message
    assert server.store.revision == before, "a failed request must not write to etcd"
    return err
