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

``create configmap`` and ``create secret generic`` gather keys from ``--from-file`` (a file, ``key=file``
or a directory: one key per regular file), ``--from-literal`` (``key=value``) and ``--from-env-file``
(``KEY=value`` lines; a bare ``KEY`` reads kubectl's environment), with kubectl's key checks and
duplicate-key messages. A ConfigMap keeps non-UTF-8 file content in ``binaryData``; a Secret stores
every value base64-encoded. ``--append-hash`` appends the same content hash kubectl computes.

Simplified: kubectl's environment is this Python process's (``os.environ``); an env-file line longer
than bufio.Scanner's 64 KiB limit, which silently ends the file in kubectl, is read whole here.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/create/create_deployment.go, create_namespace.go,
create_configmap.go, create_secret.go, create_service.go, create_job.go, create_cronjob.go,
create_serviceaccount.go, create_priorityclass.go, create_pdb.go; pkg/util/util.go (ParseFileSource,
ParseLiteralSource), pkg/cmd/util/env_file.go (AddFromEnvFile), pkg/util/hash/hash.go
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from typing import Any

from k8slearn.kubectl.apply import _without_nulls, dry_run_mode, print_result, run_create_files
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError, errno_text, usage_error
from k8slearn.kubectl.raw import run_raw_create

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


def _send(ctx: Context, obj: dict) -> tuple[Any, dict]:
    """Create the generated object (or, with ``--dry-run=client``, keep it): ``(resource, object)``.
    With an explicit ``-n`` (EnforceNamespace) the object carries its namespace even in a client
    dry run, as every namespaced generator sets it."""
    from k8slearn.api.resources import by_kind

    resource = by_kind(obj["apiVersion"], obj["kind"])
    mode = dry_run_mode(ctx)
    if resource.namespaced and (mode != "client" or ctx.explicit_namespace):
        obj["metadata"]["namespace"] = ctx.namespace
    created = obj if mode == "client" else ctx.client.create(
        _without_nulls(obj), namespace=ctx.namespace if resource.namespaced else None, dry_run=(mode == "server"))
    return resource, created


def save_config(ctx: Context, obj: dict) -> dict:
    """util.CreateOrUpdateAnnotation on a Go struct (``--save-config``): the last-applied annotation
    is the object as scheme.DefaultJSONEncoder writes it: compact, the struct's field order
    (``{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":...``), empty annotations
    left out."""
    import copy

    from k8slearn.kubectl.apply import LAST_APPLIED
    from k8slearn.kubectl.output import go_struct_order

    if not ctx.flags.get("save-config"):
        return obj
    clone = copy.deepcopy(obj)
    meta = clone.setdefault("metadata", {})
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items() if k != LAST_APPLIED}
    if annotations:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    text = json.dumps(go_struct_order(clone, clone.get("kind")), separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    result = copy.deepcopy(obj)
    result.setdefault("metadata", {})["annotations"] = {**annotations, LAST_APPLIED: text + "\n"}
    return result


def _create(ctx: Context, obj: dict, operation: str = "created") -> int:
    """Create and print one object of ``kubectl create <kind>``: an explicit ``-n`` is set in it,
    then ``--save-config`` annotates it (in a client dry run too). kubectl holds it as a Go struct
    (its typed client reads the server's answer into one too), so ``-o json`` keeps the struct's
    field order."""
    from k8slearn.api.resources import by_kind

    if by_kind(obj["apiVersion"], obj["kind"]).namespaced and ctx.explicit_namespace:
        obj["metadata"]["namespace"] = ctx.namespace
    resource, created = _send(ctx, save_config(ctx, obj))
    print_result(ctx, resource, created, operation, typed=True)
    return 0


@command("create")
def run_create(ctx: Context, args: list[str]) -> int:
    if args:
        raise usage_error(ctx.path, f"Unexpected args: [{' '.join(args)}]")
    if ctx.flags.get("kustomize"):
        raise KubectlError("kustomize (-k) is not available in this simulated cluster")
    if not ctx.flags["filename"]:
        raise KubectlError("must specify one of -f and -k")
    if ctx.flags["raw"]:
        return run_raw_create(ctx)
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


# --- create configmap / create secret generic --------------------------------------------------
# create_configmap.go, create_secret.go: keys come from --from-file (a file, key=file, or a directory),
# --from-literal (key=value) and --from-env-file (KEY=value lines, cmd/util/env_file.go). ConfigMaps
# read files first, then literals, then env files; Secrets read literals first, then files.


def _string_slice(values: list[str] | None) -> list[str]:
    """pflag StringSlice (``--from-file``, ``--from-env-file``): each value is one CSV record."""
    items: list[str] = []
    for value in values or []:
        if value:
            items += next(csv.reader([value]), [])
    return items


def _stat(path: str) -> os.stat_result:
    """os.Stat, its failure as the generators print it: ``error reading <path>: <errno text>``."""
    try:
        return os.stat(path)
    except OSError as err:
        raise KubectlError(f"error reading {path}: {errno_text(err)}") from None


def _read_bytes(path: str) -> bytes:
    """os.ReadFile; a failure is the bare *PathError: ``open <path>: permission denied``."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as err:
        raise KubectlError(f"open {path}: {errno_text(err)}") from None


def _go_path_base(source: str) -> str:
    """path.Base: the last element, trailing slashes dropped ("" -> ".", "///" -> "/")."""
    if not source:
        return "."
    trimmed = source.rstrip("/")
    return trimmed.rsplit("/", 1)[-1] if trimmed else "/"


def _parse_file_source(source: str) -> tuple[str, str]:
    """util.ParseFileSource: ``path`` (the key is its base name) or ``key=path``."""
    separators = source.count("=")
    if separators == 0:
        return _go_path_base(source), source
    if separators == 1 and source.startswith("="):
        raise KubectlError(f"key name for file path {source[1:]} missing")
    if separators == 1 and source.endswith("="):
        raise KubectlError(f"file path for key name {source[:-1]} missing")
    if separators > 1:
        raise KubectlError("key names or file paths cannot contain '='")
    key, _, path = source.partition("=")
    return key, path


def _parse_literal_source(source: str) -> tuple[str, str]:
    """util.ParseLiteralSource: ``key=value``, split at the first ``=`` (the value may hold more)."""
    key, eq, value = source.partition("=")
    if not eq or not key:
        raise KubectlError(f"invalid literal source {source}, expected key=value")
    return key, value


# unicode.IsSpace: Latin-1 \t \n \v \f \r, space, U+0085, U+00A0, then the White_Space property
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))


def _env_file_pairs(path: str) -> Iterator[tuple[str, str]]:
    """cmdutil.AddFromEnvFile: one ``KEY=value`` per line (bufio.Scanner lines, a trailing ``\\r``
    dropped); a UTF-8 BOM only on the first line; leading blanks skipped; blank lines and ``#``
    comments ignored; the value is everything after the first ``=``, untrimmed; a ``KEY`` with no
    ``=`` takes its value from kubectl's environment (empty when unset)."""
    from k8slearn.api.field import go_quote
    from k8slearn.api.validation.env import env_var_name_errors

    content = _read_bytes(path)
    lines = content.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines):
        line = raw[:-1] if raw.endswith(b"\r") else raw
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            shown = " ".join(str(b) for b in line)
            raise KubectlError(f"env file {path} contains invalid utf8 bytes at line {number + 1}: [{shown}]") from None
        if number == 0 and text.startswith("\ufeff"):
            text = text[1:]
        text = text.lstrip(_GO_SPACE)
        if not text or text.startswith("#"):
            continue
        key, eq, value = text.partition("=")
        errs = env_var_name_errors(key)
        if errs:
            raise KubectlError(f"{go_quote(key)} is not a valid key name: {';'.join(errs)}")
        yield key, (value if eq else os.environ.get(key, ""))


def _add_file_sources(sources: list[str], add_file: Callable[[str, str], None]) -> None:
    """--from-file: a file (key: its base name or the given one), or a directory: one key per
    regular file in it, in name order (subdirectories, symlinks, devices and pipes skipped)."""
    for source in sources:
        key, path = _parse_file_source(source)
        if stat.S_ISDIR(_stat(path).st_mode):
            if "=" in source:
                raise KubectlError("cannot give a key name for a directory path")
            try:
                entries = sorted(os.scandir(path), key=lambda e: os.fsencode(e.name))
            except OSError as err:
                raise KubectlError(f"error listing files in {path}: open {path}: {errno_text(err)}") from None
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    add_file(entry.name, os.path.join(path, entry.name))
        else:
            add_file(key, path)


def _add_env_file_sources(sources: list[str], what: str, add: Callable[[str, str], None]) -> None:
    for source in sources:
        if stat.S_ISDIR(_stat(source).st_mode):
            raise KubectlError(f"env {what} file cannot be a directory")
        for key, value in _env_file_pairs(source):
            add(key, value)


def _check_sources(ctx: Context) -> tuple[list[str], list[str], list[str]]:
    """Validate(): env files stand alone."""
    files, literals = _string_slice(ctx.flags.get("from-file")), list(ctx.flags.get("from-literal") or [])
    env_files = _string_slice(ctx.flags.get("from-env-file"))
    if env_files and (files or literals):
        raise KubectlError("from-env-file cannot be combined with from-file or from-literal")
    return files, literals, env_files


class _ConfigMapData:
    """createConfigMap: UTF-8 content goes to ``data``, anything else to ``binaryData``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.data: dict[str, str] = {}
        self.binary: dict[str, bytes] = {}

    def _validate(self, key: str) -> None:
        """validateNewConfigMap."""
        from k8slearn.api.field import go_quote
        from k8slearn.api.names import is_config_map_key

        errs = is_config_map_key(key)
        if errs:
            raise KubectlError(f"{go_quote(key)} is not a valid key name for a ConfigMap: {','.join(errs)}")
        for field_name, existing in (("Data", self.data), ("BinaryData", self.binary)):
            if key in existing:
                raise KubectlError(f"cannot add key {go_quote(key)}, another key by that name already exists in "
                                   f"{field_name} for ConfigMap {go_quote(self.name)}")

    def add(self, key: str, value: str) -> None:
        self._validate(key)
        self.data[key] = value

    def add_file(self, key: str, path: str) -> None:
        content = _read_bytes(path)
        try:
            self.add(key, content.decode("utf-8"))
        except UnicodeDecodeError:
            self._validate(key)
            self.binary[key] = content


class _SecretData:
    """createSecret: every value is bytes (base64 in the manifest)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def add(self, key: str, value: bytes) -> None:
        """addKeyFromLiteralToSecret."""
        from k8slearn.api.field import go_quote
        from k8slearn.api.names import is_config_map_key

        errs = is_config_map_key(key)
        if errs:
            raise KubectlError(f"{go_quote(key)} is not valid key name for a Secret {';'.join(errs)}")
        if key in self.data:
            raise KubectlError(f"cannot add key {key}, another key by that name already exists")
        self.data[key] = value

    def add_text(self, key: str, value: str) -> None:
        self.add(key, value.encode("utf-8", "surrogateescape"))

    def add_file(self, key: str, path: str) -> None:
        self.add(key, _read_bytes(path))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _go_json(value: Any) -> str:
    """encoding/json.Marshal: sorted map keys, no spaces, HTML characters and U+2028/9 escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _encode_hash(encoded: str) -> str:
    """hash.encodeHash: the first 10 hex digits of the SHA-256, vowel-like digits swapped out."""
    digest = hashlib.sha256(encoded.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return digest.translate(str.maketrans("013ae", "ghkmt"))


def config_map_hash(name: str, data: dict[str, str], binary_data: dict[str, bytes]) -> str:
    """hash.ConfigMapHash (--append-hash): kind, name, data and (when not empty) binaryData.

    >>> config_map_hash("", {}, {}), config_map_hash("", {"two": "2", "one": "", "three": "3"}, {})
    ('42745tchd9', 'f5h7t85m9b')
    """
    encoded: dict[str, Any] = {"kind": "ConfigMap", "name": name, "data": data}
    if binary_data:
        encoded["binaryData"] = {k: _b64(v) for k, v in binary_data.items()}
    return _encode_hash(_go_json(encoded))


def secret_hash(name: str, secret_type: str, data: dict[str, bytes]) -> str:
    """hash.SecretHash (--append-hash): kind, name, type and data.

    >>> secret_hash("", "my-type", {}), secret_hash("", "my-type", {"two": b"2", "one": b"", "three": b"3"})
    ('t75bgf6ctb', 'dgcb6h9tmk')
    """
    encoded = {"kind": "Secret", "type": secret_type, "name": name, "data": {k: _b64(v) for k, v in data.items()}}
    return _encode_hash(_go_json(encoded))


@command("create configmap")
def create_configmap(ctx: Context, args: list[str]) -> int:
    name = _one_name(ctx, args)
    files, literals, env_files = _check_sources(ctx)
    cm = _ConfigMapData(name)
    _add_file_sources(files, cm.add_file)
    for source in literals:
        cm.add(*_parse_literal_source(source))
    _add_env_file_sources(env_files, "config", cm.add)
    if ctx.flags.get("append-hash"):
        name = f"{name}-{config_map_hash(name, cm.data, cm.binary)}"
    obj: dict = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(name)}
    if cm.binary:
        obj["binaryData"] = {k: _b64(v) for k, v in cm.binary.items()}
    if cm.data:
        obj["data"] = cm.data
    return _create_or_fail(ctx, obj, "configmap")


@command("create secret generic")
def create_secret_generic(ctx: Context, args: list[str]) -> int:
    name = _one_name(ctx, args)
    files, literals, env_files = _check_sources(ctx)
    secret = _SecretData()
    for source in literals:
        secret.add_text(*_parse_literal_source(source))
    _add_file_sources(files, secret.add_file)
    _add_env_file_sources(env_files, "secret", secret.add_text)
    secret_type = ctx.flags.get("type") or ""
    if ctx.flags.get("append-hash"):
        name = f"{name}-{secret_hash(name, secret_type, secret.data)}"
    obj: dict = {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name)}
    if secret.data:
        obj["data"] = {k: _b64(v) for k, v in secret.data.items()}
    if secret_type:
        obj["type"] = secret_type
    return _create_or_fail(ctx, obj, "secret", " ")


@command("create secret docker-registry")
def create_secret_docker_registry(ctx: Context, args: list[str]) -> int:
    """A ``kubernetes.io/dockerconfigjson`` Secret: the registry's credentials as Docker's
    config.json (``auth`` is base64 of ``user:password``), or the given files as they are."""
    import json

    name = _one_name(ctx, args)
    files = _string_slice(ctx.flags.get("from-file"))
    user, password, server = (ctx.flags["docker-username"], ctx.flags["docker-password"],
                              ctx.flags["docker-server"])
    if not files and not (user and password and server):
        raise KubectlError("either --from-file or the combination of --docker-username, --docker-password and "
                           "--docker-server is required")
    secret = _SecretData()
    if files:
        _add_file_sources(files, secret.add_file)
    else:
        entry = {"username": user, "password": password}
        if ctx.flags["docker-email"]:
            entry["email"] = ctx.flags["docker-email"]
        entry["auth"] = _b64(f"{user}:{password}".encode())
        config = json.dumps({"auths": {server: entry}}, separators=(",", ":"), ensure_ascii=False)
        secret.add(".dockerconfigjson", config.encode())
    if ctx.flags.get("append-hash"):
        name = f"{name}-{secret_hash(name, 'kubernetes.io/dockerconfigjson', secret.data)}"
    obj: dict = {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name),
                 "data": {k: _b64(v) for k, v in secret.data.items()}, "type": "kubernetes.io/dockerconfigjson"}
    return _create_or_fail(ctx, obj, "secret", " ")


@command("create secret tls")
def create_secret_tls(ctx: Context, args: list[str]) -> int:
    """A ``kubernetes.io/tls`` Secret holding a PEM certificate (``tls.crt``) and its key
    (``tls.key``). Simplified: the PEM blocks are checked as Go's tls.X509KeyPair checks them, but
    not that the key belongs to the certificate."""
    name = _one_name(ctx, args)
    cert_path, key_path = ctx.flags["cert"], ctx.flags["key"]
    if not cert_path or not key_path:
        raise KubectlError("key and cert must be specified")
    cert, key = _read_tls_file(cert_path), _read_tls_file(key_path)
    problem = _pem_pair_problem(cert, key)
    if problem:
        raise KubectlError(problem)
    data = {"tls.crt": cert, "tls.key": key}
    if ctx.flags.get("append-hash"):
        name = f"{name}-{secret_hash(name, 'kubernetes.io/tls', data)}"
    obj: dict = {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name),
                 "data": {k: _b64(v) for k, v in data.items()}, "type": "kubernetes.io/tls"}
    return _create_or_fail(ctx, obj, "secret", " ")


def _read_tls_file(path: str) -> bytes:
    """os.ReadFile, its error wrapped as createSecretTLS wraps it: ``Cannot read file PATH, open PATH: ...``."""
    try:
        return _read_bytes(path)
    except KubectlError as err:
        raise KubectlError(f"Cannot read file {path}, {err}") from None


def _pem_types(data: bytes) -> list[str]:
    import re

    return re.findall(rb"-----BEGIN ([A-Z0-9 ]+)-----", data)


def _pem_pair_problem(cert: bytes, key: bytes) -> str:
    """tls.X509KeyPair's PEM checks: a CERTIFICATE block in the first input, a PRIVATE KEY block in the
    second, and its hint when the two were switched."""
    cert_types = _pem_types(cert)
    if b"CERTIFICATE" not in cert_types:
        if not cert_types:
            return "tls: failed to find any PEM data in certificate input"
        if any(t.endswith(b"PRIVATE KEY") for t in cert_types):
            return ("tls: failed to find certificate PEM data in certificate input, but did find a private key; "
                    "PEM inputs may have been switched")
        return f'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the ' \
               f'following types: [{" ".join(t.decode() for t in cert_types)}]'
    key_types = _pem_types(key)
    if not any(t == b"PRIVATE KEY" or t.endswith(b" PRIVATE KEY") for t in key_types):
        if not key_types:
            return "tls: failed to find any PEM data in key input"
        if b"CERTIFICATE" in key_types:
            return "tls: found a certificate rather than a key in the PEM for the private key"
        return f'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM ' \
               f'blocks of the following types: [{" ".join(t.decode() for t in key_types)}]'
    return ""


def _parse_service_port(text: str) -> int:
    """utilsnet.ParsePort(allowZero): strconv.ParseUint(text, 10, 16), its error as Go words it."""
    from k8slearn.api.field import go_quote

    if not text.isascii() or not text.isdigit():
        raise KubectlError(f"strconv.ParseUint: parsing {go_quote(text)}: invalid syntax")
    if int(text) > 65535:
        raise KubectlError(f"strconv.ParseUint: parsing {go_quote(text)}: value out of range")
    return int(text)


def _parse_ports(spec: str) -> tuple[int, Any]:
    """create_service.go parsePorts: ``port[:targetPort]`` (a third part is ignored); the target is
    a port number (1-65535) or a port name."""
    import re

    from k8slearn.api.names import is_valid_port_name, is_valid_port_num

    parts = spec.split(":")
    port = _parse_service_port(parts[0])
    if len(parts) == 1:
        return port, port
    target = parts[1]
    if re.fullmatch(r"[+-]?[0-9]+", target) and -(1 << 63) <= int(target) < (1 << 63):  # strconv.Atoi
        errs = is_valid_port_num(int(target))
        if errs:
            raise KubectlError(",".join(errs))
        return port, int(target)
    errs = is_valid_port_name(target)
    if errs:
        raise KubectlError(",".join(errs))
    return port, target


def _service(ctx: Context, args: list[str], kind: str) -> int:
    """create_service.go: Validate, then createService. Each ``--tcp`` is a port named after the
    flag's value (``80``, ``443-8443``), protocol TCP; the label and selector are ``app=<name>``."""
    from k8slearn.api.names import is_dns1123_subdomain

    name = _one_name(ctx, args)
    tcp = ctx.flags.get("tcp") or []
    cluster_ip = ctx.flags.get("clusterip") or ""
    external = ctx.flags.get("external-name") or ""
    if cluster_ip != "None" and not tcp and kind != "ExternalName":
        raise KubectlError("at least one tcp port specifier must be provided")
    if kind == "ExternalName" and is_dns1123_subdomain(external):
        raise KubectlError(f"invalid service external name {external}")
    ports = []
    for item in tcp:
        port, target = _parse_ports(item)
        entry: dict = {"name": item.replace(":", "-"), "protocol": "TCP", "port": port, "targetPort": target}
        if ctx.flags.get("node-port"):
            entry["nodePort"] = ctx.flags["node-port"]
        ports.append(entry)
    spec: dict = {}
    if ports:
        spec["ports"] = ports
    spec["selector"] = {"app": name}
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    spec["type"] = kind
    if external:
        spec["externalName"] = external
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


@command("create service externalname", required=("external-name",))
def create_service_externalname(ctx: Context, args: list[str]) -> int:
    return _service(ctx, args, "ExternalName")


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
