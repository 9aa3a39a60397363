"""An Indexed Job's successPolicy: declare the Job succeeded before every index has succeeded.

Each rule names the indexes that must succeed (``succeededIndexes``, e.g. ``"0,2-4"``), how
many must (``succeededCount``), or both (that many *of those* indexes). The first rule the Job's
succeeded indexes satisfy wins: the Job gets ``SuccessCriteriaMet`` (reason ``SuccessPolicy``,
message ``Matched rules at index <i>``), its remaining pods are deleted, and once they are gone,
``Complete`` with the same reason and message.

>>> done = Intervals.parse("0-2,5", completions=10)
>>> match_success_policy({"rules": [{"succeededIndexes": "0,9"}, {"succeededCount": 4}]}, 10, done)
('Matched rules at index 1', True)
>>> match_success_policy({"rules": [{"succeededIndexes": "1-6", "succeededCount": 3}]}, 10, done)  # 1, 2, 5
('Matched rules at index 0', True)
>>> match_success_policy({"rules": [{"succeededIndexes": "1-6"}]}, 10, done)
('', False)

Upstream: pkg/controller/job/success_policy.go
"""

from __future__ import annotations

from k8slearn.controllers.job_indexed import Intervals

REASON_SUCCESS_POLICY = "SuccessPolicy"  # batch.JobReasonSuccessPolicy


def match_success_policy(policy: dict | None, completions: int, succeeded: Intervals) -> tuple[str, bool]:
    """matchSuccessPolicy: (the message, whether a rule is met)."""
    if policy is None or not succeeded.items:
        return "", False
    for index, rule in enumerate(policy.get("rules") or ()):
        count = rule.get("succeededCount")
        if rule.get("succeededIndexes") is not None:
            required = Intervals.parse(rule["succeededIndexes"], completions)
            if not required.items:
                continue  # nothing parsable in range
            if match_succeeded_indexes_rule(required, succeeded, count):
                return f"Matched rules at index {index}", True
        elif count is not None and succeeded.total() >= count:
            return f"Matched rules at index {index}", True
    return "", False


def match_succeeded_indexes_rule(required: Intervals, succeeded: Intervals, count: int | None) -> bool:
    """All the rule's indexes succeeded, or at least ``count`` of them."""
    contains = sum(max(0, min(r_last, s_last) - max(r_first, s_first) + 1)
                   for r_first, r_last in required.items for s_first, s_last in succeeded.items)
    return contains == required.total() or (count is not None and contains >= count)
