"""kube-controller-manager: the reconcile loops that nudge the cluster toward what was declared.

Upstream: cmd/kube-controller-manager, pkg/controller
"""
