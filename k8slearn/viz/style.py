"""The one visual language of every k8slearn picture: colours, line styles and sizes.

Every chapter draws pods, nodes and components the same way, so a student learns the colours
once: a pod's colour is its STATUS group, a node's box is its Ready condition, and each kind of
edge (watches, stores in, runs on, selects, owns) has its own line.

>>> pod_category("CrashLoopBackOff"), pod_category("ContainerCreating"), pod_category("Init:0/1")
('failed', 'pending', 'pending')
>>> POD_COLORS[pod_category("Running")]
'#1a9850'

Pods still on their way (Pending, ContainerCreating) or on their way out (Terminating) are drawn
pale with a coloured rim; settled pods are solid. Colours stay apart for the common colour
vision deficiencies (green and red also differ in lightness).

Simplified: a dozen STATUS strings are grouped into six colours; rarer reasons fall into the
nearest group (waiting reasons ending in "Error" or "BackOff" are failures).

Upstream: none (a picture's style); status strings from pkg/printers/internalversion/printers.go.
"""

from __future__ import annotations

__all__ = ["COMPONENT", "EDGE_STYLES", "NODE_STYLES", "POD_COLORS", "POD_CATEGORIES",
           "TRANSITIONAL", "node_style", "pod_category"]

POD_CATEGORIES = ("running", "pending", "succeeded", "failed", "terminating", "unknown")
POD_LABELS = {"running": "Running", "pending": "Pending, creating", "succeeded": "Succeeded",
              "failed": "Failed, crashing", "terminating": "Terminating", "unknown": "Unknown"}
POD_COLORS = {
    "running": "#1a9850",       # green
    "pending": "#e6a000",       # amber
    "succeeded": "#9e9e9e",     # grey
    "failed": "#c62828",        # red
    "terminating": "#8e5fb5",   # purple-ish
    "unknown": "#424242",       # dark grey
}
TRANSITIONAL = frozenset({"pending", "terminating"})     # drawn pale with a coloured rim
PALE_ALPHA = 0.3

_EXACT = {"Running": "running", "Pending": "pending", "ContainerCreating": "pending",
          "PodInitializing": "pending", "NotReady": "pending", "SchedulingGated": "pending",
          "Succeeded": "succeeded", "Completed": "succeeded", "Failed": "failed", "Error": "failed",
          "OOMKilled": "failed", "Evicted": "failed", "Terminating": "terminating",
          "Unknown": "unknown", "NodeLost": "unknown", "ContainerStatusUnknown": "unknown"}


def pod_category(status: str) -> str:
    """The colour group of a pod STATUS string (as ``kubectl get pods`` prints it)."""
    if status in _EXACT:
        return _EXACT[status]
    if status.startswith("Init:"):
        rest = status[5:]
        return "failed" if rest.endswith(("Error", "BackOff")) or ":" in rest else "pending"
    if status.endswith(("Error", "BackOff")) or status.startswith(("ErrImage", "Signal:", "ExitCode:")):
        return "failed"
    if status.startswith(("Invalid", "Create", "RunContainer")):
        return "failed"
    return "pending"


# Node boxes: (face, edge, legend label) by the Ready condition's status ("True"/"False"/"Unknown").
NODE_STYLES = {
    "True": ("#eef7ee", "#2e7d32", "Ready"),
    "False": ("#fdecea", "#c62828", "NotReady"),
    "Unknown": ("#ececec", "#616161", "Unknown: no heartbeat"),
}
CORDON_HATCH = "///"
CORDON_HATCH_COLOR = "#bdbdbd"
CONTROL_PLANE_NODE_FACE = "#eef3fa"


def node_style(ready: str) -> tuple:
    return NODE_STYLES.get(ready, NODE_STYLES["Unknown"])


COMPONENT = {"face": "#1f4e79", "edge": "#163a5c", "text": "white"}          # control-plane components
ETCD = {"face": "#4a3b8f", "edge": "#362a6e", "text": "white"}
OWNER = {"face": "#fff4e0", "edge": "#8d6e3f", "text": "#4e3b1f"}
SERVICE = {"face": "#e0f4f7", "edge": "#00838f", "text": "#004d55"}
PENDING_LANE = {"face": "#fffaf0", "edge": "#e6a000"}
STOPPED = {"face": "#ececec", "edge": "#9e9e9e"}    # a control-plane component whose machine is off
TEXT = "#212121"
HIGHLIGHT = "#ff6f00"         # rings and thick borders around what a chapter points at
MUTED = "#616161"

EDGE_STYLES = {
    "watches": {"color": "#5b7fa6", "linestyle": (0, (4, 3)), "linewidth": 1.0, "alpha": 0.75},
    "stores in": {"color": "#4a3b8f", "linestyle": "-", "linewidth": 1.8, "alpha": 1.0},
    "runs on": {"color": "#9e9e9e", "linestyle": "-", "linewidth": 0.9, "alpha": 0.9},
    "selects": {"color": "#00838f", "linestyle": (0, (1.5, 1.5)), "linewidth": 1.0, "alpha": 0.65},
    "owns": {"color": "#8d6e3f", "linestyle": "-", "linewidth": 1.3, "alpha": 0.9},
}
EDGE_LABELS = {"watches": "watches the API server", "stores in": "stores in etcd",
               "runs on": "runs on a node", "selects": "service selects", "owns": "owns"}

FONT_SIZE = 10.5              # points: the pictures' text, as big as JupyterLab's (14 px at DPI 100)
LABEL_SIZE = FONT_SIZE - 0.5  # a pod's name beside its dot, a legend's entries
TAINT_SIZE = LABEL_SIZE - 1   # a node's taints, under its box
TAINT_TEXT = "#8d4e00"        # taints in amber-brown: a warning to pods, not a state of the node
MIN_FONT_SIZE = 6.5           # the smallest text, in a picture crowded with columns
POD_MARKER_SIZE = 90          # points², for up to SLOT_LIMIT pods per column
DPI = 100
