"""podutil.UpdatePodCondition: set one pod condition in a conditions list.

A condition of the same type is replaced; if its status is unchanged it keeps its
``lastTransitionTime`` (the status did not transition), otherwise the new time counts. A new type
is appended:

>>> conditions = [{"type": "PodScheduled", "status": "True", "lastTransitionTime": "t0"}]
>>> update_pod_condition(conditions, {"type": "PodScheduled", "status": "True", "lastTransitionTime": "t1"})
>>> update_pod_condition(conditions, {"type": "DisruptionTarget", "status": "True", "lastTransitionTime": "t2"})
>>> [(c["type"], c["lastTransitionTime"]) for c in conditions]
[('PodScheduled', 't0'), ('DisruptionTarget', 't2')]

Upstream: pkg/api/v1/pod/util.go (UpdatePodCondition)
"""

from __future__ import annotations


def update_pod_condition(conditions: list[dict], condition: dict) -> None:
    """Put ``condition`` into ``conditions`` (changed in place), keeping an unchanged status's time."""
    for i, current in enumerate(conditions):
        if current.get("type") == condition["type"]:
            if current.get("status") == condition.get("status"):
                condition["lastTransitionTime"] = current.get("lastTransitionTime")
            conditions[i] = condition
            return
    conditions.append(condition)
