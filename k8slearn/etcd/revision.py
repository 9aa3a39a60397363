"""Revisions, and the record etcd stores under each one.

etcd numbers every change to the key space with a *revision*: one store-wide counter that grows by
one per write transaction. A transaction that writes several keys gives them all the same *main*
revision and tells them apart by a *sub* revision (0, 1, 2 ... in the order the transaction wrote
them). The backend (a bbolt file) keys every stored version of every key by its revision, written as
17 bytes: 8 for main, an underscore, 8 for sub, and one more byte, ``t``, when the version is a
tombstone (a delete). Sorting those byte strings sorts the history by time.

Under each revision the backend stores a ``KeyValue`` (``mvccpb.KeyValue``): the key, its value, the
revision that created it, the revision that last changed it, how many times it has been written
since it was created (``version``) and the lease it is attached to (0 = none).

Reading a revision the store no longer has fails with ``CompactedError``; reading one it does not have
yet fails with ``FutureRevisionError`` (etcd's ``ErrCompacted`` and ``ErrFutureRev``, same texts).

Simplified: keys are ``str`` (etcd keys are bytes; for UTF-8 the sort order is the same) and this
simulation keeps one ``KeyValue`` object per stored version instead of marshalled protobuf bytes.

>>> Revision(main=5, sub=1)
Revision(main=5, sub=1)
>>> str(Revision(5, 1))
'5.1'
>>> rev_to_bytes(Revision(5, 1)).hex(" ")
'00 00 00 00 00 00 00 05 5f 00 00 00 00 00 00 00 01'
>>> key = rev_to_bytes(Revision(7, 0), tombstone=True)
>>> len(key), is_tombstone(key), bytes_to_rev(key)
(18, True, Revision(main=7, sub=0))
>>> str(CompactedError(compact_revision=4)), CompactedError(4).compact_revision
('mvcc: required revision has been compacted', 4)
>>> KeyValue("/registry/pods/default/web", b"{}", 2, 4, 3)
KeyValue(key='/registry/pods/default/web', value=b'{}', create_revision=2, mod_revision=4, version=3, lease=0)

Upstream: etcd server/storage/mvcc/revision.go, kvstore.go (errors), api/mvccpb/kv.proto
"""

from __future__ import annotations

import struct
from typing import NamedTuple

REV_BYTES_LEN = 17  # 8 bytes main + "_" + 8 bytes sub
MARK_TOMBSTONE = b"t"

_REV = struct.Struct(">q c q")  # big-endian, so byte order == numeric order

ERR_COMPACTED = "mvcc: required revision has been compacted"
ERR_FUTURE_REV = "mvcc: required revision is a future revision"


class EtcdError(Exception):
    """Base of every error the simulated etcd raises; ``str()`` is etcd's own text."""


class CompactedError(EtcdError):
    """The revision asked for is older than the last compaction (``mvcc.ErrCompacted``)."""

    def __init__(self, compact_revision: int = 0) -> None:
        super().__init__(ERR_COMPACTED)
        self.compact_revision = compact_revision  # the oldest revision still readable


class FutureRevisionError(EtcdError):
    """The revision asked for has not been written yet (``mvcc.ErrFutureRev``)."""

    def __init__(self) -> None:
        super().__init__(ERR_FUTURE_REV)


class Revision(NamedTuple):
    """A point in the store's history: the transaction (``main``) and the write inside it (``sub``)."""

    main: int
    sub: int = 0

    def __str__(self) -> str:
        return f"{self.main}.{self.sub}"


class KeyValue(NamedTuple):
    """One stored version of a key (``mvccpb.KeyValue``)."""

    key: str
    value: bytes
    create_revision: int
    mod_revision: int
    version: int
    lease: int = 0


def rev_to_bytes(rev: Revision, tombstone: bool = False) -> bytes:
    """The backend key for ``rev``: 17 bytes, plus the ``t`` mark for a tombstone."""
    b = _REV.pack(rev.main, b"_", rev.sub)
    return b + MARK_TOMBSTONE if tombstone else b


def bytes_to_rev(b: bytes) -> Revision:
    """The revision a backend key names (the tombstone mark, if any, is ignored)."""
    main, _, sub = _REV.unpack(b[:REV_BYTES_LEN])
    return Revision(main, sub)


def is_tombstone(b: bytes) -> bool:
    """Whether a backend key marks a delete."""
    return len(b) == REV_BYTES_LEN + 1 and b[-1:] == MARK_TOMBSTONE
