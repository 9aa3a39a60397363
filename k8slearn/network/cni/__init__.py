"""CNI: the Container Network Interface, as the container runtime uses it.

Upstream: containernetworking/cni SPEC.md (spec 1.1.0), containernetworking/plugins
"""

from k8slearn.network.cni.spec import CNIError, Host, invoke, node_network_config

__all__ = ["CNIError", "Host", "invoke", "node_network_config"]
