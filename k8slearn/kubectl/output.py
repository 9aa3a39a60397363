"""``-o yaml`` and ``-o json``: objects printed byte for byte as kubectl prints them.

kubectl marshals an object to JSON, then sigs.k8s.io/yaml turns the JSON into YAML with
go-yaml v2. So the YAML has every mapping's keys in go-yaml's "natural" order (``a9`` before
``a10``, punctuation before letters), two-space indents, ``- `` items level with their parent
key, ``{}``/``[]`` for empty collections, long plain strings folded at 80 columns, and strings
that would read back as something else (``"true"``, ``"80"``, ``""``, timestamps) in double
quotes. JSON is Go's ``MarshalIndent`` with four spaces, keys sorted, ``<>&`` escaped.

>>> print(to_yaml({"metadata": {"name": "web", "resourceVersion": ""}, "data": {"a10": "1", "a9": "on"},
...                "kind": "ConfigMap", "apiVersion": "v1"}), end="")
apiVersion: v1
data:
  a9: "on"
  a10: "1"
kind: ConfigMap
metadata:
  name: web
  resourceVersion: ""
>>> print(to_json({"kind": "List", "items": []}), end="")
{
    "items": [],
    "kind": "List"
}

Simplified: the emitter is PyYAML's, itself a port of the libyaml emitter go-yaml was ported
from; typed objects printed by ``--dry-run=client -o json`` are sorted like maps.

Upstream: sigs.k8s.io/yaml (JSONToYAML), gopkg.in/yaml.v2 (encode.go, resolve.go, sorter.go,
emitterc.go), k8s.io/cli-runtime/pkg/printers (json.go, yaml.go)
"""

from __future__ import annotations

import functools
import json
import math
import re
from typing import Any

import yaml

from k8slearn.api.meta import FrozenDict, FrozenList

__all__ = ["to_yaml", "to_json", "natural_key"]


def to_yaml(obj: Any) -> str:
    """The object as ``kubectl ... -o yaml`` prints it."""
    return yaml.dump(obj, Dumper=_GoYamlDumper, default_flow_style=False, allow_unicode=True,
                     width=80, indent=2, sort_keys=False)


def to_json(obj: Any) -> str:
    """The object as ``kubectl get ... -o json`` prints it (with the final newline)."""
    text = json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False, separators=(",", ": "))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


# --- go-yaml's key order ----------------------------------------------------------------------

def _less(a: str, b: str) -> bool:
    """yaml.v2 sorter.go keyList.Less for two string keys."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = a[i].isalpha(), b[i].isalpha()
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an, ai = an * 10 + int(a[ai]), ai + 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn, bi = bn * 10 + int(b[bi]), bi + 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


natural_key = functools.cmp_to_key(lambda a, b: -1 if _less(a, b) else (1 if _less(b, a) else 0))


# --- which strings go-yaml quotes ------------------------------------------------------------

_BOOL_OR_NULL = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                 "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
                 "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
                 "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<"}
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_GO_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}"
                        r"([Tt ]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[-+]\d{2}:\d{2})?)?$")


def _resolves_to_non_string(s: str) -> bool:
    """True when yaml.v2's resolve() would read ``s`` unquoted as null, bool, number or time."""
    if s in _BOOL_OR_NULL:
        return True
    if not s or s[0] not in "+-.0123456789":
        return False
    if s[0] == ".":
        return bool(_FLOAT.match(s))
    if _TIMESTAMP.match(s):
        return True
    plain = s.replace("_", "")
    return bool(_GO_INT.match(s) and plain.strip("+-")) or bool(_FLOAT.match(plain)) or bool(_BASE60.match(s))


# --- the dumper --------------------------------------------------------------------------------

class _GoYamlResolver(yaml.resolver.BaseResolver):
    """No implicit types: quoting is decided by _resolves_to_non_string, as go-yaml does."""


class _GoYamlDumper(yaml.emitter.Emitter, yaml.serializer.Serializer,
                    yaml.representer.SafeRepresenter, _GoYamlResolver):
    def __init__(self, stream: Any, **kwargs: Any) -> None:
        yaml.emitter.Emitter.__init__(self, stream, canonical=None, indent=kwargs.get("indent"),
                                      width=kwargs.get("width"), allow_unicode=True, line_break=None)
        yaml.serializer.Serializer.__init__(self, encoding=None, explicit_start=False,
                                            explicit_end=False, version=None, tags=None)
        yaml.representer.SafeRepresenter.__init__(self, default_style=None,
                                                  default_flow_style=False, sort_keys=False)
        _GoYamlResolver.__init__(self)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, value: str) -> Any:
    if "\n" in value:
        style = "|"
    elif _resolves_to_non_string(value):
        style = '"'
    else:
        style = None
    return yaml.ScalarNode("tag:yaml.org,2002:str", value, style=style)


def _represent_dict(dumper: Any, value: dict) -> Any:
    items = sorted(value.items(), key=lambda kv: natural_key(str(kv[0])))
    node = dumper.represent_mapping("tag:yaml.org,2002:map", items)
    node.flow_style = not items
    return node


def _represent_list(dumper: Any, value: list) -> Any:
    node = dumper.represent_sequence("tag:yaml.org,2002:seq", value)
    node.flow_style = not value
    return node


def _represent_plain(text: str) -> Any:
    return yaml.ScalarNode("tag:yaml.org,2002:str", text)


def _represent_float(dumper: Any, value: float) -> Any:
    if math.isnan(value):
        return _represent_plain(".nan")
    if math.isinf(value):
        return _represent_plain(".inf" if value > 0 else "-.inf")
    text = repr(value)
    return _represent_plain(text[:-2] if text.endswith(".0") else text)


_GoYamlDumper.add_representer(str, _represent_str)
_GoYamlDumper.add_representer(dict, _represent_dict)
_GoYamlDumper.add_representer(list, _represent_list)
# the watch cache's read-only objects, which a List of several objects holds as they are
_GoYamlDumper.add_representer(FrozenDict, _represent_dict)
_GoYamlDumper.add_representer(FrozenList, _represent_list)
_GoYamlDumper.add_representer(bool, lambda d, v: _represent_plain("true" if v else "false"))
_GoYamlDumper.add_representer(int, lambda d, v: _represent_plain(str(v)))
_GoYamlDumper.add_representer(float, _represent_float)
_GoYamlDumper.add_representer(type(None), lambda d, v: _represent_plain("null"))
