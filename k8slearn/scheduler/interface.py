"""The framework's vocabulary: status codes, Status, CycleState, and what a failed cycle reports.

The scheduler itself knows nothing about taints or CPUs. It runs *plugins* at fixed points of a
scheduling cycle, in the order the profile lists them:

=================  =====================================================  =========================
extension point    plugin method                                          returns
=================  =====================================================  =========================
QueueSort          ``less(a, b)`` (two queued pods)                       bool: a goes first
PreFilter          ``pre_filter(state, pod)``                             Status or (PreFilterResult, Status)
Filter             ``filter(state, pod, node_info)``                      Status (None = Success)
PostFilter         ``post_filter(state, pod, node_to_status)``            (PostFilterResult, Status)
PreScore           ``pre_score(state, pod, nodes)``                       Status (Skip = don't score)
Score              ``score(state, pod, node_info)``                       int, 0..100 after normalising
NormalizeScore     ``normalize_score(state, pod, scores)`` (name -> int)   Status; edits scores in place
Bind               ``bind(state, pod, node_name)``                        Status (Skip = next binder)
=================  =====================================================  =========================

A plugin is any object with a ``name`` and one or more of these methods. This one is complete:

>>> class NoNode2:
...     name = "NoNode2"
...     def filter(self, state, pod, node_info):
...         if node_info.name == "node-2":
...             return Status(Code.UnschedulableAndUnresolvable, "node-2 is reserved")
...         return SUCCESS
>>> status = Status(Code.Unschedulable, ["Insufficient cpu", "Insufficient memory"])
>>> status.message(), status.is_rejected(), SUCCESS.is_success()
('Insufficient cpu, Insufficient memory', True, True)

When no node fits, the cycle's :class:`Diagnosis` becomes the FailedScheduling message:

>>> d = Diagnosis()
>>> d.node_to_status.statuses = {"node-1": Status(Code.Unschedulable, "Insufficient cpu"),
...                              "node-2": Status(Code.Unschedulable, "Insufficient cpu")}
>>> fit_error_message(2, d)
'0/2 nodes are available: 2 Insufficient cpu.'

Reserve (``reserve(state, pod, node_name)``, undone by ``unreserve``) and PreBind
(``pre_bind(state, pod, node_name)``) run after a node is chosen and before Bind; VolumeBinding
uses them to bind a pod's WaitForFirstConsumer claims.

Simplified: no Permit or PostBind points (no default plugin uses them).

Upstream: pkg/scheduler/framework/interface.go, cycle_state.go, types.go (Diagnosis, FitError)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

MAX_NODE_SCORE = 100
MIN_NODE_SCORE = 0
NO_NODE_AVAILABLE_MSG = "0/%d nodes are available"
ERR_NO_NODES_AVAILABLE = "no nodes available to schedule pods"


class Code(enum.IntEnum):
    """The outcome of one plugin call (framework.Code)."""

    Success = 0
    Error = 1  # something went wrong inside the scheduler: retry after a backoff
    Unschedulable = 2  # not this node now; preemption might help
    UnschedulableAndUnresolvable = 3  # not this node, and evicting pods would not change that
    Wait = 4  # Permit: wait
    Skip = 5  # PreFilter/PreScore: this plugin has nothing to do for this pod; Bind: not mine
    Pending = 6  # waiting for something outside the scheduler


# Extension points as the configuration names them, the method a plugin implements for each, and
# the Go interface name that error messages use.
EXTENSION_POINTS: dict[str, tuple[str, str]] = {
    "preEnqueue": ("pre_enqueue", "PreEnqueuePlugin"),
    "queueSort": ("less", "QueueSortPlugin"),
    "preFilter": ("pre_filter", "PreFilterPlugin"),
    "filter": ("filter", "FilterPlugin"),
    "postFilter": ("post_filter", "PostFilterPlugin"),
    "preScore": ("pre_score", "PreScorePlugin"),
    "score": ("score", "ScorePlugin"),
    "reserve": ("reserve", "ReservePlugin"),
    "permit": ("permit", "PermitPlugin"),
    "preBind": ("pre_bind", "PreBindPlugin"),
    "bind": ("bind", "BindPlugin"),
    "postBind": ("post_bind", "PostBindPlugin"),
}


_REJECTED = (Code.Unschedulable, Code.UnschedulableAndUnresolvable, Code.Pending)


class Status:
    """A code, the human-readable reasons, and the plugin that returned it."""

    __slots__ = ("code", "plugin", "reasons")

    def __init__(
        self, code: Code = Code.Success, reasons: Iterable[str] | str = (), plugin: str = ""
    ) -> None:
        self.code = code if type(code) is Code else Code(code)  # (a Code already: no enum look-up)
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        self.plugin = plugin

    def message(self) -> str:
        return ", ".join(self.reasons)

    def is_success(self) -> bool:
        return self.code is Code.Success

    def is_skip(self) -> bool:
        return self.code is Code.Skip

    def is_rejected(self) -> bool:
        """Unschedulable, UnschedulableAndUnresolvable or Pending: the pod can't go here (yet)."""
        return self.code in _REJECTED

    def with_plugin(self, plugin: str) -> Status:
        self.plugin = plugin
        return self

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Status)
            and self.code == other.code
            and self.reasons == other.reasons
            and self.plugin == other.plugin
        )

    def __repr__(self) -> str:
        plugin = f", plugin={self.plugin!r}" if self.plugin else ""
        return f"Status({self.code.name}, {self.reasons!r}{plugin})"


SUCCESS = Status()  # shared: plugins return it instead of allocating a new Status per node


def as_status(status: Status | None) -> Status:
    """Plugins may return None for success; the framework reads it as SUCCESS."""
    return SUCCESS if status is None else status


class CycleState(dict):
    """Scratch space for one scheduling cycle: PreFilter writes what Filter and Score read.

    ``clone()`` copies it for a what-if on one node (nominated pods, preemption): values that have
    a ``clone()`` method are cloned, the others (read-only data) are shared."""

    __slots__ = ("dry_run", "filters", "pod_info", "skip_filter_plugins", "skip_score_plugins")

    def __init__(self, pod_info: Any = None) -> None:
        super().__init__()
        self.pod_info = pod_info  # the PodInfo of the pod being scheduled (its requests, computed once)
        self.skip_filter_plugins: set[str] = set()
        self.skip_score_plugins: set[str] = set()
        self.filters: list[tuple[str, Callable, Callable | None]] = []
        self.dry_run = False  # what-if: PostFilter must not change the cluster

    def read(self, key: str) -> Any:
        return self[key]

    def write(self, key: str, value: Any) -> None:
        self[key] = value

    def clone(self) -> CycleState:
        copy = CycleState(self.pod_info)
        for key, value in self.items():
            clone = getattr(value, "clone", None)
            copy[key] = clone() if callable(clone) else value
        copy.skip_filter_plugins = set(self.skip_filter_plugins)
        copy.skip_score_plugins = set(self.skip_score_plugins)
        copy.filters = self.filters
        copy.dry_run = self.dry_run
        return copy


class PreFilterResult(NamedTuple):
    """A PreFilter plugin may narrow the search to these nodes (None means: all nodes)."""

    node_names: frozenset | None = None

    def all_nodes(self) -> bool:
        return self.node_names is None

    def merge(self, other: PreFilterResult | None) -> PreFilterResult:
        if other is None or other.all_nodes():
            return self
        if self.all_nodes():
            return other
        return PreFilterResult(self.node_names & other.node_names)


class NodeToStatus:
    """Why each rejected node was rejected; nodes never tried share ``absent_status``."""

    __slots__ = ("absent_status", "statuses")

    def __init__(self, absent_status: Status | None = None) -> None:
        self.statuses: dict[str, Status] = {}
        self.absent_status = absent_status or Status(Code.UnschedulableAndUnresolvable)

    def __len__(self) -> int:
        return len(self.statuses)

    def get(self, name: str) -> Status | None:
        return self.statuses.get(name)

    def status_of(self, name: str) -> Status:
        """The node's status; a node that was never tried gets ``absent_status``."""
        return self.statuses.get(name) or self.absent_status

    def set(self, name: str, status: Status) -> None:
        self.statuses[name] = status

    def nodes_for_status_code(self, node_infos: list, code: Code) -> list:
        """NodesForStatusCode: the NodeInfos (in snapshot order) whose status has this code."""
        out = []
        for info in node_infos:
            status = self.statuses.get(info.name)
            if status is None:
                status = self.absent_status
            if status.code is code:
                out.append(info)
        return out


class PostFilterResult(NamedTuple):
    """What PostFilter (preemption) decided: nominate this node (``""`` clears a nomination).

    ``victims`` lists the pods preemption deleted (or, in a what-if, would delete)."""

    nominated_node_name: str = ""
    victims: tuple = ()


class Diagnosis:
    """What went wrong in one cycle: per-node statuses and which plugins rejected the pod."""

    __slots__ = (
        "node_to_status",
        "pending_plugins",
        "post_filter_msg",
        "pre_filter_msg",
        "unschedulable_plugins",
    )

    def __init__(self) -> None:
        self.node_to_status = NodeToStatus()
        self.unschedulable_plugins: dict[str, None] = {}  # an ordered set
        self.pending_plugins: dict[str, None] = {}
        self.pre_filter_msg = ""
        self.post_filter_msg = ""

    def add_plugin_status(self, status: Status) -> None:
        if not status.plugin:
            return
        if status.is_rejected():
            self.unschedulable_plugins[status.plugin] = None
        if status.code is Code.Pending:
            self.pending_plugins[status.plugin] = None


class FitError(Exception):
    """No node fits the pod; ``str()`` is the FailedScheduling message."""

    def __init__(self, pod: dict, num_all_nodes: int, diagnosis: Diagnosis) -> None:
        super().__init__()
        self.pod = pod
        self.num_all_nodes = num_all_nodes
        self.diagnosis = diagnosis

    def __str__(self) -> str:
        return fit_error_message(self.num_all_nodes, self.diagnosis)


def fit_error_message(num_all_nodes: int, diagnosis: Diagnosis) -> str:
    """``0/3 nodes are available: 1 node(s) had untolerated taint {...}, 2 Insufficient cpu.``"""
    msg = NO_NODE_AVAILABLE_MSG % num_all_nodes + ":"
    if diagnosis.pre_filter_msg:
        msg += f" {diagnosis.pre_filter_msg}."
    else:
        counts: dict[str, int] = {}
        node_to_status = diagnosis.node_to_status
        for status in node_to_status.statuses.values():
            for reason in status.reasons:
                counts[reason] = counts.get(reason, 0) + 1
        absent = num_all_nodes - len(node_to_status)
        if absent > 0:
            for reason in node_to_status.absent_status.reasons:
                counts[reason] = counts.get(reason, 0) + absent
        histogram = sorted(f"{count} {reason}" for reason, count in counts.items())
        if histogram:
            msg += f" {', '.join(histogram)}."
    if diagnosis.post_filter_msg:
        msg += f" {diagnosis.post_filter_msg}"
    return msg


class NoNodesAvailable(Exception):
    """The snapshot has no nodes at all (ErrNoNodesAvailable)."""

    def __str__(self) -> str:
        return ERR_NO_NODES_AVAILABLE


class PluginScores(NamedTuple):
    """One score plugin's numbers for the feasible nodes, in the same order as the nodes."""

    name: str
    weight: int
    raw: list
    normalized: list


class Handle:
    """What plugins may use besides their arguments (framework.Handle): the API client, the snapshot
    of this cycle, the RNG, listers of what the scheduler watches, the nominated pods, the event
    recorder, and the framework itself (preemption re-runs its filters)."""

    def __init__(
        self,
        client: Any = None,
        snapshot: Any = None,
        rng: Any = None,
        listers: Any = None,
        nominator: Any = None,
        recorder: Any = None,
        clock: Any = None,
    ) -> None:
        self.client = client
        self.snapshot = snapshot
        self.rng = rng
        self.listers: dict = listers if listers is not None else {}
        self.nominator = nominator
        self.recorder = recorder
        self.clock = clock  # () -> simulated seconds
        self.framework: Any = None

    def for_framework(self, framework: Any) -> Handle:
        """A copy of this handle for one framework (profile)."""
        clone = Handle(
            self.client, self.snapshot, self.rng, self.listers, self.nominator, self.recorder, self.clock
        )
        clone.framework = framework
        return clone

    def lister(self, resource: str) -> Any:
        return self.listers.get(resource)

    def nominated_pods_for_node(self, node_name: str) -> list:
        return self.nominator.nominated_pods_for_node(node_name) if self.nominator is not None else []


class PluginError(Exception):
    """A plugin broke a framework rule (e.g. a score outside 0..100): the cycle ends with an Error."""


class FilterError(PluginError):
    """A Filter plugin returned Code.Error for a node."""

    def __init__(self, status: Status) -> None:
        super().__init__(status.message())
        self.status = status
