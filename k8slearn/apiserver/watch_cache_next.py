"""Decoding a changed object for the watch cache, from the version it replaces.

Most writes change one part of an object and leave the rest as it was: a pod's status update
changes its ``status``, its bind adds ``spec.nodeName`` at the end of its ``spec``, and the pods of
one template are created with the same ``spec``. ``decode_next`` gives exactly what
``watch_cache_decode.decode`` gives, but takes the unchanged top-level parts from the cached
version it replaces (or from the shared value last decoded under that key) instead of parsing
them again. A simulation speed-up with identical results (a Go API server decodes each event
whole); the reused parts are read-only and shared already, so nobody can tell.

>>> from k8slearn.apiserver.watch_cache_decode import decode
>>> old = decode(b'{"metadata":{"name":"a"},"spec":{"x":[1]},"status":{"phase":"Pending"}}', 7)
>>> new = decode_next(b'{"metadata":{"name":"a"},"spec":{"x":[1]},"status":{"phase":"Running"}}', 8, old)
>>> new["spec"] is old["spec"], new["status"], new["metadata"]
(True, {'phase': 'Running'}, {'name': 'a', 'resourceVersion': '8'})
>>> bound = decode_next(b'{"metadata":{"name":"a"},"spec":{"x":[1],"nodeName":"n"}}', 9, new)
>>> bound["spec"]["x"] is old["spec"]["x"], bound["spec"]
(True, {'x': [1], 'nodeName': 'n'})

Simplified: only the top level is compared (and a spec that grew at its end); a part that
changed is parsed whole.

Upstream: staging/src/k8s.io/apiserver/pkg/storage/cacher/watch_cache.go (processEvent: every
event decoded whole; no counterpart for the reuse)
"""

from __future__ import annotations

import json
from json.decoder import scanstring

from k8slearn.api.meta import FrozenDict, FrozenList
from k8slearn.apiserver import watch_cache_decode as _decode
from k8slearn.apiserver.watch_cache_decode import _DECODER, _frozen_object, decode, with_resource_version

_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)  # the registry's compact JSON
_NOTHING = FrozenDict()
# The JSON of the shared values compared or read so far (``_Objects.texts``, emptied with the table) is
# kept for at most this many: a spec's text is ~700 characters, and a value compared once (a
# bound spec: one per template and node) is compared again at most once or twice.
_TEXTS_LIMIT = 1 << 12
_RECENT: dict[str, object] = {}  # top-level key -> the shared value last decoded there (see decode_next)


class _NotCompact(Exception):
    """The value is not spelled as ``decode_next`` expects: ``decode`` reads it whole."""


def decode_next(value: bytes, mod_revision: int, previous: dict | None) -> dict:
    """``decode(value, mod_revision)``, reusing the unchanged parts of ``previous`` (the cached
    version this one replaces, or None).

    The text of each top-level member is first compared with the compact JSON of the same member
    of ``previous`` (its metadata without the resourceVersion), then of the shared value last
    decoded under that key: where the text is exactly that, the member decodes to that value
    (JSON values are self-delimiting, and the JSON of a decoded value decodes back to an equal
    value, key order and types included), so it is reused instead of parsed; where the text is
    that object with more members after its own, only those are parsed. Anything else (another
    spelling, whitespace) is parsed; a value that is not a compact JSON object is left to
    ``decode`` whole, errors included.
    """
    if value.__class__ is not bytes or value[:2] != b'{"':
        return decode(value, mod_revision)
    text = value.decode("utf-8", "surrogatepass")
    try:
        pairs, at = _members(text, 1, previous or _NOTHING, True)
    except (_NotCompact, ValueError, IndexError, StopIteration):
        return decode(value, mod_revision)  # (with its own error for a value that is not JSON)
    if at != len(text):
        return decode(value, mod_revision)
    return with_resource_version(_frozen_object(pairs), mod_revision)


def _members(text: str, at: int, previous: dict, top: bool) -> tuple[list, int]:
    """The (key, value) pairs of the object whose members start at ``text[at]``, and the index
    after its closing brace; each member reused from ``previous`` (or, at the top level, from
    the recent values) where its text is that value's JSON."""
    scan, shared, texts, recent = _DECODER.scan_once, _decode._OBJECTS.keys, _decode._OBJECTS.texts, _RECENT
    pairs = []
    while True:
        if text[at] != '"':
            raise _NotCompact
        name, at = scanstring(text, at + 1)
        if text[at] != ":":
            raise _NotCompact
        at += 1
        member = None
        start = at
        compound = top and text[at] in "{["
        if compound:  # (only objects and lists are reused)
            if name == "metadata":
                old = previous.get(name)
                if old.__class__ is FrozenDict:
                    meta = dict(old)
                    meta.pop("resourceVersion", None)
                    spelled = _ENCODER.encode(meta)
                    if text.startswith(spelled, at):
                        member, at = FrozenDict(meta), at + len(spelled)
            else:
                own = previous.get(name)
                for old in (own, recent.get(name)):
                    if id(old) in shared:  # (a shared value: the table keeps it, and its id, alive)
                        spelled = texts.get(id(old))
                        if spelled is None:
                            if len(texts) >= _TEXTS_LIMIT:
                                texts.clear()  # bounded apart: texts are long, shared values many
                            spelled = texts[id(old)] = _ENCODER.encode(old)
                    elif old is own and (old.__class__ is FrozenDict or old.__class__ is FrozenList):
                        # the previous version's own part, no longer (or never) in the sharing
                        # table, which starts over when full: compared all the same, its JSON not kept
                        spelled = _ENCODER.encode(old)
                    else:
                        continue
                    end = at + len(spelled) - 1
                    if text.startswith(spelled, at):
                        member, at = old, end + 1
                        break
                    if old.__class__ is FrozenDict and old and text.startswith(",", end) \
                            and text.startswith(spelled[:-1], at):  # more members after its own
                        more, at = _members(text, end + 1, _NOTHING, False)
                        member = _frozen_object([*old.items(), *more])
                        break
        if member is None:
            member, at = scan(text, at)
            if top and id(member) in shared:
                recent[name] = member
        if compound and id(member) in shared and id(member) not in texts:
            # A shared value just read from its text: that text is kept as its spelling, so that
            # the next version is compared with it without encoding the value (a text a value was
            # read from decodes back to it, as its compact JSON does).
            if len(texts) >= _TEXTS_LIMIT:
                texts.clear()
            texts[id(member)] = text[start:at]
        pairs.append((name, member))
        at += 1
        if text[at - 1] == ",":
            continue
        if text[at - 1] == "}":
            return pairs, at
        raise _NotCompact
