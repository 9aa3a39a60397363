"""Test kit for controllers: a real API server without any components, a client that records the
writes a controller makes, and tiny object builders.

A controller under test has its informers started (list + watch) but no workers: the test calls
``sync(key)`` itself and looks at the actions, then ``settle()`` delivers the watch events so the
informer caches catch up, exactly as between two syncs in a running cluster.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import owner_reference
from k8slearn.api.resources import by_kind, lookup
from k8slearn.apiserver import APIServer
from k8slearn.etcd import MVCCStore
from k8slearn.sim import Loop

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/, for node_helpers
from node_helpers import create_ready_node  # (the helper the harnesses share)

NAMESPACES = ("default", "kube-system", "kube-node-lease")


def _key(obj: dict) -> str:
    meta = obj["metadata"]
    return f"{meta['namespace']}/{meta['name']}" if meta.get("namespace") else meta["name"]


class RecordingClient:
    """Delegates to an API client; remembers each write as ``(verb, resource, key)``."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.actions: list[tuple] = []
        self.events: list[tuple[str, str, str]] = []
        self.fail: dict[tuple[str, str], ApiError] = {}  # (verb, resource) -> error to raise

    def _check(self, verb: str, resource: str) -> None:
        err = self.fail.get((verb, resource))
        if err is not None:
            self.actions.append((verb, resource, "error"))
            raise err

    def _note(self, verb: str, obj: dict) -> None:
        resource = by_kind(obj["apiVersion"], obj["kind"]).plural
        if resource == "events":
            self.events.append((obj["type"], obj["reason"], obj["message"]))
        else:
            self.actions.append((verb, resource, _key(obj)))

    def create(self, obj: dict, namespace: str | None = None, **kw: Any) -> dict:
        self._check("create", by_kind(obj["apiVersion"], obj["kind"]).plural)
        out = self.client.create(obj, namespace, **kw)
        self._note("create", out)
        return out

    def update(self, obj: dict, **kw: Any) -> dict:
        self._check("update", by_kind(obj["apiVersion"], obj["kind"]).plural)
        out = self.client.update(obj, **kw)
        if out.get("kind") == "Event":  # a repeated event: count + 1
            self.events.append((out["type"], out["reason"], out["message"]))
        else:
            self._note("update", out)
        return out

    def update_status(self, obj: dict, **kw: Any) -> dict:
        self._check("update_status", by_kind(obj["apiVersion"], obj["kind"]).plural)
        out = self.client.update_status(obj, **kw)
        self._note("update_status", out)
        return out

    def patch(self, resource: str, name: str, patch: Any, namespace: str | None = "default", **kw: Any) -> dict:
        out = self.client.patch(resource, name, patch, namespace, **kw)
        self.actions.append(("patch", lookup(resource).plural, _key(out)))
        return out

    def delete(self, resource: str, name: str, namespace: str | None = "default", **kw: Any) -> dict:
        plural = lookup(resource).plural
        self._check("delete", plural)
        out = self.client.delete(resource, name, namespace, **kw)
        self.actions.append(("delete", plural, f"{namespace}/{name}" if lookup(resource).namespaced else name))
        return out

    def __getattr__(self, name: str) -> Any:  # get, list, list_with_version, watch, bind
        return getattr(self.client, name)


class Harness:
    """An API server, a controller wired to it through a RecordingClient, and helpers."""

    def __init__(self, controller_cls: Any, *, seed: int = 0, **kwargs: Any) -> None:
        self.loop = Loop(seed=seed)
        self.server = APIServer(MVCCStore(), self.loop)
        self.api = self.server.client("test")
        for ns in NAMESPACES:
            self.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        self.client = RecordingClient(self.server.client(getattr(controller_cls, "name", "controller")))
        self.controller = controller_cls(self.loop, self.client, **kwargs)
        self.started = False

    def start(self) -> Harness:
        """Start the informers (list, then watch) and drop what that start-up wrote."""
        self.controller.informers.start()
        self.started = True
        self.settle()
        return self

    def settle(self, seconds: float = 0.05) -> None:
        """Deliver pending watch events (informer caches catch up; handlers enqueue keys).

        Runs the loop for a moment only: timers a controller set for later (a progress deadline,
        a toleration running out) stay pending until the test runs the loop that far.
        """
        self.loop.run(seconds)

    def sync(self, key: str) -> list[tuple]:
        """Run one sync; return the writes it made (events are in ``self.events``)."""
        self.client.actions.clear()
        self.client.events.clear()
        self.controller.sync(key)
        return list(self.client.actions)

    @property
    def events(self) -> list[tuple[str, str, str]]:
        return self.client.events

    def create(self, obj: dict, status: dict | None = None) -> dict:
        out = create_ready_node(self.api, obj) if obj.get("kind") == "Node" else self.api.create(obj)
        if status is not None:
            out["status"] = status
            out = self.api.update_status(out)
        if self.started:
            self.settle()
        return out

    def get(self, resource: str, name: str, namespace: str | None = "default") -> dict:
        return self.api.get(resource, name, namespace)

    def pods(self, namespace: str = "default") -> list[dict]:
        return self.api.list("pods", namespace)


# ---- builders ------------------------------------------------------------------------------------

def template(labels: dict | None = None, image: str = "nginx:1.27", **spec: Any) -> dict:
    return {"metadata": {"labels": dict(labels or {"app": "web"})},
            "spec": {"containers": [{"name": "nginx", "image": image}], **spec}}


def replicaset(name: str = "web", replicas: int = 3, labels: dict | None = None, **spec: Any) -> dict:
    labels = dict(labels or {"app": "web"})
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "template": template(labels),
                     **spec}}


def deployment(name: str = "web", replicas: int = 3, image: str = "nginx:1.27", strategy: dict | None = None,
               labels: dict | None = None, **spec: Any) -> dict:
    labels = dict(labels or {"app": name})
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "default"},
         "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                  "template": template(labels, image), **spec}}
    if strategy is not None:
        d["spec"]["strategy"] = strategy
    return d


def pod(name: str, labels: dict | None = None, owner: dict | None = None, node: str = "",
        phase: str | None = None, ready: bool | None = None, ready_since: float = 0.0,
        namespace: str = "default", ip: str = "", **spec: Any) -> tuple[dict, dict | None]:
    """A pod and the status to give it: ``(obj, status)`` for ``Harness.create(*pod(...))``."""
    meta: dict = {"name": name, "namespace": namespace, "labels": dict(labels or {"app": "web"})}
    if owner is not None:
        meta["ownerReferences"] = [owner_reference(owner)]
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
           "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                    "ports": [{"name": "http", "containerPort": 8080}]}], **spec}}
    if node:
        obj["spec"]["nodeName"] = node
    if phase is None and ready is None:
        return obj, None
    status: dict = {"phase": phase or "Running"}
    if ready is not None:
        t = f"2026-01-05T09:{int(ready_since) // 60:02d}:{int(ready_since) % 60:02d}Z"
        status["conditions"] = [{"type": "Ready", "status": "True" if ready else "False",
                                 "lastTransitionTime": t}]
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    return obj, status


def node(name: str, labels: dict | None = None, taints: list | None = None, ready: str = "True") -> dict:
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
            "spec": {"taints": list(taints)} if taints else {},
            "status": {"conditions": [{"type": "Ready", "status": ready, "reason": "KubeletReady",
                                       "lastHeartbeatTime": "2026-01-05T09:00:00Z",
                                       "lastTransitionTime": "2026-01-05T09:00:00Z"}]}}
