"""The Deployment controller: rollouts of a pod template through ReplicaSets, with history.

A Deployment never makes pods itself. It owns ReplicaSets, one per version of its pod template,
named ``<deployment>-<pod-template-hash>``, and moves replicas from the old ones to the new one
(RollingUpdate) or stops the old ones first (Recreate). ``history`` holds what ``kubectl rollout
history|undo|pause|resume`` do with an API client.

Upstream: pkg/controller/deployment/
"""

from k8slearn.controllers.deployment.controller import DeploymentController
from k8slearn.controllers.deployment.history import (
    rollout_history,
    rollout_pause,
    rollout_resume,
    rollout_undo,
)

__all__ = ["DeploymentController", "rollout_history", "rollout_pause", "rollout_resume", "rollout_undo"]
