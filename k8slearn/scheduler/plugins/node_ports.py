"""NodePorts: a pod that asks for a host port needs a node where that port is still free.

A ``hostPort`` binds the port on the node itself, so two pods cannot both have TCP 8080 on one
node. An empty ``hostIP`` means 0.0.0.0 (every address), which clashes with any address.

>>> used = {"0.0.0.0": {("TCP", 8080)}}
>>> fits_ports([("0.0.0.0", "TCP", 8080)], used), fits_ports([("0.0.0.0", "UDP", 8080)], used)
(False, True)
>>> fits_ports([("10.0.0.1", "TCP", 8080)], used), fits_ports([("10.0.0.1", "TCP", 9090)], used)
(False, True)

Upstream: pkg/scheduler/framework/plugins/nodeports/node_ports.go,
pkg/scheduler/framework/types.go (HostPortInfo.CheckConflict)
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.events import NODE, POD, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.resources import host_ports

NAME = "NodePorts"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
ERR_REASON = "node(s) didn't have free ports for the requested pod ports"
DEFAULT_BIND_ALL_HOST_IP = "0.0.0.0"


def check_conflict(used: dict, ip: str, protocol: str, port: int) -> bool:
    """Is (ip, protocol, port) taken? 0.0.0.0 clashes with every address, and every address with it."""
    if port <= 0:
        return False
    wanted = (protocol or "TCP", port)
    ip = ip or DEFAULT_BIND_ALL_HOST_IP
    if ip == DEFAULT_BIND_ALL_HOST_IP:
        return any(wanted in ports for ports in used.values())
    return any(wanted in used.get(key, ()) for key in (DEFAULT_BIND_ALL_HOST_IP, ip))


def fits_ports(wanted: list, used: dict) -> bool:
    """The predicate: none of the wanted (ip, protocol, port) host ports is in use."""
    return not any(check_conflict(used, ip, protocol, port) for ip, protocol, port in wanted)


class NodePorts:
    """PreFilter, Filter."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        info = state.pod_info  # (its host ports were worked out from this very pod object)
        wanted = (
            info.host_ports if info is not None and info.pod is pod else host_ports(pod.get("spec") or {})
        )
        if not wanted:
            return Status(Code.Skip)  # no host ports: nothing to check
        state[PRE_FILTER_STATE_KEY] = wanted
        return SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        wanted = state.get(PRE_FILTER_STATE_KEY)
        if wanted is None:
            wanted = host_ports(pod.get("spec") or {})
        if fits_ports(wanted, node_info.used_ports):
            return SUCCESS
        return Status(Code.Unschedulable, ERR_REASON)

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        return [
            (ClusterEvent(POD, ActionType.Delete), self.is_schedulable_after_pod_deleted),
            # Only a new node can have free ports; no update of a node frees one (upstream registers
            # Add alone when queueing hints are on, the v1.32 default).
            (ClusterEvent(NODE, ActionType.Add), None),
        ]

    def is_schedulable_after_pod_deleted(self, pod: dict, old: dict | None, new: Any) -> QueueingHint:
        """Only an assigned pod that held one of the wanted host ports frees something."""
        if not old or not (old.get("spec") or {}).get("nodeName"):
            return QueueingHint.QueueSkip
        held = {(p, port) for _, p, port in host_ports(old.get("spec") or {})}
        wanted = {(p, port) for _, p, port in host_ports(pod.get("spec") or {})}
        return QueueingHint.Queue if held & wanted else QueueingHint.QueueSkip
