"""Property tests: random put/delete/txn/compact sequences against a tiny reference model.

The model is the definition of MVCC at its plainest: a list of (revision, whole key space) pairs and
the list of events, one appended per write. The store must agree with it on every revision it can
still read, and its watches must replay exactly the model's events.
"""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from k8slearn.etcd import (
    CompactedError,
    Compare,
    Delete,
    Event,
    FutureRevisionError,
    Get,
    KeyValue,
    MVCCStore,
    Put,
)

KEYS = ["a", "ab", "b", "ba", "c"]
PREFIXES = ["", "a", "b", "ab", "d"]
VALUES = ["x", "y", "zz", "{\"spec\":" + "\"w\"" * 30 + "}"]  # the long one is stored packed once superseded

keys, values = st.sampled_from(KEYS), st.sampled_from(VALUES)
branch = st.lists(
    st.tuples(keys, st.one_of(values, st.none())), max_size=3, unique_by=lambda t: t[0]
).map(lambda ops: [Put(k, v) if v is not None else Delete(k) for k, v in ops])
operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), keys, values),
        st.tuples(st.just("delete"), keys),
        st.tuples(st.just("delete_prefix"), st.sampled_from(PREFIXES)),
        st.tuples(st.just("txn"), keys, st.sampled_from(["=", "!=", "<", ">"]), st.integers(0, 3), branch,
                  branch),
        st.tuples(st.just("compact"), st.integers(-1, 4)),  # compact at (current revision - n)
    ),
    max_size=25,
)


class Model:
    """states[r] is the key space after revision r; events are (Event) in commit order."""

    def __init__(self):
        self.states = [{}, {}]
        self.events = []
        self.compact = 0

    @property
    def rev(self):
        return len(self.states) - 1

    def commit(self, writes):
        """Apply [(key, value-or-None)] as one revision; no revision if nothing changed."""
        state, rev = dict(self.states[-1]), self.rev + 1
        for key, value in writes:
            prev = state.get(key)
            if value is None:
                if prev is None:
                    continue
                del state[key]
                self.events.append(Event("DELETE", KeyValue(key, b"", 0, rev, 0, 0), prev))
            else:
                kv = KeyValue(key, value.encode(), prev.create_revision if prev else rev, rev,
                              prev.version + 1 if prev else 1)
                state[key] = kv
                self.events.append(Event("PUT", kv, prev))
        if self.events and self.events[-1].kv.mod_revision == rev:
            self.states.append(state)

    def prev_kv_seen(self, ev):
        """What a replayed event's prev_kv can be: absent for a creation or when rev - 1 is compacted."""
        if ev.type == "PUT" and ev.kv.version == 1 or ev.kv.mod_revision - 1 < self.compact:
            return ev._replace(prev_kv=None)
        return ev


def apply(s, m, op):
    kind, *args = op
    if kind == "put":
        assert s.put(*args) == m.rev + 1
        m.commit([tuple(args)])
    elif kind == "delete":
        existed = args[0] in m.states[-1]
        assert s.delete(args[0]) == (m.rev + 1 if existed else None)
        m.commit([(args[0], None)])
    elif kind == "delete_prefix":
        doomed = sorted(k for k in m.states[-1] if k.startswith(args[0]))
        assert s.delete_prefix(args[0]) == (m.rev + 1 if doomed else None)
        m.commit([(k, None) for k in doomed])
    elif kind == "txn":
        key, op_, n, success, failure = args
        kv = m.states[-1].get(key)
        version = kv.version if kv else 0
        holds = {"=": version == n, "!=": version != n, "<": version < n, ">": version > n}[op_]
        ops = success if holds else failure
        result = s.txn([Compare(key, "version", op_, n)], success + [Get("", prefix=True)],
                       failure + [Get("", prefix=True)])
        m.commit([(o.key, o.value if isinstance(o, Put) else None) for o in ops])
        assert result.succeeded == holds and result.revision == m.rev
        assert result.results[-1] == sorted(m.states[-1].values())
    else:
        r = m.rev - args[0]
        current = s.range("")
        if r <= m.compact:
            with pytest.raises(CompactedError):
                s.compact(r)
        elif r > m.rev:
            with pytest.raises(FutureRevisionError):
                s.compact(r)
        else:
            s.compact(r)
            m.compact = r
        assert s.range("") == current  # compaction never changes what a current read returns
        assert s.compact_revision == m.compact


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_store_agrees_with_the_model(ops):
    s, m = MVCCStore(), Model()
    last = s.revision
    for op in ops:
        apply(s, m, op)
        assert s.revision == m.rev >= last  # revisions only grow
        last = s.revision
    for r in range(1, m.rev + 1):
        if r < m.compact:
            with pytest.raises(CompactedError):
                s.range("", revision=r)
            continue
        state = m.states[r]
        assert s.range("", revision=r) == sorted(state.values())
        assert [s.get(k, revision=r) for k in KEYS] == [state.get(k) for k in KEYS]
        for p in PREFIXES:
            assert s.count(p, revision=r) == sum(1 for k in state if k.startswith(p))
    assert s.db_size == sum(len(kv.value) for kv in m.states[-1].values())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations, st.one_of(st.none(), st.integers(1, 30)), st.sampled_from(PREFIXES))
# the boundary cases: a tombstone at exactly the compact revision; an event whose prev_kv is compacted
@example([("put", "a", "x"), ("delete", "a"), ("compact", 0)], None, "")
@example([("put", "a", "x"), ("put", "a", "y"), ("compact", 0)], None, "a")
def test_watch_replays_exactly_the_events_since_its_start(ops, start, prefix):
    s, m = MVCCStore(), Model()
    for op in ops:
        apply(s, m, op)
    if start is None:  # the boundary case: watch from exactly the compact revision
        start = max(m.compact, 1)
    if start < m.compact:
        with pytest.raises(CompactedError):
            s.watch(prefix, start_revision=start)
        return
    w = s.watch(prefix, start_revision=start)
    want = [m.prev_kv_seen(e) for e in m.events if e.kv.mod_revision >= start and e.kv.key.startswith(prefix)]
    assert list(w) == want
    s.put("a", "live")  # revision m.rev + 1
    s.delete("a")  # revision m.rev + 2
    live = [("PUT", m.rev + 1), ("DELETE", m.rev + 2)]
    want_live = [(t, r) for t, r in live if r >= start] if "a".startswith(prefix) else []
    assert [(e.type, e.kv.mod_revision) for e in w] == want_live
