"""Static pods: the control plane as kubeadm runs it, and the mirror pods the kubelet publishes.

kubeadm writes manifests for etcd, kube-apiserver, kube-controller-manager and kube-scheduler into
``/etc/kubernetes/manifests`` on the control-plane node. The kubelet runs them without asking the
API server, then publishes a read-only *mirror pod* for each, named ``<component>-<node>``, so that
``kubectl get pods -n kube-system`` shows them.

>>> node = {"metadata": {"name": "control-plane", "uid": "u1"}}
>>> pod = mirror_pod("etcd", node)
>>> pod["metadata"]["name"], pod["metadata"]["labels"], pod["spec"]["containers"][0]["image"]
('etcd-control-plane', {'component': 'etcd', 'tier': 'control-plane'}, 'registry.k8s.io/etcd:3.5.16-0')

When a static pod's process exits (a kube-scheduler or kube-controller-manager that lost its
leader Lease exits with status 1), the kubelet starts the container again and the mirror pod
shows it: ``restarted_status`` counts the restart and keeps the exit as the last state.

Simplified: the manifests carry the main flags only (no volumes, probes or certificates).

Upstream: cmd/kubeadm/app/phases/controlplane/manifests.go, cmd/kubeadm/app/phases/etcd/local.go,
pkg/kubelet/pod/mirror_client.go
"""

from __future__ import annotations

import hashlib
import json
import random

KUBE_VERSION = "v1.32.0"
ETCD_IMAGE = "registry.k8s.io/etcd:3.5.16-0"

CONTROL_PLANE_COMPONENTS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")

_COMMANDS = {
    "etcd": [
        "etcd",
        "--advertise-client-urls=https://{ip}:2379",
        "--data-dir=/var/lib/etcd",
        "--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379",
        "--name={node}",
    ],
    "kube-apiserver": [
        "kube-apiserver",
        "--advertise-address={ip}",
        "--etcd-servers=https://127.0.0.1:2379",
        "--secure-port=6443",
        "--service-cluster-ip-range=10.96.0.0/12",
    ],
    "kube-controller-manager": [
        "kube-controller-manager",
        "--allocate-node-cidrs=true",
        "--cluster-cidr=10.244.0.0/16",
        "--leader-elect=true",
    ],
    "kube-scheduler": ["kube-scheduler", "--leader-elect=true"],
}

_REQUESTS = {
    "etcd": {"cpu": "100m", "memory": "100Mi"},
    "kube-apiserver": {"cpu": "250m"},
    "kube-controller-manager": {"cpu": "200m"},
    "kube-scheduler": {"cpu": "100m"},
}


def _image(component: str) -> str:
    return ETCD_IMAGE if component == "etcd" else f"registry.k8s.io/{component}:{KUBE_VERSION}"


def mirror_pod(component: str, node: dict) -> dict:
    """The mirror pod of one static control-plane pod on ``node``."""
    node_name = node["metadata"]["name"]
    ip = next(
        (a["address"] for a in node.get("status", {}).get("addresses", []) if a["type"] == "InternalIP"), ""
    )
    config_hash = hashlib.md5(f"{component}/{node_name}".encode()).hexdigest()
    command = [part.format(ip=ip, node=node_name) for part in _COMMANDS[component]]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"{component}-{node_name}",
            "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": {
                "kubernetes.io/config.hash": config_hash,
                "kubernetes.io/config.mirror": config_hash,
                "kubernetes.io/config.source": "file",
            },
            "ownerReferences": [
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "name": node_name,
                    "uid": node["metadata"].get("uid", ""),
                    "controller": True,
                }
            ],
        },
        "spec": {
            "containers": [
                {
                    "name": component,
                    "image": _image(component),
                    "command": command,
                    "resources": {"requests": dict(_REQUESTS[component])},
                }
            ],
            "hostNetwork": True,
            "nodeName": node_name,
            "priorityClassName": "system-node-critical",
            "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
        },
    }


def container_id(rng: random.Random) -> str:
    """A containerd container ID: 64 hex digits."""
    return f"containerd://{rng.getrandbits(256):064x}"


def running_status(pod: dict, host_ip: str, started: str, rng: random.Random) -> dict:
    """The status a kubelet reports for a host-network pod whose containers are all running."""
    conditions = [
        {"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": started}
        for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
    ]
    statuses = []
    for container in pod["spec"]["containers"]:
        image = container["image"]
        digest = hashlib.sha256(image.encode()).hexdigest()
        statuses.append(
            {
                "containerID": container_id(rng),
                "image": image,
                "imageID": f"{image.rsplit(':', 1)[0]}@sha256:{digest}",
                "lastState": {},
                "name": container["name"],
                "ready": True,
                "restartCount": 0,
                "started": True,
                "state": {"running": {"startedAt": started}},
            }
        )
    return {
        "conditions": conditions,
        "containerStatuses": statuses,
        "hostIP": host_ip,
        "hostIPs": [{"ip": host_ip}],
        "phase": "Running",
        "podIP": host_ip,
        "podIPs": [{"ip": host_ip}],
        "qosClass": "Burstable",
        "startTime": started,
    }


def restarted_status(pod: dict, exit_code: int, finished: str, started: str, rng: random.Random) -> dict:
    """The mirror pod's status after the kubelet started its container again: a new container ID,
    ``restartCount`` one more, the exit as ``lastState.terminated`` (reason Error), running since
    ``started``; Ready and ContainersReady went False and True again at ``started``."""
    status = json.loads(json.dumps(pod.get("status") or {}))
    for condition in status.get("conditions") or []:
        if condition.get("type") in ("Ready", "ContainersReady"):
            condition["lastTransitionTime"] = started
    for container in status.get("containerStatuses") or []:
        running = (container.get("state") or {}).get("running") or {}
        container["lastState"] = {"terminated": {
            "containerID": container.get("containerID", ""), "exitCode": exit_code, "finishedAt": finished,
            "reason": "Completed" if exit_code == 0 else "Error", "startedAt": running.get("startedAt", started)}}
        container["containerID"] = container_id(rng)
        container["restartCount"] = container.get("restartCount", 0) + 1
        container["state"] = {"running": {"startedAt": started}}
    return status


def static_pod_reference(pod: dict) -> dict:
    """The static pod as the kubelet knows it, for its events: its UID is the hash of its manifest
    (``kubernetes.io/config.hash``), not the mirror pod's."""
    meta = pod["metadata"]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": meta["name"], "namespace": meta["namespace"],
                         "uid": (meta.get("annotations") or {}).get("kubernetes.io/config.hash", "")}}
