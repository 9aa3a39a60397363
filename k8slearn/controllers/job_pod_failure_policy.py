"""A Job's podFailurePolicy: decide, per failed pod, whether it fails the Job, is ignored, or counts.

The rules are tried in order; the first that matches the failed pod decides:

* ``onExitCodes``: a terminated container (of ``containerName``, or any) whose non-zero exit
  code is ``In`` (or ``NotIn``) the values;
* ``onPodConditions``: the pod has a condition of that type and status (``DisruptionTarget``:
  the pod was evicted, preempted, or its node was tainted away).

and its ``action`` is ``FailJob`` (the Job fails at once, reason ``PodFailurePolicy``),
``Ignore`` (the failure does not count towards ``backoffLimit``), ``Count`` (it does, as
without a policy) or ``FailIndex``. A pod no rule matches counts.

>>> policy = {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42]}},
...                     {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]}
>>> failed = lambda code, conditions=(): {"metadata": {"namespace": "default", "name": "pi-x7k2p"}, "status": {
...     "phase": "Failed", "conditions": list(conditions),
...     "containerStatuses": [{"name": "pi", "state": {"terminated": {"exitCode": code}}}]}}
>>> match_pod_failure_policy(policy, failed(42))
('Container pi for pod default/pi-x7k2p failed with exit code 42 matching FailJob rule at index 0', True, 'FailJob')
>>> match_pod_failure_policy(policy, failed(137, [{"type": "DisruptionTarget", "status": "True"}]))
(None, False, 'Ignore')
>>> match_pod_failure_policy(policy, failed(1))
(None, True, None)

Simplified: ``FailIndex`` is matched, but per-index back-off limits are not modelled.

Upstream: pkg/controller/job/pod_failure_policy.go
"""

from __future__ import annotations

REASON_POD_FAILURE_POLICY = "PodFailurePolicy"  # batch.JobReasonPodFailurePolicy


def match_pod_failure_policy(policy: dict | None, pod: dict) -> tuple[str | None, bool, str | None]:
    """(the FailJob message if any, whether the failure counts towards backoffLimit, the matched action)."""
    if policy is None:
        return None, True, None
    meta, status = pod["metadata"], pod.get("status") or {}
    for index, rule in enumerate(policy.get("rules") or ()):
        action = rule.get("action")
        if rule.get("onExitCodes") is not None:
            container = match_on_exit_codes(status, rule["onExitCodes"])
            if container is None:
                continue
            if action == "FailJob":
                code = container["state"]["terminated"]["exitCode"]
                return (f"Container {container['name']} for pod {meta.get('namespace')}/{meta['name']} failed "
                        f"with exit code {code} matching {action} rule at index {index}"), True, action
        elif rule.get("onPodConditions") is not None:
            condition = match_on_pod_conditions(status, rule["onPodConditions"])
            if condition is None:
                continue
            if action == "FailJob":
                return (f"Pod {meta.get('namespace')}/{meta['name']} has condition {condition['type']} matching "
                        f"{action} rule at index {index}"), True, action
        else:
            continue
        if action == "Ignore":
            return None, False, action
        if action in ("Count", "FailIndex"):
            return None, True, action
        # an unknown action: the rule matched but decides nothing; go on (as upstream's switch)
    return None, True, None


def match_on_exit_codes(status: dict, requirement: dict) -> dict | None:
    """The first terminated container (then init container) whose non-zero exit code matches."""
    for key in ("containerStatuses", "initContainerStatuses"):
        for cs in status.get(key) or ():
            terminated = (cs.get("state") or {}).get("terminated")
            if terminated is None:
                continue  # still running or terminating: no exit code to match
            name = requirement.get("containerName")
            code = terminated.get("exitCode", 0)
            if (name is None or name == cs.get("name")) and code != 0 and _operator_matches(code, requirement):
                return cs
    return None


def _operator_matches(code: int, requirement: dict) -> bool:
    values = requirement.get("values") or ()
    if requirement.get("operator") == "In":
        return code in values
    if requirement.get("operator") == "NotIn":
        return code not in values
    return False


def match_on_pod_conditions(status: dict, patterns: list[dict]) -> dict | None:
    for condition in status.get("conditions") or ():
        for pattern in patterns:
            if condition.get("type") == pattern.get("type") and condition.get("status") == pattern.get("status"):
                return condition
    return None
