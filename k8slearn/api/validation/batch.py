"""batch/v1 validation: Job and CronJob.

A Job's pods must not restart ``Always`` (they are meant to finish), its selector is generated
from its uid, and after creation its template and selector are frozen.

>>> job = {"kind": "Job", "metadata": {"name": "j"},
...        "spec": {"template": {"spec": {"restartPolicy": "Always"}}}}
>>> [e.error() for e in validate_job(job) if "restartPolicy" in e.field]
['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']

A CronJob's ``schedule`` must parse with robfig/cron's standard parser (``k8slearn.api.cron``);
a new schedule may not carry ``TZ=``/``CRON_TZ=`` (the ``timeZone`` field says it instead):

>>> errs = validate_schedule_format("TZ=UTC 0 * * * *", False, None, SPEC.child("schedule"))
>>> errs[0].field, errs[0].detail
('spec.schedule', 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')
>>> [e.error() for e in validate_time_zone("Mars/Olympus", SPEC.child("timeZone"))]
['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']

A pod failure policy's rules are checked one by one: an action from the list (``FailIndex`` only
with ``backoffLimitPerIndex``), exactly one of ``onExitCodes``/``onPodConditions``, exit codes
non-empty, sorted, unique and never 0 for ``In``:

>>> spec = {"podFailurePolicy": {"rules": [
...     {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [3, 0, 3]}}]}}
>>> for e in _pod_failure_policy(spec, SPEC.child("podFailurePolicy")): print(e)
spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator
spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3
spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 0, 3}: must be ordered

A success policy, ``backoffLimitPerIndex`` and ``maxFailedIndexes`` need the Indexed completion
mode, and a success policy's indexes must lie below ``completions``:

>>> spec = {"completionMode": "Indexed", "completions": 3, "successPolicy": {"rules": [{"succeededIndexes": "0-4"}]}}
>>> [e.error() for e in _success_policy(spec, SPEC.child("successPolicy"))]
['spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-4": error parsing succeededIndexes: too large index: "4"']

After creation an Indexed Job may change ``completions`` together with ``parallelism`` (elastic
Indexed Jobs, GA in v1.31), and a suspended Job that never started may change its pod template's
scheduling directives (node affinity, nodeSelector, tolerations, scheduling gates, labels and
annotations); anything else in the template is frozen. An update runs the create checks first and
then the update checks, which check the spec again: kube-apiserver lists a spec error twice.

Simplifies: a frozen template is reported with a placeholder instead of Go's full struct dump;
a bad value Go prints as a struct with pointer fields (``successPolicy`` on a NonIndexed Job, a
changed pod failure or success policy) shows made-up pointer addresses (the real ones differ on
every request); an Indexed Job with a success policy but no ``completions`` gets only the
"Required value" error (upstream's validation dereferences the missing count and the request
fails with an internal error). Job status rules are in ``batch_status``.

Upstream: pkg/apis/batch/validation/validation.go (v1.32: validateJobSpec, validatePodFailurePolicy,
validateSuccessPolicy, validateCompletions, validatePodTemplateUpdate),
pkg/registry/batch/job/strategy.go (validationOptionsForJob), github.com/robfig/cron/v3 parser.go
"""

from __future__ import annotations

import copy
import re
from typing import Any

from k8slearn.api import field
from k8slearn.api.cron import CronError, cron_error, load_location
from k8slearn.api.field import OMIT, FieldError, GoValue, Path, go_quote, go_string_map
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    name_is_dns_subdomain,
    regex_error,
)
from k8slearn.api.validation.batch_status import validate_indexes_format
from k8slearn.api.validation.common import (
    FIELD_IMMUTABLE,
    as_dict,
    as_list,
    go_label_selector,
    nonnegative,
    validate_immutable,
    validate_label_selector,
    validate_object_meta,
    validate_object_meta_update,
)
from k8slearn.api.validation.pod import validate_pod_template_spec

SPEC = Path("spec")
UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")
NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")

# The limits at the top of upstream's validation.go.
MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000
MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000
COMPLETIONS_SOFT_LIMIT = 100_000
PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000
MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10_000
MAX_POD_FAILURE_POLICY_RULES = 20
MAX_ON_EXIT_CODES_VALUES = 255
MAX_ON_POD_CONDITIONS_PATTERNS = 20
MAX_MANAGED_BY_LENGTH = 63
MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024
MAX_SUCCESS_POLICY_RULES = 20
# sets.List of upstream's sets: sorted.
POD_FAILURE_POLICY_ACTIONS = ("Count", "FailIndex", "FailJob", "Ignore")
ON_EXIT_CODES_OPERATORS = ("In", "NotIn")
ON_POD_CONDITIONS_STATUSES = ("False", "True", "Unknown")
HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"
_HTTP_PATH = re.compile(HTTP_PATH_FMT)


def _has_label(template: dict, key: str, expected: str) -> list[FieldError]:
    labels = as_dict(as_dict(template.get("metadata")).get("labels"))
    path = SPEC.child("template", "metadata", "labels").key(key)
    if key not in labels:
        return [field.required(path, f"must be '{expected}'")]
    if labels[key] != expected:
        return [field.invalid(path, go_string_map(labels), f"must be '{expected}'")]
    return []


def _generated_selector(job: dict) -> list[FieldError]:
    """validateGeneratedSelector: the template carries the uid/name labels the selector picks."""
    spec, meta = as_dict(job.get("spec")), as_dict(job.get("metadata"))
    if spec.get("manualSelector") or spec.get("selector") is None:
        return []
    errs = []
    uid, name = meta.get("uid") or "", meta.get("name") or ""
    if not uid:
        errs.append(field.required(Path("metadata.uid")))
    template = as_dict(spec.get("template"))
    for key, expected in ((UID_LABELS[0], uid), (NAME_LABELS[0], name), (UID_LABELS[1], uid),
                          (NAME_LABELS[1], name)):
        errs += _has_label(template, key, expected)
    expected_labels = {UID_LABELS[0]: uid, NAME_LABELS[0]: name, UID_LABELS[1]: uid, NAME_LABELS[1]: name}
    try:
        if not selector_from_label_selector(spec["selector"]).matches(expected_labels):
            errs.append(field.invalid(SPEC.child("selector"), go_label_selector(spec["selector"]),
                                      "`selector` not auto-generated"))
    except ValueError:
        pass
    return errs


def _int(value: Any) -> int | None:
    """An int32 field's value, None when unset (or of a type decoding would have refused)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _go_quoted_list(values: tuple[str, ...]) -> str:
    """``fmt.Sprintf("%q", []string{...})``: ``["a" "b"]``."""
    return "[" + " ".join(go_quote(v) for v in values) + "]"


def _go_int32_slice(values: Any) -> GoValue:
    """%#v of a []int32: ``[]int32{1, 2}``, nil shown as ``[]int32(nil)``."""
    if values is None:
        return GoValue("[]int32(nil)")
    return GoValue("[]int32{" + ", ".join(str(v) for v in as_list(values)) + "}")


def _go_pointer(type_name: str, value: Any, n: int) -> str:
    """%#v of a pointer field inside a struct: the address (made up here: it changes per request)."""
    if value is None:
        return f"(*{type_name})(nil)"
    return f"(*{type_name})(0xc0000{0x12a40 + 8 * n:05x})"


def _go_pod_failure_policy(policy: Any) -> Any:
    """%#v of a batch.PodFailurePolicy (the bad value when an update changes it); None stays None."""
    if policy is None:
        return None
    rules = as_dict(policy).get("rules")
    if rules is None:
        return GoValue("batch.PodFailurePolicy{Rules:[]batch.PodFailurePolicyRule(nil)}")
    items = []
    for i, rule in enumerate(map(as_dict, as_list(rules))):
        patterns = rule.get("onPodConditions")
        if patterns is None:
            conds = "[]batch.PodFailurePolicyOnPodConditionsPattern(nil)"
        else:
            conds = "[]batch.PodFailurePolicyOnPodConditionsPattern{" + ", ".join(
                f"batch.PodFailurePolicyOnPodConditionsPattern{{Type:{go_quote(str(p.get('type') or ''))}, "
                f"Status:{go_quote(str(p.get('status') or ''))}}}" for p in map(as_dict, as_list(patterns))) + "}"
        exit_codes = _go_pointer("batch.PodFailurePolicyOnExitCodesRequirement", rule.get("onExitCodes"), i)
        items.append(f"batch.PodFailurePolicyRule{{Action:{go_quote(str(rule.get('action') or ''))}, "
                     f"OnExitCodes:{exit_codes}, OnPodConditions:{conds}}}")
    return GoValue("batch.PodFailurePolicy{Rules:[]batch.PodFailurePolicyRule{" + ", ".join(items) + "}}")


def _go_success_policy(policy: dict) -> GoValue:
    """%#v of a batch.SuccessPolicy (the bad value of a success policy on a NonIndexed Job)."""
    rules = policy.get("rules")
    if rules is None:
        return GoValue("batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule(nil)}")
    items = []
    for i, rule in enumerate(map(as_dict, as_list(rules))):
        items.append("batch.SuccessPolicyRule{"
                     f"SucceededIndexes:{_go_pointer('string', rule.get('succeededIndexes'), 2 * i)}, "
                     f"SucceededCount:{_go_pointer('int32', rule.get('succeededCount'), 2 * i + 1)}}}")
    return GoValue("batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{" + ", ".join(items) + "}}")


def is_domain_prefixed_path(path: Path, value: str) -> list[FieldError]:
    """IsDomainPrefixedPath: ``acme.io/foo``, a DNS subdomain, a slash and an HTTP path."""
    if not value:
        return [field.required(path)]
    host, slash, rest = value.partition("/")
    if not slash or not host or not rest:
        return [field.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errs = [field.invalid(path, host, m) for m in is_dns1123_subdomain(host)]
    if not _HTTP_PATH.fullmatch(rest):
        errs.append(field.invalid(path, rest, regex_error("Invalid path", HTTP_PATH_FMT)))
    return errs


def _indexed_limits(spec: dict, path: Path) -> list[FieldError]:
    """The Indexed completion mode's rules: completions set, parallelism and maxFailedIndexes capped."""
    errs = []
    completions, parallelism = _int(spec.get("completions")), _int(spec.get("parallelism"))
    max_failed = _int(spec.get("maxFailedIndexes"))
    if spec.get("completions") is None:
        errs.append(field.required(path.child("completions"), "when completion mode is Indexed"))
    if parallelism is not None and parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB:
        errs.append(field.invalid(path.child("parallelism"), parallelism,
                                  f"must be less than or equal to {MAX_PARALLELISM_FOR_INDEXED_JOB} "
                                  "when completion mode is Indexed"))
    if completions is not None and max_failed is not None and max_failed > completions:
        errs.append(field.invalid(path.child("maxFailedIndexes"), max_failed,
                                  "must be less than or equal to completions"))
    if max_failed is not None and max_failed > MAX_FAILED_INDEXES_FOR_INDEXED_JOB:
        errs.append(field.invalid(path.child("maxFailedIndexes"), max_failed,
                                  f"must be less than or equal to {MAX_FAILED_INDEXES_FOR_INDEXED_JOB}"))
    if (completions is not None and completions > COMPLETIONS_SOFT_LIMIT
            and spec.get("backoffLimitPerIndex") is not None):
        high = (f"when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per "
                "index")
        if spec.get("maxFailedIndexes") is None:
            errs.append(field.required(path.child("maxFailedIndexes"),
                                       f"must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"))
        if parallelism is not None and parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS:
            errs.append(field.invalid(path.child("parallelism"), parallelism,
                                      f"must be less than or equal to {PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} "
                                      + high))
        if max_failed is not None and max_failed > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS:
            errs.append(field.invalid(path.child("maxFailedIndexes"), max_failed,
                                      "must be less than or equal to "
                                      f"{MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} " + high))
    return errs


def _on_exit_codes(req: dict, path: Path, container_names: list) -> list[FieldError]:
    """validatePodFailurePolicyRuleOnExitCodes."""
    errs = []
    operator = req.get("operator") or ""
    if not operator:
        errs.append(field.required(path.child("operator"),
                                   f"valid values: {_go_quoted_list(ON_EXIT_CODES_OPERATORS)}"))
    elif operator not in ON_EXIT_CODES_OPERATORS:
        errs.append(field.not_supported(path.child("operator"), operator, ON_EXIT_CODES_OPERATORS))
    name = req.get("containerName")
    if name is not None and name not in container_names:
        errs.append(field.invalid(path.child("containerName"), name,
                                  "must be one of the container or initContainer names in the pod template"))
    values_path = path.child("values")
    values = as_list(req.get("values"))
    if not values:
        errs.append(field.invalid(values_path, _go_int32_slice(req.get("values")), "at least one value is required"))
    elif len(values) > MAX_ON_EXIT_CODES_VALUES:
        errs.append(field.too_many(values_path, len(values), MAX_ON_EXIT_CODES_VALUES))
    ordered, seen = True, set()
    for j, value in enumerate(values):
        if _int(value) is None:  # decoding refuses a value that is no int32
            continue
        if operator == "In" and value == 0:
            errs.append(field.invalid(values_path.index(j), value, "must not be 0 for the In operator"))
        if value in seen:
            errs.append(field.duplicate(values_path.index(j), value))
        else:
            seen.add(value)
        if j > 0 and _int(values[j - 1]) is not None and values[j - 1] > value:
            ordered = False
    if not ordered:
        errs.append(field.invalid(values_path, _go_int32_slice(values), "must be ordered"))
    return errs


def _on_pod_conditions(patterns: list, path: Path) -> list[FieldError]:
    """validatePodFailurePolicyRuleOnPodConditions."""
    errs = []
    if len(patterns) > MAX_ON_POD_CONDITIONS_PATTERNS:
        errs.append(field.too_many(path, len(patterns), MAX_ON_POD_CONDITIONS_PATTERNS))
    for j, pattern in enumerate(map(as_dict, patterns)):
        ctype = str(pattern.get("type") or "")
        errs += [field.invalid(path.index(j).child("type"), ctype, m) for m in is_qualified_name(ctype)]
        status, status_path = pattern.get("status") or "", path.index(j).child("status")
        if not status:
            errs.append(field.required(status_path, f"valid values: {_go_quoted_list(ON_POD_CONDITIONS_STATUSES)}"))
        elif status not in ON_POD_CONDITIONS_STATUSES:
            errs.append(field.not_supported(status_path, status, ON_POD_CONDITIONS_STATUSES))
    return errs


def _pod_failure_policy_rule(spec: dict, rule: dict, path: Path, container_names: list) -> list[FieldError]:
    """validatePodFailurePolicyRule: the action, then exactly one of the two requirements."""
    errs = []
    action, action_path = rule.get("action") or "", path.child("action")
    if not action:
        errs.append(field.required(action_path, f"valid values: {_go_quoted_list(POD_FAILURE_POLICY_ACTIONS)}"))
    elif action == "FailIndex":
        if spec.get("backoffLimitPerIndex") is None:
            errs.append(field.invalid(action_path, action, "requires the backoffLimitPerIndex to be set"))
    elif action not in POD_FAILURE_POLICY_ACTIONS:
        errs.append(field.not_supported(action_path, action, POD_FAILURE_POLICY_ACTIONS))
    on_exit = rule.get("onExitCodes")
    on_conditions = as_list(rule.get("onPodConditions"))
    if on_exit is not None:
        errs += _on_exit_codes(as_dict(on_exit), path.child("onExitCodes"), container_names)
    if on_conditions:
        errs += _on_pod_conditions(on_conditions, path.child("onPodConditions"))
    if on_exit is not None and on_conditions:
        errs.append(field.invalid(path, OMIT, "specifying both OnExitCodes and OnPodConditions is not supported"))
    if on_exit is None and not on_conditions:
        errs.append(field.invalid(path, OMIT, "specifying one of OnExitCodes and OnPodConditions is required"))
    return errs


def _pod_failure_policy(spec: dict, path: Path) -> list[FieldError]:
    """validatePodFailurePolicy: at most 20 rules; exit-code rules name containers of the template."""
    errs = []
    rules, rules_path = as_list(as_dict(spec.get("podFailurePolicy")).get("rules")), path.child("rules")
    if len(rules) > MAX_POD_FAILURE_POLICY_RULES:
        errs.append(field.too_many(rules_path, len(rules), MAX_POD_FAILURE_POLICY_RULES))
    pod_spec = as_dict(as_dict(spec.get("template")).get("spec"))
    names = [as_dict(c).get("name") for key in ("containers", "initContainers") for c in as_list(pod_spec.get(key))]
    for i, rule in enumerate(rules):
        errs += _pod_failure_policy_rule(spec, as_dict(rule), rules_path.index(i), names)
    return errs


def _success_policy_rule(spec: dict, rule: dict, path: Path) -> list[FieldError]:
    """validateSuccessPolicyRule: indexes below completions, a count no larger than what they allow."""
    errs = []
    count, indexes = rule.get("succeededCount"), rule.get("succeededIndexes")
    if count is None and indexes is None:
        errs.append(field.required(path, "at least one of succeededCount or succeededIndexes must be specified"))
    completions = _int(spec.get("completions"))
    total = 0
    if indexes is not None:
        indexes_path = path.child("succeededIndexes")
        if len(str(indexes).encode("utf-8")) > MAX_SUCCEEDED_INDEXES_LENGTH:
            errs.append(field.too_long(indexes_path, indexes, MAX_SUCCEEDED_INDEXES_LENGTH))
        if completions is None:  # upstream dereferences the nil count here (an internal error)
            return errs
        try:
            total = validate_indexes_format(str(indexes), completions)
        except ValueError as err:
            errs.append(field.invalid(indexes_path, indexes, f"error parsing succeededIndexes: {err}"))
    if count is not None and completions is not None:
        count_path = path.child("succeededCount")
        errs += nonnegative(count, count_path)
        if _int(count) is not None and count > completions:
            errs.append(field.invalid(count_path, count, f"must be less than or equal to {completions} "
                                                         "(the number of specified completions)"))
        if indexes is not None and _int(count) is not None and count > total:
            errs.append(field.invalid(count_path, count, f"must be less than or equal to {total} (the number "
                                                         "of indexes in the specified succeededIndexes field)"))
    return errs


def _success_policy(spec: dict, path: Path) -> list[FieldError]:
    """validateSuccessPolicy: one to 20 rules."""
    errs = []
    rules, rules_path = as_list(as_dict(spec.get("successPolicy")).get("rules")), path.child("rules")
    if not rules:
        errs.append(field.required(rules_path, "at least one rules must be specified when the successPolicy is "
                                               "specified"))
    if len(rules) > MAX_SUCCESS_POLICY_RULES:
        errs.append(field.too_many(rules_path, len(rules), MAX_SUCCESS_POLICY_RULES))
    for i, rule in enumerate(rules):
        errs += _success_policy_rule(spec, as_dict(rule), rules_path.index(i))
    return errs


def _job_spec_core(spec: dict, path: Path) -> list[FieldError]:
    """validateJobSpec: counts, managedBy, completion mode, failure and success policies, replacement
    policy, template and restart policy, in upstream's order."""
    errs = []
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished", "backoffLimitPerIndex"):
        if spec.get(key) is not None:
            errs += nonnegative(spec[key], path.child(key))
    if spec.get("maxFailedIndexes") is not None:
        errs += nonnegative(spec["maxFailedIndexes"], path.child("maxFailedIndexes"))
        if spec.get("backoffLimitPerIndex") is None:
            errs.append(field.required(path.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
    managed_by = spec.get("managedBy")
    if managed_by is not None:
        errs += is_domain_prefixed_path(path.child("managedBy"), str(managed_by))
        if len(str(managed_by).encode("utf-8")) > MAX_MANAGED_BY_LENGTH:
            errs.append(field.too_long(path.child("managedBy"), managed_by, MAX_MANAGED_BY_LENGTH))
    mode = spec.get("completionMode")
    if mode is not None:
        if mode not in ("NonIndexed", "Indexed"):
            errs.append(field.not_supported(path.child("completionMode"), mode, ["NonIndexed", "Indexed"]))
        if mode == "Indexed":
            errs += _indexed_limits(spec, path)
    if mode is None or mode == "NonIndexed":
        for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if spec.get(key) is not None:
                errs.append(field.invalid(path.child(key), spec[key], "requires indexed completion mode"))
    if spec.get("podFailurePolicy") is not None:
        errs += _pod_failure_policy(spec, path.child("podFailurePolicy"))
    if spec.get("successPolicy") is not None:
        if mode != "Indexed":
            errs.append(field.invalid(path.child("successPolicy"), _go_success_policy(as_dict(spec["successPolicy"])),
                                      "requires indexed completion mode"))
        else:
            errs += _success_policy(spec, path.child("successPolicy"))
    replacement = spec.get("podReplacementPolicy")
    if replacement is not None:
        if spec.get("podFailurePolicy") is not None:
            if replacement != "Failed":
                errs.append(field.not_supported(path.child("podReplacementPolicy"), replacement, ["Failed"]))
        elif replacement not in ("Failed", "TerminatingOrFailed"):
            errs.append(field.not_supported(path.child("podReplacementPolicy"), replacement,
                                            ["Failed", "TerminatingOrFailed"]))
    template = as_dict(spec.get("template"))
    errs += validate_pod_template_spec(template, path.child("template"))
    policy = as_dict(template.get("spec")).get("restartPolicy") or ""
    rp = path.child("template", "spec", "restartPolicy")
    if policy in ("Always", ""):
        errs.append(field.required(rp, 'valid values: "OnFailure", "Never"'))
    elif policy not in ("OnFailure", "Never"):
        errs.append(field.not_supported(rp, policy, ["OnFailure", "Never"]))
    elif spec.get("podFailurePolicy") is not None and policy != "Never":
        errs.append(field.invalid(rp, policy, 'only "Never" is supported when podFailurePolicy is specified'))
    return errs


def _job_spec(spec: dict) -> list[FieldError]:
    """ValidateJobSpec: validateJobSpec plus the selector."""
    errs = _job_spec_core(spec, SPEC)
    if spec.get("selector") is None:
        errs.append(field.required(SPEC.child("selector")))
    else:
        errs += validate_label_selector(spec["selector"], SPEC.child("selector"))
        template = as_dict(spec.get("template"))
        try:
            sel = selector_from_label_selector(spec["selector"])
        except ValueError:
            return errs
        if not sel.matches(as_dict(as_dict(template.get("metadata")).get("labels"))):
            errs.append(field.invalid(SPEC.child("template", "metadata", "labels"),
                                      go_string_map(as_dict(template.get("metadata")).get("labels")),
                                      "`selector` does not match template `labels`"))
    return errs


def validate_job(job: dict) -> list[FieldError]:
    """ValidateJob (create). Run ``defaults.generate_job_selector`` first, as the Job strategy does."""
    meta, spec = as_dict(job.get("metadata")), as_dict(job.get("spec"))
    errs = validate_object_meta(meta, name_is_dns_subdomain)
    errs += _generated_selector(job)
    errs += _job_spec(spec)
    completions = spec.get("completions")
    if spec.get("completionMode") == "Indexed" and isinstance(completions, int) and completions > 0:
        hostname = f"{meta.get('name', '')}-{completions - 1}"
        if is_dns1123_label(hostname):
            errs.append(field.invalid(Path("metadata.name"), meta.get("name", ""),
                                      f"will not able to create pod with invalid DNS label: {hostname}"))
    return errs


def validate_job_update(new: dict, old: dict) -> list[FieldError]:
    """The Job strategy's ValidateUpdate: ValidateJob on the new Job, then ValidateJobUpdate (so a spec
    error is listed twice, as kube-apiserver lists it), where selector, template, completions, modes
    and policies are frozen after creation (podReplacementPolicy is not: upstream never froze it)."""
    return validate_job(new) + _validate_job_update(new, old)


def _validate_job_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateJobUpdate: metadata and spec again, and what may not change."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    ns, os_ = as_dict(new.get("spec")), as_dict(old.get("spec"))
    errs += _job_spec(ns)
    errs += _completions_update(ns, os_)
    errs += validate_immutable(ns.get("selector"), os_.get("selector"), SPEC.child("selector"),
                               go_label_selector)
    old_template = os_.get("template")
    if os_.get("suspend") is True and not as_dict(old.get("status")).get("startTime"):
        old_template = _with_scheduling_directives(as_dict(old_template), as_dict(ns.get("template")))
    if ns.get("template") != old_template:
        errs.append(field.invalid(SPEC.child("template"), GoValue("core.PodTemplateSpec{...}"),
                                  FIELD_IMMUTABLE))
    errs += validate_immutable(ns.get("completionMode"), os_.get("completionMode"), SPEC.child("completionMode"))
    errs += validate_immutable(ns.get("podFailurePolicy"), os_.get("podFailurePolicy"), SPEC.child("podFailurePolicy"),
                               _go_pod_failure_policy)
    errs += validate_immutable(ns.get("backoffLimitPerIndex"), os_.get("backoffLimitPerIndex"),
                               SPEC.child("backoffLimitPerIndex"))
    errs += validate_immutable(ns.get("managedBy"), os_.get("managedBy"), SPEC.child("managedBy"))
    errs += validate_immutable(ns.get("successPolicy"), os_.get("successPolicy"), SPEC.child("successPolicy"),
                               lambda v: None if v is None else _go_success_policy(as_dict(v)))
    return errs


def _completions_update(spec: dict, old_spec: dict) -> list[FieldError]:
    """validateCompletions (ElasticIndexedJob, GA): an Indexed Job's completions change only together
    with parallelism (kept equal to it); a NonIndexed Job's never."""
    path = SPEC.child("completions")
    if spec.get("completionMode") != "Indexed":
        return validate_immutable(spec.get("completions"), old_spec.get("completions"), path)
    completions = spec.get("completions")
    if completions == old_spec.get("completions") or completions is None:
        return []
    if completions != spec.get("parallelism"):
        return [field.invalid(path, completions, "can only be modified in tandem with spec.parallelism")]
    return []


def _with_scheduling_directives(old: dict, new: dict) -> dict:
    """validatePodTemplateUpdate with AllowMutableSchedulingDirectives (a suspended Job that never
    started): the old template with the new one's node affinity, nodeSelector, tolerations,
    scheduling gates, labels and annotations, so only other changes count."""
    old = copy.deepcopy(old)
    old_spec, new_spec = old.setdefault("spec", {}), as_dict(new.get("spec"))
    old_meta, new_meta = old.setdefault("metadata", {}), as_dict(new.get("metadata"))
    new_affinity, old_affinity = new_spec.get("affinity"), old_spec.get("affinity")
    if new_affinity is None and old_affinity is not None:
        old_affinity = {k: v for k, v in as_dict(old_affinity).items() if k != "nodeAffinity" and v is not None}
        _put(old_spec, "affinity", old_affinity or None)
    elif new_affinity is not None:
        old_affinity = dict(as_dict(old_affinity)) if old_affinity is not None else {}
        _put(old_affinity, "nodeAffinity", as_dict(new_affinity).get("nodeAffinity"))
        old_spec["affinity"] = old_affinity
    for key in ("nodeSelector", "tolerations", "schedulingGates"):
        _put(old_spec, key, new_spec.get(key))
    for key in ("annotations", "labels"):
        _put(old_meta, key, new_meta.get(key))
    return old


def _put(obj: dict, key: str, value: Any) -> None:
    """Set ``obj[key]`` as Go sets a field: to nil means absent."""
    if value is None:
        obj.pop(key, None)
    else:
        obj[key] = copy.deepcopy(value)


# --- CronJob -----------------------------------------------------------------------------

_TIME_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def validate_schedule_format(schedule: str, allow_tz_in_schedule: bool, time_zone: str | None,
                             path: Path) -> list[FieldError]:
    """validateScheduleFormat: robfig/cron's ParseStandard, and no TZ= in a new schedule."""
    errs = []
    err = cron_error(schedule)
    if err:
        errs.append(field.invalid(path, schedule, err))
    if allow_tz_in_schedule and "TZ" in schedule and time_zone is not None:
        errs.append(field.invalid(path, schedule,
                                  "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
    elif not allow_tz_in_schedule and "TZ" in schedule:
        errs.append(field.invalid(path, schedule,
                                  "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    return errs


def validate_time_zone(time_zone: str | None, path: Path) -> list[FieldError]:
    """validateTimeZone: an IANA name (``Europe/Berlin``), never empty and never ``Local``."""
    if time_zone is None:
        return []
    if time_zone == "":
        return [field.invalid(path, time_zone, "timeZone must be nil or non-empty string")]
    for part in time_zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TIME_ZONE_PART.fullmatch(part):
            return [field.invalid(path, time_zone, f"unknown time zone {time_zone}")]
    errs = []
    if time_zone.lower() == "local":
        errs.append(field.invalid(path, time_zone,
                                  "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
    try:
        load_location(time_zone)
    except CronError as err:
        errs.append(field.invalid(path, time_zone, str(err)))
    return errs


def _cron_spec(spec: dict, old_spec: dict | None) -> list[FieldError]:
    errs = []
    schedule = spec.get("schedule") or ""
    if not schedule:
        errs.append(field.required(SPEC.child("schedule")))
    else:
        allow_tz = old_spec is not None and "TZ" in (old_spec.get("schedule") or "")
        errs += validate_schedule_format(schedule, allow_tz, spec.get("timeZone"), SPEC.child("schedule"))
    if spec.get("startingDeadlineSeconds") is not None:
        errs += nonnegative(spec["startingDeadlineSeconds"], SPEC.child("startingDeadlineSeconds"))
    if old_spec is None or old_spec.get("timeZone") != spec.get("timeZone"):
        errs += validate_time_zone(spec.get("timeZone"), SPEC.child("timeZone"))
    policy = spec.get("concurrencyPolicy") or ""
    if not policy:
        errs.append(field.required(SPEC.child("concurrencyPolicy")))
    elif policy not in ("Allow", "Forbid", "Replace"):
        errs.append(field.not_supported(SPEC.child("concurrencyPolicy"), policy,
                                        ["Allow", "Forbid", "Replace"]))
    jt_path = SPEC.child("jobTemplate")
    job_spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
    errs += _job_spec_core(job_spec, jt_path.child("spec"))
    if job_spec.get("selector") is not None:
        errs.append(field.invalid(jt_path.child("spec", "selector"), go_label_selector(job_spec["selector"]),
                                  "`selector` will be auto-generated"))
    if job_spec.get("manualSelector"):
        errs.append(field.not_supported(jt_path.child("spec", "manualSelector"), True, ["nil", "false"]))
    for key in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if spec.get(key) is not None:
            errs += nonnegative(spec[key], SPEC.child(key))
    return errs


def validate_cron_job(cj: dict) -> list[FieldError]:
    meta = as_dict(cj.get("metadata"))
    errs = validate_object_meta(meta, name_is_dns_subdomain)
    errs += _cron_spec(as_dict(cj.get("spec")), None)
    if len(meta.get("name") or "") > 52:
        errs.append(field.invalid(Path("metadata.name"), meta["name"], "must be no more than 52 characters"))
    return errs


def validate_cron_job_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    return errs + _cron_spec(as_dict(new.get("spec")), as_dict(old.get("spec")))

