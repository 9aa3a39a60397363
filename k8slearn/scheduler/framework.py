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
 'PodTopologySpread', 'InterPodAffinity']
>>> [(p.name, weight) for p, weight in fwk.score_plugins][:3]
[('TaintToleration', 3), ('NodeAffinity', 2), ('NodeResourcesFit', 1)]
>>> Framework(Profile().add("Nope"))
Traceback (most recent call last):
...
ValueError: PreFilterPlugin "Nope" does not exist

A node with pods *nominated* to it (by preemption) is filtered as if those pods of equal or
higher priority were already there (``run_filter_plugins_with_nominated_pods``).

The statuses, the cycle state and the diagnosis live in :mod:`k8slearn.scheduler.interface` and
are re-exported here.

Simplified: no plugin metrics, no parallelism (Go runs Filter and Score over 16 goroutines); plugins
may add ``filter_nodes``/``score_nodes`` methods that do a whole list of nodes at once (same
verdicts and numbers, less Python overhead).

Upstream: pkg/scheduler/framework/runtime/framework.go
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from itertools import repeat
from typing import Any

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
from k8slearn.scheduler.score_cache import ScoreCache, plugin_scores

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


def _has(plugin: Any, method: str) -> bool:
    return callable(getattr(plugin, method, None))


def _checked(plugin: str, status: Any) -> Status:
    """A friendly error for a plugin that returns something else than a Status (or None)."""
    if not isinstance(status, Status):
        raise PluginError(
            f"plugin {plugin!r} returned {status!r}; a Filter must return a Status "
            '(SUCCESS, or Status(Code.Unschedulable, "reason"))'
        )
    return status


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


class Framework:
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
                        f"running PreFilter plugin {plugin.name!r}: {status.message()}",
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
                    f"running {upstream_name} on PreFilter plugin {plugin.name!r}: {status.message()}",
                    plugin.name,
                )
        return SUCCESS

    # -- Filter / PostFilter --------------------------------------------------------------------
    def run_filter_plugins(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        """The first plugin that rejects the node decides; later plugins are not asked."""
        for name, filter_fn, _ in state.filters:
            status = filter_fn(state, pod, node_info)
            if status is SUCCESS or status is None or _checked(name, status).code is Code.Success:
                continue
            if status.code is Code.Error:
                return Status(Code.Error, f"running {name!r} filter plugin: {status.message()}", name)
            status.plugin = name
            return status
        return SUCCESS

    def run_filter_plugins_with_nominated_pods(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        """Filter as if the pods nominated to this node (priority >= ours) were already there; if
        that passes, filter again without them (inter-pod affinity may need them absent)."""
        status = SUCCESS
        for attempt in range(2):
            state_to_use, info_to_use = state, node_info
            if attempt == 0:
                added, state_to_use, info_to_use = self._add_nominated_pods(state, pod, node_info)
            elif not added or not status.is_success():
                break
            status = self.run_filter_plugins(state_to_use, pod, info_to_use)
            if not status.is_success() and not status.is_rejected():
                return status
        return status

    def _add_nominated_pods(self, state: CycleState, pod: dict, node_info: Any) -> tuple[bool, Any, Any]:
        """addGENominatedPods: a copy of the node and state with the higher-or-equal nominated pods added."""
        nominated = self.handle.nominated_pods_for_node(node_info.name)
        if not nominated:
            return False, state, node_info
        priority = (pod.get("spec") or {}).get("priority") or 0
        meta = pod.get("metadata") or {}
        key = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
        info_out, state_out, added = node_info.snapshot(), state.clone(), False
        for pod_info in nominated:
            if pod_info.priority >= priority and pod_info.key != key:
                info_out.add_pod_info(pod_info)
                status = self.run_pre_filter_extension_add_pod(state_out, pod, pod_info, info_out)
                if not status.is_success():
                    raise PluginError(status.message())
                added = True
        return added, state_out, info_out

    def run_filter_plugins_on_nodes(
        self, state: CycleState, pod: dict, nodes: list, diagnosis: Diagnosis
    ) -> list:
        """Filter many nodes: plugin by plugin, each over the nodes the previous ones let through.

        Every node gets the same verdict as :meth:`run_filter_plugins_with_nominated_pods` would
        give it (the first plugin that rejects it decides); running one plugin over a whole list is
        just faster, and plugins with a ``filter_nodes`` method do the whole list in one call.
        Nodes with nominated pods are filtered one by one. Returns the feasible nodes; rejected ones
        go into ``diagnosis``.
        """
        nominator = self.handle.nominator
        if nominator is not None and nominator.has_nominated_pods():
            with_nominated = {n.name for n in nodes if nominator.nominated_pods_for_node(n.name)}
            if with_nominated:
                return self._filter_with_some_nominated(state, pod, nodes, diagnosis, with_nominated)
        return self._filter_batch(state, pod, nodes, diagnosis)

    def _filter_batch(self, state: CycleState, pod: dict, nodes: list, diagnosis: Diagnosis) -> list:
        statuses = diagnosis.node_to_status.statuses
        for name, filter_fn, filter_nodes in state.filters:
            if filter_nodes is not None:
                results = filter_nodes(state, pod, nodes)
                if results is None:  # every node passed
                    continue
            else:
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

    def _filter_with_some_nominated(
        self, state: CycleState, pod: dict, nodes: list, diagnosis: Diagnosis, with_nominated: set
    ) -> list:
        others = [n for n in nodes if n.name not in with_nominated]
        passed = {id(n) for n in self._filter_batch(state, pod, others, diagnosis)}
        for node_info in nodes:
            if node_info.name in with_nominated:
                status = self.run_filter_plugins_with_nominated_pods(state, pod, node_info)
                if status.is_success():
                    passed.add(id(node_info))
                elif status.code is Code.Error:
                    raise FilterError(status)
                else:
                    diagnosis.node_to_status.statuses[node_info.name] = status
                    diagnosis.add_plugin_status(status)
        return [n for n in nodes if id(n) in passed]

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
                    Code.Error, f"running PostFilter plugin {plugin.name!r}: {status.message()}", plugin.name
                )
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
                return Status(
                    Code.Error, f"running PreScore plugin {plugin.name!r}: {status.message()}", plugin.name
                )
        return SUCCESS

    def run_score_plugins(self, state: CycleState, pod: dict, nodes: list) -> tuple[list, list]:
        """Score, normalise and weigh; returns (total per node, [PluginScores]) in node order.

        Raw scores come from each plugin's ``score_nodes`` (the whole list in one call) or ``score``
        (node by node); plugins with a ``score_key`` may have them remembered per node (see
        :mod:`k8slearn.scheduler.score_cache`). A plugin that gives every node the same score only
        shifts the totals, so it is added once instead of node by node."""
        active = [(p, w) for p, w in self.score_plugins if p.name not in state.skip_score_plugins]
        memo, keys = [], []
        for p, _ in active:
            score_key = getattr(p, "score_key", None)
            key = score_key(state, pod) if score_key is not None else None
            if key is not None:
                memo.append(p)
                keys.append(key)
        snapshot = getattr(self.handle, "snapshot", None)
        raws: dict = {}
        if memo:
            columns = self.score_cache.raw_scores(memo, state, pod, nodes, snapshot, keys)
            raws = dict(zip((p.name for p in memo), columns))
        per_plugin: list[PluginScores] = []
        varying: list[tuple] = []  # (normalized, weight, its distinct values) of each varying plugin
        offset = 0
        names = None
        for plugin, weight in active:
            raw = raws[plugin.name] if plugin.name in raws else plugin_scores(plugin, state, pod, nodes)
            normalized = raw
            normalize_scores = getattr(plugin, "normalize_scores", None)
            if normalize_scores is not None:  # the list form of normalize_score (same numbers)
                normalized = normalize_scores(state, pod, raw)
            elif _has(plugin, "normalize_score"):
                names = names or [node_info.name for node_info in nodes]
                scores = dict(zip(names, raw))
                status = as_status(plugin.normalize_score(state, pod, scores))
                if not status.is_success():
                    raise PluginError(
                        f"running Normalize on Score plugins: plugin {plugin.name!r} "
                        f"failed with: {status.message()}"
                    )
                normalized = [scores[name] for name in names]
            # One quick pass finds a list of equal scores (common, and usually the very same int
            # object, so counting compares identities). A varying list of integers has few
            # distinct values: their least and greatest are its bounds (quicker than min and max
            # over the whole list; other numbers, a float NaN say, take min and max as they are).
            distinct = None
            if normalized and normalized.count(normalized[0]) == len(normalized):
                lowest = highest = normalized[0]
            else:
                distinct = set(normalized)
                if set(map(type, distinct)) == _INT_ONLY:
                    lowest, highest = min(distinct, default=0), max(distinct, default=0)
                else:
                    lowest, highest = min(normalized, default=0), max(normalized, default=0)
                    distinct = ()  # (not all integers: see _totals)
            if lowest < MIN_NODE_SCORE or highest > MAX_NODE_SCORE:
                bad = next(s for s in normalized if not MIN_NODE_SCORE <= s <= MAX_NODE_SCORE)
                raise PluginError(
                    f"plugin {plugin.name!r} returns an invalid score {bad}, it should in "
                    f"the range of [{MIN_NODE_SCORE}, {MAX_NODE_SCORE}] after normalizing"
                )
            if distinct is None:
                offset += normalized[0] * weight
            else:
                varying.append((normalized, weight, distinct))
            per_plugin.append(PluginScores(plugin.name, weight, raw, normalized))
        return _totals(varying, offset, len(nodes)), per_plugin

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
                    Code.Error, f"running Bind plugin {plugin.name!r}: {status.message()}", plugin.name
                )
            return status
        return status


_INT_ONLY = {int}


def _totals(varying: list, offset: Any, count: int) -> list:
    """Per node: the sum of each varying plugin's weighted scores, plus ``offset`` (what the plugins
    that gave every node the same score add); a new list.

    Upstream multiplies and adds node by node. Integers add up to the same in any order, so when
    every number is an integer, a list that must be weighed goes through a table of its few
    distinct values instead (the offset folded into one of them), saving whole passes over the
    nodes; otherwise the sums are taken in upstream's order."""
    if not varying:
        return [offset] * count
    if type(offset) is int and all(distinct and type(weight) is int for _, weight, distinct in varying):
        fold = next((i for i, (_, weight, _) in enumerate(varying) if weight != 1), 0)
        lists = []
        for i, (normalized, weight, distinct) in enumerate(varying):
            extra = offset if i == fold else 0
            if weight == 1 and not extra:
                lists.append(normalized)
            else:
                table = {s: s * weight + extra for s in distinct}
                lists.append(map(table.__getitem__, normalized))
    else:
        lists = [
            normalized if weight == 1 else map(operator.mul, normalized, repeat(weight))
            for normalized, weight, _ in varying
        ]
        if offset:
            lists.append(repeat(offset, count))
    # Element-wise sums, one plugin after the other, node by node: the maps are chained lazily,
    # so only the final list is built (the same additions in the same order).
    totals = lists[0]
    for scores in lists[1:]:
        totals = map(operator.add, totals, scores)
    return list(totals)
