"""Write ``k8slearn/api/openapi_v1_32.json.gz``: the OpenAPI v3 schemas of the kinds the simulated API
server serves, as a v1.32 kube-apiserver publishes them at ``/openapi/v3``. ``kubectl explain`` reads it.

Two public packages are the source (nothing is fetched at run time):

- ``kubernetes-validate`` 1.37.0 (PyPI, Apache-2.0) ships Kubernetes v1.32's definitions, converted from
  the upstream ``swagger.json``: every type's fields, descriptions, ``required`` lists and
  ``x-kubernetes-group-version-kind``. Its file ``kubernetes-json-schema/v1.32.0-local/_definitions.json``.
- OpenAPI v2 has no enums, but v3 does: a v1.32 server says ``ENUM: Always IfNotPresent Never`` and
  "Possible enum values: ..." for ``imagePullPolicy``. ``kubernetes-models`` 4.5.1 (npm, MIT) was
  generated from the v3 documents (of v1.33), and its ``.d.ts`` files keep each field's description and
  its enum as a TypeScript union. A field gets its enum only where the rest of its description is
  word for word the v1.32 one.

The conversion follows kube-openapi's v3 output: a field that names another type is
``{"description": ..., "allOf": [{"$ref": ...}]}``; ``Quantity`` and ``IntOrString`` are one-of types
without a ``type`` (so explain prints ``<Quantity>`` and ``<IntOrString>``); nullable types become plain.

Run (the wheel from ``pip download --no-deps kubernetes-validate==1.37.0``, the tarball from
``npm pack kubernetes-models@4.5.1``):
``python tools/gen_openapi_schema.py kubernetes_validate-1.37.0-py3-none-any.whl kubernetes-models-4.5.1.tgz``
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

DEFINITIONS = "kubernetes_validate/kubernetes-json-schema/v1.32.0-local/_definitions.json"
REF = "#/components/schemas/"
KINDS = [  # group, version, kind: the kinds the simulated API server serves
    ("", "v1", "Pod"), ("", "v1", "ConfigMap"), ("", "v1", "Endpoints"), ("", "v1", "Event"),
    ("", "v1", "Namespace"), ("", "v1", "Node"), ("", "v1", "Secret"), ("", "v1", "Service"),
    ("", "v1", "ServiceAccount"), ("", "v1", "ComponentStatus"),
    ("apps", "v1", "ControllerRevision"), ("apps", "v1", "DaemonSet"), ("apps", "v1", "Deployment"),
    ("apps", "v1", "ReplicaSet"), ("apps", "v1", "StatefulSet"), ("batch", "v1", "CronJob"),
    ("batch", "v1", "Job"), ("coordination.k8s.io", "v1", "Lease"), ("discovery.k8s.io", "v1", "EndpointSlice"),
    ("policy", "v1", "PodDisruptionBudget"), ("scheduling.k8s.io", "v1", "PriorityClass"),
    ("", "v1", "PersistentVolume"), ("", "v1", "PersistentVolumeClaim"), ("storage.k8s.io", "v1", "StorageClass"),
]
ONE_OF = {"io.k8s.apimachinery.pkg.api.resource.Quantity", "io.k8s.apimachinery.pkg.util.intstr.IntOrString"}


def plain_type(value):
    """``["string", "null"]`` -> ``"string"``."""
    if isinstance(value, list):
        rest = [t for t in value if t != "null"]
        return rest[0] if len(rest) == 1 else rest
    return value


def convert(schema: dict, *, is_property: bool) -> dict:
    out: dict = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str) or key == "enum":  # v2 has no enums: only apiVersion's and
            continue                                                    # kind's, which the converter added
        if key == "type":
            out[key] = plain_type(value)
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = convert(value, is_property=False)
        elif key == "properties":
            out[key] = {name: convert(sub, is_property=True) for name, sub in value.items()}
        elif key == "oneOf":
            out[key] = [convert(sub, is_property=False) for sub in value]
        else:
            out[key] = value
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = REF + ref.rsplit("/", 1)[1]
        if is_property:
            out["allOf"] = [{"$ref": target}]
        else:
            out["$ref"] = target
    return out


def references(schema, found: set[str]) -> None:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value.rsplit("/", 1)[1])
            else:
                references(value, found)
    elif isinstance(schema, list):
        for value in schema:
            references(value, found)


DOC_FIELD = re.compile(r"/\*\*\n((?:\s*\*.*\n)*?)\s*\*/\n\s*\"(\w+)\"\??: ([^;]+);")


def read_enums(tgz: str) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(definition, field) -> (description with its enum paragraph, enum values) from kubernetes-models."""
    enums = {}
    with tarfile.open(tgz) as archive:
        for member in archive.getmembers():
            name = member.name
            if not name.endswith(".d.ts") or "/_schemas/" in name or name.endswith("index.d.ts"):
                continue
            text = archive.extractfile(member).read().decode()
            alias = re.search(r"export \{ I\w+ as I(IoK8s\w+),", text)
            if not alias:
                continue
            interface = text.split("export declare class", 1)[0]
            for doc, field, type_text in DOC_FIELD.findall(interface):
                lines = [re.sub(r"^\s*\* ?", "", line) for line in doc.rstrip("\n").split("\n")]
                description = "\n".join(lines).replace("\\*", "*").replace("*\\/", "*/")
                if "\n\nPossible enum values:\n" not in description:
                    continue
                values = re.findall(r'"((?:[^"\\]|\\.)*)"', type_text)
                enums[(alias.group(1), field)] = (description, values)
    return enums


def model_name(definition: str) -> str:
    """io.k8s.api.core.v1.Container -> IoK8sApiCoreV1Container (kubernetes-models' names)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[.-]", definition))


def main(wheel: str, models_tgz: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        definitions = json.loads(archive.read(DEFINITIONS))["$defs"]
    enums = read_enums(models_tgz)
    roots = []
    for group, version, kind in KINDS:
        roots.append(next(name for name, schema in definitions.items()
                          if {"group": group, "kind": kind, "version": version}
                          in schema.get("x-kubernetes-group-version-kind", [])))
    keep: dict[str, dict] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep[name] = definitions[name]
        found: set[str] = set()
        references(definitions[name], found)
        todo.extend(sorted(found))
    schemas, matched = {}, 0
    for name in sorted(keep):
        schema = convert(keep[name], is_property=False)
        if name in ONE_OF:
            schema.pop("type", None)
            schema["x-kubernetes-int-or-string" if "intstr" in name else "x-kubernetes-quantity"] = True
        for field, sub in schema.get("properties", {}).items():
            found_enum = enums.get((model_name(name), field))
            if not found_enum:
                continue
            description, values = found_enum
            if description.split("\n\nPossible enum values:\n", 1)[0] != sub.get("description"):
                continue
            sub["description"] = description
            (sub["items"] if sub.get("type") == "array" else sub)["enum"] = values
            matched += 1
        schemas[name] = schema
    document = {"roots": roots, "schemas": schemas}
    target = Path(__file__).resolve().parent.parent / "k8slearn" / "api" / "openapi_v1_32.json.gz"
    payload = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    target.write_bytes(gzip.compress(payload, mtime=0))
    print(f"{len(schemas)} schemas, {matched} enums of {len(enums)}, {target.stat().st_size} bytes: {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
