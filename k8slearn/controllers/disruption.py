"""The disruption controller: keeps each PodDisruptionBudget's status counts true.

A PodDisruptionBudget says how many of the pods its selector picks must stay up (``minAvailable``)
or may be down (``maxUnavailable``). The API server's eviction subresource reads the budget's
*status* to decide whether one more pod may go; this controller writes that status, on every pod
or budget change:

* ``expectedPods``: how many pods there should be: the matching pods for an integer
  ``minAvailable``, otherwise the replicas of their controllers (a Deployment's, a ReplicaSet's,
  a StatefulSet's) added up;
* ``desiredHealthy``: ``minAvailable`` (a percentage of ``expectedPods`` rounded up), or
  ``expectedPods - maxUnavailable``;
* ``currentHealthy``: the matching pods that are Ready, not being deleted, and not just evicted
  (an eviction records the pod in ``disruptedPods``; it stops counting for 2 minutes, or until
  it is gone);
* ``disruptionsAllowed = currentHealthy - desiredHealthy`` (at least 0, and 0 while no pod is
  expected), with the condition ``DisruptionAllowed`` (reason ``SufficientPods`` or
  ``InsufficientPods``).

>>> desired_healthy({"minAvailable": "50%"}, expected=3), desired_healthy({"maxUnavailable": 1}, expected=3)
(2, 2)
>>> disruptions_allowed(current=3, desired=2, expected=3), disruptions_allowed(current=3, desired=2, expected=0)
(1, 0)

When the counts cannot be worked out (``maxUnavailable`` or a percentage over pods whose controller
has no scale subresource, such as a DaemonSet's: "daemonsets.apps does not implement the scale
subresource"), the budget allows nothing: ``disruptionsAllowed`` 0 and ``DisruptionAllowed=False``
with reason ``SyncFailed`` and the error as its message (upstream's failSafe), plus a
``CalculateExpectedPodCountFailed`` warning event.

Simplified: no ReplicationControllers; pods without a controller count as unmanaged (a warning
event, as upstream).

A second worker clears *stale* ``DisruptionTarget`` pod conditions. The eviction subresource, the
scheduler's preemption and the taint manager first set that condition and then delete the pod; if
the delete never happened, the pod would carry the condition for ever. A pod that still has it
(``True``, not set by the kubelet, pod not terminal) and is not being deleted 2 minutes after the
condition's ``lastTransitionTime`` gets it patched to ``False``.

Upstream: pkg/controller/disruption/disruption.go, pkg/apis/policy/helper (UpdateDisruptionAllowedCondition)
"""

from __future__ import annotations

import math

from k8slearn.api.errors import ApiError
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import parse_timestamp, thaw, timestamp
from k8slearn.api.discovery import SUBRESOURCES
from k8slearn.api.policy import disruption_allowed_condition, pdb_status
from k8slearn.api.resources import NoKindMatchError, by_kind
from k8slearn.client.cache import split_key
from k8slearn.client.record import EventRecorder
from k8slearn.client.workqueue import WorkQueue
from k8slearn.controllers.base import Controller
from k8slearn.controllers.controller_utils import get_controller_of
from k8slearn.controllers.pod_util import is_pod_ready

DELETION_TIMEOUT = 120.0  # an evicted pod that is still there after 2 minutes counts again
STALE_POD_DISRUPTION_TIMEOUT = 120.0  # stalePodDisruptionTimeout
SYNC_FAILED = "SyncFailed"  # the DisruptionAllowed condition's reason when the status cannot be worked out
UNMANAGED_PODS_MESSAGE = (
    "Pods selected by this PodDisruptionBudget (selector: {}) were found to be unmanaged. As a result, the "
    "status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for "
    "these pods please set \".spec.minAvailable\" field of the PDB to an integer value.")


def scaled(value: int | str, total: int) -> int:
    """intstr.GetScaledValueFromIntOrPercent, rounding up: ``"50%"`` of 3 is 2."""
    if isinstance(value, str):
        return math.ceil(int(value.rstrip("%")) * total / 100)
    return value


def desired_healthy(spec: dict, expected: int) -> int:
    if spec.get("maxUnavailable") is not None:
        return max(0, expected - scaled(spec["maxUnavailable"], expected))
    if spec.get("minAvailable") is not None:
        return scaled(spec["minAvailable"], expected)
    return 0


def disruptions_allowed(current: int, desired: int, expected: int) -> int:
    allowed = current - desired
    return 0 if expected <= 0 or allowed <= 0 else allowed


class DisruptionController(Controller):
    """Computes PodDisruptionBudget status from pods, their controllers' scale, and recent evictions."""

    name = "disruption-controller"

    def __init__(self, loop, client, informers=None) -> None:
        super().__init__(loop, client, informers)
        self.recorder = EventRecorder(client, "controllermanager", clock=lambda: loop.now)
        self.pdbs = self.informers.informer("poddisruptionbudgets")
        self.pods = self.informers.informer("pods")
        self.replicasets = self.informers.informer("replicasets")
        self.deployments = self.informers.informer("deployments")
        self.statefulsets = self.informers.informer("statefulsets")
        self.pdbs.add_event_handler(on_add=self.enqueue, on_update=lambda old, new: self.enqueue(new),
                                    on_delete=self.enqueue)
        self.pods.add_event_handler(on_add=self._pod_added, on_update=lambda old, new: self._pod_added(new),
                                    on_delete=self._pod_changed)
        self.stale_pod_disruption_queue = WorkQueue(loop, "stale_pod_disruption")

    def run(self) -> None:
        super().run()
        worker = self.queue_worker(self.stale_pod_disruption_queue, self.sync_stale_pod_disruption,
                                   "stale pod disruption")
        self._processes.append(self.loop.spawn(worker, f"{self.name}-stale-pod-disruption-worker"))

    def _pod_added(self, pod: dict) -> None:
        self._pod_changed(pod)
        stale, clean_after = non_terminating_pod_has_stale_disruption_condition(pod, self.loop.now)
        if stale:
            meta = pod["metadata"]
            # housekeeping in the background: the wait does not keep settle() busy
            self.stale_pod_disruption_queue.add_after(f"{meta['namespace']}/{meta['name']}", clean_after,
                                                      background=True)

    def _pod_changed(self, pod: dict) -> None:
        """getPdbForPod: enqueue the budget that covers the pod. If several do, the first (by name
        here; upstream, whichever its cache lists first) is chosen and the pod gets a warning."""
        meta = pod["metadata"]
        namespace = meta.get("namespace")
        matching = []
        for pdb in self.pdbs.lister.list(namespace):  # usually none: most namespaces have no budget
            try:
                selector = selector_from_label_selector(pdb.get("spec", {}).get("selector"))
            except ValueError:  # an invalid selector matches no pod
                continue
            if selector.matches(meta.get("labels")):  # (policy/v1: an empty selector matches every pod)
                matching.append(pdb)
        if not matching:
            return
        if len(matching) > 1:
            chosen = matching[0]["metadata"]["name"]
            self.recorder.event(pod, "Warning", "MultiplePodDisruptionBudgets",
                                f'Pod "{namespace}"/"{meta["name"]}" matches multiple PodDisruptionBudgets.  '
                                f'Chose "{chosen}" arbitrarily.')
        self.enqueue(matching[0])

    def sync_stale_pod_disruption(self, key: str) -> None:
        """syncStalePodDisruption: set a stale DisruptionTarget condition to False (at the version seen)."""
        namespace, name = split_key(key)
        pod = self.pods.lister.get(name, namespace)
        if pod is None:
            return
        stale, clean_after = non_terminating_pod_has_stale_disruption_condition(pod, self.loop.now)
        if not stale:
            return
        if clean_after > 0:
            self.stale_pod_disruption_queue.add_after(key, clean_after, background=True)
            return
        condition = {"type": "DisruptionTarget", "status": "False", "lastTransitionTime": timestamp(self.loop.now)}
        self.client.patch("pods", name, {"metadata": {"resourceVersion": pod["metadata"]["resourceVersion"]},
                                         "status": {"conditions": [condition]}}, namespace, subresource="status")
        self.loop.record(self.name, "reset", key, "Reset stale DisruptionTarget condition to False")

    def pods_for(self, pdb: dict) -> list[dict]:
        selector = selector_from_label_selector(pdb.get("spec", {}).get("selector"))
        return [p for p in self.pods.lister.list(pdb["metadata"]["namespace"])
                if selector.matches(p["metadata"].get("labels"))]

    def get_expected_pod_count(self, pdb: dict, pods: list[dict]) -> tuple[int, int, list[str]]:
        """getExpectedPodCount: (expectedPods, desiredHealthy, unmanaged pods). An integer
        ``minAvailable`` counts the matching pods; ``maxUnavailable`` and a percentage need the
        scale of the pods' controllers; a budget with neither expects nothing."""
        spec = pdb.get("spec", {})
        if spec.get("maxUnavailable") is None:
            if spec.get("minAvailable") is None:
                return 0, 0, []
            if isinstance(spec["minAvailable"], int):
                return len(pods), spec["minAvailable"], []
        expected, unmanaged = self.expected_scale(pdb, pods)
        return expected, desired_healthy(spec, expected), unmanaged

    def expected_scale(self, pdb: dict, pods: list[dict]) -> tuple[int, list[str]]:
        """getExpectedScale: the replicas of the pods' controllers, each counted once; unmanaged pods."""
        scales: dict[str, int] = {}
        unmanaged: list[str] = []
        for pod in pods:
            ref = get_controller_of(pod)
            if ref is None:
                unmanaged.append(pod["metadata"]["name"])
                continue
            found = self._controller_scale(ref, pod["metadata"]["namespace"])
            if found is None:
                raise _sync_error(f'found no controllers for pod "{pod["metadata"]["name"]}"')
            scales.setdefault(found[0], found[1])
        return sum(scales.values()), unmanaged

    def _controller_scale(self, ref: dict, namespace: str) -> tuple[str, int] | None:
        """The finders, in upstream's order: (uid, replicas) of the workload that decides how many
        such pods there should be, or None."""
        for finder in (self._pod_deployment, self._pod_replica_set, self._pod_stateful_set, self._scale_controller):
            found = finder(ref, namespace)
            if found is not None:
                return found
        return None

    def _pod_deployment(self, ref: dict, namespace: str) -> tuple[str, int] | None:
        """getPodDeployment: the Deployment above the pod's ReplicaSet."""
        rs = self.owner_from_ref(self.replicasets.lister, "ReplicaSet", namespace, ref if _is_apps(ref) else None)
        owner = get_controller_of(rs) if rs is not None else None
        deployment = self.owner_from_ref(self.deployments.lister, "Deployment", namespace,
                                         owner if owner is not None and _is_apps(owner) else None)
        return _scale_of(deployment)

    def _pod_replica_set(self, ref: dict, namespace: str) -> tuple[str, int] | None:
        """getPodReplicaSet: a ReplicaSet that no Deployment controls."""
        rs = self.owner_from_ref(self.replicasets.lister, "ReplicaSet", namespace, ref if _is_apps(ref) else None)
        if rs is None or (get_controller_of(rs) or {}).get("kind") == "Deployment":
            return None
        return _scale_of(rs)

    def _pod_stateful_set(self, ref: dict, namespace: str) -> tuple[str, int] | None:
        """getPodStatefulSet."""
        return _scale_of(self.owner_from_ref(self.statefulsets.lister, "StatefulSet", namespace,
                                             ref if _is_apps(ref) else None))

    def _scale_controller(self, ref: dict, namespace: str) -> tuple[str, int] | None:
        """getScaleController: any other kind that has a scale subresource gives its replicas (read
        here from the object itself, upstream from ``<resource>/scale``). A kind without one (a
        DaemonSet, a Job) is an error: such pods need an integer ``minAvailable``."""
        try:
            info = by_kind(ref.get("apiVersion", ""), ref.get("kind", ""))
        except NoKindMatchError as err:
            raise _sync_error(str(err)) from None
        if not any(name == "scale" for name, _, _ in SUBRESOURCES.get(info.plural, ())):
            raise _sync_error(f"{info.group_resource} does not implement the scale subresource")
        try:
            workload = self.client.get(info.plural, ref.get("name", ""), namespace)
        except ApiError as err:
            if err.code == 404:
                return None
            raise
        return _scale_of(workload) if workload["metadata"].get("uid") == ref.get("uid") else None

    def sync(self, key: str) -> None:
        """sync: on any failure but a conflict, failSafe (no disruption allowed, and why)."""
        namespace, name = split_key(key)
        pdb = self.pdbs.lister.get(name, namespace)
        if pdb is None:
            return
        try:
            self.try_sync(key, pdb)
        except ApiError as err:
            if err.code == 409:
                raise
            self.fail_safe(pdb, err.message)

    def try_sync(self, key: str, pdb: dict) -> None:
        """trySync: count the pods, work out the budget's status and write it."""
        pods = self.pods_for(pdb)
        if not pods:
            self.recorder.event(pdb, "Normal", "NoPods", "No matching pods found")
        spec = pdb.get("spec", {})
        try:
            expected, desired, unmanaged = self.get_expected_pod_count(pdb, pods)
        except ApiError as err:
            self.recorder.event(pdb, "Warning", "CalculateExpectedPodCountFailed",
                                f"Failed to calculate the number of expected pods: {err.message}")
            raise
        if unmanaged:
            self.recorder.event(pdb, "Warning", "UnmanagedPods", UNMANAGED_PODS_MESSAGE.format(
                _selector_text(spec.get("selector"))))
        disrupted, recheck = self.disrupted_pods(pdb, pods)
        current = sum(1 for p in pods if not p["metadata"].get("deletionTimestamp")
                      and p["metadata"]["name"] not in disrupted and is_pod_ready(p))
        self.update_status(pdb, current, desired, expected, disrupted)
        if recheck is not None:
            self.queue.add_after(key, max(0.0, recheck - self.loop.now))

    def fail_safe(self, pdb: dict, message: str) -> None:
        """failSafe: allow no disruption, with the condition ``DisruptionAllowed=False`` (reason
        ``SyncFailed``, the error as its message); the other counts stay as they were, so a new
        budget keeps ``observedGeneration`` 0 and evictions are told it is "still being processed"."""
        status = pdb.get("status") or {}
        generation = status.get("observedGeneration", 0)
        conditions = disruption_allowed_condition(0, generation, list(status.get("conditions") or ()),
                                                  timestamp(self.loop.now), SYNC_FAILED, message)
        update = thaw(pdb)
        update["status"] = pdb_status(generation, status.get("disruptedPods") or {}, 0,
                                      status.get("currentHealthy", 0), status.get("desiredHealthy", 0),
                                      status.get("expectedPods", 0), conditions)
        self.client.update_status(update)

    def disrupted_pods(self, pdb: dict, pods: list[dict]) -> tuple[dict[str, str], float | None]:
        """buildDisruptedPodMap: the evictions still pending, and when the oldest of them expires."""
        recorded = pdb.get("status", {}).get("disruptedPods") or {}
        kept: dict[str, str] = {}
        recheck = None
        for pod in pods:
            name = pod["metadata"]["name"]
            if pod["metadata"].get("deletionTimestamp") or name not in recorded:
                continue
            expires = parse_timestamp(recorded[name]) + DELETION_TIMEOUT
            if expires < self.loop.now:
                # (upstream prints the namespace twice: "PDB <ns>/<ns>")
                self.recorder.event(pod, "Warning", "NotDeleted", "Pod was expected by PDB "
                                    f"{pdb['metadata']['namespace']}/{pdb['metadata']['namespace']} to be deleted "
                                    "but it wasn't")
                continue
            kept[name] = recorded[name]
            recheck = expires if recheck is None else min(recheck, expires)
        return kept, recheck

    def update_status(self, pdb: dict, current: int, desired: int, expected: int, disrupted: dict[str, str]) -> None:
        status = pdb.get("status", {})
        allowed = disruptions_allowed(current, desired, expected)
        generation = pdb["metadata"].get("generation", 0)
        conditions = list(status.get("conditions") or ())
        up_to_date = any(c.get("type") == "DisruptionAllowed" and c.get("observedGeneration") == generation
                         and c.get("status") == ("True" if allowed > 0 else "False") for c in conditions)
        if (status.get("currentHealthy"), status.get("desiredHealthy"), status.get("expectedPods"),
                status.get("disruptionsAllowed"), status.get("disruptedPods") or {},
                status.get("observedGeneration")) == (current, desired, expected, allowed, disrupted, generation) \
                and up_to_date:
            return
        update = thaw(pdb)
        update["status"] = pdb_status(generation, disrupted, allowed, current, desired, expected,
                                      disruption_allowed_condition(allowed, generation, conditions,
                                                                   timestamp(self.loop.now)))
        self.client.update_status(update)


def non_terminating_pod_has_stale_disruption_condition(pod: dict, now: float) -> tuple[bool, float]:
    """Whether the pod has a DisruptionTarget condition that may go stale, and how many seconds are
    left before it is (0 once it is). Conditions the kubelet set, and those of pods that are being
    deleted or have finished, never count.

    >>> pod = {"metadata": {}, "status": {"phase": "Running", "conditions": [{"type": "DisruptionTarget",
    ...        "status": "True", "reason": "EvictionByEvictionAPI", "lastTransitionTime": timestamp(100.0)}]}}
    >>> non_terminating_pod_has_stale_disruption_condition(pod, 130.0)
    (True, 90.0)
    >>> non_terminating_pod_has_stale_disruption_condition(pod, 400.0)
    (True, 0.0)
    """
    if pod["metadata"].get("deletionTimestamp"):
        return False, 0
    status = pod.get("status") or {}
    condition = next((c for c in status.get("conditions") or () if c.get("type") == "DisruptionTarget"), None)
    if (condition is None or condition.get("status") != "True"
            or condition.get("reason") == "TerminationByKubelet" or status.get("phase") in ("Succeeded", "Failed")):
        return False, 0
    if not condition.get("lastTransitionTime"):
        return True, 0.0  # upstream measures from the zero time: long stale
    return True, max(0.0, STALE_POD_DISRUPTION_TIMEOUT - (now - parse_timestamp(condition["lastTransitionTime"])))


def _sync_error(message: str) -> ApiError:
    """An error of the sync (a Go ``fmt.Errorf`` upstream): its message goes into the events and the condition."""
    return ApiError({"code": 500, "reason": "", "message": message})


def _is_apps(ref: dict) -> bool:
    """verifyGroupKind's group half: the owner is in apps (or the old extensions)."""
    return ref.get("apiVersion", "").split("/")[0] in ("apps", "extensions")


def _scale_of(workload: dict | None) -> tuple[str, int] | None:
    """controllerAndScale: the workload's uid and ``spec.replicas``."""
    if workload is None:
        return None
    return workload["metadata"]["uid"], workload.get("spec", {}).get("replicas", 1)


def _selector_text(selector: dict | None) -> str:
    """How the UnmanagedPods event prints the selector: the generated String() of a *LabelSelector."""
    if selector is None:
        return "nil"
    labels = "".join(f"{k}: {v}," for k, v in sorted((selector.get("matchLabels") or {}).items()))
    expressions = "".join(
        f"LabelSelectorRequirement{{Key:{e.get('key', '')},Operator:{e.get('operator', '')},"
        f"Values:[{' '.join(e.get('values') or [])}],}}," for e in selector.get("matchExpressions") or [])
    return (f"&LabelSelector{{MatchLabels:map[string]string{{{labels}}},"
            f"MatchExpressions:[]LabelSelectorRequirement{{{expressions}}},}}")
