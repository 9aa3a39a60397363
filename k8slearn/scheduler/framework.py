"""The framework runtime: one profile's plugins, sorted by extension point, and the code that calls them.

``Framework(profile)`` instantiates the profile's plugins (through the registry) and files each
under every extension point it implements, in profile order. The scheduling cycle then calls
``run_pre_filter_plugins``, ``run_filter_plugins`` (per node), ``run_score_plugins`` and so on.

>>> from k8slearn.scheduler.profile import Profile
>>> fwk = Framework(Profile())
>>> [p.name for p in fwk.filter_plugins]
['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeResourcesFit']
>>> [(p.name, weight) for p, weight in fwk.score_plugins]
[('TaintToleration', 3), ('NodeResourcesFit', 1)]

The statuses, the cycle state and the diagnosis live in :mod:`k8slearn.scheduler.interface` and
are re-exported here.

Simplified: no plugin metrics, no parallelism (Go runs Filter and Score over 16 goroutines).

Upstream: pkg/scheduler/framework/runtime/framework.go
"""

from __future__ import annotations

from operator import add
from typing import Any, Callable

from k8slearn.scheduler.interface import (ERR_NO_NODES_AVAILABLE, MAX_NODE_SCORE, MIN_NODE_SCORE,
                                          NO_NODE_AVAILABLE_MSG, SUCCESS, Code, CycleState, Diagnosis,
                                          FilterError, FitError, Handle, NodeToStatus, NoNodesAvailable,
                                          PluginError, PluginScores, PreFilterResult, Status, as_status,
                                          fit_error_message)

__all__ = ["ERR_NO_NODES_AVAILABLE", "MAX_NODE_SCORE", "MIN_NODE_SCORE", "NO_NODE_AVAILABLE_MSG", "SUCCESS",
           "Code", "CycleState", "Diagnosis", "FilterError", "FitError", "Framework", "Handle",
           "NodeToStatus", "NoNodesAvailable", "PluginError", "PluginScores", "PreFilterResult", "Status",
           "as_status", "fit_error_message"]


def _has(plugin: Any, method: str) -> bool:
    return callable(getattr(plugin, method, None))


def _checked(plugin: str, status: Any) -> Status:
    """A friendly error for a plugin that returns something else than a Status (or None)."""
    if not isinstance(status, Status):
        raise PluginError(f"plugin {plugin!r} returned {status!r}; a Filter must return a Status "
                          "(SUCCESS, or Status(Code.Unschedulable, \"reason\"))")
    return status


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

    def run_pre_filter_plugins(self, state: CycleState,
                               pod: dict) -> tuple[PreFilterResult | None, Status, list[str]]:
        """Run PreFilter in order; remember which plugins skip Filter; stop on a hard rejection.

        Returns the merged PreFilterResult (None: every node), the status, and the sorted names of
        the plugins that narrowed the nodes."""
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
                    return None, status, []
                if status.code is Code.Unschedulable:
                    returned = status  # keep going: PostFilter (preemption) needs every PreFilter state
                    continue
                return None, Status(Code.Error, f"running PreFilter plugin {plugin.name!r}: "
                                    f"{status.message()}", plugin.name), []
            if r is not None and not r.all_nodes():
                narrowing.append(plugin.name)
                result = r if result is None else result.merge(r)
                if not result.node_names:
                    names = sorted(narrowing)
                    msg = (f"node(s) didn't satisfy plugin {names[0]}" if len(names) == 1 else
                           f"node(s) didn't satisfy plugin(s) [{' '.join(names)}] simultaneously")
                    return result, Status(Code.UnschedulableAndUnresolvable, msg), names
        state.filters = [(p.name, p.filter) for p in self.filter_plugins
                         if p.name not in state.skip_filter_plugins]
        return result, returned, sorted(narrowing)

    # -- Filter / PostFilter --------------------------------------------------------------------
    def run_filter_plugins(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        """The first plugin that rejects the node decides; later plugins are not asked."""
        for name, filter_fn in state.filters:
            status = filter_fn(state, pod, node_info)
            if status is SUCCESS or status is None or _checked(name, status).code is Code.Success:
                continue
            if status.code is Code.Error:
                return Status(Code.Error, f"running {name!r} filter plugin: {status.message()}", name)
            status.plugin = name
            return status
        return SUCCESS

    def run_filter_plugins_on_nodes(self, state: CycleState, pod: dict, nodes: list,
                                    diagnosis: Diagnosis) -> list:
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
                if status is SUCCESS or status is None or _checked(name, status).code is Code.Success:
                    survivors.append(node_info)
                elif status.code is Code.Error:
                    message = f"running {name!r} filter plugin: {status.message()}"
                    raise FilterError(Status(Code.Error, message, name))
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
