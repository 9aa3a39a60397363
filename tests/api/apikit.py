"""Helpers shared by the api tests: fixture manifests, defaulted like the API server does."""

import copy
from pathlib import Path

import yaml

from k8slearn.api.defaults import apply_defaults, generate_job_selector

MANIFESTS = Path(__file__).parent.parent / "fixtures" / "manifests"


def manifest(name: str) -> dict:
    return yaml.safe_load((MANIFESTS / name).read_text())


def prepared(obj: dict) -> dict:
    """Defaults plus the registry strategy bits validation relies on (uid, the Job selector)."""
    obj = copy.deepcopy(obj)
    apply_defaults(obj)
    obj.setdefault("metadata", {}).setdefault("uid", "11111111-2222-4333-8444-555555555555")
    if obj.get("kind") == "Job":
        generate_job_selector(obj)
    return obj

