"""Deployment arithmetic: surge and unavailability, revisions, annotations and conditions.

``maxSurge`` rounds up and ``maxUnavailable`` rounds down; if both come out 0 the controller
allows one unavailable pod, so a rollout can always move (ResolveFenceposts):

>>> resolve_fenceposts("25%", "25%", 10)
(3, 2)
>>> resolve_fenceposts("25%", "25%", 1)
(1, 0)
>>> resolve_fenceposts(0, "10%", 5)
(0, 1)

Simplified: ``progressDeadlineSeconds`` is honoured; pausing, collisions and rollbacks as upstream.

Upstream: pkg/controller/deployment/util/deployment_util.go,
staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr.go (GetScaledValueFromIntOrPercent)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from k8slearn.api.meta import parse_timestamp, timestamp

REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to"
DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = "pod-template-hash"
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000
MAX_INT32 = 2**31 - 1

# Condition reasons (deployment_util.go)
REPLICA_SET_UPDATED = "ReplicaSetUpdated"
FAILED_RS_CREATE = "ReplicaSetCreateError"
NEW_REPLICA_SET = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED_DEPLOY = "DeploymentPaused"
RESUMED_DEPLOY = "DeploymentResumed"
MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"

ANNOTATIONS_TO_SKIP = {LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
                       DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO}


# ---- surge and unavailability ------------------------------------------------------------------

def get_scaled_value_from_int_or_percent(value: int | str | None, total: int, round_up: bool) -> int:
    """intstr: an int is itself; ``"25%"`` is 25% of ``total``, rounded up or down."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    if not value.endswith("%"):
        raise ValueError("invalid value for IntOrString: invalid type: string is not a percentage")
    percent = int(value[:-1])
    scaled = percent * total / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def resolve_fenceposts(max_surge: int | str | None, max_unavailable: int | str | None,
                       desired: int) -> tuple[int, int]:
    """(surge, unavailable) as numbers; never both 0."""
    surge = get_scaled_value_from_int_or_percent(max_surge if max_surge is not None else 0, desired, True)
    unavailable = get_scaled_value_from_int_or_percent(
        max_unavailable if max_unavailable is not None else 0, desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def replicas(obj: dict) -> int:
    value = obj["spec"].get("replicas")
    return 1 if value is None else value


def is_rolling_update(d: dict) -> bool:
    return ((d["spec"].get("strategy") or {}).get("type") or "RollingUpdate") == "RollingUpdate"


def _rolling(d: dict) -> dict:
    return (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}


def max_unavailable(d: dict) -> int:
    """MaxUnavailable: how many of ``spec.replicas`` may be unavailable during a rolling update."""
    desired = replicas(d)
    if not is_rolling_update(d) or desired == 0:
        return 0
    _, unavailable = resolve_fenceposts(_rolling(d).get("maxSurge"), _rolling(d).get("maxUnavailable"), desired)
    return min(unavailable, desired)


def max_surge(d: dict) -> int:
    """MaxSurge: how many pods above ``spec.replicas`` a rolling update may run."""
    if not is_rolling_update(d):
        return 0
    surge, _ = resolve_fenceposts(_rolling(d).get("maxSurge"), _rolling(d).get("maxUnavailable"), replicas(d))
    return surge


# ---- replica sets --------------------------------------------------------------------------------

def _template_without_hash(template: dict) -> dict:
    meta = dict(template.get("metadata") or {})
    labels = dict(meta.get("labels") or {})
    labels.pop(DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, None)
    meta["labels"] = labels
    return {**template, "metadata": meta}


def equal_ignore_hash(t1: dict, t2: dict) -> bool:
    """Two pod templates are the same apart from the pod-template-hash label."""
    return _template_without_hash(t1) == _template_without_hash(t2)


def _created(rs: dict) -> tuple:
    return (rs["metadata"].get("creationTimestamp") or "", rs["metadata"]["name"])


def by_creation_timestamp(rss: Iterable[dict]) -> list[dict]:
    """ReplicaSetsByCreationTimestamp (names break ties)."""
    return sorted(rss, key=_created)


def find_new_replica_set(d: dict, rs_list: Iterable[dict]) -> dict | None:
    """The oldest ReplicaSet whose template equals the Deployment's (ignoring the hash label)."""
    for rs in by_creation_timestamp(rs_list):
        if equal_ignore_hash(rs["spec"]["template"], d["spec"]["template"]):
            return rs
    return None


def find_old_replica_sets(d: dict, rs_list: list[dict]) -> tuple[list[dict], list[dict]]:
    """(old ones with replicas, all old ones)."""
    new_rs = find_new_replica_set(d, rs_list)
    all_old = [rs for rs in rs_list if new_rs is None or rs["metadata"]["uid"] != new_rs["metadata"]["uid"]]
    return [rs for rs in all_old if replicas(rs) != 0], all_old


def filter_active_replica_sets(rss: Iterable[dict | None]) -> list[dict]:
    return [rs for rs in rss if rs is not None and replicas(rs) > 0]


def get_replica_count(rss: Iterable[dict | None]) -> int:
    """Sum of spec.replicas."""
    return sum(replicas(rs) for rs in rss if rs is not None)


def _status_sum(rss: Iterable[dict | None], field: str) -> int:
    return sum((rs.get("status") or {}).get(field, 0) for rs in rss if rs is not None)


def get_actual_replica_count(rss: Iterable[dict | None]) -> int:
    return _status_sum(rss, "replicas")


def get_ready_replica_count(rss: Iterable[dict | None]) -> int:
    return _status_sum(rss, "readyReplicas")


def get_available_replica_count(rss: Iterable[dict | None]) -> int:
    return _status_sum(rss, "availableReplicas")


def revision(obj: dict) -> int:
    try:
        return int((obj["metadata"].get("annotations") or {}).get(REVISION_ANNOTATION, 0))
    except ValueError:
        return 0


def max_revision(rss: Iterable[dict]) -> int:
    return max([revision(rs) for rs in rss] or [0])


def by_revision(rss: Iterable[dict]) -> list[dict]:
    """ReplicaSetsByRevision: oldest revision first (creation time breaks ties)."""
    return sorted(rss, key=lambda rs: (revision(rs), _created(rs)))


# ---- annotations -----------------------------------------------------------------------------------

def _int_annotation(rs: dict, key: str) -> int | None:
    try:
        return int((rs["metadata"].get("annotations") or {})[key])
    except (KeyError, ValueError):
        return None


def get_desired_replicas_annotation(rs: dict) -> int | None:
    return _int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)


def get_max_replicas_annotation(rs: dict) -> int | None:
    return _int_annotation(rs, MAX_REPLICAS_ANNOTATION)


def set_replicas_annotations(rs: dict, desired: int, max_replicas: int) -> bool:
    annotations = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in ((DESIRED_REPLICAS_ANNOTATION, str(desired)), (MAX_REPLICAS_ANNOTATION, str(max_replicas))):
        if annotations.get(key) != value:
            annotations[key] = value
            changed = True
    return changed


def replicas_annotations_need_update(rs: dict, desired: int, max_replicas: int) -> bool:
    annotations = rs["metadata"].get("annotations") or {}
    return annotations.get(DESIRED_REPLICAS_ANNOTATION) != str(desired) or \
        annotations.get(MAX_REPLICAS_ANNOTATION) != str(max_replicas)


def copy_deployment_annotations_to_replica_set(d: dict, rs: dict) -> bool:
    changed = False
    annotations = rs["metadata"].setdefault("annotations", {})
    for key, value in (d["metadata"].get("annotations") or {}).items():
        if key in ANNOTATIONS_TO_SKIP or annotations.get(key) == value:
            continue
        annotations[key] = value
        changed = True
    return changed


def set_new_replica_set_annotations(d: dict, rs: dict, new_revision: str, exists: bool) -> bool:
    """Copy the Deployment's annotations, bump the revision (keeping the old ones in revision-history)."""
    changed = copy_deployment_annotations_to_replica_set(d, rs)
    annotations = rs["metadata"].setdefault("annotations", {})
    old = annotations.get(REVISION_ANNOTATION)
    try:
        old_int = int(old) if old is not None else 0
    except ValueError:
        if old != "":
            return False
        old_int = 0
    new_int = int(new_revision)
    if old_int < new_int:
        annotations[REVISION_ANNOTATION] = new_revision
        changed = True
        if old is not None:  # a rollback to this ReplicaSet: remember the revisions it had
            history = annotations.get(REVISION_HISTORY_ANNOTATION, "")
            olds = history.split(",") if history else []
            while olds and len(",".join(olds + [old])) > MAX_REV_HISTORY_LENGTH_IN_CHARS:
                olds.pop(0)
            annotations[REVISION_HISTORY_ANNOTATION] = ",".join(olds + [old])
    if not exists and set_replicas_annotations(rs, replicas(d), replicas(d) + max_surge(d)):
        changed = True
    return changed


def set_deployment_revision(d: dict, rev: str) -> bool:
    annotations = d["metadata"].setdefault("annotations", {})
    if annotations.get(REVISION_ANNOTATION) != rev:
        annotations[REVISION_ANNOTATION] = rev
        return True
    return False


def is_saturated(d: dict, rs: dict | None) -> bool:
    """The new ReplicaSet runs all of ``spec.replicas``, all available."""
    if rs is None:
        return False
    desired = get_desired_replicas_annotation(rs)
    return desired is not None and replicas(rs) == replicas(d) and desired == replicas(d) \
        and (rs.get("status") or {}).get("availableReplicas", 0) == replicas(d)


def get_proportion(rs: dict | None, d: dict, to_add: int, added: int) -> int:
    """How many of ``to_add`` this ReplicaSet gets in a proportional scale (rounded, capped)."""
    if rs is None or replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = _replica_set_fraction(rs, d)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def _round(a: float) -> int:
    return int(a - 0.5) if a < 0 else int(a + 0.5)


def _replica_set_fraction(rs: dict, d: dict) -> int:
    if replicas(d) == 0:
        return -replicas(rs)
    deployment_replicas = replicas(d) + max_surge(d)
    annotated = get_max_replicas_annotation(rs)
    if annotated is None:
        annotated = (d.get("status") or {}).get("replicas", 0)
    if annotated == 0:
        return 0
    return _round(replicas(rs) * deployment_replicas / annotated) - replicas(rs)


# ---- conditions and progress -------------------------------------------------------------------

def new_condition(type_: str, status: str, reason: str, message: str, now: float) -> dict:
    t = timestamp(now)
    return {"type": type_, "status": status, "lastUpdateTime": t, "lastTransitionTime": t,
            "reason": reason, "message": message}


def get_condition(status: dict, type_: str) -> dict | None:
    for c in status.get("conditions") or ():
        if c.get("type") == type_:
            return c
    return None


def set_condition(status: dict, condition: dict) -> None:
    """SetDeploymentCondition: same status and reason → no change; same status → keep transition time."""
    current = get_condition(status, condition["type"])
    if current is not None and current["status"] == condition["status"] and current.get("reason") == condition["reason"]:
        return
    if current is not None and current["status"] == condition["status"]:
        condition["lastTransitionTime"] = current.get("lastTransitionTime")
    status["conditions"] = [c for c in status.get("conditions") or () if c.get("type") != condition["type"]]
    status["conditions"].append(condition)


def remove_condition(status: dict, type_: str) -> None:
    if status.get("conditions"):
        status["conditions"] = [c for c in status["conditions"] if c.get("type") != type_]
        if not status["conditions"]:
            del status["conditions"]


def has_progress_deadline(d: dict) -> bool:
    value = d["spec"].get("progressDeadlineSeconds")
    return value is not None and value != MAX_INT32


def has_revision_history_limit(d: dict) -> bool:
    value = d["spec"].get("revisionHistoryLimit")
    return value is not None and value != MAX_INT32


def deployment_complete(d: dict, status: dict) -> bool:
    want = replicas(d)
    return status.get("updatedReplicas", 0) == want and status.get("replicas", 0) == want \
        and status.get("availableReplicas", 0) == want \
        and status.get("observedGeneration", 0) >= d["metadata"].get("generation", 0)


def deployment_progressing(d: dict, new: dict) -> bool:
    old = d.get("status") or {}
    old_old = old.get("replicas", 0) - old.get("updatedReplicas", 0)
    new_old = new.get("replicas", 0) - new.get("updatedReplicas", 0)
    return new.get("updatedReplicas", 0) > old.get("updatedReplicas", 0) or new_old < old_old \
        or new.get("readyReplicas", 0) > old.get("readyReplicas", 0) \
        or new.get("availableReplicas", 0) > old.get("availableReplicas", 0)


def deployment_timed_out(d: dict, status: dict, now: float) -> bool:
    if not has_progress_deadline(d):
        return False
    condition = get_condition(status, "Progressing")
    if condition is None or condition.get("reason") == NEW_RS_AVAILABLE:
        return False
    if condition.get("reason") == TIMED_OUT:
        return True
    since = parse_timestamp(condition["lastUpdateTime"])
    return since + d["spec"]["progressDeadlineSeconds"] < now
