"""client-go, small: how components see and change the cluster (only through the API server).

Upstream: k8s.io/client-go
"""

from k8slearn.client.record import EventRecorder

__all__ = ["EventRecorder"]
