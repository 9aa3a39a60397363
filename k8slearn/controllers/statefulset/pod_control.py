"""Creating, fixing and deleting a StatefulSet's pods, with the events ``kubectl describe sts`` shows.

Each write records one event on the StatefulSet, worded by verb::

    Normal   SuccessfulCreate  create Pod web-0 in StatefulSet web successful
    Normal   SuccessfulDelete  delete Pod web-2 in StatefulSet web successful
    Warning  FailedCreate      create Pod web-0 in StatefulSet web failed error: <the API error>

(the ReplicaSet's ``Created pod: ...`` wording is not used here). A create that finds the pod
already there records nothing: the cache was behind, the next sync sees the pod.

>>> pod_event("create", "web-0", "web", None)
('Normal', 'SuccessfulCreate', 'create Pod web-0 in StatefulSet web successful')

Before the pod, its claims (one per ``volumeClaimTemplates`` entry) are created if missing, each
with its own event; after it, their owner references are set as the retention policy says::

    Normal   SuccessfulCreate  create Claim www-web-0 Pod web-0 in StatefulSet web success
    Normal   SuccessfulCreate  create Pod web-0 in StatefulSet web successful

>>> claim_event("create", "www-web-0", "web-0", "web", None)
('Normal', 'SuccessfulCreate', 'create Claim www-web-0 Pod web-0 in StatefulSet web success')

Simplified: an update that conflicts is tried again once, on a fresh read, not with client-go's
back-off; the claims are created in template order (upstream: a map's random order).

Upstream: pkg/controller/statefulset/stateful_pod_control.go (CreateStatefulPod,
createPersistentVolumeClaims, createMissingPersistentVolumeClaims, recordClaimEvent,
UpdatePodClaimForRetentionPolicy, ClaimsMatchRetentionPolicy, PodClaimIsStale, UpdateStatefulPod)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw
from k8slearn.controllers.base import Requeue
from k8slearn.controllers.statefulset.claims import (
    DELETE,
    get_persistent_volume_claim_retention_policy,
    get_persistent_volume_claims,
    has_stale_owner_ref,
    has_unexpected_controller,
    is_claim_owner_up_to_date,
    update_claim_owner_ref_for_set_and_pod,
)
from k8slearn.controllers.statefulset.utils import (
    get_ordinal,
    get_persistent_volume_claim_name,
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


def claim_event(verb: str, claim_name: str, pod_name: str, set_name: str,
                err: Exception | None) -> tuple[str, str, str]:
    """recordClaimEvent: (type, reason, message) for ``verb`` done to one of a pod's claims."""
    if err is None:
        return ("Normal", f"Successful{verb.title()}",
                f"{verb.lower()} Claim {claim_name} Pod {pod_name} in StatefulSet {set_name} success")
    return ("Warning", f"Failed{verb.title()}",
            f"{verb.lower()} Claim {claim_name} for Pod {pod_name} in StatefulSet {set_name} failed error: {err}")


def aggregate(errors: list[str]) -> Requeue:
    """errorutils.NewAggregate: the one error alone, or ``[a, b]``; the sync is retried."""
    return Requeue(errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]")


class StatefulPodControl:
    """The StatefulSet controller's hands: every pod write goes through here."""

    def __init__(self, client: Any, recorder: Any, claim_lister: Any = None) -> None:
        self.client = client
        self.recorder = recorder
        self.claim_lister = claim_lister  # the PersistentVolumeClaim informer's lister
        self.writes = 0  # pod writes sent so far (the controller waits for their watch events)

    def _record(self, verb: str, sts: dict, pod: dict, err: Exception | None) -> None:
        """recordPodEvent, once per write sent (whether it worked or not)."""
        self.writes += 1
        self.recorder.event(sts, *pod_event(verb, pod["metadata"]["name"], sts["metadata"]["name"], err))

    def _get_claim(self, namespace: str, name: str) -> dict | None:
        return self.claim_lister.get(name, namespace) if self.claim_lister is not None else None

    def create_stateful_pod(self, sts: dict, pod: dict) -> None:
        """CreateStatefulPod: the pod's claims first, then the pod, then the claims' owners."""
        try:
            self.create_persistent_volume_claims(sts, pod)
        except Requeue as err:
            self._record("create", sts, pod, err)
            raise
        try:
            created = self.client.create(pod)
        except ApiError as err:
            if err.reason != "AlreadyExists":  # sunk without an event: the cache was behind
                self._record("create", sts, pod, err)
            raise
        try:
            self.update_pod_claim_for_retention_policy(sts, created)
        except Requeue as err:
            self._record("update", sts, pod, err)
            raise
        self._record("create", sts, pod, None)

    def create_persistent_volume_claims(self, sts: dict, pod: dict) -> None:
        """createPersistentVolumeClaims: create each missing claim (with its event); a claim
        being deleted is an error (the pod waits until it is gone and made again)."""
        errors = []
        for claim in get_persistent_volume_claims(sts, pod):
            meta = claim["metadata"]
            existing = self._get_claim(meta["namespace"], meta["name"])
            if existing is None:
                err = None
                try:
                    self.client.create(claim)
                except ApiError as e:
                    err = e
                    errors.append(f"failed to create PVC {meta['name']}: {e}")
                self.writes += 1
                if err is None or err.reason != "AlreadyExists":
                    self.recorder.event(sts, *claim_event("create", meta["name"], pod["metadata"]["name"],
                                                          sts["metadata"]["name"], err))
            elif existing["metadata"].get("deletionTimestamp"):
                errors.append(f"pvc {meta['name']} is being deleted")
        if errors:
            raise aggregate(errors)

    def create_missing_persistent_volume_claims(self, sts: dict, pod: dict) -> None:
        """createMissingPersistentVolumeClaims: a Pending pod's claims that are gone (deleted while
        it waited to be scheduled) are made again, and every claim gets the owners the retention
        policy wants, so the pod can be scheduled.

        Simplified: a claim update that conflicts is retried on the next sync without the
        ``FailedUpdate`` event upstream records. The conflict comes from the PV controller binding
        the new claim in the same simulated instant; upstream, whose binding takes API round trips
        first, this controller's update usually lands before it."""
        self.create_persistent_volume_claims(sts, pod)
        try:
            self.update_pod_claim_for_retention_policy(sts, pod)
        except Requeue as err:
            if not (isinstance(err.__cause__, ApiError) and err.__cause__.code == 409):
                self._record("update", sts, pod, err)
            raise

    def update_pod_claim_for_retention_policy(self, sts: dict, pod: dict) -> None:
        """UpdatePodClaimForRetentionPolicy: give each existing claim the owner references the
        retention policy wants (a claim not in the cache yet is left for the next sync)."""
        for template in sts["spec"].get("volumeClaimTemplates") or ():
            name = get_persistent_volume_claim_name(sts, template, get_ordinal(pod))
            claim = self._get_claim(sts["metadata"]["namespace"], name)
            if claim is None:
                continue
            if has_unexpected_controller(claim, sts, pod):
                self.recorder.event(sts, "Warning", "ConflictingController",
                                    f"PersistentVolumeClaim {name} has a conflicting OwnerReference that acts as a "
                                    "manging controller, the retention policy is ignored for this claim")
            if not is_claim_owner_up_to_date(claim, sts, pod):
                claim = thaw(claim)
                update_claim_owner_ref_for_set_and_pod(claim, sts, pod)
                try:
                    self.client.update(claim)
                except ApiError as err:
                    raise Requeue(f"could not update claim {name} for delete policy ownerRefs: {err}") from err
                self.writes += 1

    def claims_match_retention_policy(self, sts: dict, pod: dict) -> bool:
        """ClaimsMatchRetentionPolicy: every existing claim of the pod has the owners it should."""
        for template in sts["spec"].get("volumeClaimTemplates") or ():
            name = get_persistent_volume_claim_name(sts, template, get_ordinal(pod))
            claim = self._get_claim(sts["metadata"]["namespace"], name)
            if claim is not None and not is_claim_owner_up_to_date(claim, sts, pod):
                return False
        return True

    def pod_claim_is_stale(self, sts: dict, pod: dict) -> bool:
        """PodClaimIsStale: with whenScaled Delete, a claim still owned by an older pod of the same
        name (about to be garbage collected) must go before the new pod is made."""
        if get_persistent_volume_claim_retention_policy(sts)[1] != DELETE:
            return False
        for claim in get_persistent_volume_claims(sts, pod):
            existing = self._get_claim(claim["metadata"]["namespace"], claim["metadata"]["name"])
            if existing is not None and has_stale_owner_ref(existing, pod, "Pod"):
                return True
        return False

    def update_stateful_pod(self, sts: dict, pod: dict) -> None:
        """UpdateStatefulPod: put the pod's identity (name and index labels) and storage right,
        create missing claims, give the claims the owners the retention policy wants; then write
        the pod (even when only its claims changed, as upstream does)."""
        pod = thaw(pod)
        for attempt in range(2):
            if not self._make_consistent(sts, pod):
                return
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

    def _make_consistent(self, sts: dict, pod: dict) -> bool:
        """The fixes UpdateStatefulPod makes to ``pod`` (a copy) and its claims; True if any."""
        dirty = False
        if not identity_matches(sts, pod):
            update_identity(sts, pod)
            dirty = True
        try:
            if not storage_matches(sts, pod):
                update_storage(sts, pod)
                dirty = True
                self.create_persistent_volume_claims(sts, pod)
            if not self.claims_match_retention_policy(sts, pod):
                self.update_pod_claim_for_retention_policy(sts, pod)
                dirty = True
        except Requeue as err:
            self._record("update", sts, pod, err)
            raise
        return dirty

    def delete_stateful_pod(self, sts: dict, pod: dict) -> None:
        try:
            self.client.delete("pods", pod["metadata"]["name"], pod["metadata"]["namespace"])
        except ApiError as err:
            self._record("delete", sts, pod, err)
            raise
        self._record("delete", sts, pod, None)
