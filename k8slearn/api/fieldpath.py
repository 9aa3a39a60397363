"""Field paths of an object's metadata, as the downward API reads them (``metadata.labels['app']``).

>>> meta = {"name": "web", "labels": {"tier": "front", "app": "web"}}
>>> extract_field_path_as_string(meta, "metadata.labels")
'app="web"\\ntier="front"'
>>> extract_field_path_as_string(meta, "metadata.labels['tier']"), extract_field_path_as_string(meta, "metadata.name")
('front', 'web')
>>> split_maybe_subscripted_path("metadata.annotations['a.b/c']")
('metadata.annotations', 'a.b/c')

Shared by the API server's validation, the kubelet's environment variables and its downwardAPI
volumes, as upstream shares pkg/fieldpath.

Upstream: pkg/fieldpath/fieldpath.go (SplitMaybeSubscriptedPath, ExtractFieldPathAsString, FormatMap)
"""

from __future__ import annotations

import json


def split_maybe_subscripted_path(field_path: str) -> tuple[str, str] | None:
    """SplitMaybeSubscriptedPath: ``metadata.labels['app']`` -> (``metadata.labels``, ``app``), else None."""
    if not field_path.endswith("']"):
        return None
    base, sep, key = field_path[:-2].partition("['")
    return (base, key) if sep else None


def format_map(values: dict) -> str:
    """FormatMap: ``key="value"`` lines in key order, no newline after the last."""
    return "\n".join(f"{key}={json.dumps(values[key], ensure_ascii=False)}" for key in sorted(values))


def extract_field_path_as_string(meta: dict, field_path: str) -> str:
    """ExtractFieldPathAsString for an object's ``metadata``; ValueError with upstream's text for a
    path it does not know."""
    subscripted = split_maybe_subscripted_path(field_path)
    if subscripted is not None:
        base, key = subscripted
        if base in ("metadata.labels", "metadata.annotations"):
            return str((meta.get(base.split(".")[1]) or {}).get(key, ""))
        raise ValueError(f'fieldPath "{field_path}" does not support subscript')
    if field_path in ("metadata.labels", "metadata.annotations"):
        return format_map(meta.get(field_path.split(".")[1]) or {})
    if field_path in ("metadata.name", "metadata.namespace", "metadata.uid"):
        return str(meta.get(field_path.split(".")[1], ""))
    raise ValueError(f"unsupported fieldPath: {field_path}")
