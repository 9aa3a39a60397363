"""The DaemonSet controller: one pod per eligible node, aimed by node affinity, rolled by revision.

Upstream: pkg/controller/daemon/
"""

from k8slearn.controllers.daemonset.controller import DaemonSetsController

__all__ = ["DaemonSetsController"]
