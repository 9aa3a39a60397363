"""Benchmark of the simulated etcd MVCC store at the Kubernetes envelope (150,000 pods).

Run: ``python bench/bench_store.py`` (prints one line per measure) or call ``main()`` for the numbers.

Measures: puts/s while history is kept and one prefix watcher with a callback is attached; gets/s of
the current revision; time to range the 150,000-key ``/registry/pods/`` prefix; plus historical reads,
compaction, watch replay, snapshot round trip and memory per stored version for context. Wall-clock timing lives here only,
never in unit tests.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from k8slearn.etcd import MVCCStore  # noqa: E402

PODS = 150_000
GETS = 1_000_000
GOALS = {"puts_per_s": 100_000, "gets_per_s": 1_000_000, "range_150k_s": 0.5}


def _pod_value(i: int, phase: str) -> bytes:
    return (
        '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-%d","namespace":"ns-%d"},'
        '"spec":{"nodeName":"node-%d","containers":[{"name":"app","image":"nginx:1.27"}]},'
        '"status":{"phase":"%s"}}' % (i, i % 50, i % 5000, phase)
    ).encode()


def _memory_per_version(n: int = 20_000) -> tuple[float, float]:
    """Bytes the store adds per created key and per update, values excluded (they are built beforehand)."""
    keys = ["/registry/pods/ns-%d/pod-%d" % (i % 50, i) for i in range(n)]
    values = [_pod_value(i, "Running") for i in range(n)]
    tracemalloc.start()
    store = MVCCStore()
    start = tracemalloc.get_traced_memory()[0]
    for k, v in zip(keys, values):
        store.put(k, v)
    created = tracemalloc.get_traced_memory()[0]
    for _ in range(3):
        for k, v in zip(keys, values):
            store.put(k, v)
    updated = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (created - start) / n, (updated - created) / (3 * n)


def main() -> dict:
    clock = time.perf_counter
    store = MVCCStore()
    seen = [0]

    def on_event(ev) -> None:
        seen[0] += 1

    store.watch("/registry/pods/", callback=on_event)
    keys = ["/registry/pods/ns-%d/pod-%d" % (i % 50, i) for i in range(PODS)]
    pending = [_pod_value(i, "Pending") for i in range(PODS)]
    running = [_pod_value(i, "Running") for i in range(PODS)]
    put = store.put

    t0 = clock()
    for k, v in zip(keys, pending):  # create
        put(k, v)
    for k, v in zip(keys, running):  # update: history kept
        put(k, v)
    put_s = clock() - t0
    puts = 2 * PODS
    assert seen[0] == puts

    get = store.get
    lookup = keys * (GETS // PODS + 1)
    lookup = lookup[:GETS]
    t0 = clock()
    for k in lookup:
        get(k)
    get_s = clock() - t0

    t0 = clock()
    pods = store.range("/registry/pods/")
    range_s = clock() - t0
    assert len(pods) == PODS

    mid = PODS // 2 + 1  # half the pods exist at this revision
    t0 = clock()
    old = store.range("/registry/pods/", revision=mid)
    hist_range_s = clock() - t0
    assert len(old) == mid - 1

    t0 = clock()
    for k in keys[:100_000]:
        get(k, mid)
    hist_gets_per_s = 100_000 / (clock() - t0)

    t0 = clock()
    replay = store.watch("/registry/pods/", start_revision=2)
    replayed = len(replay)
    replay_s = clock() - t0
    replay.cancel()
    assert replayed == puts

    t0 = clock()
    store.compact(store.revision)
    compact_s = clock() - t0

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "snapshot.db")
        t0 = clock()
        store.snapshot(path)
        restored = MVCCStore.restore(path)
        snapshot_s = clock() - t0
        assert restored.revision == store.revision and restored.count("/registry/pods/") == PODS

    per_key, per_update = _memory_per_version()

    return {
        "bytes_per_created_key": per_key,
        "bytes_per_update": per_update,
        "puts_per_s": puts / put_s,
        "gets_per_s": GETS / get_s,
        "range_150k_s": range_s,
        "historical_range_s": hist_range_s,
        "historical_gets_per_s": hist_gets_per_s,
        "watch_replay_300k_s": replay_s,
        "compact_s": compact_s,
        "snapshot_roundtrip_s": snapshot_s,
    }


def _report(r: dict) -> None:
    print(f"store puts/s: {r['puts_per_s']:,.0f} (goal >= {GOALS['puts_per_s']:,})")
    print(f"store gets/s (current revision): {r['gets_per_s']:,.0f} (goal >= {GOALS['gets_per_s']:,})")
    print(f"store range of 150,000-key prefix: {r['range_150k_s']:.3f} s (goal < {GOALS['range_150k_s']} s)")
    print(f"store range of the prefix at an old revision: {r['historical_range_s']:.3f} s")
    print(f"store gets/s (old revision): {r['historical_gets_per_s']:,.0f}")
    print(f"store watch replay of 300,000 events: {r['watch_replay_300k_s']:.3f} s")
    print(f"store compaction of 300,000 versions: {r['compact_s']:.3f} s")
    print(f"store snapshot save + restore: {r['snapshot_roundtrip_s']:.3f} s")
    print(f"store memory per created key: {r['bytes_per_created_key']:,.0f} B (values not counted)")
    print(f"store memory per update kept in history: {r['bytes_per_update']:,.0f} B (values not counted)")


if __name__ == "__main__":
    _report(main())
