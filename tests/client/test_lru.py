"""LRUCache (k8slearn.api.lru) against a plain list-based LRU, through and past its first eviction."""

import random

import pytest

from k8slearn.api.lru import LRUCache


class PlainLRU:
    """The plain computation: a list of [key, value], least recently used first."""

    def __init__(self, max_entries):
        self.max_entries, self.items = max_entries, []

    def _find(self, key):
        return next((i for i, (k, _) in enumerate(self.items) if k == key), None)

    def get(self, key):
        i = self._find(key)
        if i is None:
            return None
        self.items.append(self.items.pop(i))
        return self.items[-1][1]

    def peek(self, key):
        i = self._find(key)
        return None if i is None else self.items[i][1]

    def add(self, key, value):
        i = self._find(key)
        if i is not None:
            self.items.pop(i)
        self.items.append([key, value])
        if len(self.items) > self.max_entries:
            self.items.pop(0)

    def contains(self, key):
        i = self._find(key)
        if i is not None:
            self.items.append(self.items.pop(i))
        return i is not None

    def discard(self, key):
        i = self._find(key)
        if i is not None:
            self.items.pop(i)

    def clear(self):
        self.items.clear()


def _ops(seed, count, key_space, weights, fresh_keys=False):
    """Random operations; with ``fresh_keys`` a key is now the same tuple object, now an equal new one."""
    rng = random.Random(seed)
    names = ["add", "get", "peek", "contains", "discard", "clear"]
    pool = [("key", k) for k in range(key_space)]
    ops = []
    for i in range(count):
        k = rng.randrange(key_space)
        key = ("key", int(str(k))) if fresh_keys and rng.random() < 0.5 else pool[k] if fresh_keys else k
        ops.append((rng.choices(names, weights)[0], key, i))
    return ops


@pytest.mark.parametrize("max_entries, ops", [
    (3, [("add", k, k) for k in range(10)]),
    (3, [("add", 0, 0), ("add", 1, 1), ("add", 2, 2), ("add", 3, 3), ("get", 1, 0), ("add", 4, 4),
         ("add", 5, 5), ("contains", 1, 0), ("add", 6, 6), ("add", 7, 7)]),
    (5, _ops(1, 3000, 12, [6, 3, 2, 2, 1, 0])),
    (5, _ops(2, 3000, 40, [6, 3, 2, 2, 1, 0])),
    (4, _ops(3, 2000, 10, [6, 3, 2, 2, 2, 1])),
    (1, _ops(4, 500, 3, [4, 2, 1, 1, 1, 0])),
    (0, _ops(5, 200, 3, [4, 2, 1, 1, 1, 0])),
    (64, _ops(6, 5000, 200, [8, 4, 1, 2, 1, 0])),
    (4, _ops(7, 3000, 8, [6, 3, 2, 2, 1, 0], fresh_keys=True)),
    (0, [("add", 1, 1), ("add", 1, 2), ("get", 1, 0), ("add", 1, 3), ("contains", 1, 0)]),
    (2, [("add", 1, 1), ("discard", 1, 0), ("get", 1, 0), ("add", 2, 2), ("add", 1, 3), ("add", 3, 4)]),
], ids=[
    "adding ten keys to a cache of three keeps the last three",
    "lookups of a key between evictions keep it while older keys go",
    "random operations on a few keys, evicting often, agree with a plain list",
    "random operations on many keys agree with a plain list",
    "clearing a cache that has evicted starts it again in the same order as a list",
    "a cache of one key agrees with a plain list",
    "a cache of no keys forgets every key at once, as a plain list does",
    "a larger cache with thousands of evictions agrees with a plain list",
    "keys that are the same object or only equal ones agree with a plain list",
    "a key added again to a cache of no keys is forgotten again",
    "a key used again after it was discarded is gone",
])
def test_the_lru_cache_evicts_in_the_order_a_plain_list_does(max_entries, ops):
    cache, plain = LRUCache(max_entries), PlainLRU(max_entries)
    for op, key, value in ops:
        if op == "add":
            cache.add(key, value)
            plain.add(key, value)
        elif op == "contains":
            assert (key in cache) == plain.contains(key)
        elif op in ("discard", "clear"):
            getattr(cache, op)(*((key,) if op == "discard" else ()))
            getattr(plain, op)(*((key,) if op == "discard" else ()))
        else:
            assert getattr(cache, op)(key) == getattr(plain, op)(key)
        assert list(cache) == [k for k, _ in plain.items]
    assert len(cache) == len(plain.items)
    assert [cache.peek(k) for k in cache] == [v for _, v in plain.items]
