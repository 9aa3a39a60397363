"""NodeTree: node names grouped by zone, listed so that the first nodes come from different zones.

The scheduler does not look at every node of a big cluster (``percentageOfNodesToScore``), so
the order it walks them matters: the snapshot lists them zone by zone in turn, one node of each
zone, then the second of each, and so on.

>>> tree = NodeTree()
>>> for name, zone in [("a1", "a"), ("a2", "a"), ("b1", "b"), ("none", "")]:
...     labels = {"topology.kubernetes.io/zone": zone} if zone else {}
...     tree.add({"metadata": {"name": name, "labels": labels}})
>>> tree.list()
['a1', 'b1', 'none', 'a2']
>>> zone_key({"metadata": {"labels": {"topology.kubernetes.io/zone": "a"}}})
':\\x00:a'

Simplified: nothing of note; a node's zone is read from its labels as upstream reads it.

Upstream: pkg/scheduler/backend/cache/node_tree.go, pkg/util/node/node.go (GetZoneKey)
"""

from __future__ import annotations

ZONE_LABELS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
REGION_LABELS = ("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region")


def zone_key(node: dict) -> str:
    """GetZoneKey: ``region:\\x00:zone``, or "" for a node without topology labels."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    zone = next((labels[k] for k in ZONE_LABELS if labels.get(k)), "")
    region = next((labels[k] for k in REGION_LABELS if labels.get(k)), "")
    return f"{region}:\x00:{zone}" if region or zone else ""


class NodeTree:
    """Node names by zone; ``list()`` interleaves zones so that early nodes are spread out."""

    def __init__(self) -> None:
        self.tree: dict[str, list[str]] = {}
        self.zone_of: dict[str, str] = {}

    def add(self, node: dict) -> None:
        name = node["metadata"]["name"]
        if name not in self.zone_of:
            self.zone_of[name] = zone = zone_key(node)
            self.tree.setdefault(zone, []).append(name)

    def remove(self, node: dict) -> None:
        name = node["metadata"]["name"]
        zone = self.zone_of.pop(name, None)
        if zone is not None:
            names = self.tree[zone]
            names.remove(name)
            if not names:
                del self.tree[zone]

    def update(self, old: dict, new: dict) -> None:
        if zone_key(old) != zone_key(new):
            self.remove(old)
            self.add(new)

    def list(self) -> list[str]:
        zones = list(self.tree.values())
        out: list[str] = []
        for i in range(max((len(z) for z in zones), default=0)):
            out.extend(z[i] for z in zones if i < len(z))
        return out

