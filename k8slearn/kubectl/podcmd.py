"""Which container a command means when none is named (``kubectl logs``, ``exec``).

kubectl takes the container the ``kubectl.kubernetes.io/default-container`` annotation names,
else the first one, and says so on stderr when the pod had others to choose from, init and
ephemeral containers included:

>>> pod = {"metadata": {"name": "web"}, "spec": {"containers": [{"name": "app"}],
...        "initContainers": [{"name": "setup"}]}}
>>> notes = []
>>> find_or_default_container(pod, quiet=False, warn=notes.append), notes
('app', ['Defaulted container "app" out of: app, setup (init)'])

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/util/podcmd/podcmd.go (FindOrDefaultContainerByName,
AllContainerNames)
"""

from __future__ import annotations

from collections.abc import Callable

from k8slearn.kubectl.errors import KubectlError

DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"


def find_or_default_container(pod: dict, quiet: bool, warn: Callable[[str], None],
                              missing_default: bool = False) -> str:
    """The annotation's container if the pod has it, else the first container (noted via ``warn``).
    ``missing_default``: also say when the annotation names no container (``kubectl logs`` does,
    ``exec`` does not; both recorded from kubectl 1.32)."""
    spec, meta = pod.get("spec") or {}, pod["metadata"]
    containers = spec.get("containers") or []
    init, ephemeral = spec.get("initContainers") or [], spec.get("ephemeralContainers") or []
    wanted = (meta.get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION, "")
    if not containers:
        raise KubectlError(f"pod {meta.get('namespace', 'default')}/{meta['name']} does not have any containers")
    if wanted:
        if any(c["name"] == wanted for c in containers + init + ephemeral):
            return wanted
        if missing_default:
            warn(f'Default container name "{wanted}" not found in pod {meta["name"]}')  # (quiet or not)
    first = containers[0]["name"]
    if not quiet and (len(containers) > 1 or init or ephemeral):
        names = ([c["name"] for c in containers] + [f"{c['name']} (init)" for c in init]
                 + [f"{c['name']} (ephem)" for c in ephemeral])
        warn(f'Defaulted container "{first}" out of: {", ".join(names)}')
    return first
