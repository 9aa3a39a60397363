"""Pictures of the cluster: snapshot → graph → layout → drawing → widget panel.

The model never imports the view, and importing ``k8slearn.viz`` stays light: networkx,
matplotlib and ipywidgets load only when a graph, a picture or a panel is made. (``snapshot`` and
``layout`` here are the functions; import their modules with ``from k8slearn.viz.snapshot import ...``.)

>>> import k8slearn.viz as viz
>>> snap = viz.Snapshot.from_objects([{"kind": "Node", "metadata": {"name": "node-1"}}])
>>> sorted(viz.layout(viz.build_graph(snap)))[-1]
'node/node-1'

- ``snapshot(cluster)``: what the picture needs, read through ``cluster.api`` (snapshot.py);
- ``build_graph(snap, namespace=None, selector=None, collapse_owners=False)``: networkx graph (graph.py);
- ``layout(graph, previous=None)``: stable positions, pods keep their slots (layout.py);
- ``draw_cluster(...)``, ``render_png(...)``, ``summary(...)``, ``ClusterFigure`` (draw.py);
- ``ClusterView(cluster)``: the ipywidgets panel (widgets.py); colours live in style.py;
- ``FlowPlayer(cluster, "web")``: one pod's journey as a sequence diagram, hop by hop (flow.py, flow_view.py);
- ``ControllerTimeline``, ``DaemonSetPanel``, ``RolloutChart``: what controllers did (controller_timeline.py,
  daemonset_panel.py, rollout_chart.py; gathered in controllers_view.py).

Upstream: none (the course's pictures); see each module for the component it shows.
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported eagerly (both are light): the functions must win over their same-named modules.
from k8slearn.viz.layout import Layout, layout
from k8slearn.viz.snapshot import Snapshot, snapshot

__all__ = ["ClusterFigure", "ClusterView", "ControllerTimeline", "DaemonSetPanel", "FlowPlayer", "Layout",
           "RolloutChart", "Snapshot", "build_graph", "draw_cluster", "layout", "pod_journey", "record_rollout",
           "render_png", "snapshot", "summary"]

_LAZY = {"build_graph": "graph", "draw_cluster": "draw", "render_png": "draw", "summary": "draw",
         "ClusterFigure": "draw", "ClusterView": "widgets", "FlowPlayer": "flow_view", "pod_journey": "flow",
         "ControllerTimeline": "controller_timeline", "DaemonSetPanel": "daemonset_panel",
         "RolloutChart": "rollout_chart", "record_rollout": "rollout_chart"}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562), so ``import k8slearn.viz`` is cheap."""
    if name not in _LAZY:
        raise AttributeError(f"module 'k8slearn.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"k8slearn.viz.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list:
    return sorted(list(globals()) + __all__)
