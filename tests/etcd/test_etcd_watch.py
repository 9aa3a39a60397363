"""Watch: replay of history from a start revision, then live events, in revision order."""

import pytest

from k8slearn.etcd import CompactedError, Event, KeyValue, MVCCStore

P = "/registry/pods/default/"


def history():
    s = MVCCStore()
    s.put(P + "a", "1")  # 2
    s.put("/registry/minions/n1", "n")  # 3
    s.put(P + "a", "2")  # 4
    s.put(P + "b", "1")  # 5
    s.delete(P + "a")  # 6
    return s


def brief(events):
    return [(e.type, e.kv.key.rsplit("/", 1)[-1], e.kv.mod_revision) for e in events]


@pytest.mark.parametrize(
    "args, want",
    [
        (dict(key_or_prefix=P, start_revision=2),
         [("PUT", "a", 2), ("PUT", "a", 4), ("PUT", "b", 5), ("DELETE", "a", 6), ("PUT", "b", 7)]),
        (dict(key_or_prefix=P, start_revision=5), [("PUT", "b", 5), ("DELETE", "a", 6), ("PUT", "b", 7)]),
        (dict(key_or_prefix=P), [("PUT", "b", 7)]),
        (dict(key_or_prefix=P, start_revision=0), [("PUT", "b", 7)]),
        (dict(key_or_prefix=P + "a", start_revision=1, prefix=False),
         [("PUT", "a", 2), ("PUT", "a", 4), ("DELETE", "a", 6)]),
        (dict(key_or_prefix="", start_revision=3), [("PUT", "n1", 3), ("PUT", "a", 4), ("PUT", "b", 5),
                                                    ("DELETE", "a", 6), ("PUT", "b", 7)]),
        (dict(key_or_prefix=P, start_revision=8), []),
        (dict(key_or_prefix=P, start_revision=7), [("PUT", "b", 7)]),
    ],
    ids=[
        "a watch from an old revision replays every event since, then the live ones",
        "a watch replays events at its start revision too",
        "a watch without a start revision gets only the writes after it",
        "start revision 0 means from the next write",
        "a key watch (prefix=False) sees only that key",
        "the empty prefix watches every key",
        "a watch from a future revision waits for it",
        "a watch from the next revision gets the next write",
    ],
)
def test_replay_then_live(args, want):
    s = history()
    w = s.watch(**args)
    s.put(P + "b", "2")  # 7
    assert brief(w) == want


def test_event_shapes():
    s = history()
    events = list(s.watch(P, start_revision=2))
    assert events[1] == Event("PUT", KeyValue(P + "a", b"2", 2, 4, 2), KeyValue(P + "a", b"1", 2, 2, 1))
    assert events[0].prev_kv is None  # a creation has no previous version
    assert events[3] == Event("DELETE", KeyValue(P + "a", b"", 0, 6, 0, 0), KeyValue(P + "a", b"2", 2, 4, 2))


@pytest.mark.parametrize(
    "compact_at, start, want",
    [
        (4, 4, [("PUT", "a", 4), ("PUT", "b", 5), ("DELETE", "a", 6)]),
        (6, 6, [("DELETE", "a", 6)]),
        (4, 5, [("PUT", "b", 5), ("DELETE", "a", 6)]),
    ],
    ids=[
        "a watch from exactly the compact revision replays the events of that revision",
        "a delete at exactly the compact revision is still replayed",
        "a watch from after the compact revision is unaffected",
    ],
)
def test_watch_after_compaction(compact_at, start, want):
    s = history()
    s.compact(compact_at)
    assert brief(s.watch(P, start_revision=start)) == want


def test_replayed_prev_kv_is_absent_when_compacted():
    s = history()
    s.compact(4)
    events = list(s.watch(P, start_revision=4))
    assert events[0].prev_kv is None  # its previous version (revision 2) is before revision 4 - 1 = 3
    assert events[2].prev_kv == KeyValue(P + "a", b"2", 2, 4, 2)


@pytest.mark.parametrize(
    "compact_at, start",
    [(4, 3), (4, 1), (6, 5)],
    ids=[
        "a watch from just below the compact revision fails",
        "a watch from revision 1 of a compacted store fails",
        "a watch from below a compaction at a delete fails",
    ],
)
def test_watch_from_compacted_revision_fails(compact_at, start):
    s = history()
    s.compact(compact_at)
    watchers = len(s._watchers)
    with pytest.raises(CompactedError, match="^mvcc: required revision has been compacted$") as info:
        s.watch(P, start_revision=start)
    assert info.value.compact_revision == compact_at
    assert len(s._watchers) == watchers


def test_callback_gets_history_at_creation_then_each_write_as_it_commits():
    s = history()
    seen = []
    w = s.watch(P, start_revision=5, callback=lambda ev: seen.append((ev.kv.mod_revision, s.revision)))
    assert seen == [(5, 6), (6, 6)]
    s.put(P + "c", "1")
    assert seen[-1] == (7, 7)  # delivered before put returned, after the revision moved
    assert list(w) == []  # nothing is buffered when there is a callback


def test_iteration_drains_what_is_buffered_and_later_iteration_gets_newer_events():
    s = MVCCStore()
    w = s.watch("k")
    s.put("k1", "a")
    it = iter(w)
    s.put("k2", "b")
    assert [e.kv.key for e in it] == ["k1", "k2"]  # drained when iteration starts
    assert list(w) == [] and len(w) == 0
    s.put("k3", "c")
    assert len(w) == 1 and [e.kv.key for e in w] == ["k3"]


def test_iteration_does_not_chase_events_written_while_iterating():
    s = MVCCStore()
    w = s.watch("k")
    s.put("k0", "x")
    got = []
    for ev in w:
        got.append(ev.kv.key)
        s.put("k" + str(len(got)), "x")
    assert got == ["k0"] and [e.kv.key for e in w] == ["k1"]


def test_cancel_stops_delivery_but_keeps_what_was_buffered():
    s = MVCCStore()
    w = s.watch("k")
    s.put("k1", "a")
    w.cancel()
    s.put("k2", "b")
    w.cancel()  # twice is harmless
    assert w.canceled and [e.kv.key for e in w] == ["k1"]
    assert s._watchers == ()


def test_a_callback_that_writes_does_not_break_revision_order_for_other_watchers():
    s = MVCCStore()
    order = {"first": [], "second": []}

    def first(ev):
        order["first"].append(ev.kv.mod_revision)
        if ev.kv.key == "trigger":
            s.put("reaction", "1")

    s.watch("", callback=first)
    s.watch("", callback=lambda ev: order["second"].append(ev.kv.mod_revision))
    s.put("trigger", "1")
    assert order == {"first": [2, 3], "second": [2, 3]}


def test_a_watch_created_inside_a_callback_sees_each_event_once():
    s = MVCCStore()
    late = []

    def first(ev):
        if ev.kv.key == "a":
            s.put("c", "1")  # queued for the other watchers: the late one replays it instead
            s.watch("", start_revision=2, callback=late.append)

    s.watch("", callback=first)
    s.txn([], [])
    s.put("a", "1")
    s.put("b", "1")
    assert [(e.kv.key, e.kv.mod_revision) for e in late] == [("a", 2), ("c", 3), ("b", 4)]


def test_a_callback_that_cancels_its_watch_gets_no_more_events():
    s = MVCCStore()
    seen = []

    def once(ev):
        seen.append(ev.kv.key)
        w.cancel()

    w = s.watch("", callback=once)
    s.delete_prefix("")  # nothing to delete: no event
    s.put("a", "1")
    s.put("b", "1")
    assert seen == ["a"]


def test_watch_ids_are_sequential_and_repr_is_readable():
    s = MVCCStore()
    w0, w1 = s.watch("/registry/pods/"), s.watch("/registry/pods/x", prefix=False)
    assert (w0.watch_id, w1.watch_id) == (0, 1)
    assert repr(w1) == "<Watcher 1 key '/registry/pods/x', next revision 2, 0 buffered>"


def test_a_callback_that_raises_does_not_starve_other_watchers():
    s = MVCCStore()
    seen = []

    def broken(ev):
        raise RuntimeError("bug in a controller")

    s.watch("", callback=broken)
    s.watch("", callback=seen.append)
    with pytest.raises(RuntimeError, match="bug in a controller"):
        s.put("a", "1")
    assert s.get("a").value == b"1" and s.revision == 2  # the write committed
    with pytest.raises(RuntimeError):
        s.put("b", "1")
    assert [e.kv.key for e in seen] == ["a", "b"]
