"""etcd's storage engine: a multi-version key-value store with watches, compaction and snapshots.

Kubernetes keeps every object in etcd as JSON under ``/registry/<resource>/<namespace>/<name>``.
etcd is an MVCC store: each write makes a new store-wide *revision*, old versions stay readable until
compacted, and watchers receive every change in revision order — which is how the API server (and,
through it, every controller) learns what changed. The modules follow etcd's
``server/storage/mvcc``: ``revision`` (revisions, ``KeyValue``, errors), ``key_index`` (per-key
generations), ``kvstore`` (reads and writes), ``kvstore_txn`` (transactions inside the store),
``backend`` (compaction, packed history, replay, restore), ``txn`` (compare-and-swap operations),
``watchable_store`` (watch), ``snapshot`` (save, restore, status).

>>> s = MVCCStore()
>>> rev = s.put("/registry/pods/default/web", '{"kind":"Pod"}')
>>> result = s.txn([Compare("/registry/pods/default/web", "mod_revision", "=", rev)],
...                [Put("/registry/pods/default/web", '{"kind":"Pod","spec":{}}')],
...                [Get("/registry/pods/default/web")])
>>> result.succeeded, result.revision, s.get("/registry/pods/default/web").version
(True, 3, 2)

Simplified: one member, no raft (that comes in ``raft.py``), no leases, no authentication.

Upstream: etcd server/storage/mvcc/
"""

from k8slearn.etcd.kvstore import KVStore
from k8slearn.etcd.revision import CompactedError, EtcdError, FutureRevisionError, KeyValue, Revision
from k8slearn.etcd.snapshot import SnapshotStatus, snapshot_status
from k8slearn.etcd.txn import Compare, Delete, Get, Put, TxnResult
from k8slearn.etcd.watchable_store import DELETE, PUT, Event, MVCCStore, Watcher

__all__ = [
    "MVCCStore",
    "KVStore",
    "KeyValue",
    "Revision",
    "Event",
    "Watcher",
    "PUT",
    "DELETE",
    "Compare",
    "Put",
    "Delete",
    "Get",
    "TxnResult",
    "EtcdError",
    "CompactedError",
    "FutureRevisionError",
    "SnapshotStatus",
    "snapshot_status",
]
