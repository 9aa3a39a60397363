"""Cases for the pod creation flow: who does what on a pod's way to Running, and which node a pod
IP belongs to.

``pod_flow.who_does`` names the component that does each job. No component calls another: each
watches the API server, and only the API server talks to etcd. The table also corrects the
source notes: etcd stores objects and places nothing (the scheduler picks the node), and the
container runtime behind the kubelet is containerd, reached over the CRI, not ``docker run``.

>>> WHO_DOES["the scheduler decides where the pod runs"].args
('decide which node runs the pod',)
>>> COMPONENTS[:3]
('kubectl', 'kube-apiserver', 'etcd')

``pod_flow.node_for_ip`` maps a pod IP to the node whose ``spec.podCIDR`` holds it: node IPAM
gives every node its own slice of the cluster CIDR, so a pod's IP tells where it runs.

>>> NODE_FOR_IP["an ip inside node-1's range belongs to node-1"].expected
'node-1'

Simplified: one control plane; the kube-controller-manager's node IPAM controller stands for the
whole controller manager.

Upstream: pkg/scheduler/schedule_one.go (bind), pkg/kubelet/kubelet.go (syncPod),
k8s.io/cri-api (RunPodSandbox, PullImage), containernetworking/cni SPEC.md (ADD),
pkg/controller/nodeipam/ipam/range_allocator.go
"""

from __future__ import annotations

from k8slearn.course.cases.table import Case, CaseTable

COMPONENTS = (
    "kubectl",
    "kube-apiserver",
    "etcd",
    "kube-scheduler",
    "kube-controller-manager",
    "kubelet",
    "containerd",
    "CNI plugin",
)
"""The names a ``who_does`` answer may use."""

WHO_DOES = CaseTable(
    name="pod_flow.who_does",
    signature="who_does(task: str) -> str",
    description="Which component does this job while a pod is created? One of: "
    + ", ".join(COMPONENTS)
    + ".",
    cases=[
        Case(
            "kubectl builds the pod and sends it as json",
            ("turn `kubectl run` into a Pod sent as JSON",),
            "kubectl",
        ),
        Case(
            "the api server is the only component that writes to etcd",
            ("validate the pod, fill in its defaults and write it to etcd",),
            "kube-apiserver",
        ),
        Case(
            "etcd stores the object with a revision for every change",
            ("keep the pod object, with a revision number for every change",),
            "etcd",
        ),
        Case(
            "the scheduler decides where the pod runs", ("decide which node runs the pod",), "kube-scheduler"
        ),
        Case(
            "the scheduler binds the pod to the node it chose",
            ("write the Binding that sets spec.nodeName",),
            "kube-scheduler",
        ),
        Case("the scheduler records the scheduled event", ("record the Scheduled event",), "kube-scheduler"),
        Case(
            "the kubelet watches for pods bound to its node",
            ("notice that the pod was bound to its node",),
            "kubelet",
        ),
        Case(
            "containerd starts the pause container when the kubelet asks",
            ("start the pause container that holds the pod's network namespace",),
            "containerd",
        ),
        Case("a cni plugin gives the pod its ip address", ("give the pod its IP address",), "CNI plugin"),
        Case("containerd pulls the image, not docker", ("pull the nginx image",), "containerd"),
        Case(
            "the kubelet reports the pod status to the api server",
            ("report the pod's status to the API server",),
            "kubelet",
        ),
        Case(
            "the controller manager gives every node its pod cidr",
            ("give each node its podCIDR",),
            "kube-controller-manager",
        ),
    ],
)

CIDRS = {"node-1": "10.244.1.0/24", "node-2": "10.244.2.0/24", "node-10": "10.244.10.0/24"}
HALVES = {"node-a": "10.244.0.0/25", "node-b": "10.244.0.128/25"}

NODE_FOR_IP = CaseTable(
    name="pod_flow.node_for_ip",
    signature="node_for_ip(ip: str, pod_cidrs: dict[str, str]) -> str | None",
    description="The node whose podCIDR contains the IP, or None when no node's range holds it.",
    cases=[
        Case("an ip inside node-1's range belongs to node-1", ("10.244.1.2", CIDRS), "node-1"),
        Case("an ip inside node-2's range belongs to node-2", ("10.244.2.9", CIDRS), "node-2"),
        Case("the gateway address .1 is inside the node's range too", ("10.244.2.1", CIDRS), "node-2"),
        Case(
            "an ip in 10.244.10.0/24 is not in 10.244.1.0/24 although the text starts alike",
            ("10.244.10.7", CIDRS),
            "node-10",
        ),
        Case("a service ip belongs to no node's pod range", ("10.96.0.1", CIDRS), None),
        Case("a node's own ip is not a pod ip", ("172.18.0.3", CIDRS), None),
        Case("a /25 range holds only half of the /24", ("10.244.0.200", HALVES), "node-b"),
        Case("the last address of the lower /25 still belongs to it", ("10.244.0.127", HALVES), "node-a"),
    ],
)
