"""The framework's Filter runner: which nodes a pod may go to, and why the others are out.

``run_filter_plugins`` asks the Filter plugins about one node, in profile order; the first that
rejects it decides and later plugins are not asked. ``run_filter_plugins_with_nominated_pods``
does the same as if the pods that preemption *nominated* to that node (priority at least the
pod's) were already there. ``run_filter_plugins_on_nodes`` filters a whole list of nodes and
files each rejection in the cycle's Diagnosis.

>>> from k8slearn.scheduler.framework import Framework, Handle
>>> from k8slearn.scheduler.node_info import NodeInfo
>>> from k8slearn.scheduler.profile import Profile
>>> from k8slearn.scheduler.snapshot import Snapshot
>>> nodes = [NodeInfo({"metadata": {"name": f"node-{i}"},
...                    "status": {"allocatable": {"cpu": cpu, "memory": "4Gi", "pods": "110"}}})
...          for i, cpu in enumerate(["1", "2", "4"], 1)]
>>> fwk = Framework(Profile(), Handle(snapshot=Snapshot(nodes)))
>>> pod = {"metadata": {"namespace": "default", "name": "web"},
...        "spec": {"containers": [{"resources": {"requests": {"cpu": "1500m"}}}]}}
>>> state, diagnosis = CycleState(), Diagnosis()
>>> _ = fwk.run_pre_filter_plugins(state, pod)
>>> [n.name for n in fwk.run_filter_plugins_on_nodes(state, pod, nodes, diagnosis)]
['node-2', 'node-3']
>>> diagnosis.node_to_status.statuses
{'node-1': Status(Unschedulable, ['Insufficient cpu'], plugin='NodeResourcesFit')}

Simplified: no parallelism (Go filters nodes over 16 goroutines). A list is filtered plugin by
plugin, each over the nodes the previous ones let through, and plugins may add a ``filter_nodes``
method that does a whole list at once (same verdicts, less Python overhead). How many nodes to
look at (percentageOfNodesToScore) is decided in :mod:`k8slearn.scheduler.schedule_one`.

Upstream: pkg/scheduler/framework/runtime/framework.go (RunFilterPlugins,
RunFilterPluginsWithNominatedPods, addGENominatedPods), pkg/scheduler/schedule_one.go
(findNodesThatPassFilters)
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.interface import (
    SUCCESS,
    Code,
    CycleState,
    Diagnosis,
    FilterError,
    PluginError,
    Status,
)


def _checked(plugin: str, status: Any) -> Status:
    """A friendly error for a plugin that returns something else than a Status (or None)."""
    if not isinstance(status, Status):
        raise PluginError(
            f"plugin {plugin!r} returned {status!r}; a Filter must return a Status "
            '(SUCCESS, or Status(Code.Unschedulable, "reason"))'
        )
    return status


class FilterRunner:
    """Framework's Filter methods (a base class of :class:`~k8slearn.scheduler.framework.Framework`)."""

    def run_filter_plugins(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        """The first plugin that rejects the node decides; later plugins are not asked."""
        for name, filter_fn, _ in state.filters:
            try:
                status = filter_fn(state, pod, node_info)
            except PluginError:
                raise
            except Exception as err:  # a plugin that raises is an Error status
                return Status(Code.Error, f'running "{name}" filter plugin: {err}', name)
            if status is SUCCESS or status is None or _checked(name, status).code is Code.Success:
                continue
            if status.code is Code.Error:
                return Status(Code.Error, f'running "{name}" filter plugin: {status.message()}', name)
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
            try:
                results = filter_nodes(state, pod, nodes) if filter_nodes is not None else \
                    [filter_fn(state, pod, node_info) for node_info in nodes]
            except PluginError:
                raise
            except Exception as err:  # a plugin that raises is an Error status
                raise FilterError(Status(Code.Error, f'running "{name}" filter plugin: {err}', name)) from err
            if filter_nodes is not None:
                if results is None:  # every node passed
                    continue
            else:
                if results.count(SUCCESS) == len(results):  # identity: the shared SUCCESS object
                    continue
            survivors = []
            for node_info, status in zip(nodes, results):
                if status is SUCCESS or status is None or _checked(name, status).code is Code.Success:
                    survivors.append(node_info)
                elif status.code is Code.Error:
                    message = f'running "{name}" filter plugin: {status.message()}'
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
