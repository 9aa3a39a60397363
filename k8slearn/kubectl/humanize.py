"""The AGE column: apimachinery's HumanDuration and ShortHumanDuration, and describe's timestamps.

HumanDuration keeps two or three significant figures: ``119s`` then ``2m1s`` up to ten minutes,
``179m`` then ``3h1m`` up to eight hours, ``47h``, ``2d1h`` up to eight days, ``729d``, ``2y1d``
up to eight years. Go works in integer nanoseconds and truncates toward zero; so does this code.

>>> [human_duration(s) for s in (0, 59, 119.999, 120, 190, 4200, 10800, 176400, 63072000 + 86400)]
['0s', '59s', '119s', '2m', '3m10s', '70m', '3h', '2d1h', '2y1d']
>>> short_human_duration(90), rfc1123z("2026-01-05T09:00:00Z")
('1m', 'Mon, 05 Jan 2026 09:00:00 +0000')

Simplified: the simulated clock (seconds since the simulation epoch) replaces time.Since.

Upstream: k8s.io/apimachinery/pkg/util/duration/duration.go (HumanDuration, ShortHumanDuration)
"""

from __future__ import annotations

import datetime

__all__ = ["human_duration", "short_human_duration", "rfc1123z"]

_NS = 10**9
_MINUTE = 60 * _NS
_HOUR = 60 * _MINUTE

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _nanos(seconds: float) -> int:
    return int(round(seconds * _NS))


def _trunc_div(a: int, b: int) -> int:
    """Go's integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def human_duration(seconds: float) -> str:
    """Format an elapsed time like kubectl's AGE column (``duration.HumanDuration``)."""
    d = _nanos(seconds)
    secs = _trunc_div(d, _NS)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60 * 2:
        return f"{secs}s"
    minutes = d // _MINUTE
    if minutes < 10:
        s = (d // _NS) % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = d // _HOUR
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(seconds: float) -> str:
    """One unit only (``duration.ShortHumanDuration``): ``59s``, ``1m``, ``23h``, ``364d``, ``1y``."""
    d = _nanos(seconds)
    secs = _trunc_div(d, _NS)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60:
        return f"{secs}s"
    minutes = d // _MINUTE
    if minutes < 60:
        return f"{minutes}m"
    hours = d // _HOUR
    if hours < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{hours // 24 // 365}y"


def rfc1123z(rfc3339: str) -> str:
    """An RFC 3339 timestamp as describe prints it (``Mon, 02 Jan 2006 15:04:05 -0700``), in UTC."""
    when = datetime.datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))
    when = when.astimezone(datetime.timezone.utc)
    return (f"{_DAYS[when.weekday()]}, {when.day:02d} {_MONTHS[when.month - 1]} {when.year} "
            f"{when.hour:02d}:{when.minute:02d}:{when.second:02d} +0000")
