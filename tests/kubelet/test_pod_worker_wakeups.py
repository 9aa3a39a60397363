"""A pod worker that only runs while it has a sync to do syncs at the moments a long-lived one does.

The kubelet starts a pod worker's process when a signal finds it idle and lets it end after its
last sync (a memory saving). The plain design is a process per pod that waits on a queue for as
long as the pod lives; it is written out below as the reference. Both are driven by the same
script, with a chain of zero-delay events running alongside from every scripted moment, so a
worker that took one event more or less to reach its sync would land elsewhere in the log.
"""

from types import SimpleNamespace

import pytest

from k8slearn.kubelet.pod_workers import PodState, PodWorkers
from k8slearn.sim import Loop, Queue

CHAIN = 4  # zero-delay hops logged from each scripted moment


class _Script:
    """What each sync does: sleep through the given delays, and maybe kill the pod."""

    def __init__(self, syncs: dict) -> None:
        self.syncs = syncs  # pod name -> list of (delays, kill) for its successive syncs
        self.count: dict = {}

    def sync_pod(self, workers, state):
        n = self.count.get(state.name, 0)
        self.count[state.name] = n + 1
        plan = self.syncs.get(state.name, [((), False)])
        delays, kill = plan[min(n, len(plan) - 1)]
        workers.log.append((workers.loop.now, f"sync {state.name} #{n} begins"))
        for delay in delays:
            yield delay
        workers.log.append((workers.loop.now, f"sync {state.name} #{n} ends"))
        if kill:
            state.done = True
            del workers.states[state.uid]


class _OnDemand(PodWorkers):
    """The kubelet's pod workers with a scripted sync."""

    def __init__(self, loop: Loop, script: _Script) -> None:
        super().__init__(SimpleNamespace(loop=loop, runtime=None, events=None, component="kubelet/n"))
        self.script, self.log = script, []

    def sync_pod(self, state):
        return self.script.sync_pod(self, state)


class _QueueWorkers:
    """The reference: a process per pod, waiting on its own queue while the pod lives."""

    def __init__(self, loop: Loop, script: _Script) -> None:
        self.loop, self.script, self.log = loop, script, []
        self.states: dict = {}

    def update_pod(self, pod: dict) -> None:
        uid = pod["metadata"]["uid"]
        state = self.states.get(uid)
        if state is None:
            state = _ReferenceState(uid, "default", pod["metadata"]["name"])
            self.states[uid] = state
            self._spawn(state)
        self.signal(uid)

    def _spawn(self, state) -> None:
        state.queue = Queue()
        state.signalled = False
        state.process = self.loop.spawn(self._worker(state), "worker")

    def start(self) -> None:
        for state in self.states.values():
            if state.process is None:
                self._spawn(state)
                self.signal(state.uid)

    def stop(self) -> None:
        for state in self.states.values():
            if state.process is not None:
                state.process.stop()
                state.process = None

    def signal(self, uid: str) -> None:
        state = self.states.get(uid)
        if state is not None and not state.done and not state.signalled:
            state.signalled = True
            state.queue.put(True)

    def _worker(self, state):
        while not state.done:
            yield state.queue.get()
            state.signalled = False
            yield from self.script.sync_pod(self, state)


class _ReferenceState(PodState):
    """A PodState with room for the reference's queue (PodState itself has __slots__)."""

    __slots__ = ("queue",)


def _run(workers_class, actions, syncs):
    loop = Loop()
    workers = workers_class(loop, _Script(syncs))
    if workers_class is _OnDemand:
        workers.start()  # the kubelet starts its workers once it has registered

    def hop(label: str, left: int) -> None:
        workers.log.append((loop.now, f"{label} hop {CHAIN - left}"))
        if left > 1:
            loop.call_later(0.0, hop, label, left - 1)

    def act(what: str, name: str) -> None:
        workers.log.append((loop.now, f"{what} {name}"))
        if what == "new":
            workers.update_pod({"metadata": {"uid": f"uid-{name}", "namespace": "default", "name": name}})
        elif what == "signal":
            workers.signal(f"uid-{name}")
        elif what == "stop":
            workers.stop()
        elif what == "start":
            workers.start()
        loop.call_later(0.0, hop, f"{what} {name}", CHAIN)

    for when, what, name in actions:
        loop.call_at(when, act, what, name)
    loop.run_until(100.0)
    return workers.log


@pytest.mark.parametrize(
    "actions, syncs",
    [
        pytest.param(
            [(1.0, "new", "a")],
            {},
            id="a new pod syncs after the same events as a queued worker's first sync",
        ),
        pytest.param(
            [(1.0, "new", "a"), (5.0, "signal", "a"), (9.0, "signal", "a")],
            {},
            id="a signal to an idle pod wakes it at the signal's moment",
        ),
        pytest.param(
            [(1.0, "new", "a"), (1.2, "signal", "a"), (1.3, "signal", "a"), (1.3, "signal", "a")],
            {"a": [((0.5,), False)]},
            id="signals during a sync collapse into one more sync right after it",
        ),
        pytest.param(
            [(1.0, "new", "a"), (1.5, "signal", "a")],
            {"a": [((0.5,), False)]},
            id="a signal at the moment a sync ends gives one more sync one event later",
        ),
        pytest.param(
            [(1.0, "new", "a"), (1.0, "signal", "a"), (1.0, "new", "b"), (1.0, "signal", "b")],
            {"a": [((0.0, 0.0), False)]},
            id="two pods created at one moment with zero-delay syncs interleave the same way",
        ),
        pytest.param(
            [
                (1.0, "new", "a"),
                (3.0, "stop", "-"),
                (4.0, "signal", "a"),
                (6.0, "start", "-"),
                (8.0, "signal", "a"),
            ],
            {},
            id="a pod signalled while the kubelet is off syncs once after start",
        ),
        pytest.param(
            [(1.0, "new", "a"), (1.5, "stop", "-"), (2.0, "start", "-")],
            {"a": [((2.0,), False)]},
            id="a worker stopped in the middle of a sync starts afresh after start",
        ),
        pytest.param(
            [(1.0, "new", "a"), (2.0, "stop", "-"), (2.0, "start", "-"), (2.0, "signal", "a")],
            {},
            id="a stop and start at one moment give one fresh sync",
        ),
        pytest.param(
            [(1.0, "new", "a"), (1.2, "signal", "a"), (3.0, "signal", "a")],
            {"a": [((0.5,), True)]},
            id="a pod killed by its sync ends its worker and later signals do nothing",
        ),
    ],
)
def test_an_on_demand_worker_syncs_when_a_queued_one_does(actions, syncs):
    expected = _run(_QueueWorkers, actions, syncs)
    assert _run(_OnDemand, actions, syncs) == expected
    assert any("begins" in line for _, line in expected)


def test_an_idle_pod_keeps_no_process():
    loop = Loop()
    workers = _OnDemand(loop, _Script({}))
    workers.start()
    workers.update_pod({"metadata": {"uid": "u", "namespace": "default", "name": "a"}})
    assert workers.states["u"].process is not None
    loop.run_until(1.0)
    assert workers.states["u"].process is None
    workers.signal("u")
    assert workers.states["u"].process is not None
