"""The environment variables the kubelet gives a container (makeEnvironmentVariables).

Before it asks the runtime to create a container, the kubelet works out the container's
environment from the pod spec, in upstream's order:

1. ``envFrom``: every key of the named ConfigMap or Secret (with the optional ``prefix``), even
   one that is no C identifier (``special.how``): v1.32's kubelet skips no key, and the
   ``InvalidEnvironmentVariableNames`` event of older kubelets is gone;
2. ``env``, in the order declared, replacing what ``envFrom`` set: a ``value`` has its
   ``$(NAME)`` references expanded (to earlier variables, then the Service variables; ``$$``
   is a literal ``$``; an unknown name stays as written), a ``valueFrom`` reads a ConfigMap or
   Secret key, a field of the pod (the downward API: name, namespace, uid, labels['x'],
   annotations['x'], nodeName, serviceAccountName, hostIP, podIP...) or a resource of the
   container (``limits.cpu`` ... rounded up by the divisor; a limit that is not set is the
   node's allocatable);
3. the Service variables (``<NAME>_SERVICE_HOST``, ``<NAME>_PORT_443_TCP`` ...) for the
   ``kubernetes`` Service of ``default`` always, and for every Service of the pod's namespace
   that has a cluster IP when ``enableServiceLinks`` is true, except names already set.

A ConfigMap or Secret that does not exist, or a key it lacks, stops the container from being
created (``CreateContainerConfigError``) unless the reference is ``optional``:

>>> objects = {("configmaps", "app-config"): {"data": {"MODE": "fast"}}}
>>> get = lambda kind, name: objects.get((kind, name))
>>> pod = {"metadata": {"name": "web", "namespace": "default"}, "spec": {"enableServiceLinks": True}}
>>> c = {"name": "app", "env": [{"name": "GREETING", "value": "mode $(MODE), $$(MODE), $(NOPE)"}],
...      "envFrom": [{"configMapRef": {"name": "app-config"}}]}
>>> make_environment_variables(pod, c, PodEnvSources(get, services=()))
[('MODE', 'fast'), ('GREETING', 'mode fast, $(MODE), $(NOPE)')]
>>> c = {"name": "app", "env": [{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "gone", "key": "k"}}}]}
>>> make_environment_variables(pod, c, PodEnvSources(get, services=()))
Traceback (most recent call last):
...
k8slearn.kubelet.container_env.CreateContainerConfigError: configmap "gone" not found

Simplified: the order of the variables is the one described above (upstream builds the list
from Go maps, so a real container's order differs from run to run); ConfigMaps and Secrets are
read with a GET through the API server when the container is created (the kubelet's ``Get``
strategy; v1.32's default watches each referenced object, which gives the same values).

Upstream: pkg/kubelet/kubelet_pods.go (makeEnvironmentVariables, getServiceEnvVarMap,
podFieldSelectorRuntimeValue), pkg/kubelet/envvars/envvars.go (FromServices),
third_party/forked/golang/expansion/expand.go, pkg/api/v1/resource/helpers.go
(ExtractContainerResourceValue), pkg/kubelet/kubelet_resources.go (defaultPodLimitsForDownwardAPI)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from k8slearn.api.fieldpath import extract_field_path_as_string
from k8slearn.api.resource_fields import resource_field_value
from k8slearn.kubelet.volume_plugins import decode_secret_value

MASTER_SERVICES = ("kubernetes",)  # the Services of ``default`` every pod gets variables for


class CreateContainerConfigError(Exception):
    """The container cannot be created: the kubelet's error text (the waiting message)."""


@dataclass
class PodEnvSources:
    """Where the kubelet looks things up for one container: ``get(kind, name)`` reads a
    ConfigMap or Secret of the pod's namespace (None when it does not exist), ``services`` are the
    Services the kubelet's informer holds, and the node's and the sandbox's addresses."""

    get: Callable[[str, str], dict | None]
    services: Iterable[dict] = ()
    host_ip: str = ""
    pod_ip: str = ""
    allocatable: dict | None = None  # the node's status.allocatable (limits that are not set)


def make_environment_variables(pod: dict, container: dict, sources: PodEnvSources) -> list[tuple[str, str]]:
    """The container's environment as (name, value) pairs; raises CreateContainerConfigError."""
    meta, spec = pod["metadata"], pod["spec"]
    namespace = meta.get("namespace", "default")
    service_env = service_env_vars(sources.services, namespace, spec.get("enableServiceLinks", True))
    objects: dict[tuple[str, str], dict | None] = {}

    def read(kind: str, name: str, optional: bool) -> dict | None:
        if (kind, name) not in objects:
            objects[(kind, name)] = sources.get(kind, name)
        found = objects[(kind, name)]
        if found is None and not optional:
            raise CreateContainerConfigError(f'{kind[:-1]} "{name}" not found')
        return found

    env: dict[str, str] = {}
    for source in container.get("envFrom") or ():
        ref = source.get("configMapRef") or source.get("secretRef") or {}
        kind = "configmaps" if "configMapRef" in source else "secrets"
        obj = read(kind, ref.get("name", ""), bool(ref.get("optional")))
        if obj is not None:
            prefix = source.get("prefix", "")
            for key, value in _data(kind, obj).items():
                env[prefix + key] = value

    for var in container.get("env") or ():
        name, value, source = var.get("name", ""), var.get("value", ""), var.get("valueFrom")
        if value:
            value = expand(value, env, service_env)
        elif source:
            value = _value_from(source, pod, container, sources, namespace, read)
            if value is None:  # an optional reference that is not there: the variable is skipped
                continue
        env[name] = value
    return list(env.items()) + [(k, v) for k, v in service_env.items() if k not in env]


def _data(kind: str, obj: dict) -> dict[str, str]:
    if kind == "configmaps":
        return dict(obj.get("data") or {})
    return {k: decode_secret_value(v) for k, v in (obj.get("data") or {}).items()}


def _value_from(source: dict, pod: dict, container: dict, sources: PodEnvSources, namespace: str,
                read: Callable[[str, str, bool], dict | None]) -> str | None:
    if "fieldRef" in source:
        return field_ref_value(source["fieldRef"].get("fieldPath", ""), pod, sources)
    if "resourceFieldRef" in source:
        return resource_field_value(source["resourceFieldRef"], container, sources.allocatable or {})
    kind, ref = (("configmaps", source["configMapKeyRef"]) if "configMapKeyRef" in source
                 else ("secrets", source.get("secretKeyRef") or {}))
    optional = bool(ref.get("optional"))
    obj = read(kind, ref.get("name", ""), optional)
    if obj is None:
        return None
    data = _data(kind, obj)
    if ref.get("key", "") not in data:
        if optional:
            return None
        what = "ConfigMap" if kind == "configmaps" else "Secret"
        raise CreateContainerConfigError(f"couldn't find key {ref.get('key', '')} in {what} {namespace}/{ref.get('name', '')}")
    return data[ref["key"]]


def field_ref_value(path: str, pod: dict, sources: PodEnvSources) -> str:
    """podFieldSelectorRuntimeValue: the value of one downward-API field path of the pod.

    >>> pod = {"metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {"nodeName": "node-1"}}
    >>> field_ref_value("metadata.labels['app']", pod, PodEnvSources(lambda k, n: None, pod_ip="10.244.1.5"))
    'web'
    >>> field_ref_value("status.podIP", pod, PodEnvSources(lambda k, n: None, pod_ip="10.244.1.5"))
    '10.244.1.5'
    """
    spec = pod["spec"]
    if path in ("status.podIP", "status.podIPs"):
        return sources.pod_ip
    if path in ("status.hostIP", "status.hostIPs"):
        return sources.host_ip
    if path == "spec.serviceAccountName":
        return spec.get("serviceAccountName", "")
    if path == "spec.nodeName":
        return spec.get("nodeName", "")
    try:  # the rest is fieldpath.ExtractFieldPathAsString (validation allows nothing it does not know)
        return extract_field_path_as_string(pod["metadata"], path)
    except ValueError:
        return ""


def service_env_vars(services: Iterable[dict], namespace: str, enable_service_links: bool) -> dict[str, str]:
    """getServiceEnvVarMap + FromServices: the variables of the Services a pod sees.

    >>> svc = {"metadata": {"name": "kubernetes", "namespace": "default"},
    ...        "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443}]}}
    >>> for name, value in service_env_vars([svc], "shop", False).items(): print(f"{name}={value}")
    KUBERNETES_SERVICE_HOST=10.96.0.1
    KUBERNETES_SERVICE_PORT=443
    KUBERNETES_SERVICE_PORT_HTTPS=443
    KUBERNETES_PORT=tcp://10.96.0.1:443
    KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443
    KUBERNETES_PORT_443_TCP_PROTO=tcp
    KUBERNETES_PORT_443_TCP_PORT=443
    KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1
    """
    chosen: dict[str, dict] = {}
    for svc in services:
        meta, spec = svc["metadata"], svc.get("spec") or {}
        if spec.get("clusterIP") in (None, "", "None"):
            continue
        name = meta["name"]
        if meta.get("namespace") == "default" and name in MASTER_SERVICES:
            chosen.setdefault(name, svc)
        elif meta.get("namespace") == namespace and enable_service_links:
            chosen[name] = svc
    env: dict[str, str] = {}
    for name in sorted(chosen):
        spec = chosen[name]["spec"]
        ip, ports, prefix = spec["clusterIP"], spec.get("ports") or [], _env_name(name)
        if not ports:
            continue
        env[f"{prefix}_SERVICE_HOST"] = ip
        env[f"{prefix}_SERVICE_PORT"] = str(ports[0].get("port"))
        for port in ports:
            if port.get("name"):
                env[f"{prefix}_SERVICE_PORT_{_env_name(port['name'])}"] = str(port.get("port"))
        for i, port in enumerate(ports):
            protocol = port.get("protocol") or "TCP"
            url = f"{protocol.lower()}://{ip}:{port.get('port')}"
            if i == 0:
                env[f"{prefix}_PORT"] = url
            base = f"{prefix}_PORT_{port.get('port')}_{protocol.upper()}"
            env[base] = url
            env[f"{base}_PROTO"] = protocol.lower()
            env[f"{base}_PORT"] = str(port.get("port"))
            env[f"{base}_ADDR"] = ip
    return env


def _env_name(name: str) -> str:
    """makeEnvVariableName: ``my-svc`` -> ``MY_SVC``."""
    return name.replace("-", "_").upper()


def expand(value: str, *contexts: dict[str, str]) -> str:
    """expansion.Expand with MappingFuncFor(contexts): ``$(NAME)`` is replaced by the first
    context that has NAME (else left as written), ``$$`` is ``$``.

    >>> expand("$(A)-$(B)-$$(A)-$(C", {"A": "1"}, {"B": "2"})
    '1-2-$(A)-$(C'
    """
    out, i, n = [], 0, len(value)
    while i < n:
        ch = value[i]
        if ch != "$" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = value[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "(":
            close = value.find(")", i + 2)
            if close < 0:  # an incomplete reference stays as it is
                out.append("$(")
                i += 2
                continue
            name = value[i + 2:close]
            out.append(next((c[name] for c in contexts if name in c), f"$({name})"))
            i = close + 1
        else:
            out.append("$" + nxt)
            i += 2
    return "".join(out)


_SHARED: dict[tuple, tuple] = {}


def shared_environment(envs: tuple) -> tuple:
    """One tuple for every equal environment of the process: the kubelets of a big cluster give
    thousands of containers the same Service variables (a memory saving: the same values, read-only).

    >>> a, b = tuple([("A", "1")]), tuple([("A", "1")])
    >>> a is b, shared_environment(a) is shared_environment(b)
    (False, True)
    """
    if len(_SHARED) > 4096:
        _SHARED.clear()
    return _SHARED.setdefault(envs, envs)
