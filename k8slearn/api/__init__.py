"""Object helpers: the pure functions every component uses on Kubernetes JSON objects.

No state and no I/O here: the resource table, Status errors, field errors, quantities, label and
field selectors, metadata helpers (time, UIDs, generated names, frozen objects), defaulting and
validation, each with the upstream wording.

>>> from k8slearn.api import lookup, parse_quantity, parse_selector
>>> lookup("po").kind, str(parse_quantity("0.5")), parse_selector("app=web").matches({"app": "web"})
('Pod', '500m', True)

Simplifies: see each module; objects are plain dicts, never typed classes.

Upstream: staging/src/k8s.io/apimachinery, pkg/apis (validation, defaults)
"""

from k8slearn.api.defaults import apply_defaults, generate_job_selector, pod_qos_class
from k8slearn.api.errors import (
    OPTIMISTIC_LOCK_MSG, ApiError, already_exists, bad_request, conflict, expired, forbidden, internal_error,
    invalid, method_not_allowed, not_found, status_error,
)
from k8slearn.api.field import FieldError, Path
from k8slearn.api.fields import FieldSelector, parse_field_selector, supported_field_labels
from k8slearn.api.labels import (
    Selector, selector_from_label_selector, validate_label_key, validate_label_value,
)
from k8slearn.api.meta import (
    EPOCH, FrozenDict, FrozenList, freeze, generate_name, micro_timestamp, namespaced_name, new_uid,
    owner_reference, parse_timestamp, thaw, timestamp,
)
from k8slearn.api.quantity import (
    Quantity, cpu_millis, format_cpu, format_memory, memory_bytes, parse_quantity,
)
from k8slearn.api.resources import (
    RESOURCES, NoKindMatchError, ResourceInfo, UnknownResourceError, by_kind, lookup,
)
from k8slearn.api.selector_parser import parse_selector
from k8slearn.api.validation import decode_check, decode_error, validate

__all__ = [
    "ApiError", "EPOCH", "FieldError", "FieldSelector", "FrozenDict", "FrozenList", "NoKindMatchError",
    "OPTIMISTIC_LOCK_MSG", "Path", "Quantity", "RESOURCES", "ResourceInfo", "Selector",
    "UnknownResourceError", "already_exists", "apply_defaults", "bad_request", "by_kind", "conflict",
    "cpu_millis", "decode_check", "decode_error", "expired", "forbidden", "format_cpu", "format_memory",
    "freeze", "generate_job_selector", "generate_name", "internal_error", "invalid", "lookup",
    "memory_bytes", "method_not_allowed", "micro_timestamp", "namespaced_name", "new_uid", "not_found",
    "owner_reference", "parse_field_selector", "parse_quantity", "parse_selector", "parse_timestamp",
    "pod_qos_class", "selector_from_label_selector", "status_error", "supported_field_labels", "thaw",
    "timestamp", "validate", "validate_label_key", "validate_label_value",
]
