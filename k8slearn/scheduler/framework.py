"""The scheduling framework: extension points, plugin statuses, and the runtime that calls plugins.

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

Simplified: no Reserve/Permit/PreBind/PostBind points (no default plugin in this course needs them),
no plugin metrics, no parallelism (Go runs Filter and Score over 16 goroutines).

Upstream: pkg/scheduler/framework/interface.go, cycle_state.go, types.go (Diagnosis, FitError),
pkg/scheduler/framework/runtime/framework.go
"""

from __future__ import annotations

import enum
from operator import add
from typing import Any, Callable, Iterable, NamedTuple

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


_REJECTED = (Code.Unschedulable, Code.UnschedulableAndUnresolvable, Code.Pending)


class Status:
    """A code, the human-readable reasons, and the plugin that returned it."""

    __slots__ = ("code", "reasons", "plugin")

    def __init__(self, code: Code = Code.Success, reasons: Iterable[str] | str = (), plugin: str = "") -> None:
        self.code = Code(code)
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

    def with_plugin(self, plugin: str) -> "Status":
        self.plugin = plugin
        return self

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Status) and self.code == other.code and self.reasons == other.reasons
                and self.plugin == other.plugin)

    def __repr__(self) -> str:
        plugin = f", plugin={self.plugin!r}" if self.plugin else ""
        return f"Status({self.code.name}, {self.reasons!r}{plugin})"


SUCCESS = Status()  # shared: plugins return it instead of allocating a new Status per node


def as_status(status: Status | None) -> Status:
    """Plugins may return None for success; the framework reads it as SUCCESS."""
    return SUCCESS if status is None else status


class CycleState(dict):
    """Scratch space for one scheduling cycle: PreFilter writes what Filter and Score read."""

    __slots__ = ("skip_filter_plugins", "skip_score_plugins", "filters")

    def __init__(self) -> None:
        super().__init__()
        self.skip_filter_plugins: set[str] = set()
        self.skip_score_plugins: set[str] = set()
        self.filters: list[tuple[str, Callable]] = []

    def read(self, key: str) -> Any:
        return self[key]

    def write(self, key: str, value: Any) -> None:
        self[key] = value


class PreFilterResult(NamedTuple):
    """A PreFilter plugin may narrow the search to these nodes (None means: all nodes)."""

    node_names: frozenset | None = None

    def all_nodes(self) -> bool:
        return self.node_names is None

    def merge(self, other: "PreFilterResult | None") -> "PreFilterResult":
        if other is None or other.all_nodes():
            return self
        if self.all_nodes():
            return other
        return PreFilterResult(self.node_names & other.node_names)


class NodeToStatus:
    """Why each rejected node was rejected; nodes never tried share ``absent_status``."""

    __slots__ = ("statuses", "absent_status")

    def __init__(self, absent_status: Status | None = None) -> None:
        self.statuses: dict[str, Status] = {}
        self.absent_status = absent_status or Status(Code.UnschedulableAndUnresolvable)

    def __len__(self) -> int:
        return len(self.statuses)

    def get(self, name: str) -> Status | None:
        return self.statuses.get(name)


class Diagnosis:
    """What went wrong in one cycle: per-node statuses and which plugins rejected the pod."""

    __slots__ = ("node_to_status", "unschedulable_plugins", "pending_plugins", "pre_filter_msg",
                 "post_filter_msg")

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
    """What plugins may use besides their arguments: the API client, the snapshot, the RNG."""

    def __init__(self, client: Any = None, snapshot: Any = None, rng: Any = None) -> None:
        self.client = client
        self.snapshot = snapshot
        self.rng = rng


def _has(plugin: Any, method: str) -> bool:
    return callable(getattr(plugin, method, None))


class Framework:
    """One profile's plugins, instantiated and sorted by extension point."""

    def __init__(self, profile: Any, handle: Handle | None = None) -> None:
        self.profile = profile
        self.profile_name = profile.scheduler_name
        self.handle = handle or Handle()
        self.percentage_of_nodes_to_score = profile.percentage_of_nodes_to_score
        registry = profile.registry()
        self.plugins: list = []
        self.weights: dict[str, int] = {}
        for name, weight in profile.plugin_weights():
            if name not in registry:
                raise ValueError(f"plugin {name!r} does not exist in the registry")
            plugin = registry[name](self.handle)
            self.plugins.append(plugin)
            self.weights[plugin.name] = weight or 1  # a score plugin's weight 0 means 1
        by_point = {point: [p for p in self.plugins if _has(p, point)] for point in (
            "less", "pre_enqueue", "pre_filter", "filter", "post_filter", "pre_score", "score", "bind")}
        if not by_point["less"]:
            raise ValueError("no queue sort plugin is enabled")
        if len(by_point["less"]) > 1:
            raise ValueError("only one queue sort plugin can be enabled")
        if not by_point["bind"]:
            raise ValueError("at least one bind plugin is needed")
        self.queue_sort = by_point["less"][0]
        self.pre_enqueue_plugins = by_point["pre_enqueue"]
        self.pre_filter_plugins = by_point["pre_filter"]
        self.filter_plugins = by_point["filter"]
        self.post_filter_plugins = by_point["post_filter"]
        self.pre_score_plugins = by_point["pre_score"]
        self.score_plugins = [(p, self.weights[p.name]) for p in by_point["score"]]
        self.bind_plugins = by_point["bind"]

    def less(self, a: Any, b: Any) -> bool:
        return self.queue_sort.less(a, b)

    def events_to_register(self) -> list[tuple[str, Any, Callable | None]]:
        """(plugin name, ClusterEvent, hint) for every plugin that says which events may help it."""
        out = []
        for plugin in self.plugins:
            if _has(plugin, "events_to_register"):
                for event, hint in plugin.events_to_register():
                    out.append((plugin.name, event, hint))
        return out

    # -- PreEnqueue / PreFilter -----------------------------------------------------------------
    def run_pre_enqueue_plugins(self, pod: dict) -> Status:
        for plugin in self.pre_enqueue_plugins:
            status = as_status(plugin.pre_enqueue(pod))
            if not status.is_success():
                return status.with_plugin(plugin.name)
        return SUCCESS

    def run_pre_filter_plugins(self, state: CycleState, pod: dict) -> tuple[PreFilterResult | None, Status]:
        """Run PreFilter in order; remember which plugins skip Filter; stop on a hard rejection."""
        result: PreFilterResult | None = None
        returned = SUCCESS
        narrowing: list[str] = []
        for plugin in self.pre_filter_plugins:
            out = plugin.pre_filter(state, pod)
            r, status = out if isinstance(out, tuple) else (None, out)
            status = as_status(status)
            if status.is_skip():
                state.skip_filter_plugins.add(plugin.name)
                continue
            if not status.is_success():
                status.plugin = plugin.name
                if status.code is Code.UnschedulableAndUnresolvable:
                    return None, status
                if status.code is Code.Unschedulable:
                    returned = status  # keep going: PostFilter (preemption) needs every PreFilter state
                    continue
                return None, Status(Code.Error, f"running PreFilter plugin {plugin.name!r}: "
                                    f"{status.message()}", plugin.name)
            if r is not None and not r.all_nodes():
                narrowing.append(plugin.name)
                result = r if result is None else result.merge(r)
                if not result.node_names:
                    names = sorted(narrowing)
                    msg = (f"node(s) didn't satisfy plugin {names[0]}" if len(names) == 1 else
                           f"node(s) didn't satisfy plugin(s) [{' '.join(names)}] simultaneously")
                    return result, Status(Code.UnschedulableAndUnresolvable, msg, names[0])
        state.filters = [(p.name, p.filter) for p in self.filter_plugins
                         if p.name not in state.skip_filter_plugins]
        return result, returned

    # -- Filter / PostFilter --------------------------------------------------------------------
    def run_filter_plugins(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        """The first plugin that rejects the node decides; later plugins are not asked."""
        for name, filter_fn in state.filters:
            status = filter_fn(state, pod, node_info)
            if status is SUCCESS or status is None or status.code is Code.Success:
                continue
            if status.code is Code.Error:
                return Status(Code.Error, f"running {name!r} filter plugin: {status.message()}", name)
            status.plugin = name
            return status
        return SUCCESS

    def run_filter_plugins_on_nodes(self, state: CycleState, pod: dict, nodes: list,
                                    diagnosis: "Diagnosis") -> list:
        """Filter many nodes: plugin by plugin, each over the nodes the previous ones let through.

        Every node gets the same verdict as :meth:`run_filter_plugins` would give it (the first
        plugin that rejects it decides); running one plugin over a whole list is just faster.
        Returns the feasible nodes; rejected ones go into ``diagnosis``.
        """
        statuses = diagnosis.node_to_status.statuses
        for name, filter_fn in state.filters:
            results = [filter_fn(state, pod, node_info) for node_info in nodes]
            if results.count(SUCCESS) == len(results):  # identity: the shared SUCCESS object
                continue
            survivors = []
            for node_info, status in zip(nodes, results):
                if status is SUCCESS or status is None or status.code is Code.Success:
                    survivors.append(node_info)
                elif status.code is Code.Error:
                    return_status = Status(Code.Error, f"running {name!r} filter plugin: {status.message()}", name)
                    raise FilterError(return_status)
                else:
                    status.plugin = name
                    statuses[node_info.name] = status
                    diagnosis.add_plugin_status(status)
            nodes = survivors
        return nodes

    def run_post_filter_plugins(self, state: CycleState, pod: dict,
                                node_to_status: NodeToStatus) -> tuple[Any, Status]:
        reasons: list[str] = []
        result, rejector = None, ""
        for plugin in self.post_filter_plugins:
            r, status = plugin.post_filter(state, pod, node_to_status)
            status = as_status(status)
            if status.is_success() or status.code is Code.UnschedulableAndUnresolvable:
                return r, status.with_plugin(plugin.name)
            if not status.is_rejected():
                return None, Status(Code.Error, f"running PostFilter plugin {plugin.name!r}: "
                                    f"{status.message()}", plugin.name)
            reasons.extend(status.reasons)
            result, rejector = (r if r is not None else result), rejector or plugin.name
        return result, Status(Code.Unschedulable, reasons, rejector)

    # -- PreScore / Score -----------------------------------------------------------------------
    def run_pre_score_plugins(self, state: CycleState, pod: dict, nodes: list) -> Status:
        for plugin in self.pre_score_plugins:
            status = as_status(plugin.pre_score(state, pod, nodes))
            if status.is_skip():
                state.skip_score_plugins.add(plugin.name)
            elif not status.is_success():
                return Status(Code.Error, f"running PreScore plugin {plugin.name!r}: {status.message()}",
                              plugin.name)
        return SUCCESS

    def run_score_plugins(self, state: CycleState, pod: dict, nodes: list) -> tuple[list, list]:
        """Score, normalise and weigh; returns (total per node, [PluginScores]) in node order."""
        totals = [0] * len(nodes)
        per_plugin: list[PluginScores] = []
        names = None
        for plugin, weight in self.score_plugins:
            if plugin.name in state.skip_score_plugins:
                continue
            score = plugin.score
            raw = [score(state, pod, node_info) for node_info in nodes]
            normalized = raw
            if _has(plugin, "normalize_score"):
                names = names or [node_info.name for node_info in nodes]
                scores = dict(zip(names, raw))
                status = as_status(plugin.normalize_score(state, pod, scores))
                if not status.is_success():
                    raise PluginError(f"running Normalize on Score plugins: plugin {plugin.name!r} "
                                      f"failed with: {status.message()}")
                normalized = [scores[name] for name in names]
            if normalized and (min(normalized) < MIN_NODE_SCORE or max(normalized) > MAX_NODE_SCORE):
                bad = next(s for s in normalized if not MIN_NODE_SCORE <= s <= MAX_NODE_SCORE)
                raise PluginError(f"plugin {plugin.name!r} returns an invalid score {bad}, it should in "
                                  f"the range of [{MIN_NODE_SCORE}, {MAX_NODE_SCORE}] after normalizing")
            totals = list(map(add, totals, [s * weight for s in normalized]))
            per_plugin.append(PluginScores(plugin.name, weight, raw, normalized))
        return totals, per_plugin

    # -- Bind -----------------------------------------------------------------------------------
    def run_bind_plugins(self, state: CycleState, pod: dict, node_name: str) -> Status:
        status = Status(Code.Skip)
        for plugin in self.bind_plugins:
            status = as_status(plugin.bind(state, pod, node_name))
            if status.is_skip():
                continue
            if status.is_rejected():
                return status.with_plugin(plugin.name)
            if not status.is_success():
                return Status(Code.Error, f"running Bind plugin {plugin.name!r}: {status.message()}",
                              plugin.name)
            return status
        return status


class PluginError(Exception):
    """A plugin broke a framework rule (e.g. a score outside 0..100): the cycle ends with an Error."""


class FilterError(PluginError):
    """A Filter plugin returned Code.Error for a node."""

    def __init__(self, status: Status) -> None:
        super().__init__(status.message())
        self.status = status
