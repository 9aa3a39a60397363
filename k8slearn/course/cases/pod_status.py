"""Cases for the STATUS column of ``kubectl get pods``.

STATUS is not a field of the pod. kubectl derives it: start from ``status.phase`` (or
``status.reason`` when set, e.g. ``Evicted``); an unfinished init container shows as
``Init:1/2`` or ``Init:<reason>`` (a sidecar, an init container with ``restartPolicy: Always``,
is done once it has *started*: it keeps running beside the app); otherwise the last container that is waiting or terminated
with a reason wins (``ContainerCreating``, ``CrashLoopBackOff``, ``Completed``, ``Error``),
or ``ExitCode:N``/``Signal:N`` when it has none; finally a pod being deleted shows
``Terminating`` (``Unknown`` when its node was lost), unless it had already finished.

>>> from k8slearn.course.cases.pod_status import pod
>>> pod("Running", running=True)["status"]["containerStatuses"][0]["state"]
{'running': {'startedAt': '2026-01-05T09:00:00Z'}}

Simplified: the cases use only the fields the rule reads.

Upstream: pkg/printers/internalversion/printers.go (printPod)
"""

from __future__ import annotations

from typing import Any

from k8slearn.course.cases.table import Case, CaseTable

STARTED = "2026-01-05T09:00:00Z"


def pod(
    phase: str,
    *,
    running: bool = False,
    waiting: str | None = None,
    terminated: dict | None = None,
    ready: bool | None = None,
    init: list[dict] | None = None,
    deleting: bool = False,
    reason: str | None = None,
    conditions: list[dict] | None = None,
    sidecar: dict | None = None,
) -> dict:
    """A minimal pod ``web`` with one container ``app`` in the given state (``sidecar``: the
    status fields of a sidecar ``logs`` run beside it: ``state``, ``started``, ``ready``)."""
    if running:
        state: dict[str, Any] = {"running": {"startedAt": STARTED}}
    elif waiting:
        state = {"waiting": {"reason": waiting}}
    elif terminated is not None:
        state = {"terminated": terminated}
    else:
        state = {}
    metadata: dict[str, Any] = {"name": "web", "namespace": "default"}
    if deleting:
        metadata["deletionTimestamp"] = STARTED
    spec: dict[str, Any] = {"containers": [{"name": "app", "image": "nginx:1.27"}]}
    status: dict[str, Any] = {"phase": phase}
    if reason:
        status["reason"] = reason
    if conditions:
        status["conditions"] = conditions
    if init is not None:
        spec["initContainers"] = [{"name": f"init-{i}", "image": "busybox:1.36"} for i in range(2)]
        status["initContainerStatuses"] = [
            {"name": f"init-{i}", "state": s, "ready": False, "restartCount": 0} for i, s in enumerate(init)
        ]
    if sidecar is not None:
        spec["initContainers"] = [{"name": "logs", "image": "busybox:1.36", "restartPolicy": "Always"}]
        status["initContainerStatuses"] = [{"name": "logs", "restartCount": 0, "ready": False, **sidecar}]
    if state:
        status["containerStatuses"] = [
            {
                "name": "app",
                "state": state,
                "ready": running if ready is None else ready,
                "restartCount": 0,
                "image": "nginx:1.27",
            }
        ]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status}


COMPLETED = {"exitCode": 0, "reason": "Completed", "startedAt": STARTED, "finishedAt": STARTED}
ERROR = {"exitCode": 1, "reason": "Error", "startedAt": STARTED, "finishedAt": STARTED}
INIT_DONE = {"terminated": {"exitCode": 0, "reason": "Completed"}}
INIT_WAITING = {"waiting": {"reason": "PodInitializing"}}
GATED = [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]
RUNNING = {"running": {"startedAt": STARTED}}
INITIALIZED = [{"type": "Initialized", "status": "True"}]

DISPLAY_STATUS = CaseTable(
    name="pod_status.display_status",
    signature="display_status(pod: dict) -> str",
    description="The STATUS column kubectl get pods prints for a pod.",
    cases=[
        Case("a pod no node has taken yet shows its phase Pending", (pod("Pending"),), "Pending"),
        Case(
            "a pod whose container is being created shows ContainerCreating",
            (pod("Pending", waiting="ContainerCreating"),),
            "ContainerCreating",
        ),
        Case("a pod whose container runs shows Running", (pod("Running", running=True),), "Running"),
        Case(
            "a running container that is not ready yet still shows Running",
            (pod("Running", running=True, ready=False),),
            "Running",
        ),
        Case(
            "a container that keeps crashing shows CrashLoopBackOff although the phase is Running",
            (pod("Running", waiting="CrashLoopBackOff"),),
            "CrashLoopBackOff",
        ),
        Case(
            "an image that cannot be pulled shows ImagePullBackOff",
            (pod("Pending", waiting="ImagePullBackOff"),),
            "ImagePullBackOff",
        ),
        Case(
            "a container that exited 0 shows Completed",
            (pod("Succeeded", terminated=COMPLETED),),
            "Completed",
        ),
        Case("a container that exited 1 shows Error", (pod("Failed", terminated=ERROR),), "Error"),
        Case(
            "a container killed by a signal without a reason shows Signal and the number",
            (pod("Failed", terminated={"exitCode": 137, "signal": 9}),),
            "Signal:9",
        ),
        Case(
            "a pod whose first init container is still running shows Init:0/2",
            (pod("Pending", init=[{"running": {"startedAt": STARTED}}, INIT_WAITING]),),
            "Init:0/2",
        ),
        Case(
            "a crashing init container shows Init:CrashLoopBackOff",
            (pod("Pending", init=[INIT_DONE, {"waiting": {"reason": "CrashLoopBackOff"}}]),),
            "Init:CrashLoopBackOff",
        ),
        Case(
            "a pod whose sidecar has started and whose app runs shows Running",
            (pod("Running", running=True, conditions=INITIALIZED,
                 sidecar={"state": RUNNING, "started": True, "ready": True}),),
            "Running",
        ),
        Case(
            "a sidecar that runs but has not passed its startup probe yet shows Init:0/1",
            (pod("Pending", waiting="PodInitializing", sidecar={"state": RUNNING, "started": False}),),
            "Init:0/1",
        ),
        Case(
            "a crashing sidecar shows Init:CrashLoopBackOff even while the app runs",
            (pod("Running", running=True, conditions=INITIALIZED,
                 sidecar={"state": {"waiting": {"reason": "CrashLoopBackOff"}}, "started": False,
                          "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}}),),
            "Init:CrashLoopBackOff",
        ),
        Case(
            "a running pod being deleted shows Terminating",
            (pod("Running", running=True, deleting=True),),
            "Terminating",
        ),
        Case(
            "a finished pod being deleted keeps showing Completed",
            (pod("Succeeded", terminated=COMPLETED, deleting=True),),
            "Completed",
        ),
        Case(
            "a pod being deleted on a lost node shows Unknown",
            (pod("Running", running=True, deleting=True, reason="NodeLost"),),
            "Unknown",
        ),
        Case("an evicted pod shows the reason Evicted", (pod("Failed", reason="Evicted"),), "Evicted"),
        Case(
            "a pod held by a scheduling gate shows SchedulingGated",
            (pod("Pending", conditions=GATED),),
            "SchedulingGated",
        ),
    ],
)
