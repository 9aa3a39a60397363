"""Go's ``base64.StdEncoding.Decode``: how the API server reads the ``[]byte`` fields of an object
(a Secret's ``data``, a ConfigMap's ``binaryData``) from JSON, and the error it gives for text that
is not base64.

A value that is not base64 makes the request a 400 BadRequest before anything else happens
(``Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4``);
the byte is where Go's decoder stopped, counted from 0. Go skips ``\\r`` and ``\\n`` anywhere and
wants the ``=`` padding:

>>> decode_std("YWRtaW4=")
b'admin'
>>> decode_std("YWRt\\naW4=")
b'admin'
>>> decode_std("admin")                      # five letters: the last quantum is cut short
Traceback (most recent call last):
...
k8slearn.api.go_base64.CorruptInputError: illegal base64 data at input byte 4
>>> decode_std("bill")                       # four letters that happen to be base64
b'n)e'
>>> corrupt_input_offset("p@ssword"), corrupt_input_offset("YQ"), corrupt_input_offset("YQ==")
(1, 0, None)

Upstream: encoding/base64/base64.go (Encoding.Decode, decodeQuantum, CorruptInputError),
encoding/json/decode.go (literalStore: a string into a []byte field)
"""

from __future__ import annotations

import base64
import binascii
import string

_ALPHABET = frozenset((string.ascii_letters + string.digits + "+/").encode())
_NEWLINES = (ord("\n"), ord("\r"))
_PAD = ord("=")


class CorruptInputError(ValueError):
    """base64.CorruptInputError: ``illegal base64 data at input byte N``."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")
        self.offset = offset


def decode_std(text: str) -> bytes:
    """base64.StdEncoding.Decode of ``text`` (its UTF-8 bytes); raises CorruptInputError."""
    offset = corrupt_input_offset(text)
    if offset is not None:
        raise CorruptInputError(offset)
    data = text.encode("utf-8").replace(b"\n", b"").replace(b"\r", b"")
    try:
        return base64.b64decode(data, validate=True)
    except binascii.Error:  # (what the walk below accepts, Python decodes; kept as a safety net)
        raise CorruptInputError(0) from None


def corrupt_input_offset(text: str) -> int | None:
    """Where Go's decoder finds ``text`` is not base64, or None when it is (decodeQuantum, one
    four-character quantum at a time)."""
    src = text.encode("utf-8")
    si = 0
    while True:
        si, offset, done = _quantum(src, si)
        if offset is not None:
            return offset
        if done:
            return None


def _quantum(src: bytes, si: int) -> tuple[int, int | None, bool]:
    """decodeQuantum: read up to four characters from ``si``; (next si, error offset or None, end?)."""
    j = 0
    while j < 4:
        if si == len(src):
            if j == 0:
                return si, None, True
            return si, si - j, True  # a quantum cut short (StdEncoding pads)
        char = src[si]
        si += 1
        if char in _ALPHABET:
            j += 1
            continue
        if char in _NEWLINES:
            continue
        if char != _PAD or j < 2:
            return si, si - 1, True
        if j == 2:  # "==" expected: the first "=" is read, newlines may come between
            while si < len(src) and src[si] in _NEWLINES:
                si += 1
            if si == len(src):
                return si, len(src), True
            if src[si] != _PAD:
                return si, si - 1, True
            si += 1
        while si < len(src) and src[si] in _NEWLINES:
            si += 1
        return si, (si if si < len(src) else None), True  # anything after the padding is garbage
    return si, None, False
