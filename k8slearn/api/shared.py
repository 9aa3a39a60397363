"""One bounded table of canonical objects, for memory savings that nobody can see.

Many objects in a large simulated cluster are equal: the same label keys and values, the same
requests for every pod of a template, the same pod-group key. Where such an object is only ever
read, one copy can serve everyone: ``table[value]`` gives the first value equal to ``value`` that
the table saw, and ``table.share(key, value)`` the first value stored under ``key``. A table keeps
at most ``limit`` entries and then starts over (values already handed out stay shared), so its
size is bounded whatever the size of the cluster. Go components do not do this; here it is a
memory saving with identical values.

>>> strings = SharedTable(2)
>>> a = "".join(["we", "b"]); b = "".join(["w", "eb"])
>>> a is b, strings[a] is strings[b] is a
(False, True)
>>> strings.share(("cpu", 100), "first"), strings.share(("cpu", 100), "second")
('first', 'first')
>>> len(strings), strings["x"], len(strings)   # full: it starts over
(2, 'x', 1)

``shared_float`` does the same for the float values objects keep (a container's start time, a token
bucket's last refill): a large cluster holds a few hundred distinct ones in many thousands of
objects. Only nonzero floats are shared (an int equal to one stays an int; 0.0 and -0.0 differ).

>>> x = 1.5 + float("0")
>>> shared_float(x) is shared_float(1.5 * 1), shared_float(3), shared_float(-0.0)
(True, 3, -0.0)
"""

from __future__ import annotations

from typing import Any, Hashable


class SharedTable(dict):
    """A bounded table of canonical objects (see the module docstring)."""

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, value: Hashable) -> Any:
        return self.share(value, value)

    def share(self, key: Hashable, value: Any) -> Any:
        """The value first stored under ``key``; ``value`` itself (now stored) if there was none."""
        found = self.get(key)
        if found is None:
            if len(self) >= self.limit:
                self.clear()
            self[key] = found = value
        return found


_FLOATS = SharedTable(1 << 12)


def shared_float(value: Any) -> Any:
    """The canonical float equal to ``value`` (see the module docstring); anything else as it is."""
    return _FLOATS[value] if value.__class__ is float and value else value
