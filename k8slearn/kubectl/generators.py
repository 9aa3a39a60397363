"""``kubectl create <kind>``: objects built from flags, then created (``run`` and ``expose``: ``run_expose``).

Each generator builds the same object the real kubectl sends, so ``--dry-run=client -o yaml``
prints the familiar manifest (``creationTimestamp: null``, ``resources: {}``, ``status: {}``).

>>> to_yaml_text = __import__("k8slearn.kubectl.output", fromlist=["to_yaml"]).to_yaml
>>> print(to_yaml_text(deployment("web", ["nginx"], 1, None, [])), end="")
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}

Simplified: ``--from-file`` reads local files only.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/create/create_deployment.go, create_namespace.go,
create_configmap.go, create_secret.go, create_service.go, create_job.go, create_cronjob.go,
create_serviceaccount.go, create_priorityclass.go, create_pdb.go
"""

from __future__ import annotations

import base64
import os
from typing import Any

from k8slearn.kubectl.apply import _without_nulls, dry_run_mode, print_result, run_create_files
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError, usage_error

__all__ = ["deployment"]


def _meta(name: str, labels: dict | None = None) -> dict:
    meta: dict = {"creationTimestamp": None}
    if labels:
        meta["labels"] = labels
    meta["name"] = name
    return meta


def _image_name(image: str) -> str:
    """create deployment: the container name is the image's last path part without tag/digest."""
    base = image.split("@")[0].rsplit("/", 1)[-1]
    return base.split(":")[0]


def deployment(name: str, images: list[str], replicas: int, port: int | None, command_: list[str]) -> dict:
    containers = []
    for image in images:
        c: dict = {"image": image, "name": _image_name(image)}
        if command_:
            c["command"] = list(command_)
        if port is not None and port >= 0 and len(images) == 1:
            c["ports"] = [{"containerPort": port}]
        c["resources"] = {}
        containers.append(c)
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": _meta(name, labels),
            "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)}, "strategy": {},
                     "template": {"metadata": _meta_no_name(labels), "spec": {"containers": containers}}},
            "status": {}}


def _meta_no_name(labels: dict | None = None) -> dict:
    meta: dict = {"creationTimestamp": None}
    if labels:
        meta["labels"] = dict(labels)
    return meta


def _one_name(ctx: Context, args: list[str]) -> str:
    if len(args) != 1:
        raise usage_error(ctx.path, f"exactly one NAME is required, got {len(args)}")
    return args[0]


def _create(ctx: Context, obj: dict, operation: str = "created") -> int:
    from k8slearn.api.resources import by_kind

    resource = by_kind(obj["apiVersion"], obj["kind"])
    mode = dry_run_mode(ctx)
    if resource.namespaced and mode != "client":
        obj["metadata"]["namespace"] = ctx.namespace
    created = obj if mode == "client" else ctx.client.create(
        _without_nulls(obj), namespace=ctx.namespace if resource.namespaced else None, dry_run=(mode == "server"))
    print_result(ctx, resource, created, operation)
    return 0


@command("create")
def run_create(ctx: Context, args: list[str]) -> int:
    if args:
        raise usage_error(ctx.path, f"Unexpected args: [{' '.join(args)}]")
    if not ctx.flags["filename"]:
        raise KubectlError("must specify one of -f and -k")
    return run_create_files(ctx)


@command("create deployment", required=("image",))
def create_deployment(ctx: Context, args: list[str]) -> int:
    name = _one_name(ctx, args[:ctx.args_at_dash] if ctx.args_at_dash >= 0 else args)
    command_ = args[ctx.args_at_dash:] if ctx.args_at_dash >= 0 else []
    images = ctx.flags["image"]
    if len(images) > 1 and command_:
        raise KubectlError("cannot specify multiple --image options and command")
    port = ctx.flags["port"]
    return _create_or_fail(ctx, deployment(name, images, ctx.flags["replicas"], port if port >= 0 else None, command_),
                           "deployment")


@command("create namespace")
def create_namespace(ctx: Context, args: list[str]) -> int:
    name = _one_name(ctx, args)
    return _create(ctx, {"apiVersion": "v1", "kind": "Namespace", "metadata": _meta(name), "spec": {}, "status": {}})


def _literals(ctx: Context) -> dict[str, str]:
    data: dict[str, str] = {}
    for item in ctx.flags.get("from-literal") or []:
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise KubectlError(f"invalid literal source {item}, expected key=value")
        if key in data:
            raise KubectlError(f'cannot add key "{key}", another key by that name already exists in Data for '
                               f"ConfigMap {value!r}")
        data[key] = value
    for path in ctx.flags.get("from-file") or []:
        key, eq, file_path = path.partition("=")
        file_path = file_path if eq else key
        key = key if eq else os.path.basename(file_path)
        if not os.path.isfile(file_path):
            raise KubectlError(f"error reading {file_path}: no such file or directory")
        with open(file_path, encoding="utf-8") as handle:
            data[key] = handle.read()
    return data


@command("create configmap")
def create_configmap(ctx: Context, args: list[str]) -> int:
    name = _one_name(ctx, args)
    obj: dict = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(name)}
    data = _literals(ctx)
    if data:
        obj["data"] = data
    return _create_or_fail(ctx, obj, "configmap")


@command("create secret generic")
def create_secret_generic(ctx: Context, args: list[str]) -> int:
    name = _one_name(ctx, args)
    obj: dict = {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name)}
    data = {k: base64.b64encode(v.encode()).decode() for k, v in _literals(ctx).items()}
    if data:
        obj["data"] = data
    if ctx.flags.get("type"):
        obj["type"] = ctx.flags["type"]
    return _create_or_fail(ctx, obj, "secret", " ")


def _service(ctx: Context, args: list[str], kind: str) -> int:
    name = _one_name(ctx, args)
    spec: dict = {}
    ports = []
    for item in ctx.flags.get("tcp") or []:
        port, _, target = item.partition(":")
        try:
            port_number = int(port)
        except ValueError:
            raise KubectlError(f"invalid port number {port}") from None
        entry: dict = {"name": f"{port}-{target or port}", "port": port_number, "protocol": "TCP"}
        target_value: Any = target or port
        entry["targetPort"] = int(target_value) if str(target_value).isdigit() else target_value
        if kind == "NodePort" and ctx.flags.get("node-port"):
            entry["nodePort"] = ctx.flags["node-port"]
        ports.append(dict(sorted(entry.items())))
    if kind == "ClusterIP" and ctx.flags.get("clusterip") == "None":
        spec["clusterIP"] = "None"
    elif not ports and kind != "ExternalName":
        raise KubectlError("at least one tcp port specifier must be provided")
    elif ctx.flags.get("clusterip"):
        spec["clusterIP"] = ctx.flags["clusterip"]
    if ports:
        spec["ports"] = ports
    spec["selector"] = {"app": name}
    spec["type"] = kind
    obj = {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, {"app": name}), "spec": spec,
           "status": {"loadBalancer": {}}}
    return _create_or_fail(ctx, obj, f"{kind} service")


@command("create service clusterip")
def create_service_clusterip(ctx: Context, args: list[str]) -> int:
    return _service(ctx, args, "ClusterIP")


@command("create service nodeport")
def create_service_nodeport(ctx: Context, args: list[str]) -> int:
    return _service(ctx, args, "NodePort")


@command("create service loadbalancer")
def create_service_loadbalancer(ctx: Context, args: list[str]) -> int:
    return _service(ctx, args, "LoadBalancer")


@command("create serviceaccount")
def create_serviceaccount(ctx: Context, args: list[str]) -> int:
    name = _one_name(ctx, args)
    return _create_or_fail(ctx, {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(name)}, "serviceaccount")


@command("create priorityclass")
def create_priorityclass(ctx: Context, args: list[str]) -> int:
    name = _one_name(ctx, args)
    obj: dict = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": _meta(name),
                 "value": ctx.flags["value"], "preemptionPolicy": ctx.flags["preemption-policy"]}
    if ctx.flags.get("description"):
        obj["description"] = ctx.flags["description"]
    if ctx.flags.get("global-default"):
        obj["globalDefault"] = True
    return _create_or_fail(ctx, obj, "priorityclass")


@command("create poddisruptionbudget")
def create_poddisruptionbudget(ctx: Context, args: list[str]) -> int:
    """create_pdb.go: a policy/v1 budget from --selector and one of --min-available/--max-unavailable."""
    import re

    from k8slearn.api.labels import SelectorParseError, parse_to_label_selector

    name = _one_name(ctx, args)
    min_available, max_unavailable = ctx.flags["min-available"], ctx.flags["max-unavailable"]
    if not ctx.flags["selector"]:
        raise KubectlError("a selector must be specified")
    if not min_available and not max_unavailable:
        raise KubectlError("one of min-available or max-unavailable must be specified")
    if min_available and max_unavailable:
        raise KubectlError("min-available and max-unavailable cannot be both specified")
    for flag, value in (("min-available", min_available), ("max-unavailable", max_unavailable)):
        if value and not re.fullmatch(r"[0-9]+%?", value):
            raise KubectlError(f"invalid format specified for {flag}")
    spec: dict = {}
    if min_available:
        spec["minAvailable"] = min_available if min_available.endswith("%") else int(min_available)
    try:
        spec["selector"] = parse_to_label_selector(ctx.flags["selector"])
    except SelectorParseError as err:
        raise KubectlError(str(err)) from None
    if max_unavailable:
        spec["maxUnavailable"] = max_unavailable if max_unavailable.endswith("%") else int(max_unavailable)
    return _create_or_fail(ctx, {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": _meta(name),
                                 "spec": spec, "status": {"disruptionsAllowed": 0, "currentHealthy": 0,
                                                          "desiredHealthy": 0, "expectedPods": 0}},
                           "poddisruptionbudgets")


def _job_spec(name: str, image: str, command_: list[str], restart: str) -> dict:
    container: dict = {}
    if command_:
        container["command"] = list(command_)
    container.update({"image": image, "name": name, "resources": {}})
    return {"template": {"metadata": _meta_no_name(), "spec": {"containers": [container], "restartPolicy": restart}}}


@command("create job")
def create_job(ctx: Context, args: list[str]) -> int:
    head = args[:ctx.args_at_dash] if ctx.args_at_dash >= 0 else args
    command_ = args[ctx.args_at_dash:] if ctx.args_at_dash >= 0 else []
    name = _one_name(ctx, head)
    image, from_ = ctx.flags.get("image"), ctx.flags.get("from")
    if bool(image) == bool(from_):
        raise KubectlError("either --image or --from must be specified")
    if command_ and from_:
        raise KubectlError("cannot specify --from and command")
    if image:
        obj = {"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta(name),
               "spec": _job_spec(name, image, command_, "Never"), "status": {}}
    else:
        obj = _job_from_cronjob(name, _from_object(ctx, from_))
    return _create_or_fail(ctx, obj, "job")


def _create_or_fail(ctx: Context, obj: dict, what: str, separator: str = ": ") -> int:
    """Most ``kubectl create`` generators wrap the server's refusal in their own words:
    ``error: failed to create deployment: deployments.apps "web" already exists`` (create secret
    has no colon: ``failed to create secret secrets "x" already exists``); ``create namespace``,
    ``run`` and ``expose`` print the server's error as it is."""
    from k8slearn.api.errors import ApiError

    try:
        return _create(ctx, obj)
    except ApiError as err:
        raise KubectlError(f"failed to create {what}{separator}{err.message}") from None


def _from_object(ctx: Context, from_: str) -> dict:
    """The one object ``--from`` names (``cronjob/hello``), read from the API server."""
    from k8slearn.kubectl.builder import parse_args

    targets = parse_args([from_])
    objects = []
    for target in targets:
        if target.name is None:
            objects += ctx.client.list(target.resource.plural, ctx.namespace)
        else:
            objects.append(ctx.client.get(target.resource.plural, target.name, ctx.namespace))
    if len(objects) != 1:
        raise KubectlError("from must be an existing cronjob")
    obj = objects[0]
    if obj.get("kind") != "CronJob":
        version = obj.get("apiVersion", "").rsplit("/", 1)[-1]
        raise KubectlError(f"unknown object type *{version}.{obj.get('kind')}")
    return obj


def _job_from_cronjob(name: str, cronjob: dict) -> dict:
    """createJobFromCronJob: the template's Job, annotated manual, owned (as controller) by the CronJob."""
    from k8slearn.api.meta import thaw

    template = cronjob["spec"].get("jobTemplate") or {}
    template_meta = template.get("metadata") or {}
    annotations = {"cronjob.kubernetes.io/instantiate": "manual", **(template_meta.get("annotations") or {})}
    meta: dict = {"annotations": annotations, "creationTimestamp": None}
    if template_meta.get("labels"):
        meta["labels"] = thaw(template_meta["labels"])
    meta["name"] = name
    meta["ownerReferences"] = [{"apiVersion": "batch/v1", "controller": True, "kind": "CronJob",
                                "name": cronjob["metadata"]["name"], "uid": cronjob["metadata"]["uid"]}]
    spec = thaw(template.get("spec") or {})
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": spec, "status": {}}


@command("create cronjob", required=("image", "schedule"))
def create_cronjob(ctx: Context, args: list[str]) -> int:
    head = args[:ctx.args_at_dash] if ctx.args_at_dash >= 0 else args
    command_ = args[ctx.args_at_dash:] if ctx.args_at_dash >= 0 else []
    name = _one_name(ctx, head)
    job_template = {"metadata": {"creationTimestamp": None, "name": name},
                    "spec": _job_spec(name, ctx.flags["image"], command_, ctx.flags.get("restart") or "OnFailure")}
    obj = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": _meta(name),
           "spec": {"jobTemplate": job_template, "schedule": ctx.flags["schedule"]}, "status": {}}
    return _create_or_fail(ctx, obj, "cronjob")
