"""What every workload controller shares: pod-template hashes, expectations, and pod creation and
deletion (with their events). Which pod a scale-down deletes first is in ``active_pods_with_ranks``,
adopting and releasing objects in ``controller_ref_manager``, pod conditions in ``pod_util``.

**The pod-template hash** names a Deployment's ReplicaSets (``web-7c4b4cb947``): FNV-32a over the
template, written in decimal, each digit mapped to a letter of the vowel-free alphabet so the
name never spells a word:

>>> safe_encode_string("3021820412")   # FNV-32a as a decimal string, digit by digit
'7465d64856'
>>> compute_hash({"metadata": {"labels": {"app": "web"}}}) == compute_hash({"metadata": {"labels": {"app": "web"}}})
True

**Expectations** stop a controller from acting twice on a stale cache. After creating 3 pods the
ReplicaSet controller expects to *see* 3 creations in its informer before it trusts its count:

>>> exp = ControllerExpectations(clock=lambda: 0.0)
>>> exp.expect_creations("default/web", 3); exp.satisfied_expectations("default/web")
False
>>> for _ in range(3): exp.creation_observed("default/web")
>>> exp.satisfied_expectations("default/web")
True

Simplified: the hash is taken over the template's JSON with sorted keys (upstream hashes a
spew dump of the Go struct, so the letters differ from a real cluster's for the same template);
pods are created one request at a time (slow-start batches still stop at the first failure).

Upstream: pkg/controller/controller_utils.go,
staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go (SafeEncodeString)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from k8slearn.api.errors import ApiError, namespace_terminating
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import ALPHANUMS, thaw
from k8slearn.api.taints import find_matching_untolerated_taint, tolerates_taint  # noqa: F401 (re-exported)

BURST_REPLICAS = 500  # the most pods one sync creates or deletes
SLOW_START_INITIAL_BATCH_SIZE = 1
EXPECTATIONS_TIMEOUT = 5 * 60.0

SUCCESSFUL_CREATE, FAILED_CREATE = "SuccessfulCreate", "FailedCreate"
SUCCESSFUL_DELETE, FAILED_DELETE = "SuccessfulDelete", "FailedDelete"
POD_CONTROLLER_UID_INDEX = "podControllerUID"
ORPHAN_POD_INDEX_KEY = "_ORPHAN_POD"


# ---- hashing -----------------------------------------------------------------------------------

def safe_encode_string(s: str) -> str:
    """rand.SafeEncodeString: each byte becomes ``ALPHANUMS[byte % 27]`` (no vowels, no 0/1/3)."""
    return "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in s.encode())


def fnv32a(data: bytes, h: int = 0x811C9DC5) -> int:
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def fnv32(data: bytes, h: int = 0x811C9DC5) -> int:
    """FNV-32 (multiply, then xor): what ControllerRevision names are hashed with."""
    for byte in data:
        h = ((h * 0x01000193) & 0xFFFFFFFF) ^ byte
    return h


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    """ComputeHash: FNV-32a of the template (+ collisionCount as 8 little-endian bytes), encoded.

    Upstream hashes the typed template, where an unset ``creationTimestamp`` is always there as a
    zero value; so a ``creationTimestamp: null`` in the JSON is left out here: it changes nothing.
    """
    meta = template.get("metadata")
    if meta and "creationTimestamp" in meta and meta["creationTimestamp"] is None:
        template = {**template, "metadata": {k: v for k, v in meta.items() if k != "creationTimestamp"}}
    h = fnv32a(json.dumps(template, sort_keys=True, separators=(",", ":")).encode())
    if collision_count is not None:
        h = fnv32a((collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4), h)
    return safe_encode_string(str(h))


# ---- label matching (a fast path for the common matchLabels-only selector) -----------------------

def label_selector_matcher(label_selector: dict | None) -> Callable[[dict | None], bool]:
    """``labels -> bool`` for a ``{matchLabels, matchExpressions}`` selector (None matches nothing)."""
    if label_selector is not None and not label_selector.get("matchExpressions"):
        return set_matcher(label_selector.get("matchLabels") or {})
    return selector_from_label_selector(label_selector).matches


def set_matcher(required: dict | None) -> Callable[[dict | None], bool]:
    """``labels -> bool``: every ``key: value`` of ``required`` is present (SelectorFromSet)."""
    items = tuple((required or {}).items())
    if len(items) == 1:
        # The usual selector (``app: web``) gets a matcher without a loop: a controller calls it
        # for every pod it owns on every sync (a simulation speed-up, same answers).
        ((key, value),) = items

        def matches_one(labels: dict | None) -> bool:
            return (labels.get(key) if labels else None) == value
        return matches_one

    def matches(labels: dict | None) -> bool:
        labels = labels or {}
        for k, v in items:
            if labels.get(k) != v:
                return False
        return True
    return matches


# ---- pods --------------------------------------------------------------------------------------

def get_controller_of(obj: dict) -> dict | None:
    """metav1.GetControllerOf: the ownerReference with ``controller: true``, if any."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def pod_controller_uid_index(pod: dict) -> list[str]:
    """The index the workload controllers share: pods by their controller's UID (orphans together)."""
    for ref in pod["metadata"].get("ownerReferences") or ():  # get_controller_of, inlined (each pod write)
        if ref.get("controller"):
            return [ref["uid"]]
    return [ORPHAN_POD_INDEX_KEY]


def add_pod_controller_uid_indexer(informer: Any) -> None:
    if POD_CONTROLLER_UID_INDEX not in informer.indexer.indexers:
        informer.add_indexers({POD_CONTROLLER_UID_INDEX: pod_controller_uid_index})


def filter_pods_by_owner(informer: Any, owner: dict, include_orphans: bool = True) -> list[dict]:
    """The pods a controller may claim: those it controls, plus orphans in its namespace."""
    meta = owner["metadata"]
    namespace = meta.get("namespace")
    pods = [p for p in informer.lister.by_index(POD_CONTROLLER_UID_INDEX, meta["uid"])
            if p["metadata"].get("namespace") == namespace]
    if include_orphans:
        pods += [p for p in informer.lister.by_index(POD_CONTROLLER_UID_INDEX, ORPHAN_POD_INDEX_KEY)
                 if p["metadata"].get("namespace") == namespace]
    return pods


_FINISHED = ("Succeeded", "Failed")  # the phases of a pod that is no longer active


def is_pod_active(pod: dict) -> bool:
    """Not finished and not being deleted."""
    return (pod.get("status") or {}).get("phase") not in _FINISHED \
        and not pod["metadata"].get("deletionTimestamp")


def filter_active_pods(pods: Iterable[dict]) -> list[dict]:
    # is_pod_active, inlined: a ReplicaSet sync filters all its pods (a speed-up, the same pods)
    return [p for p in pods if (p.get("status") or {}).get("phase") not in _FINISHED
            and not p["metadata"].get("deletionTimestamp")]


# ---- expectations ------------------------------------------------------------------------------

class ControllerExpectations:
    """Per controller key: how many creations/deletions we still expect the informer to show us."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.store: dict[str, list] = {}  # key -> [add, del, timestamp]

    def get_expectations(self, key: str) -> tuple[int, int] | None:
        exp = self.store.get(key)
        return (exp[0], exp[1]) if exp else None

    def satisfied_expectations(self, key: str) -> bool:
        """True if nothing is outstanding, nothing was ever expected, or the wait timed out (5 min)."""
        exp = self.store.get(key)
        if exp is None:
            return True
        if exp[0] <= 0 and exp[1] <= 0:
            return True
        return self.clock() - exp[2] > EXPECTATIONS_TIMEOUT

    def set_expectations(self, key: str, add: int, delete: int) -> None:
        self.store[key] = [add, delete, self.clock()]

    def expect_creations(self, key: str, adds: int) -> None:
        self.set_expectations(key, adds, 0)

    def expect_deletions(self, key: str, dels: int) -> None:
        self.set_expectations(key, 0, dels)

    def lower_expectations(self, key: str, add: int, delete: int) -> None:
        exp = self.store.get(key)
        if exp is not None:
            exp[0] -= add
            exp[1] -= delete

    def raise_expectations(self, key: str, add: int, delete: int) -> None:
        exp = self.store.get(key)
        if exp is not None:
            exp[0] += add
            exp[1] += delete

    def creation_observed(self, key: str) -> None:
        self.lower_expectations(key, 1, 0)

    def deletion_observed(self, key: str) -> None:
        self.lower_expectations(key, 0, 1)

    def delete_expectations(self, key: str) -> None:
        self.store.pop(key, None)


class UIDTrackingControllerExpectations(ControllerExpectations):
    """Expectations that remember *which* pods we deleted, so one deletion is never counted twice."""

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__(clock)
        self.uids: dict[str, set[str]] = {}

    def expect_deletions(self, key: str, pod_keys: Iterable[str]) -> None:  # type: ignore[override]
        keys = set(pod_keys)
        self.uids[key] = keys
        super().expect_deletions(key, len(keys))

    def deletion_observed(self, key: str, pod_key: str = "") -> None:  # type: ignore[override]
        keys = self.uids.get(key)
        if keys is not None and pod_key in keys:
            keys.discard(pod_key)
            super().deletion_observed(key)

    def delete_expectations(self, key: str) -> None:
        super().delete_expectations(key)
        self.uids.pop(key, None)


def slow_start_batch(count: int, initial_batch_size: int, fn: Callable[[], None]) -> tuple[int, ApiError | None]:
    """Call ``fn`` in batches of 1, 2, 4, ...; stop after a batch with a failure.

    Returns (successes, first error). A quota or admission error then costs one call, not 500.
    """
    remaining, successes = count, 0
    batch = min(remaining, initial_batch_size)
    while batch > 0:
        errors: list[ApiError] = []
        for _ in range(batch):
            try:
                fn()
            except ApiError as err:
                errors.append(err)
        successes += batch - len(errors)
        if errors:
            return successes, errors[0]
        remaining -= batch
        batch = min(2 * batch, remaining)
    return successes, None


# ---- writing status ----------------------------------------------------------------------------

def update_status_on_conflict(client: Any, resource: str, obj: dict, status_for: Callable[[dict], dict],
                              retries: int = 1) -> dict:
    """Write ``status_for(obj)`` as the object's status; on a 409 Conflict read it again and retry.

    ``status_for`` gets the copy about to be written (the fresh read on a retry). The shape of
    each controller's status updater (retry.RetryOnConflict around UpdateStatus).
    """
    current = thaw(obj)
    for attempt in range(retries + 1):
        current["status"] = status_for(current)
        try:
            return client.update_status(current)
        except ApiError as err:
            if attempt >= retries or err.code != 409:
                raise
            current = client.get(resource, obj["metadata"]["name"], obj["metadata"].get("namespace"))
    raise AssertionError("unreachable")  # pragma: no cover


# ---- creating and deleting pods ----------------------------------------------------------------

def get_pod_from_template(template: dict, owner: dict, controller_ref: dict | None) -> dict:
    """GetPodFromTemplate: the template's labels, annotations, finalizers and spec; ``<owner>-`` names."""
    meta = template.get("metadata") or {}
    pod_meta: dict = {"generateName": f"{owner['metadata']['name']}-",
                      "namespace": owner["metadata"].get("namespace")}
    for key in ("labels", "annotations", "finalizers"):
        if meta.get(key):
            pod_meta[key] = thaw(meta[key])
    if controller_ref is not None:
        pod_meta["ownerReferences"] = [thaw(controller_ref)]
    # The template's spec as it is (a read-only informer object goes into the request as it is):
    # the API server decodes its own copy of every request body, so a copy here would be thrown
    # away (a simulation speed-up: the server's copy, and so the pod, are the same).
    return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": template.get("spec") or {}}


class PodControl:
    """RealPodControl: create and delete pods for an owner, recording the events kubectl shows."""

    def __init__(self, client: Any, recorder: Any) -> None:
        self.client = client
        self.recorder = recorder

    def create_pod(self, pod: dict, owner: dict) -> dict:
        try:
            created = self.client.create(pod)
        except ApiError as err:
            if not namespace_terminating(err):  # only send an event if the namespace isn't terminating
                self.recorder.event(owner, "Warning", FAILED_CREATE, f"Error creating: {err}")
            raise
        self.recorder.event(owner, "Normal", SUCCESSFUL_CREATE, f"Created pod: {created['metadata']['name']}")
        return created

    def create_pods(self, template: dict, owner: dict, controller_ref: dict) -> dict:
        return self.create_pod(get_pod_from_template(template, owner, controller_ref), owner)

    def delete_pod(self, namespace: str, name: str, owner: dict) -> None:
        try:
            self.client.delete("pods", name, namespace)
        except ApiError as err:
            if err.code == 404:
                raise
            self.recorder.event(owner, "Warning", FAILED_DELETE, f"Error deleting: {err}")
            raise
        self.recorder.event(owner, "Normal", SUCCESSFUL_DELETE, f"Deleted pod: {name}")
