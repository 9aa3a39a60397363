"""One pod, one decision: the scheduling cycle and the binding cycle.

``schedule_one`` takes the next pod from the queue and

1. **filters** the nodes (PreFilter, then Filter on each node, starting where the last pod
   stopped and stopping once enough feasible nodes are found: percentageOfNodesToScore);
2. if none is feasible, runs **PostFilter** (preemption: evict lower-priority pods and nominate a
   node for next time) and reports the FitError: ``0/3 nodes are available: 1 node(s) had
   untolerated taint {...}, 2 Insufficient cpu. preemption: 0/3 nodes are available: ...``;
3. otherwise **scores** the feasible nodes (PreScore, Score, NormalizeScore, × weight), picks the
   highest (ties at random), and **assumes** the pod onto that node in the cache;
4. **binds** it through the API server (Bind) and records ``Scheduled``.

The functions take the scheduler as their first argument, like the Go methods they mirror.

>>> [num_feasible_nodes_to_find(0, nodes) for nodes in (50, 1000, 5000)]
[50, 420, 500]
>>> select_host([30, 90, 90, 10], random.Random(0))    # (index, how many nodes tied for the best)
(2, 2)

A pod with ``status.nominatedNodeName`` (set by an earlier preemption) tries that node first.

Simplified: the binding cycle runs right after the scheduling cycle (upstream: in a goroutine);
no Reserve/Permit/PreBind; Filter and Score run on one thread.

Upstream: pkg/scheduler/schedule_one.go
"""

from __future__ import annotations

import operator
import random
from itertools import compress, islice, repeat
from typing import Any, NamedTuple

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw, timestamp
from k8slearn.client.podutil import patch_pod_status
from k8slearn.scheduler.events import ASSIGNED_POD_DELETE
from k8slearn.scheduler.explain import Attempt
from k8slearn.scheduler.framework import (
    Code,
    CycleState,
    Diagnosis,
    FitError,
    Framework,
    NoNodesAvailable,
    PluginError,
    Status,
)
from k8slearn.scheduler.resources import PodInfo

COMPONENT = "kube-scheduler"
MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5
NOTE_LENGTH_LIMIT = 1024  # an Event's message is cut here
POD_REASON_UNSCHEDULABLE = "Unschedulable"
POD_REASON_SCHEDULER_ERROR = "SchedulerError"
TOP_SCORES_IN_TRACE = 3  # numberOfHighestScoredNodesToReport


class SchedulingError(Exception):
    """An Error status (not a verdict about nodes): the pod is retried after a backoff."""


class ScheduleResult(NamedTuple):
    suggested_host: str
    evaluated_nodes: int
    feasible_nodes: int


def num_feasible_nodes_to_find(percentage: int, num_all_nodes: int) -> int:
    """How many feasible nodes to find before scoring: all below 100 nodes, else an adaptive share."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    if percentage == 0:  # adaptive: 50% at 100 nodes, 10% at 5,000, never under 5%
        percentage = max(50 - num_all_nodes // 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
    return max(num_all_nodes * percentage // 100, MIN_FEASIBLE_NODES_TO_FIND)


def select_host(totals: list[int], rng: random.Random) -> tuple[int, int]:
    """The index of a highest-scoring node, ties broken uniformly at random; and the tie count.

    Upstream walks the nodes and keeps the k-th tied node with probability 1/k (reservoir
    sampling); drawing once among the k tied nodes gives every one of them the same 1/k chance.
    (The drawn tied node is found by walking only up to it: from the front if it is in the first
    half of the tied nodes, else from the back, as the (ties - 1 - drawn)-th tied node from the
    end; the same node either way.)
    """
    best = max(totals)
    ties = totals.count(best)
    if ties == 1:
        return totals.index(best), 1
    drawn = rng.randrange(ties)
    count = len(totals)
    if ties == count:  # every node tied: the drawn one is at that index
        return drawn, ties
    if 2 * drawn < ties:
        tied = compress(range(count), map(operator.eq, totals, repeat(best)))
        return next(islice(tied, drawn, None)), ties
    tied = compress(range(count - 1, -1, -1), map(operator.eq, reversed(totals), repeat(best)))
    return next(islice(tied, ties - 1 - drawn, None)), ties


# -- the scheduling cycle -------------------------------------------------------------------------
def schedule_one(sched: Any, pinfo: Any) -> None:
    """Schedule one popped pod: scheduling cycle, then (if a node was found) binding cycle."""
    pod = pinfo.pod
    fwk = sched.framework_for_pod(pod)
    if fwk is None or skip_pod_schedule(sched, fwk, pod):
        return
    state = CycleState(pinfo.pod_info)
    attempt = Attempt(pinfo.key, sched.loop.now, pinfo.attempts, fwk.profile_name)
    sched.record_attempt(attempt)
    result, err = scheduling_cycle(sched, fwk, state, pinfo, attempt)
    if err is not None:
        handle_scheduling_failure(sched, fwk, pinfo, err, attempt)
        return
    assumed = assume(sched, pinfo, result.suggested_host)
    status = fwk.run_reserve_plugins_reserve(state, assumed.pod, assumed.node_name)
    if status.is_success():
        status = binding_cycle(sched, fwk, state, assumed)
    if not status.is_success():
        handle_binding_cycle_error(sched, fwk, pinfo, assumed, status, attempt, state)


def skip_pod_schedule(sched: Any, fwk: Framework, pod: dict) -> bool:
    """A pod being deleted, or one already assumed, is not scheduled again."""
    meta = pod["metadata"]
    if meta.get("deletionTimestamp"):
        sched.recorder_for(fwk).event(
            pod,
            "Warning",
            "FailedScheduling",
            f"skip schedule deleting pod: {meta.get('namespace')}/{meta['name']}",
            action="Scheduling",
        )
        return True
    return sched.cache.is_assumed_pod(pod)


def scheduling_cycle(
    sched: Any, fwk: Framework, state: CycleState, pinfo: Any, attempt: Attempt
) -> tuple[ScheduleResult | None, Exception | None]:
    """Returns (result, None) or (None, error); ``attempt.nominating`` says what to do with the pod's
    nominated node: None keeps it, a name sets it, "" clears it."""
    pod = pinfo.pod
    try:
        result = schedule_pod(sched, fwk, state, pod, attempt)
    except FitError as err:
        if fwk.post_filter_plugins:  # DefaultPreemption: may evict lower-priority pods for next time
            post_result, status = fwk.run_post_filter_plugins(state, pod, err.diagnosis.node_to_status)
            err.diagnosis.post_filter_msg = status.message()
            if post_result is not None:
                attempt.nominating = post_result.nominated_node_name
                attempt.victims = [_pod_key(v) for v in post_result.victims]
        return None, err
    except NoNodesAvailable as err:
        attempt.nominating = ""
        return None, err
    except (SchedulingError, PluginError) as err:  # FilterError is a PluginError
        attempt.nominating = ""
        return None, err
    except Exception as err:  # noqa: BLE001 - a plugin raised: report it like an upstream Error status
        attempt.nominating = ""
        return None, SchedulingError(f"{type(err).__name__}: {err}")
    _trace_decision(sched, attempt, result)
    return result, None


def _pod_key(pod: dict) -> str:
    meta = pod.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def schedule_pod(
    sched: Any, fwk: Framework, state: CycleState, pod: dict, attempt: Attempt
) -> ScheduleResult:
    """Snapshot, filter, score, select: the algorithm, without side effects on the cluster."""
    sched.cache.update_snapshot(sched.snapshot)
    num_nodes = sched.snapshot.num_nodes()
    attempt.num_all_nodes = num_nodes
    if num_nodes == 0:
        raise NoNodesAvailable()
    feasible, diagnosis = find_nodes_that_fit_pod(sched, fwk, state, pod, attempt)
    attempt.feasible = feasible
    if not feasible:
        raise FitError(pod, num_nodes, diagnosis)
    evaluated = len(feasible) + len(diagnosis.node_to_status)
    if len(feasible) == 1:  # only one node left: no need to score
        attempt.host = feasible[0].name
        return ScheduleResult(attempt.host, evaluated, 1)
    totals, per_plugin = prioritize_nodes(fwk, state, pod, feasible)
    index, ties = select_host(totals, sched.rng)
    attempt.scores, attempt.totals, attempt.ties = per_plugin, totals, ties
    attempt.host = feasible[index].name
    return ScheduleResult(attempt.host, evaluated, len(feasible))


def find_nodes_that_fit_pod(
    sched: Any, fwk: Framework, state: CycleState, pod: dict, attempt: Attempt
) -> tuple[list, Diagnosis]:
    """PreFilter once, then Filter over the nodes; returns the feasible NodeInfos and the diagnosis."""
    all_nodes = sched.snapshot.node_info_list
    diagnosis = Diagnosis()
    attempt.node_to_status = diagnosis.node_to_status.statuses
    pre_result, status, narrowing = fwk.run_pre_filter_plugins(state, pod)
    attempt.filter_plugins = [f[0] for f in state.filters]
    attempt.skipped_filter_plugins = sorted(state.skip_filter_plugins)
    # The plugins whose PreFilterResult narrowed the nodes count as rejecting the pod if it fits
    # nowhere, even when PreFilter succeeded: the queue then waits for an event that concerns them
    # (a node pinned by metadata.name appearing) instead of retrying the pod as an error.
    for name in narrowing:
        diagnosis.unschedulable_plugins[name] = None
    if not status.is_success():
        if not status.is_rejected():
            raise SchedulingError(status.message())
        diagnosis.node_to_status.absent_status = status  # every node gets the PreFilter's verdict
        diagnosis.pre_filter_msg = attempt.pre_filter_message = status.message()
        diagnosis.add_plugin_status(status)
        return [], diagnosis
    nominated = (pod.get("status") or {}).get("nominatedNodeName")
    if nominated and sched.snapshot.get(nominated) is not None:  # the node preemption freed: try it first
        feasible = fwk.run_filter_plugins_on_nodes(state, pod, [sched.snapshot.get(nominated)], diagnosis)
        if feasible:
            attempt.num_to_find = 1
            attempt.left_out = (
                f"the pod's nominated node {nominated} (status.nominatedNodeName, set by "
                "preemption) passed every filter, so no other node was tried"
            )
            return feasible, diagnosis
    nodes = all_nodes
    if pre_result is not None and not pre_result.all_nodes():
        nodes = [sched.snapshot.get(n) for n in sorted(pre_result.node_names) if sched.snapshot.get(n)]
        attempt.left_out = f"node(s) didn't satisfy plugin(s) [{' '.join(narrowing)}]"
        diagnosis.node_to_status.absent_status = Status(Code.UnschedulableAndUnresolvable, attempt.left_out)
    feasible = find_nodes_that_pass_filters(sched, fwk, state, pod, diagnosis, nodes, attempt)
    processed = len(feasible) + len(diagnosis.node_to_status)
    sched.next_start_node_index = (sched.next_start_node_index + processed) % len(all_nodes)
    return feasible, diagnosis


def find_nodes_that_pass_filters(
    sched: Any,
    fwk: Framework,
    state: CycleState,
    pod: dict,
    diagnosis: Diagnosis,
    nodes: list,
    attempt: Attempt,
) -> list:
    """Run Filter on nodes from ``next_start_node_index`` on, until enough feasible nodes are found."""
    num_all = len(nodes)
    percentage = fwk.percentage_of_nodes_to_score  # the profile's setting wins, even an explicit 0
    if percentage is None:
        percentage = sched.percentage_of_nodes_to_score
    num_to_find = num_feasible_nodes_to_find(percentage, num_all)
    if not fwk.score_plugins:
        num_to_find = 1  # nothing to compare: the first feasible node will do
    attempt.num_to_find = num_to_find
    start = sched.next_start_node_index
    if not state.filters:
        return [nodes[(start + i) % num_all] for i in range(min(num_to_find, num_all))]
    # Upstream checks nodes one by one (16 at a time) from ``start`` on and stops at the
    # num_to_find-th feasible one. Taking, each round, exactly as many next nodes as feasible
    # ones are still missing evaluates the very same nodes, a whole batch per plugin call site.
    feasible: list = []
    position = 0
    while position < num_all and len(feasible) < num_to_find:
        chunk = _next_nodes(
            nodes, (start + position) % num_all, min(num_to_find - len(feasible), num_all - position)
        )
        position += len(chunk)
        feasible += fwk.run_filter_plugins_on_nodes(state, pod, chunk, diagnosis)
    return feasible


def _next_nodes(nodes: list, first: int, count: int) -> list:
    """``count`` nodes from index ``first`` on, wrapping around the end of the list."""
    end = first + count
    return nodes[first:end] if end <= len(nodes) else nodes[first:] + nodes[: end - len(nodes)]


def prioritize_nodes(fwk: Framework, state: CycleState, pod: dict, nodes: list) -> tuple[list, list]:
    """PreScore, Score, NormalizeScore, weights: the total per node (1 each if nothing scores)."""
    if not fwk.score_plugins:
        return [1] * len(nodes), []
    status = fwk.run_pre_score_plugins(state, pod, nodes)
    if not status.is_success():
        raise SchedulingError(status.message())
    return fwk.run_score_plugins(state, pod, nodes)


def assume(sched: Any, pinfo: Any, host: str) -> PodInfo:
    """Count the pod on ``host`` in the cache now, so the next pod sees those resources as taken."""
    pod = pinfo.pod
    assumed = pinfo.pod_info.with_pod({**pod, "spec": {**pod["spec"], "nodeName": host}})
    sched.cache.assume_pod(assumed)
    sched.queue.nominator.delete_nominated_pod_if_exists(pod)
    return assumed


def _trace_decision(sched: Any, attempt: Attempt, result: ScheduleResult) -> None:
    if not sched.loop.tracing:
        return
    detail = f"filtered {result.evaluated_nodes} nodes: {result.feasible_nodes} feasible; "
    if attempt.totals:
        order = sorted(range(len(attempt.totals)), key=lambda i: -attempt.totals[i])[:TOP_SCORES_IN_TRACE]
        detail += "scored " + ", ".join(f"{attempt.feasible[i].name}={attempt.totals[i]}" for i in order)
        detail += ", "
    detail += f"picked {result.suggested_host}"
    sched.loop.record(COMPONENT, "schedule", _ref(attempt.pod_key), detail)


def _ref(key: str) -> str:
    return f"pod/{key}"


# -- the binding cycle ----------------------------------------------------------------------------
def binding_cycle(sched: Any, fwk: Framework, state: CycleState, assumed: PodInfo) -> Status:
    host = assumed.node_name
    try:
        status = fwk.run_pre_bind_plugins(state, assumed.pod, host)
        if status.is_success():
            status = fwk.run_bind_plugins(state, assumed.pod, host)
    except Exception as err:  # noqa: BLE001 - a Bind plugin raised
        status = Status(Code.Error, f"running Bind plugins: {type(err).__name__}: {err}")
    sched.cache.finish_binding(assumed)
    if status.is_success():  # (the API server traces the request: kube-scheduler bind pod/... node)
        namespace, name = assumed.key.split("/", 1)
        sched.recorder_for(fwk).event(
            assumed.pod,
            "Normal",
            "Scheduled",
            f"Successfully assigned {namespace}/{name} to {host}",
            action="Binding",
        )
    return status


def handle_binding_cycle_error(
    sched: Any,
    fwk: Framework,
    pinfo: Any,
    assumed: PodInfo,
    status: Status,
    attempt: Attempt,
    state: CycleState | None = None,
) -> None:
    """Reserve or the binding failed: run Unreserve, give the resources back, tell other pods, and
    retry this one."""
    if state is not None:
        fwk.run_reserve_plugins_unreserve(state, assumed.pod, assumed.node_name)
    sched.cache.forget_pod(assumed)
    sched.queue.move_all_to_active_or_backoff_queue(
        ASSIGNED_POD_DELETE, assumed.pod, None, pre_check=lambda p: PodInfo(p).key != assumed.key
    )
    attempt.host = ""
    handle_scheduling_failure(sched, fwk, pinfo, SchedulingError(status.message()), attempt)


def handle_scheduling_failure(
    sched: Any, fwk: Framework, pinfo: Any, err: Exception, attempt: Attempt
) -> None:
    """Park the pod in the queue, record FailedScheduling, set PodScheduled=False on the pod."""
    unschedulable = isinstance(err, (FitError, NoNodesAvailable))
    reason = POD_REASON_UNSCHEDULABLE if unschedulable else POD_REASON_SCHEDULER_ERROR
    message = str(err)
    attempt.message, attempt.reason = message, reason
    if isinstance(err, FitError):
        pinfo.unschedulable_plugins = dict(err.diagnosis.unschedulable_plugins)
        pinfo.pending_plugins = dict(err.diagnosis.pending_plugins)
    else:
        pinfo.unschedulable_plugins, pinfo.pending_plugins = {}, {}
    if sched.loop.tracing:
        evaluated = len(attempt.node_to_status) + len(attempt.feasible)
        detail = ""
        if unschedulable and attempt.num_all_nodes:
            detail = f"filtered {evaluated} nodes: 0 feasible; "
        sched.loop.record(COMPONENT, "schedule", _ref(pinfo.key), detail + message)
    namespace, name = pinfo.key.split("/", 1)
    cached = sched.pod_lister.get(name, namespace)
    if cached is not None and not (cached.get("spec") or {}).get("nodeName"):
        pinfo.pod_info = PodInfo(cached)
        sched.queue.add_unschedulable_if_not_present(
            pinfo, backoff_without_rejector=not isinstance(err, NoNodesAvailable)
        )
    # Remember the nomination now: the next cycles must not wait for the pod update to come back.
    sched.queue.nominator.add_nominated_pod(pinfo.pod_info, attempt.nominating)
    pod = cached if cached is not None else pinfo.pod
    sched.recorder_for(fwk).event(
        pod, "Warning", "FailedScheduling", truncate_message(message), action="Scheduling"
    )
    condition = {
        "type": "PodScheduled",
        "status": "False",
        "lastProbeTime": None,
        "lastTransitionTime": timestamp(sched.loop.now),
        "reason": reason,
        "message": message,
    }
    update_pod_status(sched, pod, condition, attempt.nominating)


def truncate_message(message: str) -> str:
    """Event messages are limited to 1024 characters, cut with `` ...``."""
    if len(message) <= NOTE_LENGTH_LIMIT:
        return message
    suffix = " ..."
    return message[: NOTE_LENGTH_LIMIT - len(suffix)] + suffix


def update_pod_condition(status: dict, condition: dict) -> bool:
    """Set ``condition`` in ``status['conditions']``; keep its transition time if the status is the
    same; returns True if anything changed (podutil.UpdatePodCondition)."""
    conditions = status.setdefault("conditions", [])
    for i, old in enumerate(conditions):
        if old.get("type") == condition["type"]:
            if old.get("status") == condition["status"]:
                condition["lastTransitionTime"] = old.get("lastTransitionTime")
            conditions[i] = condition
            return any(old.get(k) != condition[k] for k in condition)
    conditions.append(condition)
    return True


def update_pod_status(sched: Any, pod: dict, condition: dict, nominating: str | None = None) -> None:
    """updatePod: the condition (and a new nominatedNodeName, if any), PATCHed to pods/status only
    if something changed (util.PatchPodStatus: a strategic merge patch, no resourceVersion)."""
    status = thaw(pod.get("status") or {})
    changed = update_pod_condition(status, dict(condition))
    if nominating is not None and (status.get("nominatedNodeName") or "") != nominating:
        if nominating:
            status["nominatedNodeName"] = nominating
        else:
            status.pop("nominatedNodeName", None)
        changed = True
    if changed:
        try:
            patch_pod_status(sched.client, pod, status)
        except ApiError:
            return  # (the scheduler logs it and goes on)
