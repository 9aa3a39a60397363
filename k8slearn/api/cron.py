"""Cron schedules as Kubernetes reads them: github.com/robfig/cron/v3's standard parser.

Both the API server (validating ``spec.schedule``) and the CronJob controller (finding the next
run) call ``ParseStandard``: five fields ``minute hour day-of-month month day-of-week`` (the
seconds field is fixed at 0), each a comma list of ``*``, ``?``, ``N``, ``N-M``, with an
optional ``/step`` (``N/step`` means ``N-max/step``); months and weekdays also by name
(``jan``, ``mon``, any case); the descriptors ``@yearly`` (``@annually``), ``@monthly``,
``@weekly``, ``@daily`` (``@midnight``), ``@hourly`` and ``@every <Go duration>``; a leading
``TZ=<zone>`` or ``CRON_TZ=<zone>``. A bad spec gives the library's error text::

    >>> parse_standard("*/15 9-17 * * mon-fri").next(datetime(2026, 1, 5, 17, 50, tzinfo=UTC))
    datetime.datetime(2026, 1, 6, 9, 0, tzinfo=datetime.timezone.utc)
    >>> parse_standard("0 0 31 2 *").next(datetime(2026, 1, 5, tzinfo=UTC)) is None  # never: no Feb 31
    True
    >>> parse_standard("@every 90s").next(datetime(2026, 1, 5, 9, 0, 0, 500000, tzinfo=UTC))
    datetime.datetime(2026, 1, 5, 9, 1, 30, tzinfo=datetime.timezone.utc)
    >>> cron_error("60 * * * *"), cron_error("* * *")
    ('end of range (60) above maximum (59): 60', 'expected exactly 5 fields, found 3: [* * *]')

When day-of-month and day-of-week are both restricted, a day matching *either* runs (as Vixie
cron); if one of them starts with ``*`` or ``?``, both must match.

Simplifies: a spec without ``TZ=`` runs in the controller manager's local zone, which is UTC
here (as in a kubeadm static pod); around daylight-saving jumps a wall time that does not exist
is resolved as Python's ``zoneinfo`` does, where Go's ``time.Date`` may pick the other side.
``TZ=<zone>`` with nothing after it (a Go slice panic upstream) is reported as an empty spec.

Upstream: github.com/robfig/cron/v3 parser.go, spec.go, constantdelay.go (v3.0.1, vendored by
kubernetes); Go's time.LoadLocation and time.ParseDuration for their error texts
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc
STAR_BIT = 1 << 63
_INT = re.compile(r"[+-]?[0-9]+")
_MAX_INT64 = (1 << 63) - 1


class CronError(ValueError):
    """A schedule the parser refuses; ``str()`` is robfig/cron's error text."""


@dataclass(frozen=True)
class Bounds:
    min: int
    max: int
    names: dict


MONTH_NAMES = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
DOW_NAMES = {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())}
SECONDS, MINUTES, HOURS = Bounds(0, 59, {}), Bounds(0, 59, {}), Bounds(0, 23, {})
DOM, MONTHS, DOW = Bounds(1, 31, {}), Bounds(1, 12, MONTH_NAMES), Bounds(0, 6, DOW_NAMES)


def load_location(name: str) -> tzinfo:
    """Go's time.LoadLocation: "" and "UTC" are UTC, "Local" the local zone (UTC here), else IANA."""
    if name in ("", "UTC", "Local"):
        return UTC
    if ".." in name or name[0] in "/\\":
        raise CronError("time: invalid location name")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise CronError(f"unknown time zone {name}") from None


def _bits(start: int, end: int, step: int) -> int:
    bits = 0
    for i in range(start, end + 1, step):
        bits |= 1 << i
    return bits


def _all(r: Bounds) -> int:
    return _bits(r.min, r.max, 1) | STAR_BIT


def _must_parse_int(expr: str) -> int:
    if not _INT.fullmatch(expr):
        raise CronError(f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": invalid syntax')
    num = int(expr)
    if abs(num) > _MAX_INT64:
        raise CronError(f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": '
                        "value out of range")
    if num < 0:
        raise CronError(f"negative number ({num}) not allowed: {expr}")
    return num


def _int_or_name(expr: str, names: dict) -> int:
    if expr.lower() in names:
        return names[expr.lower()]
    return _must_parse_int(expr)


def get_range(expr: str, r: Bounds) -> int:
    """getRange: the bits of one ``*``/``N``/``N-M`` with an optional ``/step``."""
    range_and_step = expr.split("/")
    low_high = range_and_step[0].split("-")
    single = len(low_high) == 1
    extra = 0
    if low_high[0] in ("*", "?"):
        start, end, extra = r.min, r.max, STAR_BIT
    else:
        start = _int_or_name(low_high[0], r.names)
        if len(low_high) == 1:
            end = start
        elif len(low_high) == 2:
            end = _int_or_name(low_high[1], r.names)
        else:
            raise CronError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _must_parse_int(range_and_step[1])
        if single:  # "N/step" means "N-max/step"
            end = r.max
        if step > 1:
            extra = 0
    else:
        raise CronError(f"too many slashes: {expr}")
    if start < r.min:
        raise CronError(f"beginning of range ({start}) below minimum ({r.min}): {expr}")
    if end > r.max:
        raise CronError(f"end of range ({end}) above maximum ({r.max}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expr}")
    return _bits(start, end, step) | extra


def get_field(text: str, r: Bounds) -> int:
    """getField: a comma list (empty items dropped, as strings.FieldsFunc does)."""
    bits = 0
    for expr in (part for part in text.split(",") if part):
        bits |= get_range(expr, r)
    return bits


@dataclass(frozen=True)
class SpecSchedule:
    """A parsed five-field spec: one bit set per allowed value, STAR_BIT when written with ``*``."""

    second: int
    minute: int
    hour: int
    dom: int
    month: int
    dow: int
    location: tzinfo

    def _day_matches(self, t: datetime) -> bool:
        dom_match = (1 << t.day) & self.dom > 0
        dow_match = (1 << ((t.weekday() + 1) % 7)) & self.dow > 0  # Go: Sunday is 0
        if self.dom & STAR_BIT or self.dow & STAR_BIT:
            return dom_match and dow_match
        return dom_match or dow_match

    def next(self, after: datetime) -> datetime | None:
        """The first time after ``after`` (a whole second later at least), or None within five years."""
        loc = self.location
        t = _norm(after.astimezone(loc).replace(microsecond=0) + timedelta(seconds=1), loc)
        added = False
        year_limit = t.year + 5
        while True:  # WRAP
            if t.year > year_limit:
                return None
            wrapped = False
            while (1 << t.month) & self.month == 0:
                if not added:
                    added = True
                    t = _date(t.year, t.month, 1, 0, 0, 0, loc)
                t = _date(t.year + (t.month == 12), t.month % 12 + 1, t.day, t.hour, t.minute, t.second, loc)
                if t.month == 1:
                    wrapped = True
                    break
            if wrapped:
                continue
            while not self._day_matches(t):
                if not added:
                    added = True
                    t = _date(t.year, t.month, t.day, 0, 0, 0, loc)
                nxt = t.replace(tzinfo=None) + timedelta(days=1)
                t = _date(nxt.year, nxt.month, nxt.day, t.hour, t.minute, t.second, loc)
                if t.hour != 0:  # a DST jump moved midnight
                    t = _add(t, timedelta(hours=24 - t.hour) if t.hour > 12 else timedelta(hours=-t.hour))
                if t.day == 1:
                    wrapped = True
                    break
            if wrapped:
                continue
            for attr, bits, unit in (("hour", self.hour, timedelta(hours=1)),
                                     ("minute", self.minute, timedelta(minutes=1)),
                                     ("second", self.second, timedelta(seconds=1))):
                while (1 << getattr(t, attr)) & bits == 0:
                    if not added:
                        added = True
                        t = _truncate(t, attr)
                    t = _add(t, unit)
                    if getattr(t, attr) == 0:
                        wrapped = True
                        break
                if wrapped:
                    break
            if wrapped:
                continue
            return t.astimezone(after.tzinfo)


@dataclass(frozen=True)
class ConstantDelaySchedule:
    """``@every <duration>``: runs every ``delay`` seconds (whole seconds, at least 1)."""

    delay: int

    def next(self, after: datetime) -> datetime:
        return after.replace(microsecond=0) + timedelta(seconds=self.delay)


def _norm(t: datetime, loc: tzinfo) -> datetime:
    return t.astimezone(UTC).astimezone(loc)


def _date(year: int, month: int, day: int, hour: int, minute: int, second: int, loc: tzinfo) -> datetime:
    """Go's time.Date: out-of-range days roll into the next month (Feb 30 is Mar 2)."""
    base = datetime(year, month, 1, hour, minute, second)
    return _norm((base + timedelta(days=day - 1)).replace(tzinfo=loc), loc)


def _add(t: datetime, delta: timedelta) -> datetime:
    """Go's Time.Add: absolute time, not wall clock."""
    return (t.astimezone(UTC) + delta).astimezone(t.tzinfo)


def _truncate(t: datetime, attr: str) -> datetime:
    # Time.Truncate works on absolute time; zones here are whole-minute offsets
    return t.replace(second=0) if attr == "minute" else t if attr == "second" else _date(
        t.year, t.month, t.day, t.hour, 0, 0, t.tzinfo)


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0,
                   "h": 3600.0}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]*)")


def parse_go_duration(text: str) -> float:
    """Go's time.ParseDuration in seconds; its error texts."""
    quoted = f'"{text}"'
    s, sign = text, 1.0
    if s[:1] in ("+", "-"):
        sign, s = (-1.0 if s[0] == "-" else 1.0), s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise CronError(f"time: invalid duration {quoted}")
    total = 0.0
    while s:
        m = _DURATION_PART.match(s)
        number, unit = m.group(1), m.group(2)
        if number in ("", "."):
            raise CronError(f"time: invalid duration {quoted}")
        if not unit:
            raise CronError(f"time: missing unit in duration {quoted}")
        if unit not in _DURATION_UNITS:
            raise CronError(f'time: unknown unit "{unit}" in duration {quoted}')
        total += float(number) * _DURATION_UNITS[unit]
        s = s[m.end():]
    return sign * total


def parse_descriptor(descriptor: str, loc: tzinfo) -> SpecSchedule | ConstantDelaySchedule:
    one = {"second": 1 << SECONDS.min, "minute": 1 << MINUTES.min, "hour": 1 << HOURS.min}
    every = {"dom": _all(DOM), "month": _all(MONTHS), "dow": _all(DOW)}
    if descriptor in ("@yearly", "@annually"):
        return SpecSchedule(**one, dom=1 << DOM.min, month=1 << MONTHS.min, dow=_all(DOW), location=loc)
    if descriptor == "@monthly":
        return SpecSchedule(**one, dom=1 << DOM.min, month=_all(MONTHS), dow=_all(DOW), location=loc)
    if descriptor == "@weekly":
        return SpecSchedule(**one, dom=_all(DOM), month=_all(MONTHS), dow=1 << DOW.min, location=loc)
    if descriptor in ("@daily", "@midnight"):
        return SpecSchedule(**one, **every, location=loc)
    if descriptor == "@hourly":
        return SpecSchedule(second=1, minute=1, hour=_all(HOURS), **every, location=loc)
    if descriptor.startswith("@every "):
        try:
            seconds = parse_go_duration(descriptor[len("@every "):])
        except CronError as err:
            raise CronError(f"failed to parse duration {descriptor}: {err}") from None
        return ConstantDelaySchedule(max(1, int(seconds)))
    raise CronError(f"unrecognized descriptor: {descriptor}")


def parse_standard(spec: str) -> SpecSchedule | ConstantDelaySchedule:
    """cron.ParseStandard: a schedule with ``next(datetime)``; raises CronError with upstream's text."""
    if not spec:
        raise CronError("empty spec string")
    loc: tzinfo = UTC
    if spec.startswith(("TZ=", "CRON_TZ=")):
        i, eq = spec.find(" "), spec.find("=")
        name = spec[eq + 1:i] if i >= 0 else spec[eq + 1:]
        try:
            loc = load_location(name)
        except CronError as err:
            raise CronError(f"provided bad location {name}: {err}") from None
        spec = spec[i:].strip() if i >= 0 else ""
        if not spec:
            raise CronError("empty spec string")
    if spec.startswith("@"):
        return parse_descriptor(spec, loc)
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    bounds = (MINUTES, HOURS, DOM, MONTHS, DOW)
    minute, hour, dom, month, dow = (get_field(text, b) for text, b in zip(fields, bounds))
    return SpecSchedule(1 << 0, minute, hour, dom, month, dow, loc)


def cron_error(spec: str) -> str | None:
    """The parser's error text for ``spec``, or None when it parses."""
    try:
        parse_standard(spec)
    except CronError as err:
        return str(err)
    return None
