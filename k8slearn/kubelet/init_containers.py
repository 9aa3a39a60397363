"""Which init containers a pod worker starts next, and which it kills first.

The kubelet reads a pod's init containers from the last one back: the first one that ran says
what comes next. A plain init container must exit 0 before the next one starts; a sidecar (an
init container with ``restartPolicy: Always``) must only have *started* (its startup probe
passed, or at once when it has none), keeps running beside the app, and is started again
whenever it exits, whatever the pod's ``restartPolicy``:

>>> from types import SimpleNamespace as Record
>>> pod = {"spec": {"containers": [{"name": "app"}],
...                 "initContainers": [{"name": "proxy", "restartPolicy": "Always"}, {"name": "migrate"}]}}
>>> records = {"proxy": Record(state="CONTAINER_RUNNING", id="p", exit_code=0)}
>>> compute_init_container_actions(pod, records.get, lambda cid: "success", lambda cid: "success")
(False, [1], [], False)

(``migrate``, index 1, starts next: the proxy has started; the pod is not initialized yet.)

Upstream: pkg/kubelet/kuberuntime/kuberuntime_container.go (computeInitContainerActions)
"""

from __future__ import annotations

from typing import Any

from k8slearn.kubelet import status as pod_status
from k8slearn.kubelet.probe import FAILURE, SUCCESS


def compute_init_container_actions(pod: dict, last: Any, startup: Any, liveness: Any,
                                   changed: Any = None) -> tuple:
    """computeInitContainerActions: (initialized, init containers to start (indices, in order),
    ones to kill first ((index, message, reason)), kill the pod). ``last(name)`` is a container's
    latest runtime record (None before its first), ``startup``/``liveness(container id)`` the
    prober's results, ``changed(spec, record)`` containerChanged (None: no definition is checked).

    The init containers are read from the last one back: the first one that ran tells what comes
    next. A plain init container must exit 0 before the next one starts; a sidecar (``restartPolicy:
    Always``) must only have *started* (its startup probe passed, or at once without one), and is
    started again whenever it exits, whatever the pod's ``restartPolicy``. A started sidecar whose
    definition changed (a new image: ``kubectl set image pod/web proxy=nginx:1.27``) is killed and
    started again (kubernetes PR #126525, in v1.32); a plain init container's new image changes
    nothing.
    """
    spec = pod["spec"]
    inits = spec.get("initContainers") or ()
    regular = (last(c["name"]) for c in spec["containers"])
    initialized = any(r is not None and r.state in ("CONTAINER_CREATED", "CONTAINER_RUNNING") for r in regular)
    previously = initialized  # isPreviouslyInitialized
    restart_on_failure = spec.get("restartPolicy", "Always") != "Never"
    to_start: list[int] = []
    to_kill: list[tuple[int, str, str]] = []
    for i in range(len(inits) - 1, -1, -1):
        container = inits[i]
        sidecar = pod_status.is_restartable_init_container(container)
        record = last(container["name"])
        if record is None:
            if previously and sidecar:
                to_start.append(i)
            continue
        if previously and not sidecar:
            continue  # after initialization only the sidecars are kept running
        if record.state == "CONTAINER_CREATED":
            to_start.append(i)
        elif record.state == "CONTAINER_RUNNING" and sidecar:
            result = startup(record.id) if container.get("startupProbe") is not None else SUCCESS
            if result != SUCCESS:
                if result == FAILURE:
                    to_kill.append((i, f"Init container {container['name']} failed startup probe", "startup"))
                    to_start.append(i)
            else:
                if i == len(inits) - 1:
                    initialized = True
                elif not previously:
                    to_start.append(i + 1)  # started for the first time: start the next one
                if changed is not None and changed(container, record):
                    to_kill.append((i, f"Init container {container['name']} definition changed", ""))
                    to_start.append(i)  # (its liveness probe is not looked at: it is restarted anyway)
                elif container.get("livenessProbe") is not None and liveness(record.id) == FAILURE:
                    to_kill.append((i, f"Init container {container['name']} failed liveness probe", "liveness"))
                    to_start.append(i)
        elif record.state == "CONTAINER_EXITED":
            if sidecar:
                to_start.append(i)
            elif record.exit_code != 0:
                if not restart_on_failure:
                    return False, [], [], True
                to_start.append(i)
            elif i == len(inits) - 1:
                initialized = True
            else:
                to_start.append(i + 1)
        previously = True
    if not previously:
        to_start.append(0)
    return initialized, to_start[::-1], to_kill, False
