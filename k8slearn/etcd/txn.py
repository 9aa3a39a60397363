"""Transactions: "if these compares hold, do these operations, else do those".

An etcd transaction is one atomic step: every ``Compare`` is checked against the current state, then
either the ``success`` or the ``failure`` list of operations runs. All writes of the transaction share
one new revision (each gets its own sub revision), so watchers see them together. This is how the
Kubernetes API server does optimistic concurrency: "update the pod only if its ``mod_revision`` is
still the one I read" — ``Compare(key, "mod_revision", "=", rv)``.

Compare rules (etcd's ``applyCompare``): a key that does not exist has ``create_revision``,
``mod_revision``, ``version`` and ``lease`` 0, and any compare of its ``value`` is false. Before running,
etcd rejects a branch that writes the same key twice or puts a key inside a range it also deletes
(``etcdserver: duplicate key given in txn request``) and a request with more than 128 compares or
operations in one list (``--max-txn-ops``).

>>> c = Compare("/registry/pods/default/web", "mod_revision", "=", 0)
>>> apply_compare(c, None)            # missing key: mod_revision is 0
True
>>> apply_compare(Compare("k", "value", "!=", b"x"), None)   # value compares on a missing key fail
False
>>> check_ops([Put("a", "1"), Put("a", "2")])
Traceback (most recent call last):
...
k8slearn.etcd.revision.EtcdError: etcdserver: duplicate key given in txn request

Simplified: compares name a single key (no ``range_end``) and transactions do not nest.

Upstream: etcd server/etcdserver/txn/txn.go, server/etcdserver/api/v3rpc/key.go, api/etcdserverpb/rpc.proto
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence, Union

from k8slearn.etcd.revision import EtcdError, KeyValue

ERR_DUPLICATE_KEY = "etcdserver: duplicate key given in txn request"
ERR_TOO_MANY_OPS = "etcdserver: too many operations in txn request"
ERR_EMPTY_KEY = "etcdserver: key is not provided"
MAX_TXN_OPS = 128  # etcd's --max-txn-ops default

TARGETS = ("version", "create_revision", "mod_revision", "value", "lease")
OPS = ("=", "!=", "<", ">")


class Compare(NamedTuple):
    """``key``'s ``target`` (one of ``TARGETS``) ``op`` (one of ``OPS``) ``value``."""

    key: str
    target: str
    op: str
    value: Any


class Put(NamedTuple):
    """Write ``value`` (bytes, or str stored as UTF-8) under ``key``; its result is the new revision."""

    key: str
    value: Union[bytes, str]
    lease: int = 0


class Delete(NamedTuple):
    """Delete ``key`` (or every key under it when ``prefix``); its result is how many keys were deleted."""

    key: str
    prefix: bool = False


class Get(NamedTuple):
    """Read ``key`` (or every key under it when ``prefix``); its result is a list of ``KeyValue``."""

    key: str
    prefix: bool = False
    revision: Union[int, None] = None
    limit: int = 0


class TxnResult(NamedTuple):
    """Which branch ran, the store revision after the transaction, and one result per operation."""

    succeeded: bool
    revision: int
    results: list


Op = Union[Put, Delete, Get]


def to_bytes(value: Union[bytes, str]) -> bytes:
    """Values are bytes; a str is stored as its UTF-8 encoding."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"etcd values are bytes or str, not {type(value).__name__}")


def check_key(key: object) -> None:
    """Reject what etcd rejects before touching the store."""
    if not isinstance(key, str):
        raise TypeError(f"etcd keys are str, not {type(key).__name__}")
    if not key:
        raise EtcdError(ERR_EMPTY_KEY)


def check_compare(c: Compare) -> None:
    if not isinstance(c, Compare):
        raise TypeError(f"txn compares are Compare, not {type(c).__name__}")
    check_key(c.key)
    if c.target not in TARGETS:
        raise ValueError(f"unknown compare target {c.target!r}; expected one of {', '.join(TARGETS)}")
    if c.op not in OPS:
        raise ValueError(f"unknown compare op {c.op!r}; expected one of {' '.join(OPS)}")


def apply_compare(c: Compare, kv: Union[KeyValue, None]) -> bool:
    """Whether compare ``c`` holds for ``kv`` (the key's current version, or None if it does not exist)."""
    if kv is None:
        if c.target == "value":
            return False  # nil and empty are the same on the wire: no way to compare a missing value
        actual: Any = 0
    else:
        actual = getattr(kv, c.target)
    want = to_bytes(c.value) if c.target == "value" else c.value
    if c.op == "=":
        return actual == want
    if c.op == "!=":
        return actual != want
    if c.op == "<":
        return actual < want
    return actual > want


def _covers(d: Delete, key: str) -> bool:
    return key.startswith(d.key) if d.prefix else key == d.key


def check_ops(ops: Sequence[Op]) -> None:
    """Reject a branch etcd would reject: bad operations, too many, or one key written twice."""
    if len(ops) > MAX_TXN_OPS:
        raise EtcdError(ERR_TOO_MANY_OPS)
    puts: set[str] = set()
    dels: list[Delete] = []
    for op in ops:
        if isinstance(op, Put):
            check_key(op.key)
            to_bytes(op.value)
            if op.key in puts:
                raise EtcdError(ERR_DUPLICATE_KEY)
            puts.add(op.key)
        elif isinstance(op, Delete):
            if not op.prefix:
                check_key(op.key)
            dels.append(op)
        elif not isinstance(op, Get):
            raise TypeError(f"txn operations are Put, Delete or Get, not {type(op).__name__}")
    if any(_covers(d, k) for d in dels for k in puts):
        raise EtcdError(ERR_DUPLICATE_KEY)
