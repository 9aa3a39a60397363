"""``kubectl set env``: add, change or remove environment variables in a pod template.

The arguments are resources first, then ``KEY=VALUE`` (set) and ``KEY-`` (remove); ``-e`` adds
more, ``-`` reads ``KEY=VALUE`` lines from stdin, ``--from=configmap/NAME`` or ``secret/NAME``
adds one variable per key, referring to the object (``--keys`` picks keys, ``--prefix`` prefixes
the names). ``-c`` picks containers by name (``*`` is a wildcard). Changing a Deployment's
template this way starts a rollout, as changing its image does. A variable that already has
this value changes nothing: then kubectl prints nothing at all. A key of ``--from`` whose
name is not a valid variable name as it is (``app.conf``) gets a warning and a new name
(``APP_CONF``).

>>> split_environment_from_resources(["deployment/web", "A=1", "B-"])
(['deployment/web'], ['A=1', 'B-'], True)
>>> update_env([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}], [{"name": "A", "value": "9"},
...            {"name": "C", "value": "3"}], ["B"])
[{'name': 'A', 'value': '9'}, {'name': 'C', 'value': '3'}]
>>> key_to_env_name("db.password")
'DB_PASSWORD'

Simplified: no ``--local`` and no ``--resolve``; ``--from`` takes its keys in sorted order (kubectl
walks a Go map, so a real terminal may list them in any order).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/set/set_env.go, staging/src/k8s.io/kubectl/pkg/cmd/set/env/env_parse.go
"""

from __future__ import annotations

import re

from k8slearn.api.meta import thaw
from k8slearn.api.validation.containers import env_var_name_errors
from k8slearn.kubectl.apply import dry_run_mode
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, KubectlError
from k8slearn.kubectl.get import infos_for
from k8slearn.kubectl.set_helper import object_name, pod_spec_of, select_containers, send_patches

_ENVIRONMENT_ARGUMENT = re.compile(r"^(.+)=(.*)$", re.DOTALL)


def split_environment_from_resources(args: list[str]) -> tuple[list[str], list[str], bool]:
    """SplitEnvironmentFromResources: resources, then environment arguments; False if they mix."""
    resources: list[str] = []
    env: list[str] = []
    for arg in args:
        is_env = bool(_ENVIRONMENT_ARGUMENT.match(arg)) or arg.endswith("-")
        if is_env:
            env.append(arg)
        elif env:
            return [], [], False
        else:
            resources.append(arg)
    return resources, env, True


def parse_env(specs: list[str], stdin: str) -> tuple[list[dict], list[str]]:
    """ParseEnv: the variables to set and the names to remove."""
    env: list[dict] = []
    remove: list[str] = []
    exists: set[str] = set()  # only the names given on the command line, as upstream
    for spec in specs:
        if spec == "-":
            env.extend(read_env(stdin))
        elif "=" in spec:
            name, value = spec.split("=", 1)
            errs = env_var_name_errors(name)
            if errs:
                raise KubectlError(f'"{name}" is not a valid key name: {";".join(errs)}')
            exists.add(name)
            env.append({"name": name, "value": value})
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise KubectlError(f"unknown environment variable: {spec}")
    if any(name in exists for name in remove):
        raise KubectlError("can not both modify and remove the same environment variable in the same command")
    return env, remove


def read_env(text: str) -> list[dict]:
    r"""readEnv: one variable per line that has a ``=``; everything from a ``#`` on is cut first.

    Like upstream, nothing is trimmed or checked here (the API server checks the names), and a
    line without ``=`` is skipped without a word:

    >>> read_env("A=1 # the first\n#B=2\njunk\n C = 3\r\n")
    [{'name': 'A', 'value': '1 '}, {'name': ' C ', 'value': ' 3'}]
    """
    env = []
    for line in text.split("\n"):  # bufio.ScanLines: lines end at \n, a trailing \r is dropped
        line = line.removesuffix("\r").split("#", 1)[0]
        if "=" in line:
            name, value = line.split("=", 1)
            env.append({"name": name, "value": value})
    return env


def key_to_env_name(key: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_]", "_", key).upper()


def update_env(existing: list[dict], env: list[dict], remove: list[str]) -> list[dict]:
    """updateEnv: replace in place, append the new ones, drop the removed ones."""
    newer = {e["name"]: e for e in env}
    covered = set(remove)
    out = []
    for e in existing:
        if e["name"] in covered:
            continue
        if e["name"] in newer:
            covered.add(e["name"])
            out.append(newer[e["name"]])
        else:
            out.append(e)
    for e in env:
        if e["name"] not in covered:
            covered.add(e["name"])
            out.append(e)
    return out


def _env_from(ctx: Context, source: str, keys: list[str]) -> list[dict]:
    infos, errors = infos_for(ctx, [source], allow_all=True)
    if errors:
        raise Aggregate(errors)
    env = []
    for info in infos:
        kind, name = info.resource.kind, info.name
        if kind not in ("Secret", "ConfigMap"):
            raise KubectlError("unsupported resource specified in --from")
        ref = "secretKeyRef" if kind == "Secret" else "configMapKeyRef"
        for key in sorted((info.obj or {}).get("data") or {}):
            if not keys or key in keys:
                env_name = key_to_env_name(key)
                if env_name != key:
                    ctx.eprint(f"Warning: key {key} transferred to {env_name}")
                env.append({"name": env_name, "valueFrom": {ref: {"key": key, "name": name}}})
    return env


def _ref_string(source: dict) -> str:
    """GetEnvVarRefString."""
    if "configMapKeyRef" in source:
        return f"configmap {source['configMapKeyRef'].get('name', '')}, key {source['configMapKeyRef'].get('key', '')}"
    if "secretKeyRef" in source:
        return f"secret {source['secretKeyRef'].get('name', '')}, key {source['secretKeyRef'].get('key', '')}"
    if "fieldRef" in source:
        return f"field path {source['fieldRef'].get('fieldPath', '')}"
    if "resourceFieldRef" in source:
        ref = source["resourceFieldRef"]
        prefix = f"{ref['containerName']}/" if ref.get("containerName") else ""
        return f"resource field {prefix}{ref.get('resource', '')}"
    return "invalid valueFrom"


@command("set env")
def run_set_env(ctx: Context, args: list[str]) -> int:
    flags = ctx.flags
    if flags.get("all") and flags.get("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    resources, env_args, ok = split_environment_from_resources(args)
    if not ok:
        raise KubectlError(f"all resources must be specified before environment changes: {' '.join(args)}")
    dry_run_mode(ctx)  # an invalid --dry-run value fails before anything is fetched
    if flags.get("local"):
        raise KubectlError("--local is not available in this simulated cluster")
    if not flags.get("filename") and not resources:
        raise KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if flags.get("list") and flags.get("output"):
        raise KubectlError("--list and --output may not be specified together")
    if flags.get("keys") and not flags.get("from"):
        raise KubectlError("when specifying --keys, a configmap or secret must be provided with --from")
    if flags.get("resolve"):
        raise KubectlError("--resolve is not available in this simulated cluster")
    env, remove = parse_env(list(flags.get("env") or []) + env_args, ctx.stdin)
    if flags.get("from"):
        env += _env_from(ctx, flags["from"], list(flags.get("keys") or []))
    for e in env:
        e["name"] = (flags.get("prefix") or "") + e["name"]
    infos, errors = infos_for(ctx, resources, allow_all=True)
    if errors:
        raise Aggregate(errors)
    selector = flags.get("containers") or "*"
    # CalculatePatches: every object first (container warnings and --list print now) ...
    computed = []
    for info in infos:
        try:
            computed.append((info, _updated(ctx, info, selector, env, remove), None))
        except KubectlError as err:
            computed.append((info, None, KubectlError(f"error: {object_name(info)} {err}\n")))
    if flags.get("list"):
        return 0
    # ... then the patches, in order
    failures = send_patches(ctx, computed, "env updated", "failed to patch env update to pod template: ",
                            lambda info, obj: _containers_patch(pod_spec_of(info.resource.kind, thaw(info.obj)),
                                                                pod_spec_of(info.resource.kind, obj)))
    if failures:
        raise Aggregate(failures)
    return 0


def _updated(ctx: Context, info: object, selector: str, env: list[dict], remove: list[str]) -> dict | None:
    """The object with its selected containers' env changed (None if no container matched); with
    ``--list``, each container's resulting variables are printed."""
    kind, name = info.resource.kind, info.name
    obj = thaw(info.obj)
    containers = select_containers(pod_spec_of(kind, obj), selector)
    if not containers:
        ctx.eprint(f'Warning: {kind}/{name} does not have any containers matching "{selector}"')
        return None
    for c in containers:
        if not ctx.flags.get("overwrite", True):
            for e in env:
                current = next((x for x in c.get("env") or () if x["name"] == e["name"]), None)
                if current is not None and current.get("value", "") != e.get("value", ""):
                    raise KubectlError(f"'{current['name']}' already has a value ({current.get('value', '')}), "
                                       "and --overwrite is false")
        new_env = update_env(c.get("env") or [], env, remove)
        if new_env:
            c["env"] = new_env
        else:
            c.pop("env", None)
        if ctx.flags.get("list"):
            ctx.print(f"# {kind} {name}, container {c['name']}")
            for e in new_env:
                if "valueFrom" in e:
                    ctx.print(f"# {e['name']} from {_ref_string(e['valueFrom'])}")
                else:
                    ctx.print(f"{e['name']}={e.get('value', '')}")
    return obj


def _containers_patch(old: dict, new: dict) -> dict:
    """A strategic merge patch that gives each changed container its new ``env`` list."""
    body: dict = {}
    for field in ("containers", "initContainers"):
        before = {c["name"]: c for c in old.get(field) or ()}
        changed = [{"name": c["name"], "env": [{"$patch": "replace"}, *c["env"]] if c.get("env") else None}
                   for c in new.get(field) or () if c.get("env") != before.get(c["name"], {}).get("env")]
        if changed:
            body[field] = changed
    return body
