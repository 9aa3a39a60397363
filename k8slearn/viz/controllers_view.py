"""Controllers at work, in pictures: a timeline, a DaemonSet panel and a rolling-update chart.

- ``ControllerTimeline(cluster)``: one swimlane per controller, one numbered marker per action
  (▲ create, ▼ delete, ◆ scale, ■ mark, ⬢ lead, ✕ evict, ↺ cancel an eviction, ● schedule), and a
  table saying what each controller saw and did ("ReplicaSet web-7c4b4cb947: 1 of 3 pods → create
  2"). Rows come from ``timeline.controller_rows`` (the trace joined with Events).
- ``DaemonSetPanel(cluster, "node-exporter", namespace="monitoring")``: buttons that add, remove,
  taint and untaint nodes; after each, the cluster settles and the panel shows the picture with the
  daemon pods ringed, "3 eligible nodes → 3 daemon pods (desired 3, current 3, ready 3)" and why
  each node is (not) eligible.
- ``record_rollout(cluster, "web", image="nginx:1.27")`` runs ``kubectl set image`` and samples the
  Deployment's ReplicaSets while time runs; ``RolloutChart(cluster, "web", samples)`` draws each
  ReplicaSet's replicas as a step line inside the corridor maxSurge and maxUnavailable allow.

Every picture is an Agg figure turned into PNG (``ipywidgets.Image`` in panels, ``_repr_png_``
elsewhere), so it survives static HTML export and strict nbval; texts are deterministic. Panel
buttons never raise into the frontend: errors are shown in the panel.

Simplified: panels act synchronously (no background thread), one action at a time in the kernel (a
click while another runs is dropped, see ``panels.py``); "Remove node" powers the machine off and
deletes its Node object, as ``kubectl delete node`` after draining would.

The pictures live in :mod:`.controller_timeline`, :mod:`.daemonset_panel` and
:mod:`.rollout_chart` (their shared plumbing in :mod:`.panels`); this module gathers them under one
name.

Upstream: none (teaching views); they read what kube-controller-manager's controllers write
(pkg/controller/{replicaset,deployment,daemon,nodelifecycle}) through the API server.
"""

from k8slearn.viz.controller_timeline import ControllerTimeline, draw_timeline, slot_positions
from k8slearn.viz.daemonset_panel import DaemonSetPanel, daemonset_line
from k8slearn.viz.rollout_chart import RolloutChart, draw_rollout, record_rollout

__all__ = ["ControllerTimeline", "DaemonSetPanel", "RolloutChart", "daemonset_line", "draw_rollout",
           "draw_timeline", "record_rollout", "slot_positions"]
