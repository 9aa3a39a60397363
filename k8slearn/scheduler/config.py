"""KubeSchedulerConfiguration: the file ``kube-scheduler --config`` reads, decoded, defaulted, validated.

A configuration lists *profiles*; pods choose one by ``spec.schedulerName``. Each profile starts
from the default plugins (``multiPoint``) and changes them: enable more plugins, disable some
(``"*"`` disables them all), change weights, give plugins arguments (``pluginConfig``):

>>> config = load_config('''
... apiVersion: kubescheduler.config.k8s.io/v1
... kind: KubeSchedulerConfiguration
... profiles:
... - schedulerName: default-scheduler
... - schedulerName: bin-packing
...   plugins:
...     score:
...       disabled: [{name: NodeResourcesBalancedAllocation}]
...   pluginConfig:
...   - name: NodeResourcesFit
...     args: {scoringStrategy: {type: MostAllocated}}
... ''')
>>> [p.scheduler_name for p in config.profiles]
['default-scheduler', 'bin-packing']
>>> config.profiles[1].plugin_config["NodeResourcesFit"]["scoringStrategy"]["type"]
'MostAllocated'

Bad input is refused with kube-scheduler's own words, and nothing changes:

>>> load_config({"apiVersion": "kubescheduler.config.k8s.io/v1", "kind": "KubeSchedulerConfiguration",
...              "percentageOfNodesToScore": 150})
Traceback (most recent call last):
...
k8slearn.scheduler.config.ConfigError: percentageOfNodesToScore: Invalid value: 150: not in valid range [0-100]

Simplified: the client connection, leader election, extenders and feature gates are not
modelled; their fields are accepted and ignored.

Upstream: pkg/scheduler/apis/config/types.go, v1/defaults.go (SetDefaults_KubeSchedulerConfiguration,
mergePlugins), validation/validation.go, pkg/scheduler/profile/profile.go (NewMap)
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import yaml

from k8slearn.api import field
from k8slearn.scheduler.interface import EXTENSION_POINTS
from k8slearn.scheduler.profile import DEFAULT_PLUGINS, DEFAULT_SCHEDULER_NAME, PluginSet, Profile, _factory

API_VERSION = "kubescheduler.config.k8s.io/v1"
KIND = "KubeSchedulerConfiguration"
REMOVED_PLUGINS = ("AzureDiskLimits", "CinderLimits", "EBSLimits", "GCEPDLimits")
TOP_FIELDS = {
    "apiVersion",
    "kind",
    "parallelism",
    "leaderElection",
    "clientConnection",
    "healthzBindAddress",
    "metricsBindAddress",
    "enableProfiling",
    "enableContentionProfiling",
    "percentageOfNodesToScore",
    "podInitialBackoffSeconds",
    "podMaxBackoffSeconds",
    "profiles",
    "extenders",
    "delayCacheUntilActive",
}
PROFILE_FIELDS = {"schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig"}
PLUGIN_SET_FIELDS = {"enabled", "disabled"}
PLUGIN_FIELDS = {"name", "weight"}
PLUGINS_FIELDS = set(EXTENSION_POINTS) | {"multiPoint"}


class ConfigError(ValueError):
    """A configuration kube-scheduler would refuse; ``str()`` is its message."""


class SchedulerConfig(NamedTuple):
    profiles: list
    percentage_of_nodes_to_score: int | None
    pod_initial_backoff_seconds: int = 1
    pod_max_backoff_seconds: int = 10


def _strict(obj: Any, allowed: set, path: str, unknown: list) -> None:
    if isinstance(obj, dict):
        unknown += [f"{path}{k}" for k in obj if k not in allowed]


def _unknown_fields(cfg: dict) -> list:
    unknown: list = []
    _strict(cfg, TOP_FIELDS, "", unknown)
    for i, prof in enumerate(cfg.get("profiles") or []):
        p = f"profiles[{i}]."
        _strict(prof, PROFILE_FIELDS, p, unknown)
        plugins = (prof or {}).get("plugins") or {}
        _strict(plugins, PLUGINS_FIELDS, p + "plugins.", unknown)
        for point, plugin_set in plugins.items() if isinstance(plugins, dict) else ():
            q = f"{p}plugins.{point}."
            _strict(plugin_set, PLUGIN_SET_FIELDS, q, unknown)
            for kind in ("enabled", "disabled"):
                for j, entry in enumerate((plugin_set or {}).get(kind) or []):
                    _strict(entry, PLUGIN_FIELDS, f"{q}{kind}[{j}].", unknown)
    return unknown


def decode(source: str | dict) -> dict:
    """YAML (or a dict) to a configuration dict, checking the type and refusing unknown fields."""
    if isinstance(source, str):
        try:
            cfg = yaml.safe_load(source)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            raise ConfigError(f"yaml: {where}{getattr(err, 'problem', None) or err}") from None
    else:
        cfg = source
    if not isinstance(cfg, dict):
        raise ConfigError(f"couldn't decode as {KIND}: not an object")
    version, kind = cfg.get("apiVersion", ""), cfg.get("kind", "")
    if kind != KIND or version != API_VERSION:
        raise ConfigError(f'no kind "{kind}" is registered for version "{version}"')
    unknown = _unknown_fields(cfg)
    if unknown:
        raise ConfigError("strict decoding error: " + ", ".join(f'unknown field "{u}"' for u in unknown))
    return cfg


def merge_plugin_set(default: PluginSet, custom: dict | None) -> PluginSet:
    """mergePluginSet: defaults minus the disabled ones (all for "*"), custom ones replacing defaults
    of the same name in place, the other custom ones appended."""
    custom = custom or {}
    disabled = [d.get("name", "") for d in custom.get("disabled") or []] + list(default.disabled)
    enabled_custom = [(e.get("name", ""), e.get("weight") or 0) for e in custom.get("enabled") or []]
    custom_index = {name: i for i, (name, _) in enumerate(enabled_custom)}
    replaced: set = set()
    enabled = []
    if "*" not in disabled:
        for name, weight in default.enabled:
            if name in disabled:
                continue
            if name in custom_index:
                replaced.add(custom_index[name])
                name, weight = enabled_custom[custom_index[name]]
            enabled.append((name, weight))
    enabled += [e for i, e in enumerate(enabled_custom) if i not in replaced]
    return PluginSet(enabled, disabled)


def _default_args() -> dict:
    """The arguments the defaulting gives each default plugin when the config names none."""
    return {
        "DefaultPreemption": {"minCandidateNodesPercentage": 10, "minCandidateNodesAbsolute": 100},
        "InterPodAffinity": {"hardPodAffinityWeight": 1},
        "NodeAffinity": {},
        "NodeResourcesBalancedAllocation": {
            "resources": [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
        },
        "NodeResourcesFit": {
            "scoringStrategy": {
                "type": "LeastAllocated",
                "resources": [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}],
            }
        },
        "PodTopologySpread": {"defaultingType": "System"},
    }


def to_profile(prof: dict, registry: dict) -> Profile:
    """One defaulted profile: multiPoint merged with the defaults, explicit points, plugin args."""
    plugins = prof.get("plugins") or {}
    profile = Profile(prof.get("schedulerName") or "", [], prof.get("percentageOfNodesToScore"))
    for name, factory in registry.items():
        profile.extra_registry[name] = _factory(factory)
    multi = merge_plugin_set(PluginSet(DEFAULT_PLUGINS), plugins.get("multiPoint"))
    profile.plugins = list(multi.enabled)
    for point in EXTENSION_POINTS:
        profile.points[point] = merge_plugin_set(PluginSet(), plugins.get(point))
    given = {c.get("name", ""): c.get("args") or {} for c in prof.get("pluginConfig") or []}
    used = {n for n, _ in profile.plugins} | {n for s in profile.points.values() for n, _ in s.enabled}
    profile.plugin_config = {**{n: a for n, a in _default_args().items() if n in used}, **given}
    return profile


def _prefixed(errs: list, prefix: field.Path) -> list:
    return [dataclasses.replace(e, field=f"{prefix}.{e.field}") for e in errs]


def _args_validators() -> dict:
    from k8slearn.scheduler.plugins import (
        default_preemption,
        inter_pod_affinity,
        node_resources_balanced_allocation,
        pod_topology_spread,
    )

    return {
        "DefaultPreemption": default_preemption.validate_args,
        "InterPodAffinity": inter_pod_affinity.validate_args,
        "NodeResourcesBalancedAllocation": node_resources_balanced_allocation.validate_args,
        "PodTopologySpread": pod_topology_spread.validate_args,
    }


def validate(cfg: dict) -> list:
    """ValidateKubeSchedulerConfiguration (plus: weights must not be negative)."""
    errs = []
    if cfg.get("parallelism", 16) <= 0:
        errs.append(
            field.invalid(
                "parallelism", cfg.get("parallelism"), "should be an integer value greater than zero"
            )
        )
    errs += _percentage(field.Path("percentageOfNodesToScore"), cfg.get("percentageOfNodesToScore"))
    seen: dict = {}
    validators = _args_validators()
    for i, prof in enumerate(cfg.get("profiles") or []):
        path = field.Path("profiles").index(i)
        name = prof.get("schedulerName") or ""
        if not name:
            errs.append(field.required(path.child("schedulerName"), ""))
        errs += _percentage(path.child("percentageOfNodesToScore"), prof.get("percentageOfNodesToScore"))
        for point, plugin_set in (prof.get("plugins") or {}).items():
            for j, entry in enumerate((plugin_set or {}).get("enabled") or []):
                entry_path = path.child("plugins", point, "enabled").index(j)
                if entry.get("name") in REMOVED_PLUGINS:
                    errs.append(
                        field.invalid(
                            entry_path,
                            entry["name"],
                            f'was invalid in version "{API_VERSION}" '
                            f'(KubeSchedulerConfiguration is version "{API_VERSION}")',
                        )
                    )
                if (entry.get("weight") or 0) < 0:
                    errs.append(
                        field.invalid(
                            entry_path.child("weight"), entry["weight"], "must be greater than or equal to 0"
                        )
                    )
        configured: set = set()
        for j, pc in enumerate(prof.get("pluginConfig") or []):
            pc_path = path.child("pluginConfig").index(j)
            if pc.get("name") in configured:
                errs.append(field.duplicate(pc_path, pc.get("name")))
            configured.add(pc.get("name"))
            if pc.get("name") in validators:
                errs += _prefixed(validators[pc["name"]](pc.get("args") or {}), pc_path.child("args"))
        if name in seen:
            errs.append(
                field.duplicate(
                    path.child("schedulerName"),
                    field.GoValue(str(field.Path("profiles").index(seen[name]).child("schedulerName"))),
                )
            )
        seen.setdefault(name, i)
    if cfg.get("podInitialBackoffSeconds", 1) <= 0:
        errs.append(
            field.invalid(
                "podInitialBackoffSeconds", cfg["podInitialBackoffSeconds"], "must be greater than 0"
            )
        )
    if cfg.get("podMaxBackoffSeconds", 10) < cfg.get("podInitialBackoffSeconds", 1):
        errs.append(
            field.invalid(
                "podMaxBackoffSeconds",
                cfg["podMaxBackoffSeconds"],
                "must be greater than or equal to PodInitialBackoffSeconds",
            )
        )
    return errs


def _percentage(path: field.Path, value: Any) -> list:
    if value is not None and not 0 <= value <= 100:
        return [field.invalid(path, value, "not in valid range [0-100]")]
    return []


def load_config(source: str | dict, registry: dict | None = None) -> SchedulerConfig:
    """Decode, default and validate a configuration; ``registry`` adds out-of-tree plugins by name."""
    cfg = decode(source)
    profiles = list(cfg.get("profiles") or [{}])
    if len(profiles) == 1 and profiles[0].get("schedulerName") is None:
        profiles = [{**profiles[0], "schedulerName": DEFAULT_SCHEDULER_NAME}]
    cfg = {**cfg, "profiles": profiles}
    errs = validate(cfg)
    if errs:
        raise ConfigError(field.aggregate(errs))
    return SchedulerConfig(
        [to_profile(p, registry or {}) for p in profiles],
        cfg.get("percentageOfNodesToScore"),
        cfg.get("podInitialBackoffSeconds", 1),
        cfg.get("podMaxBackoffSeconds", 10),
    )
