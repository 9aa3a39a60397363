"""The framework runtime: one profile's plugins, sorted by extension point, and the code that calls them.

``Framework(profile)`` instantiates the profile's plugins (through the registry, with their
arguments) and files each under every extension point it implements: first the plugins the
profile enables at that point, then the ``multiPoint`` ones, in profile order. The scheduling
cycle then calls ``run_pre_filter_plugins``, ``run_filter_plugins`` (per node),
``run_score_plugins`` and so on.

>>> from k8slearn.scheduler.profile import Profile
>>> fwk = Framework(Profile())
>>> [p.name for p in fwk.filter_plugins]   # doctest: +NORMALIZE_WHITESPACE
['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit',
 'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread',
 'InterPodAffinity']
>>> [(p.name, weight) for p, weight in fwk.score_plugins][:3]
[('TaintToleration', 3), ('NodeAffinity', 2), ('NodeResourcesFit', 1)]
>>> Framework(Profile().add("Nope"))
Traceback (most recent call last):
...
ValueError: PreFilterPlugin "Nope" does not exist

The Filter methods live in :mod:`k8slearn.scheduler.framework_filter` (a node with pods
*nominated* to it by preemption is filtered as if those pods of equal or higher priority were
already there) and ``run_score_plugins`` in :mod:`k8slearn.scheduler.framework_score`; Framework
inherits them.

The statuses, the cycle state and the diagnosis live in :mod:`k8slearn.scheduler.interface` and
are re-exported here.

Simplified: no plugin metrics, no parallelism (Go runs Filter and Score over 16 goroutines); plugins
may add ``filter_nodes``/``score_nodes`` methods that do a whole list of nodes at once (same
verdicts and numbers, less Python overhead).

Upstream: pkg/scheduler/framework/runtime/framework.go
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8slearn.scheduler.framework_filter import FilterRunner
from k8slearn.scheduler.framework_score import ScoreRunner, _has
from k8slearn.scheduler.interface import (
    ERR_NO_NODES_AVAILABLE,
    EXTENSION_POINTS,
    MAX_NODE_SCORE,
    MIN_NODE_SCORE,
    NO_NODE_AVAILABLE_MSG,
    SUCCESS,
    Code,
    CycleState,
    Diagnosis,
    FilterError,
    FitError,
    Handle,
    NodeToStatus,
    NoNodesAvailable,
    PluginError,
    PluginScores,
    PostFilterResult,
    PreFilterResult,
    Status,
    as_status,
    fit_error_message,
)
from k8slearn.scheduler.score_cache import ScoreCache

__all__ = [
    "ERR_NO_NODES_AVAILABLE",
    "MAX_NODE_SCORE",
    "MIN_NODE_SCORE",
    "NO_NODE_AVAILABLE_MSG",
    "SUCCESS",
    "Code",
    "CycleState",
    "Diagnosis",
    "FilterError",
    "FitError",
    "Framework",
    "Handle",
    "NoNodesAvailable",
    "NodeToStatus",
    "PluginError",
    "PluginScores",
    "PostFilterResult",
    "PreFilterResult",
    "Status",
    "as_status",
    "fit_error_message",
]


# The order in which the framework fills its extension points (getExtensionPoints).
_FRAMEWORK_ORDER = (
    "preFilter",
    "filter",
    "postFilter",
    "reserve",
    "preScore",
    "score",
    "preBind",
    "bind",
    "postBind",
    "permit",
    "preEnqueue",
    "queueSort",
)


def _instantiate(name: str, factory: Callable, handle: Any, args: Any) -> Any:
    try:
        return factory(handle) if args is None else factory(handle, args)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"initializing plugin {name!r}: {err}".replace(f"{name!r}", f'"{name}"', 1)
        ) from None


class Framework(FilterRunner, ScoreRunner):
    """One profile's plugins, instantiated and sorted by extension point (NewFramework)."""

    def __init__(self, profile: Any, handle: Handle | None = None) -> None:
        self.profile = profile
        self.profile_name = profile.scheduler_name
        self.handle = (handle or Handle()).for_framework(self)
        self.percentage_of_nodes_to_score = profile.percentage_of_nodes_to_score
        registry = profile.registry()
        points = getattr(profile, "points", {})
        multi_point = profile.plugin_weights()
        config = getattr(profile, "plugin_config", {})
        needed = list(
            dict.fromkeys([n for n, _ in multi_point] + [n for s in points.values() for n, _ in s.enabled])
        )
        self.plugins_by_name: dict[str, Any] = {}
        for name in needed:
            if name in registry:
                self.plugins_by_name[name] = _instantiate(name, registry[name], self.handle, config.get(name))
        lists = self._fill_extension_points(points, multi_point)
        name = self.profile_name
        if len(lists["queueSort"]) != 1:
            raise ValueError(
                f'only one queue sort plugin required for profile with scheduler name "{name}", '
                f"but got {len(lists['queueSort'])}"
            )
        if not lists["bind"]:
            raise ValueError(f'at least one bind plugin is needed for profile with scheduler name "{name}"')
        self.plugins = list(self.plugins_by_name.values())
        self.weights: dict[str, int] = {}
        score_names = {p.name for p in lists["score"]}
        explicit = points["score"].enabled if "score" in points else []
        for plugin_name, weight in [*explicit, *multi_point]:
            plugin = self.plugins_by_name.get(plugin_name)
            if plugin is not None and plugin.name in score_names and plugin.name not in self.weights:
                self.weights[plugin.name] = weight or 1  # a score plugin's weight 0 means 1
        self.queue_sort = lists["queueSort"][0]
        self.pre_enqueue_plugins = lists["preEnqueue"]
        self.pre_filter_plugins = lists["preFilter"]
        self.filter_plugins = lists["filter"]
        self.post_filter_plugins = lists["postFilter"]
        self.pre_score_plugins = lists["preScore"]
        self.score_plugins = [(p, self.weights.get(p.name, 1)) for p in lists["score"]]
        self.reserve_plugins = lists["reserve"]
        self.pre_bind_plugins = lists["preBind"]
        self.bind_plugins = lists["bind"]
        self.pre_filter_extensions = [p for p in self.pre_filter_plugins if _has(p, "add_pod")]
        self.score_cache = ScoreCache()

    def _fill_extension_points(self, points: dict, multi_point: list) -> dict[str, list]:
        """Explicitly enabled plugins per point, then the multiPoint ones (expandMultiPointPlugins)."""
        lists: dict[str, list] = {}
        for point in _FRAMEWORK_ORDER:
            method, kind = EXTENSION_POINTS[point]
            plugin_set = points.get(point)
            explicit = [n for n, _ in plugin_set.enabled] if plugin_set else []
            for i, name in enumerate(explicit):
                if name not in self.plugins_by_name:
                    raise ValueError(f'{kind} "{name}" does not exist')
                if not _has(self.plugins_by_name[name], method):
                    raise ValueError(f'plugin "{name}" does not extend {kind} plugin')
                if name in explicit[:i]:
                    raise ValueError(f'plugin "{name}" already registered as "{kind}"')
            names = explicit
            disabled = set(plugin_set.disabled) if plugin_set else set()
            if multi_point and "*" not in disabled:
                expanded: list[str] = []
                overrides: list[str] = []
                for name, _ in multi_point:
                    plugin = self.plugins_by_name.get(name)
                    if plugin is None:
                        raise ValueError(f'{kind} "{name}" does not exist')
                    if not _has(plugin, method) or name in disabled:
                        continue
                    if name in explicit:
                        overrides.append(name)
                    elif name in expanded:
                        raise ValueError(f'plugin "{name}" already registered as "{kind}"')
                    else:
                        expanded.append(name)
                names = (
                    [n for n in explicit if n in overrides]
                    + expanded
                    + [n for n in explicit if n not in overrides]
                )
            lists[point] = [self.plugins_by_name[n] for n in names]
        return lists

    def less(self, a: Any, b: Any) -> bool:
        return self.queue_sort.less(a, b)

    def has_filter_plugins(self) -> bool:
        return bool(self.filter_plugins)

    def has_score_plugins(self) -> bool:
        return bool(self.score_plugins)

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

    def run_pre_filter_plugins(
        self, state: CycleState, pod: dict
    ) -> tuple[PreFilterResult | None, Status, list[str]]:
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
                return (
                    None,
                    Status(
                        Code.Error,
                        f"running PreFilter plugin \"{plugin.name}\": {status.message()}",
                        plugin.name,
                    ),
                    [],
                )
            if r is not None and not r.all_nodes():
                narrowing.append(plugin.name)
                result = r if result is None else result.merge(r)
                if not result.node_names:
                    names = sorted(narrowing)
                    msg = (
                        f"node(s) didn't satisfy plugin {names[0]}"
                        if len(names) == 1
                        else f"node(s) didn't satisfy plugin(s) [{' '.join(names)}] simultaneously"
                    )
                    return result, Status(Code.UnschedulableAndUnresolvable, msg), names
        state.filters = [
            (p.name, p.filter, getattr(p, "filter_nodes", None))
            for p in self.filter_plugins
            if p.name not in state.skip_filter_plugins
        ]
        return result, returned, sorted(narrowing)

    def run_pre_filter_extension_add_pod(
        self, state: CycleState, pod: dict, pod_info_to_add: Any, node_info: Any
    ) -> Status:
        """Tell the PreFilter plugins that keep per-cycle counts that a pod joined ``node_info``."""
        return self._run_pre_filter_extension("add_pod", "AddPod", state, pod, pod_info_to_add, node_info)

    def run_pre_filter_extension_remove_pod(
        self, state: CycleState, pod: dict, pod_info_to_remove: Any, node_info: Any
    ) -> Status:
        """... and that a pod left it (preemption tries removing victims this way)."""
        return self._run_pre_filter_extension(
            "remove_pod", "RemovePod", state, pod, pod_info_to_remove, node_info
        )

    def _run_pre_filter_extension(
        self, method: str, upstream_name: str, state: CycleState, pod: dict, pod_info: Any, node_info: Any
    ) -> Status:
        for plugin in self.pre_filter_extensions:
            if plugin.name in state.skip_filter_plugins:
                continue
            status = as_status(getattr(plugin, method)(state, pod, pod_info, node_info))
            if not status.is_success():
                return Status(
                    Code.Error,
                    f"running {upstream_name} on PreFilter plugin \"{plugin.name}\": {status.message()}",
                    plugin.name,
                )
        return SUCCESS

    # -- PostFilter ------------------------------------------------------------------------------
    def run_post_filter_plugins(
        self, state: CycleState, pod: dict, node_to_status: NodeToStatus
    ) -> tuple[Any, Status]:
        reasons: list[str] = []
        result, rejector = None, ""
        for plugin in self.post_filter_plugins:
            r, status = plugin.post_filter(state, pod, node_to_status)
            status = as_status(status)
            if status.is_success() or status.code is Code.UnschedulableAndUnresolvable:
                return r, status.with_plugin(plugin.name)
            if not status.is_rejected():
                return None, Status(
                    Code.Error, f"running PostFilter plugin \"{plugin.name}\": {status.message()}", plugin.name
                )
            reasons.extend(status.reasons)
            result, rejector = (r if r is not None else result), rejector or plugin.name
        return result, Status(Code.Unschedulable, reasons, rejector)

    # -- PreScore --------------------------------------------------------------------------------
    def run_pre_score_plugins(self, state: CycleState, pod: dict, nodes: list) -> Status:
        for plugin in self.pre_score_plugins:
            status = as_status(plugin.pre_score(state, pod, nodes))
            if status.is_skip():
                state.skip_score_plugins.add(plugin.name)
            elif not status.is_success():
                return Status(
                    Code.Error, f"running PreScore plugin \"{plugin.name}\": {status.message()}", plugin.name
                )
        return SUCCESS

    # -- Reserve, PreBind ------------------------------------------------------------------------
    def run_reserve_plugins_reserve(self, state: CycleState, pod: dict, node_name: str) -> Status:
        """Reserve in order; the first that fails ends it (the caller then runs Unreserve)."""
        return _first_failure(self.reserve_plugins, "Reserve", lambda p: p.reserve(state, pod, node_name))

    def run_reserve_plugins_unreserve(self, state: CycleState, pod: dict, node_name: str) -> None:
        """Unreserve in reverse order: undo what Reserve remembered."""
        for plugin in reversed(self.reserve_plugins):
            unreserve = getattr(plugin, "unreserve", None)
            if unreserve is not None:
                unreserve(state, pod, node_name)

    def run_pre_bind_plugins(self, state: CycleState, pod: dict, node_name: str) -> Status:
        return _first_failure(self.pre_bind_plugins, "PreBind", lambda p: p.pre_bind(state, pod, node_name))

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
                return Status(
                    Code.Error, f"running Bind plugin \"{plugin.name}\": {status.message()}", plugin.name
                )
            return status
        return status


def _first_failure(plugins: list, extension: str, call: Any) -> Status:
    """Run ``call(plugin)`` for each plugin in order; the first that does not succeed ends it: a
    rejection as it is (with the plugin's name), anything else as ``running <extension> plugin``'s
    error (runReservePluginsReserve, RunPreBindPlugins)."""
    for plugin in plugins:
        status = as_status(call(plugin))
        if not status.is_success():
            if status.is_rejected():
                return status.with_plugin(plugin.name)
            return Status(Code.Error, f"running {extension} plugin \"{plugin.name}\": {status.message()}", plugin.name)
    return SUCCESS
