"""Snapshots: the whole store in one file, to back up and to restore from.

``etcdctl snapshot save`` copies etcd's database file: the current revision, the compact revision and
every version of every key still stored (history that was not compacted away). ``etcdutl snapshot
restore`` builds a new data directory from it, and ``etcdutl snapshot status`` prints a file's hash,
revision, number of stored keys and size, e.g. ``cf1550fb, 3, 3, 25 kB``.

The file here is JSON lines: a header line, then one line per stored version in revision order,
fields as the header's ``fields`` names them (``value`` in base64; ``version`` 0 marks a tombstone).
The header also lists the leases, ``[id, ttl]`` each (etcd's lease bucket), when there are any; a
restored lease lives its whole TTL again from the restore, as etcd's lessor does when a member
becomes leader.

>>> import os, tempfile
>>> from k8slearn.etcd import MVCCStore
>>> s = MVCCStore()
>>> s.put("/registry/namespaces/default", "{}"), s.put("/registry/namespaces/default", "{ }")
(2, 3)
>>> path = os.path.join(tempfile.mkdtemp(), "snapshot.db")
>>> s.snapshot(path)
>>> st = snapshot_status(path)
>>> st.revision, st.total_keys, st.total_size == os.path.getsize(path), len(st.hash)
(3, 2, True, 8)
>>> r = MVCCStore.restore(path)
>>> r.revision, r.get("/registry/namespaces/default", revision=2).value
(3, b'{}')
>>> humanize_bytes(25_000), humanize_bytes(1_500_000), humanize_bytes(7)
('25 kB', '1.5 MB', '7 B')

Simplified: the hash is zlib's CRC-32 of the whole file (etcd: CRC-32C of the bbolt buckets) and is
printed with 8 hex digits; "total keys" counts the stored versions (etcd counts every bbolt key, which
also includes its meta bucket). As ``etcdctl snapshot save`` appends the SHA-256 of the database, the
last line holds the SHA-256 of the lines before it, and a restore checks it as ``etcdutl`` does: a cut
file is ``snapshot missing hash but --skip-hash-check=false``, a changed one ``expected sha256 [...], got
[...]``.

Upstream: etcd etcdutl/snapshot/v3_snapshot.go, etcdutl/etcdutl/printer.go
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import zlib
from typing import Iterable, NamedTuple, Union

from k8slearn.etcd.revision import KeyValue, Revision

PathLike = Union[str, "os.PathLike[str]"]
FORMAT = "k8slearn-etcd-snapshot"
FIELDS = ["main", "sub", "key", "create_revision", "mod_revision", "version", "lease", "value"]
ERR_BAD_SNAPSHOT = "snapshot file is not a k8slearn etcd snapshot"
HASH_PREFIX = b"sha256 "  # the last line: the SHA-256 of everything before it (etcd appends 32 bytes)


class SnapshotStatus(NamedTuple):
    """What ``etcdutl snapshot status`` reports; ``str()`` is its one-line ``simple`` output."""

    hash: str
    revision: int
    total_keys: int
    total_size: int

    def __str__(self) -> str:
        return f"{self.hash}, {self.revision}, {self.total_keys}, {humanize_bytes(self.total_size)}"


def humanize_bytes(n: int) -> str:
    """Sizes as etcd prints them (go-humanize ``Bytes``: powers of 1000, one decimal below 10)."""
    if n < 10:
        return f"{n} B"
    e = int(math.floor(math.log(n) / math.log(1000)))
    val = math.floor(n / 1000**e * 10 + 0.5) / 10
    unit = ["B", "kB", "MB", "GB", "TB", "PB", "EB"][e]
    return f"{val:.0f} {unit}" if val >= 10 else f"{val:.1f} {unit}"


def save(
    revision: int, compact_revision: int, entries: Iterable[tuple[Revision, KeyValue]], path: PathLike,
    leases: Iterable[tuple[int, int]] = (), saved_at: float | None = None,
) -> None:
    """Write a snapshot: the header (with the leases' ids and TTLs, and ``saved_at``, the simulated
    time it was taken, which a real file has as its mtime), then one line per stored version."""
    header = {"format": FORMAT, "revision": revision, "compact_revision": compact_revision, "fields": FIELDS}
    if saved_at is not None:
        header["saved_at"] = saved_at
    leases = [list(lease) for lease in leases]
    if leases:
        header["leases"] = leases
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    lines = [dumps(header) + "\n"]
    for rev, kv in entries:
        value = base64.b64encode(kv.value).decode("ascii")
        row = [rev.main, rev.sub, kv.key, kv.create_revision, kv.mod_revision, kv.version, kv.lease]
        lines.append(dumps(row + [value]) + "\n")
    body = "".join(lines).encode("utf-8")
    with open(path, "wb") as f:
        f.write(body + HASH_PREFIX + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n")


def load(path: PathLike) -> tuple[int, int, list[tuple[Revision, KeyValue]], list[tuple[int, int]], float]:
    """Read a snapshot back: (revision, compact_revision, entries, leases as (id, ttl), saved_at),
    after etcdutl's integrity check of the trailing SHA-256."""
    with open(path, "rb") as f:
        data = f.read()
    body, _, trailer = data.rstrip(b"\n").rpartition(b"\n")
    body += b"\n"
    try:
        header = json.loads(data.split(b"\n", 1)[0])
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(ERR_BAD_SNAPSHOT)
    if not trailer.startswith(HASH_PREFIX):
        raise ValueError("snapshot missing hash but --skip-hash-check=false")
    try:
        want = bytes.fromhex(trailer[len(HASH_PREFIX):].decode("ascii", "replace"))
    except ValueError:
        want = b""
    got = hashlib.sha256(body).digest()
    if want != got:
        raise ValueError(f"expected sha256 {_go_bytes(want)}, got {_go_bytes(got)}")
    try:  # (a file with a good hash can still be made by hand)
        entries = []
        for line in body.decode("utf-8").splitlines()[1:]:
            main, sub, key, create, mod, version, lease, value = json.loads(line)
            kv = KeyValue(key, base64.b64decode(value), create, mod, version, lease)
            entries.append((Revision(int(main), int(sub)), kv))
        leases = [(int(lease_id), int(ttl)) for lease_id, ttl in header.get("leases", [])]
        revision, compact_revision = int(header["revision"]), int(header["compact_revision"])
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise ValueError(ERR_BAD_SNAPSHOT) from None
    if entries and (entries[-1][0].main > revision or compact_revision > revision):
        raise ValueError(ERR_BAD_SNAPSHOT)
    saved_at = header.get("saved_at")
    return revision, compact_revision, entries, leases, \
        max(0.0, float(saved_at)) if isinstance(saved_at, (int, float)) else 0.0


def _go_bytes(b: bytes) -> str:
    """A byte slice as Go's %v prints it: ``[12 255 0]``."""
    return "[" + " ".join(str(x) for x in b) + "]"


def snapshot_status(path: PathLike) -> SnapshotStatus:
    """Hash, revision, stored versions and size of a snapshot file (``etcdutl snapshot status``)."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    try:
        header = json.loads(lines[0])
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(ERR_BAD_SNAPSHOT)
    total_keys = sum(1 for line in lines[1:] if line and not line.startswith(HASH_PREFIX))
    return SnapshotStatus(f"{zlib.crc32(data):08x}", header["revision"], total_keys, os.path.getsize(path))
