"""The kubelet: the agent on every node.

Upstream: pkg/kubelet
"""

from k8slearn.kubelet import node_status
from k8slearn.kubelet.kubelet import Kubelet

__all__ = ["Kubelet", "node_status"]
