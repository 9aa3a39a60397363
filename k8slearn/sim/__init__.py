"""Deterministic discrete-event simulation: simulated clock, event heap, seeded RNG, trace.

Upstream: none (this replaces goroutines and wall-clock timers); modelled on SimPy.
"""

from k8slearn.sim.loop import Loop, Process, Queue, SettleTimeout, Step, Timer, Waitable

__all__ = ["Loop", "Process", "Queue", "SettleTimeout", "Step", "Timer", "Waitable"]
