"""The Deployment controller: rollouts of a pod template through ReplicaSets, with history.

A Deployment never makes pods itself. It owns ReplicaSets, one per version of its pod template,
named ``<deployment>-<pod-template-hash>``, and moves replicas from the old ones to the new one
(RollingUpdate) or stops the old ones first (Recreate). ``kubectl rollout history|undo|pause|
resume`` read and write that history through the API (``k8slearn.kubectl.rollout_history``).

Upstream: pkg/controller/deployment/
"""

from k8slearn.controllers.deployment.controller import DeploymentController

__all__ = ["DeploymentController"]
