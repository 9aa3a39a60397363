"""Scheduling profiles: which plugins run, in which order, and how much each score counts.

The default profile is the list below, in upstream order (the plugins this course implements).
A profile is just names with weights, so adding your own plugin is one line:

>>> class PreferNode3:
...     name = "PreferNode3"
...     def score(self, state, pod, node_info):
...         return 100 if node_info.name == "node-3" else 0
>>> profile = Profile().add(PreferNode3, weight=2)
>>> profile.plugin_weights()[-2:]
[('DefaultBinder', 0), ('PreferNode3', 2)]

Simplified: no KubeSchedulerConfiguration file yet (a later chapter loads one); plugins are
enabled for every extension point they implement (MultiPoint), as the default profile does.

Upstream: pkg/scheduler/apis/config/v1/default_plugins.go, pkg/scheduler/apis/config/types.go
(KubeSchedulerProfile)
"""

from __future__ import annotations

import inspect
from typing import Any, Iterable

from k8slearn.scheduler.plugins import REGISTRY, Factory

DEFAULT_SCHEDULER_NAME = "default-scheduler"

# (name, score weight) in upstream order; a weight only matters for plugins that score.
DEFAULT_PLUGINS: tuple[tuple[str, int], ...] = (
    ("PrioritySort", 0),
    ("NodeUnschedulable", 0),
    ("NodeName", 0),
    ("TaintToleration", 3),
    ("NodeResourcesFit", 1),
    ("DefaultBinder", 0),
)


def _factory(plugin: Any) -> Factory:
    """A factory for a plugin given as a class (called with the handle if it takes one) or an object."""
    if inspect.isclass(plugin):
        takes_handle = len(inspect.signature(plugin).parameters) >= 1
        return (lambda handle: plugin(handle)) if takes_handle else (lambda handle: plugin())
    return lambda handle: plugin


class Profile:
    """``Profile(scheduler_name, plugins=[(name, weight), ...], percentage_of_nodes_to_score=0)``.

    ``plugins`` entries may be a registered name, a ``(name, weight)`` pair, or a plugin class or
    object (optionally paired with a weight); ``percentage_of_nodes_to_score=0`` means adaptive.
    """

    def __init__(self, scheduler_name: str = DEFAULT_SCHEDULER_NAME, plugins: Iterable[Any] | None = None,
                 percentage_of_nodes_to_score: int = 0) -> None:
        self.scheduler_name = scheduler_name
        self.percentage_of_nodes_to_score = percentage_of_nodes_to_score
        self.plugins: list[tuple[str, int]] = []
        self.extra_registry: dict[str, Factory] = {}
        for entry in DEFAULT_PLUGINS if plugins is None else plugins:
            self._append(entry)

    def _append(self, entry: Any) -> None:
        plugin, weight = entry if isinstance(entry, (tuple, list)) else (entry, 0)
        if not isinstance(plugin, str):
            name = getattr(plugin, "name", None)
            if not isinstance(name, str) or not name:
                raise ValueError(f"plugin {plugin!r} needs a name: set the class attribute name = \"...\"")
            self.extra_registry[name] = _factory(plugin)
            plugin = name
        if any(name == plugin for name, _ in self.plugins):
            raise ValueError(f"plugin {plugin!r} is listed twice in profile {self.scheduler_name!r}")
        self.plugins.append((plugin, int(weight)))

    def _copy(self) -> "Profile":
        clone = Profile(self.scheduler_name, [], self.percentage_of_nodes_to_score)
        clone.plugins = list(self.plugins)
        clone.extra_registry = dict(self.extra_registry)
        return clone

    def add(self, plugin: Any, weight: int = 0) -> "Profile":
        """A copy of this profile with ``plugin`` (name, class or object) appended."""
        clone = self._copy()
        clone._append((plugin, weight))
        return clone

    def without(self, *names: str) -> "Profile":
        """A copy of this profile without the named plugins."""
        clone = self._copy()
        clone.plugins = [(n, w) for n, w in clone.plugins if n not in names]
        return clone

    def registry(self) -> dict[str, Factory]:
        return {**REGISTRY, **self.extra_registry}

    def plugin_weights(self) -> list[tuple[str, int]]:
        return list(self.plugins)

    def __repr__(self) -> str:
        names = ", ".join(f"{n}" + (f"×{w}" if w else "") for n, w in self.plugins)
        return f"Profile({self.scheduler_name!r}: {names})"
