"""The event loop: ordering, processes, settle, determinism."""

import hashlib

import pytest

from k8slearn.sim import Loop, Queue, SettleTimeout


def run_ordering(calls):
    loop = Loop(seed=0)
    for delay, priority, label in calls:
        loop.call_later(delay, loop.record, "test", label, priority=priority)
    loop.settle()
    return [s.action for s in loop.trace]


@pytest.mark.parametrize(
    "calls, expected",
    [
        ([(2, 0, "late"), (1, 0, "early")], ["early", "late"]),
        ([(1, 0, "first"), (1, 0, "second"), (1, 0, "third")], ["first", "second", "third"]),
        ([(1, 5, "low priority"), (1, 0, "high priority")], ["high priority", "low priority"]),
        ([(0, 0, "now"), (0.5, 0, "half"), (0, 0, "also now")], ["now", "also now", "half"]),
    ],
    ids=[
        "an earlier time runs before a later one",
        "events at the same time and priority run first-in-first-out",
        "at the same time a lower priority number runs first",
        "zero-delay events keep their order ahead of later ones",
    ],
)
def test_heap_order(calls, expected):
    assert run_ordering(calls) == expected


def test_a_process_sleeps_and_waits_on_a_queue():
    loop, queue, seen = Loop(), Queue(), []

    def consumer():
        while True:
            item = yield queue.get()
            seen.append((loop.now, item))

    def producer():
        yield 2.0
        queue.put("a")
        yield 3.0
        queue.put("b")

    loop.spawn(consumer(), "consumer")
    loop.spawn(producer(), "producer")
    loop.settle()
    assert seen == [(2.0, "a"), (5.0, "b")]


def test_settle_ignores_periodic_heartbeats_and_returns_seconds_advanced():
    loop, beats = Loop(), []

    def heartbeat():
        while True:
            beats.append(loop.now)
            yield 10.0

    loop.spawn(heartbeat(), "heartbeat", periodic=True)
    loop.call_later(25.0, loop.record, "test", "work")
    assert loop.settle() == 25.0
    assert beats == [0.0, 10.0, 20.0]
    assert loop.pending == 0


def test_run_advances_the_clock_exactly():
    loop = Loop()
    loop.call_later(3.0, loop.record, "test", "x")
    loop.run(seconds=10)
    assert loop.now == 10.0 and len(loop.trace) == 1


def test_a_cancelled_timer_never_runs_and_does_not_keep_settle_busy():
    loop = Loop()
    timer = loop.call_later(5.0, loop.record, "test", "never")
    timer.cancel()
    assert loop.pending == 0
    assert loop.settle() == 0.0
    assert loop.trace == []


def test_a_stopped_process_goes_silent():
    loop = Loop()

    def chatty():
        while True:
            loop.record("test", "tick")
            yield 1.0

    proc = loop.spawn(chatty(), "chatty", periodic=True)
    loop.run(2.5)
    proc.stop()
    loop.run(10)
    assert len(loop.trace) == 3


def test_settle_raises_when_work_never_stops():
    loop = Loop()

    def busy():
        while True:
            yield 1.0

    loop.spawn(busy(), "busy")
    with pytest.raises(SettleTimeout) as raised:
        loop.settle(max_seconds=60)
    assert str(raised.value) == 'still busy after 60 simulated seconds (1 event pending: process "busy" at 61.0 s)'


def test_settle_timeout_names_the_first_pending_events_soonest_first():
    class WorkQueue:
        name = "deployment-controller"

        def add(self, key):
            loop.call_later(100.0, self.add, key)

    loop = Loop()
    WorkQueue().add("default/web")
    for i in range(3):
        loop.call_later(500.0 + i, print, "x")
    with pytest.raises(SettleTimeout) as raised:
        loop.settle(max_seconds=450)
    assert str(raised.value) == (
        'still busy after 450 simulated seconds (4 events pending: print(x) at 500.0 s, '
        'WorkQueue "deployment-controller": add(default/web) at 500.0 s, print(x) at 501.0 s, 1 more)')


def test_step_runs_exactly_one_event_and_returns_its_step():
    loop = Loop()
    loop.call_later(1.0, loop.record, "kube-apiserver", "create", "pod/default/web")
    loop.call_later(2.0, loop.record, "etcd", "put", "/registry/pods/default/web")
    step = loop.step()
    assert (step.time, step.component, step.action) == (1.0, "kube-apiserver", "create")
    assert len(loop.trace) == 1
    assert loop.step().component == "etcd"
    assert loop.step() is None


def random_run(seed):
    loop = Loop(seed=seed)

    def worker(name):
        for _ in range(20):
            yield loop.rng.random()
            loop.record(name, "work", f"item-{loop.rng.randrange(100)}")

    for i in range(5):
        loop.spawn(worker(f"w{i}"), f"w{i}")
    loop.settle()
    return hashlib.sha256(loop.trace_text().encode()).hexdigest()


def test_the_same_seed_gives_a_byte_identical_trace():
    assert random_run(7) == random_run(7)
    assert random_run(7) != random_run(8)


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(1, 0, id="one waiter is woken"),
        pytest.param(3, 0, id="three waiters are woken in the order they came"),
        pytest.param(2, 2, id="waiters that come after the trigger are called at once, in order"),
    ],
)
def test_a_waitable_wakes_every_waiter_in_order(before, after):
    from k8slearn.sim import Waitable

    waitable, seen = Waitable(), []
    for i in range(before):
        waitable.add_waiter(lambda value, i=i: seen.append((i, value)))
    waitable.trigger("x")
    waitable.trigger("ignored")  # a second trigger changes nothing
    for i in range(before, before + after):
        waitable.add_waiter(lambda value, i=i: seen.append((i, value)))
    assert seen == [(i, "x") for i in range(before + after)]


@pytest.mark.parametrize(
    "puts, gets, left",
    [
        pytest.param(["a"], 1, 0, id="a queue emptied by get lets its deque go"),
        pytest.param(["a", "b", "c"], 2, 1, id="items still queued stay in order"),
        pytest.param([], 0, 0, id="an unused queue has no deque"),
    ],
)
def test_a_queue_keeps_fifo_order_and_lets_its_empty_deque_go(puts, gets, left):
    queue = Queue()
    for item in puts:
        queue.put(item)
    assert [queue.get().value for _ in range(gets)] == puts[:gets]
    assert len(queue) == left and (queue._items is None) == (left == 0)
    queue.put("z")
    assert [queue.get().value for _ in range(left + 1)] == puts[gets:] + ["z"]


def test_a_stopped_process_never_resumes_and_does_not_keep_settle_busy():
    loop, seen = Loop(), []

    def worker():
        while True:
            seen.append(loop.now)
            yield 5.0

    process = loop.spawn(worker(), "worker")
    loop.run(7.0)
    process.stop()
    assert loop.pending == 0 and loop.settle() == 0.0 and seen == [0.0, 5.0]


@pytest.mark.parametrize(
    "getters, puts",
    [
        pytest.param(1, 1, id="one waiting getter gets the item"),
        pytest.param(3, 3, id="three waiting getters are served first come, first served"),
        pytest.param(3, 5, id="items beyond the waiting getters are queued for later gets"),
        pytest.param(2, 1, id="a getter still waits when there are fewer items"),
    ],
)
def test_waiting_getters_are_served_in_the_order_they_came(getters, puts):
    queue = Queue()
    waiting = [queue.get() for _ in range(getters)]
    for i in range(puts):
        queue.put(i)
    served = [w.value for w in waiting if w.triggered]
    assert served == list(range(min(getters, puts)))
    assert len(queue) == max(0, puts - getters)
    later = [queue.get().value for _ in range(len(queue))]
    assert later == list(range(getters, puts))
    if getters > puts:
        queue.put("late")
        assert waiting[puts].value == "late"
