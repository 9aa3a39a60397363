"""Object metadata helpers: simulated timestamps, UIDs, generated names, owner references, and
read-only (frozen) objects for caches.

Simulated time 0 is ``EPOCH`` (2026-01-05T09:00:00Z); a timestamp is EPOCH plus the clock's
seconds. Objects handed out by a cache are frozen: reading works as with any dict, changing
raises ``TypeError`` telling the reader to ``thaw`` (copy) first.

>>> timestamp(30.7), micro_timestamp(1.5)
('2026-01-05T09:00:30Z', '2026-01-05T09:00:01.500000Z')
>>> go_duration(1.0243), go_duration(0.35), go_duration(65.2), go_duration(3600)
('1.024s', '350ms', '1m5.2s', '1h0m0s')
>>> import random
>>> generate_name("web-7c4b4cb947-", random.Random(0))
'web-7c4b4cb947-q7rcl'
>>> pod = freeze({"metadata": {"labels": {"app": "web"}}})
>>> pod["metadata"]["labels"]["app"] = "db"  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
TypeError: this object is read-only (it comes from a cache); copy it with ... before changing it
>>> thaw(pod)["metadata"]["labels"]["app"] = "db"

Simplifies: UIDs are uuid4-shaped but drawn from the simulation's seeded RNG.

Upstream: staging/src/k8s.io/apiserver/pkg/storage/names/generate.go,
staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go, staging/src/k8s.io/client-go/tools/cache (key func)
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

import yaml

EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone.utc)
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
MAX_NAME_LENGTH = 63
RANDOM_LENGTH = 5
MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH

READ_ONLY_MSG = (
    "this object is read-only (it comes from a cache); "
    "copy it with k8slearn.api.meta.thaw(obj) before changing it"
)


_LAST_TIMESTAMP: list = [None, ""]  # [whole second, its text]: the clock stays on one second for many writes


def timestamp(seconds: float) -> str:
    """RFC 3339 at whole seconds (metav1.Time): ``2026-01-05T09:00:30Z``."""
    whole = int(seconds // 1)
    last = _LAST_TIMESTAMP
    if whole != last[0]:  # the last answer is remembered: a simulation speed-up, same text
        last[1] = (EPOCH + timedelta(seconds=whole)).strftime("%Y-%m-%dT%H:%M:%SZ")
        last[0] = whole
    return last[1]


def rfc3339_nano(seconds: float) -> str:
    """Go's time.RFC3339Nano: nanoseconds with the trailing zeros dropped (none: no fraction).

    >>> rfc3339_nano(0.88), rfc3339_nano(2.0), rfc3339_nano(1.000000001)
    ('2026-01-05T09:00:00.88Z', '2026-01-05T09:00:02Z', '2026-01-05T09:00:01.000000001Z')
    """
    nanos = round(seconds * 1_000_000_000)
    whole, fraction = divmod(nanos, 1_000_000_000)
    text = (EPOCH + timedelta(seconds=whole)).strftime("%Y-%m-%dT%H:%M:%S")
    if fraction:
        text += "." + f"{fraction:09d}".rstrip("0")
    return text + "Z"


def rfc3339_nano_fixed(seconds: float) -> str:
    """types.RFC3339NanoFixed (``2006-01-02T15:04:05.000000000Z07:00``): always nine fraction digits,
    as the kubelet writes each line's time for ``kubectl logs --timestamps``.

    >>> rfc3339_nano_fixed(1.02755), rfc3339_nano_fixed(2.0)
    ('2026-01-05T09:00:01.027550000Z', '2026-01-05T09:00:02.000000000Z')
    """
    whole, fraction = divmod(round(seconds * 1_000_000_000), 1_000_000_000)
    return (EPOCH + timedelta(seconds=whole)).strftime("%Y-%m-%dT%H:%M:%S") + f".{fraction:09d}Z"


def micro_timestamp(seconds: float) -> str:
    """RFC 3339 with microseconds (metav1.MicroTime, for Events and Leases)."""
    moment = EPOCH + timedelta(microseconds=round(seconds * 1_000_000))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(s: str) -> float:
    """Seconds since EPOCH for a timestamp written by ``timestamp`` or ``micro_timestamp``."""
    text = s[:-1] + "+00:00" if s.endswith("Z") else s
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - EPOCH).total_seconds()


def go_duration(seconds: float) -> str:
    """Go's ``time.Duration.String``, truncated to milliseconds: ``1.024s``, ``350ms``, ``1h0m0s``."""
    ms = int(seconds * 1000 + 1e-6)
    if ms < 1000:
        return f"{ms}ms" if ms else "0s"
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    text = f"{ms / 1000:.3f}".rstrip("0").rstrip(".") + "s"
    if hours or minutes:
        text = f"{minutes}m{text}"
    return f"{hours}h{text}" if hours else text


def new_uid(rng: random.Random) -> str:
    """A random (version 4) UUID string built from the simulation's RNG."""
    return uuid4_text(rng.getrandbits(128))


def uuid4_text(bits: int) -> str:
    """``str(uuid.UUID(int=bits, version=4))`` without building the UUID object (same text).

    >>> import uuid
    >>> uuid4_text(0) == str(uuid.UUID(int=0, version=4))
    True
    """
    bits = (bits & _UUID4_KEEP) | _UUID4_SET
    h = "%032x" % bits
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# RFC 4122 variant (bits 62-63 = 10) and version 4 (bits 76-79), as uuid.UUID(version=4) sets them
_UUID4_KEEP = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_UUID4_SET = (0x8000 << 48) | (4 << 76)


def random_suffix(rng: random.Random, n: int = RANDOM_LENGTH) -> str:
    """utilrand.String: n characters from the vowel-free alphabet."""
    return "".join(rng.choice(ALPHANUMS) for _ in range(n))


def generate_name(base: str, rng: random.Random) -> str:
    """SimpleNameGenerator: ``base`` cut to 58 characters, plus 5 random characters."""
    return base[:MAX_GENERATED_NAME_LENGTH] + random_suffix(rng)


def owner_reference(obj: dict, controller: bool = True, block_owner_deletion: bool = True) -> dict:
    """An ownerReferences entry pointing at ``obj`` (metav1.NewControllerRef)."""
    meta = obj["metadata"]
    return {
        "apiVersion": obj["apiVersion"],
        "kind": obj["kind"],
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": controller,
        "blockOwnerDeletion": block_owner_deletion,
    }


def namespaced_name(obj: dict) -> str:
    """The cache key (MetaNamespaceKeyFunc): ``namespace/name``, or ``name`` if cluster-scoped."""
    meta = obj["metadata"]
    ns = meta.get("namespace")
    return f"{ns}/{meta['name']}" if ns else meta["name"]


def _read_only(self, *args, **kwargs):
    raise TypeError(READ_ONLY_MSG)


class FrozenDict(dict):
    """A dict that refuses every change."""

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __copy__(self) -> "FrozenDict":
        return self

    def __deepcopy__(self, memo: dict) -> "FrozenDict":
        return self

    def __reduce__(self):
        return (_rebuild_dict, (dict(self),))


class FrozenList(list):
    """A list that refuses every change."""

    __slots__ = ()
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only
    append = extend = insert = pop = remove = clear = sort = reverse = _read_only

    def __copy__(self) -> "FrozenList":
        return self

    def __deepcopy__(self, memo: dict) -> "FrozenList":
        return self

    def __reduce__(self):
        return (_rebuild_list, (list(self),))


def _rebuild_dict(items: dict) -> FrozenDict:
    return FrozenDict(items)


def _rebuild_list(items: list) -> FrozenList:
    return FrozenList(items)


def freeze(obj: Any) -> Any:
    """A deep read-only copy of a JSON-like value (frozen parts are reused as they are)."""
    if isinstance(obj, (FrozenDict, FrozenList)):
        return obj
    if isinstance(obj, dict):
        return FrozenDict({k: freeze(v) for k, v in obj.items()})
    if isinstance(obj, list):
        return FrozenList([freeze(v) for v in obj])
    return obj


def thaw(obj: Any) -> Any:
    """A deep mutable copy of a JSON-like value (plain dicts and lists, frozen or not)."""
    if isinstance(obj, dict):
        return _thaw_dict(obj)
    if isinstance(obj, list):
        return _thaw_list(obj)
    return obj


# thaw's walk, a simulation speed-up with identical copies: a scalar (most values) is known by
# its exact class at once, and a dict or list is copied by a direct call, not through thaw again.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _thaw_dict(obj: dict) -> dict:
    return {k: v if v.__class__ in _SCALARS else _thaw_dict(v) if isinstance(v, dict)
            else _thaw_list(v) if isinstance(v, list) else v for k, v in obj.items()}


def _thaw_list(obj: list) -> list:
    return [v if v.__class__ in _SCALARS else _thaw_dict(v) if isinstance(v, dict)
            else _thaw_list(v) if isinstance(v, list) else v for v in obj]


# yaml.safe_dump looks representers up by exact type: teach it the frozen types.
yaml.SafeDumper.add_representer(FrozenDict, yaml.SafeDumper.represent_dict)
yaml.SafeDumper.add_representer(FrozenList, yaml.SafeDumper.represent_list)
