"""Helpers for the kubectl tests: a dict-backed API client and a fresh simulated API server.

``FakeClient`` serves fixed objects (read-only, as the golden tests need: exact statuses that
no controller would change; a patch returns the patched object without storing it). ``new_server()`` builds the real k8slearn API server with the
``default`` namespace, for end-to-end command tests.
"""

import copy

from k8slearn.api.errors import ApiError
from k8slearn.api.fields import parse_field_selector
from k8slearn.api.labels import parse_selector
from k8slearn.api.meta import parse_timestamp
from k8slearn.api.resources import by_kind, lookup
from k8slearn.kubectl import Kubectl


def _status_error(info, name, what, reason, code):
    """The API server's Status error for one object: ``pods "x" not found`` (404), ``... already exists`` (409)."""
    details = {"name": name, "group": info.group, "kind": info.plural} if info.group else {"name": name,
                                                                                         "kind": info.plural}
    return ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                     "message": f'{info.group_resource} "{name}" {what}', "reason": reason,
                     "details": details, "code": code})


class FakeClient:
    """get/list over a fixed set of objects, with field and label selectors; a watch replays the
    world's scripted changes at once (as the recording server streams them)."""

    def __init__(self, objects, script=None):
        self.objects = [copy.deepcopy(o) for o in objects]
        self.script = script or {}

    def _match(self, info, obj, namespace):
        if by_kind(obj["apiVersion"], obj["kind"]) != info:
            return False
        return not (info.namespaced and namespace and obj["metadata"].get("namespace") != namespace)

    def get(self, resource, name, namespace="default"):
        info = lookup(resource)
        for obj in self.objects:
            if self._match(info, obj, namespace or "default") and obj["metadata"]["name"] == name:
                return copy.deepcopy(obj)
        raise _status_error(info, name, "not found", "NotFound", 404)

    def list(self, resource, namespace=None, label_selector=None, field_selector=None):
        info = lookup(resource)
        labels = parse_selector(label_selector) if label_selector else None
        fields = parse_field_selector(field_selector) if field_selector else None
        found = []
        for obj in self.objects:
            if not self._match(info, obj, namespace):
                continue
            if labels is not None and not labels.matches(obj["metadata"].get("labels") or {}):
                continue
            if fields is not None and not fields.matches(obj):
                continue
            found.append(copy.deepcopy(obj))
        key = (lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
        return sorted(found, key=key)

    def create(self, obj, namespace=None, dry_run=False, field_validation=""):
        """A create as the recording server answers it: 409 AlreadyExists for a name that is there,
        else the object back (the fixed objects stay as they are)."""
        info = by_kind(obj["apiVersion"], obj["kind"])
        name = obj["metadata"]["name"]
        try:
            self.get(info.plural, name, namespace if info.namespaced else None)
        except ApiError:
            return copy.deepcopy(obj)
        raise _status_error(info, name, "already exists", "AlreadyExists", 409)

    def patch(self, resource, name, patch, namespace="default", patch_type="strategic", subresource="",
              dry_run=False, field_validation=""):
        """Apply a patch as the recording server does (kubectl_realserver.py: no defaulting, no
        validation) and return the result; the fixed objects stay as they are."""
        from k8slearn.api import patch as P

        info = lookup(resource)
        current = self.get(resource, name, namespace)
        if patch_type == "strategic":
            return P.strategic_merge_patch(current, patch, info.kind)
        if patch_type == "merge":
            return P.json_merge_patch(current, patch)
        return P.json_patch(current, patch)

    def delete(self, resource, name, namespace="default", grace_period_seconds=None, propagation_policy=None,
               dry_run=False):
        """A delete as the recording server answers it: 404 NotFound for a name that is not there,
        else the object (the fixed objects stay as they are)."""
        return self.get(resource, name, namespace if lookup(resource).namespaced else None)

    def watch(self, resource, namespace=None, resource_version=None, label_selector=None, field_selector=None,
              handler=None):
        """Replay the scripted events (a watch of one object from "now" first repeats it as ADDED)."""
        name = field_selector.split("=", 1)[1] if field_selector and field_selector.startswith("metadata.name=") else None
        events = [e for e in self.script.get(lookup(resource).plural, []) if name in (None, e[1]["metadata"]["name"])]
        if name is not None and resource_version in (None, "", "0"):
            events = [("ADDED", self.get(resource, name, namespace))] + events
        for event_type, obj in events:
            handler(event_type, copy.deepcopy(obj))
        return _Stopped()


class _Stopped:
    def stop(self):
        pass


class FakeLogs:
    """The containers' logs and execs as the recording server serves them (kubectl_realserver's
    fake_log, exec_refusal and fake_exec)."""

    def __init__(self, client=None):
        self.client = client

    def logs(self, namespace, name, container, previous=False, timestamps=False):
        from kubectl_realserver import fake_log, unreachable_logs

        from k8slearn.api.errors import ApiError

        if (self.client.get("pods", name, namespace).get("spec") or {}).get("nodeName") == "node-down":
            raise ApiError(unreachable_logs(namespace, name, container))
        text = fake_log(namespace, name, container)
        return "".join(f"2026-01-05T09:00:00Z {line}" for line in text.splitlines(True)) if timestamps else text

    def exec(self, namespace, name, container, argv, stdin=""):
        from kubectl_realserver import exec_refusal, fake_exec

        from k8slearn.api.errors import ApiError, ExecInternalError, StreamError

        refusal = exec_refusal(self.client.get("pods", name, namespace), container)
        if refusal is not None:
            code, body = refusal
            raise ApiError(body) if isinstance(body, dict) else StreamError(body)
        code, out, err, internal = fake_exec(namespace, name, container, argv)
        if internal:
            raise ExecInternalError(internal)
        return code, out, err


def kubectl_at(objects, rfc3339_now, script=None):
    """A Kubectl over FakeClient(objects, script) whose clock reads the given instant (and whose
    containers' logs are the recording server's canned ones)."""
    now = parse_timestamp(rfc3339_now)
    client = FakeClient(objects, script)
    return Kubectl(client, lambda: now, cluster=FakeLogs(client))


def new_server():
    """(store, client, Kubectl) over a fresh k8slearn API server with the default namespace."""
    from k8slearn.apiserver import APIServer
    from k8slearn.etcd import MVCCStore
    from k8slearn.sim import Loop

    loop = Loop(0)
    store = MVCCStore()
    server = APIServer(store, loop)
    client = server.client("kubectl")
    client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    return store, client, Kubectl(client, lambda: loop.now)
