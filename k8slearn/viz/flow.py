"""The flow player: one pod's journey through the cluster, hop by hop, as a sequence diagram.

Everything a component does is a step in ``cluster.trace``. :func:`pod_journey` picks the steps
about one pod and turns each into a *hop*: an arrow between two lanes (kubectl, kube-apiserver,
etcd, kube-scheduler, kubelet, container runtime, CNI) with a short label and one sentence that
says what happened and why. :class:`FlowPlayer` shows the hops as a sequence diagram you can step
through, with the current hop highlighted in the diagram and in the cluster picture.

>>> from k8slearn.sim import Step
>>> hops = pod_journey([Step(0.0, "kubectl", "create", "pod/default/web"),
...                     Step(0.0, "etcd", "put", "/registry/pods/default/web", "revision 56")], "web")
>>> [(h.source, h.target, h.label) for h in hops]
[('kubectl', 'kube-apiserver', 'create'), ('kube-apiserver', 'etcd', 'put rev 56')]

Simplified: watch deliveries other than ADDED/DELETED and Event writes are left out to keep the
story readable (``include_all=True`` keeps them).

Upstream: none (a teaching view); it reads the trace the simulated components write.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable

LANES = ["kubectl", "kube-apiserver", "etcd", "kube-scheduler", "kubelet", "container runtime", "CNI"]
API_VERBS = {"create", "update", "patch", "delete", "bind", "get", "list", "evict"}
_RUNTIME_TO_KUBELET = {
    "RunPodSandbox",
    "PullImage",
    "CreateContainer",
    "StartContainer",
    "StopContainer",
    "StopPodSandbox",
    "RemovePodSandbox",
}


@dataclass(frozen=True)
class Hop:
    """One arrow of the sequence diagram (``source == target`` for a component's own work)."""

    index: int
    time: float
    source: str
    target: str
    label: str
    sentence: str
    component: str  # the trace's component, e.g. "kubelet/node-1"
    revision: int = 0  # etcd's revision right after this hop: the cluster as it was then

    def __str__(self) -> str:
        arrow = self.source if self.source == self.target else f"{self.source} → {self.target}"
        return f"{self.index + 1:>2}. t={self.time:.3f}s  {arrow}: {self.sentence}"


def lane_of(component: str) -> str:
    """The diagram lane of a trace component (``kubelet/node-1`` → ``kubelet``)."""
    head = component.split("/", 1)[0]
    return {"containerd": "container runtime", "cni": "CNI"}.get(head, head)


def _node(component: str) -> str:
    return component.split("/", 1)[1] if "/" in component else ""


def _sentence_for_request(lane: str, verb: str, detail: str, kind: str, name: str, node: str) -> str:
    if lane == "kubectl" and verb == "create":
        return (
            f"kubectl sends the {kind} to the API server as JSON (POST /api/v1/namespaces/.../pods); "
            "the API server defaults, admits and validates it."
        )
    if lane == "kube-scheduler" and verb == "bind":
        return (
            f"The scheduler creates a Binding: the API server sets spec.nodeName={detail or '?'} "
            "and PodScheduled=True on the Pod. That is the scheduler's only write to the Pod."
        )
    if lane == "kubelet" and detail.endswith("status"):
        return (
            f"The kubelet on {node} reports what it did: it reads the Pod, then patches its status "
            "(only what changed) through the API server."
        )
    if lane == "kubelet" and verb == "delete":
        return (
            f"The kubelet on {node} has stopped everything, so it deletes the Pod object for good (grace 0)."
        )
    if verb == "delete":
        return f"{lane} asks the API server to delete the {kind}; a pod on a node first gets a deletionTimestamp."
    return f"{lane} sends a {verb} request for {name} to the API server."


def _hop_for(step: Any, pod_ref: str, key: str, include_all: bool) -> tuple | None:
    """(source, target, label, sentence) for one trace step, or None when it is not part of the story."""
    lane = lane_of(step.component)
    node = _node(step.component)
    action, detail = step.action, step.detail
    if step.component == "etcd":
        if step.object != key:
            return None
        rev = detail.split()[-1] if detail else "?"
        if action == "delete":
            sentence = f"The API server deletes the Pod's key {key} from etcd (etcd revision {rev})."
        else:
            sentence = f"The API server writes the Pod as JSON in etcd at {key} (etcd revision {rev})."
        return ("kube-apiserver", "etcd", f"{action} rev {rev}", sentence)
    if step.object != pod_ref:
        return None
    if action == "watch":
        event = detail.split()[0] if detail else ""
        if not include_all and (event not in ("ADDED", "DELETED") or lane not in ("kube-scheduler", "kubelet")):
            return None
        if lane == "kube-scheduler" and event == "ADDED":
            why = _QUEUED
        elif lane == "kubelet" and event == "ADDED":
            why = f"The kubelet watches pods with spec.nodeName={node}: once bound, the Pod appears there."
        else:
            why = f"The watch delivers the change ({event})."
        return (
            "kube-apiserver",
            lane,
            f"watch {event}",
            f"{step.component}'s watch on pods fires: {event}. {why}",
        )
    if action == "schedule":
        return (lane, lane, "filter + score", f"The scheduler filters and scores the nodes: {detail}.")
    if lane == "container runtime":
        if action in _RUNTIME_TO_KUBELET:
            sentences = {
                "RunPodSandbox": "The kubelet asks containerd over the CRI for a sandbox: the pause container "
                "that holds the pod's network namespace.",
                "PullImage": f"The kubelet asks containerd over the CRI to pull the image ({detail}).",
                "CreateContainer": f"CRI CreateContainer: {detail}, joining the sandbox's network namespace.",
                "StartContainer": f"CRI StartContainer: {detail}.",
                "StopContainer": f"CRI StopContainer: {detail}.",
                "StopPodSandbox": "CRI StopPodSandbox: the pause container stops and the network is torn down.",
                "RemovePodSandbox": "CRI RemovePodSandbox: nothing of the pod is left on the node.",
            }
            return ("kubelet", lane, action, sentences[action])
        if action == "ImagePullFailed":
            return (lane, lane, action, f"containerd cannot pull the image: {detail}. The kubelet reports "
                    "ErrImagePull and tries again later, with a growing back-off (ImagePullBackOff).")
        return (lane, lane, action, f"containerd: {detail}.")
    if lane == "CNI":
        what = "gives the pod its IP" if action == "ADD" else "releases the pod's IP"
        return (
            "container runtime",
            lane,
            action,
            f"containerd runs the CNI plugin with CNI_COMMAND={action}: it {what} ({detail}).",
        )
    if action in API_VERBS:
        if action in ("get", "list") and not include_all:
            return None
        label = f"{action} status" if detail == "status" else action
        name = pod_ref.rsplit("/", 1)[-1]
        return (lane, "kube-apiserver", label, _sentence_for_request(lane, action, detail, "Pod", name, node))
    if lane == "kubelet":
        return (lane, lane, action, _KUBELET_NOTES.get(action, "The kubelet on {node}: {detail}.").format(
            node=node, detail=detail))
    return (lane, lane, action, f"{step.component}: {action} — {detail}.")


_KUBELET_NOTES = {
    "SyncPod": "The kubelet on {node} syncs the pod against the runtime: {detail}.",
    "PLEG": "The kubelet's pod lifecycle event generator notices a change in the runtime: {detail}.",
    "KillPod": "The kubelet on {node} stops the pod: {detail}.",
    "WaitForAttachAndMount": "The kubelet on {node} waits (up to 2m3s) for the pod's volumes to be set up "
                             "before it asks for a sandbox.",
    "MountVolume": "The kubelet's volume manager on {node} sets up a volume for the pod: {detail}.",
}


_QUEUED = "It has no spec.nodeName yet, so it goes into the scheduling queue."
_ASSIGNED = ("It already has spec.nodeName (set when it was created), so the scheduler only adds it to its "
             "cache: it never schedules it.")


def pod_journey(
    trace: Iterable[Any], name: str, namespace: str = "default", include_all: bool = False
) -> list[Hop]:
    """The hops of one pod's journey, in trace order. A name used again (``web`` deleted and run
    anew) is another pod: the journey starts at the last time a pod of that name was created."""
    pod_ref, key = f"pod/{namespace}/{name}", f"/registry/pods/{namespace}/{name}"
    hops: list[Hop] = []
    revision, gone = 0, False  # gone: etcd deleted the pod, so a create now makes another
    for step in trace:
        if step.component == "etcd" and step.detail.startswith("revision "):
            revision = int(step.detail.split()[1])
        found = _hop_for(step, pod_ref, key, include_all)
        if found is not None:
            source, target, label, sentence = found
            if gone and label == "create" and target == "kube-apiserver":
                hops.clear()  # a new pod of this name: the earlier one's journey is over
                gone = False
            gone = gone or (target == "etcd" and label.startswith("delete"))
            hops.append(Hop(len(hops), step.time, source, target, label, sentence, step.component, revision))
    if not any(h.component == "kube-scheduler" and h.label in ("filter + score", "bind") for h in hops):
        hops = [replace(h, sentence=h.sentence.replace(_QUEUED, _ASSIGNED)) for h in hops]  # already bound
    return hops


def lanes_for(hops: list[Hop]) -> list[str]:
    """The standard lanes, plus any other component the hops mention (e.g. a controller)."""
    extra = sorted({lane for h in hops for lane in (h.source, h.target)} - set(LANES))
    return LANES + extra


def graph_ids(hop: Hop, pod_ref: str) -> list[str]:
    """What to highlight in the cluster picture for a hop: components, the node, the pod."""
    ids = []
    for lane in {hop.source, hop.target}:
        if lane in ("kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager"):
            ids.append(f"component/{lane}")
    node = _node(hop.component)
    if node:
        ids.append(f"node/{node}")
    return sorted(ids) + [pod_ref]
