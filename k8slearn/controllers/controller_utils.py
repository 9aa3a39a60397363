"""What every workload controller shares: pod-template hashes, expectations, pod creation and
deletion (with their events), which pod to delete first, and adopting or releasing objects.

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

Upstream: pkg/controller/controller_utils.go, pkg/controller/controller_ref_manager.go,
staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go (SafeEncodeString)
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from functools import cmp_to_key
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import ALPHANUMS, parse_timestamp, thaw
from k8slearn.api.taints import find_matching_untolerated_taint, tolerates_taint  # noqa: F401 (re-exported)

BURST_REPLICAS = 500  # the most pods one sync creates or deletes
SLOW_START_INITIAL_BATCH_SIZE = 1
EXPECTATIONS_TIMEOUT = 5 * 60.0

SUCCESSFUL_CREATE, FAILED_CREATE = "SuccessfulCreate", "FailedCreate"
SUCCESSFUL_DELETE, FAILED_DELETE = "SuccessfulDelete", "FailedDelete"
POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
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


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    """ComputeHash: FNV-32a of the template (+ collisionCount as 8 little-endian bytes), encoded."""
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
    ref = get_controller_of(pod)
    return [ref["uid"]] if ref else [ORPHAN_POD_INDEX_KEY]


def add_pod_controller_uid_indexer(informer: Any) -> None:
    if POD_CONTROLLER_UID_INDEX not in informer.indexer.indexers:
        informer.add_indexers({POD_CONTROLLER_UID_INDEX: pod_controller_uid_index})


def filter_pods_by_owner(informer: Any, owner: dict, include_orphans: bool = True) -> list[dict]:
    """The pods a controller may claim: those it controls, plus orphans in its namespace."""
    meta = owner["metadata"]
    pods = [p for p in informer.lister.by_index(POD_CONTROLLER_UID_INDEX, meta["uid"])
            if p["metadata"].get("namespace") == meta.get("namespace")]
    if include_orphans:
        pods += [p for p in informer.lister.by_index(POD_CONTROLLER_UID_INDEX, ORPHAN_POD_INDEX_KEY)
                 if p["metadata"].get("namespace") == meta.get("namespace")]
    return pods


def is_pod_active(pod: dict) -> bool:
    """Not finished and not being deleted."""
    return (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed") \
        and not pod["metadata"].get("deletionTimestamp")


def filter_active_pods(pods: Iterable[dict]) -> list[dict]:
    return [p for p in pods if is_pod_active(p)]


def get_pod_condition(pod: dict, type_: str) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == type_:
            return c
    return None


def is_pod_ready(pod: dict) -> bool:
    status = pod.get("status")
    for c in (status.get("conditions") or ()) if status else ():
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def _time(value: str | None) -> float | None:
    return parse_timestamp(value) if value else None


def pod_ready_time(pod: dict) -> float | None:
    if is_pod_ready(pod):
        return _time(get_pod_condition(pod, "Ready").get("lastTransitionTime"))
    return None


def is_pod_available(pod: dict, min_ready_seconds: int, now: float) -> bool:
    """Ready for at least ``min_ready_seconds`` (podutil.IsPodAvailable)."""
    if not is_pod_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    since = _time(get_pod_condition(pod, "Ready").get("lastTransitionTime"))
    return since is not None and since + min_ready_seconds < now


def max_container_restarts(pod: dict) -> int:
    return max([c.get("restartCount", 0) for c in (pod.get("status") or {}).get("containerStatuses") or ()] or [0])


# ---- which pod goes first ----------------------------------------------------------------------

_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def _deletion_cost(pod: dict) -> int:
    try:
        return int((pod["metadata"].get("annotations") or {}).get(POD_DELETION_COST, 0))
    except ValueError:
        return 0


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _log_rank(t: float, now: float) -> int:
    d = (now - t) * 1e9  # Go compares durations in nanoseconds
    return int(math.log2(d)) if d > 0 else -1


class _Ranked:
    """What ActivePodsWithRanks.Less looks at, read once per pod."""

    __slots__ = ("cost", "created", "phase", "pod", "rank", "ready", "ready_time", "restarts", "uid", "unassigned")

    def __init__(self, pod: dict, rank: int) -> None:
        self.pod, self.rank = pod, rank
        self.unassigned = not pod["spec"].get("nodeName")
        self.phase = _PHASE_ORDINAL.get((pod.get("status") or {}).get("phase"), 0)
        self.ready = is_pod_ready(pod)
        self.cost = _deletion_cost(pod)
        self.ready_time = pod_ready_time(pod) if self.ready else None
        self.restarts = max_container_restarts(pod)
        self.created = _time(pod["metadata"].get("creationTimestamp"))
        self.uid = pod["metadata"].get("uid", "")


def _newer_first(a: _Ranked, b: _Ranked, t1: float | None, t2: float | None, now: float | None) -> bool:
    """LogarithmicScaleDown: times in the same power-of-two age bucket tie; the UID breaks the tie."""
    if not now or t1 is None or t2 is None:
        return _after_or_zero(t1, t2)
    diff = _log_rank(t1, now) - _log_rank(t2, now)
    if diff == 0:
        return a.uid < b.uid
    return diff < 0


def _less(a: _Ranked, b: _Ranked, now: float | None) -> bool:
    if a.unassigned != b.unassigned and a.pod["spec"].get("nodeName") != b.pod["spec"].get("nodeName"):
        return a.unassigned  # 1. unassigned < assigned
    if a.phase != b.phase:  # 2. Pending < Unknown < Running
        return a.phase < b.phase
    if a.ready != b.ready:  # 3. not ready < ready
        return not a.ready
    if a.cost != b.cost:  # 4. lower pod-deletion-cost first
        return a.cost < b.cost
    if a.rank != b.rank:  # 5. doubled up (more related pods on its node) first
        return a.rank > b.rank
    if a.ready and b.ready and a.ready_time != b.ready_time:  # 6. ready for less time first
        return _newer_first(a, b, a.ready_time, b.ready_time, now)
    if a.restarts != b.restarts:  # 7. more restarts first
        return a.restarts > b.restarts
    if a.created != b.created:  # 8. newer first
        return _newer_first(a, b, a.created, b.created, now)
    return False


def deletion_less(a: tuple[dict, int], b: tuple[dict, int], now: float | None = None) -> bool:
    """ActivePodsWithRanks.Less: should pod ``a`` (with its rank) be deleted before ``b``?"""
    return _less(_Ranked(*a), _Ranked(*b), now)


def rank_pods_by_related_pods_on_same_node(pods: list[dict], related: Iterable[dict]) -> list[int]:
    """getPodsRankedByRelatedPodsOnSameNode: each pod's rank = active related pods on its node."""
    on_node: dict[str, int] = {}
    for pod in related:
        if is_pod_active(pod):
            node = pod["spec"].get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    return [on_node.get(p["spec"].get("nodeName") or "", 0) for p in pods]


def get_pods_to_delete(pods: list[dict], related: Iterable[dict], diff: int, now: float | None = None) -> list[dict]:
    """The ``diff`` pods a scale-down deletes: the first ones in ActivePodsWithRanks order."""
    if diff >= len(pods):
        return list(pods)
    ranked = [_Ranked(p, r) for p, r in zip(pods, rank_pods_by_related_pods_on_same_node(pods, related))]

    def cmp(a: _Ranked, b: _Ranked) -> int:
        return -1 if _less(a, b, now) else (1 if _less(b, a, now) else 0)

    ranked.sort(key=cmp_to_key(cmp))
    return [r.pod for r in ranked[:diff]]


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
    return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": thaw(template.get("spec") or {})}


class PodControl:
    """RealPodControl: create and delete pods for an owner, recording the events kubectl shows."""

    def __init__(self, client: Any, recorder: Any) -> None:
        self.client = client
        self.recorder = recorder

    def create_pod(self, pod: dict, owner: dict) -> dict:
        try:
            created = self.client.create(pod)
        except ApiError as err:
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


# ---- owner references: adopt and release -------------------------------------------------------

def adopt_patch(owner: dict, obj: dict) -> dict:
    """The strategic merge patch that adds ``owner`` as controller (with a uid precondition)."""
    ref = {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
           "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}
    return {"metadata": {"ownerReferences": [ref], "uid": obj["metadata"]["uid"]}}


def release_patch(owner_uid: str, obj: dict) -> dict:
    """The strategic merge patch that removes one owner reference."""
    return {"metadata": {"ownerReferences": [{"$patch": "delete", "uid": owner_uid}],
                         "uid": obj["metadata"]["uid"]}}


def claim_objects(client: Any, resource: str, owner: dict, match: Callable[[dict], bool],
                  objects: Iterable[dict], can_adopt: Callable[[], bool] | None = None) -> list[dict]:
    """ControllerRefManager.ClaimObjects: keep ours that match, adopt matching orphans, release the rest.

    Objects controlled by someone else are ignored. Adopting or releasing is a PATCH; an object
    that is gone (404) is simply not claimed.
    """
    claimed: list[dict] = []
    meta = owner["metadata"]
    deleting = bool(meta.get("deletionTimestamp"))
    adoptable: bool | None = None
    for obj in objects:
        ref = get_controller_of(obj)
        if ref is not None:
            if ref.get("uid") != meta["uid"]:
                continue
            if match(obj):
                claimed.append(obj)
            elif not deleting:
                _patch(client, resource, obj, release_patch(meta["uid"], obj))
            continue
        if deleting or not match(obj) or obj["metadata"].get("deletionTimestamp"):
            continue
        if obj["metadata"].get("namespace") != meta.get("namespace"):
            continue
        if adoptable is None:
            adoptable = can_adopt() if can_adopt else True
        if not adoptable:
            continue
        adopted = _patch(client, resource, obj, adopt_patch(owner, obj))
        if adopted is not None:
            claimed.append(adopted)
    return claimed


def _patch(client: Any, resource: str, obj: dict, patch: dict) -> dict | None:
    try:
        return client.patch(resource, obj["metadata"]["name"], patch, obj["metadata"].get("namespace"))
    except ApiError as err:
        if err.code == 404:
            return None
        raise


def recheck_deletion_timestamp(get_fresh: Callable[[], dict | None], uid: str) -> Callable[[], bool]:
    """RecheckDeletionTimestamp: adopt only if a fresh read shows the owner alive and the same uid."""
    def can_adopt() -> bool:
        fresh = get_fresh()
        return fresh is not None and fresh["metadata"].get("uid") == uid \
            and not fresh["metadata"].get("deletionTimestamp")
    return can_adopt


