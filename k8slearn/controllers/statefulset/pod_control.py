"""Creating, fixing and deleting a StatefulSet's pods, with the events ``kubectl describe sts`` shows.

Each write records one event on the StatefulSet, worded by verb::

    Normal   SuccessfulCreate  create Pod web-0 in StatefulSet web successful
    Normal   SuccessfulDelete  delete Pod web-2 in StatefulSet web successful
    Warning  FailedCreate      create Pod web-0 in StatefulSet web failed error: <the API error>

(the ReplicaSet's ``Created pod: ...`` wording is not used here). A create that finds the pod
already there records nothing: the cache was behind, the next sync sees the pod.

>>> pod_event("create", "web-0", "web", None)
('Normal', 'SuccessfulCreate', 'create Pod web-0 in StatefulSet web successful')

Simplified: no PersistentVolumeClaims are created before the pod (the simulation has none), so
the claim events (``create Claim www-web-0 Pod web-0 in StatefulSet web success``) and the
retention-policy owner references never happen;
an update that conflicts is tried again once, on a fresh read, not with client-go's back-off.

Upstream: pkg/controller/statefulset/stateful_pod_control.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw
from k8slearn.controllers.statefulset.utils import (
    identity_matches,
    storage_matches,
    update_identity,
    update_storage,
)


def pod_event(verb: str, pod_name: str, set_name: str, err: Exception | None) -> tuple[str, str, str]:
    """recordPodEvent: (type, reason, message) for ``verb`` done to a pod of the set."""
    if err is None:
        return ("Normal", f"Successful{verb.title()}",
                f"{verb.lower()} Pod {pod_name} in StatefulSet {set_name} successful")
    return ("Warning", f"Failed{verb.title()}",
            f"{verb.lower()} Pod {pod_name} in StatefulSet {set_name} failed error: {err}")


class StatefulPodControl:
    """The StatefulSet controller's hands: every pod write goes through here."""

    def __init__(self, client: Any, recorder: Any) -> None:
        self.client = client
        self.recorder = recorder
        self.writes = 0  # pod writes sent so far (the controller waits for their watch events)

    def _record(self, verb: str, sts: dict, pod: dict, err: Exception | None) -> None:
        """recordPodEvent, once per write sent (whether it worked or not)."""
        self.writes += 1
        self.recorder.event(sts, *pod_event(verb, pod["metadata"]["name"], sts["metadata"]["name"], err))

    def create_stateful_pod(self, sts: dict, pod: dict) -> None:
        try:
            self.client.create(pod)
        except ApiError as err:
            if err.reason != "AlreadyExists":  # sunk without an event: the cache was behind
                self._record("create", sts, pod, err)
            raise
        self._record("create", sts, pod, None)

    def update_stateful_pod(self, sts: dict, pod: dict) -> None:
        """Put the pod's identity right (name label, index label) if someone changed it."""
        pod = thaw(pod)
        for attempt in range(2):
            if identity_matches(sts, pod) and storage_matches(sts, pod):
                return
            update_identity(sts, pod)
            update_storage(sts, pod)
            try:
                self.client.update(pod)
            except ApiError as err:
                if attempt or err.code != 409:
                    self._record("update", sts, pod, err)
                    raise
                pod = self.client.get("pods", pod["metadata"]["name"], pod["metadata"]["namespace"])
                continue
            self._record("update", sts, pod, None)
            return

    def delete_stateful_pod(self, sts: dict, pod: dict) -> None:
        try:
            self.client.delete("pods", pod["metadata"]["name"], pod["metadata"]["namespace"])
        except ApiError as err:
            self._record("delete", sts, pod, err)
            raise
        self._record("delete", sts, pod, None)
