"""A bounded map that forgets the least recently used key (groupcache/lru, k8s.io/utils/lru).

client-go's event correlator keeps its state in such caches (4,096 entries each), and the
simulated API server remembers values it has already found valid in them. A plain dict keeps
insertion order, so a use moves the key to the end and the oldest is the first key: half the
memory of an OrderedDict per entry. Once full, a cache swaps its dict for an OrderedDict in the
same order (a simulation speed-up, same order and same evictions): a dict finds its first key by
walking past the slots its earlier removals left empty, an OrderedDict at once.

>>> c = LRUCache(2)
>>> c.add("a", 1); c.add("b", 2); c.get("a"); c.add("c", 3)
1
>>> list(c), "b" in c, len(c)
(['a', 'c'], False, 2)
>>> c.peek("a"), list(c)   # peek does not count as a use
(1, ['a', 'c'])
>>> type(c._data).__name__   # it has evicted a key: it is full from now on
'OrderedDict'

Upstream: github.com/golang/groupcache/lru/lru.go, k8s.io/utils/lru
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

_NO_KEY = object()  # what ``_last`` holds when no key is known to be the most recent


class LRUCache:
    """``max_entries`` keys at most; ``get``, ``add`` and ``in`` make a key the most recent."""

    __slots__ = ("_data", "_last", "max_entries")

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        # A dict until the first eviction, then an OrderedDict (see the module docstring): both keep
        # the keys least recently used first, and the code below works on either.
        self._data: dict = {}
        # The key object last made the most recent, while it still is (else _NO_KEY). Using it
        # again changes no order, so get, add and ``in`` leave the dict as it is rather than
        # moving the key to where it already is: a simulation speed-up and a memory saving (each
        # move leaves an empty slot, and a dict that has moved keys grows bigger tables), same order.
        self._last: Any = _NO_KEY

    def get(self, key: Any, default: Any = None) -> Any:
        data = self._data
        if key is self._last:
            return data[key]
        if key not in data:
            return default
        value = data[key] = data.pop(key)
        self._last = key
        return value

    def peek(self, key: Any, default: Any = None) -> Any:
        """The value for ``key`` without making it the most recent (the order stays as it was)."""
        return self._data.get(key, default)

    def add(self, key: Any, value: Any = None) -> None:
        data = self._data
        if key is self._last:
            data[key] = value
            return
        data.pop(key, None)
        data[key] = value
        self._last = key
        if len(data) > self.max_entries:
            if data.__class__ is dict:
                self._data = data = OrderedDict(data)
            data.popitem(last=False)
            if not data:  # the key itself was the oldest (a cache of no entries)
                self._last = _NO_KEY

    def discard(self, key: Any) -> None:
        self._data.pop(key, None)
        self._last = _NO_KEY

    def clear(self) -> None:
        self._data.clear()
        self._last = _NO_KEY

    def __contains__(self, key: Any) -> bool:
        data = self._data
        if key is self._last:
            return True
        if key not in data:
            return False
        data[key] = data.pop(key)
        self._last = key
        return True

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator:
        """Keys, least recently used first."""
        return iter(list(self._data))
