"""Scheduling profiles: which plugins run, at which extension points, and how much each score counts.

The default profile enables every default plugin at every extension point it implements
(``multiPoint``), in upstream order, with upstream weights. A profile is names with weights, so
adding your own plugin is one line:

>>> class PreferNode3:
...     name = "PreferNode3"
...     def score(self, state, pod, node_info):
...         return 100 if node_info.name == "node-3" else 0
>>> profile = Profile().add(PreferNode3, weight=2)
>>> profile.plugin_weights()[-2:]
[('DefaultBinder', 0), ('PreferNode3', 2)]
>>> Profile().with_weights({"TaintToleration": 10}).weight_of("TaintToleration")
10

Besides ``multiPoint`` a profile can enable or disable plugins at one extension point
(``points["score"]``), and give plugins arguments (``plugin_config["NodeResourcesFit"]``), exactly
what a KubeSchedulerConfiguration file says (see :mod:`k8slearn.scheduler.config`).

The volume plugins (VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone) are in the list
as upstream; the simulated cluster serves no PersistentVolumeClaims, so they skip pods without claims
and reject pods with one (``persistentvolumeclaim "data" not found``).

Upstream: pkg/scheduler/apis/config/v1/default_plugins.go, pkg/scheduler/apis/config/types.go
(KubeSchedulerProfile, Plugins, PluginSet)
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from k8slearn.scheduler.interface import EXTENSION_POINTS
from k8slearn.scheduler.plugins import REGISTRY, Factory

DEFAULT_SCHEDULER_NAME = "default-scheduler"

# (name, score weight) in upstream order; a weight only matters for plugins that score.
DEFAULT_PLUGINS: tuple[tuple[str, int], ...] = (
    ("SchedulingGates", 0),
    ("PrioritySort", 0),
    ("NodeUnschedulable", 0),
    ("NodeName", 0),
    ("TaintToleration", 3),
    ("NodeAffinity", 2),
    ("NodePorts", 0),
    ("NodeResourcesFit", 1),
    ("VolumeRestrictions", 0),
    ("NodeVolumeLimits", 0),
    ("VolumeBinding", 0),
    ("VolumeZone", 0),
    ("PodTopologySpread", 2),
    ("InterPodAffinity", 2),
    ("DefaultPreemption", 0),
    ("NodeResourcesBalancedAllocation", 1),
    ("ImageLocality", 1),
    ("DefaultBinder", 0),
)


class PluginSet:
    """One extension point's explicit ``enabled`` [(name, weight)] and ``disabled`` [name] lists."""

    __slots__ = ("disabled", "enabled")

    def __init__(self, enabled: Iterable[tuple[str, int]] = (), disabled: Iterable[str] = ()) -> None:
        self.enabled = list(enabled)
        self.disabled = list(disabled)

    def __repr__(self) -> str:
        return f"PluginSet(enabled={self.enabled}, disabled={self.disabled})"


def _factory(plugin: Any) -> Factory:
    """A factory for a plugin given as a class (called with the handle, and ``args`` if it takes
    them) or as an object (used as it is)."""
    if inspect.isclass(plugin):
        params = inspect.signature(plugin).parameters
        takes_handle, takes_args = len(params) >= 1, "args" in params

        def make(handle: Any, args: Any = None) -> Any:
            if takes_args and args is not None:
                return plugin(handle, args=args)
            return plugin(handle) if takes_handle else plugin()

        return make
    return lambda handle, args=None: plugin


class Profile:
    """``Profile(scheduler_name, plugins=[(name, weight), ...], percentage_of_nodes_to_score=None)``.

    ``plugins`` (the ``multiPoint`` list) may hold registered names, ``(name, weight)`` pairs, or
    plugin classes or objects (optionally paired with a weight). ``percentage_of_nodes_to_score``
    None means "use the scheduler's setting"; 0 means adaptive.
    """

    def __init__(
        self,
        scheduler_name: str = DEFAULT_SCHEDULER_NAME,
        plugins: Iterable[Any] | None = None,
        percentage_of_nodes_to_score: int | None = None,
    ) -> None:
        self.scheduler_name = scheduler_name
        self.percentage_of_nodes_to_score = percentage_of_nodes_to_score
        self.plugins: list[tuple[str, int]] = []
        self.points: dict[str, PluginSet] = {point: PluginSet() for point in EXTENSION_POINTS}
        self.plugin_config: dict[str, dict] = {}
        self.extra_registry: dict[str, Factory] = {}
        for entry in DEFAULT_PLUGINS if plugins is None else plugins:
            self._append(entry)

    def _append(self, entry: Any) -> None:
        plugin, weight = entry if isinstance(entry, (tuple, list)) else (entry, 0)
        plugin = self._register(plugin)
        if any(name == plugin for name, _ in self.plugins):
            raise ValueError(f"plugin {plugin!r} is listed twice in profile {self.scheduler_name!r}")
        self.plugins.append((plugin, _weight(plugin, weight)))

    def _register(self, plugin: Any) -> str:
        """A registered name as it is; a class or object is remembered in this profile's registry."""
        if isinstance(plugin, str):
            return plugin
        name = getattr(plugin, "name", None)
        if not isinstance(name, str) or not name:
            raise ValueError(f'plugin {plugin!r} needs a name: set the class attribute name = "..."')
        self.extra_registry[name] = _factory(plugin)
        return name

    def copy(self) -> Profile:
        clone = Profile(self.scheduler_name, [], self.percentage_of_nodes_to_score)
        clone.plugins = list(self.plugins)
        clone.points = {p: PluginSet(s.enabled, s.disabled) for p, s in self.points.items()}
        clone.plugin_config = {name: dict(args) for name, args in self.plugin_config.items()}
        clone.extra_registry = dict(self.extra_registry)
        return clone

    _copy = copy

    def add(self, plugin: Any, weight: int = 0) -> Profile:
        """A copy of this profile with ``plugin`` (name, class or object) appended to multiPoint."""
        clone = self.copy()
        clone._append((plugin, weight))
        return clone

    def without(self, *names: str) -> Profile:
        """A copy of this profile without the named plugins (at every extension point)."""
        clone = self.copy()
        clone.plugins = [(n, w) for n, w in clone.plugins if n not in names]
        for plugin_set in clone.points.values():
            plugin_set.enabled = [(n, w) for n, w in plugin_set.enabled if n not in names]
        return clone

    def with_weights(self, weights: dict[str, int]) -> Profile:
        """A copy with these score weights (where the plugin is listed: multiPoint and/or score)."""
        clone = self.copy()
        known = list(dict.fromkeys([n for n, _ in self.plugins] + [n for n, _ in self.points["score"].enabled]))
        for name, weight in weights.items():
            if name not in known:
                raise ValueError(f"{name} is not a plugin of profile {self.scheduler_name}; "
                                 f"its plugins are {', '.join(known)}")
            weight = _weight(name, weight)
            clone.plugins = [(n, weight if n == name else w) for n, w in clone.plugins]
            score = clone.points["score"]
            score.enabled = [(n, weight if n == name else w) for n, w in score.enabled]
        return clone

    def with_args(self, name: str, args: dict) -> Profile:
        """A copy in which plugin ``name`` gets these arguments (a pluginConfig entry)."""
        clone = self.copy()
        clone.plugin_config[name] = dict(args)
        return clone

    def weight_of(self, name: str) -> int:
        """The weight the framework will use for a score plugin (explicit score weight first; 0 -> 1)."""
        for n, w in [*self.points["score"].enabled, *self.plugins]:
            if n == name:
                return w or 1
        return 0

    def registry(self) -> dict[str, Factory]:
        return {**REGISTRY, **self.extra_registry}

    def plugin_weights(self) -> list[tuple[str, int]]:
        """The multiPoint list: (name, weight) in order."""
        return list(self.plugins)

    def __repr__(self) -> str:
        names = ", ".join(f"{n}" + (f"×{w}" if w else "") for n, w in self.plugins)
        return f"Profile({self.scheduler_name!r}: {names})"


def _weight(name: str, weight: Any) -> int:
    if weight is not None and (not isinstance(weight, int) or isinstance(weight, bool)):
        raise TypeError(f"plugin {name!r}: weight must be a whole number, as in KubeSchedulerConfiguration "
                        f"(int32), not {weight!r}")
    weight = weight or 0
    if weight < 0:
        raise ValueError(
            f"plugin {name!r}: weight: Invalid value: {weight}: must be greater than or equal to 0"
        )
    return weight
