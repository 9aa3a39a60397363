"""The in-tree plugins and the registry: plugin name -> factory (``factory(handle) -> plugin``).

A new plugin is one new file here plus one line in :data:`REGISTRY`.

>>> sorted(REGISTRY)[:3]
['DefaultBinder', 'NodeName', 'NodeResourcesFit']

Upstream: pkg/scheduler/framework/plugins/registry.go (NewInTreeRegistry)
"""

from __future__ import annotations

from typing import Any, Callable

from k8slearn.scheduler.plugins.default_binder import DefaultBinder
from k8slearn.scheduler.plugins.node_name import NodeName
from k8slearn.scheduler.plugins.node_resources_fit import NodeResourcesFit
from k8slearn.scheduler.plugins.node_unschedulable import NodeUnschedulable
from k8slearn.scheduler.plugins.priority_sort import PrioritySort
from k8slearn.scheduler.plugins.taint_toleration import TaintToleration

Factory = Callable[[Any], Any]

REGISTRY: dict[str, Factory] = {
    "PrioritySort": PrioritySort,
    "NodeUnschedulable": NodeUnschedulable,
    "NodeName": NodeName,
    "TaintToleration": TaintToleration,
    "NodeResourcesFit": NodeResourcesFit,
    "DefaultBinder": DefaultBinder,
}

__all__ = ["REGISTRY", "Factory", "DefaultBinder", "NodeName", "NodeResourcesFit", "NodeUnschedulable",
           "PrioritySort", "TaintToleration"]
