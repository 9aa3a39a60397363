"""A bounded map that forgets the least recently used key (groupcache/lru, k8s.io/utils/lru).

client-go's event correlator keeps its state in such caches (4,096 entries each), and the
simulated API server remembers values it has already found valid in them. A plain dict keeps
insertion order, so a use moves the key to the end and the oldest is the first key: half the
memory of an OrderedDict per entry.

>>> c = LRUCache(2)
>>> c.add("a", 1); c.add("b", 2); c.get("a"); c.add("c", 3)
1
>>> list(c), "b" in c, len(c)
(['a', 'c'], False, 2)
>>> c.peek("a"), list(c)   # peek does not count as a use
(1, ['a', 'c'])

Upstream: github.com/golang/groupcache/lru/lru.go, k8s.io/utils/lru
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class LRUCache:
    """``max_entries`` keys at most; ``get``, ``add`` and ``in`` make a key the most recent."""

    __slots__ = ("_data", "max_entries")

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._data: dict = {}

    def get(self, key: Any, default: Any = None) -> Any:
        data = self._data
        if key not in data:
            return default
        value = data[key] = data.pop(key)
        return value

    def peek(self, key: Any, default: Any = None) -> Any:
        """The value for ``key`` without making it the most recent (the order stays as it was)."""
        return self._data.get(key, default)

    def add(self, key: Any, value: Any = None) -> None:
        data = self._data
        data.pop(key, None)
        data[key] = value
        if len(data) > self.max_entries:
            del data[next(iter(data))]

    def discard(self, key: Any) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()

    def __contains__(self, key: Any) -> bool:
        data = self._data
        if key not in data:
            return False
        data[key] = data.pop(key)
        return True

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator:
        """Keys, least recently used first."""
        return iter(list(self._data))
